"""Sign-up on first run, login and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.deps import (
    ClientDep,
    LimitsDep,
    OptionalUserDep,
    PublisherDep,
    SessionDep,
    verify_csrf,
)
from app.i18n import N_, language_of, translate
from app.services import accounts
from app.services.errors import DomainError
from app.services.limits import TooManyAttempts
from app.web import redirect, render, safe_next

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/")
def home(request: Request, session: SessionDep, user: OptionalUserDep) -> Response:
    if accounts.user_count(session=session) == 0:
        return redirect("/setup")
    return render(request, "home.html", {"user": user})


@router.get("/setup")
def setup_form(request: Request, session: SessionDep) -> Response:
    if accounts.user_count(session=session) > 0:
        return redirect("/login")
    return render(request, "setup.html")


@router.post("/setup")
def setup(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    # Only while no account exists: afterwards accounts come from the command line.
    if accounts.user_count(session=session) > 0:
        return redirect("/login")
    try:
        user = accounts.create_user(session=session, email=email, password=password)
    except DomainError as exc:
        return render(
            request,
            "setup.html",
            {"error": exc.translated(language_of(request)), "email": email},
            status=exc.status,
        )
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["sv"] = user.session_version
    return redirect("/dashboard")


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    limits: LimitsDep,
    client: ClientDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    context: dict[str, object] = {"email": email, "next": safe_next(next)}
    try:
        user = accounts.login(
            session=session, email=email, password=password, limits=limits, client=client
        )
    except TooManyAttempts as exc:
        error = exc.translated(language_of(request))
        response = render(request, "login.html", {**context, "error": error}, status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if user is None:
        context["error"] = translate(
            language_of(request), N_("E-mailadres of wachtwoord klopt niet.")
        )
        return render(request, "login.html", context, status=400)
    participants = request.session.get("participants")
    request.session.clear()
    if participants:
        request.session["participants"] = participants
    request.session["user_id"] = user.id
    request.session["sv"] = user.session_version
    return redirect(safe_next(next))


@router.post("/logout")
def logout(
    request: Request, session: SessionDep, publisher: PublisherDep, user: OptionalUserDep
) -> Response:
    # Server-side: a copy of this cookie kept elsewhere stops working too.
    if user is not None:
        accounts.end_sessions(session=session, publisher=publisher, user=user)
    for key in ("user_id", "sv", "csrf"):
        request.session.pop(key, None)
    return redirect("/")
