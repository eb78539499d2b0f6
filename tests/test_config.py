"""Every setting is documented in docs/deployment.md with its default, and every one is used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "deployment.md"


def _shown(default: object) -> str:
    """The default as the table writes it."""
    if default is None:
        return "unset"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    return f"`{default}`"


def _rows() -> dict[str, str]:
    """Variable name -> its default cell, from the settings table."""
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]+?) \|", DOC.read_text(encoding="utf-8"), re.M)
    return dict(rows)


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_each_setting_is_documented_with_its_default(name: str) -> None:
    rows = _rows()
    assert name.upper() in rows, f"{name.upper()} is missing from docs/deployment.md"
    assert rows[name.upper()] == _shown(Settings.model_fields[name].default), name


def test_the_docs_list_no_setting_that_is_gone() -> None:
    assert set(_rows()) - {n.upper() for n in Settings.model_fields} == set()


def test_each_setting_is_read_somewhere_in_the_app() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "app").rglob("*.py"))
    unused = [n for n in Settings.model_fields if not re.search(rf"\.{n}\b", source)]
    assert unused == [], f"settings nothing reads: {unused}"
