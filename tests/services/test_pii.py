"""The personal-data guard: true positives, false positives, and the 11-proef."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.pii import (
    PiiKind,
    bsn_valid,
    decode,
    describe,
    encode,
    find_personal_data,
    normalise,
)
from tests.bench import pii_old

TODAY = date(2026, 11, 23)
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def found(text: str) -> list[PiiKind]:
    return find_personal_data(text, today=TODAY)


def with_check_digit(first_eight: str) -> str | None:
    """The nine-digit number passing the 11-proef that starts with these digits, if any."""
    check = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    return None if check == 10 else first_eight + str(check)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),
        ("12345678", False),  # as 012345678 it fails the proef
        ("10000005", False),
        ("1234567", False),
        ("1234567890", False),
    ],
)
def test_the_11_proef(number: str, valid: bool) -> None:
    assert bsn_valid(number) is valid


def test_an_eight_digit_bsn_is_checked_with_a_leading_zero() -> None:
    nine = with_check_digit("01234567")
    assert nine is not None and nine.startswith("0")
    assert bsn_valid(nine[1:])
    assert found(f"nummer {nine[1:]}") == [PiiKind.bsn]


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_number_passing_the_11_proef_is_found(first_eight: str) -> None:
    number = with_check_digit(first_eight)
    if number is None or number == "0" * 9:
        return
    assert PiiKind.bsn in found(f"Het BSN van de leerling is {number}.")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_a_nine_digit_number_is_a_bsn_exactly_when_it_passes_the_proef(number: str) -> None:
    assert (PiiKind.bsn in found(f"code {number} graag")) is bsn_valid(number)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.!?", max_size=300))
def test_lower_case_prose_holds_nothing(text: str) -> None:
    assert found(text) == []


@given(
    st.from_regex(r"[a-z][a-z0-9._]{0,15}", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9\-]{0,15}\.(nl|com|org)", fullmatch=True),
)
def test_every_email_address_is_found(local: str, domain: str) -> None:
    assert PiiKind.email in found(f"mail me op {local}@{domain} aub")


@pytest.mark.parametrize(
    "text",
    [
        "bel 06-12345678",
        "bel 0612345678",
        "06 1234 5678",
        "+31 6 12345678",
        "+31 (0)6 1234 5678",
        "0031 6 12345678",
        "010-1234567",
        "(020) 123 4567",
    ],
)
def test_dutch_phone_numbers(text: str) -> None:
    assert found(text) == [PiiKind.phone]


@pytest.mark.parametrize(
    "text",
    [
        "geboren 12-03-2014",
        "geb. 3 maart 2012",
        "geboortedatum: 01/02/1990",
        "een jongen van 15-06-2011 die vaak spijbelt",
    ],
)
def test_dates_of_birth(text: str) -> None:
    assert PiiKind.birth_date in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "leerling Jan kwam niet",
        "het meisje Fatima uit groep 7",
        "Jan, een leerling van groep 7",
        "zoon J. de Vries",
        "onze dochter: Emma",
        "Sanne is een jongere die",
    ],
)
def test_a_name_next_to_a_word_for_a_child(text: str) -> None:
    assert PiiKind.name in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "123456789 is het voorbeeld",  # fails the 11-proef
        "Elke leerling verdient een veilige school.",
        "We praten met het kind. De school helpt.",
        "Sinds 1 augustus 2023 werken we samen.",
        "Op 01-09-2026 starten we met de nieuwe aanpak.",
        "In 2019-2020 hadden we 2000 kinderen in beeld.",
        "We gaven 12.500 euro uit aan kinderopvang Zonnetje.",
        "De leerlingen van groep 8 en de ouders.",
        "Bel de wijkagent via het algemene nummer.",
        "Versie 1.2.3 van het protocol.",
    ],
)
def test_no_false_alarms_on_ordinary_answers(text: str) -> None:
    assert found(text) == []


def test_several_kinds_are_named_in_dutch() -> None:
    kinds = found("Leerling Jan, 06-12345678, jan@example.nl")
    assert kinds == [PiiKind.phone, PiiKind.email, PiiKind.name]
    assert describe(kinds) == "een telefoonnummer, een e-mailadres en een naam"
    assert decode(encode(kinds)) == kinds
    assert encode([]) is None


# --- issue 13: the cases a probe of the old guard got wrong ------------------------------------
# Each list holds only cases the guard before issue 13 (tests/bench/pii_old.py) got wrong, and
# test_each_regression_case_was_wrong_before keeps it that way.

MISSED_BEFORE = [
    ("bsn 123 456 782 staat in het dossier", PiiKind.bsn),
    ("Dossiernummer is zijn BSN 781-676-447", PiiKind.bsn),
    ("Hij is op 7 juli 2010 geboren", PiiKind.birth_date),
    ("Sanne wordt al weken gepest", PiiKind.name),
    ("Ik heb met Fatima gesproken over haar thuissituatie", PiiKind.name),
    ("Jan en Piet vechten elke pauze", PiiKind.name),
    ("A. de Jong uit klas 2 is vermist", PiiKind.name),
    ("Ze woont op de Dorpsstraat 12 in Utrecht", PiiKind.address),
    ("Het gezin zit op postcode 1234 AB", PiiKind.address),
    ("Zijn mail is noah(at)hotmail.com", PiiKind.email),
    ("bel 06\u200b-1234\u200b5678", PiiKind.phone),  # zero-width space
    ("bel 06-1234\u00ad5678", PiiKind.phone),  # soft hyphen
    ("bel \u202e87654321-60\u202c", PiiKind.phone),  # shown as 06-12345678
    ("BSN 123\u2009456\u2009782", PiiKind.bsn),  # thin spaces
    ("Le\u200berling J\u200ban kwam niet", PiiKind.name),
]
FLAGGED_BEFORE = [
    "Nieuwe leerlingen krijgen een buddy",
    "Kwetsbare kinderen vallen tussen wal en schip",
    "Oudere jongeren hebben andere hulp nodig",
    "Sinds 01-08-2019 werken we samen met de wijkagent",
    "Leerlingen Nederlands en Engels krijgen extra steun",
    "Sinds 15-06-2011 werken we met de meldcode",
    "Een training van 12-03-2014 over pesten",
]


@pytest.mark.parametrize(("text", "kind"), MISSED_BEFORE)
def test_what_the_old_guard_missed_is_found(text: str, kind: PiiKind) -> None:
    assert kind in found(text)


@pytest.mark.parametrize("text", FLAGGED_BEFORE)
def test_what_the_old_guard_flagged_wrongly_is_left_alone(text: str) -> None:
    assert found(text) == []


def test_each_regression_case_was_wrong_before() -> None:
    for text, kind in MISSED_BEFORE:
        assert kind not in pii_old.find_personal_data(text, today=TODAY), text
    for text in FLAGGED_BEFORE:
        assert pii_old.find_personal_data(text, today=TODAY) != [], text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("BSN: 1234.56.782", PiiKind.bsn),
        ("Het gaat om een kind geboren op 14 mei 2011", PiiKind.birth_date),
        ("Geboren: 3 januari 2012", PiiKind.birth_date),
        ("Oma belt vanaf 0031 6 1234 5678", PiiKind.phone),
        ("Vader is bereikbaar op 06 12 34 56 78", PiiKind.phone),
        ("bel 06\u00a012345678", PiiKind.phone),  # no-break space
        ("BSN \uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff12", PiiKind.bsn),
    ],
)
def test_what_the_old_guard_found_is_still_found(text: str, kind: PiiKind) -> None:
    assert kind in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "voor 1 oktober evalueren we het protocol",
        "Op 14 mei 2011 is het eerste convenant getekend",
        "Sinds 2019 zien we minder meldingen",
        "Bij nood altijd 112 bellen",
        "Veilig Thuis is bereikbaar via 0800-2000",
        "De politie zonder spoed via 0900-8844",
        "De gemeente is bereikbaar via 14 030",
        "Halt doet voorlichting in groep 8",
        "De Regenboog heeft een goede aanpak tegen pesten",
        "In Utrecht werkt dit al jaren goed",
        "De Jan Ligthartschool heeft een schoolmaatschappelijk werker",
        "Meer aandacht voor de overgang van PO naar VO",
        "In 2024-2025 hadden we de meeste meldingen",  # 20242025 passes the 11-proef
        "Terugblik op schooljaar 2024\u20132025",
    ],
)
def test_traps_are_still_left_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", ["\u200b", "\u200b\u200c\u200d\ufeff", "\u202e\u202c", "\u00ad"])
def test_invisible_characters_alone_normalise_to_nothing(text: str) -> None:
    assert normalise(text).strip() == ""
