"""API bearer tokens: signed, time-limited facilitator tokens; participant tokens by hash."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from app.config import Settings
from app.decks import Deck
from app.models import Participant, User, utcnow
from app.services.limits import Limits
from app.services.tokens import (
    FACILITATOR_TOKEN_TTL,
    InvalidToken,
    bearer_holder,
    issue_facilitator_token,
    login_for_token,
)
from tests.factories import PASSWORD, make_participant, make_user, make_workshop

SECRET = "test-secret-for-tokens"


def test_a_facilitator_token_names_its_user(session: Session) -> None:
    user = make_user(session)
    token = issue_facilitator_token(secret_key=SECRET, user=user)
    holder = bearer_holder(session=session, secret_key=SECRET, token=token)
    assert isinstance(holder, User)
    assert holder.id == user.id


def test_a_token_is_good_until_its_time_is_up_and_not_a_second_longer(session: Session) -> None:
    user = make_user(session)
    # Tokens count whole seconds.
    issued = utcnow().replace(microsecond=0) - FACILITATOR_TOKEN_TTL
    token = issue_facilitator_token(secret_key=SECRET, user=user, now=issued)
    assert bearer_holder(session=session, secret_key=SECRET, token=token, now=issued).id == user.id
    almost = issued + FACILITATOR_TOKEN_TTL
    assert bearer_holder(session=session, secret_key=SECRET, token=token, now=almost).id == user.id
    with pytest.raises(InvalidToken, match="verlopen"):
        bearer_holder(
            session=session, secret_key=SECRET, token=token, now=almost + timedelta(seconds=1)
        )


def test_a_token_from_the_future_is_refused(session: Session) -> None:
    user = make_user(session)
    token = issue_facilitator_token(secret_key=SECRET, user=user, now=utcnow() + timedelta(days=1))
    with pytest.raises(InvalidToken, match="ongeldig"):
        bearer_holder(session=session, secret_key=SECRET, token=token)


def test_another_secret_or_a_changed_byte_makes_a_token_worthless(session: Session) -> None:
    user = make_user(session)
    token = issue_facilitator_token(secret_key=SECRET, user=user)
    with pytest.raises(InvalidToken):
        bearer_holder(session=session, secret_key="another-secret", token=token)
    payload, signature = token.rsplit(".", 1)
    forged = f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    with pytest.raises(InvalidToken):
        bearer_holder(session=session, secret_key=SECRET, token=forged)


def test_a_token_of_a_deleted_account_is_refused(session: Session) -> None:
    user = make_user(session)
    token = issue_facilitator_token(secret_key=SECRET, user=user)
    session.delete(user)
    session.commit()
    with pytest.raises(InvalidToken, match="bestaat niet meer"):
        bearer_holder(session=session, secret_key=SECRET, token=token)


def test_a_participant_token_names_its_participant(
    session: Session, decks: dict[str, Deck]
) -> None:
    workshop = make_workshop(session, owner=make_user(session), decks=decks)
    person, token = make_participant(session, workshop=workshop)
    holder = bearer_holder(session=session, secret_key=SECRET, token=token)
    assert isinstance(holder, Participant)
    assert holder.id == person.id
    with pytest.raises(InvalidToken):
        bearer_holder(session=session, secret_key=SECRET, token=token + "x")


def test_login_gives_a_token_only_for_the_right_password(session: Session) -> None:
    user = make_user(session)
    limits = Limits(Settings(environment="test"))
    token = login_for_token(
        session=session,
        secret_key=SECRET,
        email=" Begeleider@Example.nl",
        password=PASSWORD,
        limits=limits,
        client="127.0.0.1",
    )
    assert bearer_holder(session=session, secret_key=SECRET, token=token).id == user.id
    for email, password in [(user.email, "wrong password"), ("nobody@example.nl", PASSWORD)]:
        with pytest.raises(InvalidToken, match="klopt niet"):
            login_for_token(
                session=session,
                secret_key=SECRET,
                email=email,
                password=password,
                limits=limits,
                client="127.0.0.1",
            )
