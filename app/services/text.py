"""Cleaning the text people type: no control characters, no lone surrogates, NFC, a length cap."""

from __future__ import annotations

import re
import unicodedata

from app.i18n import N_, translate
from app.services.errors import InvalidInput

# Control characters other than line breaks and tabs have no place in stored text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Half of a UTF-16 pair, as a JSON "\ud800" escape can carry: no database can store it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class FieldInvalid(InvalidInput):
    """Bad text in one field; `field` is a marked (N_) Dutch label, translated with the rest."""

    def translated(self, lang: str) -> str:
        params = {**self.params, "field": translate(lang, str(self.params["field"]))}
        return translate(lang, self.msgid, **params)


def clean_text(raw: str, *, limit: int, field: str) -> str:
    """`field` is the field's Dutch label, marked with N_ so it is translated too."""
    if _SURROGATE.search(raw):
        raise FieldInvalid(N_("%(field)s bevat ongeldige tekens."), field=field)
    text = unicodedata.normalize("NFC", _CONTROL.sub("", raw)).strip()
    if len(text) > limit:
        raise FieldInvalid(
            N_("%(field)s is te lang: maximaal %(limit)s tekens."), field=field, limit=limit
        )
    return text


def is_plain(value: str) -> bool:
    """True if the text holds no control characters or surrogates (safe to look up as is)."""
    return not (_CONTROL.search(value) or _SURROGATE.search(value) or "\n" in value)


def owner_key(name: str | None, organisation: str | None) -> tuple[str, str]:
    """Who an agenda item belongs to, compared without case or stray spaces."""
    return _norm(name), _norm(organisation)


def _norm(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()
