"""Messages a participant's phone sends over the websocket (see docs/protocol.md)."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
)

from app.i18n import N_
from app.ids import DbId
from app.services.answer_command import CONFIRM, AnswerCommand, Confirmed, MaybeInt
from app.services.errors import InvalidInput
from app.services.participation import MAX_ANSWER_LENGTH
from app.services.text import FieldInvalid


class _Message(BaseModel):
    # htmx adds a HEADERS object and may add form fields we do not use.
    model_config = ConfigDict(extra="ignore")


class SubmitAnswer(_Message, AnswerCommand):
    type: Literal["answer"]


class EditAnswer(_Message):
    type: Literal["edit"]
    answer_id: DbId
    text: str | None = Field(default=None, max_length=MAX_ANSWER_LENGTH)
    value: MaybeInt = None
    confirm_personal_data: Confirmed = Field(default=False, validation_alias=CONFIRM)
    # Sent from the warning form, which stands in for the answer form until this edit is done.
    from_warning: Confirmed = False


class WithdrawAnswer(_Message):
    type: Literal["withdraw"]
    answer_id: DbId


class React(_Message):
    type: Literal["react"]
    answer_id: DbId


ClientMessage = Annotated[
    SubmitAnswer | EditAnswer | WithdrawAnswer | React, Field(discriminator="type")
]
_adapter: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
KNOWN_TYPES = ("answer", "edit", "withdraw", "react")


def is_resync(raw: str) -> bool:
    """{"type": "resync"}: the client missed a push and asks for the full state again."""
    if '"resync"' not in raw or len(raw) > 1024:
        return False
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("type") == "resync"


def parse_message(raw: str, *, max_bytes: int) -> ClientMessage:
    """Parse one message, or raise InvalidInput with a Dutch msgid saying what is wrong."""
    if len(raw.encode("utf-8")) > max_bytes:
        raise InvalidInput("Dit bericht is te groot (maximaal %(kib)s KiB).", kib=max_bytes // 1024)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        # ValueError: bad JSON, or a number too long to read; RecursionError: nested too deep.
        raise InvalidInput("Dit bericht is geen geldige JSON.") from None
    if not isinstance(data, dict):
        raise InvalidInput("Een bericht is een JSON-object met een 'type'.")
    if data.get("type") not in KNOWN_TYPES:
        raise InvalidInput(
            "Onbekend berichttype; gebruik een van: %(types)s.", types=", ".join(KNOWN_TYPES)
        )
    try:
        return _adapter.validate_python(data)
    except ValidationError as exc:
        if any(e["type"] == "string_too_long" and e["loc"][-1] == "text" for e in exc.errors()):
            # The same words as the API's and the service's own check of the length.
            raise FieldInvalid(
                N_("%(field)s is te lang: maximaal %(limit)s tekens."),
                field=N_("Je antwoord"),
                limit=MAX_ANSWER_LENGTH,
            ) from None
        fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) or "?" for e in exc.errors())
        raise InvalidInput("Dit bericht klopt niet (veld: %(fields)s).", fields=fields) from None
