"""The per-workshop sequence number every visible change carries."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col

from app.events import Event, Publisher, Topic
from app.models import Workshop

# Built once: this runs in every write transaction a client can see.
_BUMP = (
    update(Workshop)
    .where(col(Workshop.id) == bindparam("workshop_id"))
    .values(seq=col(Workshop.seq) + 1)
    .returning(col(Workshop.seq))
)


def bump_seq(*, session: Session, workshop_id: int) -> int:
    """Increment atomically inside the caller's transaction and return the new value."""
    seq = int(session.connection().execute(_BUMP, {"workshop_id": workshop_id}).scalar_one())
    # A plain UPDATE does not touch a Workshop this session already holds: set it, as an
    # ORM update would, so callers that read workshop.seq afterwards see the new value.
    loaded = session.identity_map.get(identity_key(Workshop, workshop_id))
    if loaded is not None:
        set_committed_value(loaded, "seq", seq)
    return seq


def commit_change(
    *,
    session: Session,
    publisher: Publisher,
    workshop_id: int,
    topics: Iterable[Topic],
    participant_ids: Iterable[int] = (),
) -> int:
    """End a visible change: bump the seq in the caller's write transaction, commit, then
    publish the Event carrying that seq (never before the commit). Returns the seq.

    No flush first: the caller flushes where the order of its writes matters. A change that
    needs its seq before the commit (to store or read it) calls bump_seq itself."""
    seq = bump_seq(session=session, workshop_id=workshop_id)
    session.commit()
    publisher.publish(
        Event(
            workshop_id=workshop_id,
            seq=seq,
            topics=frozenset(topics),
            participant_ids=frozenset(participant_ids),
        )
    )
    return seq
