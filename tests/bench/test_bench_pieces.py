"""The bench's own parts that could silently lie: seq gaps and duplicates, acknowledgement
matching, the thirds of a phase, the fair floor's commit before its acknowledgement, and the
verdicts of the targets table."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.bench.floor import Room, make_fair_app
from tests.bench.load import TOKEN, Probe, SeqTracker, note_ack, seen_at
from tests.bench.report import faults, targets, thirds_growth
from tests.bench.scenarios import Latency, Run, by_thirds, summarise


def sync(seq: int, base: int | None = None) -> bytes:
    attr = "" if base is None else f' data-base="{base}"'
    return f'<p>x</p><div id="sync" data-seq="{seq}"{attr} hidden></div>'.encode()


def test_seq_tracker_counts_gaps_and_duplicates_per_socket() -> None:
    t = SeqTracker()
    t.feed(sync(5))  # snapshot
    t.feed(sync(7, 5))
    t.feed(b'<div id="flash">Verstuurd.</div>')  # an acknowledgement carries no sync
    t.feed(sync(9, 7))
    assert (t.snapshots, t.pushes, t.gaps, t.duplicates) == (1, 2, 0, 0)
    t.feed(sync(9, 7))  # the same push again
    assert (t.gaps, t.duplicates, t.seq) == (0, 1, 9)
    t.feed(sync(14, 12))  # the push from 9 to 12 never came
    assert (t.gaps, t.duplicates, t.seq) == (1, 1, 14)
    t.feed(sync(20))  # a snapshot after a resync starts afresh
    t.feed(sync(21, 20))
    assert (t.snapshots, t.gaps, t.duplicates, t.seq) == (2, 1, 1, 21)


def test_seq_tracker_counts_a_push_before_any_snapshot_as_a_gap() -> None:
    t = SeqTracker()
    t.feed(sync(3, 2))
    assert t.gaps == 1


def test_an_acknowledgement_is_matched_to_the_answer_it_names() -> None:
    probe = Probe("participant")
    probe.pending = {b"0000001": 1.0, b"0000002": 2.0}
    # The sender's own list names both; only pending ones count, the first is acknowledged
    # by name even though it is not the oldest.
    note_ack(probe, TOKEN.findall(b"bq0000002q bq0000009q Verstuurd."), 2.5)
    assert probe.acked_at == {b"0000002": 2.5}
    assert list(probe.pending) == [b"0000001"]
    note_ack(probe, [], 3.0)  # names none: the oldest pending one
    assert probe.acked_at == {b"0000002": 2.5, b"0000001": 3.0}
    note_ack(probe, [], 4.0)  # nothing pending: nothing to count
    assert len(probe.acked_at) == 2


def test_thirds_split_by_submit_time() -> None:
    t0, seconds = 100.0, 30.0
    submitted = {b"a": 100.0, b"b": 109.9, b"c": 110.0, b"d": 125.0, b"e": 129.99, b"f": 131.0}
    latency = {b"a": 0.1, b"b": 0.2, b"c": 0.3, b"d": 0.4, b"e": 0.5, b"f": 0.6}
    first, middle, last = by_thirds(submitted, latency, t0=t0, seconds=seconds)
    assert first is not None and middle is not None and last is not None
    assert (first.count, first.max) == (2, 200.0)
    assert (middle.count, middle.max) == (1, 300.0)
    # Sent at the end of the phase, or just after (the scheduler ran late): the last third.
    assert (last.count, last.max) == (3, 600.0)


def test_thirds_leave_out_answers_not_seen_by_all() -> None:
    parts = by_thirds({b"a": 0.0, b"b": 5.0}, {b"b": 0.2}, t0=0.0, seconds=6.0)
    assert parts[0] is None and parts[2] is not None and parts[2].count == 1


class AckWatcher:
    """Around the fair floor: when an acknowledgement goes out, how many answers does another
    connection to its SQLite file see committed?"""

    def __init__(self, app: ASGIApp, db: Path) -> None:
        self.app, self.db = app, db
        self.committed_at_ack: list[int] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def watched(message: Message) -> None:
            if message["type"] == "websocket.send" and "Verstuurd." in message.get("text", ""):
                with sqlite3.connect(self.db) as conn:
                    count = conn.execute("SELECT count(*) FROM answer").fetchone()[0]
                self.committed_at_ack.append(int(count))
            await send(message)

        await self.app(scope, receive, watched)


def answer(key: str, text: str) -> str:
    return json.dumps({"type": "answer", "prompt_id": "1", "idempotency_key": key, "text": text})


def test_fair_floor_commits_before_it_acknowledges_and_pushes_seq(tmp_path: Path) -> None:
    db = tmp_path / "floor.db"
    app = AckWatcher(make_fair_app(str(db), tick=0.01), db)
    with (
        TestClient(app) as client,
        client.websocket_connect("/ws/w/floor") as phone,
        client.websocket_connect("/ws/facilitator") as other,
    ):
        seen, watcher = SeqTracker(), SeqTracker()
        snapshot = phone.receive_text()
        assert 'name="prompt_id" value="1"' in snapshot
        seen.feed(snapshot.encode())
        watcher.feed(other.receive_text().encode())
        phone.send_text(answer("k1", "Antwoord bq0000001q"))
        frames = [phone.receive_text(), phone.receive_text()]
        ack = next(f for f in frames if "Verstuurd." in f)
        assert "bq0000001q" in ack
        push = other.receive_text()
        assert "bq0000001q" in push and 'data-seq="1" data-base="0"' in push
        watcher.feed(push.encode())
        for frame in frames:
            seen.feed(frame.encode())
        phone.send_text(answer("k1", "Antwoord bq0000001q"))  # sent again: stored once
        assert "Verstuurd." in phone.receive_text()
    assert app.committed_at_ack == [1, 1]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM answer").fetchone()[0] == 1
    assert (watcher.gaps, watcher.duplicates, watcher.seq) == (0, 0, 1)
    assert (seen.gaps, seen.duplicates, seen.seq) == (0, 0, 1)


def test_fair_floor_sends_one_frame_per_tick_for_all_pending_answers() -> None:
    room = Room(0.1)
    for i in range(3):
        room.seq += 1
        room.pending.append(f"<li>bq000000{i}q</li>")
    frame = room.frame()
    assert TOKEN.findall(frame.encode()) == [b"0000000", b"0000001", b"0000002"]
    tracker = SeqTracker(seq=0)
    tracker.feed(frame.encode())
    assert (tracker.seq, tracker.gaps, room.pending) == (3, 0, [])


def lat(p99: float) -> Latency:
    return Latency(count=100, p50=p99 / 2, p95=p99 * 0.9, p99=p99, max=p99)


def run(name: str, p99: float, *, thirds: tuple[float, float, float] = (1, 1, 1)) -> Run:
    r = Run(name=name, n=500, answers=3000, seconds=60, rate=50)
    r.seen_by_all, r.thirds = lat(p99), [lat(t) for t in thirds]
    r.ack, r.server_cpu_ms_per_answer, r.per_connection_kib = lat(40), 3.0, 80.0
    r.clients = r.held = 501
    return r


def test_targets_compare_with_the_floor_of_the_same_scenario() -> None:
    good = run("ours", 150, thirds=(100, 110, 120))
    slow = run("ours", 151, thirds=(100, 110, 121))
    floor = run("floor", 100)
    verdicts = {t.name: t.met for t in targets({"rate50": (good, floor)})}
    assert verdicts["50/s: p99 seen-by-all ≤ 1.5x fair floor"] is True
    assert verdicts["50/s: last third's p99 ≤ 1.2x first third's"] is True
    assert verdicts["100/s: p99 ≤ 2x fair floor"] is None  # not run
    verdicts = {t.name: t.met for t in targets({"rate50": (slow, floor)})}
    assert verdicts["50/s: p99 seen-by-all ≤ 1.5x fair floor"] is False
    assert verdicts["50/s: last third's p99 ≤ 1.2x first third's"] is False
    assert thirds_growth(slow) == 1.21


def test_targets_flag_any_loss_duplicate_or_gap_and_dropped_phones() -> None:
    ours, floor = run("ours", 100), run("floor", 100)
    floor.seq_gaps = 1
    ours.held = 499
    rows = {t.name: t for t in targets({"rate100": (ours, floor)})}
    assert rows["0 lost, 0 duplicated, 0 seq gaps in every run"].met is False
    assert "floor" in rows["0 lost, 0 duplicated, 0 seq gaps in every run"].measured
    assert rows["100/s: no phone dropped"].met is False
    assert faults(floor) == 1 and faults(ours) == 0


def test_a_phone_has_an_answer_from_the_first_push_at_or_past_its_seq() -> None:
    phone = Probe("participant")
    phone.seqs, phone.seq_times = [4, 6, 9], [1.0, 2.0, 3.0]
    # The console showed answer k in the frame of seq 5: the phone's state includes it from
    # its push at seq 6 (its big-room view shows the most recognised, not k itself).
    assert seen_at(phone, b"k", 5) == 2.0
    assert seen_at(phone, b"k", 6) == 2.0
    assert seen_at(phone, b"k", 10) is None  # never got that far: lost
    phone.seen[b"k"] = 1.5  # the answer itself arrived earlier (an acknowledgement)
    assert seen_at(phone, b"k", 5) == 1.5
    assert seen_at(phone, b"k", None) == 1.5
    assert seen_at(phone, b"other", None) is None


def test_seen_by_all_waits_for_the_slowest_socket() -> None:
    console, a, b = Probe("facilitator"), Probe("participant"), Probe("participant")
    console.seen, console.token_seq = {b"k": 10.1}, {b"k": 7}
    a.seqs, a.seq_times = [7], [10.2]
    b.seqs, b.seq_times = [6, 8], [10.15, 10.4]
    run = Run(name="t", n=2, answers=1, seconds=1.0)
    summarise(run, {b"k": 10.0}, console, [a, b], t0=10.0, window=1.0)
    assert run.seen_by_all is not None and round(run.seen_by_all.max) == 400
    assert run.undelivered == 0
    c = Probe("participant")  # never past seq 6
    c.seqs, c.seq_times = [6], [10.15]
    summarise(run, {b"k": 10.0}, console, [a, b, c], t0=10.0, window=1.0)
    assert run.seen_by_all is None and run.undelivered == 1


def test_two_workers_are_reported_beside_the_single_worker_without_a_verdict() -> None:
    single, floor, two = run("ours", 120), run("floor", 100), run("two", 300)
    rows = {t.name: t for t in targets({"rate50": (single, floor), "workers2": (two, floor)})}
    row = rows["2 workers + Redis + PostgreSQL: reported beside 1 worker"]
    assert row.met is None and "p99 300 ms (1 worker: 120 ms)" in row.measured
    assert rows["0 lost, 0 duplicated, 0 seq gaps in every run"].measured == "0 in all 3 runs"
