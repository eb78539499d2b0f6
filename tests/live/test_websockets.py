"""Facilitator + two participants over the real websocket protocol."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlmodel import col, select

from app.db import Database
from app.models import Answer, Participant
from tests.live.helpers import (
    act,
    join,
    prompt_id_in,
    receive_until,
    room_with_phone,
    send_answer,
    sign_up_and_create,
)


def test_answer_reaches_facilitator_at_once_and_others_only_after_reveal(
    client: TestClient, db: Database
) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code, name="Sanne")
    ahmed = join(client, code, name="Ahmed", domain="politie")
    with (
        client.websocket_connect(
            f"/ws/workshops/{workshop_id}/facilitator", headers={"cookie": facilitator}
        ) as console,
        client.websocket_connect(f"/ws/w/{code}", headers={"cookie": sanne}) as phone_a,
        client.websocket_connect(f"/ws/w/{code}", headers={"cookie": ahmed}) as phone_b,
    ):
        assert 'id="console-stage"' in console.receive_text()
        assert "We beginnen zo" in receive_until(phone_a, lambda m: 'id="participant-stage"' in m)
        receive_until(phone_b, lambda m: 'id="participant-stage"' in m)

        act(client, facilitator, workshop_id, "start")
        act(client, facilitator, workshop_id, "open")
        form_push = receive_until(phone_a, lambda m: 'name="prompt_id"' in m)
        prompt_id = prompt_id_in(form_push)

        secret = "Wij missen een gezamenlijke visie <b>nog</b>"
        send_answer(phone_a, prompt_id, secret, "key-sanne-001")
        ack = receive_until(phone_a, lambda m: "Verstuurd" in m)
        assert "Wij missen een gezamenlijke visie &lt;b&gt;nog&lt;/b&gt;" in ack
        assert "<b>nog</b>" not in ack

        receive_until(console, lambda m: "Wij missen een gezamenlijke visie" in m)
        count_push = receive_until(phone_b, lambda m: 'id="room-answers"' in m and "1 van 2" in m)
        assert "Wij missen" not in count_push

        act(client, facilitator, workshop_id, "reveal")
        receive_until(phone_b, lambda m: "Wij missen een gezamenlijke visie" in m)


def test_reconnect_catches_up_and_a_resend_does_not_duplicate(
    client: TestClient, db: Database
) -> None:
    with room_with_phone(client) as room:
        phone, prompt_id, code, sanne = room.phone, room.prompt_id, room.code, room.sanne
        send_answer(phone, prompt_id, "Eerste keer", "resend-key-01")
        receive_until(phone, lambda m: "Verstuurd" in m)
    # The phone dropped before it saw anything more; on reconnect it resends the same key.
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": sanne}) as phone:
        snapshot = receive_until(phone, lambda m: 'id="my-answers"' in m)
        assert "Eerste keer" in snapshot
        send_answer(phone, prompt_id, "Eerste keer", "resend-key-01")
        receive_until(phone, lambda m: "Verstuurd" in m)
    with db.reading() as session:
        answers = session.exec(select(Answer).where(Answer.prompt_id == prompt_id)).all()
    assert [a.text for a in answers] == ["Eerste keer"]


def test_bad_messages_get_a_dutch_error_and_the_socket_stays_open(
    client: TestClient, db: Database
) -> None:
    _facilitator, _workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code)
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": sanne}) as phone:
        receive_until(phone, lambda m: 'id="participant-stage"' in m)
        for raw, expected in [
            ("{not json", "geen geldige JSON"),
            ('{"type": "hack"}', "Onbekend berichttype"),
            ('{"type": "answer", "prompt_id": "x"}', "veld"),
            ("[1, 2]", "JSON-object"),
            (
                '{"type": "answer", "prompt_id": 1, "idempotency_key": "abcdefgh", "text": "hoi"}',
                "niet open",
            ),
            ("x" * 40_000, "te groot"),
        ]:
            phone.send_text(raw)
            error = receive_until(phone, lambda m: 'id="flash"' in m)
            assert expected in error, (raw[:40], error)
            assert "flash-error" in error


def test_a_stranger_cannot_open_the_facilitator_socket(client: TestClient, db: Database) -> None:
    _facilitator, workshop_id, code = sign_up_and_create(client)
    participant = join(client, code)
    import pytest
    from starlette.websockets import WebSocketDisconnect

    for cookie in (participant, ""):
        with (
            pytest.raises(WebSocketDisconnect) as exc,
            client.websocket_connect(
                f"/ws/workshops/{workshop_id}/facilitator", headers={"cookie": cookie}
            ) as ws,
        ):
            ws.receive_text()
        assert exc.value.code == 4403


def test_a_foreign_origin_is_refused(client: TestClient, db: Database) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    _facilitator, _workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code)
    with (
        pytest.raises(WebSocketDisconnect) as exc,
        client.websocket_connect(
            f"/ws/w/{code}", headers={"cookie": sanne, "origin": "https://evil.example"}
        ) as ws,
    ):
        ws.receive_text()
    assert exc.value.code == 4403


def test_a_refused_handshake_is_accepted_then_closed_with_4403(
    client: TestClient, db: Database
) -> None:
    """A handshake refused with HTTP 403 reaches a browser as 1006, which htmx retries for
    ever; accepted and closed with 4403 it reaches the page as 4403, which it does not."""
    _facilitator, workshop_id, code = sign_up_and_create(client)
    sanne = join(client, code)
    refusals = (
        (f"/ws/w/{code}", {"cookie": ""}),
        (f"/ws/w/{code}", {"cookie": sanne, "origin": "https://evil.example"}),
        (f"/ws/workshops/{workshop_id}/projector", {"cookie": sanne}),
    )
    for url, headers in refusals:
        # Entering the block means the handshake was accepted (a 403 would raise here).
        with client.websocket_connect(url, headers=headers) as ws:
            closed = ws.receive()
        assert closed == {"type": "websocket.close", "code": 4403, "reason": ""}, url


def test_a_phone_whose_participant_is_gone_is_told_and_nothing_is_stored(
    client: TestClient, db: Database
) -> None:
    """The socket keeps the participant it joined as; each message checks it still exists."""
    cookie, workshop_id, code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "start")
    act(client, cookie, workshop_id, "open")
    phone_cookie = join(client, code, name="Sanne")
    with client.websocket_connect(f"/ws/w/{code}", headers={"cookie": phone_cookie}) as phone:
        prompt_id = prompt_id_in(receive_until(phone, lambda m: 'name="prompt_id"' in m))
        with db.writing() as session:
            session.execute(delete(Participant).where(col(Participant.workshop_id) == workshop_id))
            session.commit()
        send_answer(phone, prompt_id, "Komt dit nog aan?", "gone-key-0001")
        reply = receive_until(phone, lambda m: 'id="flash"' in m)
        assert "Deze bijeenkomst bestaat niet meer." in reply
    with db.reading() as session:
        assert session.exec(select(Answer).where(Answer.workshop_id == workshop_id)).all() == []
