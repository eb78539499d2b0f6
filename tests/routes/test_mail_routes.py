"""Mail through the app: owner_email in the API, the console box, previews, one-click unsubscribe,
and purge and delete taking the addresses with them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import select

from app.config import Settings
from app.db import Database
from app.mail_models import MailContact, MailOutbox
from app.mail_transport import transport_from
from app.models import User, Workshop
from app.services import mail_outbox, privacy
from tests.conftest import csrf_of
from tests.factories import RecordingPublisher
from tests.live.helpers import as_cookie, sign_up_and_create
from tests.support.smtp_server import smtp_server

SCRIPT = "<script>alert(1)</script>"
NOW = datetime(2026, 9, 1, 8, tzinfo=UTC)


def _facilitator(client: TestClient) -> tuple[int, dict[str, str]]:
    cookie, workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    token = csrf_of(client.get(f"/workshops/{workshop_id}").text)
    return workshop_id, {"X-CSRF-Token": token}


def test_owner_email_is_shared_by_an_owners_items_and_validated(client: TestClient) -> None:
    wid, headers = _facilitator(client)
    base = f"/api/v1/workshops/{wid}/agenda/items"
    bad = client.post(
        base, json={"title": "X", "owner_name": "Sanne", "owner_email": "sanne@"}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == "Dit e-mailadres klopt niet: sanne@"
    sanne = {"title": "Visie", "owner_name": "Sanne", "owner_email": "sanne@school.example"}
    first = client.post(base, json=sanne, headers=headers)
    assert first.status_code == 201 and first.json()["owner_email"] == "sanne@school.example"
    second = client.post(base, json={"title": "Protocol", "owner_name": "SANNE"}, headers=headers)
    assert second.json()["owner_email"] == "sanne@school.example"
    changed = client.patch(
        f"{base}/{second.json()['id']}",
        json={"version": 1, "owner_email": "s.de.vries@school.example"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    listed = client.get(base, headers=headers).json()
    assert {i["owner_email"] for i in listed} == {"s.de.vries@school.example"}
    nobody = client.post(base, json={"title": "Y", "owner_email": "a@b.nl"}, headers=headers)
    assert nobody.status_code == 422


def test_console_says_mail_is_off_and_previews_escape_titles(client: TestClient) -> None:
    wid, headers = _facilitator(client)
    item = client.post(
        f"/api/v1/workshops/{wid}/agenda/items",
        json={"title": SCRIPT, "owner_name": "Sanne", "due_date": "2026-11-01"},
        headers=headers,
    ).json()
    page = client.get(f"/workshops/{wid}").text
    assert 'id="console-mail"' in page
    assert "E-mail staat uit" in page
    html = client.get(f"/workshops/{wid}/mail/preview/{item['id']}/assignment")
    assert html.status_code == 200
    assert "script-src" not in html.headers["content-security-policy"]  # default-src 'none'
    assert SCRIPT not in html.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in html.text
    text = client.get(f"/workshops/{wid}/mail/preview/{item['id']}/reminder?part=text").text
    assert f"* {SCRIPT}" in text  # plain text is not HTML: nothing to escape
    for kind in ("overdue", "checkin_summary", "review_summary", "owner_changes"):
        response = client.get(f"/workshops/{wid}/mail/preview/{item['id']}/{kind}")
        assert response.status_code == 200, (kind, response.text)


def test_one_click_unsubscribe_stops_further_mail(
    client: TestClient, db: Database, settings: Settings
) -> None:
    wid, headers = _facilitator(client)
    base = f"/api/v1/workshops/{wid}/agenda/items"
    client.post(
        base,
        json={
            "title": "Visie",
            "owner_name": "Sanne",
            "owner_email": "sanne@school.example",
            "due_date": "2026-11-01",
        },
        headers=headers,
    )
    with smtp_server() as (inbox, port):
        mail = settings.model_copy(
            update={"smtp_url": f"smtp://127.0.0.1:{port}", "mail_from": "agenda@school.example"}
        )
        transport = transport_from(mail)
        assert transport is not None
        mail_outbox.run_once(db=db, settings=mail, transport=transport, now=NOW)
        assert len(inbox.messages) == 1
        message = inbox.messages[0]
        url = re.search(r"<([^>]+)>", str(message["List-Unsubscribe"]))
        assert url is not None
        path = url.group(1).removeprefix("http://localhost:8000")
        # The owner link in the mail opens the trekker's page.
        body = message.get_body(("plain",))
        assert body is not None
        owner = re.search(r"http://localhost:8000(/o/[0-9a-f]+)", body.get_content())
        assert owner is not None, body.get_content()
        assert "Visie" in client.get(owner.group(1)).text
        # A mail client posts as RFC 8058 says: no cookie, no CSRF token.
        client.cookies.clear()
        assert client.get(path).status_code == 200  # a GET only asks
        done = client.post(path, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "Je bent afgemeld" in done.text
        assert client.post("/mail/afmelden/1.bogus").status_code == 404
        with db.writing() as s:
            s.exec(select(MailOutbox)).one()  # the sent assignment is kept as a record
        later = datetime(2026, 10, 25, 8, tzinfo=UTC)
        mail_outbox.run_once(db=db, settings=mail, transport=transport, now=later)
        assert len(inbox.messages) == 1


def test_purge_and_delete_remove_addresses_and_outbox(client: TestClient, db: Database) -> None:
    wid, headers = _facilitator(client)
    base = f"/api/v1/workshops/{wid}/agenda/items"
    client.post(
        base,
        json={"title": "Visie", "owner_name": "Sanne", "owner_email": "sanne@school.example"},
        headers=headers,
    )
    from app.services.mail_planner import plan

    with db.writing() as s:
        plan(session=s, today=NOW.date(), now=NOW)
        assert len(s.exec(select(MailOutbox)).all()) == 1
        workshop = s.get(Workshop, wid)
        assert workshop is not None
        privacy.purge_workshop(session=s, publisher=RecordingPublisher(), workshop=workshop)
        assert s.exec(select(MailContact)).all() == []
        assert s.exec(select(MailOutbox)).all() == []
    client.post(
        base,
        json={"title": "Nog een", "owner_name": "Ahmed", "owner_email": "ahmed@school.example"},
        headers=headers,
    )
    with db.writing() as s:
        assert len(s.exec(select(MailContact)).all()) == 1
    with db.writing() as s:
        workshop = s.get(Workshop, wid)
        assert workshop is not None
        owner = s.get(User, workshop.owner_id)
        assert owner is not None
        privacy.delete_workshop(session=s, workshop=workshop, by=owner)
        assert s.exec(select(MailContact)).all() == []
