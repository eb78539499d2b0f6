"""Rendering live fragments: once per (audience, language) per change, plus private views."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from markupsafe import Markup

from app.events import Topic
from app.i18n import DEFAULT_LANGUAGE
from app.live.state import AnswerView, Room
from app.templating import environment


class Audience(StrEnum):
    facilitator = "facilitator"
    projector = "projector"
    participant = "participant"
    # The terugblik's projector page: only its screen, pushed with every agenda change.
    review = "review"


# Which partials an audience gets when a topic changes. Each partial has a stable id.
FRAGMENTS: dict[Audience, dict[Topic, tuple[str, ...]]] = {
    Audience.facilitator: {
        Topic.stage: (
            "_console_stage",
            "_console_answers",
            "_console_groups",
            "_domain_chart",
            "_presence",
            "_timer",
            "_console_wall",
            "_console_programme",
        ),
        # Presence has its own topic: an answer does not change who is in the room.
        # Not the groups panel: a +1 must not redraw a form the facilitator is typing in. A
        # late answer that joins a group publishes Topic.groups as well.
        # _console_wall names the answer in the spotlight, which an edit or a hide changes.
        Topic.answers: ("_console_answers", "_domain_chart", "_console_wall"),
        Topic.presence: ("_presence", "_domain_chart"),
        Topic.agenda: ("_agenda_items",),
        Topic.groups: ("_console_groups",),
        Topic.wall: ("_console_wall",),
    },
    Audience.projector: {
        Topic.stage: (
            "_projector_stage",
            "_projector_answers",
            "_domain_chart",
            "_presence",
            "_timer",
            "_projector_wall",
            "_projector_groups",
            "_projector_words",
            "_projector_votes",
        ),
        # The groups and words modes draw only while chosen (else an empty section).
        Topic.answers: (
            "_projector_answers",
            "_domain_chart",
            "_presence",
            "_projector_wall",
            "_projector_groups",
            "_projector_words",
        ),
        Topic.presence: ("_presence", "_projector_stage", "_domain_chart"),
        Topic.agenda: ("_agenda_items", "_projector_votes"),
        # A group edit reorders the wall when it is ordered by group (the hub counts the
        # answer lists as pushed on Topic.groups) and redraws the groups mode.
        Topic.groups: ("_projector_answers", "_projector_groups"),
        Topic.wall: (
            "_projector_wall",
            "_projector_groups",
            "_projector_words",
            "_projector_votes",
        ),
    },
    Audience.participant: {
        # An empty _flash: a "Verstuurd." about the last prompt does not linger on the next.
        Topic.stage: ("_participant_stage", "_room_answers", "_timer", "_flash"),
        Topic.answers: ("_room_answers",),
        Topic.presence: (),
        # A participant's dots are their own: see render_private.
        Topic.agenda: (),
        # After reveal a phone in a big room sees the groups (see Room.phone_mode).
        Topic.groups: ("_room_answers",),
        Topic.wall: (),
    },
    Audience.review: {
        Topic.stage: (),
        Topic.answers: (),
        Topic.presence: (),
        Topic.agenda: ("_review_screen",),
        Topic.groups: (),
        Topic.wall: (),
    },
}


@dataclass(frozen=True)
class AnswerList:
    """A fragment whose answers can be pushed one by one instead of as a whole."""

    fragment: str  # the whole fragment (snapshots, stage changes)
    item: str  # the partial of one answer, with a stable id
    list_id: str  # the <ul> the items live in
    id_prefix: str  # an item's element id is this plus the answer id
    heads: tuple[str, ...]  # the small parts above the list that change with it (counts)


ANSWER_LISTS: dict[Audience, AnswerList] = {
    Audience.participant: AnswerList(
        "_room_answers",
        "_room_answer",
        "room-answer-list",
        "ra-",
        ("_room_answers_meta", "_room_answers_more"),
    ),
    Audience.projector: AnswerList(
        "_projector_answers",
        "_projector_answer",
        "projector-answer-list",
        "pa-",
        ("_projector_answers_count",),
    ),
    Audience.facilitator: AnswerList(
        "_console_answers",
        "_console_answer",
        "console-answer-list",
        "ca-",
        ("_console_answers_count", "_console_answers_meta"),
    ),
}


def partial(name: str, lang: str = DEFAULT_LANGUAGE, **context: object) -> str:
    """One partial in one language; safe to call from several threads at once."""
    return environment(lang).get_template(f"partials/{name}.html").render(**context)


def sync(room: Room, base: int | None = None) -> str:
    """The push's sequence number; `base` is the one the receiving client must be at (a
    snapshot has none: it replaces everything)."""
    return partial("_sync", room=room, base=base)


def shown_answers(room: Room, audience: Audience) -> tuple[AnswerView, ...] | None:
    """The answers an audience's list shows in this order; None when it shows no list
    (before reveal, a scale prompt's chart, the end): then its fragment is pushed whole."""
    if audience is Audience.review or room.prompt is None or room.prompt.kind == "scale":
        return None
    if audience is Audience.facilitator:
        # Newest first: what just came in is at the top of the console, no scrolling.
        return tuple(reversed(room.answers))
    if room.ended or not room.revealed:
        return None
    if audience is Audience.participant and room.phone_mode != "list":
        if room.phone_mode == "top":
            # The most recognised first page: a new answer seldom changes it, so a push
            # carries only the counts (not the page again to every phone).
            return tuple(room.visible_answers[: room.phone_page])
        # Grouped views are short and change with every answer: pushed whole.
        return None
    if audience is Audience.projector:
        return tuple(room.wall_answers)
    return tuple(room.visible_answers)


# The wall's panels: pushed with an answer only while an answer is in the spotlight.
_SPOTLIGHT_SHOWN = frozenset({"_console_wall", "_projector_wall"})


def _names(audience: Audience, topics: frozenset[Topic]) -> list[str]:
    names: list[str] = []
    for topic in Topic:
        if topic in topics:
            names.extend(n for n in FRAGMENTS[audience][topic] if n not in names)
    return names


def render_shared(
    room: Room,
    audience: Audience,
    topics: frozenset[Topic],
    lang: str,
    *,
    since: tuple[AnswerView, ...] | None = None,
    now: tuple[AnswerView, ...] | None = None,
) -> str:
    """One message body (without its sync) for every client of this audience that reads
    this language. With `since` (the answers these clients show now), the answer list is
    pushed as the changes from there to `now` (the list it shows next, when known) instead
    of whole."""
    names = _names(audience, topics)
    answers = ANSWER_LISTS.get(audience)
    parts: list[str] = []
    # An answer changes the wall's panels only through the answer in the spotlight.
    quiet_wall = room.wall.spotlight_answer_id is None and not topics & {Topic.stage, Topic.wall}
    for name in names:
        if quiet_wall and name in _SPOTLIGHT_SHOWN:
            continue
        if answers is not None and name == answers.fragment and since is not None:
            parts.append(render_answer_changes(room, audience, lang, since, now))
        else:
            parts.append(partial(name, lang, room=room, audience=audience.value))
    return "".join(parts)


def render_answer_changes(
    room: Room,
    audience: Audience,
    lang: str,
    before: tuple[AnswerView, ...],
    now: tuple[AnswerView, ...] | None = None,
) -> str:
    """The out-of-band swaps that turn the list `before` into the room's list now.

    Answers that stay in the same relative order stay where they are (replaced only if they
    changed); the rest are removed and inserted in front of the next answer that stays, or
    at the end. Every item is the same partial the whole fragment uses, so the result is the
    DOM a snapshot would give.
    """
    spec = ANSWER_LISTS[audience]
    if now is None:
        now = shown_answers(room, audience)
    assert now is not None and before
    # A push mostly adds at one end (the console's newest first, the wall's last) or changes
    # a few: the answers that are the very same objects at both ends stay as they are, and
    # only the middle is compared.
    head = _same_run(before, now)
    tail = _same_run(before[head:][::-1], now[head:][::-1])
    end = (
        f"beforebegin:#{spec.id_prefix}{now[len(now) - tail].id}"
        if tail
        else f"beforeend:#{spec.list_id}"
    )
    before, now = before[head : len(before) - tail], now[head : len(now) - tail]
    old_index = {a.id: i for i, a in enumerate(before)}
    old_by_id = {a.id: a for a in before}
    new_ids = {a.id for a in now}
    keep = _stable([(a.id, old_index[a.id]) for a in now if a.id in old_index])

    def item(a: AnswerView, oob: str | None = None) -> str:
        return partial(spec.item, lang, room=room, a=a, oob=oob)

    parts = [partial(h, lang, room=room, oob="true") for h in spec.heads]
    for a in before:
        if a.id not in new_ids or a.id not in keep:
            parts.append(partial("_oob_delete", lang, item_id=f"{spec.id_prefix}{a.id}"))
    run: list[str] = []
    for a in now:
        if a.id in keep:
            if run:
                parts.append(_insert(lang, f"beforebegin:#{spec.id_prefix}{a.id}", run))
                run = []
            old = old_by_id[a.id]
            # The same object when a delta did not read it again: unchanged, no comparing.
            if old is not a and old != a:
                parts.append(item(a, "true"))
        else:
            run.append(item(a))
    if run:
        parts.append(_insert(lang, end, run))
    return "".join(parts)


def _same_run(before: tuple[AnswerView, ...], now: tuple[AnswerView, ...]) -> int:
    """How many answers at the start of both are the very same objects (unchanged)."""
    n = 0
    for old, new in zip(before, now, strict=False):
        if old is not new:
            break
        n += 1
    return n


def _insert(lang: str, target: str, rendered: list[str]) -> str:
    """Answers rendered by their own partial, inserted out of band at `target`."""
    return partial("_oob_insert", lang, target=target, items=Markup("".join(rendered)))


def _stable(pairs: list[tuple[int, int]]) -> set[int]:
    """Of (id, old position) in the new order, the ids of a longest run of increasing old
    positions: those need not move."""
    positions = [pos for _id, pos in pairs]
    if all(a < b for a, b in pairwise(positions)):
        # Nothing moved (the common case: answers only came or went): all stay.
        return {i for i, _pos in pairs}
    tails: list[int] = []  # the smallest old position that ends a run of each length
    ends: list[int] = []  # index into pairs of that position
    back: list[int] = [-1] * len(pairs)
    for i, pos in enumerate(positions):
        lo = bisect_left(tails, pos)
        if lo > 0:
            back[i] = ends[lo - 1]
        if lo == len(tails):
            tails.append(pos)
            ends.append(i)
        else:
            tails[lo] = pos
            ends[lo] = i
    keep: set[int] = set()
    i = ends[-1] if ends else -1
    while i >= 0:
        keep.add(pairs[i][0])
        i = back[i]
    return keep
