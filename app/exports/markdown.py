"""Markdown: the doe-agenda as plain text that renders well and never runs as HTML."""

from __future__ import annotations

import re

from app.services.agenda_sheet import LOCAL_TZ, AgendaSheet, dutch_date
from app.services.dates import local_day

# CommonMark lets any ASCII punctuation be escaped with a backslash; these would otherwise
# start emphasis, links, HTML or tables.
EN_DASH = "\u2013"
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def escape(text: str | None) -> str:
    """One line of literal text: markup escaped, line breaks folded."""
    if not text:
        return ""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def agenda_md(sheet: AgendaSheet) -> str:
    w = sheet.workshop
    agenda = sheet.agenda
    out = [
        f"# Doe-agenda: {escape(w.title)}",
        "",
        f"- Schooljaar: {sheet.school_year.replace('-', EN_DASH)}",
        f"- Bijeenkomst van: {dutch_date(local_day(w.created_at, LOCAL_TZ))}",
    ]
    if w.organisation:
        out.append(f"- Organisatie: {escape(w.organisation)}")
    if sheet.organisations:
        # A nested list, not commas: organisation names contain commas themselves.
        out.append("- Aanwezige organisaties:")
        out += [f"  - {escape(o)}" for o in sheet.organisations]
    if agenda is not None:
        for label, day in (
            ("Start schooljaar", agenda.start_date),
            ("Tussentijdse check", agenda.checkin_date),
            ("Terugblik", agenda.review_date),
        ):
            if day is not None:
                out.append(f"- {label}: {dutch_date(day)}")
    out.append("")
    if not sheet.items:
        out += ["Nog geen actiepunten.", ""]
    for theme, views in sheet.themes:
        out += [f"## {escape(theme)}", ""]
        for view in views:
            item = view.item
            due = dutch_date(item.due_date) if item.due_date else "nog geen datum"
            late = " **(te laat)**" if view.overdue else ""
            out.append(f"### {escape(item.title)}")
            out.append("")
            out.append(f"- Trekker: {escape(view.owner)}")
            out.append(f"- Datum: {due}{late}")
            out.append(f"- Niveau: {view.level_label}")
            out.append(f"- Status: {view.status_label}")
            if item.votes:
                out.append(f"- Stippen: {item.votes}")
            if item.description:
                out.append(f"- Beschrijving: {escape(item.description)}")
            if item.notes:
                out.append(f"- Notities: {escape(item.notes)}")
            out.append("")
    matrix = sheet.matrix
    if matrix.rows:
        out += ["## Wie zijn aan zet?", ""]
        out.append("| Partner | " + " | ".join(label for _, label in matrix.columns) + " |")
        out.append("|---" * (len(matrix.columns) + 1) + "|")
        for row in matrix.rows:
            cells = ["; ".join(escape(v.item.title) for v in cell) for cell in row.cells]
            out.append(f"| {escape(row.partner)} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)
