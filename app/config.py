"""All settings in one object, read from environment variables with safe defaults."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDERS = {"", "changethis", "change-me", "secret", "changeme"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    environment: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite:///data/gesprekskaarten.db"
    # memory:// for one process; redis://host:port/db for several workers.
    broadcast_url: str = "memory://"
    # The Redis pub/sub channel; give each deployment sharing one Redis its own.
    broadcast_channel: str = "gesprekskaarten:events"
    secret_key: str | None = None
    # Where a development secret key is kept when SECRET_KEY is unset.
    data_dir: Path = Path("data")
    cards_dir: Path | None = None
    # Browsers must open websockets from one of these origins; empty means "same host".
    allowed_origins: list[str] = []
    session_cookie: str = "gk_session"
    https_only_cookies: bool = False
    # Push coalescing window: many answers in one tick become one message per client, so a
    # phone gets at most 10 pushes/s (plus its own acknowledgements); a lone change still goes
    # out at once. See docs/performance.md.
    push_tick_seconds: float = 0.1
    # How often each worker looks for timers that ran out (and closes answering there).
    timer_check_seconds: float = 0.5
    # Per-connection queue of pending pushes; a client that falls this far behind is dropped.
    client_queue_size: int = 64
    client_send_timeout_seconds: float = 5.0
    # On PostgreSQL, set every participant offline when a worker starts (SQLite always does).
    # Right when all workers restart together, as after a crash or a deploy; a single worker
    # restarted alone makes the others' phones show offline until they reconnect.
    presence_reset_on_start: bool = True
    # Keep below uvicorn's --ws-max-size (Makefile), so an oversized message gets a Dutch
    # error from the app instead of a dropped connection.
    max_ws_message_bytes: int = 16 * 1024
    # E-mail (docs/mail.md): no mail at all while SMTP_URL or MAIL_FROM is unset.
    # smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465.
    smtp_url: str | None = None
    smtp_username: str | None = None
    smtp_password: str | None = None
    # A CA bundle to trust for the mail server (a private CA); the system's by default.
    smtp_ca_file: Path | None = None
    mail_from: str | None = None
    # The address people reach the app at, for links in mail (no request to take it from).
    public_url: str = "http://localhost:8000"
    mail_interval_seconds: float = 60.0
    # A send is tried this often (with growing pauses) before the console shows it failed.
    mail_max_tries: int = 6
    # A claim older than this is taken to be from a crashed worker and tried again.
    mail_claim_stale_seconds: float = 600.0
    # Request bodies (forms, JSON) are refused past this size before they are parsed (413);
    # the archive import of a whole workshop may be larger, but is bounded too.
    max_body_bytes: int = 1024 * 1024
    max_import_bytes: int = 20 * 1024 * 1024
    # Abuse limits, per process (app/services/limits.py), each counted over this window.
    limit_window_seconds: float = 60.0
    # Wrong join codes from one client, and from everyone together.
    join_failures_per_client: int = 10
    join_failures_overall: int = 1000
    # New participants from one client (a venue's wifi may put a whole room behind one
    # address) and into one workshop, per window.
    joins_per_client: int = 120
    joins_per_workshop: int = 600
    # Failed logins per e-mail address and client.
    login_failures_per_account: int = 5
    # Writes (answer, edit, withdraw, +1) per participant.
    answers_per_participant: int = 30

    @model_validator(mode="after")
    def _no_placeholder_secret_outside_development(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key is None or self.secret_key.lower() in _PLACEHOLDERS
        ):
            raise ValueError("SECRET_KEY must be set to a real secret when ENVIRONMENT=production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def resolved_secret_key(self) -> str:
        """The configured key, or in development one kept in the data directory."""
        if self.secret_key:
            return self.secret_key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
