"""After the first push a client gets only what changed; what it then shows equals a snapshot."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from fastapi.testclient import TestClient
from sqlmodel import col, select

from app.db import Database
from app.live.render import partial
from app.live.state import PHONE_LIST_MAX, PHONE_PAGE, load_room
from app.models import Answer, Workshop
from tests.conftest import csrf_of
from tests.factories import make_answer, make_participant
from tests.live.helpers import act, as_cookie, join, send_answer, sign_up_and_create
from tests.security.views import View
from tests.support.oob import normal

SYNC = re.compile(r'<div id="sync" data-seq="(\d+)"(?: data-base="(\d+)")?')
ONE_OF_THREE = re.compile(r"1(</strong>)? van 3")
SECTIONS = {
    "facilitator": "console-answers",
    "projector": "projector-answers",
    "participant": "room-answers",
}


class Room:
    """A facilitator, a projector and three phones, each with the page htmx would keep."""

    def __init__(self, client: TestClient, db: Database, stack: ExitStack) -> None:
        self.client, self.db, self.stack = client, db, stack
        self.cookie, self.workshop_id, self.code = sign_up_and_create(client)
        self.phones = [join(client, self.code, name=n) for n in ("Sanne", "Ahmed", "Bo")]
        self.views: dict[str, View] = {}
        self.views["facilitator"] = self.connect("facilitator")
        self.views["projector"] = self.connect("projector")
        for i, cookie in enumerate(self.phones):
            self.views[f"phone{i}"] = self.connect_phone(cookie)

    def connect(self, audience: str) -> View:
        ws = self.stack.enter_context(
            self.client.websocket_connect(
                f"/ws/workshops/{self.workshop_id}/{audience}", headers={"cookie": self.cookie}
            )
        )
        view = View(ws)
        view.until(lambda v: v.has("sync"))
        return view

    def connect_phone(self, cookie: str) -> View:
        ws = self.stack.enter_context(
            self.client.websocket_connect(f"/ws/w/{self.code}", headers={"cookie": cookie})
        )
        view = View(ws)
        view.until(lambda v: v.has("my-answers"))
        return view

    def act(self, action: str, **extra: object) -> None:
        act(self.client, self.cookie, self.workshop_id, action, **extra)

    def reveal_first_prompt(self) -> None:
        for action in ("start", "open", "reveal"):
            self.act(action)

    def prompt_id(self) -> int:
        with self.db.reading() as session:
            room = load_room(session=session, workshop_id=self.workshop_id)
        assert room is not None and room.prompt is not None and room.prompt.id is not None
        return room.prompt.id

    def answer(self, phone: int, text: str, key: str) -> None:
        view = self.views[f"phone{phone}"]
        send_answer(view.ws, self.prompt_id(), text, key)
        assert "Verstuurd." in view.reply()

    def settle(self, text: str, *, gone: bool = False) -> None:
        """Every view that shows answers has caught up with one (or its removal)."""
        for name, view in self.views.items():
            section = SECTIONS.get(name, "room-answers")
            view.until(lambda v, s=section: (text in v.fragment(s)) is not gone)

    def assert_every_view_equals_a_snapshot(self) -> None:
        """What the pushes built equals what a fresh connection gets, element by element."""
        for name, view in self.views.items():
            audience = name if name in SECTIONS else "participant"
            fresh = (
                self.connect(audience)
                if audience != "participant"
                else self.connect_phone(self.phones[int(name[-1])])
            )
            section = SECTIONS[audience]
            assert fresh.fragment(section), name
            # Pushes already on their way (the fresh connection's presence) may still land.
            view.until(lambda v, f=fresh, s=section: v.fragment(s) == f.fragment(s))


@contextmanager
def live_room(client: TestClient, db: Database) -> Iterator[Room]:
    with ExitStack() as stack:
        yield Room(client, db, stack)


def test_revealed_answers_arrive_one_by_one_and_build_the_snapshot(
    client: TestClient, db: Database
) -> None:
    with live_room(client, db) as room:
        room.reveal_first_prompt()
        room.answer(0, "Eerste antwoord", "incr-key-0001")
        room.settle("Eerste antwoord")
        room.answer(1, "Tweede <b>antwoord</b>", "incr-key-0002")
        room.settle("Tweede &lt;b&gt;antwoord&lt;/b&gt;")
        phone = room.views["phone2"]
        push = next(m for m in reversed(phone.messages) if "Tweede" in m)
        # Only the new answer and the counter: not the whole list.
        assert 'id="room-answers"' not in push
        assert "Eerste antwoord" not in push
        assert 'hx-swap-oob="beforeend:#room-answer-list"' in push
        # The appended answer is the very partial the whole fragment is made of.
        with db.reading() as session:
            state = load_room(session=session, workshop_id=room.workshop_id)
            second = session.exec(select(Answer).where(Answer.text == "Tweede <b>antwoord</b>"))
            answer_id = second.one().id
        assert state is not None
        (view,) = [a for a in state.visible_answers if a.id == answer_id]
        item = partial("_room_answer", room=state, a=view)
        assert item in push
        assert normal(item) in normal(partial("_room_answers", room=state))
        assert "&lt;b&gt;antwoord&lt;/b&gt;" in item
        room.assert_every_view_equals_a_snapshot()


def test_plus_ones_reorder_the_list_by_moving_only_what_moved(
    client: TestClient, db: Database
) -> None:
    with live_room(client, db) as room:
        room.reveal_first_prompt()
        for i, text in enumerate(("Een", "Twee", "Drie")):
            room.answer(i, text, f"order-key-{i:04d}")
        room.settle("Drie")
        with db.reading() as session:
            last = session.exec(select(Answer).where(Answer.text == "Drie")).one()
        phone = room.views["phone0"]
        phone.ws.send_text(json.dumps({"type": "react", "answer_id": last.id}))
        assert "genoteerd" in phone.reply()
        other = room.views["phone1"]
        other.until(lambda v: v.page.ids("room-answer-list")[:1] == [f"ra-{last.id}"])
        push = next(m for m in reversed(other.messages) if "+1" in m)
        assert 'id="room-answers"' not in push and "Een" not in push
        room.assert_every_view_equals_a_snapshot()


def test_hidden_and_withdrawn_answers_leave_every_phone_live(
    client: TestClient, db: Database
) -> None:
    with live_room(client, db) as room:
        room.reveal_first_prompt()
        room.answer(0, "Blijft staan", "hide-key-0001")
        room.answer(1, "Wordt verborgen", "hide-key-0002")
        room.answer(2, "Wordt ingetrokken", "hide-key-0003")
        room.settle("Wordt ingetrokken")
        with db.reading() as session:
            rows = session.exec(select(Answer).order_by(col(Answer.id))).all()
        kept, hidden, withdrawn = (a.id for a in rows)
        as_cookie(client, room.cookie)
        page = client.get(f"/workshops/{room.workshop_id}")
        response = client.post(
            f"/workshops/{room.workshop_id}/answers/{hidden}/visibility",
            data={"hidden": "true"},
            headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page.text)},
        )
        client.cookies.clear()
        assert response.status_code < 300, response.text
        author = room.views["phone2"]
        author.ws.send_text(json.dumps({"type": "withdraw", "answer_id": withdrawn}))
        assert "Ingetrokken." in author.reply()
        for name in ("phone0", "phone1", "phone2", "projector"):
            section = SECTIONS.get(name, "room-answers")
            room.views[name].until(lambda v, s=section: "Wordt ingetrokken" not in v.fragment(s))
        room.views["facilitator"].until(
            lambda v: "Wordt ingetrokken" not in v.fragment("console-answers")
        )
        for name in ("phone0", "phone1", "phone2", "projector"):
            view = room.views[name]
            shown = view.fragment(SECTIONS.get(name, "room-answers"))
            assert "Blijft staan" in shown, name
            assert "Wordt verborgen" not in shown and "Wordt ingetrokken" not in shown, name
        # The phones were told to remove them, not sent the list again.
        removals = "".join(room.views["phone0"].messages)
        assert f'<li id="ra-{hidden}" hx-swap-oob="delete">' in removals
        assert f'<li id="ra-{withdrawn}" hx-swap-oob="delete">' in removals
        console = room.views["facilitator"].fragment("console-answers")
        assert "Wordt verborgen" in console and "is-hidden" in console
        assert "Wordt ingetrokken" not in console
        assert kept is not None
        room.assert_every_view_equals_a_snapshot()


def test_answers_before_reveal_never_reach_phones_or_the_projector(
    client: TestClient, db: Database
) -> None:
    with live_room(client, db) as room:
        room.act("start")
        room.act("open")
        room.answer(0, "Nog geheim", "secret-key-0001")
        room.views["facilitator"].until(lambda v: "Nog geheim" in v.fragment("console-answers"))
        for name in ("phone1", "phone2", "projector"):
            room.views[name].until(
                lambda v, s=SECTIONS.get(name, "room-answers"): bool(
                    ONE_OF_THREE.search(v.fragment(s))
                )
            )
        for name in ("phone1", "phone2", "projector"):
            assert not any("Nog geheim" in m for m in room.views[name].messages), name
        room.act("reveal")
        room.settle("Nog geheim")
        room.assert_every_view_equals_a_snapshot()


def test_each_push_names_the_seq_it_builds_on_and_a_resync_sends_a_snapshot(
    client: TestClient, db: Database
) -> None:
    with live_room(client, db) as room:
        room.reveal_first_prompt()
        for i in range(3):
            room.answer(i, f"Antwoord {i}", f"chain-key-{i:04d}")
        room.settle("Antwoord 2")
        for name, view in room.views.items():
            syncs = [SYNC.search(m) for m in view.messages]
            chain = [(int(s.group(1)), s.group(2)) for s in syncs if s]
            assert chain[0][1] is None, name  # the snapshot replaces everything
            # Every later push builds on the seq of the push before it: a client that
            # missed one notices.
            for (before, _), (_, base) in itertools.pairwise(chain):
                assert base == str(before), (name, chain)
        # A phone that noticed a gap asks again and gets the whole state, no base.
        phone = room.views["phone0"]
        seen = len(phone.messages)
        phone.ws.send_text('{"type": "resync"}')
        phone.until(lambda v: len(v.messages) > seen)
        snapshot = phone.messages[seen]
        match = SYNC.search(snapshot)
        assert match is not None and match.group(2) is None
        assert 'id="room-answers"' in snapshot and 'id="my-answers"' in snapshot
        assert all(f"Antwoord {i}" in snapshot for i in range(3))
        # And the pushes after it build on the snapshot's seq.
        room.answer(1, "Na de snapshot", "chain-key-0099")
        room.settle("Na de snapshot")
        after = next(m for m in reversed(phone.messages) if "Na de snapshot" in m)
        later = SYNC.search(after)
        assert later is not None and later.group(2) == match.group(1)
        room.assert_every_view_equals_a_snapshot()


def test_a_phone_in_a_big_room_gets_the_counts_not_the_first_page_again(
    client: TestClient, db: Database
) -> None:
    with live_room(client, db) as room:
        room.act("start")
        room.act("open")
        others = PHONE_LIST_MAX + 5
        with db.writing() as session:
            workshop = session.get(Workshop, room.workshop_id)
            assert workshop is not None
            for i in range(others):
                person, _ = make_participant(session, workshop=workshop, name=None)
                make_answer(session, participant=person, text=f"Antwoord {i} uit de zaal")
        room.act("reveal")
        phone = room.views["phone2"]
        phone.until(lambda v: len(v.page.ids("room-answer-list")) == PHONE_PAGE)
        room.answer(0, "Een nieuw antwoord", "big-room-0001")
        total = f"Alle {others + 1} antwoorden bekijken"
        phone.until(lambda v: total in v.fragment("room-answers"))
        push = next(m for m in reversed(phone.messages) if total in m)
        # The first page did not change: the push carries the counts, not the page again.
        assert '<li id="ra-' not in push
        assert "Antwoord 0 uit de zaal" not in push
        with db.reading() as session:
            newest = session.exec(select(Answer).where(Answer.text == "Een nieuw antwoord")).one()
        # A "+1" lifts the newest answer onto the first page: that answer moves, no page.
        reacting = room.views["phone1"]
        reacting.ws.send_text(json.dumps({"type": "react", "answer_id": newest.id}))
        assert "genoteerd" in reacting.reply()
        phone.until(lambda v: v.page.ids("room-answer-list")[:1] == [f"ra-{newest.id}"])
        push = next(m for m in reversed(phone.messages) if f'id="ra-{newest.id}"' in m)
        assert 'id="room-answers"' not in push
        # The new first answer, and the one it pushed off the page: nothing else.
        assert push.count('<li id="ra-') == 2
        assert push.count('hx-swap-oob="delete"') == 1
        assert len(phone.page.ids("room-answer-list")) == PHONE_PAGE
        room.assert_every_view_equals_a_snapshot()
