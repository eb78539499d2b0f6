"""Websockets: accept, send the full state, receive loop, clean up in finally."""

from __future__ import annotations

import contextlib
import logging
from urllib.parse import urlsplit

import anyio
import anyio.to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketDisconnected, WebSocketState

from app.config import Settings
from app.db import Database
from app.events import Publisher
from app.i18n import N_, language_of, translate
from app.ids import DbId, is_db_id
from app.live.client import CLOSE_FORBIDDEN, Client
from app.live.commands import acknowledgement, apply_message, pii_warning
from app.live.hub import Hub
from app.live.protocol import (
    ClientMessage,
    is_resync,
    parse_message,
)
from app.live.render import Audience, partial
from app.models import Participant, Workshop
from app.services import roster
from app.services.accounts import session_user
from app.services.errors import DomainError, PersonalDataSuspected
from app.services.limits import Limits
from app.services.receipts import Receipt
from app.services.workshops import can_facilitate, find_by_code

log = logging.getLogger(__name__)
router = APIRouter()
RETRY_MESSAGE = N_("Dat lukte even niet; je antwoord is niet opgeslagen. Probeer het opnieuw.")


def origin_allowed(websocket: WebSocket, settings: Settings) -> bool:
    """Browsers always send Origin on a websocket; it must be this site (or a listed one)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    if origin in settings.allowed_origins:
        return True
    host = websocket.headers.get("host", "")
    return urlsplit(origin).netloc == host


async def refuse(websocket: WebSocket) -> None:
    """Accept, then close with 4403. A handshake refused with HTTP 403 reaches the browser as
    1006, which htmx-ext-ws takes for a lost connection and retries forever; 4403 it does not."""
    await websocket.accept()
    await websocket.close(code=CLOSE_FORBIDDEN)


def _state(websocket: WebSocket) -> tuple[Settings, Database, Hub, Publisher]:
    state = websocket.app.state
    return state.settings, state.db, state.hub, state.broadcast


async def receive_frame(websocket: WebSocket) -> str:
    """The next frame as text. A binary frame is decoded (or becomes ""), so it gets an error
    reply like any other bad message instead of ending the connection."""
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    text = message.get("text")
    if isinstance(text, str):
        return text
    data = message.get("bytes") or b""
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return ""


@router.websocket("/ws/workshops/{workshop_id}/{audience}")
async def facilitator_socket(websocket: WebSocket, workshop_id: DbId, audience: str) -> None:
    settings, db, hub, _publisher = _state(websocket)
    user_id = websocket.session.get("user_id")
    version = websocket.session.get("sv")
    allowed = False
    if (
        origin_allowed(websocket, settings)
        and is_db_id(workshop_id)
        and isinstance(user_id, int)
        and audience
        in (
            Audience.facilitator.value,
            Audience.projector.value,
            Audience.review.value,
        )
    ):

        def check() -> bool:
            with db.reading() as session:
                workshop = session.get(Workshop, workshop_id)
                user = session_user(session=session, user_id=user_id, version=version)
                return (
                    workshop is not None
                    and user is not None
                    and can_facilitate(session=session, workshop=workshop, user=user)
                )

        allowed = await anyio.to_thread.run_sync(check)
    if not allowed:
        await refuse(websocket)
        return
    await websocket.accept()
    client = Client(
        websocket,
        workshop_id=workshop_id,
        audience=Audience(audience),
        user_id=user_id,
        lang=language_of(websocket),
        queue_size=settings.client_queue_size,
        send_timeout=settings.client_send_timeout_seconds,
    )
    try:
        await hub.attach(client)
        while True:
            # The console steers over HTTP; a frame is a request for the full state or
            # only keeps the socket alive.
            if is_resync(await receive_frame(websocket)):
                await hub.resync(client)
    except (WebSocketDisconnect, WebSocketDisconnected):
        # The second: the hub already closed this slow client's socket (1013).
        pass
    finally:
        with anyio.CancelScope(shield=True):
            await hub.detach(client)


def _joined(websocket: WebSocket, db: Database, code: str) -> Participant | None:
    """The participant this browser joined the workshop of `code` as, if it did."""
    tokens = websocket.session.get("participants")
    limits: Limits = websocket.app.state.limits
    client_host = websocket.client.host if websocket.client else "unknown"
    with db.reading() as session:
        try:
            workshop = find_by_code(session=session, code=code, limits=limits, client=client_host)
        except DomainError:
            return None
        token = tokens.get(str(workshop.id)) if isinstance(tokens, dict) else None
        if not isinstance(token, str):
            return None
        assert workshop.id is not None
        return roster.participant_by_token(session=session, workshop_id=workshop.id, token=token)


def _set_connected(
    db: Database, publisher: Publisher, participant_id: int, workshop_id: int, delta: int
) -> None:
    with db.writing() as session:
        roster.set_connected(
            session=session,
            publisher=publisher,
            participant_id=participant_id,
            workshop_id=workshop_id,
            delta=delta,
        )


@router.websocket("/ws/w/{code}")
async def participant_socket(websocket: WebSocket, code: str) -> None:
    settings, db, hub, publisher = _state(websocket)
    allowed = origin_allowed(websocket, settings)
    person = await anyio.to_thread.run_sync(_joined, websocket, db, code) if allowed else None
    if person is None or person.id is None:
        await refuse(websocket)
        return
    await websocket.accept()
    pid, wid = person.id, person.workshop_id
    client = Client(
        websocket,
        workshop_id=wid,
        audience=Audience.participant,
        participant_id=pid,
        lang=language_of(websocket),
        queue_size=settings.client_queue_size,
        send_timeout=settings.client_send_timeout_seconds,
    )
    await anyio.to_thread.run_sync(_set_connected, db, publisher, pid, wid, 1)
    try:
        await hub.attach(client)
        while True:
            raw = await receive_frame(websocket)
            if is_resync(raw):
                await hub.resync(client)
                continue
            await _handle(
                raw,
                person,
                client=client,
                hub=hub,
                db=db,
                publisher=publisher,
                settings=settings,
                limits=websocket.app.state.limits,
            )
    except (WebSocketDisconnect, WebSocketDisconnected):
        # The second: the hub already closed this slow client's socket (1013).
        pass
    finally:
        # Shielded: a cancelled handler still records that the phone left. Presence first,
        # detach last, because shutdown waits for every detach before closing the database.
        with anyio.CancelScope(shield=True):
            try:
                await anyio.to_thread.run_sync(_set_connected, db, publisher, pid, wid, -1)
            except Exception:
                # Logged, not hidden: the count is repaired at the next start-up.
                log.exception("could not record that a phone of workshop %s left", wid)
            await hub.detach(client)
        if websocket.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await websocket.close()


async def _handle(
    raw: str,
    person: Participant,
    *,
    client: Client,
    hub: Hub,
    db: Database,
    publisher: Publisher,
    settings: Settings,
    limits: Limits,
) -> None:
    """One message from `person`'s phone: parse, store, acknowledge, in one worker thread."""
    wid = client.workshop_id
    parsed: list[ClientMessage] = []
    # The author's own answers as the change's transaction read them: no second read.
    receipts: list[Receipt] = []

    def run() -> tuple[int, str]:
        message = parse_message(raw, max_bytes=settings.max_ws_message_bytes)
        parsed.append(message)
        fresh_form, note = apply_message(
            message,
            db=db,
            publisher=publisher,
            limits=limits,
            participant=person,
            receipts=receipts,
        )
        return acknowledgement(client, hub, receipts, fresh_form=fresh_form, note=note)

    try:
        seq, ack = await anyio.to_thread.run_sync(run)
    except PersonalDataSuspected as exc:
        # Nothing was stored: the phone shows its text again with the warning.
        hub.send_direct(client, pii_warning(parsed[0], exc, client.lang))
        return
    except DomainError as exc:
        error = partial("_flash", client.lang, message=exc.translated(client.lang), level="error")
        hub.send_direct(client, error)
        return
    except Exception:
        # E.g. the database stayed locked or went away. Nothing was acknowledged, so the phone
        # may send again with the same key; the connection stays open.
        log.exception("could not handle a message for workshop %s", wid)
        retry = translate(client.lang, RETRY_MESSAGE)
        error = partial("_flash", client.lang, message=retry, level="error")
        hub.send_direct(client, error)
        return
    hub.send_direct(client, ack, seq=seq)
