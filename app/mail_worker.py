"""The periodic mail pass in the app's lifespan; `gesprekskaarten mail run-once` does one."""

from __future__ import annotations

import asyncio
import logging

import anyio.to_thread

from app.config import Settings
from app.db import Database
from app.mail_transport import transport_from
from app.services.mail_outbox import run_once

log = logging.getLogger(__name__)


async def mail_loop(db: Database, settings: Settings) -> None:
    """Send due mail every MAIL_INTERVAL_SECONDS; does nothing while mail is off.

    Safe in every worker on PostgreSQL (claims are atomic); on SQLite the app is one process.
    """
    transport = transport_from(settings)
    if transport is None:
        return
    while True:
        try:
            result = await anyio.to_thread.run_sync(
                lambda: run_once(db=db, settings=settings, transport=transport)
            )
            if result.sent or result.failed:
                log.info("mail: %s", result)
        except Exception:  # the loop must outlive one bad pass (database down, a bug)
            log.exception("mail pass failed")
        await asyncio.sleep(settings.mail_interval_seconds)
