"""Answers per domain on the projector and the console: right counts, hidden ones not for the
room, the same fragment on page load and on push."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import select

from app.db import Database
from app.live.render import Audience, partial
from app.live.state import load_room
from app.models import Participant
from tests.conftest import csrf_of
from tests.factories import make_answer
from tests.live.helpers import (
    act,
    as_cookie,
    join,
    prompt_id_in,
    receive_until,
    send_answer,
    sign_up_and_create,
)

ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>')


def domain_counts(html: str) -> dict[str, int]:
    """The numbers in the chart's table (what a screen reader hears), by domain label."""
    section = re.search(r'<section id="domain-chart".*?</section>', html, re.S)
    assert section, "no domain chart on this page"
    return {label: int(n) for label, n in ROW.findall(section.group(0))}


def _room_with_answers(client: TestClient, db: Database) -> tuple[str, int, int]:
    """Four people from three domains; two teachers and one civil servant answer.
    Returns the facilitator's cookie, the workshop id and the id of one teacher's answer."""
    cookie, wid, code = sign_up_and_create(client)
    join(client, code, name="Sanne", domain="onderwijs")
    join(client, code, name="Joris", domain="onderwijs")
    join(client, code, name="Ahmed", domain="gemeente")
    join(client, code, name="Kim", domain="politie")
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    with db.write_session() as session:
        people = {
            p.name: p
            for p in session.exec(select(Participant).where(Participant.workshop_id == wid)).all()
        }
        make_answer(session, participant=people["Sanne"], text="Een gedeelde visie")
        joris = make_answer(session, participant=people["Joris"], text="Samen oefenen met de klas")
        make_answer(session, participant=people["Ahmed"], text="Korte lijnen")
        assert joris.id is not None
        return cookie, wid, joris.id


def _hide(client: TestClient, cookie: str, wid: int, answer_id: int) -> None:
    as_cookie(client, cookie)
    token = csrf_of(client.get(f"/workshops/{wid}").text)
    response = client.post(
        f"/workshops/{wid}/answers/{answer_id}/visibility",
        data={"hidden": "true"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert response.status_code == 204


def test_projector_and_console_count_answers_per_domain(client: TestClient, db: Database) -> None:
    cookie, wid, _joris = _room_with_answers(client, db)
    as_cookie(client, cookie)
    expected = {"Onderwijs": 2, "Gemeente": 1, "Politie": 0}  # Kim is there, has not answered
    for path in (f"/workshops/{wid}/projector", f"/workshops/{wid}"):
        page = client.get(path).text
        assert domain_counts(page) == expected, path
        chart = re.search(r'<section id="domain-chart".*?</section>', page, re.S)
        assert chart is not None
        svg = chart.group(0)
        assert 'role="img"' in svg
        assert 'aria-labelledby="domain-chart-svg-title domain-chart-svg-desc"' in svg
        assert "Onderwijs: 2, Gemeente: 1, Politie: 0" in svg  # the SVG's description
        # The largest count fills the bar area; half of it gets half a bar; a zero, none.
        track = float(re.findall(r'width="([\d.]+)" height="[\d.]+" class="hbar-track"', svg)[0])
        bars = [float(w) for w in re.findall(r'width="([\d.]+)" height="[\d.]+" class="hbar"', svg)]
        assert bars == [track, round(track / 2, 1)]
    english = client.get(f"/workshops/{wid}/projector", headers={"Accept-Language": "en"}).text
    assert domain_counts(english) == {"Education": 2, "Municipality": 1, "Police": 0}


def test_a_hidden_answer_is_not_counted_for_the_room_but_is_for_the_facilitator(
    client: TestClient, db: Database
) -> None:
    cookie, wid, joris = _room_with_answers(client, db)
    with client.websocket_connect(
        f"/ws/workshops/{wid}/projector", headers={"cookie": cookie}
    ) as ws:
        assert domain_counts(ws.receive_text())["Onderwijs"] == 2
        _hide(client, cookie, wid, joris)
        pushed = receive_until(ws, lambda m: 'id="domain-chart"' in m)
    assert domain_counts(pushed) == {"Onderwijs": 1, "Gemeente": 1, "Politie": 0}
    as_cookie(client, cookie)
    projector = client.get(f"/workshops/{wid}/projector").text
    assert domain_counts(projector) == {"Onderwijs": 1, "Gemeente": 1, "Politie": 0}
    assert "verborgen" not in projector
    console = client.get(f"/workshops/{wid}").text
    assert domain_counts(console) == {"Onderwijs": 2, "Gemeente": 1, "Politie": 0}
    assert "Meegeteld: 1 verborgen antwoord; de zaal ziet het niet" in console


def test_the_chart_is_pushed_as_answers_arrive_and_matches_the_page(
    client: TestClient, db: Database
) -> None:
    cookie, wid, code = sign_up_and_create(client)
    phone = join(client, code, name="Sanne", domain="jeugdhulp")
    act(client, cookie, wid, "start")
    act(client, cookie, wid, "open")
    with (
        client.websocket_connect(
            f"/ws/workshops/{wid}/facilitator", headers={"cookie": cookie}
        ) as ws,
        client.websocket_connect(f"/ws/w/{code}", headers={"cookie": phone}) as mine,
    ):
        assert domain_counts(ws.receive_text()) == {"Jeugdhulp": 0}
        send_answer(mine, prompt_id_in(mine.receive_text()), "Samen oefenen", "domain-chart-01")
        pushed = receive_until(
            ws, lambda m: 'id="domain-chart"' in m and domain_counts(m) == {"Jeugdhulp": 1}
        )
    with db.reading() as session:
        room = load_room(session=session, workshop_id=wid)
    assert room is not None
    fragment = partial("_domain_chart", room=room, audience=Audience.facilitator.value)
    assert fragment in pushed
    as_cookie(client, cookie)
    assert fragment in client.get(f"/workshops/{wid}").text
