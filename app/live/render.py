"""Rendering live fragments: once per (audience, language) per change, plus private views."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.i18n import DEFAULT_LANGUAGE
from app.live.events import Topic
from app.live.state import Room
from app.templating import environment


class Audience(StrEnum):
    facilitator = "facilitator"
    projector = "projector"
    participant = "participant"


# Which partials an audience gets when a topic changes. Each partial has a stable id.
FRAGMENTS: dict[Audience, dict[Topic, tuple[str, ...]]] = {
    Audience.facilitator: {
        Topic.stage: ("_console_stage", "_console_answers", "_domain_chart", "_presence", "_timer"),
        Topic.answers: ("_console_answers", "_domain_chart", "_presence"),
        Topic.presence: ("_presence", "_domain_chart"),
        Topic.agenda: ("_agenda_items",),
    },
    Audience.projector: {
        Topic.stage: (
            "_projector_stage",
            "_projector_answers",
            "_domain_chart",
            "_presence",
            "_timer",
        ),
        Topic.answers: ("_projector_answers", "_domain_chart", "_presence"),
        Topic.presence: ("_presence", "_projector_stage", "_domain_chart"),
        Topic.agenda: ("_agenda_items",),
    },
    Audience.participant: {
        # An empty _flash: a "Verstuurd." about the last prompt does not linger on the next.
        Topic.stage: ("_participant_stage", "_room_answers", "_timer", "_flash"),
        Topic.answers: ("_room_answers",),
        Topic.presence: (),
        # A participant's dots are their own: see render_private.
        Topic.agenda: (),
    },
}


def partial(name: str, lang: str = DEFAULT_LANGUAGE, **context: object) -> str:
    """One partial in one language; safe to call from several threads at once."""
    return environment(lang).get_template(f"partials/{name}.html").render(**context)


def _sync(room: Room) -> str:
    return partial("_sync", room=room)


def render_shared(room: Room, audience: Audience, topics: frozenset[Topic], lang: str) -> str:
    """One message body for every client of this audience that reads this language."""
    names: list[str] = []
    for topic in Topic:
        if topic in topics:
            names.extend(n for n in FRAGMENTS[audience][topic] if n not in names)
    body = "".join(partial(n, lang, room=room, audience=audience.value) for n in names)
    return body + _sync(room) if body else ""


def render_private(
    room: Room, participant_id: int, *, with_form: bool, lang: str, with_votes: bool = False
) -> str:
    """A participant's own answers and, when the prompt changed, a fresh answer form;
    with the agenda loaded, also their own dots."""
    own = room.own.get(participant_id, [])
    body = partial("_my_answers", lang, room=room, own=own)
    if with_form:
        body = partial("_answer_form", lang, room=room, own=own) + body
    if with_votes and room.agenda is not None:
        body += partial("_dot_vote", lang, room=room, pid=participant_id)
    return body


@dataclass(frozen=True)
class Snapshot:
    """Everything a client needs after (re)connecting."""

    body: str


def render_snapshot(
    room: Room, audience: Audience, participant_id: int | None, lang: str
) -> Snapshot:
    body = render_shared(room, audience, frozenset(Topic), lang)
    if audience is Audience.participant and participant_id is not None:
        body += render_private(room, participant_id, with_form=True, lang=lang, with_votes=True)
    return Snapshot(body=body)
