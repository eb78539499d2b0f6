"""`gesprekskaarten decks check` validates the grouping lexicon beside the decks."""

from __future__ import annotations

import pytest

from app.cli import main


def test_decks_check_reports_the_lexicon(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decks", "check"]) == 0
    out = capsys.readouterr().out
    assert "ok  lexicon/nl.yaml: 12 concepts," in out
