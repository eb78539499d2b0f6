"""Workshops: creation from a deck, join codes, and who may facilitate them."""

from __future__ import annotations

import re
import secrets
from datetime import date

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.decks import WIE_ZIJN_AAN_ZET, WIE_ZIJN_AAN_ZET_ORIGIN, Deck
from app.i18n import N_
from app.ids import is_db_id
from app.models import (
    User,
    Workshop,
    WorkshopCreate,
    WorkshopFacilitator,
    WorkshopKind,
    WorkshopPrompt,
    WorkshopStatus,
)
from app.services.accounts import find_user_by_email
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.limits import Limits
from app.services.text import clean_text

# No 0/O, 1/I/L, so a code read off a beamer is typed right: 31^7 ≈ 2.75e10 codes.
JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 7
MAX_RETENTION_DAYS = 3650
# ASCII digits only: "\d" would also take Arabic-Indic or full-width ones.
_SCHOOL_YEAR = re.compile(r"^([0-9]{4})-([0-9]{4})$")
_CODE = re.compile(r"^[A-Z0-9]{1,20}$")

# The deck a new regional meeting starts with (the NJi card for policymakers and partners).
DEFAULT_REGIONAL_DECK = "nji-beleidsmakers"


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str) -> str:
    """Accept what people type: lower case, spaces, dashes."""
    return re.sub(r"[\s\-.]", "", raw).upper()


def school_year_of(day: date) -> str:
    """The school year (1 August - 31 July) a day falls in, e.g. '2026-2027'."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def validate_school_year(value: str) -> str:
    value = value.strip().replace("\u2013", "-").replace("/", "-")
    match = _SCHOOL_YEAR.match(value)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise InvalidInput("Een schooljaar schrijf je als 2026-2027.")
    if not 2000 <= int(match.group(1)) <= 2100:
        raise InvalidInput("Dat schooljaar ligt buiten het bereik 2000-2100.")
    return value


def validate_retention_days(value: int) -> int:
    if not 0 <= value <= MAX_RETENTION_DAYS:
        raise InvalidInput(
            N_("Bewaartermijn: kies 0 tot en met %(most)s dagen na het schooljaar."),
            most=MAX_RETENTION_DAYS,
        )
    return value


def kind_for_deck(deck: Deck) -> WorkshopKind:
    """The kind of meeting a deck is made for: a school team's deck for a school team."""
    if deck.slug.startswith("schoolteam-"):
        return WorkshopKind.school_team
    return WorkshopKind.regional


def prompts_from_deck(deck: Deck) -> list[WorkshopPrompt]:
    """Flatten a deck into ordered workshop prompts, each theme closing with 'Wie zijn aan zet?'."""
    out: list[WorkshopPrompt] = []
    for number, theme in enumerate(deck.themes, start=1):
        for prompt in theme.prompts:
            out.append(
                WorkshopPrompt(
                    workshop_id=0,
                    position=len(out),
                    theme_number=number,
                    theme_title=theme.title,
                    deck_prompt_id=prompt.id,
                    text=prompt.text,
                    kind=prompt.kind.value,
                    source=prompt.source.value,
                    derived_from=prompt.derived_from,
                    scale_low=prompt.scale_low,
                    scale_high=prompt.scale_high,
                )
            )
        if theme.wie_zijn_aan_zet:
            on_card = theme.wie_zijn_aan_zet_on_card
            out.append(
                WorkshopPrompt(
                    workshop_id=0,
                    position=len(out),
                    theme_number=number,
                    theme_title=theme.title,
                    deck_prompt_id=f"{theme.id}-wie-zijn-aan-zet",
                    text=on_card or WIE_ZIJN_AAN_ZET,
                    kind="open",
                    source="nji" if on_card else "derived",
                    derived_from=None if on_card else WIE_ZIJN_AAN_ZET_ORIGIN,
                    is_wie_aan_zet=True,
                )
            )
    return out


def create_workshop(
    *, session: Session, owner: User, data: WorkshopCreate, decks: dict[str, Deck]
) -> Workshop:
    deck = decks.get(data.deck_slug)
    if deck is None:
        raise InvalidInput("Kies een bestaande kaartset.")
    title = clean_text(data.title, limit=200, field=N_("De titel"))
    if not title:
        raise InvalidInput("Geef de bijeenkomst een titel.")
    school_year = validate_school_year(data.school_year)
    organisation = (
        clean_text(data.organisation or "", limit=200, field=N_("De organisatie")) or None
    )
    retention_days = validate_retention_days(data.retention_days)
    assert owner.id is not None
    for _attempt in range(5):
        workshop = Workshop(
            title=title,
            deck_slug=deck.slug,
            kind=data.kind,
            school_year=school_year,
            organisation=organisation,
            anonymous=bool(data.anonymous),
            retention_days=retention_days,
            owner_id=owner.id,
            join_code=new_join_code(),
        )
        session.add(workshop)
        try:
            session.flush()
        except IntegrityError:
            # A join code collision is astronomically rare; draw again.
            session.rollback()
            continue
        assert workshop.id is not None
        for prompt in prompts_from_deck(deck):
            prompt.workshop_id = workshop.id
            session.add(prompt)
        session.commit()
        session.refresh(workshop)
        return workshop
    raise Conflict("Er kon geen unieke code gemaakt worden; probeer het opnieuw.")


def can_facilitate(*, session: Session, workshop: Workshop, user: User) -> bool:
    if workshop.owner_id == user.id:
        return True
    link = session.exec(
        select(WorkshopFacilitator).where(
            WorkshopFacilitator.workshop_id == workshop.id,
            WorkshopFacilitator.user_id == user.id,
        )
    ).first()
    return link is not None


def workshop_for_facilitator(*, session: Session, workshop_id: int, user: User) -> Workshop:
    """The workshop if this user may steer it; otherwise NotFound (no hint that it exists)."""
    workshop = session.get(Workshop, workshop_id) if is_db_id(workshop_id) else None
    if workshop is None or not can_facilitate(session=session, workshop=workshop, user=user):
        raise NotFound("Deze bijeenkomst bestaat niet of je hebt er geen toegang toe.")
    return workshop


def workshop_by_code(*, session: Session, code: str) -> Workshop:
    code = normalise_join_code(code)
    # Anything but letters and digits is no code of ours; it never reaches the database.
    workshop = (
        session.exec(select(Workshop).where(Workshop.join_code == code)).first()
        if _CODE.fullmatch(code)
        else None
    )
    if workshop is None:
        raise NotFound("Deze code kennen we niet. Controleer de code op het scherm.")
    return workshop


def find_by_code(*, session: Session, code: str, limits: Limits, client: str) -> Workshop:
    """A join code typed by someone: wrong codes count against the client and everyone."""
    limits.check_join(client)
    try:
        return workshop_by_code(session=session, code=code)
    except NotFound:
        limits.join_failed(client)
        raise


def workshops_for_user(*, session: Session, user: User) -> dict[str, list[Workshop]]:
    """The user's own and co-facilitated workshops, grouped by school year, newest first."""
    co = select(WorkshopFacilitator.workshop_id).where(WorkshopFacilitator.user_id == user.id)
    rows = session.exec(
        select(Workshop)
        .where(or_(col(Workshop.owner_id) == user.id, col(Workshop.id).in_(co)))
        .order_by(col(Workshop.school_year).desc(), col(Workshop.created_at).desc())
    ).all()
    grouped: dict[str, list[Workshop]] = {}
    for workshop in rows:
        grouped.setdefault(workshop.school_year, []).append(workshop)
    return grouped


def add_cofacilitator(*, session: Session, workshop: Workshop, by: User, email: str) -> User:
    if workshop.owner_id != by.id:
        raise Forbidden("Alleen wie de bijeenkomst heeft aangemaakt, kan begeleiders toevoegen.")
    other = find_user_by_email(session=session, email=email)
    if other is None:
        raise NotFound("Er is geen account met dit e-mailadres.")
    if other.id == workshop.owner_id:
        raise Conflict("Dit account begeleidt deze bijeenkomst al.")
    assert workshop.id is not None and other.id is not None
    session.add(WorkshopFacilitator(workshop_id=workshop.id, user_id=other.id))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("Dit account begeleidt deze bijeenkomst al.") from None
    return other


def cofacilitators(*, session: Session, workshop: Workshop) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(WorkshopFacilitator, col(WorkshopFacilitator.user_id) == col(User.id))
            .where(WorkshopFacilitator.workshop_id == workshop.id)
            .order_by(col(User.email))
        ).all()
    )


def prompts_of(*, session: Session, workshop_id: int) -> list[WorkshopPrompt]:
    return list(
        session.exec(
            select(WorkshopPrompt)
            .where(WorkshopPrompt.workshop_id == workshop_id)
            .order_by(col(WorkshopPrompt.position))
        ).all()
    )


def is_live(workshop: Workshop) -> bool:
    return workshop.status is not WorkshopStatus.ended
