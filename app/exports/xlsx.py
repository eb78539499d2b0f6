"""XLSX: one row per item, dates as real dates, text that can never run as a formula."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
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
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "DD-MM-YYYY"
            else:
                cell.value = value
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
