"""Who is calling the API: a facilitator or a participant by bearer token; for the agenda and
groups API also a facilitator's browser session, which then sends its CSRF token."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer

from app.config import Settings
from app.db import Database
from app.deps import OptionalUserDep, ReadSessionDep, SessionDep, SettingsDep, verify_csrf
from app.ids import DbId
from app.models import Participant, User, Workshop
from app.services.errors import DomainError, NotFound
from app.services.tokens import InvalidToken, bearer_holder
from app.services.workshops import workshop_for_facilitator

TOKEN_URL = "/api/v1/auth/token"

facilitator_scheme = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    scheme_name="FacilitatorToken",
    description="A facilitator token from POST /api/v1/auth/token.",
    auto_error=False,
)
participant_scheme = HTTPBearer(
    scheme_name="ParticipantToken",
    description="A participant token from POST /api/v1/join.",
    auto_error=False,
)


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status_code=401, detail=message, headers={"WWW-Authenticate": "Bearer"})


def _holder(
    token: str | None, session: ReadSessionDep, settings: SettingsDep
) -> User | Participant:
    if not token:
        raise _unauthorized("Stuur een token mee: Authorization: Bearer <token>.")
    try:
        holder = bearer_holder(
            session=session, secret_key=settings.resolved_secret_key(), token=token
        )
    except InvalidToken as exc:
        raise _unauthorized(exc.message) from None
    # End the read, so no snapshot stays open for the whole request (see optional_user).
    session.commit()
    return holder


def api_facilitator(
    token: Annotated[str | None, Depends(facilitator_scheme)],
    session: ReadSessionDep,
    settings: SettingsDep,
) -> User:
    holder = _holder(token, session, settings)
    if not isinstance(holder, User):
        raise HTTPException(403, "Hiervoor is een begeleiderstoken nodig, geen deelnemerstoken.")
    return holder


def api_participant(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(participant_scheme)],
    session: ReadSessionDep,
    settings: SettingsDep,
) -> Participant:
    holder = _holder(credentials.credentials if credentials else None, session, settings)
    if not isinstance(holder, Participant):
        raise HTTPException(403, "Hiervoor is een deelnemerstoken nodig, geen begeleiderstoken.")
    return holder


def workshop_participant(
    workshop_id: DbId, participant: Annotated[Participant, Depends(api_participant)]
) -> Participant:
    """The participant, if the workshop in the path is theirs; no hint that others exist."""
    if participant.workshop_id != workshop_id:
        raise NotFound("Deze bijeenkomst bestaat niet of je hebt er geen toegang toe.")
    return participant


def token_facilitated_workshop(
    workshop_id: DbId, session: SessionDep, user: Annotated[User, Depends(api_facilitator)]
) -> Workshop:
    """The workshop in the path, if the token's facilitator may steer it (404 otherwise)."""
    return workshop_for_facilitator(session=session, workshop_id=workshop_id, user=user)


def _valid_bearer(request: Request) -> bool:
    """A well-formed `Authorization: Bearer <token>` whose token is ours and still valid."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    settings: Settings = request.app.state.settings
    db: Database = request.app.state.db
    with db.reading() as session:
        try:
            bearer_holder(
                session=session, secret_key=settings.resolved_secret_key(), token=token.strip()
            )
        except InvalidToken:
            return False
    return True


async def csrf_unless_bearer(request: Request) -> None:
    """A logged-in browser session sends its CSRF token. Only a valid bearer token (no ambient
    credential) or no login at all needs none; without either the call is refused with 401
    further on. Any other Authorization header (Basic, a forged token) changes nothing."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or "user_id" not in request.session:
        return
    if await anyio.to_thread.run_sync(_valid_bearer, request):
        return
    await verify_csrf(request)


class NotLoggedIn(DomainError):
    status = 401

    def __init__(self) -> None:
        super().__init__("Log eerst in als begeleider.")


def token_or_session_user(
    user: OptionalUserDep,
    token: Annotated[str | None, Depends(facilitator_scheme)],
    session: ReadSessionDep,
    settings: SettingsDep,
) -> User:
    """The facilitator by bearer token, else by browser session (csrf_unless_bearer checks
    the latter's CSRF token)."""
    if token:
        return api_facilitator(token, session, settings)
    if user is None:
        raise NotLoggedIn()
    return user


def facilitated_workshop(
    workshop_id: DbId,
    session: SessionDep,
    user: Annotated[User, Depends(token_or_session_user)],
) -> Workshop:
    """The workshop in the path, if the caller may steer it (404 otherwise, revealing nothing)."""
    return workshop_for_facilitator(session=session, workshop_id=workshop_id, user=user)


FacilitatorDep = Annotated[User, Depends(api_facilitator)]
WorkshopParticipantDep = Annotated[Participant, Depends(workshop_participant)]
# A facilitator's workshop: by bearer token only (app/routes/api/), or by token or browser
# session (the agenda and groups API, whose routers depend on csrf_unless_bearer).
TokenFacilitatedWorkshop = Annotated[Workshop, Depends(token_facilitated_workshop)]
ApiFacilitatedWorkshop = Annotated[Workshop, Depends(facilitated_workshop)]
TokenOrSessionUser = Annotated[User, Depends(token_or_session_user)]
