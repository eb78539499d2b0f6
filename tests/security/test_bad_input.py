"""Bad input of every kind gets a clear error, never a 500, a dropped socket or a stored mess."""

from __future__ import annotations

import json
import unicodedata
from html import escape

from sqlmodel import col, select

from app.models import Answer, Participant, Workshop
from tests.live.helpers import receive_until
from tests.security.world import Principal, World, join_page

PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(1)>"
UNICODE = [
    "مرحبا بالعالم: السلامة في المدرسة",  # Arabic, right to left
    "\u202e\u05d2\u05d1\u05d5\u05dc\u05d5\u05ea\u202c en RTL",  # Hebrew, right-to-left override
    "👨‍👩‍👧 samen 🏳️‍🌈 veilig 🇳🇱",  # ZWJ sequences and flags
    "Cafe\u0301 en Z\u0335\u0321a\u0336lgo",  # combining marks
    "nul\x00byte en \x07bel",  # control characters are dropped
]


def _flash(ws: object) -> str:
    return receive_until(ws, lambda m: "flash-ok" in m or "flash-error" in m)  # type: ignore[arg-type]


def _texts(world: World, participant_id: int | None = None) -> list[str]:
    with world.db.reading() as session:
        query = select(Answer.text).where(Answer.prompt_id == world.prompt_id)
        if participant_id is not None:
            query = query.where(Answer.participant_id == participant_id)
        return [t or "" for t in session.exec(query.order_by(col(Answer.id))).all()]


def _participant_id(world: World, name: str) -> int:
    with world.db.reading() as session:
        person = session.exec(
            select(Participant).where(
                Participant.name == name, Participant.workshop_id == world.workshop_id
            )
        ).one()
        assert person.id is not None
        return person.id


def test_unicode_of_every_kind_is_stored_and_shown_as_sent(world: World) -> None:
    phone = join_page(world.client, world.code, "Unicode")
    pid = _participant_id(world, "Unicode")
    with world.client.websocket_connect(f"/ws/w/{world.code}", headers=phone.headers()) as ws:
        ws.receive_text()
        for n, text in enumerate(UNICODE):
            message = {
                "type": "answer",
                "prompt_id": world.prompt_id,
                "text": text,
                "idempotency_key": f"unicode-{n:04d}",
            }
            ws.send_text(json.dumps(message, ensure_ascii=n % 2 == 0))
            ack = _flash(ws)
            assert "Verstuurd." in ack
            expected = unicodedata.normalize("NFC", text.replace("\x00", "").replace("\x07", ""))
            assert escape(expected, quote=False) in ack
    stored = _texts(world, pid)
    assert stored == [
        unicodedata.normalize("NFC", t.replace("\x00", "").replace("\x07", "")) for t in UNICODE
    ]


BAD_MESSAGES = [
    # A lone surrogate, as JSON may carry it: no database can store that.
    (
        '{"type": "answer", "prompt_id": %(p)s, "idempotency_key": "lone-surrogate",'
        ' "text": "half \\ud800 paar"}',
        "klopt niet",
    ),
    (
        '{"type": "answer", "prompt_id": %(p)s, "idempotency_key": "too-long-01",'
        ' "text": "%(long)s"}',
        "te lang",
    ),
    (
        '{"type": "answer", "prompt_id": %(p)s, "idempotency_key": "blank-0001",'
        ' "text": " \\n\\t "}',
        "leeg",
    ),
    (
        '{"type": "answer", "prompt_id": 99999999999999999999, "idempotency_key": "big-id-01"}',
        "veld: prompt_id",
    ),
    (
        '{"type": "answer", "prompt_id": %(p)s, "idempotency_key": "<script>", "text": "x"}',
        "verzendsleutel",
    ),
    ('{"type": "edit", "answer_id": -1, "text": "x"}', "veld: answer_id"),
    ('{"type": "withdraw", "answer_id": "1; DROP TABLE answer"}', "veld: answer_id"),
    ('{"type": "react", "answer_id": 1e400}', "veld: answer_id"),
    ('{"type": "answer", "prompt_id": ' + "9" * 5000 + "}", "geen geldige JSON"),
    ("[" * 20_000, "te groot"),
    ("[" * 10_000, "geen geldige JSON"),
    ('{"type": "<script>alert(1)</script>"}', "Onbekend berichttype"),
    ('{"type": null}', "Onbekend berichttype"),
    ('{"type": ["answer"]}', "Onbekend berichttype"),
    ("null", "JSON-object"),
    ('"answer"', "JSON-object"),
    ("", "geen geldige JSON"),
]


def test_a_bad_message_gets_a_dutch_error_and_disturbs_no_one(world: World) -> None:
    bystander = world.principals["participant"]
    sender = join_page(world.client, world.code, "Stoorzender")
    before = _texts(world)
    with (
        world.client.websocket_connect(f"/ws/w/{world.code}", headers=bystander.headers()) as calm,
        world.client.websocket_connect(f"/ws/w/{world.code}", headers=sender.headers()) as ws,
    ):
        ws.receive_text()
        for raw, expected in BAD_MESSAGES:
            ws.send_text(raw % {"p": world.prompt_id, "long": "x" * 2001} if "%(" in raw else raw)
            reply = _flash(ws)
            assert "flash-error" in reply and expected in reply, (raw[:60], reply)
            assert "<script>alert" not in reply
        ws.send_bytes(b"\xff\xfe binary")
        assert "geen geldige JSON" in _flash(ws)
        # The bystander's first reply is to its own message: no error of the sender reached it.
        calm.send_text(json.dumps({"type": "ping"}))
        assert "Onbekend berichttype" in _flash(calm)
    assert _texts(world) == before


def test_script_payloads_are_text_in_every_view(world: World) -> None:
    owner = world.principals["owner"]
    response = world.request(
        "POST",
        "/api/v1/workshops",
        owner,
        api=True,
        json={
            "title": PAYLOAD,
            "deck": "nji-beleidsmakers",
            "kind": "regional",
            "school_year": "2026-2027",
            "organisation": PAYLOAD,
        },
    )
    assert response.status_code == 201
    created = response.json()
    wid, code = created["id"], created["join_code"]
    for action in ("start", "open"):
        world.request(
            "POST", f"/api/v1/workshops/{wid}/actions", owner, api=True, json={"action": action}
        )
    phone = join_page(world.client, code, PAYLOAD[:80])
    prompt_id = world.request("GET", f"/api/v1/workshops/{wid}", owner, api=True).json()[
        "current_prompt"
    ]["id"]
    seen: list[str] = []
    with (
        world.client.websocket_connect(f"/ws/w/{code}", headers=phone.headers()) as ws,
        world.client.websocket_connect(
            f"/ws/workshops/{wid}/facilitator", headers=owner.headers()
        ) as console,
        world.client.websocket_connect(
            f"/ws/workshops/{wid}/projector", headers=owner.headers()
        ) as beamer,
    ):
        seen += [ws.receive_text(), console.receive_text(), beamer.receive_text()]
        message = {
            "type": "answer",
            "prompt_id": prompt_id,
            "text": PAYLOAD,
            "idempotency_key": "payload-0001",
        }
        ws.send_text(json.dumps(message))
        seen.append(_flash(ws))
        seen.append(receive_until(console, lambda m: "onerror" in m))
        world.request(
            "POST", f"/api/v1/workshops/{wid}/actions", owner, api=True, json={"action": "reveal"}
        )
        seen.append(receive_until(beamer, lambda m: "onerror" in m))
        seen.append(receive_until(ws, lambda m: "onerror" in m and "room-answers" in m))
    for url, who in (
        ("/dashboard", owner),
        (f"/workshops/{wid}", owner),
        (f"/workshops/{wid}/projector", owner),
        (f"/w/{code}", phone),
        (f"/w/{code}", Principal("anonymous")),
    ):
        seen.append(world.request("GET", url, who).text)
    for body in seen:
        assert "<script>alert" not in body and "<img src=x" not in body
    assert sum("&lt;script&gt;alert(" in body for body in seen) >= len(seen) - 3


BAD_SCHOOL_YEARS = [
    "2026-2028",
    "2026-02-30",
    "2026-2027\x00",
    "٢٠٢٦-٢٠٢٧",
    "\uff12\uff10\uff12\uff16-\uff12\uff10\uff12\uff17",
    "99999-100000",
    "",
    "\U0001d7d0\U0001d7ce\U0001d7d0\U0001d7d4-\U0001d7d0\U0001d7ce\U0001d7d0\U0001d7d5",
]


def test_an_impossible_school_year_is_refused_in_page_and_api(world: World) -> None:
    for school_year in BAD_SCHOOL_YEARS:
        _refused(world, school_year)


def _refused(world: World, school_year: str) -> None:
    owner = world.principals["owner"]
    with world.db.reading() as session:
        before = len(session.exec(select(Workshop)).all())
    page = world.request(
        "POST",
        "/workshops",
        owner,
        data={
            "title": "Datumtest",
            "deck_slug": "nji-beleidsmakers",
            "kind": "regional",
            "school_year": school_year,
        },
    )
    assert page.status_code in (400, 422), page.status_code
    assert "schooljaar" in page.text.lower() or "klopt niet" in page.text
    assert '<html lang="nl">' in page.text
    api = world.request(
        "POST",
        "/api/v1/workshops",
        owner,
        api=True,
        json={
            "title": "Datumtest",
            "deck": "nji-beleidsmakers",
            "kind": "regional",
            "school_year": school_year,
        },
    )
    assert api.status_code == 422 and isinstance(api.json()["detail"], str)
    with world.db.reading() as session:
        assert len(session.exec(select(Workshop)).all()) == before


BAD_PAGE_REQUESTS: list[tuple[str, str, dict[str, str] | None]] = [
    ("GET", "/workshops/abc", None),
    ("GET", "/workshops/99999999999999999999", None),
    ("GET", "/workshops/0/projector", None),
    ("POST", "/workshops/{w}/actions", {"action": "explode"}),
    ("POST", "/workshops/{w}/actions", {"action": "timer", "seconds": "-5"}),
    ("POST", "/workshops/{w}/actions", {"action": "goto", "position": "1e9"}),
    ("POST", "/workshops/{w}/answers/abc/visibility", {"hidden": "misschien"}),
    ("POST", "/w/{code}/join", {"name": "x", "domain": "<script>"}),
    ("POST", "/w/{code}/join", {"name": "x" * 500}),
    ("GET", "/w/%00%ED%A0%80", None),
    ("GET", "/join?code=%00", None),
]


def test_a_bad_page_request_gets_a_dutch_page_not_a_500(world: World) -> None:
    owner = world.principals["owner"]
    phone = join_page(world.client, world.code, "Formtest")
    for method, url, data in BAD_PAGE_REQUESTS:
        who = owner if "/join" not in url else phone
        response = world.request(
            method, url.format(w=world.workshop_id, code=world.code), who, data=data
        )
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert '<html lang="nl">' in response.text, url
        assert "Input should" not in response.text, url


BAD_API_REQUESTS: list[tuple[str, str, bytes | None]] = [
    ("GET", "/api/v1/workshops/99999999999999999999", None),
    ("GET", "/api/v1/workshops/-1", None),
    ("GET", "/api/v1/workshops/{w}/answers?prompt_id=99999999999999999999", None),
    ("POST", "/api/v1/workshops/{w}/answers", b'{"prompt_id": 1, "text": "\\ud800"}'),
    ("POST", "/api/v1/join", b'{"code": "\\u0000ABC"}'),
    ("POST", "/api/v1/join", b"[" * 50_000),
    ("POST", "/api/v1/join", b'{"code": "' + b"9" * 5000 + b'"}'),
    ("POST", "/api/v1/workshops", b'{"title": "a\\u0000b"}'),
]


def test_a_bad_api_request_gets_a_json_4xx(world: World) -> None:
    owner = world.principals["owner"]
    for method, url, body in BAD_API_REQUESTS:
        response = world.request(
            method,
            url.format(w=world.workshop_id),
            owner,
            api=True,
            content=body,
            headers={"content-type": "application/json"} if body else {},
        )
        assert 400 <= response.status_code < 500, (url, response.status_code, response.text[:200])
        assert isinstance(response.json()["detail"], str), url


def test_nul_and_surrogates_never_reach_the_database_in_titles_or_names(world: World) -> None:
    owner = world.principals["owner"]
    response = world.request(
        "POST",
        "/api/v1/workshops",
        owner,
        api=True,
        json={
            "title": "Veilig\x00 samen",
            "deck": "nji-beleidsmakers",
            "kind": "regional",
            "school_year": "2026-2027",
            "organisation": "Ge\x00meente",
        },
    )
    assert response.status_code == 201
    assert response.json()["title"] == "Veilig samen"
    assert response.json()["organisation"] == "Gemeente"
    join = world.request(
        "POST",
        "/api/v1/join",
        Principal("anonymous"),
        api=True,
        json={"code": world.code, "name": "Sa\x00nne"},
    )
    assert join.status_code == 201
    with world.db.reading() as session:
        person = session.get(Participant, join.json()["participant_id"])
        assert person is not None and person.name == "Sanne"
