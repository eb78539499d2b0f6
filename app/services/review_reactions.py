"""The room reacts to the actiepunt on the terugblik's screen, from their phones.

One reaction per participant per item, of one of a few kinds; tapping it again takes it
back, tapping another kind changes it. The projector counts them beside the item and the
facilitator sees them in the agenda's terugblik. Only (participant, item, kind) is stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, func
from sqlalchemy import select as columns
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.agenda_models import AgendaItem, ReviewReaction
from app.events import Publisher, Topic
from app.i18n import N_
from app.ids import is_db_id
from app.models import Participant, Workshop, WorkshopStatus
from app.services.agenda import agenda_of
from app.services.errors import Conflict, InvalidInput, NotFound, WorkshopEnded
from app.services.limits import Limits
from app.services.review import reviewed_agenda
from app.services.sequence import commit_change

# What a room says about last year's actiepunt, in the order the buttons show (Dutch
# msgids; templates translate them). Few on purpose: one tap, no reading.
LABELS: dict[str, str] = {
    "noticed": N_("Merk ik"),
    "not_yet": N_("Nog niet"),
    "join": N_("Doe ik mee"),
}
KINDS: tuple[str, ...] = tuple(LABELS)


@dataclass(frozen=True)
class Tally:
    """The reactions to one item in one terugblik: counts per kind, and whose is which."""

    item_id: int
    counts: dict[str, int] = field(default_factory=dict)
    # participant id -> their kind (a phone shows its own as pressed)
    mine: dict[int, str] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """(kind, Dutch label msgid, count) in button order."""
        return [(kind, LABELS[kind], self.counts.get(kind, 0)) for kind in KINDS]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def of(self, participant_id: int) -> str | None:
        return self.mine.get(participant_id)


def tally(*, session: Session, workshop_id: int, item_id: int) -> Tally:
    """The reactions this workshop's participants gave the item."""
    rows = session.execute(
        columns(col(ReviewReaction.participant_id), col(ReviewReaction.kind))
        .join(Participant, col(Participant.id) == col(ReviewReaction.participant_id))
        .where(col(ReviewReaction.item_id) == item_id, col(Participant.workshop_id) == workshop_id)
    ).all()
    mine = {int(pid): str(kind) for pid, kind in rows}
    return Tally(item_id=item_id, counts=dict(Counter(mine.values())), mine=mine)


def counts_by_item(
    *, session: Session, workshop_id: int, item_ids: Iterable[int]
) -> dict[int, Tally]:
    """Counts (without whose) for the facilitator's list of reviewed items; every item has
    a Tally, an empty one when nobody reacted."""
    ids = list(item_ids)
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    if ids:
        rows = session.execute(
            columns(col(ReviewReaction.item_id), col(ReviewReaction.kind), func.count())
            .join(Participant, col(Participant.id) == col(ReviewReaction.participant_id))
            .where(
                col(ReviewReaction.item_id).in_(ids), col(Participant.workshop_id) == workshop_id
            )
            .group_by(col(ReviewReaction.item_id), col(ReviewReaction.kind))
        ).all()
        for item_id, kind, n in rows:
            counts[int(item_id)][str(kind)] = int(n)
    return {i: Tally(item_id=i, counts=c) for i, c in counts.items()}


def _check_on_screen(session: Session, workshop: Workshop, item_id: int) -> None:
    """Only the item the facilitator shows now can be reacted to."""
    assert workshop.id is not None
    old = reviewed_agenda(session=session, workshop=workshop)
    if old is None:
        raise NotFound("Deze bijeenkomst is geen terugblik.")
    item = session.get(AgendaItem, item_id) if is_db_id(item_id) else None
    if item is None or item.agenda_id != old.id:
        raise NotFound("Dit actiepunt bestaat niet (meer).")
    own = agenda_of(session=session, workshop_id=workshop.id)
    if own is None or own.review_item_id != item_id:
        raise Conflict("Dit actiepunt staat nu niet op het scherm.")


def react(
    *,
    session: Session,
    publisher: Publisher,
    participant: Participant,
    item_id: int,
    kind: str,
    limits: Limits | None = None,
) -> str | None:
    """Give, change or take back this participant's reaction to the item on the screen.
    Returns their reaction now: `kind`, or None when the same kind was tapped again."""
    assert participant.id is not None
    if kind not in LABELS:
        raise InvalidInput("Kies een van de reacties: Merk ik, Nog niet of Doe ik mee.")
    if limits is not None:
        limits.check_answer(participant.id)
    workshop = session.get(Workshop, participant.workshop_id)
    assert workshop is not None and workshop.id is not None
    if workshop.status is WorkshopStatus.ended:
        raise WorkshopEnded()
    _check_on_screen(session, workshop, item_id)
    given = session.exec(
        select(ReviewReaction).where(
            ReviewReaction.participant_id == participant.id, ReviewReaction.item_id == item_id
        )
    ).first()
    now: str | None = kind
    if given is None:
        session.add(ReviewReaction(participant_id=participant.id, item_id=item_id, kind=kind))
    elif given.kind == kind:
        session.delete(given)
        now = None
    else:
        given.kind = kind
        session.add(given)
    try:
        session.flush()
    except IntegrityError:
        # The same tap twice at once: the other one already gave it.
        session.rollback()
        return kind
    # The agenda topic: the review screen counts again; only this phone's own view changed.
    commit_change(
        session=session,
        publisher=publisher,
        workshop_id=workshop.id,
        topics={Topic.agenda},
        participant_ids={participant.id},
    )
    return now


def forget_reactions(*, session: Session, workshop_id: int) -> None:
    """Remove the reactions this workshop's participants gave (purge and delete; the caller
    commits)."""
    people = select(Participant.id).where(Participant.workshop_id == workshop_id)
    session.execute(delete(ReviewReaction).where(col(ReviewReaction.participant_id).in_(people)))
