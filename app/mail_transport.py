"""Sending one message over SMTP: smtp:// (STARTTLS when the server offers it) or smtps://."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from app.config import Settings


class SendFailed(Exception):
    """The server refused the message or could not be reached; the outbox tries again later."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool
    username: str | None
    password: str | None


def parse_smtp_url(
    url: str, *, username: str | None = None, password: str | None = None
) -> SmtpConfig:
    """smtp://user:pass@host:587 or smtps://host:465; separate settings win over the URL's."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("SMTP_URL must look like smtp://host:587 or smtps://host:465")
    implicit = parts.scheme == "smtps"
    return SmtpConfig(
        host=parts.hostname,
        port=parts.port or (465 if implicit else 587),
        implicit_tls=implicit,
        username=username or (unquote(parts.username) if parts.username else None),
        password=password or (unquote(parts.password) if parts.password else None),
    )


class SmtpTransport:
    def __init__(
        self, config: SmtpConfig, *, ca_file: Path | None = None, timeout: float = 20.0
    ) -> None:
        self.config = config
        self.timeout = timeout
        self.context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)

    def send(self, message: EmailMessage) -> None:
        cfg = self.config
        try:
            client: smtplib.SMTP
            if cfg.implicit_tls:
                client = smtplib.SMTP_SSL(
                    cfg.host, cfg.port, timeout=self.timeout, context=self.context
                )
            else:
                client = smtplib.SMTP(cfg.host, cfg.port, timeout=self.timeout)
            with client:
                client.ehlo()
                if not cfg.implicit_tls and client.has_extn("starttls"):
                    client.starttls(context=self.context)
                    client.ehlo()
                if cfg.username and cfg.password:
                    client.login(cfg.username, cfg.password)
                client.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(f"{type(exc).__name__}: {exc}"[:500]) from exc


def mail_enabled(settings: Settings) -> bool:
    return bool(settings.smtp_url and settings.mail_from)


def transport_from(settings: Settings) -> SmtpTransport | None:
    """The configured transport, or None when mail is off (SMTP_URL or MAIL_FROM unset)."""
    if not settings.smtp_url or not settings.mail_from:
        return None
    config = parse_smtp_url(
        settings.smtp_url, username=settings.smtp_username, password=settings.smtp_password
    )
    return SmtpTransport(config, ca_file=settings.smtp_ca_file)
