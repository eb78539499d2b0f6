"""Who is in the room: joining without an account, finding a participant by token, presence."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.events import Publisher, Topic
from app.i18n import N_
from app.models import (
    Domain,
    Participant,
    ParticipantCreate,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
)
from app.services.errors import InvalidInput, WorkshopEnded, WorkshopLocked
from app.services.limits import Limits
from app.services.sequence import commit_change
from app.services.text import clean_text

# A school team's roles (Dutch msgids, shown through the `role_label` filter) and the domain
# each counts under in the domain chart.
ROLES: dict[str, tuple[str, Domain]] = {
    "leerkracht": (N_("Leerkracht of docent"), Domain.onderwijs),
    "mentor": (N_("Mentor"), Domain.onderwijs),
    "ib": (N_("Intern begeleider (IB'er)"), Domain.onderwijs),
    "zorgcoordinator": (N_("Zorgcoördinator"), Domain.onderwijs),
    "veiligheid": (N_("Veiligheidscoördinator of contactpersoon"), Domain.onderwijs),
    "directeur": (N_("Directeur of schoolleider"), Domain.onderwijs),
    "onderwijsassistent": (N_("Onderwijsassistent"), Domain.onderwijs),
    "partner": (N_("Partner van buiten de school"), Domain.anders),
    "anders": (N_("Anders"), Domain.anders),
}


def _who(workshop: Workshop, data: ParticipantCreate) -> tuple[str | None, Domain, str | None]:
    """(organisation, domain, role): a school team says its role, a regional meeting its
    organisation and a domain it chose (no default: a default would skew the domain chart)."""
    if workshop.kind is WorkshopKind.school_team:
        if data.role not in ROLES:
            raise InvalidInput(
                N_("Kies je rol in het team. Staat je rol er niet bij, kies dan 'Anders'.")
            )
        return workshop.organisation, ROLES[data.role][1], data.role
    if data.domain is None:
        raise InvalidInput(N_("Kies je domein. Past geen enkel domein, kies dan 'Anders'."))
    organisation = clean_text(data.organisation or "", limit=120, field=N_("Organisatie"))
    return organisation or None, Domain(data.domain), None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def join(
    *,
    session: Session,
    publisher: Publisher,
    workshop: Workshop,
    data: ParticipantCreate,
    limits: Limits | None = None,
    client: str = "",
) -> tuple[Participant, str]:
    """Add a participant; returns it with its secret token (only the hash is stored).

    With `limits` (every join from outside), joins count per client and per workshop."""
    assert workshop.id is not None
    if workshop.status is WorkshopStatus.ended:
        raise WorkshopEnded()
    if workshop.locked:
        raise WorkshopLocked()
    # Counted before the form is checked: a flood of refused joins is still a flood.
    if limits is not None:
        limits.check_new_participant(client, workshop.id)
    organisation, domain, role = _who(workshop, data)
    token = secrets.token_urlsafe(32)
    # In an anonymous workshop a name is not even stored, whatever the client sent.
    name = None if workshop.anonymous else clean_text(data.name or "", limit=80, field=N_("Naam"))
    participant = Participant(
        workshop_id=workshop.id,
        token_hash=hash_token(token),
        name=name or None,
        organisation=organisation,
        domain=domain,
        role=role,
    )
    session.add(participant)
    session.flush()
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop.id, topics={Topic.presence}
    )
    session.refresh(participant)
    return participant, token


def participant_by_token(*, session: Session, workshop_id: int, token: str) -> Participant | None:
    participant = session.exec(
        select(Participant).where(Participant.token_hash == hash_token(token))
    ).first()
    if participant is None or participant.workshop_id != workshop_id:
        return None
    return participant


def set_connected(
    *, session: Session, publisher: Publisher, participant_id: int, workshop_id: int, delta: int
) -> None:
    """Presence: count a participant's open connections (shared by all workers)."""
    session.execute(
        update(Participant)
        .where(col(Participant.id) == participant_id)
        .values(connections=col(Participant.connections) + delta)
    )
    if delta < 0:
        session.execute(
            update(Participant)
            .where(col(Participant.id) == participant_id, col(Participant.connections) < 0)
            .values(connections=0)
        )
    commit_change(
        session=session, publisher=publisher, workshop_id=workshop_id, topics={Topic.presence}
    )
