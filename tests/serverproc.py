"""Real app servers in subprocesses, and the HTTP steps a facilitator and a participant take.

Shared by the two-worker scale-out test, the fault tests and the benchmark harness. A server
can be killed (SIGKILL), stopped gracefully (SIGTERM) and started again on the same port.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
COOKIE = "gk_session"
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def run_cli(env: Mapping[str, str], *args: str) -> str:
    """Run the `gesprekskaarten` command line in a subprocess; fail loudly with its output."""
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class AppServer:
    """One uvicorn process serving the real app on a free loopback port."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        log_path: Path,
        app: str = "app.asgi:app",
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._env = env
        self._app = app
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, timeout: float = 60.0) -> AppServer:
        # Appending: after a kill and a restart the log keeps both lives.
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                self._app,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                # Browsers offer per-message deflate; we turn it down (see docs/performance.md).
                "--ws-per-message-deflate",
                "false",
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env={**os.environ, **self._env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server did not listen within {timeout} s:\n{self.log()}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no clean-up, like a power cut."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def terminate(self, *, timeout: float = 30.0) -> int:
        """SIGTERM: uvicorn's graceful shutdown. Returns the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def app_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + secrets.token_hex(16),
        "DATA_DIR": str(data_dir),
        # Every simulated phone joins from 127.0.0.1; a venue's wifi is one address too.
        "JOINS_PER_CLIENT": "100000",
        "JOINS_PER_WORKSHOP": "100000",
        **extra,
    }


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'"X-CSRF-Token": "([^"]+)"', html
    )
    if not match:
        raise AssertionError("page carries no CSRF token")
    return match.group(1)


def cookie_header(client: httpx.Client) -> str:
    value = client.cookies.get(COOKIE)
    if not value:
        raise AssertionError("no session cookie was set")
    return f"{COOKIE}={value}"


@dataclass
class Facilitator:
    client: httpx.Client
    workshop_id: int
    code: str

    @property
    def cookie(self) -> str:
        return cookie_header(self.client)

    def act(self, action: str, **extra: object) -> None:
        page = self.client.get(f"/workshops/{self.workshop_id}")
        response = self.client.post(
            f"/workshops/{self.workshop_id}/actions",
            data={"action": action, **{k: str(v) for k, v in extra.items()}},
            headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(page.text)},
        )
        if response.status_code != 204:
            raise AssertionError(f"{action}: {response.status_code} {response.text[:300]}")


def log_in(base_url: str, *, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=30)
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    if response.status_code != 303:
        raise AssertionError(f"login failed: {response.status_code}")
    return client


def create_workshop(
    client: httpx.Client, *, deck: str = "nji-beleidsmakers", title: str = "Regiobijeenkomst"
) -> Facilitator:
    page = client.get("/workshops/new")
    response = client.post(
        "/workshops",
        data={
            "title": title,
            "deck_slug": deck,
            "kind": "regional",
            "school_year": "2026-2027",
            "csrf_token": csrf_of(page.text),
        },
    )
    if response.status_code != 303:
        raise AssertionError(f"create workshop: {response.status_code} {response.text[:300]}")
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    console = client.get(f"/workshops/{workshop_id}")
    code = re.search(r'class="join-code"[^>]*>([A-Z0-9]+)<', console.text)
    if not code:
        raise AssertionError("console shows no join code")
    return Facilitator(client=client, workshop_id=workshop_id, code=code.group(1))


def join(base_url: str, code: str, *, name: str, domain: str = "onderwijs") -> str:
    """Join as a participant over HTTP; returns the session cookie for the websocket."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get(f"/w/{code}")
        response = client.post(
            f"/w/{code}/join",
            data={
                "name": name,
                "organisation": "Org",
                "domain": domain,
                "csrf_token": csrf_of(page.text),
            },
        )
        if response.status_code != 303:
            raise AssertionError(f"join: {response.status_code} {response.text[:300]}")
        return cookie_header(client)


def answer_message(prompt_id: int, text: str, key: str) -> str:
    """What htmx-ext-ws sends for the answer form: its fields plus HEADERS."""
    return json.dumps(
        {
            "type": "answer",
            "prompt_id": str(prompt_id),
            "idempotency_key": key,
            "text": text,
            "HEADERS": {
                "HX-Request": "true",
                "HX-Trigger": None,
                "HX-Target": None,
                "HX-Current-URL": "",
            },
        }
    )


def prompt_id_in(html: str) -> int | None:
    match = re.search(r'name="prompt_id" value="(\d+)"', html)
    return int(match.group(1)) if match else None
