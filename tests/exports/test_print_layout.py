"""The printed agenda reads across pages: no card or matrix row split over two pages, and
the matrix's header row on every page it spans."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlmodel import Session

from app.agenda_models import AgendaLevel
from app.decks import Deck
from app.exports.pdf import _html, printed
from app.services.agenda_sheet import load_sheet
from tests.factories import make_item, make_user, make_workshop


def _boxes(box: Any, header: bool = False) -> Iterator[tuple[Any, bool]]:
    """Every box on a page, with whether it sits in a table's header row group."""
    header = header or bool(getattr(box, "is_header", False))
    yield box, header
    for child in getattr(box, "children", []):
        yield from _boxes(child, header)


def _classes(box: Any) -> str:
    element = getattr(box, "element", None)
    return "" if element is None else element.get("class", "")


def test_many_items_print_without_split_rows_and_with_repeated_headers(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    levels = list(AgendaLevel)
    for i in range(45):
        make_item(
            session, workshop=workshop, title=f"Actiepunt {i} met een titel van een paar woorden",
            description="Regel een\nregel twee\nregel drie", owner_name=f"Trekker {i % 7}",
            owner_organisation=f"Partner {i % 21} met een lange naam die over regels loopt",
            due_date=date(2027, 1 + i % 6, 1 + i % 27), theme_key=str(1 + i % 6),
            theme_title=f"Thema {1 + i % 6}", level=levels[i % 3],
        )  # fmt: skip
    sheet = load_sheet(session=session, workshop=workshop, today=date(2026, 12, 1))
    pages = printed(_html("exports/agenda_print.html", sheet=sheet)).render().pages
    assert len(pages) > 3
    seen: dict[int, set[int]] = {}  # element -> pages it is on
    matrix_pages: list[int] = []
    headers_on: set[int] = set()
    for number, page in enumerate(pages):
        for box, in_header in _boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is None:
                continue
            if element.tag == "tr" and in_header:
                headers_on.add(number)
            elif element.tag == "tr":
                seen.setdefault(id(element), set()).add(number)
                if number not in matrix_pages:
                    matrix_pages.append(number)
            elif element.tag == "li" and "agenda-card" in _classes(box):
                seen.setdefault(id(element), set()).add(number)
    assert seen and all(len(on) == 1 for on in seen.values()), "a card or row was split"
    assert len(matrix_pages) > 1, "the test needs a matrix over more than one page"
    assert set(matrix_pages) <= headers_on
