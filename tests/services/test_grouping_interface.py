"""The grouping interface the routes rely on: each answer in at most one group, deterministic."""

from app.services.grouping import suggest_groups

ANSWERS = [
    (1, "De wijkagent komt vaker langs bij school"),
    (2, "Wijkagent zichtbaar op het plein"),
    (3, "Sexting in de klas bespreken"),
    (4, "Sexting en de groepsapp"),
    (5, "Iets heel anders"),
]


def test_each_answer_is_in_at_most_one_group() -> None:
    groups = suggest_groups(ANSWERS)
    ids = [i for g in groups for i in g.answer_ids]
    assert len(ids) == len(set(ids))
    assert {1, 2} <= set(ids) and {3, 4} <= set(ids)


def test_the_same_answers_in_another_order_give_the_same_groups() -> None:
    assert suggest_groups(ANSWERS) == suggest_groups(list(reversed(ANSWERS)))


def test_no_answers_no_groups() -> None:
    assert suggest_groups([]) == []


def test_a_new_answer_joins_the_group_it_shares_words_with() -> None:
    from app.services.grouping import best_group

    groups = [["Sexting in de klas bespreken"], ["De wijkagent komt vaker langs"]]
    assert best_group("Meer contact met de wijkagent", groups) == 1
    assert best_group("Iets totaal anders", groups) is None
