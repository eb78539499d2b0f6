"""The suggested groups engine: deterministic, each answer once, readable labels, robust to odd
answers, and new answers that join the group they belong to."""

from __future__ import annotations

import random

from app.services.grouping import MAX_LABEL, best_group, suggest_groups
from tests.support.clustering import adjusted_rand_index, load_corpus, predicted_labels


def _by_member(groups: list, answer_id: int) -> str:  # type: ignore[type-arg]
    return next(g.label for g in groups if answer_id in g.answer_ids)


def test_the_corpus_in_any_order_gives_the_same_groups() -> None:
    answers = list(load_corpus().answers)
    first = suggest_groups(answers)
    for seed in range(3):
        random.Random(seed).shuffle(answers)
        assert suggest_groups(answers) == first


def test_each_answer_is_in_at_most_one_group_and_groups_have_two_or_more() -> None:
    answers = load_corpus().answers
    groups = suggest_groups(answers)
    ids = [i for g in groups for i in g.answer_ids]
    assert len(ids) == len(set(ids))
    assert set(ids) <= {i for i, _ in answers}
    assert all(len(g.answer_ids) >= 2 for g in groups)
    assert all(list(g.answer_ids) == sorted(g.answer_ids) for g in groups)


def test_labels_are_short_distinct_and_name_the_lexicon_concept() -> None:
    answers = load_corpus().answers
    groups = suggest_groups(answers)
    labels = [g.label for g in groups]
    assert all(0 < len(label) <= MAX_LABEL and label[0].isupper() for label in labels)
    assert len(set(labels)) == len(labels)
    text = {t: i for i, t in answers}
    assert _by_member(groups, text["wijkagent"]) == "Politie en handhaving"
    assert _by_member(groups, text["pesten"]) == "Pesten"


def test_paraphrases_without_a_shared_word_land_together() -> None:
    groups = suggest_groups(
        [
            (1, "BOA's bij het winkelcentrum"),
            (2, "De jeugdagent vaker in de school"),
            (3, "Naaktfoto's in appgroepen"),
            (4, "Sexting op TikTok"),
            (5, "Spijbelen in de eerste uren"),
            (6, "Thuiszitters waar niemand naar omkijkt"),
        ]
    )
    assert sorted(g.answer_ids for g in groups) == [(1, 2), (3, 4), (5, 6)]


def test_empty_emoji_stopword_and_very_long_answers_stay_ungrouped() -> None:
    odd = [
        (1, ""),
        (2, "😀😀🙈"),
        (3, "Dat is het niet, maar wel iets meer van wat we doen"),
        (4, "1234 !!! ??"),
        (5, "x" * 20_000),
    ]
    real = [(10, "pesten op het plein"), (11, "Gepest worden in de klas")]
    assert suggest_groups(odd) == []
    groups = suggest_groups(odd + real)
    assert [g.answer_ids for g in groups] == [(10, 11)]


def test_a_long_answer_in_many_words_still_joins_its_topic() -> None:
    long = "Het pesten " + " ".join(f"woord{chr(97 + i % 26)}{i}" for i in range(2000))
    groups = suggest_groups([(1, long), (2, "Pesten"), (3, "cyberpesten via de telefoon")])
    assert groups and 2 in groups[0].answer_ids


def test_the_same_id_twice_is_grouped_once() -> None:
    groups = suggest_groups([(1, "pesten"), (1, "pesten in de klas"), (2, "pesten")])
    ids = [i for g in groups for i in g.answer_ids]
    assert ids == [1, 2]


def test_one_more_answer_moves_almost_nothing() -> None:
    answers = list(load_corpus().answers)
    before = suggest_groups(answers)
    after = suggest_groups([*answers, (999, "Meer jeugdagenten rond de school")])
    ids = [i for i, _ in answers]
    old = predicted_labels(ids, [g.answer_ids for g in before])
    new = predicted_labels(ids, [g.answer_ids for g in after])
    assert adjusted_rand_index(old, new) >= 0.9


def test_a_new_paraphrase_joins_the_right_existing_group() -> None:
    corpus = load_corpus()
    text = dict(corpus.answers)
    groups = suggest_groups(corpus.answers)
    texts = [[text[i] for i in g.answer_ids] for g in groups]
    labels = [g.label for g in groups]
    new = {
        "De wijkagnet moet vaker binnenlopen": "Politie en handhaving",
        "Kinderen die snapchatten tot diep in de nacht": "Online en sociale media",
        "Spijbelgedrag samen met de leerplichtambtenaar aanpakken": "Verzuim en leerplicht",
        "Dealers die jonge kinderen als koerier gebruiken": "Drugs, alcohol en vapes",
        "Hoe betrekken we vaders en moeders erbij?": "Ouders betrekken",
        "Steekwapens in tassen": "Wapens en geweld",
    }
    for answer, label in new.items():
        index = best_group(answer, texts)
        assert index is not None and labels[index] == label, answer


def test_a_new_answer_like_no_group_joins_none() -> None:
    texts = [["pesten op het plein", "gepest worden"], ["de wijkagent", "meer politie"]]
    assert best_group("Koffie en koekjes bij de start", texts) is None
    assert best_group("", texts) is None
    assert best_group("😀", texts) is None
    assert best_group("pesten", []) is None
    assert best_group("pesten", [[], ["pesten in de klas"]]) == 1
