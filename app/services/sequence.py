"""The per-workshop sequence number every visible change carries."""

from __future__ import annotations

from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col

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
