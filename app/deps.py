"""Dependencies declared once as Annotated aliases."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.config import Settings
from app.db import Database
from app.decks import Deck
from app.events import Publisher
from app.ids import DbId
from app.models import Participant, User, Workshop
from app.services.accounts import session_user
from app.services.errors import Forbidden
from app.services.limits import Limits
from app.services.roster import participant_by_token
from app.services.workshops import find_by_code, workshop_for_facilitator


class LoginRequired(Exception):
    """Raised for pages that need a facilitator; handled as a redirect to /login."""


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reads_only(request: Request) -> None:
    """For a route that is a POST but stores nothing (a suggestion): its session only reads.
    Put it in the route's `dependencies`, which FastAPI runs before the session is made."""
    request.state.reads_only = True


def get_session(
    request: Request, db: Annotated[Database, Depends(get_database)]
) -> Iterator[Session]:
    """The request's session. A page or an export (GET) reads: it never holds SQLite's write
    lock, so a PDF being laid out stalls no answer. A request that changes something writes
    in its first transaction (the service call, up to its commit) and reads afterwards, while
    the response is rendered (Database.request_session)."""
    reading = request.method in READ_METHODS or getattr(request.state, "reads_only", False)
    session = db.read_session() if reading else db.request_session()
    with session:
        yield session


def get_read_session(db: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    with db.read_session() as session:
        yield session


def get_publisher(request: Request) -> Publisher:
    publisher: Publisher = request.app.state.broadcast
    return publisher


def get_decks(request: Request) -> dict[str, Deck]:
    decks: dict[str, Deck] = request.app.state.decks
    return decks


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_limits(request: Request) -> Limits:
    limits: Limits = request.app.state.limits
    return limits


def client_address(request: Request) -> str:
    """The caller's address; behind a proxy uvicorn's --proxy-headers puts the real one here."""
    return request.client.host if request.client else "unknown"


def optional_user(
    request: Request, session: Annotated[Session, Depends(get_read_session)]
) -> User | None:
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = session_user(session=session, user_id=user_id, version=request.session.get("sv"))
    # End the read: an open read transaction would hold its snapshot for the whole request,
    # and a purge's WAL checkpoint (privacy.py) waits for every snapshot to end.
    session.commit()
    return user


def require_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise LoginRequired()
    return user


def facilitated_workshop(
    workshop_id: DbId, session: Annotated[Session, Depends(get_session)], user: UserDep
) -> Workshop:
    """The workshop in the path, if the logged-in user may steer it (404 otherwise, revealing
    nothing)."""
    return workshop_for_facilitator(session=session, workshop_id=workshop_id, user=user)


def code_workshop(
    code: str,
    session: Annotated[Session, Depends(get_session)],
    limits: LimitsDep,
    client: ClientDep,
) -> Workshop:
    """The workshop of the join code in the path; a wrong code counts against this client."""
    return find_by_code(session=session, code=code, limits=limits, client=client)


def joined_participant(
    request: Request,
    workshop: Annotated[Workshop, Depends(code_workshop)],
    session: Annotated[Session, Depends(get_session)],
) -> Participant | None:
    """The participant this browser joined the workshop as, if it did."""
    token = participant_token(request, workshop)
    if token is None or workshop.id is None:
        return None
    return participant_by_token(session=session, workshop_id=workshop.id, token=token)


def require_participant(
    person: Annotated[Participant | None, Depends(joined_participant)],
) -> Participant:
    if person is None:
        raise Forbidden("Doe eerst mee met de bijeenkomst.")
    return person


def participant_token(request: Request, workshop: Workshop) -> str | None:
    """The participant token this browser got when it joined the workshop, if any."""
    tokens = request.session.get("participants")
    if not isinstance(tokens, dict):
        return None
    token = tokens.get(str(workshop.id))
    return token if isinstance(token, str) else None


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Every state-changing page request carries the session's token (header or form)."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or sent is None or not secrets.compare_digest(expected, sent):
        raise CsrfFailed()


DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]
PublisherDep = Annotated[Publisher, Depends(get_publisher)]
DecksDep = Annotated[dict[str, Deck], Depends(get_decks)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
OptionalUserDep = Annotated[User | None, Depends(optional_user)]
UserDep = Annotated[User, Depends(require_user)]
CsrfDep = Annotated[str, Depends(csrf_token)]
LimitsDep = Annotated[Limits, Depends(get_limits)]
ClientDep = Annotated[str, Depends(client_address)]
FacilitatedWorkshop = Annotated[Workshop, Depends(facilitated_workshop)]
CodeWorkshop = Annotated[Workshop, Depends(code_workshop)]
JoinedParticipant = Annotated[Participant | None, Depends(joined_participant)]
ParticipantDep = Annotated[Participant, Depends(require_participant)]
