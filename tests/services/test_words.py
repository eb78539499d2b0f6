"""The word view: meaningful words and phrases counted per answer, and an SVG whose words
never overlap or leave the picture, with the words and counts as a table too."""

from __future__ import annotations

import itertools
import re

from app.services.words import Term, frequent_terms, word_cloud
from app.templating import ENVIRONMENTS
from tests.support.clustering import load_corpus

_VIEW = '{% from "partials/_word_view.html" import word_view %}{{ word_view(terms, "w-1") }}'


def _render(terms: list[Term], lang: str = "nl") -> str:
    return ENVIRONMENTS[lang].from_string(_VIEW).render(terms=terms)


def test_stop_words_are_out_and_a_word_counts_once_per_answer() -> None:
    terms = frequent_terms(["De wijkagent en de wijkagent", "wijkagent in de wijk", "Het is zo"])
    assert terms == [Term("wijkagent", 2), Term("wijk", 1)]


def test_inflections_merge_in_the_form_typed_most_often() -> None:
    terms = frequent_terms(["Ouders betrekken", "ouders bellen", "een ouder", "Mijn ouders"])
    assert terms[0] == Term("ouders", 4)


def test_a_name_keeps_its_capitals_and_a_sentence_start_loses_its_capital() -> None:
    terms = frequent_terms(["Pesten op TikTok", "Veel pesten. Pesten op TikTok"])
    assert Term("pesten", 2) in terms and Term("TikTok", 2) in terms


def test_a_phrase_needs_two_answers_and_its_words_are_not_listed_twice() -> None:
    texts = ["Sociale media en de klas", "sociale media", "Social media thuis", "media"]
    # "Social" shares the stem of "sociale"; "media" is used alone too, "sociale" never.
    assert frequent_terms(texts)[:3] == [
        Term("media", 4), Term("sociale media", 3, phrase=True), Term("klas", 1),
    ]  # fmt: skip
    assert all(t.phrase for t in frequent_terms(["sociale media"] * 2))
    assert not any(t.phrase for t in frequent_terms(["sociale media"]))


def test_a_stop_word_breaks_a_phrase() -> None:
    terms = frequent_terms(["contact met ouders", "contact met ouders"])
    assert all(not t.phrase for t in terms)


def test_the_list_is_cut_at_the_limit_most_used_first() -> None:
    terms = frequent_terms([t for _, t in load_corpus().answers], limit=10)
    assert len(terms) == 10
    assert [t.count for t in terms] == sorted((t.count for t in terms), reverse=True)
    assert terms[0].count >= 10


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_placed_words_never_overlap_and_stay_inside_the_picture() -> None:
    terms = frequent_terms([t for _, t in load_corpus().answers], limit=60)
    terms.append(Term("een heel lang samengesteld woord " * 4, 30, phrase=True))
    cloud = word_cloud(terms)
    assert len(cloud.terms) == len(terms)
    for a, b in itertools.combinations(cloud.terms, 2):
        assert not _overlap(a.box, b.box), (a.text, b.text)
    for t in cloud.terms:
        left, top, right, bottom = t.box
        assert left >= 0 and right <= cloud.width and top >= 0 and bottom <= cloud.height
    assert word_cloud(terms) == cloud  # the same terms, the same picture


def test_the_svg_escapes_words_fixes_their_width_and_has_a_table() -> None:
    terms = [Term("<script>alert(1)</script>", 3), Term("wijkagent", 2), Term("ouders", 1)]
    html = _render(terms)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg and 'role="img"' in svg.group(0) and 'aria-labelledby="w-1-title"' in svg.group(0)
    # Every word is drawn at its computed width, so the computed boxes are the drawn ones.
    drawn = re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" font-size="([\d.]+)" textLength="([\d.]+)"',
        svg.group(0),
    )
    assert len(drawn) == 3
    boxes = [(float(x), float(y) - float(s), float(x) + float(w), float(y)) for x, y, s, w in drawn]
    assert not any(_overlap(a, b) for a, b in itertools.combinations(boxes, 2))
    assert '<th scope="row">wijkagent</th><td>2</td>' in html
    assert '<th scope="col">Woord of woordgroep</th>' in html


def test_no_terms_say_so_in_words_in_each_language() -> None:
    assert "<svg" not in _render([]) and "Nog geen woorden" in _render([])
    assert "No words yet" in _render([], "en")
