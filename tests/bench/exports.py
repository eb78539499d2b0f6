"""Exports of a 200-item doe-agenda, timed as a facilitator's download: a GET to the real server.

Targets (issue 4): PDF ≤ 2 s; ICS, XLSX, CSV ≤ 200 ms. Each export is fetched once to warm
up, then `--repeat` times; the script prints median and max wall time, the size, and the
server's CPU for the same requests (CPU is what a busy machine cannot inflate much).

The server keeps the last agenda PDF per workshop while the agenda is unchanged, so the
`pdf` row is a repeated download of the same agenda; `pdf-cold` edits one item (untimed,
its CPU left out) before each download, so every timed request lays the PDF out again.

    python -m tests.bench.exports [--items 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import httpx2 as httpx

from tests.serverproc import PASSWORD, AppServer, app_env, create_workshop, csrf_of, run_cli

EMAIL = "exports@example.nl"
TARGETS_MS = {
    "pdf": 2000.0, "pdf-cold": 2000.0, "ics": 200.0, "xlsx": 200.0, "csv": 200.0, "md": None,
}  # fmt: skip
LEVELS = ["sterke_basis", "preventief", "incidenten", ""]
ORGS = ["OBS De Linde", "Gemeente Utrecht", "Politie Midden-Nederland", "Jongerenwerk Zuid",
        "Wijkteam Noord", "Leerplicht regio Utrecht", "GGD", "Jeugdzorg Utrecht"]  # fmt: skip


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def fill_agenda(client: httpx.Client, workshop_id: int, items: int) -> None:
    headers = {"X-CSRF-Token": csrf_of(client.get(f"/workshops/{workshop_id}").text)}
    start = date(2026, 9, 1)
    for i in range(items):
        body = {
            "title": f"Actiepunt {i + 1}: afspraken over signalen en doorverwijzing maken",
            "description": "Met de partners in de wijk; terugkoppeling in het netwerkoverleg. " * 3,
            "owner_name": f"Trekker {i % 25 + 1}",
            "owner_organisation": ORGS[i % len(ORGS)],
            "due_date": (start + timedelta(days=(i * 7) % 330)).isoformat(),
            "theme_key": str(i % 6 + 1),
            "theme_title": f"Thema {i % 6 + 1}",
        }
        if LEVELS[i % 4]:
            body["level"] = LEVELS[i % 4]
        response = client.post(
            f"/api/v1/workshops/{workshop_id}/agenda/items", json=body, headers=headers
        )
        if response.status_code != 201:
            raise SystemExit(f"item {i}: {response.status_code} {response.text[:200]}")


def edit_first_item(client: httpx.Client, workshop_id: int, n: int) -> None:
    """A change the printed agenda shows, so the next PDF cannot come from the store."""
    base = f"/api/v1/workshops/{workshop_id}/agenda/items"
    headers = {"X-CSRF-Token": csrf_of(client.get(f"/workshops/{workshop_id}").text)}
    item = client.get(base).json()[0]
    body = {"version": item["version"], "title": f"Actiepunt gewijzigd ({n})"}
    client.patch(f"{base}/{item['id']}", json=body, headers=headers).raise_for_status()


def measure(
    server: AppServer,
    client: httpx.Client,
    url: str,
    repeat: int,
    before_each: Callable[[int], None] | None = None,
) -> dict[str, float]:
    first = client.get(url)
    first.raise_for_status()
    walls = []
    untimed_cpu = 0.0
    cpu0 = _cpu_seconds(server.pid)
    for n in range(repeat):
        if before_each is not None:
            c0 = _cpu_seconds(server.pid)
            before_each(n)
            untimed_cpu += _cpu_seconds(server.pid) - c0
        t0 = time.perf_counter()
        response = client.get(url)
        walls.append((time.perf_counter() - t0) * 1000)
        response.raise_for_status()
    cpu = (_cpu_seconds(server.pid) - cpu0 - untimed_cpu) / repeat * 1000
    return {
        "median_ms": statistics.median(walls),
        "max_ms": max(walls),
        "cpu_ms": cpu,
        "kib": len(first.content) / 1024,
    }


def run(items: int, repeat: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as tmp:
        workdir = Path(tmp)
        env = app_env(f"sqlite:///{workdir}/exports.db", workdir / "data")
        run_cli(env, "migrate")
        run_cli(env, "users", "create", "--email", EMAIL, "--password", PASSWORD)
        with AppServer(env, log_path=workdir / "server.log") as server:
            client = httpx.Client(base_url=server.url, timeout=60)
            page = client.get("/login")
            client.post("/login", data={"email": EMAIL, "password": PASSWORD,
                                        "csrf_token": csrf_of(page.text)})  # fmt: skip
            workshop = create_workshop(client, title="Regiobijeenkomst exportmeting")
            fill_agenda(client, workshop.workshop_id, items)
            wid = workshop.workshop_id
            base = f"/api/v1/workshops/{wid}/agenda"
            figures = {}
            for kind in TARGETS_MS:
                if kind == "pdf-cold":
                    edit = partial(edit_first_item, client, wid)
                    figures[kind] = measure(server, client, f"{base}.pdf", repeat, edit)
                else:
                    figures[kind] = measure(server, client, f"{base}.{kind}", repeat)
            return figures


def report(figures: dict[str, dict[str, float]], items: int) -> str:
    load = os.getloadavg()
    lines = [
        f"Exports of a {items}-item agenda (load average {load[0]:.1f}, {os.cpu_count()} cores)",
        f"{'export':<8} {'median ms':>10} {'max ms':>9} {'server CPU ms':>14} {'KiB':>8}  target",
    ]
    for kind, f in figures.items():
        target = TARGETS_MS[kind]
        verdict = "-" if target is None else (
            f"≤ {target:g} ms: {'met' if f['median_ms'] <= target else 'MISSED'}"
        )  # fmt: skip
        lines.append(
            f"{kind:<8} {f['median_ms']:>10.1f} {f['max_ms']:>9.1f} {f['cpu_ms']:>14.1f} "
            f"{f['kib']:>8.1f}  {verdict}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.exports", description=__doc__)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sys.stdout.write(report(run(args.items, args.repeat), args.items) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
