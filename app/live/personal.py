"""What one person's phone gets besides the shared fragments (own answers, the answer form,
own dots), and the whole state a client gets on (re)connecting."""

from __future__ import annotations

from dataclasses import dataclass

from app.events import Topic
from app.live.render import Audience, partial, render_shared, sync
from app.live.state import Room


def render_private(
    room: Room, participant_id: int, *, with_form: bool, lang: str, with_votes: bool = False
) -> str:
    """A participant's own answers and, when the prompt changed, a fresh answer form;
    with the agenda loaded, also their own dots."""
    own, rest = render_private_parts(
        room, participant_id, with_form=with_form, lang=lang, with_votes=with_votes
    )
    return rest + own


def render_private_parts(
    room: Room,
    participant_id: int,
    *,
    with_form: bool,
    lang: str,
    with_votes: bool = False,
    with_own: bool = True,
) -> tuple[str, str]:
    """(own answers, the rest): the hub leaves out own answers no newer than a reply it sent."""
    own = room.own.get(participant_id, [])
    mine = partial("_my_answers", lang, room=room, own=own, pid=participant_id) if with_own else ""
    rest = ""
    if with_form:
        rest = partial("_answer_form", lang, room=room, own=own)
    if with_votes and room.agenda is not None:
        rest += partial("_vote_banner", lang, room=room, pid=participant_id)
        rest += partial("_dot_vote", lang, room=room, pid=participant_id)
        rest += partial("_review_react", lang, room=room, pid=participant_id)
    return mine, rest


@dataclass(frozen=True)
class Snapshot:
    """Everything a client needs after (re)connecting."""

    body: str


def render_snapshot(
    room: Room, audience: Audience, participant_id: int | None, lang: str
) -> Snapshot:
    body = render_shared(room, audience, frozenset(Topic), lang) + sync(room)
    if audience is Audience.participant and participant_id is not None:
        body += render_private(room, participant_id, with_form=True, lang=lang, with_votes=True)
    return Snapshot(body=body)
