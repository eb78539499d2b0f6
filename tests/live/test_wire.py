"""A push framed once is byte for byte the frame the websockets library would write."""

from __future__ import annotations

import pytest
from websockets.frames import Frame, Opcode

from app.live.wire import Outgoing, direct_writer


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 200_000])
def test_the_frame_equals_the_librarys_for_every_length_encoding(size: int) -> None:
    # Two-byte characters: the length is of the UTF-8 bytes, not of the text.
    text = "é" * (size // 2) + "a" * (size % 2)
    assert len(text.encode()) == size
    expected = Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])
    assert Outgoing(text).frame() == expected


def test_the_frame_is_built_once_and_shared() -> None:
    message = Outgoing("<div id='sync'></div>")
    assert message.frame() is message.frame()


def test_without_uvicorns_protocol_there_is_no_direct_writer() -> None:
    async def send(message: object) -> None:  # an ASGI send of another server
        return None

    assert direct_writer(send) is None  # type: ignore[arg-type]
    assert direct_writer(None) is None
