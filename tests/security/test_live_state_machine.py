"""A state machine of phones against the real app; invariant: every client's view equals the DB.

Rules: join, connect, disconnect, answer (and resend with the same key), edit, withdraw, try to
touch someone else's answer, send garbage, and restart the server (a new app and lifespan on the
same database; every phone reconnects, as htmx-ext-ws does on close code 1012). Answers may hold
personal data, sent anyway after the warning; the facilitator reveals and hides the answers and
releases or hides single ones. The room's list on every phone holds exactly the answers the
database says the room may see: revealed, not hidden, not held for review.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import settings as run_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func
from sqlmodel import col, select

from app.config import Settings
from app.db import Database
from app.main import create_app
from app.models import Answer, Participant, Workshop, WorkshopPrompt
from tests.conftest import csrf_of
from tests.live.helpers import act, join, sign_up_and_create
from tests.security.views import View

MAX_PEOPLE = 4
texts = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["Samen met de wijkagent", "<b>vet</b> & 'quotes'", "👩‍🏫 ✓", "  ", "\u202eomgekeerd",
     "Bel 06-12345678", "Leerling Jan", "\u200b", "BSN 123 456 782"]
)  # fmt: skip


@dataclass
class Phone:
    name: str
    cookie: str
    pid: int
    ws: Any = None
    view: View | None = None
    keys: list[str] = field(default_factory=list)


class LiveRoom(RuleBasedStateMachine):
    settings_: Settings
    db: Database
    facilitator_cookie: str

    def __init__(self) -> None:
        super().__init__()
        self.client = self._start()
        page = self.client.get("/workshops/new", headers={"cookie": self.facilitator_cookie})
        response = self.client.post(
            "/workshops",
            data={"title": "Staat", "deck_slug": "nji-beleidsmakers", "kind": "regional",
                  "school_year": "2026-2027", "csrf_token": csrf_of(page.text)},
            headers={"cookie": self.facilitator_cookie},
            follow_redirects=False,
        )  # fmt: skip
        self.client.cookies.clear()
        assert response.status_code == 303, response.text
        self.workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
        for action in ("start", "open"):
            act(self.client, self.facilitator_cookie, self.workshop_id, action)
        console = self.client.get(
            f"/workshops/{self.workshop_id}", headers={"cookie": self.facilitator_cookie}
        )
        self.client.cookies.clear()
        code = re.search(r'class="join-code"[^>]*>([A-Z0-9]+)<', console.text)
        assert code is not None
        self.code = code.group(1)
        self.prompt_id = self._current_prompt()
        self.phones: list[Phone] = []
        self.console: Any = None
        self.console_view: View | None = None
        self._connect_console()
        self._counter = 0

    # -- plumbing ---------------------------------------------------------------------------

    def _start(self) -> TestClient:
        client = TestClient(create_app(self.settings_), base_url="http://testserver")
        client.__enter__()
        return client

    def _current_prompt(self) -> int:
        with self.db.reading() as session:
            workshop = session.get(Workshop, self.workshop_id)
            assert workshop is not None
            prompt = session.exec(
                select(WorkshopPrompt).where(
                    WorkshopPrompt.workshop_id == self.workshop_id,
                    WorkshopPrompt.position == workshop.current_position,
                )
            ).one()
            assert prompt.id is not None
            return prompt.id

    def _connect_console(self) -> None:
        self.console = self.client.websocket_connect(
            f"/ws/workshops/{self.workshop_id}/facilitator",
            headers={"cookie": self.facilitator_cookie},
        ).__enter__()
        self.console_view = View(self.console)

    def _connect(self, phone: Phone) -> None:
        phone.ws = self.client.websocket_connect(
            f"/ws/w/{self.code}", headers={"cookie": phone.cookie}
        ).__enter__()
        phone.view = View(phone.ws)
        phone.view.until(lambda v: v.has("my-answers"))

    def _disconnect(self, phone: Phone) -> None:
        phone.ws.__exit__(None, None, None)
        phone.ws = phone.view = None

    def _send(self, phone: Phone, message: dict[str, Any]) -> str:
        assert phone.view is not None
        phone.ws.send_text(json.dumps(message))
        return phone.view.reply()

    def _db_own(self, pid: int) -> list[Answer]:
        with self.db.reading() as session:
            return list(
                session.exec(
                    select(Answer)
                    .where(
                        Answer.participant_id == pid,
                        Answer.prompt_id == self.prompt_id,
                        col(Answer.withdrawn).is_(False),
                    )
                    .order_by(col(Answer.id))
                ).all()
            )

    def _key_count(self, pid: int, key: str) -> int:
        with self.db.reading() as session:
            return int(
                session.exec(
                    select(func.count())
                    .select_from(Answer)
                    .where(Answer.participant_id == pid, Answer.idempotency_key == key)
                ).one()
            )

    def _connected(self) -> list[Phone]:
        return [p for p in self.phones if p.ws is not None]

    # -- rules ------------------------------------------------------------------------------

    @precondition(lambda self: len(self.phones) < MAX_PEOPLE)
    @rule()
    def join(self) -> None:
        name = f"Telefoon {len(self.phones) + 1}"
        cookie = join(self.client, self.code, name=name)
        with self.db.reading() as session:
            person = session.exec(
                select(Participant).where(
                    Participant.workshop_id == self.workshop_id, Participant.name == name
                )
            ).one()
        assert person.id is not None
        self.phones.append(Phone(name=name, cookie=cookie, pid=person.id))

    @precondition(lambda self: any(p.ws is None for p in self.phones))
    @rule(data=st.data())
    def connect(self, data: st.DataObject) -> None:
        phone = data.draw(st.sampled_from([p for p in self.phones if p.ws is None]))
        self._connect(phone)

    @precondition(lambda self: any(p.ws is not None for p in self.phones))
    @rule(data=st.data())
    def disconnect(self, data: st.DataObject) -> None:
        self._disconnect(data.draw(st.sampled_from(self._connected())))

    @precondition(lambda self: any(p.ws is not None for p in self.phones))
    @rule(data=st.data(), text=texts)
    def answer(self, data: st.DataObject, text: str) -> None:
        phone = data.draw(st.sampled_from(self._connected()))
        self._counter += 1
        key = f"state-{phone.pid}-{self._counter:05d}"
        message = {"type": "answer", "prompt_id": self.prompt_id, "text": text,
                   "idempotency_key": key}  # fmt: skip
        reply = self._send(phone, message)
        if "pii-warning" in reply and data.draw(st.booleans(), label="send anyway"):
            reply = self._send(phone, {**message, "confirm_pii": "1"})
        acknowledged = "Verstuurd." in reply
        assert self._key_count(phone.pid, key) == (1 if acknowledged else 0), reply
        if acknowledged:
            phone.keys.append(key)

    @precondition(lambda self: any(p.ws is not None and p.keys for p in self.phones))
    @rule(data=st.data())
    def resend(self, data: st.DataObject) -> None:
        phone = data.draw(st.sampled_from([p for p in self._connected() if p.keys]))
        key = data.draw(st.sampled_from(phone.keys))
        reply = self._send(phone, {"type": "answer", "prompt_id": self.prompt_id,
                                   "text": "opnieuw", "idempotency_key": key})  # fmt: skip
        assert "Verstuurd." in reply
        assert self._key_count(phone.pid, key) == 1

    @precondition(lambda self: any(p.ws is not None for p in self.phones))
    @rule(data=st.data(), text=texts, withdraw=st.booleans())
    def change_own(self, data: st.DataObject, text: str, withdraw: bool) -> None:
        phone = data.draw(st.sampled_from(self._connected()))
        own = self._db_own(phone.pid)
        if not own:
            return
        answer = data.draw(st.sampled_from(own))
        message: dict[str, Any] = (
            {"type": "withdraw", "answer_id": answer.id}
            if withdraw
            else {"type": "edit", "answer_id": answer.id, "text": text}
        )
        reply = self._send(phone, message)
        if "pii-warning" in reply and data.draw(st.booleans(), label="send anyway"):
            reply = self._send(phone, {**message, "confirm_pii": "1", "from_warning": "1"})
        if "flash-ok" in reply:
            assert ("Ingetrokken." if withdraw else "Gewijzigd.") in reply

    @precondition(lambda self: any(p.ws is not None for p in self.phones) and len(self.phones) > 1)
    @rule(data=st.data(), kind=st.sampled_from(["edit", "withdraw"]))
    def touch_someone_elses(self, data: st.DataObject, kind: str) -> None:
        phone = data.draw(st.sampled_from(self._connected()))
        others = [a for p in self.phones if p is not phone for a in self._db_own(p.pid)]
        if not others:
            return
        answer = data.draw(st.sampled_from(others))
        reply = self._send(phone, {"type": kind, "answer_id": answer.id, "text": "gekaapt"})
        assert "flash-error" in reply and "eigen" in reply
        assert answer in self._db_own(answer.participant_id)

    @precondition(lambda self: any(p.ws is not None for p in self.phones))
    @rule(data=st.data(), raw=st.text(max_size=60))
    def garbage(self, data: st.DataObject, raw: str) -> None:
        phone = data.draw(st.sampled_from(self._connected()))
        assert phone.view is not None
        phone.ws.send_text(raw)
        assert "flash-error" in phone.view.reply()

    @rule(reveal=st.booleans())
    def reveal_or_hide_answers(self, reveal: bool) -> None:
        act(self.client, self.facilitator_cookie, self.workshop_id, "reveal" if reveal else "hide")

    @rule(data=st.data(), hidden=st.booleans())
    def moderate(self, data: st.DataObject, hidden: bool) -> None:
        """The console's Vrijgeven / Weer tonen (hidden=false) or Verbergen (hidden=true)."""
        answers = [a for p in self.phones for a in self._db_own(p.pid)]
        if not answers:
            return
        answer = data.draw(st.sampled_from(answers))
        page = self.client.get(
            f"/workshops/{self.workshop_id}", headers={"cookie": self.facilitator_cookie}
        )
        response = self.client.post(
            f"/workshops/{self.workshop_id}/answers/{answer.id}/visibility",
            data={"hidden": "true" if hidden else "false"},
            headers={"cookie": self.facilitator_cookie, "HX-Request": "true",
                     "X-CSRF-Token": csrf_of(page.text)},
        )  # fmt: skip
        self.client.cookies.clear()
        assert response.status_code == 204, response.text

    @rule()
    def restart_server(self) -> None:
        connected = self._connected()
        for phone in connected:
            self._disconnect(phone)
        self.console.__exit__(None, None, None)
        self.client.__exit__(None, None, None)
        self.client = self._start()
        self._connect_console()
        for phone in connected:
            self._connect(phone)

    # -- the invariant ----------------------------------------------------------------------

    def _room_may_see(self) -> list[int]:
        """The answers the room sees, by the database: revealed, not hidden, not held."""
        with self.db.reading() as session:
            prompt = session.get(WorkshopPrompt, self.prompt_id)
            assert prompt is not None
            if not prompt.revealed:
                return []
            ids = session.exec(
                select(Answer.id)
                .where(
                    Answer.prompt_id == self.prompt_id,
                    col(Answer.withdrawn).is_(False),
                    col(Answer.hidden).is_(False),
                    col(Answer.held).is_(False),
                )
                .order_by(col(Answer.id))
            ).all()
        return [i for i in ids if i is not None]

    @invariant()
    def every_view_equals_the_database(self) -> None:
        shown = self._room_may_see()
        for phone in self._connected():
            assert phone.view is not None
            expected = [a.text for a in self._db_own(phone.pid)]
            phone.view.until(lambda v, e=expected: v.own_answers() == e)  # type: ignore[misc]
            phone.view.until(lambda v, s=shown: v.room_answer_ids() == s)  # type: ignore[misc]
        with self.db.reading() as session:
            count = int(
                session.exec(
                    select(func.count())
                    .select_from(Answer)
                    .where(Answer.prompt_id == self.prompt_id, col(Answer.withdrawn).is_(False))
                ).one()
            )
        assert self.console_view is not None
        self.console_view.until(lambda v: v.answer_count() == count)

    def teardown(self) -> None:
        for phone in self._connected():
            self._disconnect(phone)
        if self.console is not None:
            self.console.__exit__(None, None, None)
        self.client.__exit__(None, None, None)


def test_every_client_view_equals_the_database(settings: Settings, db: Database) -> None:
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        cookie, _workshop_id, _code = sign_up_and_create(client)
    machine = type(
        "Room", (LiveRoom,), {"settings_": settings, "db": db, "facilitator_cookie": cookie}
    )
    run_state_machine_as_test(
        machine, settings=run_settings(max_examples=4, stateful_step_count=10)
    )
