"""A record of every answer, per theme and prompt (what the room could see), as Markdown."""

from __future__ import annotations

from app.exports.markdown import escape
from app.services.agenda_sheet import LOCAL_TZ, dutch_date
from app.services.dates import local_day
from app.services.report import AnswersReport


def answers_md(report: AnswersReport) -> str:
    w = report.workshop
    out = [
        f"# Verslag van de antwoorden: {escape(w.title)}",
        "",
        f"- Schooljaar: {w.school_year}",
        f"- Bijeenkomst van: {dutch_date(local_day(w.created_at, LOCAL_TZ))}",
        f"- Deelnemers: {report.participants}",
        "",
    ]
    for theme in report.themes:
        out += [f"## {escape(theme.title)}", ""]
        for prompt in theme.prompts:
            out += [f"### {escape(prompt.text)}", ""]
            if prompt.derived_from is not None:
                origin = f": {escape(prompt.derived_from)}" if prompt.derived_from else ""
                out += [f"*Afgeleide vraag, niet letterlijk van de kaart{origin}*", ""]
            if prompt.own:
                out += ["*Eigen vraag, niet van de kaart*", ""]
            if prompt.kind == "scale":
                out.append(" · ".join(f"{v}: {n}" for v, n in prompt.distribution))
            elif not prompt.answers:
                out.append("Geen antwoorden.")
            for a in prompt.answers if prompt.kind != "scale" else []:
                extra = f", +{a.plus_ones}" if a.plus_ones else ""
                out.append(f"- {escape(a.text)} ({a.domain}{extra})")
            out.append("")
    return "\n".join(out)
