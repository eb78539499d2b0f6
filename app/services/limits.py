"""Abuse limits: sliding windows kept in this process's memory.

Per process on purpose. With several workers each keeps its own counts, so the effective
limit is the setting times the number of workers: still a hard ceiling on guessing, and
no extra round-trip to Redis on every answer, nor a limiter that fails when Redis does.
The counts are lost on a restart, which only ever favours a legitimate user.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from app.config import Settings
from app.i18n import N_
from app.services.errors import DomainError

TRY_AGAIN = N_("Te veel pogingen. Probeer het over een minuut opnieuw.")
BUSY_JOINING = N_(
    "Er komen nu heel veel mensen tegelijk binnen. Probeer het over een minuut opnieuw."
)
TOO_MANY_ANSWERS = N_(
    "Je stuurt te veel berichten achter elkaar. Wacht een minuut en probeer het opnieuw."
)
# Keys kept at most per window; beyond this the stalest are forgotten (memory stays bounded).
MAX_KEYS = 50_000


class TooManyAttempts(DomainError):
    status = 429

    def __init__(self, message: str = TRY_AGAIN, *, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SlidingWindow:
    """At most `limit` hits per key within the last `window` seconds; safe from any thread."""

    def __init__(
        self, *, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _live(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= MAX_KEYS:
                self._forget_stale(now)
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def _forget_stale(self, now: float) -> None:
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[key]
        while len(self._hits) >= MAX_KEYS:
            del self._hits[next(iter(self._hits))]

    def count(self, key: str) -> int:
        with self._lock:
            return len(self._live(key, self._clock()))

    def blocked(self, key: str) -> bool:
        return self.count(key) >= self.limit

    def hit(self, key: str) -> None:
        with self._lock:
            now = self._clock()
            self._live(key, now).append(now)

    def allow(self, key: str) -> bool:
        """Count one hit if under the limit; False (and nothing counted) when over it."""
        with self._lock:
            now = self._clock()
            hits = self._live(key, now)
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)


class Limits:
    """Every limit the app applies, built from the settings; one instance per app."""

    OVERALL = "*"

    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.monotonic) -> None:
        window = settings.limit_window_seconds
        self.window = window
        self.join_per_client = SlidingWindow(
            limit=settings.join_failures_per_client, window=window, clock=clock
        )
        self.join_overall = SlidingWindow(
            limit=settings.join_failures_overall, window=window, clock=clock
        )
        self.login = SlidingWindow(
            limit=settings.login_failures_per_account, window=window, clock=clock
        )
        self.answers = SlidingWindow(
            limit=settings.answers_per_participant, window=window, clock=clock
        )
        self.joins_per_client = SlidingWindow(
            limit=settings.joins_per_client, window=window, clock=clock
        )
        self.joins_per_workshop = SlidingWindow(
            limit=settings.joins_per_workshop, window=window, clock=clock
        )

    def _refuse(self, message: str = TRY_AGAIN) -> TooManyAttempts:
        return TooManyAttempts(message, retry_after=int(self.window))

    # Join codes: only wrong codes count. Once a client is over its limit even a right code
    # waits, or guessing would go on until it hits. Many wrong codes from everyone together
    # slow down every client that guessed wrong recently, never one that did not: a room
    # arriving with the right code is not locked out by someone guessing elsewhere.
    def check_join(self, client: str) -> None:
        if self.join_per_client.blocked(client):
            raise self._refuse()
        if self.join_overall.blocked(self.OVERALL) and self.join_per_client.count(client):
            raise self._refuse()

    def join_failed(self, client: str) -> None:
        self.join_per_client.hit(client)
        self.join_overall.hit(self.OVERALL)

    # New participants: per client (one address, e.g. a venue's wifi, may carry a whole room,
    # so this is generous) and per workshop (a room cannot be flooded with fake people).
    def check_new_participant(self, client: str, workshop_id: int) -> None:
        if self.joins_per_workshop.blocked(str(workshop_id)):
            raise self._refuse(BUSY_JOINING)
        if not self.joins_per_client.allow(client):
            raise self._refuse()
        self.joins_per_workshop.hit(str(workshop_id))

    # Logins: failures per e-mail address and client together, so one attacker cannot lock
    # a facilitator out from everywhere.
    @staticmethod
    def _login_key(email: str, client: str) -> str:
        return f"{email.strip().lower()}|{client}"

    def check_login(self, email: str, client: str) -> None:
        if self.login.blocked(self._login_key(email, client)):
            raise self._refuse()

    def login_failed(self, email: str, client: str) -> None:
        self.login.hit(self._login_key(email, client))

    def login_succeeded(self, email: str, client: str) -> None:
        self.login.reset(self._login_key(email, client))

    # Answers: every write a participant makes counts (answer, edit, withdraw, +1).
    def check_answer(self, participant_id: int) -> None:
        if not self.answers.allow(str(participant_id)):
            raise self._refuse(TOO_MANY_ANSWERS)
