"""The per-workshop sequence number every visible change carries."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from app.models import Workshop


def bump_seq(*, session: Session, workshop_id: int) -> int:
    """Increment atomically inside the caller's transaction and return the new value."""
    result = session.execute(
        update(Workshop)
        .where(col(Workshop.id) == workshop_id)
        .values(seq=col(Workshop.seq) + 1)
        .returning(col(Workshop.seq))
    )
    return int(result.scalar_one())
