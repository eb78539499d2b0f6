"""Facilitator accounts: creation, password checks, ending sessions."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.events import Event, Publisher
from app.models import User
from app.services.errors import Conflict, InvalidInput
from app.services.limits import Limits
from app.services.text import is_plain

_hasher = PasswordHasher()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _lookup(session: Session, email: str) -> User | None:
    email = normalise_email(email)
    # A NUL or a lone surrogate is in no address of ours, and PostgreSQL refuses to compare it.
    if not is_plain(email) or len(email) > 254:
        return None
    return session.exec(select(User).where(User.email == email)).first()


def user_count(*, session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(User)).one())


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_PASSWORD)
    if len(password) > 1024:
        raise InvalidInput("Dat wachtwoord is te lang.")


def create_user(*, session: Session, email: str, password: str) -> User:
    email = normalise_email(email)
    if not _EMAIL.fullmatch(email) or not is_plain(email) or len(email) > 254:
        raise InvalidInput("Vul een geldig e-mailadres in.")
    _check_password(password)
    if _lookup(session, email) is not None:
        raise Conflict("Er bestaat al een account met dit e-mailadres.")
    user = User(email=email, password_hash=_hasher.hash(password))
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    user = _lookup(session, email)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal accounts.
        _hasher.hash(password)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.add(user)
        session.commit()
    return user


def login(
    *, session: Session, email: str, password: str, limits: Limits, client: str
) -> User | None:
    """authenticate(), throttled per e-mail address and client (TooManyAttempts when over)."""
    limits.check_login(email, client)
    user = authenticate(session=session, email=email, password=password)
    if user is None:
        limits.login_failed(email, client)
    else:
        limits.login_succeeded(email, client)
    return user


def get_user(*, session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def session_user(*, session: Session, user_id: int, version: object) -> User | None:
    """The user of a browser session, unless logout or a password change ended it."""
    user = session.get(User, user_id)
    if user is None or not isinstance(version, int) or version != user.session_version:
        return None
    return user


def end_sessions(*, session: Session, publisher: Publisher, user: User) -> None:
    """Log out everywhere: every session cookie and API token of this account stops working,
    and its open console and projector sockets close (4403)."""
    assert user.id is not None
    session.execute(
        update(User)
        .where(col(User.id) == user.id)
        .values(session_version=col(User.session_version) + 1)
    )
    session.commit()
    publisher.publish(Event(workshop_id=0, seq=0, topics=frozenset(), revoked_user=user.id))


def change_password(*, session: Session, publisher: Publisher, user: User, password: str) -> None:
    """A new password ends every session and token issued before it."""
    _check_password(password)
    user.password_hash = _hasher.hash(password)
    session.add(user)
    session.commit()
    end_sessions(session=session, publisher=publisher, user=user)


def find_user_by_email(*, session: Session, email: str) -> User | None:
    return _lookup(session, email)
