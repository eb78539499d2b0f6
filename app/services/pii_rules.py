"""The patterns of the personal-data guard, one function per kind, on normalised text.

Each rule names the traps it steps around; tests/corpora/pii_nl.yaml holds examples of both.
"""

from __future__ import annotations

import re
from datetime import date

from app.services.pii_words import (
    INSTITUTION_SUFFIXES,
    INSTITUTION_WORDS,
    NOT_NAMES,
    name_lists,
    words,
)

Span = tuple[int, int]

# --- e-mail ----------------------------------------------------------------------------------
# Also written "naam(at)domein.nl" or "naam [at] domein.nl" to dodge a filter.
_EMAIL = re.compile(
    r"[\w.%+\-]+(?:@|\s?[(\[]at[)\]]\s?)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", re.I
)


def emails(text: str) -> list[Span]:
    if "@" not in text and "at" not in text.lower():
        return []
    return [m.span() for m in _EMAIL.finditer(text)]


# --- phone numbers ---------------------------------------------------------------------------
_SEP = r"[\s\-.()/]*"
# Dutch: 0 and nine digits; +31 / 0031 and nine digits, perhaps with (0). Foreign: + and 8-12.
_PHONE = re.compile(
    rf"(?<![\d+])(?:(?:\+|00)31{_SEP}(?:\(0\){_SEP})?\d(?:{_SEP}\d){{8}}"
    rf"|\(?0(?:{_SEP}\d){{9}}"
    rf"|\+(?!31)[1-9]\d{{0,2}}(?:{_SEP}\d){{7,11}})(?!\d)(?![ \-.]\d)"
)
# Numbers of services, never of a person: 112, 0800 / 0900 / 0906 / 0909 (free and paid
# lines), 088 (organisations), 14 0xx (municipalities), 113 and the like.
_SERVICE = re.compile(
    r"(?<!\d)(?:0[89]0[069](?:[\s\-.]?\d){4,7}|088(?:[\s\-.]?\d){7}|14[\s\-]?0\d{2,3})(?!\d)"
    r"|(?<![\d+])11[2-6](?!\d)"
)


def phones(text: str) -> tuple[list[Span], list[Span]]:
    """(phone numbers of people, service numbers): both are blanked before a BSN is sought."""
    services = [m.span() for m in _SERVICE.finditer(text)]
    found = []
    for match in _PHONE.finditer(text):
        if not any(s <= match.start() < e for s, e in services):
            found.append(match.span())
    return found, services


# --- dates -----------------------------------------------------------------------------------
_MONTH_NAMES = words(
    "januari februari maart april mei juni juli augustus september oktober november december"
)
_MONTHS = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
_MONTHS.update(
    {
        short: i + 1
        for i, short in enumerate(words("jan feb mrt apr mei jun jul aug sep okt nov dec"))
    }
)
_MONTHS.update({"mar": 3, "sept": 9, "oct": 10})
_NUMERIC_DATE = re.compile(
    r"(?<![\d.\-/])(\d{1,2})([-/.])(\d{1,2})\2('?\d{4}|'?\d{2})(?![\d\-/]|\.\d)"
)
_WORDED_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+({'|'.join(sorted(_MONTHS, key=len, reverse=True))})\.?"
    r"(?:\s+('?\d{4}|'\d{2}))?(?!\d)",
    re.I,
)
_BIRTH_WORD = re.compile(
    r"\b(?:geboren|geb\b\.?|geboortedatum|geboortedag|geb\.datum|verjaardag|jarig|"
    r"geboortejaar|d\.o\.b|dob)",
    re.I,
)
# A person the date can belong to, just before it: "een meisje van 15-06-2011".
_PERSON_BEFORE = re.compile(
    r"\b(?:leerling|kind|jongere|jongen|meisje|zoon|dochter|pupil|cliënt|client|broer(?:tje)?|"
    r"zus(?:je)?|baby|peuter|kleuter)\b[^.!?\d]{0,25}$",
    re.I,
)
# A meeting or a deadline, not a birthday: "Sinds 01-08-2019", "voor 1 oktober".
_EVENT_BEFORE = re.compile(
    r"\b(?:sinds|vanaf|per|tot|voor|na|uiterlijk|deadline|op|om|start|vergadering|d\.d\.|"
    r"tussen|in|week|datum|t/m|tm)\W*$",
    re.I,
)


def _year(raw: str) -> int:
    raw = raw.lstrip("'")
    year = int(raw)
    # Two digits: 12 is 2012, 98 is 1998.
    return year + (2000 if year < 50 else 1900) if len(raw) == 2 else year


def _real(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def dates(text: str, today: date) -> tuple[bool, list[Span]]:
    """(is one a date of birth, every date's span). A date is a birth date with a birth word
    near it, or when it follows a child ("een jongen van 15-06-2011") with a year a child or
    young person could be born in; meeting and deadline dates ("Sinds 01-08-2019") are not."""
    if not any(c.isdigit() for c in text):
        return False, []
    spans: list[Span] = []
    birth = False
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(3)), _year(match.group(4))
        if not _real(day, month, year):
            continue
        spans.append(match.span())
        birth = birth or _is_birth(text, match.start(), match.end(), year, today)
    for match in _WORDED_DATE.finditer(text):
        month = _MONTHS[match.group(2).lower()]
        year = _year(match.group(3)) if match.group(3) else today.year
        if not _real(int(match.group(1)), month, year if match.group(3) else 2000):
            continue
        spans.append(match.span())
        if match.group(3):
            birth = birth or _is_birth(text, match.start(), match.end(), year, today)
    return birth, spans


def _is_birth(text: str, start: int, end: int, year: int, today: date) -> bool:
    before = text[max(0, start - 45) : start]
    after = text[end : end + 15]
    if _BIRTH_WORD.search(before) or re.match(r"\W*geboren", after, re.I):
        return True
    if not today.year - 27 <= year <= today.year:
        return False
    near = text[max(0, start - 30) : start]
    return bool(_PERSON_BEFORE.search(near)) and not _EVENT_BEFORE.search(before[-12:])


# --- addresses and postcodes -----------------------------------------------------------------
_STREET_ENDS = (
    "straat|laan|weg|plein|singel|gracht|kade|dijk|hof|pad|steeg|dreef|plantsoen|markt|"
    "baan|wal|erf|ring|dam|haven|straatweg|hout|weide|akker|kamp|veld"
)
_ADDRESS = re.compile(
    rf"\b[A-Z][a-zà-ÿ'\-]*(?:{_STREET_ENDS})\s+\d{{1,4}}(?:\s?[a-zA-Z]\b|-\d{{1,3}})?(?!\d|[.,]\d)"
    rf"(?!\s*(?:%|keer|x\b|jaar|uur|min|leerlingen|kinderen|jongeren|procent|euro|ouders))"
)
# Postcodes: four digits (not starting 0) and two capitals, or glued lower case ("3512jk").
# Not two-letter words a number may precede: "2026 PO en VO", "8 EN".
_POSTCODE = re.compile(
    r"(?<![\d\-.,])[1-9]\d{3} ?(?!SA|SD|SS)([A-Z]{2})\b(?!-)|\b[1-9]\d{3}([a-z]{2})\b"
)
_NOT_POSTCODE = frozenset(
    words(
        "PO VO SO HO BO WO MO EN OF IN OP EU NL BE OK TV PC AI ID IB HR VS UK ZZ KM KG MG ML CM MM"
    )
)


def has_address(text: str) -> bool:
    if not any(c.isdigit() for c in text):
        return False
    if _ADDRESS.search(text):
        return True
    for match in _POSTCODE.finditer(text):
        letters = (match.group(1) or match.group(2)).upper()
        if letters not in _NOT_POSTCODE:
            return True
    return False


# --- BSN -------------------------------------------------------------------------------------
# Nine digits (or eight, read with a leading 0), perhaps grouped by spaces, dots or hyphens:
# 123456782, 123 456 782, 1234.56.782, 12 34 56 782. Not part of a longer number.
_BSN = re.compile(
    r"(?<![\d,])(?<!\d[ .\-])(\d{2,5}(?:[ .\-]\d{2,5}){1,3}|\d{8,9})(?!\d|[ .\-]\d|,\d)"
)


def bsn_candidates(text: str) -> list[str]:
    """Nine digits, grouped or not; eight only as one run: "2024-2025" is a school year."""
    out = []
    for match in _BSN.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) == 9 or (len(digits) == 8 and digits == match.group(1)):
            out.append(digits)
    return out


# --- names -----------------------------------------------------------------------------------
# Words for a person: a name right after one is a name ("leerling Jan", "juf Anja").
_ROLE = (
    r"leerling|kind|jongere|jongen|meisje|zoon|dochter|pupil|cliënt|client|broer|broertje|zus|"
    r"zusje|neef|neefje|nicht|nichtje|vader|moeder|oma|opa|oom|tante|juf|meester|meneer|"
    r"mevrouw|mevr|mw|dhr|heer|collega|mentor|stiefvader|stiefmoeder|buurman|buurvrouw"
)
_TOKEN = re.compile(r"[^\W\d_][\w'\u2019]*(?:-[^\W\d_][\w'\u2019]*)*\.?")
_ROLE_THEN_NAME = re.compile(rf"\b(?:{_ROLE})\.?\s*[,:]?\s+([A-Z][a-zà-ÿ'\u2019\-]+|[A-Z]\.)", re.I)
# "Jan, een leerling", "Sanne is een jongere": a comma or "is/was" and an article between;
# never "Nieuwe leerlingen", a capitalised word right before a plural.
_NAME_THEN_ROLE = re.compile(
    rf"(?<![\w'])([A-Z][a-zà-ÿ'\u2019\-]+)(?:,\s*|\s+(?:is|was)\s+)(?:een|onze|de|het|die|deze)\s+"
    rf"(?:{_ROLE})\b"
)
# Initials and a surname: "J. de Vries", "A.B. Jansen".
_INITIALS = re.compile(
    r"(?<![\w.])[A-Z]\.(?:\s?[A-Z]\.)*\s*(?:(?:van|de|der|den|ter|ten|te|in|'t|het)\s+)*"
    r"[A-Z][a-zà-ÿ'\u2019]+"
)
_TITLES = frozenset(words("sint st koning koningin prins prinses graaf heilige"))
_PARTICLES = frozenset(words("van de der den het 't ter ten te la le du da di el al"))
_SENTENCE_END = frozenset(".!?:;\n•*-\u2013()\"'")


def _names_after_roles(text: str) -> bool:
    places = name_lists().places
    for match in _ROLE_THEN_NAME.finditer(text):
        word = match.group(1)
        # A role word with a capital inside a sentence is part of a title: "Ieder Kind Wint".
        before = text[: match.start()].rstrip()
        if text[match.start()].isupper() and before and before[-1] not in _SENTENCE_END:
            continue
        # Only a capital after the role word is a name (re.I matched lower case too).
        if not word[0].isupper() or word.rstrip(".").lower() in NOT_NAMES:
            continue
        if word.lower() in places or word.lower() in INSTITUTION_WORDS:
            continue
        if len(word) == 2 or _is_language(word):
            return len(word) == 2
        return True
    return any(m.group(1).lower() not in NOT_NAMES for m in _NAME_THEN_ROLE.finditer(text))


def _is_language(word: str) -> bool:
    return word.lower() in {"nederlands", "engels", "frans", "duits", "spaans", "arabisch"}


def _in_institution(tokens: list[str], i: int) -> bool:
    """Is token i part of a capitalised run that names a school, foundation, programme...?"""
    lo = i
    while lo > 0 and (tokens[lo - 1][:1].isupper() or tokens[lo - 1].lower() in _PARTICLES):
        lo -= 1
    hi = i
    while hi + 1 < len(tokens) and (
        tokens[hi + 1][:1].isupper() or tokens[hi + 1].lower() in _PARTICLES
    ):
        hi += 1
    for word in tokens[max(0, lo - 1) : hi + 2]:
        low = word.lower()
        if low in INSTITUTION_WORDS or (word[:1].isupper() and low in _TITLES):
            return True
        # "Jan Ligthartschool", "Anne Frankschool": a capitalised compound.
        if word[:1].isupper() and low.endswith(INSTITUTION_SUFFIXES):
            return True
    return False


def has_name(text: str) -> bool:
    if not any(c.isupper() for c in text):
        return False
    if _names_after_roles(text) or _INITIALS.search(text):
        return True
    lists = name_lists()
    matches = list(_TOKEN.finditer(text))
    tokens = [m.group(0).rstrip(".") for m in matches]
    for i, match in enumerate(matches):
        word = tokens[i]
        base = re.sub(r"['\u2019]s$", "", word)
        if base not in lists.first_names:
            continue
        start = match.start()
        before = text[:start].rstrip()
        sentence_start = not before or before[-1] in _SENTENCE_END
        if sentence_start and base.lower() in lists.places:
            continue
        if (
            not sentence_start
            and base.lower() in lists.places
            and i > 0
            and tokens[i - 1].lower() in {"in", "uit", "naar", "te", "regio", "gemeente", "bij"}
        ):
            continue
        if _in_institution(tokens, i):
            continue
        return True
    return False
