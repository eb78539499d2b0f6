"""Mail from Jinja templates: templates/mail/<kind>.txt and .html, in Dutch or English.

HTML is autoescaped exactly as pages are; the plain-text part is not escaped (it is no HTML).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.i18n import LANGUAGES, MONTHS, translations_for

# The pages' template folder; the mail templates sit in its mail/ subfolder.
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass
class Attachment:
    filename: str
    maintype: str
    subtype: str
    data: bytes


@dataclass
class Mail:
    """A message before it is rendered: who, what kind, and the template's context."""

    to: str
    kind: str
    lang: str
    subject: str
    context: dict[str, Any]
    unsubscribe_url: str
    message_id: str
    attachments: list[Attachment] = field(default_factory=list)


def _build(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    translations = translations_for(lang)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    gettext: Callable[[str], str] = translations.gettext

    def day(value: date | None) -> str:
        if value is None:
            return ""
        return f"{value.day} {gettext(MONTHS[value.month - 1])} {value.year}"

    def month(value: date) -> str:
        return f"{gettext(MONTHS[value.month - 1])} {value.year}"

    env.filters["day"] = day
    env.filters["month"] = month
    return env


MAIL_ENVIRONMENTS = {lang: _build(lang) for lang in LANGUAGES}


def mail_env(lang: str) -> Environment:
    return MAIL_ENVIRONMENTS.get(lang, MAIL_ENVIRONMENTS["nl"])


def render_parts(mail: Mail) -> tuple[str, str]:
    """The plain-text and the HTML body."""
    env = mail_env(mail.lang)
    context = {
        **mail.context,
        "subject": mail.subject,
        "unsubscribe_url": mail.unsubscribe_url,
        "lang": mail.lang,
    }
    text = env.get_template(f"mail/{mail.kind}.txt").render(context)
    html = env.get_template(f"mail/{mail.kind}.html").render(context)
    return text, html


def to_message(mail: Mail, *, sender: str, now: datetime) -> EmailMessage:
    text, html = render_parts(mail)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = mail.message_id
    # RFC 8058: a mail client may unsubscribe with one POST, without opening a page.
    message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for part in mail.attachments:
        message.add_attachment(
            part.data, maintype=part.maintype, subtype=part.subtype, filename=part.filename
        )
    return message
