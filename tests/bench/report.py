"""How `make bench` prints a scenario (ours beside the fair floor) and the table of targets.

Pure functions of the measured runs, so the verdicts can be tested without a server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tests.bench.scenarios import Latency, Run

# Issue 12's targets (one worker, SQLite, server on one core, answers revealed to all).
P99_VS_FLOOR = 1.5
LAST_VS_FIRST_THIRD = 1.2
ACK_P99_MS = 50.0
CPU_MS_PER_ANSWER = 4.0
BURST_VS_FLOOR = 2.0
BIG_VS_FLOOR = 2.0
KIB_PER_CONNECTION = 100.0


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def p99(value: Latency | None) -> float | None:
    return None if value is None else value.p99


def ratio(ours: float | None, floor: float | None) -> float | None:
    if ours is None or floor is None or floor <= 0:
        return None
    return ours / floor


def times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def thirds_growth(run: Run) -> float | None:
    """The last third's p99 over the first third's."""
    if len(run.thirds) != 3:
        return None
    return ratio(p99(run.thirds[2]), p99(run.thirds[0]))


def faults(run: Run) -> int:
    """Lost (answer, socket) pairs, duplicated pushes and seq gaps: 0 expected."""
    return run.undelivered + run.seq_duplicates + run.seq_gaps


def _row(label: str, ours: str, floor: str, r: str = "") -> str:
    return f"    {label:<34} {ours:>22} {floor:>22} {r:>7}"


def comparison(ours: Run, floor: Run | None, floor_name: str = "fair floor") -> list[str]:
    """Lines of one scenario: ours beside the floor measured in the same run."""

    def both(get: object) -> tuple[str, str]:
        assert callable(get)
        return get(ours), ("n/a" if floor is None else get(floor))

    def lat(v: Latency | None) -> str:
        return "n/a" if v is None else f"{ms(v.p50)} / {ms(v.p95)} / {ms(v.p99)}"

    def thirds(run: Run) -> str:
        return " → ".join(ms(p99(t)) for t in run.thirds) or "n/a"

    def ack(run: Run) -> str:
        if run.ack is None:
            return "n/a"
        missing = f" ({run.unacknowledged} never)" if run.unacknowledged else ""
        return f"{ms(run.ack.p50)} / {ms(run.ack.p99)}{missing}"

    def cpu(run: Run) -> str:
        return f"{ms(run.server_cpu_ms_per_answer)} ({run.server_cpu_percent:.0f}% core)"

    def kib(run: Run) -> str:
        return "n/a" if run.per_connection_kib is None else f"{run.per_connection_kib:.0f}"

    def lost(run: Run) -> str:
        return f"{run.undelivered} / {run.seq_duplicates} / {run.seq_gaps}"

    def held(run: Run) -> str:
        return f"{run.dropped} of {run.clients} (1013: {run.dropped_1013})"

    f99 = None if floor is None else p99(floor.seen_by_all)
    f_ack = None if floor is None or floor.ack is None else floor.ack.p99
    o_ack = None if ours.ack is None else ours.ack.p99
    f_cpu = None if floor is None else floor.server_cpu_ms_per_answer
    return [
        _row("", ours.name, floor_name, "ratio"),
        _row("answers sent / committed", *both(lambda r: f"{r.answers} / {r.committed}")),
        _row(
            "seen-by-all ms p50 / p95 / p99",
            *both(lambda r: lat(r.seen_by_all)),
            times(ratio(p99(ours.seen_by_all), f99)),
        ),
        _row("  p99 by thirds of the phase", *both(thirds), times(thirds_growth(ours))),
        _row("ack ms p50 / p99", *both(ack), times(ratio(o_ack, f_ack))),
        _row(
            "server CPU ms per answer",
            *both(cpu),
            times(ratio(ours.server_cpu_ms_per_answer, f_cpu)),
        ),
        _row("RSS per connection KiB", *both(kib)),
        _row("lost / duplicated / seq gaps", *both(lost)),
        _row("phones dropped", *both(held)),
        _row("msgs/s per client p50 / max", *both(_msgs)),
        _row("load average (1 min) at the end", *both(lambda r: f"{r.load_avg:.1f}")),
    ]


def _msgs(run: Run) -> str:
    return f"{run.msgs_per_client_p50:.1f} / {run.msgs_per_client_max:.1f}"


@dataclass
class Target:
    name: str
    measured: str
    met: bool | None  # None: not measured in this run


def _vs_floor(pair: tuple[Run, Run | None] | None, limit: float) -> tuple[str, bool | None]:
    if pair is None:
        return "not run", None
    ours, floor = pair
    r = ratio(p99(ours.seen_by_all), None if floor is None else p99(floor.seen_by_all))
    if r is None:
        return "n/a", False
    floor_p99 = p99(floor.seen_by_all) if floor is not None else None
    return f"{ms(p99(ours.seen_by_all))} ms vs {ms(floor_p99)} ms = {r:.2f}x", r <= limit


def targets(pairs: Mapping[str, tuple[Run, Run | None]]) -> list[Target]:
    """Issue 12's targets from the scenarios that ran (`rate50`, `rate100`, `n1000`,
    `workers2`; each (ours, fair floor))."""
    out: list[Target] = []
    r50 = pairs.get("rate50")
    out.append(Target("50/s: p99 seen-by-all ≤ 1.5x fair floor", *_vs_floor(r50, P99_VS_FLOOR)))
    if r50 is None:
        out += [Target(n, "not run", None) for n in ("last third", "ack p99", "CPU per answer")]
    else:
        ours = r50[0]
        g = thirds_growth(ours)
        out.append(
            Target(
                "50/s: last third's p99 ≤ 1.2x first third's",
                " → ".join(ms(p99(t)) for t in ours.thirds) + f" ms = {times(g)}",
                g is not None and g <= LAST_VS_FIRST_THIRD,
            )
        )
        a = None if ours.ack is None else ours.ack.p99
        out.append(
            Target("50/s: ack p99 ≤ 50 ms", f"{ms(a)} ms", a is not None and a <= ACK_P99_MS)
        )
        c = ours.server_cpu_ms_per_answer
        out.append(
            Target(
                "50/s: server CPU ≤ 4 ms per answer",
                f"{ms(c)} ms",
                c is not None and c <= CPU_MS_PER_ANSWER,
            )
        )
    r100 = pairs.get("rate100")
    out.append(Target("100/s: p99 ≤ 2x fair floor", *_vs_floor(r100, BURST_VS_FLOOR)))
    out.append(
        Target("100/s: no phone dropped", "not run", None)
        if r100 is None
        else Target("100/s: no phone dropped", f"{r100[0].dropped} dropped", r100[0].dropped == 0)
    )
    big = pairs.get("n1000")
    out.append(Target("1,000 phones: p99 ≤ 2x fair floor", *_vs_floor(big, BIG_VS_FLOOR)))
    if big is None:
        out.append(Target("1,000 phones: ≤ 100 KiB per connection", "not run", None))
    else:
        k = big[0].per_connection_kib
        out.append(
            Target(
                "1,000 phones: ≤ 100 KiB per connection",
                "n/a" if k is None else f"{k:.0f} KiB",
                k is not None and k <= KIB_PER_CONNECTION,
            )
        )
    two = pairs.get("workers2")
    if two is not None:
        w, single = two[0], pairs.get("rate50", (None, None))[0]
        a = None if w.ack is None else w.ack.p99
        vs = "" if single is None else f" (1 worker: {ms(p99(single.seen_by_all))} ms)"
        out.append(
            Target(
                "2 workers + Redis + PostgreSQL: reported beside 1 worker",
                f"p99 {ms(p99(w.seen_by_all))} ms{vs}, ack p99 {ms(a)} ms, "
                f"{ms(w.server_cpu_ms_per_answer)} ms CPU per answer",
                None,
            )
        )
    runs = list({id(run): run for pair in pairs.values() for run in pair if run}.values())
    bad = [f"{r.name} N={r.n} at {r.rate:g}/s: {faults(r)}" for r in runs if faults(r)]
    out.append(
        Target(
            "0 lost, 0 duplicated, 0 seq gaps in every run",
            "; ".join(bad) if bad else f"0 in all {len(runs)} runs",
            not bad if runs else None,
        )
    )
    return out


def target_table(rows: list[Target]) -> list[str]:
    verdict = {True: "met", False: "MISSED", None: "—"}
    width = max(len(t.name) for t in rows)
    return [f"  {t.name:<{width}}  {verdict[t.met]:<6}  {t.measured}" for t in rows]
