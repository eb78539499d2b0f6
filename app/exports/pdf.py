"""PDF through WeasyPrint, from the same Jinja templates and partials as the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from weasyprint import HTML, URLFetcher

from app.exports.report import AnswersReport
from app.services.agenda_sheet import AgendaSheet
from app.templating import env

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"


class LocalOnly(URLFetcher):  # type: ignore[misc]
    """A PDF is made without any network request: only our own static files load."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith(STATIC_DIR.as_uri() + "/"):
            raise ValueError(f"refusing to fetch {url!r} while making a PDF")
        return super().fetch(url, headers)


def _pdf(template: str, **context: Any) -> bytes:
    html = env.get_template(template).render(**context)
    document = HTML(
        string=html,
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=LocalOnly(allowed_protocols=("file",)),
    )
    pdf: bytes = document.write_pdf()
    return pdf


def agenda_pdf(sheet: AgendaSheet) -> bytes:
    return _pdf("exports/agenda_print.html", sheet=sheet)


def answers_pdf(report: AnswersReport) -> bytes:
    return _pdf("exports/answers_print.html", report=report)
