"""CSV for Excel-NL: UTF-8 with a BOM, semicolons, ISO dates, formulas neutralised.

Why semicolons: Dutch Excel uses the comma as decimal separator and therefore ';' as the list
separator, so a comma-separated file opens as one column there; LibreOffice asks and detects
';' itself. The BOM makes Excel read UTF-8 (ë, é, emoji) instead of Windows-1252.
"""

from __future__ import annotations

import csv
import io

from app.exports.rows import HEADERS, agenda_rows, neutralise
from app.services.agenda_sheet import AgendaSheet

BOM = "\ufeff"


def agenda_csv(sheet: AgendaSheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in agenda_rows(sheet):
        writer.writerow(
            [
                "" if c is None else neutralise(c) if isinstance(c, str) else str(c)
                for c in row.cells
            ]
        )
    return (BOM + out.getvalue()).encode("utf-8")
