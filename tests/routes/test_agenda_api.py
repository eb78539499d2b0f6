"""The agenda API under /api/v1 as a facilitator's browser uses it: session plus CSRF header."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import csrf_of
from tests.live.helpers import as_cookie, sign_up_and_create
from tests.routes.api_helpers import facilitator_token

SCRIPT = "<script>alert(1)</script>"


def _facilitator(client: TestClient) -> tuple[int, dict[str, str]]:
    cookie, workshop_id, _code = sign_up_and_create(client)
    as_cookie(client, cookie)
    token = csrf_of(client.get(f"/workshops/{workshop_id}").text)
    return workshop_id, {"X-CSRF-Token": token}


def test_create_list_edit_and_delete_an_item(client: TestClient) -> None:
    wid, headers = _facilitator(client)
    base = f"/api/v1/workshops/{wid}/agenda/items"
    made = client.post(
        base,
        json={"title": "Visie opschrijven", "owner_name": "Sanne", "due_date": "2026-11-01",
              "level": "sterke_basis"},
        headers=headers,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    item = made.json()
    assert (item["version"], item["status"], item["due_date"]) == (1, "open", "2026-11-01")
    listed = client.get(base).json()
    assert [i["id"] for i in listed] == [item["id"]]
    edited = client.patch(
        f"{base}/{item['id']}", json={"version": 1, "status": "bezig"}, headers=headers
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = client.patch(
        f"{base}/{item['id']}", json={"version": 1, "title": "Overschreven?"}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("Dit actiepunt is intussen door iemand anders")
    assert client.get(base).json()[0]["title"] == "Visie opschrijven"
    assert client.delete(f"{base}/{item['id']}", headers=headers).status_code == 204
    assert client.get(base).json() == []


def test_writes_need_the_csrf_token_and_bad_input_gets_json(client: TestClient) -> None:
    wid, headers = _facilitator(client)
    base = f"/api/v1/workshops/{wid}/agenda/items"
    assert client.post(base, json={"title": "Zonder token"}).status_code == 403
    blank = client.post(base, json={"title": "   "}, headers=headers)
    assert blank.status_code == 422 and "titel" in blank.json()["detail"]
    level = client.post(base, json={"title": "x", "level": "onbekend"}, headers=headers)
    assert level.status_code == 422
    assert client.get(base).json() == []


def test_only_a_valid_bearer_token_skips_the_csrf_check(client: TestClient) -> None:
    wid, _headers = _facilitator(client)
    base = f"/api/v1/workshops/{wid}/agenda/items"
    # The browser session's cookie rides along with each of these; none carries the CSRF token.
    for authorization in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer vervalst-token", "Token x"):
        refused = client.post(
            base, json={"title": "Langs CSRF?"}, headers={"Authorization": authorization}
        )
        assert refused.status_code == 403, authorization
        assert "verlopen" in refused.json()["detail"]
    assert client.get(base).json() == []
    created = client.post(base, json={"title": "Met token"}, headers=facilitator_token(client))
    assert created.status_code == 201


def test_strangers_get_401_or_404(client: TestClient) -> None:
    wid, _headers = _facilitator(client)
    client.cookies.clear()
    response = client.get(f"/api/v1/workshops/{wid}/agenda/items")
    assert response.status_code == 401 and response.json()["detail"]
    assert client.get(f"/api/v1/workshops/{wid}/agenda.csv").status_code == 401


def test_every_export_downloads_and_keeps_a_script_as_text(client: TestClient) -> None:
    wid, headers = _facilitator(client)
    client.post(
        f"/api/v1/workshops/{wid}/agenda/items",
        json={"title": SCRIPT, "due_date": "2027-03-01", "owner_organisation": "=cmd"},
        headers=headers,
    )
    api = f"/api/v1/workshops/{wid}"
    expected = {
        "agenda.pdf": "application/pdf",
        "agenda.ics": "text/calendar",
        "agenda.xlsx": "application/vnd.openxmlformats",
        "agenda.csv": "text/csv",
        "agenda.md": "text/markdown",
        "answers.md": "text/markdown",
        "answers.pdf": "application/pdf",
        "export.json": "application/json",
    }
    for name, media in expected.items():
        response = client.get(f"{api}/{name}")
        assert response.status_code == 200, (name, response.text[:200])
        assert response.headers["content-type"].startswith(media), name
        assert "attachment" in response.headers["content-disposition"]
    assert SCRIPT in client.get(f"{api}/agenda.csv").content.decode("utf-8-sig")
    assert "'=cmd" in client.get(f"{api}/agenda.csv").content.decode("utf-8-sig")
    assert f"Actiepunt: {SCRIPT}" in client.get(f"{api}/agenda.ics").text
    assert r"\<script\>" in client.get(f"{api}/agenda.md").text
    sheet = load_workbook(io.BytesIO(client.get(f"{api}/agenda.xlsx").content)).active
    assert sheet["B2"].value == SCRIPT
    assert client.get(f"{api}/export.json").json()["agenda"]["items"][0]["title"] == SCRIPT


def test_import_recreates_an_exported_workshop(client: TestClient) -> None:
    wid, headers = _facilitator(client)
    client.post(
        f"/api/v1/workshops/{wid}/agenda/items", json={"title": "Meenemen"}, headers=headers
    )
    data = client.get(f"/api/v1/workshops/{wid}/export.json").json()
    made = client.post("/api/v1/import", json=data, headers=headers)
    assert made.status_code == 201, made.text
    new_id = made.json()["id"]
    assert new_id != wid
    titles = [i["title"] for i in client.get(f"/api/v1/workshops/{new_id}/agenda/items").json()]
    assert titles == ["Meenemen"]
    refused = client.post("/api/v1/import", json={"format": "nee"}, headers=headers)
    assert refused.status_code == 422 and "export" in refused.json()["detail"]


def test_ids_beyond_an_integer_column_are_refused_at_the_edge(client: TestClient) -> None:
    """PostgreSQL's INTEGER overflows at 2**31; such an id is no id of ours: 4xx, never a 500."""
    wid, headers = _facilitator(client)
    too_big = 2**31
    base = f"/api/v1/workshops/{wid}/agenda/items"
    made = client.post(
        base, json={"title": "Uit antwoord", "answer_ids": [too_big]}, headers=headers
    )
    assert made.status_code == 422, made.text
    assert (
        client.patch(f"{base}/{too_big}", json={"version": 1}, headers=headers).status_code == 422
    )
    form = {"csrf_token": headers["X-CSRF-Token"], "title": "Uit antwoord"}
    for path, data in (
        (f"/workshops/{wid}/agenda/items", {**form, "answer_ids": str(too_big)}),
        (f"/workshops/{wid}/agenda/items/{too_big}", form),
        (f"/workshops/{wid}/review", {**form, "from_workshop_id": str(too_big)}),
    ):
        response = client.post(path, data=data)
        assert 400 <= response.status_code < 500, (path, response.status_code)
    assert client.get(base).json() == []
