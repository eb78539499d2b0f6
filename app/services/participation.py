"""Answers: submitting, editing, withdrawing, and "+1"s on revealed ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy import select as columns
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from app.events import Event, Publisher, Topic
from app.ids import is_db_id
from app.models import (
    Answer,
    Participant,
    Reaction,
    WorkshopPrompt,
    utcnow,
)
from app.services import groups
from app.services.answer_checks import MAX_ANSWER_LENGTH as MAX_ANSWER_LENGTH
from app.services.answer_checks import content, open_prompt, own_answer, personal_data
from app.services.errors import (
    Conflict,
    InvalidInput,
    NotFound,
)
from app.services.limits import Limits
from app.services.receipts import Receipt, read_receipt
from app.services.sequence import bump_seq

# Re-exported: other services clean text through here too.
from app.services.text import clean_text as clean_text

_KEY = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")


@dataclass(frozen=True)
class Submitted:
    answer: Answer
    # False when the idempotency key was seen before: the first answer is returned.
    created: bool


# Prebuilt statements for every answer's path: building and caching a statement costs more
# than SQLite takes to run it.
_ANSWERS: Table = Answer.__table__  # type: ignore[attr-defined]
_INSERT = insert(_ANSWERS).returning(_ANSWERS.c.id)
_KEY_SEEN = columns(_ANSWERS.c.id).where(
    _ANSWERS.c.participant_id == bindparam("participant_id"),
    _ANSWERS.c.idempotency_key == bindparam("key"),
)


def _commit(
    session: Session,
    publisher: Publisher,
    participant: Participant,
    prompt_id: int,
    receipts: list[Receipt] | None,
    *,
    grouped: bool = False,
) -> None:
    """The step every answer change ends with: bump the seq, read the author's receipt (when
    asked) in the same transaction, commit, then publish."""
    assert participant.id is not None
    seq = bump_seq(session=session, workshop_id=participant.workshop_id)
    if receipts is not None:
        receipt = read_receipt(session, participant, prompt_id, seq)
        if receipt is not None:
            receipts.append(receipt)
    session.commit()
    publisher.publish(
        Event(
            workshop_id=participant.workshop_id,
            seq=seq,
            topics=frozenset({Topic.answers, Topic.groups} if grouped else {Topic.answers}),
            participant_ids=frozenset({participant.id}),
        )
    )


def submit_answer(
    *,
    session: Session,
    publisher: Publisher,
    participant: Participant,
    prompt_id: int,
    idempotency_key: str,
    text: str | None = None,
    value: int | None = None,
    confirm_personal_data: bool = False,
    limits: Limits | None = None,
    receipts: list[Receipt] | None = None,
) -> Submitted:
    """Store an answer once per idempotency key; acknowledged only after commit.

    An answer that looks like it holds personal data is refused (PersonalDataSuspected)
    unless the author confirmed it; then it is stored with the kinds found and held: it
    reaches the room only once a facilitator releases it.
    """
    assert participant.id is not None
    if not _KEY.match(idempotency_key or ""):
        raise InvalidInput("Ongeldige verzendsleutel (idempotency_key): 8-64 letters of cijfers.")
    seen = _resent(session, participant.id, idempotency_key)
    if seen is not None:
        # A resend after a reconnect: never refused, never counted.
        return Submitted(answer=seen, created=False)
    if limits is not None:
        limits.check_answer(participant.id)
    kind = open_prompt(session, participant, prompt_id)
    text, value = content(kind, text, value)
    pii_reasons = personal_data(text, confirmed=confirm_personal_data)
    answer = _new_answer(
        session, participant, prompt_id, idempotency_key, kind, text, value, pii_reasons
    )
    now = answer.created_at
    try:
        answer.id = _insert(session, answer, now)
    except IntegrityError:
        # The same key raced in on another connection: hand back the one that won.
        session.rollback()
        seen = _by_key(session, participant.id, idempotency_key)
        if seen is None:
            raise
        return Submitted(answer=seen, created=False)
    # Answers that come after Groeperen join a group in the same transaction.
    grouped = kind != "scale" and groups.place_new_answer(
        session=session, prompt_id=prompt_id, answer_id=answer.id, text=text
    )
    _commit(session, publisher, participant, prompt_id, receipts, grouped=grouped)
    # The row was written with a plain INSERT (an ORM flush and refresh cost more than the
    # rest of an answer together); this object holds exactly what was written, and joins
    # the session as that row without another query.
    make_transient_to_detached(answer)
    session.add(answer)
    return Submitted(answer=answer, created=True)


def _resent(session: Session, participant_id: int, key: str) -> Answer | None:
    """The answer this key already stored, if any (one cheap statement when none did)."""
    params = {"participant_id": participant_id, "key": key}
    if session.connection().execute(_KEY_SEEN, params).first() is None:
        return None
    return _by_key(session, participant_id, key)


def _new_answer(
    session: Session,
    participant: Participant,
    prompt_id: int,
    idempotency_key: str,
    kind: str,
    text: str | None,
    value: int | None,
    pii_reasons: str | None,
) -> Answer:
    """The answer to insert; on a scale, the author's earlier value withdrawn first."""
    assert participant.id is not None
    now = utcnow()
    if kind == "scale":
        # One value per person on a scale: a second choice replaces the first.
        session.execute(
            update(Answer)
            .where(
                col(Answer.prompt_id) == prompt_id,
                col(Answer.participant_id) == participant.id,
                col(Answer.withdrawn).is_(False),
            )
            .values(withdrawn=True, updated_at=now)
        )
    return Answer(
        workshop_id=participant.workshop_id,
        prompt_id=prompt_id,
        participant_id=participant.id,
        idempotency_key=idempotency_key,
        text=text,
        value=value,
        pii_reasons=pii_reasons,
        held=pii_reasons is not None,
        created_at=now,
        updated_at=now,
    )


def _insert(session: Session, answer: Answer, now: datetime) -> int:
    """One INSERT ... RETURNING id, in the session's transaction."""
    row = (
        session.connection()
        .execute(
            _INSERT,
            {
                "workshop_id": answer.workshop_id,
                "prompt_id": answer.prompt_id,
                "participant_id": answer.participant_id,
                "idempotency_key": answer.idempotency_key,
                "text": answer.text,
                "value": answer.value,
                "hidden": False,
                "withdrawn": False,
                "pii_reasons": answer.pii_reasons,
                "held": answer.held,
                "created_at": now,
                "updated_at": now,
            },
        )
        .one()
    )
    return int(row[0])


def _by_key(session: Session, participant_id: int, key: str) -> Answer | None:
    return session.exec(
        select(Answer).where(Answer.participant_id == participant_id, Answer.idempotency_key == key)
    ).first()


def edit_answer(
    *,
    session: Session,
    publisher: Publisher,
    participant: Participant,
    answer_id: int,
    text: str | None = None,
    value: int | None = None,
    confirm_personal_data: bool = False,
    limits: Limits | None = None,
    receipts: list[Receipt] | None = None,
) -> Answer:
    assert participant.id is not None
    if limits is not None:
        limits.check_answer(participant.id)
    answer = own_answer(session, participant, answer_id)
    kind = open_prompt(session, participant, answer.prompt_id)
    answer.text, answer.value = content(kind, text, value)
    answer.pii_reasons = personal_data(answer.text, confirmed=confirm_personal_data)
    # Edited into personal data: held again, even if released before (the text is new).
    answer.held = answer.pii_reasons is not None
    answer.updated_at = utcnow()
    session.add(answer)
    session.flush()
    _commit(session, publisher, participant, answer.prompt_id, receipts)
    return answer


def withdraw_answer(
    *,
    session: Session,
    publisher: Publisher,
    participant: Participant,
    answer_id: int,
    limits: Limits | None = None,
    receipts: list[Receipt] | None = None,
) -> Answer:
    assert participant.id is not None
    if limits is not None:
        limits.check_answer(participant.id)
    answer = own_answer(session, participant, answer_id)
    open_prompt(session, participant, answer.prompt_id)
    answer.withdrawn = True
    # Store the minimum: a withdrawn answer is shown to no one, so its words go now.
    answer.text = None
    answer.pii_reasons = None
    answer.updated_at = utcnow()
    session.add(answer)
    session.flush()
    _commit(session, publisher, participant, answer.prompt_id, receipts)
    return answer


def react(
    *,
    session: Session,
    publisher: Publisher,
    participant: Participant,
    answer_id: int,
    limits: Limits | None = None,
    receipts: list[Receipt] | None = None,
) -> bool:
    """A "+1" ("herken ik") on a revealed answer, or, given before, taken back: a second
    tap undoes the first. True if it is now given, False if it was taken back."""
    assert participant.id is not None
    if limits is not None:
        limits.check_answer(participant.id)
    answer = session.get(Answer, answer_id) if is_db_id(answer_id) else None
    if answer is None or answer.workshop_id != participant.workshop_id:
        raise NotFound("Dit antwoord bestaat niet.")
    prompt = session.get(WorkshopPrompt, answer.prompt_id)
    assert prompt is not None
    if not prompt.revealed or answer.hidden or answer.held or answer.withdrawn:
        raise Conflict("Je kunt alleen reageren op antwoorden die getoond worden.")
    if answer.participant_id == participant.id:
        raise Conflict("Je kunt je eigen antwoord geen +1 geven.")
    given = session.exec(
        select(Reaction).where(
            Reaction.answer_id == answer_id, Reaction.participant_id == participant.id
        )
    ).first()
    if given is not None:
        session.delete(given)
    else:
        session.add(Reaction(answer_id=answer_id, participant_id=participant.id))
    try:
        session.flush()
    except IntegrityError:
        # The same tap twice at once: the other one already gave it.
        session.rollback()
        return True
    _commit(session, publisher, participant, answer.prompt_id, receipts)
    return given is None
