"""The small message that says "workshop W changed": the database holds the rest."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Topic(StrEnum):
    # Navigation, phase, reveal, timer: every view changes.
    stage = "stage"
    # An answer or a reaction changed.
    answers = "answers"
    # Someone joined, connected or left.
    presence = "presence"
    # An actiepunt, the agenda's dates or the dot votes changed.
    agenda = "agenda"
    # A prompt's answer groups changed (Groeperen and the facilitator's edits).
    groups = "groups"
    # The facilitator's choices for the projector's wall (app/services/wall.py).
    wall = "wall"


@dataclass(frozen=True)
class Event:
    workshop_id: int
    seq: int
    topics: frozenset[Topic]
    # Participants whose own view (their answers) changed.
    participant_ids: frozenset[int] = field(default_factory=frozenset)
    # Set by a backend after it lost messages: every view must be rebuilt.
    resync: bool = False
    # This account logged out or changed its password: close its sockets.
    revoked_user: int | None = None

    def dumps(self) -> str:
        data: dict[str, object] = {
            "w": self.workshop_id,
            "s": self.seq,
            "t": sorted(self.topics),
            "p": sorted(self.participant_ids),
        }
        if self.revoked_user is not None:
            data["u"] = self.revoked_user
        return json.dumps(data)

    @classmethod
    def loads(cls, raw: str | bytes) -> Event:
        data = json.loads(raw)
        return cls(
            workshop_id=int(data["w"]),
            seq=int(data["s"]),
            topics=frozenset(Topic(t) for t in data["t"]),
            participant_ids=frozenset(int(p) for p in data["p"]),
            revoked_user=None if data.get("u") is None else int(data["u"]),
        )


class Publisher(Protocol):
    """Services call this after they commit; it must be safe from any thread."""

    def publish(self, event: Event) -> None: ...


class NullPublisher:
    """For command-line use, where no client is listening."""

    def publish(self, event: Event) -> None:
        return None
