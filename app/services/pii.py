"""Personal-data guard: does an answer look like it holds data about one person?

A warning, not a filter: it finds BSNs (11-proef, python-stdnum), phone numbers, e-mail
addresses, dates of birth, addresses and postcodes, and first names (deduce's Dutch lists) or
names next to words like "leerling". The participant may edit or send anyway; what is sent
anyway is held for review. Measured on tests/corpora/pii_nl.yaml (tests/bench/pii.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from enum import StrEnum

from stdnum.nl import bsn as stdnum_bsn

from app.i18n import N_
from app.services import pii_rules as rules


class PiiKind(StrEnum):
    bsn = "bsn"
    phone = "phone"
    email = "email"
    birth_date = "birth_date"
    address = "address"
    name = "name"


LABELS: dict[PiiKind, str] = {
    PiiKind.bsn: N_("een burgerservicenummer (BSN)"),
    PiiKind.phone: N_("een telefoonnummer"),
    PiiKind.email: N_("een e-mailadres"),
    PiiKind.birth_date: N_("een geboortedatum"),
    PiiKind.address: N_("een adres of postcode"),
    PiiKind.name: N_("een naam"),
}

# Characters that show nothing but split a number or a word for a pattern: zero-width
# spaces and joiners, direction marks and overrides, soft hyphens, word joiners, BOMs, tag
# characters, variation selectors, Hangul fillers and the blank Braille cell.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
# A right-to-left override shows what follows backwards: "\u202e87654321-60" reads 06-12345678.
_REVERSED = re.compile("[\u202e\u2067]([^\u202c\u2069]*)[\u202c\u2069]?")
# Every kind of space (no-break, narrow, figure, ideographic...) is one plain space.
_SPACES = re.compile(r"[^\S\n]+")


def normalise(text: str) -> str:
    """The text as a reader sees it: overridden runs turned round, invisible characters gone,
    look-alike digits and letters (full-width, superscript) folded by NFKC, every space a
    plain space."""
    if text.isascii():
        return text
    text = _REVERSED.sub(lambda m: m.group(1)[::-1], text)
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return _SPACES.sub(" ", text)


def bsn_valid(digits: str) -> bool:
    """The 11-proef: 9 digits (an 8-digit number with a leading zero) weighted 9..2 and -1."""
    if not digits.isdigit() or len(digits) not in (8, 9) or not digits.strip("0"):
        return False
    return bool(stdnum_bsn.is_valid(digits.zfill(9)))


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with these spans blanked, offsets kept: found numbers are not found twice."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def find_personal_data(text: str, *, today: date | None = None) -> list[PiiKind]:
    """The kinds of personal data this text seems to hold, in a fixed order; [] when none."""
    if not text:
        return []
    text = normalise(text)
    today = today or date.today()
    found: set[PiiKind] = set()
    emails = rules.emails(text)
    if emails:
        found.add(PiiKind.email)
    text = _mask(text, emails)
    phones, services = rules.phones(text)
    if phones:
        found.add(PiiKind.phone)
    text = _mask(text, phones + services)
    births, dates = rules.dates(text, today)
    if births:
        found.add(PiiKind.birth_date)
    text = _mask(text, dates)
    if rules.has_address(text):
        found.add(PiiKind.address)
    if any(bsn_valid(digits) for digits in rules.bsn_candidates(text)):
        found.add(PiiKind.bsn)
    if rules.has_name(text):
        found.add(PiiKind.name)
    return [kind for kind in PiiKind if kind in found]


def describe(kinds: list[PiiKind], gettext: Callable[[str], str] = str) -> str:
    """'een telefoonnummer en een e-mailadres' (Dutch unless `gettext` translates)."""
    labels = [gettext(LABELS[k]) for k in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    return gettext(N_("%(list)s en %(last)s")) % {
        "list": ", ".join(labels[:-1]),
        "last": labels[-1],
    }


def encode(kinds: list[PiiKind]) -> str | None:
    return ",".join(kinds) or None


def decode(stored: str | None) -> list[PiiKind]:
    if not stored:
        return []
    return [PiiKind(k) for k in stored.split(",") if k in PiiKind.__members__]
