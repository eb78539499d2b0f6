"""Languages: Dutch is the source (msgids are Dutch), English comes from a gettext catalogue.

See docs/i18n.md for adding a string, extracting, translating and compiling.
"""

from __future__ import annotations

import gettext
import io
import logging
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import HTTPConnection

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "nl"
# Each language named in itself, for the switch on every page.
LANGUAGES: dict[str, str] = {"nl": "Nederlands", "en": "English"}
COOKIE = "gk_lang"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where its reader is known."""
    return message


# Msgids: pages and mails translate them where the reader's language is known.
MONTHS = [
    N_("januari"), N_("februari"), N_("maart"), N_("april"), N_("mei"), N_("juni"),
    N_("juli"), N_("augustus"), N_("september"), N_("oktober"), N_("november"),
    N_("december"),
]  # fmt: skip


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an Accept-Language header; Dutch when none fits."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().split("-")[0].lower()
        if quality > 0 and primary:
            choices.append((-quality, index, primary))
    for _quality, _index, primary in sorted(choices):
        if primary in LANGUAGES:
            return primary
        if primary == "*":
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def language_of(connection: HTTPConnection) -> str:
    """The reader's language: the switch's cookie first, else the browser's preference."""
    chosen = connection.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return negotiate(connection.headers.get("accept-language"))


@cache
def translations_for(lang: str) -> gettext.NullTranslations:
    """The catalogue for a language; Dutch (and anything unknown) is the source text itself.

    The compiled .mo from `make catalogs` is used when it is at least as new as its .po.
    Otherwise (a fresh clone, `pytest` or `uvicorn` run without make, a .po edited after
    the last compile) the .po is compiled in memory: the app never serves stale English
    and never writes into its own source tree.
    """
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return gettext.NullTranslations()
    return load_catalogue(TRANSLATIONS_DIR / lang / "LC_MESSAGES", lang)


def load_catalogue(folder: Path, lang: str) -> gettext.GNUTranslations:
    """messages.mo from `folder` if it is up to date, else messages.po compiled in memory."""
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    log.info("compiling %s in memory (run `make catalogs` to compile it once)", po)
    with po.open("rb") as fp:
        catalog = read_po(fp, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as pybabel compile does
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translate(lang: str, message: str, /, **params: object) -> str:
    """A marked (N_) Dutch message in `lang`, with %(name)s placeholders filled in."""
    text = translations_for(lang).gettext(message)
    return text % params if params else text
