"""Property tests of the websocket protocol: any frame gets a parsed message or a Dutch error."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.ids import MAX_ID
from app.live.protocol import (
    KNOWN_TYPES,
    EditAnswer,
    React,
    SubmitAnswer,
    WithdrawAnswer,
    parse_message,
)
from app.routes.live import RETRY_MESSAGE
from app.services.errors import InvalidInput
from tests.security.views import View
from tests.security.world import World, join_page

MAX_BYTES = 16 * 1024
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
ids = st.integers(min_value=-(2**70), max_value=2**70) | st.just(MAX_ID) | st.just(MAX_ID + 1)
# Messages shaped like the real ones, with every field allowed to be wrong.
near_messages = st.fixed_dictionaries(
    {"type": st.sampled_from([*KNOWN_TYPES, "ping", "", "ANSWER"])},
    optional={
        "prompt_id": ids | json_values,
        "answer_id": ids | st.text(max_size=20),
        "idempotency_key": st.text(max_size=80),
        "text": st.text() | st.none() | st.integers(),
        "value": st.integers() | st.text(max_size=3) | st.booleans(),
        "HEADERS": st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
    },
)
frames = (
    st.text()
    | json_values.map(json.dumps)
    | near_messages.map(lambda m: json.dumps(m, ensure_ascii=False))
    | near_messages.map(json.dumps)
)


def _parse_or_dutch_error(raw: str) -> Any:
    try:
        return parse_message(raw, max_bytes=MAX_BYTES)
    except InvalidInput as exc:
        assert exc.message.startswith(("Dit bericht", "Een bericht", "Onbekend")), exc.message
        return None


@settings(max_examples=300)
@given(frames)
def test_any_frame_parses_or_gets_a_dutch_error(raw: str) -> None:
    message = _parse_or_dutch_error(raw)
    if message is not None:
        data = json.loads(raw)
        assert message.type == data["type"]
        for field in ("prompt_id", "answer_id"):
            if hasattr(message, field):
                assert 1 <= getattr(message, field) <= MAX_ID


@settings(max_examples=100)
@given(
    st.integers(1, MAX_ID),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.from_regex(r"[A-Za-z0-9_\-]{8,64}", fullmatch=True),
    st.integers(1, 5) | st.none(),
)
def test_well_formed_messages_round_trip(
    number: int, text: str, key: str, value: int | None
) -> None:
    sent = [
        {"type": "answer", "prompt_id": number, "text": text, "idempotency_key": key,
         "value": value},
        {"type": "edit", "answer_id": str(number), "text": text, "value": value or ""},
        {"type": "withdraw", "answer_id": number},
        {"type": "react", "answer_id": number, "HEADERS": {"HX-Request": "true"}},
    ]  # fmt: skip
    parsed = [parse_message(json.dumps(m), max_bytes=MAX_BYTES) for m in sent]
    assert parsed == [
        SubmitAnswer(type="answer", prompt_id=number, text=text, idempotency_key=key, value=value),
        EditAnswer(type="edit", answer_id=number, text=text, value=value),
        WithdrawAnswer(type="withdraw", answer_id=number),
        React(type="react", answer_id=number),
    ]


@settings(max_examples=30)
@given(st.text(min_size=1, max_size=20), st.integers(0, 4))
def test_a_frame_over_the_limit_is_refused_before_parsing(pad: str, extra: int) -> None:
    raw = json.dumps({"type": "answer", "text": pad * (MAX_BYTES // len(pad.encode()) + 1)})
    raw += " " * extra
    try:
        parse_message(raw, max_bytes=MAX_BYTES)
    except InvalidInput as exc:
        assert "te groot" in exc.message
    else:
        raise AssertionError("an oversized frame was parsed")


@settings(max_examples=40)
@given(frame=frames | st.binary(max_size=64))
def test_the_socket_answers_every_frame_and_stays_open(world: World, frame: str | bytes) -> None:
    phone = _phone(world)
    with world.client.websocket_connect(f"/ws/w/{world.code}", headers=phone.headers()) as ws:
        view = View(ws)
        if isinstance(frame, bytes):
            ws.send_bytes(frame)
        else:
            ws.send_text(frame)
        reply = view.reply()
        # Never the catch-all: that would mean an unexpected exception on the server.
        assert RETRY_MESSAGE not in reply
        ws.send_text('{"type": "ping"}')
        assert "Onbekend berichttype" in view.reply()


_PHONES: dict[int, Any] = {}


def _phone(world: World) -> Any:
    """One participant for all examples (joining per example would only fill the room)."""
    key = id(world)
    if key not in _PHONES:
        _PHONES[key] = join_page(world.client, world.code, "Fuzzer")
    return _PHONES[key]
