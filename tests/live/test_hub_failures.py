"""The live layer never fails silently: bad events are skipped, a lost publish or a failed
render ends in a resync, reads see one snapshot, presence is repaired at start-up."""

from __future__ import annotations

import asyncio
import secrets

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import func, update
from sqlmodel import select

from app.config import Settings
from app.db import Database
from app.events import Event, Topic
from app.live import frames as flush_module
from app.live.broadcast import RedisBroadcast
from app.main import create_app
from app.models import Participant
from tests.conftest import REDIS_URL, require_service
from tests.factories import make_participant, make_user, make_workshop
from tests.live.helpers import act, join, receive_until, sign_up_and_create
from tests.routes.api_helpers import answer, bearer


def test_an_undecodable_broadcast_event_is_skipped_not_fatal() -> None:
    require_service("Redis", "127.0.0.1", 6379)
    channel = f"gk-test-{secrets.token_hex(4)}"
    broadcast = RedisBroadcast(REDIS_URL, channel=channel)
    good = Event(workshop_id=7, seq=3, topics=frozenset({Topic.answers}))

    async def scenario() -> Event:
        await broadcast.connect()
        events = broadcast.listen()
        first = asyncio.ensure_future(anext(events))
        sender = redis.Redis.from_url(REDIS_URL)
        try:
            # Wait for the subscription, then send garbage before the real event.
            for _ in range(100):
                if sender.pubsub_numsub(channel)[0][1]:
                    break
                await asyncio.sleep(0.02)
            for junk in (b"not json", b'{"w": "x"}', b"{}"):
                sender.publish(channel, junk)
            sender.publish(channel, good.dumps())
            return await asyncio.wait_for(first, 10)
        finally:
            sender.close()
            await events.aclose()
            await broadcast.disconnect()

    assert asyncio.run(scenario()) == good


def test_a_failed_redis_publish_resyncs_this_workers_rooms(
    settings: Settings, db: Database
) -> None:
    # A Redis that is not there: every publish fails.
    gone = settings.model_copy(update={"broadcast_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(gone), base_url="http://testserver") as client:
        cookie, workshop_id, code = sign_up_and_create(client)
        act(client, cookie, workshop_id, "start")
        act(client, cookie, workshop_id, "open")
        joined = client.post("/api/v1/join", json={"code": code}).json()
        with client.websocket_connect(
            f"/ws/workshops/{workshop_id}/facilitator", headers={"cookie": cookie}
        ) as console:
            receive_until(console, lambda m: 'id="sync"' in m)
            prompt = client.get(
                f"/api/v1/workshops/{workshop_id}/prompt", headers=bearer(joined["access_token"])
            ).json()["prompt"]
            status, _ = answer(
                client,
                bearer(joined["access_token"]),
                workshop_id,
                prompt_id=prompt["id"],
                text="Komt toch aan",
                idempotency_key="lost-publish-0001",
            )
            assert status == 201
            receive_until(console, lambda m: "Komt toch aan" in m)


def test_a_failed_render_keeps_the_change_and_resyncs(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    cookie, workshop_id, code = sign_up_and_create(client)
    act(client, cookie, workshop_id, "start")
    act(client, cookie, workshop_id, "open")
    real = flush_module.render_shared
    failures = []

    def fails_once(*args: object, **kwargs: object) -> str:
        # An injected fault: the first render after the answer breaks, as a template bug would.
        if not failures:
            failures.append(1)
            raise RuntimeError("injected render failure")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    with client.websocket_connect(
        f"/ws/workshops/{workshop_id}/facilitator", headers={"cookie": cookie}
    ) as console:
        receive_until(console, lambda m: 'id="sync"' in m)
        monkeypatch.setattr(flush_module, "render_shared", fails_once)
        join(client, code, name="Sanne")
        receive_until(console, lambda m: "Sanne" in m)
    assert failures == [1]


def test_a_live_read_sees_one_snapshot(db: Database, decks: dict[str, object]) -> None:
    with db.writing() as session:
        workshop = make_workshop(session, owner=make_user(session), decks=decks)  # type: ignore[arg-type]
        make_participant(session, workshop=workshop)
    count = select(func.count()).select_from(Participant)
    with db.snapshot() as reader:
        assert reader.exec(count).one() == 1
        with db.writing() as session:
            make_participant(session, workshop=workshop)
        # Someone joined mid-read: this read still sees the room as it was.
        assert reader.exec(count).one() == 1
    with db.snapshot() as reader:
        assert reader.exec(count).one() == 2


def test_presence_left_by_a_crash_is_repaired_at_start_up(
    settings: Settings, db: Database, decks: dict[str, object]
) -> None:
    with db.writing() as session:
        workshop = make_workshop(session, owner=make_user(session), decks=decks)  # type: ignore[arg-type]
        make_participant(session, workshop=workshop)
        session.execute(update(Participant).values(connections=3))
        session.commit()
    with TestClient(create_app(settings)), db.reading() as session:
        assert list(session.exec(select(Participant.connections))) == [0]
