"""Suggested groups for an open prompt's answers, computed on this server.

No third-party service sees the answers. This first version groups by the most frequent
shared content word; `suggest_groups` and `Suggestion` are the interface the routes use.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MAX_GROUPS = 12
_WORD = re.compile(r"[a-zà-ÿ]{4,}")
_STOP = frozenset(
    [
        "aan",
        "alle",
        "alles",
        "andere",
        "beter",
        "binnen",
        "door",
        "eerst",
        "elkaar",
        "geen",
        "goed",
        "heel",
        "hebben",
        "hier",
        "hoe",
        "jaar",
        "kunnen",
        "maar",
        "meer",
        "moet",
        "moeten",
        "naar",
        "niet",
        "niets",
        "nog",
        "ook",
        "over",
        "samen",
        "school",
        "staat",
        "veel",
        "voor",
        "waar",
        "wat",
        "weer",
        "welke",
        "worden",
        "wordt",
        "zijn",
        "zich",
        "zouden",
    ]
)


@dataclass(frozen=True)
class Suggestion:
    """One suggested group: a label and the answers in it (each answer in at most one)."""

    label: str
    answer_ids: tuple[int, ...]


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def suggest_groups(answers: Sequence[tuple[int, str]]) -> list[Suggestion]:
    """Group (answer id, text) pairs; deterministic for the same input in any order."""
    words = {answer_id: _words(text) for answer_id, text in sorted(answers)}
    left = dict(words)
    groups: list[Suggestion] = []
    while left and len(groups) < MAX_GROUPS:
        counts = Counter(w for ws in left.values() for w in ws)
        if not counts:
            break
        word, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n < 2:
            break
        members = tuple(i for i, ws in left.items() if word in ws)
        groups.append(Suggestion(label=word.capitalize(), answer_ids=members))
        for i in members:
            del left[i]
    return groups


def best_group(text: str, groups: Sequence[Sequence[str]]) -> int | None:
    """The index of the group whose answers `text` is most like, or None if it fits none.

    Used to let a new answer join an existing group without moving any other answer.
    """
    mine = _words(text)
    best: tuple[int, int] | None = None
    for index, texts in enumerate(groups):
        shared = len(mine & set().union(*(_words(t) for t in texts))) if texts else 0
        if shared and (best is None or shared > best[0]):
            best = (shared, index)
    return None if best is None else best[1]
