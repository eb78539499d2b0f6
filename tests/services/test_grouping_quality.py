"""Quality of the suggested groups, measured: the adjusted Rand index against the labelled
corpus (tests/corpora/groups_nl.yaml), with the index itself checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.grouping import Suggestion, suggest_groups
from app.services.grouping.baseline import suggest_groups as baseline
from app.services.grouping.lexicon import EMPTY
from tests.support.clustering import (
    CORPUS,
    HELD_OUT,
    adjusted_rand_index,
    load_corpus,
    predicted_labels,
)

# Measured 0.816 on 2026-11-29 (docs/grouping.md); a change that costs more than a few
# answers' worth of quality fails here.
ARI_FLOOR = 0.77
# The held-out corpus, written after the engine was settled: measured 0.566.
HELD_OUT_FLOOR = 0.5


def _ari(groups: list[Suggestion], path: Path = CORPUS) -> float:
    corpus = load_corpus(path)
    ids = [i for i, _ in corpus.answers]
    found = predicted_labels(ids, [g.answer_ids for g in groups])
    return adjusted_rand_index([corpus.gold[i] for i in ids], found)


def test_identical_partitions_score_one_whatever_the_names() -> None:
    assert adjusted_rand_index([0, 0, 1, 1, 2], ["b", "b", "a", "a", "c"]) == 1.0


def test_a_split_group_scores_as_computed_by_hand() -> None:
    # Truth {1,2,3} {4,5,6}; found {1,2} {3,4} {5,6}. Pairs together in both: 2;
    # in truth: 6; found: 3; of 15. Expected 6*3/15 = 1.2, maximum (6+3)/2 = 4.5:
    # (2 - 1.2) / (4.5 - 1.2) = 8/33.
    found = adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])
    assert found == pytest.approx(8 / 33)


def test_a_crossed_partition_scores_below_zero() -> None:
    # No pair together in both; expected 2*2/6, maximum 2: (0 - 2/3) / (2 - 2/3) = -0.5.
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


def test_the_labellings_must_cover_the_same_items() -> None:
    with pytest.raises(ValueError, match="same items"):
        adjusted_rand_index([0, 1], [0])


def test_an_ungrouped_answer_counts_as_a_group_of_its_own() -> None:
    assert predicted_labels([1, 2, 3], [[1, 3]]) == [0, "alone-2", 0]


def test_the_corpus_has_150_answers_in_8_groups_or_more() -> None:
    corpus = load_corpus()
    assert len(corpus.answers) >= 150
    assert len(set(corpus.gold.values())) >= 8


def test_the_engine_groups_the_corpus_above_the_measured_floor() -> None:
    assert _ari(suggest_groups(load_corpus().answers)) >= ARI_FLOOR


def test_the_lexicon_and_the_engine_both_beat_the_frequent_word_floor() -> None:
    answers = load_corpus().answers
    engine = _ari(suggest_groups(answers))
    assert _ari(baseline(answers)) < 0.2 < engine
    assert _ari(suggest_groups(answers, lexicon=EMPTY)) < engine - 0.3


def test_answers_the_lexicon_was_not_written_for_still_group_above_their_floor() -> None:
    assert _ari(suggest_groups(load_corpus(HELD_OUT).answers), HELD_OUT) >= HELD_OUT_FLOOR
