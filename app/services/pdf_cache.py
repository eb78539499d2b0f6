"""The last agenda PDF made per workshop, reused while its HTML is byte for byte the same.

Laying out a 200-item doe-agenda costs WeasyPrint one to two seconds of CPU; rendering the HTML
costs a few tens of milliseconds. The key is a digest of the rendered HTML and the print
stylesheet, so anything the PDF shows (an item, a date, the day it was made, the language)
changing gives a new PDF; nothing has to remember to invalidate it.

Bounded and privacy-minded: one entry per workshop (a new version replaces the old), at most
`max_entries` workshops and `max_bytes` in all (least recently used go first), each entry
dropped after `ttl` seconds, and `forget` for deleting or purging a workshop. Per process:
each server worker keeps its own.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class _Entry:
    digest: str
    pdf: bytes
    made_at: float


class PdfCache:
    def __init__(
        self,
        *,
        max_entries: int = 32,
        max_bytes: int = 16 * 1024 * 1024,
        ttl: float = 30 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.ttl = ttl
        self._clock = clock
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, workshop_id: int, source: str, make: Callable[[], bytes]) -> bytes:
        """The PDF made from `source` (its HTML and stylesheet): the stored one, else `make()`."""
        digest = hashlib.sha256(source.encode()).hexdigest()
        with self._lock:
            entry = self._entries.get(workshop_id)
            if entry is not None and entry.digest == digest and not self._expired(entry):
                self._entries.move_to_end(workshop_id)
                return entry.pdf
        # Made outside the lock: other workshops' downloads need not wait for this one.
        pdf = make()
        with self._lock:
            self._entries[workshop_id] = _Entry(digest=digest, pdf=pdf, made_at=self._clock())
            self._entries.move_to_end(workshop_id)
            self._evict()
        return pdf

    def forget(self, workshop_id: int) -> None:
        with self._lock:
            self._entries.pop(workshop_id, None)

    def __contains__(self, workshop_id: object) -> bool:
        with self._lock:
            return workshop_id in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes of PDF held."""
        with self._lock:
            return sum(len(e.pdf) for e in self._entries.values())

    def _expired(self, entry: _Entry) -> bool:
        return self._clock() - entry.made_at >= self.ttl

    def _evict(self) -> None:
        for workshop_id in [w for w, e in self._entries.items() if self._expired(e)]:
            del self._entries[workshop_id]
        total = sum(len(e.pdf) for e in self._entries.values())
        while self._entries and (len(self._entries) > self.max_entries or total > self.max_bytes):
            _workshop_id, oldest = self._entries.popitem(last=False)
            total -= len(oldest.pdf)


# The doe-agenda PDFs of this process.
AGENDA_PDFS = PdfCache()
