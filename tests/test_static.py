"""Vendored assets are exactly what was pinned, and no page asks a third party for anything."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
# axe-core is for the accessibility tests only; it is never served to a page.
TEST_VENDOR = ROOT / "tests" / "browser" / "vendor"
EXTERNAL = re.compile(r"""(?:src|href|action|ws-connect|hx-\w+)\s*=\s*["'](?:https?:)?//""", re.I)


def assert_pinned(directory: Path) -> set[str]:
    lines = (directory / "SHA256SUMS").read_text(encoding="utf-8").split("\n")
    pinned = dict(reversed(line.split("  ", 1)) for line in lines if line)
    on_disk = {p.name for p in directory.iterdir()} - {"SHA256SUMS"}
    assert set(pinned) == on_disk, "every vendored file is pinned, and only those"
    for name, digest in pinned.items():
        assert hashlib.sha256((directory / name).read_bytes()).hexdigest() == digest, name
    return set(pinned)


def test_vendored_files_match_their_pinned_checksums() -> None:
    pinned = assert_pinned(VENDOR)
    for licence in ("htmx-LICENSE.txt", "htmx-ext-ws-LICENSE.txt", "swagger-ui-LICENSE.txt"):
        assert licence in pinned


def test_vendored_axe_core_matches_its_pinned_checksum_and_licence() -> None:
    pinned = assert_pinned(TEST_VENDOR)
    assert pinned == {
        "axe-core-4.14.1.min.js",
        "axe-core-LICENSE.txt",
        "axe-core-LICENSE-3RD-PARTY.txt",
    }
    assert "Mozilla Public License" in (TEST_VENDOR / "axe-core-LICENSE.txt").read_text("utf-8")
    assert (TEST_VENDOR / "axe-core-4.14.1.min.js").read_text("utf-8").startswith("/*! axe v4.14.1")


def test_no_template_loads_anything_from_another_host() -> None:
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), f"{template.name} refers to another host"


def test_api_docs_are_served_from_our_own_files(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui-5.35.0-bundle.js" in page.text
    assert not EXTERNAL.search(page.text)
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/vendor/swagger-ui-5.35.0-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "Gesprekskaarten"


def test_assets_go_out_gzipped_when_the_browser_asks_pages_never(client: TestClient) -> None:
    htmx = "/static/vendor/htmx-2.0.11.min.js"
    plain = client.get(htmx, headers={"Accept-Encoding": "identity"})
    zipped = client.get(htmx, headers={"Accept-Encoding": "gzip"})
    assert plain.headers.get("content-encoding") is None
    assert zipped.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["vary"]
    assert zipped.content == plain.content  # httpx decoded it: the same file
    assert int(zipped.headers["content-length"]) < len(plain.content) // 2
    # A page holds the CSRF token next to reflected text: compressing it would open BREACH.
    page = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert 'name="csrf_token"' in page.text
    assert len(page.content) > 1024
    assert page.headers.get("content-encoding") is None
    # Small responses are not worth it.
    icon = client.get("/static/favicon.svg", headers={"Accept-Encoding": "gzip"})
    assert len(icon.content) < 1024
    assert icon.headers.get("content-encoding") is None
