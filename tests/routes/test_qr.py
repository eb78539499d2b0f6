"""The join QR code is an SVG file a browser can show in an <img>."""

from __future__ import annotations

from xml.etree import ElementTree

from fastapi.testclient import TestClient

from tests.live.helpers import sign_up_and_create


def test_qr_code_is_a_standalone_svg_with_the_join_link(client: TestClient) -> None:
    _cookie, _workshop_id, code = sign_up_and_create(client)

    response = client.get(f"/w/{code}/qr.svg")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    # Without the SVG namespace an <img> shows a broken image.
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_qr_code_of_an_unknown_workshop_is_not_found(client: TestClient) -> None:
    assert client.get("/w/NOPE999/qr.svg").status_code == 404
