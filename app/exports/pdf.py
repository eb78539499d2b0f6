"""PDF through WeasyPrint, from the same Jinja templates and partials as the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from weasyprint import HTML, URLFetcher

from app.services.agenda_sheet import AgendaSheet
from app.services.pdf_cache import AGENDA_PDFS
from app.services.report import AnswersReport
from app.templating import env

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"
# Linked from the print templates; part of what a cached PDF was made from. Read once: it
# ships with the release, like the templates.
PRINT_CSS = (STATIC_DIR / "print.css").read_text(encoding="utf-8")


class LocalOnly(URLFetcher):  # type: ignore[misc]
    """A PDF is made without any network request: only our own static files load."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith(STATIC_DIR.as_uri() + "/"):
            raise ValueError(f"refusing to fetch {url!r} while making a PDF")
        return super().fetch(url, headers)


def _html(template: str, **context: Any) -> str:
    return env.get_template(template).render(**context)


def printed(html: str) -> HTML:
    """The print document, before it is laid out (tests look at its pages)."""
    return HTML(
        string=html,
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=LocalOnly(allowed_protocols=("file",)),
    )


def _pdf(html: str) -> bytes:
    pdf: bytes = printed(html).write_pdf()
    return pdf


def agenda_pdf(sheet: AgendaSheet) -> bytes:
    """Made again only when the printed HTML changed (app/services/pdf_cache.py)."""
    html = _html("exports/agenda_print.html", sheet=sheet)
    assert sheet.workshop.id is not None
    source = html + PRINT_CSS
    return AGENDA_PDFS.get_or_make(sheet.workshop.id, source, lambda: _pdf(html))


def answers_pdf(report: AnswersReport) -> bytes:
    return _pdf(_html("exports/answers_print.html", report=report))
