"""The timer's end on the server: at 0:00 answering closes for every view at once."""

from __future__ import annotations

import asyncio
import logging

import anyio.to_thread

from app.db import Database
from app.events import Publisher
from app.services.timers import close_due_timers

log = logging.getLogger(__name__)


def close_due(db: Database, publisher: Publisher) -> list[int]:
    """One pass: close every workshop whose timer ran out (also one that ran out while the
    server was down); the ids closed by this process."""
    with db.writing() as session:
        return close_due_timers(session=session, publisher=publisher)


async def watch_timers(db: Database, publisher: Publisher, *, interval: float) -> None:
    """Check for due timers every `interval` seconds until cancelled. Every worker runs one;
    the service's conditional update lets only one of them close a given timer."""
    while True:
        try:
            await anyio.to_thread.run_sync(close_due, db, publisher)
        except Exception:
            # A database hiccup must not stop the watcher: the next pass tries again.
            log.exception("closing due timers failed")
        await asyncio.sleep(interval)
