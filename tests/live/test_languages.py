"""One workshop, two languages: each phone gets pushes in its own, rendered once per language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.live.render import Audience
from tests.live.helpers import (
    act,
    join,
    prompt_id_in,
    receive_until,
    send_answer,
    sign_up_and_create,
)


def test_english_and_dutch_participants_each_get_their_own_language(client: TestClient) -> None:
    facilitator, workshop_id, code = sign_up_and_create(client)
    anna = join(client, code, name="Anna")  # switched to English: the cookie
    ben = join(client, code, name="Ben")  # a browser that prefers English
    sanne = join(client, code, name="Sanne")  # Dutch
    with (
        client.websocket_connect(
            f"/ws/workshops/{workshop_id}/facilitator", headers={"cookie": facilitator}
        ) as console,
        client.websocket_connect(
            f"/ws/workshops/{workshop_id}/projector",
            headers={"cookie": f"{facilitator}; gk_lang=en"},
        ) as projector,
        client.websocket_connect(f"/ws/w/{code}", headers={"cookie": f"{anna}; gk_lang=en"}) as en1,
        client.websocket_connect(
            f"/ws/w/{code}", headers={"cookie": ben, "accept-language": "en-US,en;q=0.9"}
        ) as en2,
        client.websocket_connect(f"/ws/w/{code}", headers={"cookie": sanne}) as nl,
    ):
        for phone in (en1, en2):
            snapshot = receive_until(phone, lambda m: 'id="participant-stage"' in m)
            assert "We are about to start" in snapshot and "We beginnen zo" not in snapshot
        assert "We beginnen zo" in receive_until(nl, lambda m: 'id="participant-stage"' in m)
        assert "Lobby: deelnemers komen binnen" in console.receive_text()
        assert "We are about to start" in projector.receive_text()

        act(client, facilitator, workshop_id, "start")
        act(client, facilitator, workshop_id, "open")
        pushes = {
            name: receive_until(ws, lambda m: 'name="prompt_id"' in m)
            for name, ws in (("en1", en1), ("en2", en2), ("nl", nl))
        }
        for name in ("en1", "en2"):
            assert "Send answer" in pushes[name] and "Question 1 of" in pushes[name]
            assert "Antwoord versturen" not in pushes[name]
        assert "Antwoord versturen" in pushes["nl"] and "Vraag 1 van" in pushes["nl"]
        assert "Send answer" not in pushes["nl"]
        receive_until(console, lambda m: "Antwoorden sluiten" in m)
        receive_until(projector, lambda m: "open for answers" in m)

        prompt_id = prompt_id_in(pushes["en1"])
        send_answer(en1, prompt_id, "We need a shared plan", "key-anna-0001")
        assert 'class="flash flash-ok"' in receive_until(en1, lambda m: "Sent." in m)
        send_answer(nl, prompt_id, "Een gezamenlijk plan", "key-sanne-001")
        receive_until(nl, lambda m: "Verstuurd." in m)
        receive_until(en2, lambda m: "2 of 3 have answered" in m)
        en2.send_text("{not json")
        receive_until(en2, lambda m: "This message is not valid JSON." in m)

    # Each change was rendered once per (audience, language), not once per phone.
    hub = client.app.state.hub  # type: ignore[attr-defined]
    flushes = [views for wid, views in hub.recent_renders if wid == workshop_id]
    assert flushes
    for views in flushes:
        assert len(views) == len(set(views)), f"rendered twice for one view: {views}"
    assert any(
        set(views)
        == {
            (Audience.facilitator, "nl"),
            (Audience.projector, "en"),
            (Audience.participant, "en"),
            (Audience.participant, "nl"),
        }
        for views in flushes
    )
