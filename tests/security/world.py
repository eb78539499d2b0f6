"""One shared world for the access tests: three facilitators, two workshops, participants, answers.

Built once per module through the real app (HTTP, cookies, CSRF), because every login costs an
argon2 hash. Everyone is a `Principal`: a cookie with its CSRF token for pages and websockets,
and a bearer token for the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import SQLModel, col, select

from app.agenda_models import AgendaItem
from app.db import Database
from app.main import create_app
from app.models import Answer, Reaction, User, Workshop, WorkshopFacilitator
from app.services import accounts, owners
from app.services.tokens import issue_facilitator_token
from tests.conftest import csrf_of, fresh_database_url, make_settings
from tests.factories import PASSWORD

COOKIE = "gk_session"
HIDDEN_TEXT = "GEHEIM-VERBORGEN <script>alert(1)</script>"
UNREVEALED_TEXT = "NOG-NIET-ONTHULD"
OWN_TEXT = "EIGEN-ANTWOORD"
ROLES = ("anonymous", "participant", "other", "co", "owner")


@dataclass
class Principal:
    role: str
    cookie: str = ""
    csrf: str = ""
    bearer: str = ""

    def headers(self, *, api: bool = False) -> dict[str, str]:
        if api:
            return {"Authorization": f"Bearer {self.bearer}"} if self.bearer else {}
        out = {"X-CSRF-Token": self.csrf} if self.csrf else {}
        if self.cookie:
            out["cookie"] = self.cookie
        return out


@dataclass
class World:
    client: TestClient
    db: Database
    secret: str
    principals: dict[str, Principal]
    workshop_id: int
    code: str
    other_workshop_id: int
    other_code: str
    other_participant: Principal
    prompt_id: int
    hidden_answer_id: int
    unrevealed_answer_id: int
    own_answer_id: int
    extra_email: str
    item_id: int = 0
    owner_token: str = ""
    link_id: int = 0
    # Two groups of A's prompt (made afresh by new_groups): the first holds two answers.
    group_ids: tuple[int, int] = (0, 0)
    # The session-wide logins the principals were copied from (renewed after a logout).
    facilitators: dict[str, Principal] = field(default_factory=dict)
    _keys: Iterator[int] = field(default_factory=lambda: iter(range(10**6)))

    def key(self) -> str:
        return f"matrix-key-{next(self._keys):06d}"

    def new_item(self, title: str = "Actiepunt") -> int:
        """An agenda item in workshop A, for the trekker "Trekker"."""
        body = {"title": title, "owner_name": "Trekker"}
        url = f"/api/v1/workshops/{self.workshop_id}/agenda/items"
        item_id: int = api(self.client, "POST", url, self.principals["owner"].bearer, json=body)[
            "id"
        ]
        return item_id

    def new_groups(self) -> dict[str, int]:
        """Replace the prompt's groups with two fresh ones; returns the first as group_id."""
        url = f"/api/v1/workshops/{self.workshop_id}/prompts/{self.prompt_id}/groups"
        two = [self.hidden_answer_id, self.unrevealed_answer_id]
        body = {
            "groups": [{"label": "Groep", "answer_ids": two}, {"label": "Ander", "answer_ids": []}]
        }
        made = api(self.client, "PUT", url, self.principals["owner"].bearer, json=body)["groups"]
        self.group_ids = (made[0]["id"], made[1]["id"])
        return {"group_id": made[0]["id"]}

    def new_own_deck(self) -> dict[str, int]:
        """A copy of a file deck owned by A's owner (whose co-facilitator may see it)."""
        from app.services.own_decks import copy_deck

        decks = self.client.app.state.decks  # type: ignore[attr-defined]
        with self.db.writing() as session:
            owner = session.exec(select(User).where(User.email == "owner@example.nl")).one()
            own = copy_deck(session=session, user=owner, file_decks=decks, slug="nji-beleidsmakers")
            assert own.id is not None
            return {"deck_id": own.id}

    def new_link(self) -> tuple[int, str]:
        """A personal link for the trekker "Trekker" of workshop A: (its id, its token)."""
        with self.db.writing() as session:
            workshop = session.get(Workshop, self.workshop_id)
            assert workshop is not None
            link, token = owners.create_link(
                session=session, workshop=workshop, owner_name="Trekker", owner_organisation=None
            )
            assert link.id is not None
            return link.id, token

    def new_workshop(self) -> int:
        """A spare workshop like A (owner, with co), for calls that delete it."""
        body = {"deck": "nji-beleidsmakers", "kind": "regional", "school_year": "2026-2027"}
        made = api(self.client, "POST", "/api/v1/workshops", self.principals["owner"].bearer,
                   json={**body, "title": "Reserve"})  # fmt: skip
        with self.db.writing() as session:
            co_id = session.exec(select(User.id).where(User.email == "co@example.nl")).one()
            session.add(WorkshopFacilitator(workshop_id=made["id"], user_id=co_id))
            session.commit()
        workshop_id: int = made["id"]
        return workshop_id

    def item_version(self, item_id: int) -> int:
        with self.db.reading() as session:
            item = session.get(AgendaItem, item_id)
            assert item is not None
            return item.version

    def request(
        self, method: str, url: str, who: Principal, *, api: bool = False, **kwargs: Any
    ) -> httpx.Response:
        headers = {**who.headers(api=api), **kwargs.pop("headers", {})}
        self.client.cookies.clear()
        try:
            return self.client.request(
                method, url, headers=headers, follow_redirects=False, **kwargs
            )
        finally:
            self.client.cookies.clear()

    def fingerprint(self) -> tuple[Any, ...]:
        """Everything a refused request must leave alone."""
        with self.db.reading() as session:
            counts = tuple(
                session.exec(select(func.count()).select_from(table)).one()
                for table in SQLModel.metadata.sorted_tables
            )
            seqs = tuple(session.exec(select(Workshop.seq).order_by(col(Workshop.id))).all())
            answers = tuple(
                session.exec(
                    select(Answer.id, Answer.text, Answer.hidden, Answer.withdrawn).order_by(
                        col(Answer.id)
                    )
                ).all()
            )
            links = tuple(
                session.exec(
                    select(WorkshopFacilitator.workshop_id, WorkshopFacilitator.user_id)
                ).all()
            )
            reactions = tuple(session.exec(select(Reaction.answer_id)).all())
        return counts, seqs, answers, links, reactions


def _take_cookie(client: TestClient, fallback: str = "") -> str:
    value = client.cookies.get(COOKIE)
    client.cookies.clear()
    return f"{COOKIE}={value}" if value else fallback


def page_session(client: TestClient, url: str, cookie: str = "") -> tuple[str, str, str]:
    """GET a page as this cookie; returns (cookie, its CSRF token, the HTML)."""
    client.cookies.clear()
    response = client.get(url, headers={"cookie": cookie} if cookie else {})
    assert response.status_code == 200, (url, response.status_code)
    return _take_cookie(client, cookie), csrf_of(response.text), response.text


def log_in(client: TestClient, role: str, email: str) -> Principal:
    cookie, csrf, _ = page_session(client, "/login")
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf},
        headers={"cookie": cookie},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    cookie = _take_cookie(client)
    cookie, csrf, _ = page_session(client, "/dashboard", cookie)
    return Principal(role, cookie=cookie, csrf=csrf)


def renew_login(world: World, role: str) -> None:
    """Log a facilitator in again after a logout, which ends every session and token of the
    account (server-side sessions); later tests of this run use the new ones."""
    email = f"{role}@example.nl"
    fresh = log_in(world.client, role, email)
    with world.db.reading() as session:
        user = session.exec(select(User).where(User.email == email)).one()
    fresh.bearer = issue_facilitator_token(secret_key=world.secret, user=user)
    for who in (world.principals[role], world.facilitators[role]):
        who.cookie, who.csrf, who.bearer = fresh.cookie, fresh.csrf, fresh.bearer


def join_page(client: TestClient, code: str, name: str) -> Principal:
    cookie, csrf, _ = page_session(client, f"/w/{code}")
    response = client.post(
        f"/w/{code}/join",
        data={"name": name, "domain": "onderwijs", "csrf_token": csrf},
        headers={"cookie": cookie},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    cookie = _take_cookie(client)
    cookie, csrf, _ = page_session(client, f"/w/{code}", cookie)
    return Principal("participant", cookie=cookie, csrf=csrf)


def join_api(client: TestClient, code: str, name: str) -> str:
    response = client.post("/api/v1/join", json={"code": code, "name": name})
    assert response.status_code == 201, response.text
    token: str = response.json()["access_token"]
    return token


def api(client: TestClient, method: str, url: str, token: str, **kwargs: Any) -> Any:
    response = client.request(method, url, headers={"Authorization": f"Bearer {token}"}, **kwargs)
    assert response.status_code < 300, (url, response.status_code, response.text)
    return response.json()


def answer_api(client: TestClient, workshop_id: int, token: str, prompt_id: int, text: str) -> int:
    body = {"prompt_id": prompt_id, "text": text, "idempotency_key": f"world-{abs(hash(text))}"}
    result = api(client, "POST", f"/api/v1/workshops/{workshop_id}/answers", token, json=body)
    answer_id: int = result["id"]
    return answer_id


@dataclass
class Base:
    """What every module shares: the app, its database, and three logged-in facilitators."""

    client: TestClient
    db: Database
    secret: str
    facilitators: dict[str, Principal]
    extra_email: str


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Base]:
    directory: Path = tmp_path_factory.mktemp("world")
    with fresh_database_url(directory) as url:
        db = Database(url)
        SQLModel.metadata.create_all(db.engine)
        # Authorization, not abuse limits, is under test here: probes with wrong codes and
        # many joins from one test client must not run into them.
        settings = make_settings(url, directory / "data").model_copy(
            update={
                "join_failures_per_client": 100_000,
                "joins_per_client": 100_000,
                "joins_per_workshop": 100_000,
            }
        )
        secret = settings.resolved_secret_key()
        emails = {role: f"{role}@example.nl" for role in ("owner", "co", "other", "extra")}
        users: dict[str, User] = {}
        with db.writing() as session:
            for role, email in emails.items():
                users[role] = accounts.create_user(session=session, email=email, password=PASSWORD)
        try:
            with TestClient(create_app(settings), base_url="http://testserver") as client:
                facilitators = {r: log_in(client, r, emails[r]) for r in ("owner", "co", "other")}
                for role, who in facilitators.items():
                    who.bearer = issue_facilitator_token(secret_key=secret, user=users[role])
                yield Base(client, db, secret, facilitators, emails["extra"])
        finally:
            db.dispose()


@pytest.fixture(scope="module")
def world(base: Base) -> World:
    """Fresh workshops for each module: A (owner, with co) and B (other), with answers in A."""
    return _build(base)


def _build(base: Base) -> World:
    client, db = base.client, base.db
    principals = {role: Principal(role, who.cookie, who.csrf, who.bearer)
                  for role, who in base.facilitators.items()}  # fmt: skip
    with db.reading() as session:
        co_id = session.exec(select(User.id).where(User.email == "co@example.nl")).one()
    body = {"deck": "nji-beleidsmakers", "kind": "regional", "school_year": "2026-2027"}
    mine = api(client, "POST", "/api/v1/workshops", principals["owner"].bearer,
               json={**body, "title": "Bijeenkomst A"})  # fmt: skip
    theirs = api(client, "POST", "/api/v1/workshops", principals["other"].bearer,
                 json={**body, "title": "Bijeenkomst B"})  # fmt: skip
    with db.writing() as session:
        session.add(WorkshopFacilitator(workshop_id=mine["id"], user_id=co_id))
        session.commit()
    wid, code = mine["id"], mine["join_code"]
    for workshop, token in (
        (mine, principals["owner"].bearer),
        (theirs, principals["other"].bearer),
    ):
        for action in ("start", "open"):
            api(client, "POST", f"/api/v1/workshops/{workshop['id']}/actions", token,
                json={"action": action})  # fmt: skip
    state = api(client, "GET", f"/api/v1/workshops/{wid}", principals["owner"].bearer)
    prompt_id = state["current_prompt"]["id"]

    participant = join_page(client, code, "Deelnemer Een")
    participant.bearer = join_api(client, code, "Deelnemer Een (API)")
    principals["participant"] = participant
    principals["anonymous"] = Principal("anonymous")
    principals["anonymous"].cookie, principals["anonymous"].csrf, _ = page_session(client, "/login")

    hidden = answer_api(client, wid, join_api(client, code, "Twee"), prompt_id, HIDDEN_TEXT)
    unrevealed = answer_api(client, wid, join_api(client, code, "Drie"), prompt_id, UNREVEALED_TEXT)
    own = answer_api(client, wid, participant.bearer, prompt_id, OWN_TEXT)
    client.cookies.clear()
    response = client.post(
        f"/workshops/{wid}/answers/{hidden}/visibility",
        data={"hidden": "true"},
        headers=principals["owner"].headers(),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    client.cookies.clear()
    other_participant = join_page(client, theirs["join_code"], "Deelnemer B")
    other_participant.bearer = join_api(client, theirs["join_code"], "Deelnemer B (API)")
    world = World(
        client=client,
        db=db,
        secret=base.secret,
        principals=principals,
        workshop_id=wid,
        code=code,
        other_workshop_id=theirs["id"],
        other_code=theirs["join_code"],
        other_participant=other_participant,
        prompt_id=prompt_id,
        hidden_answer_id=hidden,
        unrevealed_answer_id=unrevealed,
        own_answer_id=own,
        extra_email=base.extra_email,
        facilitators=base.facilitators,
    )
    world.item_id = world.new_item()
    world.link_id, world.owner_token = world.new_link()
    return world
