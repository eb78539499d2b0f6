"""Facilitator tokens by the OAuth2 password flow."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from app.api.errors import ApiRoute
from app.api.schemas import TokenOut
from app.deps import ClientDep, LimitsDep, SessionDep, SettingsDep
from app.services.tokens import FACILITATOR_TOKEN_TTL, login_for_token

router = APIRouter(route_class=ApiRoute, tags=["auth"])


@router.post("/auth/token")
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    limits: LimitsDep,
    client: ClientDep,
) -> TokenOut:
    """Trade a facilitator's e-mail (as `username`) and password for a bearer token.

    Failed attempts are limited per e-mail address and client: over the limit, 429.
    """
    access_token = login_for_token(
        session=session,
        secret_key=settings.resolved_secret_key(),
        email=form.username,
        password=form.password,
        limits=limits,
        client=client,
    )
    return TokenOut(
        access_token=access_token, expires_in=int(FACILITATOR_TOKEN_TTL.total_seconds())
    )
