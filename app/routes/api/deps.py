"""Who is calling the API: a facilitator or a participant, by bearer token (no cookies)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer

from app.deps import ReadSessionDep, SettingsDep
from app.ids import DbId
from app.models import Participant, User
from app.services.errors import NotFound
from app.services.tokens import InvalidToken, bearer_holder

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
        return bearer_holder(
            session=session, secret_key=settings.resolved_secret_key(), token=token
        )
    except InvalidToken as exc:
        raise _unauthorized(exc.message) from None


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


FacilitatorDep = Annotated[User, Depends(api_facilitator)]
WorkshopParticipantDep = Annotated[Participant, Depends(workshop_participant)]
