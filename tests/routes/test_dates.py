"""One accepted date range (2000-2100) on every way in, and no 500 for a far-future date
already stored."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlmodel import select

from app.agenda_models import Agenda, AgendaItem
from app.db import Database
from app.models import Workshop
from app.services import owners
from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, sign_up_and_create

RANGE = "tussen 1 januari 2000 en 31 december 2100"


def _facilitator(client: TestClient) -> tuple[int, dict[str, str]]:
    cookie, workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    return workshop_id, {"X-CSRF-Token": csrf_of(client.get(f"/workshops/{workshop_id}").text)}


def test_dates_outside_2000_2100_are_refused_with_a_dutch_message(client: TestClient) -> None:
    wid, headers = _facilitator(client)
    items = f"/api/v1/workshops/{wid}/agenda/items"
    for day in ("9999-12-31", "1999-12-31", "2101-01-01"):
        refused = client.post(items, json={"title": "Ver weg", "due_date": day}, headers=headers)
        assert refused.status_code == 422, day
        assert RANGE in refused.json()["detail"]
    made = client.post(items, json={"title": "Op tijd", "due_date": "2100-12-31"}, headers=headers)
    assert made.status_code == 201
    edit = client.patch(
        f"{items}/{made.json()['id']}",
        json={"version": made.json()["version"], "due_date": "9999-12-31"},
        headers=headers,
    )
    assert edit.status_code == 422 and RANGE in edit.json()["detail"]
    # The forms, as a facilitator types them.
    form = client.post(
        f"/workshops/{wid}/agenda/items",
        data={
            "title": "Formulier",
            "due_date": "9999-12-31",
            "csrf_token": headers["X-CSRF-Token"],
        },
    )
    assert form.status_code == 422 and RANGE in form.text
    review = client.post(
        f"/workshops/{wid}/agenda/dates",
        data={"review_date": "9999-12-31", "csrf_token": headers["X-CSRF-Token"]},
    )
    assert review.status_code == 422 and RANGE in review.text
    assert [i["title"] for i in client.get(items).json()] == ["Op tijd"]


def test_far_future_dates_already_stored_break_no_page_or_export(
    client: TestClient, db: Database
) -> None:
    wid, headers = _facilitator(client)
    client.post(
        f"/api/v1/workshops/{wid}/agenda/items",
        json={"title": "Ooit", "owner_name": "Sanne", "due_date": "2100-12-31"},
        headers=headers,
    )
    # As an older version or a hand-edited database may have left them.
    with db.writing() as session:
        workshop = session.get(Workshop, wid)
        assert workshop is not None
        workshop.created_at = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
        item = session.exec(select(AgendaItem)).one()
        item.due_date = date(9999, 12, 31)
        agenda = session.exec(select(Agenda)).one()
        agenda.review_date = date(9999, 12, 31)
        session.add_all([workshop, item, agenda])
        session.commit()
        _link, token = owners.create_link(
            session=session, workshop=workshop, owner_name="Sanne", owner_organisation=None
        )
    paths = [
        "/dashboard",
        f"/workshops/{wid}",
        f"/workshops/{wid}/agenda",
        f"/o/{token}",
        f"/o/{token}/agenda.ics",
        *(
            f"/api/v1/workshops/{wid}/{name}"
            for name in (
                "agenda.ics",
                "agenda.xlsx",
                "agenda.csv",
                "agenda.md",
                "answers.md",
                "export.json",
                "agenda.pdf",
                "answers.pdf",
            )
        ),
    ]
    for path in paths:
        assert client.get(path).status_code == 200, path
