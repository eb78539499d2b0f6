"""The labelled answers of tests/corpora/pii_nl.yaml and the guard's figures on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "pii_nl.yaml"
# The day the corpus was labelled against: "a year a child could be born in" depends on it.
TODAY = date(2026, 11, 29)


@dataclass(frozen=True)
class Labelled:
    text: str
    personal: bool
    group: str  # the kind of personal data, or the trap a clean answer sets


@dataclass(frozen=True)
class Figures:
    recall: float  # share of personal answers flagged
    false_positive_rate: float  # share of clean answers flagged
    missed: list[Labelled]
    false_alarms: list[Labelled]


def load() -> list[Labelled]:
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    out = [
        Labelled(str(text), personal, group)
        for personal, section in ((True, "personal"), (False, "clean"))
        for group, texts in data[section].items()
        for text in texts
    ]
    assert len({e.text for e in out}) == len(out), "an answer is listed twice"
    return out


def measure(flags: Callable[[str], bool], corpus: Sequence[Labelled]) -> Figures:
    missed = [e for e in corpus if e.personal and not flags(e.text)]
    false_alarms = [e for e in corpus if not e.personal and flags(e.text)]
    personal = sum(e.personal for e in corpus)
    clean = len(corpus) - personal
    return Figures(
        recall=1 - len(missed) / personal,
        false_positive_rate=len(false_alarms) / clean,
        missed=missed,
        false_alarms=false_alarms,
    )
