"""One writer process for the ingest measurement: answers through the real service, counted.

`python -m tests.bench.writers URL PROMPT_ID FIRST_PID LAST_PID COUNT THREADS MODE TAG`
prints one JSON line: {"ok": committed, "locked": "database is locked" errors, "other": ...}.
MODE is "immediate" (what the app does) or "deferred" (plain BEGIN, for comparison).
"""

from __future__ import annotations

import json
import sys
import threading

from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.db import Database
from app.events import NullPublisher
from app.models import Participant
from app.services import participation


def main(argv: list[str]) -> int:
    url, prompt_id, first, last, count, threads, mode, tag = argv
    db = Database(url)
    pids = list(range(int(first), int(last) + 1))
    totals = {"ok": 0, "locked": 0, "other": 0}
    lock = threading.Lock()
    per_thread = int(count) // int(threads)

    def session() -> Session:
        return db.write_session() if mode == "immediate" else Session(db.engine)

    def work(t: int) -> None:
        ok = locked = other = 0
        for i in range(per_thread):
            pid = pids[(t * per_thread + i) % len(pids)]
            try:
                with session() as s:
                    person = s.get(Participant, pid)
                    assert person is not None
                    participation.submit_answer(
                        session=s,
                        publisher=NullPublisher(),
                        participant=person,
                        prompt_id=int(prompt_id),
                        idempotency_key=f"{tag}-{t}-{i:06d}",
                        text=f"Antwoord {tag} {t} {i}",
                    )
                ok += 1
            except OperationalError as exc:
                if "database is locked" in str(exc):
                    locked += 1
                else:
                    other += 1
        with lock:
            totals["ok"] += ok
            totals["locked"] += locked
            totals["other"] += other

    workers = [threading.Thread(target=work, args=(t,)) for t in range(int(threads))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    db.dispose()
    sys.stdout.write(json.dumps(totals) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
