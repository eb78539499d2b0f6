"""Agenda exports: golden CSV, ICS and Markdown; XLSX read back; PDF text checked."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from app.exports import csv_export, markdown, pdf, xlsx
from app.exports.rows import HEADERS, neutralise
from app.services import ics
from app.services.agenda_sheet import AgendaSheet
from tests.exports.conftest import FORMULA_TITLE, SCRIPT, golden

DTSTAMP = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_csv_matches_the_golden_file(sheet: AgendaSheet) -> None:
    assert csv_export.agenda_csv(sheet) == golden("agenda.csv")


def test_csv_is_excel_nl_friendly_and_neutralises_formulas(sheet: AgendaSheet) -> None:
    raw = csv_export.agenda_csv(sheet)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADERS
    assert len(rows) == 1 + len(sheet.items)
    formula = next(r for r in rows if FORMULA_TITLE in r[1])
    assert formula[1] == "'" + FORMULA_TITLE
    assert formula[2:5] == ["'+31 6 12345678", "'-Ahmed", "'@Gemeente"]
    assert formula[5] == "2027-02-10"
    cells = [c for r in rows[1:] for c in r]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert any(c == SCRIPT for c in cells)


def test_ics_matches_the_golden_file(sheet: AgendaSheet) -> None:
    assert ics.agenda_ics(sheet, uid_domain="example.org", dtstamp=DTSTAMP) == golden("agenda.ics")


def test_ics_has_an_event_per_dated_item_and_the_meetings(sheet: AgendaSheet) -> None:
    cal = Calendar.from_ical(ics.agenda_ics(sheet, uid_domain="example.org", dtstamp=DTSTAMP))
    events = list(cal.walk("VEVENT"))
    dated = [v for v in sheet.items if v.item.due_date is not None]
    assert len(events) == len(dated) + 3
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    summaries = {str(e["SUMMARY"]) for e in events}
    assert f"Actiepunt: {SCRIPT}" in summaries
    visie = next(e for e in events if "Gedeelde visie" in str(e["SUMMARY"]))
    assert visie.decoded("DTSTART").isoformat() == "2026-11-01"
    assert "Trekker: Sanne · OBS De Linde" in str(visie["DESCRIPTION"])
    assert any("Terugblik" in s for s in summaries)


def test_markdown_matches_the_golden_file(sheet: AgendaSheet) -> None:
    assert markdown.agenda_md(sheet) == golden("agenda.md").decode("utf-8")


def test_markdown_shows_html_as_text(sheet: AgendaSheet) -> None:
    text = markdown.agenda_md(sheet)
    assert "<script>" not in text
    assert r"\<script\>alert(1)\</script\>" in text


def test_xlsx_reads_back_with_dates_and_no_formulas(sheet: AgendaSheet) -> None:
    book = load_workbook(io.BytesIO(xlsx.agenda_xlsx(sheet)))
    ws = book["Doe-agenda"]
    rows = list(ws.iter_rows(min_row=1))
    assert [c.value for c in rows[0]] == HEADERS
    assert len(rows) == 1 + len(sheet.items)
    by_title = {r[1].value: r for r in rows[1:]}
    visie = by_title["Gedeelde visie op sociale veiligheid opschrijven"]
    assert (
        isinstance(visie[5].value, datetime) and visie[5].value.date().isoformat() == "2026-11-01"
    )
    assert visie[5].is_date
    formula = by_title[FORMULA_TITLE]
    for cell in formula[1:5]:
        assert cell.data_type == "s" and cell.quotePrefix
    assert formula[3].value == "-Ahmed"
    assert all(c.data_type != "f" for r in rows for c in r)
    assert SCRIPT in by_title
    # Printed: landscape, one page wide, the header row repeated.
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"


def test_pdf_text_has_the_agenda_in_dutch(sheet: AgendaSheet) -> None:
    reader = PdfReader(io.BytesIO(pdf.agenda_pdf(sheet)))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for expected in (
        "Doe-agenda",
        "Regiobijeenkomst Sociale veiligheid",
        "Schooljaar 2026\u20132027",
        "15 september 2026",
        # A list, not commas: names contain commas themselves.
        "Aanwezige organisaties",
        "Visie en ambitie",
        "Trekker: Sanne · OBS De Linde",
        "Datum: 1 november 2026 te laat",
        "Wat te doen bij incidenten",
        "Wie zijn aan zet?",
        SCRIPT,
        FORMULA_TITLE,
    ):
        assert expected in flat, expected
    assert "Gemeente Utrecht, OBS De Linde" not in flat
    for org in ("Gemeente Utrecht", "OBS De Linde", "Politie Midden-Nederland"):
        assert org in flat
    # Printed items are numbered in reading order and the matrix refers to them by number.
    numbers = sheet.numbers
    assert sorted(numbers.values()) == list(range(1, len(sheet.items) + 1))
    first_theme_first_item = sheet.themes[0][1][0]
    assert numbers[first_theme_first_item.id] == 1
    assert f"1. {first_theme_first_item.item.title}" in flat
    assert "De nummers verwijzen naar de actiepunten hierboven" in flat
    overdue = next(v for v in sheet.items if v.overdue and v.item.owner_organisation)
    assert f"{numbers[overdue.id]}!" in flat


def test_neutralise_leaves_ordinary_text_alone() -> None:
    assert neutralise("Ouders betrekken") == "Ouders betrekken"
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\t=1") == "'\t=1"
