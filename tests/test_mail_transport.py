"""SMTP settings, and the app's own periodic mail pass in its lifespan."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import Database
from app.mail_transport import parse_smtp_url, transport_from
from app.main import create_app
from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, sign_up_and_create
from tests.support.smtp_server import smtp_server


def test_smtp_url_forms_and_credentials() -> None:
    plain = parse_smtp_url("smtp://mail.school.example")
    assert (plain.host, plain.port, plain.implicit_tls, plain.username) == (
        "mail.school.example", 587, False, None,
    )  # fmt: skip
    tls = parse_smtp_url("smtps://agenda%40school.example:p%40ss%3Aword@mail.example:2465")
    assert (tls.port, tls.implicit_tls) == (2465, True)
    assert (tls.username, tls.password) == ("agenda@school.example", "p@ss:word")
    separate = parse_smtp_url("smtp://u:p@mail.example", username="other", password="secret")
    assert (separate.username, separate.password) == ("other", "secret")
    with pytest.raises(ValueError, match="SMTP_URL"):
        parse_smtp_url("http://mail.example")


def test_no_transport_without_smtp_url_and_mail_from(settings: Settings) -> None:
    assert transport_from(settings) is None
    assert transport_from(settings.model_copy(update={"smtp_url": "smtp://x"})) is None
    both = settings.model_copy(update={"smtp_url": "smtp://x", "mail_from": "a@b.nl"})
    assert transport_from(both) is not None


def test_the_running_app_sends_due_mail_by_itself(settings: Settings, db: Database) -> None:
    with smtp_server() as (inbox, port):
        mail = settings.model_copy(
            update={
                "smtp_url": f"smtp://127.0.0.1:{port}",
                "mail_from": "agenda@school.example",
                "mail_interval_seconds": 0.2,
            }
        )
        with TestClient(create_app(mail), base_url="http://testserver") as client:
            cookie, wid, _code = sign_up_and_create(client)
            as_cookie(client, cookie)
            headers = {"X-CSRF-Token": csrf_of(client.get(f"/workshops/{wid}").text)}
            body = {"title": "Visie", "owner_name": "Sanne", "owner_email": "sanne@school.example"}
            made = client.post(f"/api/v1/workshops/{wid}/agenda/items", json=body, headers=headers)
            assert made.status_code == 201
            deadline = time.monotonic() + 20
            while not inbox.messages and time.monotonic() < deadline:
                time.sleep(0.1)
            assert [str(m["To"]) for m in inbox.messages] == ["sanne@school.example"]
            page = client.get(f"/workshops/{wid}").text
            assert "Verstuurd</span>" in page or "Verstuurd: 1" in page
