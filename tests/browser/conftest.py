"""The real server in a subprocess and Debian's Chromium, for end-to-end browser tests."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

from app.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Quiet, offline Chromium: no update checks, sync or other calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 30.0
# Generous for a busy machine; a live push normally lands within milliseconds.
expect.set_options(timeout=10_000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class LiveServer:
    base_url: str
    log: Path

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def assert_no_server_errors(self) -> None:
        """The server logged no exception and answered no request with a 5xx."""
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        bad = [
            line
            for line in lines
            if "Traceback" in line or line.startswith("ERROR") or '" 5' in line
        ]
        assert not bad, "server errors:\n" + "\n".join(bad) + "\n\n" + self.log_tail()


@contextmanager
def serve(directory: Path) -> Iterator[LiveServer]:
    """uvicorn serving app.asgi:app over a freshly migrated SQLite file in `directory`."""
    port = _free_port()
    # None of the developer's own settings (HTTPS-only cookies, another deck directory...).
    own = {name.upper() for name in Settings.model_fields}
    env = {
        **{key: value for key, value in os.environ.items() if key.upper() not in own},
        "ENVIRONMENT": "test",
        "DATABASE_URL": f"sqlite:///{directory}/e2e.db",
        "SECRET_KEY": "e2e-" + secrets.token_hex(16),
        "DATA_DIR": str(directory / "data"),
        "BROADCAST_URL": "memory://",
        "PUSH_TICK_SECONDS": "0.01",
    }
    migrate = subprocess.run(
        [sys.executable, "-m", "app.cli", "migrate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert migrate.returncode == 0, migrate.stderr
    log = directory / "server.log"
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.asgi:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--ws-per-message-deflate",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(base_url=base_url, log=log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(f"{base_url}/static/favicon.svg"):
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no answer in {STARTUP_SECONDS}s:\n{server.log_tail()}")
            time.sleep(0.05)
        yield server
    finally:
        # pytest shows this only for a failing test: what the server saw.
        sys.stdout.write(f"--- server log ({base_url}) ---\n{server.log_tail()}\n")
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    with serve(tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for a whole test module: its tests share accounts and workshops."""
    with serve(tmp_path_factory.mktemp("server")) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing, and CI needs it (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; set CI to make this fail)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watch:
    """Everything the pages of one test asked for or complained about."""

    base_url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)

    def attach(self, context: BrowserContext) -> None:
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self._page)

    def _page(self, page: Page) -> None:
        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.errors.append(f"{page.url}: console: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on("websocket", lambda ws: self.requests.append(ws.url))

    def name(self, name: str, page: Page) -> Page:
        self.pages[name] = page
        return page

    def assert_images_loaded(self, page: Page) -> None:
        """Every <img> on the page decoded: a 200 with a body the browser cannot show counts."""
        page.wait_for_function("Array.from(document.images).every((img) => img.complete)")
        broken = page.evaluate(
            "Array.from(document.images).filter((img) => img.naturalWidth === 0)"
            ".map((img) => img.src)"
        )
        assert broken == [], f"{page.url}: images that did not load: {broken}"

    def check(self) -> None:
        ws_base = "ws" + self.base_url.removeprefix("http")
        foreign = [
            url
            for url in self.requests
            if not (url.startswith(f"{self.base_url}/") or url.startswith(f"{ws_base}/"))
        ]
        assert self.requests, "no requests were recorded"
        assert not foreign, f"requests to other hosts: {foreign}"
        assert not self.errors, "errors in the browser:\n" + "\n".join(self.errors)

    @staticmethod
    def screenshot_path(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS / f"{name}.png"

    def screenshots(self, prefix: str) -> None:
        for name, page in self.pages.items():
            if not page.is_closed():
                page.screenshot(path=self.screenshot_path(f"{prefix}-{name}"), full_page=True)


@pytest.fixture
def watch(live_server: LiveServer) -> Watch:
    return Watch(base_url=live_server.base_url)
