"""The one command to answer a prompt, for the websocket and the API alike: one set of fields
and limits (docs/protocol.md, docs/api.md)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator, Field

from app.ids import DbId
from app.services.participation import MAX_ANSWER_LENGTH


def _blank_to_none(value: Any) -> Any:
    return None if value == "" else value


def _blank_to_false(value: Any) -> Any:
    return False if value in ("", None) else value


MaybeInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
# "1" from the "Toch versturen" button: the author saw the personal-data warning.
Confirmed = Annotated[bool, BeforeValidator(_blank_to_false)]


# The one command to answer, for the websocket and the API alike: one set of fields and limits.
# "confirm_pii" is the websocket's name from before; still accepted.
CONFIRM = AliasChoices("confirm_personal_data", "confirm_pii")


class AnswerCommand(BaseModel):
    prompt_id: DbId
    idempotency_key: str = Field(
        min_length=8,
        max_length=64,
        # The characters are checked by the service (participation.submit_answer), with its
        # own Dutch message, for both the websocket and the API.
        description=(
            "8-64 letters, digits, - or _, chosen by the client; "
            "sending the same key again returns the first answer."
        ),
        examples=["3f6c2a1e-answer-1"],
    )
    text: str | None = Field(
        default=None, max_length=MAX_ANSWER_LENGTH, description="For an open prompt."
    )
    value: MaybeInt = Field(default=None, description="For a scale prompt: 1-5.")
    confirm_personal_data: Confirmed = Field(
        default=False,
        validation_alias=CONFIRM,
        description=(
            "Send true after a 422 with `personal_data`, when the participant chose to send "
            "the answer anyway; it is stored flagged and held until a facilitator releases it."
        ),
    )
