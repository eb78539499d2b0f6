"""A push framed once and written straight to each socket, where that is what the server
would write anyway.

Every phone of a view gets the same text up to ten times a second. Through the ASGI send the
server encodes and frames that text again for each socket; here it is framed once
(`Outgoing.frame`) and the same bytes go to every socket's transport. Only where those are
exactly the bytes the server would write: uvicorn's sans-I/O websockets protocol, no
extension negotiated (no compression: `make run` turns it off), the connection open, its
transport neither paused (a slow reader) nor closing. Anything else takes the ASGI send,
which waits or fails as usual.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import Send
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

# FIN and the text opcode: one whole, unfragmented text frame (RFC 6455, 5.2).
_TEXT = 0x81


class Outgoing:
    """One message's text, and its frame built on first use (shared by every socket)."""

    __slots__ = ("_frame", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._frame: bytes | None = None

    def frame(self) -> bytes:
        """A server's frame: unmasked, the payload length in 7, 16 or 64 bits."""
        if self._frame is None:
            data = self.text.encode()
            n = len(data)
            if n < 126:
                head = bytes((_TEXT, n))
            elif n < 1 << 16:
                head = bytes((_TEXT, 126)) + n.to_bytes(2, "big")
            else:
                head = bytes((_TEXT, 127)) + n.to_bytes(8, "big")
            self._frame = head + data
        return self._frame


Writer = Callable[[Outgoing], bool]


def direct_writer(send: Send | None) -> Writer | None:
    """For a socket served by uvicorn's sans-I/O protocol without extensions: a function that
    writes a message's frame now if it safely can (True) and otherwise leaves it (False)."""
    protocol = getattr(send, "__self__", None)
    if not isinstance(protocol, WebSocketsSansIOProtocol) or protocol.conn.extensions:
        return None
    conn, writable = protocol.conn, protocol.writable

    def write(message: Outgoing) -> bool:
        transport = protocol.transport
        if (
            protocol.close_sent
            or conn.state is not State.OPEN
            or not writable.is_set()
            or transport.is_closing()
        ):
            return False
        transport.write(message.frame())
        return True

    return write
