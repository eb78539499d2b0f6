"""Mail from the console (trekkers' addresses, settings, previews) and one-click unsubscribe."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from app.deps import (
    FacilitatedWorkshop,
    ReadSessionDep,
    SessionDep,
    SettingsDep,
    UserDep,
    verify_csrf,
)
from app.i18n import N_, language_of, translate
from app.ids import DbId
from app.mail_models import MailKind
from app.mail_templates import render_parts
from app.models import utcnow
from app.services import mail_console, mail_contacts, mail_messages
from app.services.agenda_sheet import local_today
from app.web import is_htmx, redirect, render

router = APIRouter()
Csrf = [Depends(verify_csrf)]
Text = Annotated[str, Form(max_length=400)]


def _back(request: Request, workshop_id: int, message: str) -> Response:
    request.session["flash"] = translate(language_of(request), message)
    return Response(status_code=204) if is_htmx(request) else redirect(f"/workshops/{workshop_id}")


@router.post("/workshops/{workshop_id}/mail/owners", dependencies=Csrf)
def owner_email(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    owner_name: Text = "",
    owner_organisation: Text = "",
    email: Text = "",
) -> Response:
    mail_console.save_owner_email(
        session=session,
        workshop=workshop,
        owner_name=owner_name,
        owner_organisation=owner_organisation,
        email=email,
    )
    return _back(request, workshop_id, N_("Het e-mailadres is opgeslagen."))


@router.post("/workshops/{workshop_id}/mail/settings", dependencies=Csrf)
def mail_settings(
    request: Request,
    workshop_id: DbId,
    workshop: FacilitatedWorkshop,
    session: SessionDep,
    reminder_days: Text = "",
    language: Annotated[Literal["nl", "en"], Form()] = "nl",
) -> Response:
    mail_console.save_settings(
        session=session, workshop=workshop, reminder_days=reminder_days, language=language
    )
    return _back(request, workshop_id, N_("De instellingen voor e-mail zijn opgeslagen."))


@router.get("/workshops/{workshop_id}/mail/preview/{item_id}/{kind}")
def preview(
    workshop: FacilitatedWorkshop,
    item_id: DbId,
    kind: MailKind,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    part: Literal["html", "text"] = "html",
) -> Response:
    """The message as it would go out; nothing is sent or stored."""
    mail = mail_messages.preview(
        session=session,
        settings=settings,
        workshop=workshop,
        item_id=item_id,
        kind=kind,
        user=user,
        today=local_today(),
        now=utcnow(),
    )
    text, html = render_parts(mail)
    # A mail's styles are inline (mail clients ignore stylesheets); the preview allows those
    # and nothing else: no scripts, no requests, no forms.
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'"
    )
    headers = {"Cache-Control": "private, no-store", "Content-Security-Policy": csp}
    if part == "text":
        return PlainTextResponse(
            f"Subject: {mail.subject}\nTo: {mail.to}\n\n{text}", headers=headers
        )
    return HTMLResponse(html, headers=headers)


@router.get("/mail/afmelden/{token}", name="mail_unsubscribe")
def unsubscribe_page(
    request: Request, token: str, session: ReadSessionDep, settings: SettingsDep
) -> Response:
    # A GET never unsubscribes: link checkers and virus scanners open every link in a mail.
    contact = mail_contacts.contact_by_unsubscribe_token(
        session=session, secret=settings.resolved_secret_key(), token=token
    )
    context = {"token": token, "done": contact.unsubscribed_at is not None}
    return render(request, "mail_unsubscribe.html", context)


@router.post("/mail/afmelden/{token}")
def unsubscribe(
    request: Request, token: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """RFC 8058 one-click unsubscribe. Deliberately without a CSRF token: a mail client posts
    here from outside any session, and the unguessable token in the URL is the credential."""
    mail_contacts.unsubscribe(session=session, secret=settings.resolved_secret_key(), token=token)
    return render(request, "mail_unsubscribe.html", {"token": token, "done": True})
