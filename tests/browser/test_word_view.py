"""The word view as Chromium draws it: with the reader's real font, every word's drawn box
stays inside the picture and apart from every other word (the widths are fixed with
textLength, so the font cannot push a word into its neighbour)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from app.services.words import Term, frequent_terms
from app.templating import ENVIRONMENTS
from tests.support.clustering import load_corpus

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "static"
_VIEW = '{% from "partials/_word_view.html" import word_view %}{{ word_view(terms, "w") }}'


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    )


@pytest.mark.parametrize("width", [320, 1280])
def test_drawn_words_never_overlap_or_leave_the_picture(browser: Browser, width: int) -> None:
    terms = frequent_terms([t for _, t in load_corpus().answers], limit=50)
    terms += [Term("WWWWWWWW MMMMMMMM", 3, phrase=True), Term("iiiiiiiiiiii", 2)]
    view = ENVIRONMENTS["nl"].from_string(_VIEW).render(terms=terms)
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.set_content(f"<!doctype html><html lang=nl><style>{css}</style><body>{view}</body>")
        # Boxes in the SVG's own units: the viewBox, whatever size the page gives it.
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('svg.word-cloud text')].map(t => {
                 const b = t.getBBox(); return {x: b.x, y: b.y, width: b.width, height: b.height};
               })"""
        )
        view_box = page.evaluate(
            """() => { const v = document.querySelector('svg.word-cloud').viewBox.baseVal;
                       return {width: v.width, height: v.height}; }"""
        )
    finally:
        page.close()
    assert len(boxes) == len(terms)
    for box in boxes:
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= view_box["width"] + 0.5
        assert box["y"] + box["height"] <= view_box["height"] + 0.5
    for a, b in itertools.combinations(boxes, 2):
        assert not _overlap(a, b), (a, b)
