"""Bearer tokens for the JSON API: signed, time-limited facilitator tokens, participant tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, select

from app.models import Participant, User, utcnow
from app.services.accounts import get_user, login
from app.services.errors import DomainError
from app.services.limits import Limits
from app.services.roster import hash_token

FACILITATOR_TOKEN_TTL = timedelta(hours=12)
# A token from a clock slightly ahead is fine; one from the far future was not made here.
_CLOCK_SKEW = timedelta(minutes=5)
_SALT = "gesprekskaarten.api.facilitator.v1"


class InvalidToken(DomainError):
    """No valid credentials: a missing, forged, expired or revoked token, or a wrong password."""

    status = 401


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def issue_facilitator_token(*, secret_key: str, user: User, now: datetime | None = None) -> str:
    """A token carrying the user id and when it was issued, signed with the app's secret."""
    assert user.id is not None
    issued = int((now or utcnow()).timestamp())
    return _serializer(secret_key).dumps({"u": user.id, "iat": issued, "v": user.session_version})


def login_for_token(
    *, session: Session, secret_key: str, email: str, password: str, limits: Limits, client: str
) -> str:
    """The OAuth2 password flow: e-mail and password in, a facilitator token out."""
    user = login(session=session, email=email, password=password, limits=limits, client=client)
    if user is None:
        raise InvalidToken("E-mailadres of wachtwoord klopt niet.")
    return issue_facilitator_token(secret_key=secret_key, user=user)


def _facilitator_claims(secret_key: str, token: str) -> tuple[int, datetime, int] | None:
    """(user id, issued at, session generation) if the signature is ours; None if it is not a
    facilitator token."""
    try:
        data: Any = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, issued, version = data.get("u"), data.get("iat"), data.get("v", 0)
    if not isinstance(user_id, int) or not isinstance(issued, int) or not isinstance(version, int):
        return None
    return user_id, datetime.fromtimestamp(issued, UTC), version


def bearer_holder(
    *, session: Session, secret_key: str, token: str, now: datetime | None = None
) -> User | Participant:
    """Who a bearer token belongs to: a facilitator account or a participant."""
    now = now or utcnow()
    claims = _facilitator_claims(secret_key, token)
    if claims is not None:
        user_id, issued, version = claims
        if issued > now + _CLOCK_SKEW:
            raise InvalidToken("Dit token is ongeldig.")
        if now - issued > FACILITATOR_TOKEN_TTL:
            raise InvalidToken("Dit token is verlopen. Vraag een nieuw token aan.")
        user = get_user(session=session, user_id=user_id)
        if user is None:
            raise InvalidToken("Het account van dit token bestaat niet meer.")
        if version != user.session_version:
            # Logged out or a new password since: every earlier token is revoked.
            raise InvalidToken("Dit token is ingetrokken. Vraag een nieuw token aan.")
        return user
    participant = session.exec(
        select(Participant).where(Participant.token_hash == hash_token(token))
    ).first()
    if participant is None:
        raise InvalidToken("Dit token is ongeldig.")
    return participant
