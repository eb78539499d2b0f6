"""The Jinja environments: pages and live fragments render from the same templates.

One Environment per language, sharing one loader. Each gets its own gettext callables at
start-up and is never changed afterwards, so concurrent renders in worker threads (the
hub renders fragments off the event loop) cannot see another language's translations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.background import BackgroundTask
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import HTMLResponse

from app.decks import served_deck
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, MONTHS, language_of, translations_for
from app.models import Domain
from app.services import charts, words
from app.services.dates import local_day
from app.services.domains import DOMAIN_LABELS
from app.services.privacy import purge_date
from app.services.roster import ROLES
from app.services.wall import MODE_LABELS, ORDER_LABELS

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
_LOADER = FileSystemLoader(TEMPLATES_DIR)


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


def _local_time(value: datetime | None) -> str:
    """A clock time as people in the room read it (Europe/Amsterdam), not UTC."""
    return "" if value is None else value.astimezone(LOCAL_TZ).strftime("%H:%M:%S")


def _school_year(value: str) -> str:
    return value.replace("-", "\u2013")


def _switch_url(request: Request, lang: str) -> str:
    """This page's local URL with ?lang=; the switch middleware sets the cookie and comes back.

    A page shown in answer to a form post (a form with an error) switches on the page the
    form came from, as a GET to the post's URL would not show it.
    """
    url = request.url
    if request.method != "GET":
        referer = urlsplit(request.headers.get("referer", ""))
        url = URL(f"/{referer.path.lstrip('/')}?{referer.query}")
        if referer.netloc != request.url.netloc:
            url = URL("/")
    query = [(k, v) for k, v in parse_qsl(url.query, keep_blank_values=True) if k != "lang"]
    query.append(("lang", lang))
    return "/" + url.path.lstrip("/") + "?" + urlencode(query)


def _build(lang: str) -> Environment:
    env = Environment(
        loader=_LOADER,
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the release: checking each file's mtime on every render cost
        # about 5 % of a busy worker's CPU. Restart the server after editing a template.
        auto_reload=False,
    )
    translations = translations_for(lang)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    gettext: Callable[[str], str] = translations.gettext

    def domain_label(value: Domain | str) -> str:
        label = DOMAIN_LABELS.get(Domain(value))
        return gettext(label) if label else str(value)

    def local_date(value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = local_day(value, LOCAL_TZ)
        return f"{value.day} {gettext(MONTHS[value.month - 1])} {value.year}"

    def domain_bars(counts: list[tuple[Domain, int]]) -> charts.HBarChart:
        return charts.horizontal_bars([(d.value, domain_label(d), n) for d, n in counts])

    def decimal(value: float | None) -> str:
        return charts.decimal(value, lang)

    def role_label(value: str | None) -> str:
        return gettext(ROLES[value][0]) if value in ROLES else ""

    env.filters["domain_label"] = domain_label
    env.filters["role_label"] = role_label
    env.globals["served_deck"] = served_deck
    env.globals["roles"] = [(key, gettext(label)) for key, (label, _d) in ROLES.items()]
    env.filters["decimal"] = decimal
    env.globals["domain_bars"] = domain_bars
    env.globals["wall_modes"] = list(MODE_LABELS.items())
    env.globals["wall_orders"] = list(ORDER_LABELS.items())
    env.globals["scale_bars"] = charts.stacked_rows
    env.globals["word_cloud"] = words.word_cloud
    env.filters["nl_date"] = local_date  # the name is historical: the date in the page's language
    env.filters["iso"] = _iso
    env.filters["local_time"] = _local_time
    env.filters["school_year"] = _school_year
    env.filters["purge_date"] = purge_date
    env.globals["domains"] = [(d, gettext(label)) for d, label in DOMAIN_LABELS.items()]
    env.globals["lang"] = lang
    env.globals["languages"] = list(LANGUAGES.items())
    env.globals["switch_url"] = _switch_url
    return env


ENVIRONMENTS: dict[str, Environment] = {lang: _build(lang) for lang in LANGUAGES}
# The Dutch (source-language) environment, for code that renders without a reader.
# Add filters and globals in _build, never to `env` alone: English pages would lack them
# (tests/test_i18n.py checks that every environment has the same ones).
env = ENVIRONMENTS[DEFAULT_LANGUAGE]


def environment(lang: str) -> Environment:
    return ENVIRONMENTS.get(lang, env)


class LocalizedTemplates:
    """Jinja2Templates that render in the language of the request's reader."""

    def __init__(self) -> None:
        self._by_lang = {lang: Jinja2Templates(env=e) for lang, e in ENVIRONMENTS.items()}

    def TemplateResponse(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> HTMLResponse:
        templates = self._by_lang[language_of(request)]
        return templates.TemplateResponse(
            request,
            name,
            context,
            status_code=status_code,
            headers=headers,
            media_type=media_type,
            background=background,
        )


templates = LocalizedTemplates()
