"""One row per actiepunt, shared by the CSV and XLSX exports; spreadsheet-safe text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.services.agenda_sheet import AgendaSheet

HEADERS = [
    "Nr",
    "Actiepunt",
    "Beschrijving",
    "Trekker",
    "Organisatie",
    "Datum",
    "Thema",
    "Niveau",
    "Status",
    "Stippen",
    "Notities",
    "Te laat",
]
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def neutralise(text: str) -> str:
    """Text that cannot run: a leading apostrophe makes Excel and LibreOffice read it as text."""
    return "'" + text if is_formula_like(text) else text


Cell = str | int | date | None


@dataclass(frozen=True)
class Row:
    cells: list[Cell]


def agenda_rows(sheet: AgendaSheet) -> list[Row]:
    """Items grouped by theme, in the order of the printed agenda."""
    rows: list[Row] = []
    number = 0
    for theme, views in sheet.themes:
        for view in views:
            number += 1
            item = view.item
            rows.append(
                Row(
                    cells=[
                        number,
                        item.title,
                        item.description,
                        item.owner_name,
                        item.owner_organisation,
                        item.due_date,
                        theme,
                        view.level_label,
                        view.status_label,
                        item.votes,
                        item.notes,
                        "ja" if view.overdue else "nee",
                    ]
                )
            )
    return rows
