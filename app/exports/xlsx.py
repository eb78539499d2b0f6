"""XLSX: one row per item, dates as real dates, text that can never run as a formula."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.exports.rows import HEADERS, agenda_rows
from app.services.agenda_sheet import AgendaSheet

WIDTHS = [5, 40, 50, 20, 24, 12, 30, 24, 10, 8, 40, 8]


def agenda_xlsx(sheet: AgendaSheet) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "Doe-agenda"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in agenda_rows(sheet):
        ws.append([None] * len(row.cells))
        r = ws.max_row
        for c, value in enumerate(row.cells, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                # Stored as a string cell with Excel's "typed with an apostrophe" flag: shown
                # exactly as written, and it stays text when someone edits it.
                cell.value = value
                cell.data_type = "s"
                cell.quotePrefix = True
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "DD-MM-YYYY"
            else:
                cell.value = value
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    # Printed from Excel or LibreOffice: landscape, every column on one page width, the
    # header row on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
