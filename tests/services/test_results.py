"""Self-assessments per theme and over the school years of one series, and the page showing them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import Database
from app.decks import Deck
from app.models import Answer, User, Workshop, WorkshopCreate
from app.services import workshops
from app.services.facilitation import set_answer_hidden
from app.services.results import scale_results
from tests.factories import (
    PASSWORD,
    RecordingPublisher,
    make_answer,
    make_participant,
    make_scale_answers,
    make_user,
    make_workshop,
    open_first_prompt,
)

ORG = "Gemeente Zwolle"


def _workshop(
    session: Session,
    decks: dict[str, Deck],
    owner: User,
    year: str,
    *,
    organisation: str | None = ORG,
    deck_slug: str = "nji-beleidsmakers",
) -> Workshop:
    data = WorkshopCreate(
        title=f"Regiotafel {organisation or ''} {year}",
        deck_slug=deck_slug,
        school_year=year,
        organisation=organisation,
    )
    return workshops.create_workshop(session=session, owner=owner, data=data, decks=decks)


def _scores(
    session: Session, workshop: Workshop, deck_prompt_id: str, values: list[int]
) -> list[Answer]:
    return make_scale_answers(
        session, workshop=workshop, deck_prompt_id=deck_prompt_id, values=values
    )


def _series(session: Session, decks: dict[str, Deck]) -> tuple[User, Workshop]:
    """One organisation's regional table in three school years, plus workshops that are
    not part of its series. Returns the facilitator and the 2026-2027 workshop."""
    owner = make_user(session)
    first = _workshop(session, decks, owner, "2024-2025")
    _scores(session, first, "visie-score", [1, 1, 2])
    second_a = _workshop(session, decks, owner, "2025-2026", organisation=" gemeente  zwolle ")
    second_b = _workshop(session, decks, owner, "2025-2026")
    _scores(session, second_a, "visie-score", [2, 3])
    _scores(session, second_b, "visie-score", [3, 3, 4])
    hidden = _scores(session, second_b, "visie-score", [1])[0]
    set_answer_hidden(
        session=session, publisher=RecordingPublisher(), workshop=second_b,
        answer_id=hidden.id or 0, hidden=True,
    )  # fmt: skip
    current = _workshop(session, decks, owner, "2026-2027")
    _scores(session, current, "visie-score", [3, 4, 4, 5])
    # Not the series: another organisation, another deck, a later year, someone else's.
    _scores(session, _workshop(session, decks, owner, "2025-2026", organisation="Deventer"),
            "visie-score", [5, 5])  # fmt: skip
    _workshop(session, decks, owner, "2025-2026", deck_slug="nji-uitvoerende-professionals")
    _scores(session, _workshop(session, decks, owner, "2027-2028"), "visie-score", [5])
    stranger = make_user(session, email="ander@example.nl")
    _scores(session, _workshop(session, decks, stranger, "2023-2024"), "visie-score", [5])
    return owner, current


def test_a_self_assessment_over_three_school_years(
    session: Session, decks: dict[str, Deck]
) -> None:
    owner, current = _series(session, decks)
    results = scale_results(session=session, workshop=current, viewer=owner)

    assert [w.school_year for w in results.earlier] == ["2024-2025", "2025-2026", "2025-2026"]
    assert results.school_years == ["2024-2025", "2025-2026", "2026-2027"]
    # Every theme of this deck ends with a scale prompt; the first is the shared vision.
    assert len(results.themes) == 6 and all(len(t.scales) == 1 for t in results.themes)
    vision = results.themes[0].scales[0]
    assert vision.prompt.deck_prompt_id == "visie-score"
    years = [(y.school_year, y.counts, y.workshops, y.current) for y in vision.years]
    assert years == [
        ("2024-2025", (2, 1, 0, 0, 0), 1, False),
        # Two workshops that year; the hidden 1 does not count.
        ("2025-2026", (0, 1, 3, 1, 0), 2, False),
        ("2026-2027", (0, 0, 1, 2, 1), 1, True),
    ]
    # A prompt nobody answered before shows only this workshop's (empty) row.
    later = results.themes[1].scales[0]
    assert [(y.school_year, y.total) for y in later.years] == [("2026-2027", 0)]


def test_without_an_organisation_the_series_is_the_owners_own(
    session: Session, decks: dict[str, Deck]
) -> None:
    owner = make_user(session)
    co = make_user(session, email="collega@example.nl")
    mine = _workshop(session, decks, owner, "2025-2026", organisation=None)
    _scores(session, mine, "visie-score", [2])
    theirs = _workshop(session, decks, co, "2025-2026", organisation=None)
    _scores(session, theirs, "visie-score", [4])
    workshops.add_cofacilitator(session=session, workshop=theirs, by=co, email=owner.email)
    current = _workshop(session, decks, owner, "2026-2027", organisation=None)
    results = scale_results(session=session, workshop=current, viewer=owner)
    assert [w.id for w in results.earlier] == [mine.id]
    assert results.themes[0].scales[0].years[0].counts == (0, 1, 0, 0, 0)


def test_the_results_page_draws_each_year_with_its_numbers(
    client: TestClient, db: Database, decks: dict[str, Deck]
) -> None:
    with db.write_session() as session:
        _owner, current = _series(session, decks)
        wid = current.id
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    client.post(
        "/login",
        data={"email": "begeleider@example.nl", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    html = client.get(f"/workshops/{wid}/results").text
    assert "Hoe staan we ervoor?" in html
    vision = re.search(r'<svg[^>]*aria-labelledby="(scale-\d+)-title \1-desc".*?</svg>', html, re.S)
    assert vision, "no labelled scale chart"
    svg = vision.group(0)
    assert 'role="img"' in svg and "per schooljaar" in svg
    assert (
        "2024\u20132025: 3 antwoorden, gemiddeld 1,3; 1: 2, 2: 1, 3: 0, 4: 0, 5: 0. "
        "2025\u20132026: 5 antwoorden, gemiddeld 3,0; 1: 0, 2: 1, 3: 3, 4: 1, 5: 0. "
        "2026\u20132027: 4 antwoorden, gemiddeld 4,0; 1: 0, 2: 0, 3: 1, 4: 2, 5: 1."
    ) in svg
    # One bar per year, the segments of a year spanning the same width.
    assert [t for t in re.findall(r'class="stack-label">([^<]+)<', svg)] == [
        "2024\u20132025", "2025\u20132026", "2026\u20132027",
    ]  # fmt: skip
    assert svg.count('class="seg"') == 2 + 3 + 3
    assert "gem. 4,0" in svg
    # The later, the other organisation's and the stranger's workshops stay out.
    assert "2027\u20132028" not in html and "2023\u20132024" not in html
    assert "Deventer" not in html
    # An unanswered prompt says so in words, and the numbers table is there to read.
    assert "nog geen antwoorden" in html
    assert (
        '<th scope="row">2025\u20132026</th>'
        + "".join(f"<td>{n}</td>" for n in (0, 1, 3, 1, 0, 5, "3,0"))
    ) in html
    english = client.get(f"/workshops/{wid}/results", headers={"Accept-Language": "en"}).text
    assert "3 answers, average 1.3" in english and "avg 4.0" in english


def test_the_results_page_shows_the_words_of_each_open_prompt(
    client: TestClient, db: Database, decks: dict[str, Deck]
) -> None:
    with db.write_session() as session:
        owner = make_user(session)
        workshop = open_first_prompt(session, make_workshop(session, owner=owner, decks=decks))
        texts = ["De wijkagent op school", "Wijkagent vaker zien", "Sociale media", "<b>geheim</b>"]
        answers = []
        for i, text in enumerate(texts):
            participant, _ = make_participant(session, workshop=workshop, name=f"P{i}")
            answers.append(make_answer(session, participant=participant, text=text))
        set_answer_hidden(
            session=session, publisher=RecordingPublisher(), workshop=workshop,
            answer_id=answers[-1].id or 0, hidden=True,
        )  # fmt: skip
        wid = workshop.id
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    client.post(
        "/login",
        data={"email": "begeleider@example.nl", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    html = client.get(f"/workshops/{wid}/results").text
    assert "Welke woorden vallen op?" in html and "3 antwoorden" in html
    view = re.search(r'<figure class="word-view" id="words-\d+">.*?</figure>', html, re.S)
    assert view, "no word view"
    assert '<th scope="row">wijkagent</th><td>2</td>' in view.group(0)
    assert ">wijkagent</text>" in view.group(0)
    assert "geheim" not in html  # a hidden answer's words stay out
    english = client.get(f"/workshops/{wid}/results", headers={"Accept-Language": "en"}).text
    assert "Which words stand out?" in english and "3 answers" in english
