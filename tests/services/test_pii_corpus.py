"""The guard on the labelled corpus (tests/corpora/pii_nl.yaml): a quality floor, not a timing.

The thresholds are the figures measured when the corpus was written (recall 100 %, false
positives 0 %, tests/bench/pii.py), less a margin of two answers each way so a new sentence in
the corpus can be added before the rule that catches it.
"""

from __future__ import annotations

from app.services.pii import find_personal_data
from tests.bench import pii_old
from tests.support.pii_corpus import TODAY, load, measure

MIN_RECALL = 0.98
MAX_FALSE_POSITIVE_RATE = 0.015


def test_the_corpus_is_big_enough_and_covers_the_issue() -> None:
    corpus = load()
    assert len(corpus) >= 200
    groups = {e.group for e in corpus}
    for group in ("bsn", "phone", "email", "birth_date", "address", "name_with_role",
                  "name_without_role", "capitalised_before_role_word",
                  "meeting_and_deadline_dates", "years_and_numbers", "service_numbers",
                  "organisations_schools_places"):  # fmt: skip
        assert group in groups


def test_the_guard_finds_personal_data_and_leaves_ordinary_answers_alone() -> None:
    figures = measure(lambda text: bool(find_personal_data(text, today=TODAY)), load())
    missed = [e.text for e in figures.missed]
    false_alarms = [e.text for e in figures.false_alarms]
    assert figures.recall >= MIN_RECALL, missed
    assert figures.false_positive_rate <= MAX_FALSE_POSITIVE_RATE, false_alarms


def test_the_old_guard_is_below_the_floor() -> None:
    """The floor means something: the guard before issue 13 does not reach it."""
    figures = measure(lambda text: bool(pii_old.find_personal_data(text, today=TODAY)), load())
    assert figures.recall < MIN_RECALL
    assert figures.false_positive_rate > MAX_FALSE_POSITIVE_RATE
