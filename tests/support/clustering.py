"""Scoring suggested groups against a labelled corpus: the adjusted Rand index and the
corpus loader, shared by the quality test and `make bench`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import comb
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "groups_nl.yaml"
# Written after the engine was settled and never used to tune it (docs/grouping.md).
HELD_OUT = CORPUS.with_name("groups_nl_heldout.yaml")


@dataclass(frozen=True)
class Corpus:
    prompt: str
    # (answer id, text), ids from 1 in file order.
    answers: tuple[tuple[int, str], ...]
    # answer id -> gold group label
    gold: Mapping[int, str]


def load_corpus(path: Path = CORPUS) -> Corpus:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    answers: list[tuple[int, str]] = []
    gold: dict[int, str] = {}
    for group in data["groups"]:
        for text in group["answers"]:
            answer_id = len(answers) + 1
            answers.append((answer_id, str(text)))
            gold[answer_id] = str(group["label"])
    return Corpus(prompt=str(data["prompt"]), answers=tuple(answers), gold=gold)


def adjusted_rand_index(truth: Sequence[object], predicted: Sequence[object]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings of the same items:
    1 for the same partition, about 0 for a random one (it can go below 0)."""
    if len(truth) != len(predicted):
        raise ValueError("both labellings must cover the same items")
    n = len(truth)
    pairs = Counter(zip(truth, predicted, strict=True))
    index = sum(comb(c, 2) for c in pairs.values())
    rows = sum(comb(c, 2) for c in Counter(truth).values())
    cols = sum(comb(c, 2) for c in Counter(predicted).values())
    total = comb(n, 2)
    expected = rows * cols / total if total else 0.0
    most = (rows + cols) / 2
    if most == expected:  # both trivial partitions (all one group, or all apart)
        return 1.0
    return (index - expected) / (most - expected)


def predicted_labels(answer_ids: Sequence[int], groups: Sequence[Sequence[int]]) -> list[object]:
    """One label per answer: its group's index, or a label of its own when ungrouped
    (an ungrouped answer is a group of one, as the facilitator sees it)."""
    where = {i: g for g, ids in enumerate(groups) for i in ids}
    return [where.get(i, f"alone-{i}") for i in answer_ids]
