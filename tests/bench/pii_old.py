"""The guard as it was before issue 13, kept as the floor for tests/bench/pii.py (not used by app).


A warning, not a filter: it finds likely BSNs, phone numbers, e-mail addresses, dates of
birth and names next to words like "leerling". The participant may edit or send anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum

from app.i18n import N_


class PiiKind(StrEnum):
    bsn = "bsn"
    phone = "phone"
    email = "email"
    birth_date = "birth_date"
    name = "name"


LABELS: dict[PiiKind, str] = {
    PiiKind.bsn: N_("een burgerservicenummer (BSN)"),
    PiiKind.phone: N_("een telefoonnummer"),
    PiiKind.email: N_("een e-mailadres"),
    PiiKind.birth_date: N_("een geboortedatum"),
    PiiKind.name: N_("een naam bij een woord als 'leerling' of 'kind'"),
}

# Digits not glued to other digits: 9 in a row, 8 in a row, or written as 1234.56.782.
_BSN = re.compile(r"(?<![\d.\-])(\d{9}|\d{8}|\d{4}[. ]\d{2}[. ]\d{3})(?![\d\-]|\.\d)")
# 0 or +31 / 0031, then nine more digits with the usual separators: 06-12345678,
# 010-1234567, +31 (0)6 1234 5678.
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)31[\s\-.]*(?:\(0\)[\s\-.]*)?|\(?0)(?:[\s\-.()]*\d){9}(?!\d)"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)")
_WORDED_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTHS})\.?\s+(\d{{4}})(?!\d)", re.I)
_BIRTH_WORD = re.compile(r"\b(?:geboren|geb\.|geboortedatum|geboortedag|verjaardag|jarig)", re.I)
_ROLE = (
    r"(?:leerling(?:en)?|kind(?:eren)?|jongere(?:n)?|meisje(?:s)?|jongen(?:s)?|zoon|zonen|"
    r"dochter(?:s)?|pupil(?:len)?|cliënt(?:en)?)"
)
_CAPITALISED = r"[A-ZÀ-Ý][a-zà-ÿ'\-]+|[A-Z]\."
_ROLE_THEN_NAME = re.compile(rf"\b{_ROLE}(?:\s*[,:]\s*|\s+)({_CAPITALISED})", re.I)
_NAME_THEN_ROLE = re.compile(
    rf"(?<![\w'])({_CAPITALISED}),?\s+(?:(?:is|was)\s+)?(?:een|onze|de|het|die|deze)?\s*{_ROLE}\b"
)
# Capitalised words that start a sentence or a phrase, not a person.
_NOT_NAMES_TEXT = """de het een en maar of dat die dit deze elk elke ieder iedere alle veel geen
ook ons onze mijn zijn haar hun jullie ik jij je hij zij ze wij we u welk welke zo'n wat wie waar
hoe als bij voor met van in op om na nu dan toen zoals sommige meer minder andere"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def bsn_valid(digits: str) -> bool:
    """The 11-proef: 9 digits (an 8-digit number with a leading zero) weighted 9..2 and -1."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or digits == "0" * 9:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def _has_bsn(text: str) -> bool:
    # A phone number's digits are not also a BSN.
    text = _PHONE.sub(" ", text)
    return any(bsn_valid(re.sub(r"\D", "", m.group(1))) for m in _BSN.finditer(text))


def _real_date(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _year(raw: str) -> int:
    year = int(raw)
    # Two digits: 12 is 2012, 98 is 1998.
    return year + (2000 if year < 50 else 1900) if len(raw) == 2 else year


def _has_birth_date(text: str, today: date) -> bool:
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        if not _real_date(day, month, year):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        # A birth word nearby, or a year a child or young person in school was born in.
        if _BIRTH_WORD.search(before) or today.year - 25 <= year <= today.year - 3:
            return True
    for match in _WORDED_DATE.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        if _BIRTH_WORD.search(before):
            return True
    return False


def _is_name(word: str) -> bool:
    return word.rstrip(".").lower() not in _NOT_NAMES


def _has_name(text: str) -> bool:
    for match in _ROLE_THEN_NAME.finditer(text):
        word = match.group(1)
        # Only a capital after the role word is a name; re.I also matched lower case.
        if word[0].isupper() and _is_name(word):
            return True
    return any(_is_name(m.group(1)) for m in _NAME_THEN_ROLE.finditer(text))


def find_personal_data(text: str, *, today: date | None = None) -> list[PiiKind]:
    """The kinds of personal data this text seems to hold, in a fixed order; [] when none."""
    if not text:
        return []
    today = today or date.today()
    found: list[PiiKind] = []
    if _has_bsn(text):
        found.append(PiiKind.bsn)
    if _PHONE.search(text):
        found.append(PiiKind.phone)
    if _EMAIL.search(text):
        found.append(PiiKind.email)
    if _has_birth_date(text, today):
        found.append(PiiKind.birth_date)
    if _has_name(text):
        found.append(PiiKind.name)
    return found


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
