"""Dutch analysis for grouping: stop words, stems, compounds, typos, phrases, and the lexicon
file refused with a clear message when it is broken."""

from __future__ import annotations

import pytest

from app.services.grouping.dutch import Analyser, Word, fold, vocabulary_of
from app.services.grouping.lexicon import (
    EMPTY,
    Concept,
    Lexicon,
    LexiconError,
    load_lexicon,
    parse_lexicon,
)

LEXICON = Lexicon(
    concepts=(
        Concept("Politie", ("politie", "wijkagent", "agent", "boa")),
        Concept("Online", ("groepsapp", "app", "sociale media", "sexting")),
        Concept("Wapens", ("wapen", "mes")),
    ),
    parts=("groep", "jeugd", "school"),
)


def _words(text: str, vocabulary: frozenset[str] = frozenset()) -> list[Word]:
    return [w for w in Analyser(LEXICON).words(text, vocabulary) if w is not None]


def test_accents_and_case_fold_away() -> None:
    assert fold("Coördinatie CREËER") == "coordinatie creeer"


def test_stop_words_leave_gaps_and_inflections_share_a_stem() -> None:
    words = Analyser(EMPTY).words("De ouders en het gezin, ouder")
    assert [w.key if w else None for w in words] == [None, "ouders", None, None, "gezin", "ouder"]
    assert words[1] is not None and words[5] is not None and words[1].stem == words[5].stem


def test_a_compound_is_cut_into_known_words_and_takes_its_heads_concept() -> None:
    (jeugdagent,) = _words("jeugdagent")
    assert jeugdagent.parts == ("jeugd", "agent")
    assert jeugdagent.concept == 0
    (groepsapp,) = _words("groepsapp")  # linking "s"
    assert groepsapp.parts == ("groep", "app") and groepsapp.concept == 1


def test_a_compound_may_be_cut_into_words_the_other_answers_use() -> None:
    assert _words("fietsenstalling")[0].parts == ()  # neither part is in the lexicon
    (cut,) = _words("fietsenstalling", vocabulary_of(["Fiets", "de stalling"]))
    assert cut.parts == ("fiet", "stal")  # linking "en"; the stems of "fiets" and "stalling"


def test_a_lexicon_head_marks_an_unknown_compound() -> None:
    (word,) = _words("steekwapens")
    assert word.concept == 2


def test_one_typing_slip_in_a_long_word_is_forgiven_but_not_in_a_short_one() -> None:
    (typo,) = _words("wijkagnet")
    assert typo.concept == 0 and typo.key == "wijkagent"
    assert _words("bao")[0].concept is None


def test_a_phrase_gives_its_words_the_concept_only_when_adjacent() -> None:
    assert {w.concept for w in _words("Sociale media")} == {1}
    assert {w.concept for w in _words("sociale en andere media")} == {None}


def test_a_plural_the_stemmer_keeps_apart_still_finds_its_term() -> None:
    plural, singular = _words("wapens wapen")
    assert plural.concept == singular.concept == 2 and plural.stem == singular.stem


def test_a_run_of_letters_longer_than_any_word_is_skipped() -> None:
    assert _words("a" * 5000 + " politie")[0].key == "politie"


def test_the_shipped_lexicon_loads() -> None:
    lexicon = load_lexicon()
    assert len(lexicon.concepts) >= 8
    names = {c.name for c in lexicon.concepts}
    assert {"Politie en handhaving", "Online en sociale media", "Pesten"} <= names


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("concepts: [", "lex.yaml: not valid YAML"),
        ("- a", "lex.yaml: expected a mapping with a list 'concepts'"),
        ("concepts: []\nwords: []", "lex.yaml: unknown field(s) words"),
        ("concepts:\n  - name: A", "lex.yaml, concept 1: needs exactly 'name' and 'terms'"),
        ("concepts:\n  - {name: '', terms: [a]}", "lex.yaml, concept 1: 'name' must be 1 to 40"),
        ("concepts:\n  - {name: A, terms: []}", "lex.yaml, concept 'A': no terms"),
        ("concepts:\n  - {name: A, terms: a}", "lex.yaml, concept 'A': expected a list of words"),
        (
            "concepts:\n  - {name: A, terms: [Politie]}",
            "lex.yaml, concept 'A': term 'Politie' must be lower-case words",
        ),
        (
            "concepts:\n  - {name: A, terms: [boa]}\n  - {name: B, terms: [mes, boa]}",
            "lex.yaml, concept 'B': term 'boa' is already in concept 'A'",
        ),
        (
            "concepts:\n  - {name: A, terms: [boa]}\n  - {name: A, terms: [mes]}",
            "lex.yaml, concept 'A': the name is used twice",
        ),
    ],
)
def test_a_broken_lexicon_is_refused_naming_file_and_concept(text: str, message: str) -> None:
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(text, filename="lex.yaml")
    assert str(caught.value).startswith(message)


def test_a_phrase_term_with_a_hyphen_is_accepted() -> None:
    lexicon = parse_lexicon(
        "concepts:\n  - {name: A, terms: [anti-pestcoördinator, sociale media]}\nparts: [groep]",
        filename="lex.yaml",
    )
    assert lexicon.concepts[0].terms == ("anti-pestcoördinator", "sociale media")
    assert lexicon.parts == ("groep",)
