"""Broadcast backends chosen by URL: memory:// for one process, redis:// for several."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Protocol

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.retry import Retry as SyncRetry

from app.events import Event

log = logging.getLogger(__name__)
CHANNEL = "gesprekskaarten:events"
RESYNC = Event(workshop_id=0, seq=0, topics=frozenset(), resync=True)


class Broadcast(Protocol):
    # Called (from any thread) with an event a backend could not send to the other workers.
    on_failure: Callable[[Event], None] | None

    async def connect(self) -> None: ...
    async def disconnect(self) -> None: ...
    def publish(self, event: Event) -> None: ...
    def listen(self) -> AsyncIterator[Event]: ...


class MemoryBroadcast:
    """In-process fan-out; publish is safe from worker threads."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[Event] | None = None
        self.on_failure: Callable[[Event], None] | None = None

    async def connect(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()

    async def disconnect(self) -> None:
        self._loop = None

    def publish(self, event: Event) -> None:
        loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(queue.put_nowait, event)

    async def listen(self) -> AsyncIterator[Event]:
        assert self._queue is not None, "connect() first"
        while True:
            yield await self._queue.get()


class RedisBroadcast:
    """Redis pub/sub. At-most-once: after a reconnect it yields RESYNC so views rebuild."""

    def __init__(self, url: str, *, channel: str = CHANNEL, retry_seconds: float = 0.5) -> None:
        self._url = url
        self._channel = channel
        self._retry = retry_seconds
        self._sync: redis.Redis | None = None
        self.on_failure: Callable[[Event], None] | None = None

    async def connect(self) -> None:
        # One quick retry replaces a pooled connection that died with a Redis restart; more
        # would hold up the answer's acknowledgement while Redis is down.
        self._sync = redis.Redis.from_url(
            self._url,
            socket_timeout=2,
            socket_connect_timeout=2,
            retry=SyncRetry(NoBackoff(), 1),
        )

    async def disconnect(self) -> None:
        if self._sync is not None:
            self._sync.close()

    def publish(self, event: Event) -> None:
        assert self._sync is not None, "connect() first"
        try:
            self._sync.publish(self._channel, event.dumps())
        except redis.RedisError as exc:
            # The change is committed. This worker's clients get a fresh snapshot now (see
            # Hub); other workers' clients see a gap in seq at their next push and resync.
            log.warning("redis publish failed for workshop %s: %s", event.workshop_id, exc)
            if self.on_failure is not None:
                self.on_failure(event)

    async def listen(self) -> AsyncIterator[Event]:
        first = True
        while True:
            # No silent retries inside redis-py: when Redis is back within its backoff, its pubsub
            # resubscribes on its own and the messages lost meanwhile never trigger a RESYNC.
            client = aioredis.Redis.from_url(
                self._url,
                socket_connect_timeout=2,
                retry=Retry(NoBackoff(), 0),
                health_check_interval=10,
            )
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    if not first:
                        log.info("redis subscription restored")
                        yield RESYNC
                    first = False
                    async for message in pubsub.listen():
                        if message.get("type") != "message":
                            continue
                        try:
                            event = Event.loads(message["data"])
                        except (ValueError, KeyError, TypeError):
                            # One bad message (another version, a stray publisher) must not
                            # end the subscription: logged and skipped.
                            log.warning("undecodable broadcast event skipped: %r", message["data"])
                            continue
                        yield event
            except (redis.RedisError, OSError) as exc:
                log.warning("redis subscription lost (%s); retrying", exc)
                first = False
                await asyncio.sleep(self._retry)
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()


def broadcast_from_url(url: str, *, channel: str = CHANNEL) -> Broadcast:
    if url.startswith("memory://"):
        return MemoryBroadcast()
    if url.startswith(("redis://", "rediss://")):
        return RedisBroadcast(url, channel=channel)
    raise ValueError(f"unknown BROADCAST_URL scheme: {url!r} (use memory:// or redis://)")
