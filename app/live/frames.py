"""One flush of a room: read it (whole or as changes), render each view once, deliver.

Split from the hub (app/live/hub.py), which decides when a room is flushed and for whom.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.db import Database
from app.events import Topic
from app.live.client import Client
from app.live.delta import apply_changes, needs_reading
from app.live.personal import render_private_parts
from app.live.render import Audience, render_shared, shown_answers, sync
from app.live.state import AnswerView, Room, load_room
from app.live.wire import Outgoing


@dataclass
class Pending:
    """The changes waiting for a room's next flush."""

    topics: set[Topic] = field(default_factory=set)
    participant_ids: set[int] = field(default_factory=set)
    everyone: bool = False
    # The events' seqs, and whether the held room can follow all of them (delta.py).
    seqs: set[int] = field(default_factory=set)
    followable: bool = True
    # Flushes put off because an event was still on its way (see EventsInFlight).
    waits: int = 0

    def merge(self, newer: Pending) -> Pending:
        """These changes and the newer ones, as one flush."""
        return Pending(
            topics=self.topics | newer.topics,
            participant_ids=self.participant_ids | newer.participant_ids,
            everyone=self.everyone or newer.everyone,
            seqs=self.seqs | newer.seqs,
            followable=self.followable and newer.followable,
            waits=self.waits,
        )


# How often a flush waits for events still on their way before it reads the room whole.
MAX_WAITS = 4


class EventsInFlight(Exception):
    """The database is past the events this process has had: a change committed in another
    thread or worker has not reached the hub yet. Waiting a moment for it is far cheaper than
    reading the whole room, which is all the held room could do without knowing whose rows
    changed."""


# A shared render is keyed by who reads it: the same bytes go to every such client.
View = tuple[Audience, str]


@dataclass(frozen=True)
class Lists:
    """What every audience's answer list showed at one seq: the base of the next changes."""

    seq: int
    # Changes apply only within one prompt and stage; anything else sends the list whole.
    stage: tuple[object, ...]
    shown: dict[Audience, tuple[AnswerView, ...] | None]


def stage_of(room: Room) -> tuple[object, ...]:
    prompt = room.prompt
    return (
        room.workshop.status,
        None if prompt is None else (prompt.id, prompt.phase, prompt.revealed, prompt.kind),
        # A phone's list becoming the first page (or groups) changes its frame: sent whole.
        room.phone_mode,
    )


@dataclass(frozen=True)
class Rendered:
    seq: int
    room: Room
    # (view, as changes?) -> body without its sync; only for views asked for.
    shared: dict[tuple[View, bool], str]
    # (participant id, language) -> (own answers, answer form and dots)
    private: dict[tuple[int, str], tuple[str, str]]
    lists: Lists | None  # the new base, when this flush pushed the answer lists


def read_room(
    db: Database,
    workshop_id: int,
    held: Room | None,
    pending: Pending,
    *,
    with_agenda: bool,
) -> Room | None:
    """The room now: the held one plus what changed since, or read whole. Raises
    EventsInFlight when an event it needs is still on its way (at most MAX_WAITS times)."""
    with db.snapshot() as session:
        if held is not None and pending.followable:
            upto = needs_reading(held, pending.seqs)
            if upto == 0:
                return held
            if upto is not None:
                room = apply_changes(
                    session,
                    held,
                    seq=upto,
                    participant_ids=frozenset(pending.participant_ids),
                    presence=Topic.presence in pending.topics,
                )
                if room is not None:
                    return room
            if pending.waits < MAX_WAITS:
                raise EventsInFlight
        return load_room(session=session, workshop_id=workshop_id, with_agenda=with_agenda)


def render_views(
    room: Room,
    topics: frozenset[Topic],
    wants: Iterable[tuple[View, bool]],
    pids: dict[tuple[int, str], int],
    base: Lists | None,
    *,
    with_agenda: bool,
) -> Rendered:
    """Each wanted view once (as changes from `base` where it can), and each participant's
    own fragments; `pids` maps each to the seq of the own fragments its phones already have."""
    lists = None
    if topics & {Topic.answers, Topic.stage, Topic.groups}:
        # Every audience's answer fragment is in this push: the lists move on.
        lists = Lists(
            seq=room.seq,
            stage=stage_of(room),
            shown={a: shown_answers(room, a) for a in Audience},
        )
    shared: dict[tuple[View, bool], str] = {}
    for (audience, lang), as_changes in wants:
        since = now = None
        if (
            as_changes
            and lists is not None
            and base is not None
            and Topic.stage not in topics
            and base.stage == lists.stage
            and base.shown[audience]
            and lists.shown[audience]
        ):
            since, now = base.shown[audience], lists.shown[audience]
        body = render_shared(room, audience, topics, lang, since=since, now=now)
        shared[((audience, lang), as_changes)] = body
    private = {
        (pid, lang): render_private_parts(
            room,
            pid,
            with_form=Topic.stage in topics,
            lang=lang,
            with_votes=with_agenda,
            # The author's acknowledgement already carried them (rendered once).
            with_own=room.seq > sent,
        )
        for (pid, lang), sent in pids.items()
    }
    return Rendered(seq=room.seq, room=room, shared=shared, private=private, lists=lists)


def deliver(clients: Iterable[Client], rendered: Rendered, base: Lists | None) -> None:
    """Queue each client its message: the same string for every client of a view at the
    same seq, plus its own fragments."""
    # Same bytes for every client of a view that is at the same seq: one message, framed
    # once for all of them (wire.py).
    syncs: dict[tuple[View, bool, int | None], Outgoing] = {}
    for client in clients:
        view = (client.audience, client.lang)
        as_changes = base is not None and client.list_seq == base.seq
        shared = rendered.shared.get((view, as_changes), "")
        message: Outgoing | None = None
        if shared:
            key = (view, as_changes, client.sent_seq)
            message = syncs.get(key)
            if message is None:
                message = syncs[key] = Outgoing(shared + sync(rendered.room, client.sent_seq))
            client.sent_seq = rendered.seq
        if rendered.lists is not None:
            client.list_seq = rendered.lists.seq
        private = rendered.private.get((client.participant_id or 0, client.lang))
        if private is not None:
            own, rest = private
            # Own answers as old as a reply already sent repeat it; older ones undo it.
            text = (message.text if message else "") + rest
            message = Outgoing(text + (own if rendered.seq > client.private_seq else ""))
        if message is not None:
            client.offer(message)
