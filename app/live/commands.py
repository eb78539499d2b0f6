"""A phone's message as a change: through the same services as the API, then its reply."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as columns
from sqlmodel import col

from app.db import Database
from app.events import Publisher
from app.i18n import N_, translate
from app.live.ack import render_receipt
from app.live.client import Client
from app.live.hub import Hub
from app.live.protocol import ClientMessage, EditAnswer, React, SubmitAnswer, WithdrawAnswer
from app.live.render import partial
from app.models import Participant
from app.services import participation, pii
from app.services.errors import NotFound, PersonalDataSuspected
from app.services.limits import Limits
from app.services.receipts import Receipt

log = logging.getLogger(__name__)
_EXISTS = columns(col(Participant.id)).where(col(Participant.id) == bindparam("id"))


def pii_warning(message: ClientMessage, exc: PersonalDataSuspected, lang: str) -> str:
    """The answer form again, filled in, with the warning and a "toch versturen" button."""
    assert isinstance(message, SubmitAnswer | EditAnswer)
    warning = {
        "labels": [translate(lang, pii.LABELS[pii.PiiKind(k)]) for k in exc.kinds],
        "type": message.type,
        "prompt_id": message.prompt_id if isinstance(message, SubmitAnswer) else None,
        "answer_id": message.answer_id if isinstance(message, EditAnswer) else None,
        "text": message.text or "",
    }
    return partial("_answer_form", lang, warning=warning) + partial(
        "_flash", lang, message=exc.translated(lang), level="error"
    )


def apply_message(
    message: ClientMessage,
    *,
    db: Database,
    publisher: Publisher,
    limits: Limits,
    participant: Participant,
    receipts: list[Receipt],
) -> tuple[bool, str]:
    """Store one change through the same services as the API, in one write transaction.
    Returns (a fresh answer form?, the note for the reply).

    `participant` is the one the socket joined as, read when it connected: the services use
    only its id and workshop. Whether it still exists is checked here, in the transaction
    (loading it again would cost a third of the rest of an answer)."""
    with db.writing() as session:
        if session.connection().execute(_EXISTS, {"id": participant.id}).first() is None:
            raise NotFound("Deze bijeenkomst bestaat niet meer.")
        kwargs: dict[str, Any] = {
            "session": session,
            "publisher": publisher,
            "participant": participant,
            "limits": limits,
            "receipts": receipts,
        }
        match message:
            case SubmitAnswer():
                participation.submit_answer(
                    **kwargs,
                    prompt_id=message.prompt_id,
                    idempotency_key=message.idempotency_key,
                    text=message.text,
                    value=message.value,
                    confirm_personal_data=message.confirm_personal_data,
                )
                return True, N_("Verstuurd.")
            case EditAnswer():
                participation.edit_answer(
                    **kwargs,
                    answer_id=message.answer_id,
                    text=message.text,
                    value=message.value,
                    confirm_personal_data=message.confirm_personal_data,
                )
                # After a warning the answer form showed this edit: give it back.
                return message.from_warning, N_("Gewijzigd.")
            case WithdrawAnswer():
                participation.withdraw_answer(**kwargs, answer_id=message.answer_id)
                return False, N_("Ingetrokken.")
            case React():
                if participation.react(**kwargs, answer_id=message.answer_id):
                    return False, N_("Herken ik: genoteerd.")
                return False, N_("Herken ik: teruggenomen.")
    raise AssertionError("unreachable")


def acknowledgement(
    client: Client, hub: Hub, receipts: list[Receipt], *, fresh_form: bool, note: str
) -> tuple[int, str]:
    """(seq its own fragments are of, the reply): from the change's receipt, or read."""
    assert client.participant_id is not None
    flash = partial("_flash", client.lang, message=translate(client.lang, note), level="ok")
    try:
        if receipts:
            body = render_receipt(receipts[0], with_form=fresh_form, lang=client.lang)
            return receipts[0].seq, body + flash
        # A repeated key or a "+1" on an earlier prompt: nothing was committed here.
        seq, body = hub.render_private_now(
            client.workshop_id, client.participant_id, with_form=fresh_form, lang=client.lang
        )
    except Exception:
        # Stored all the same; the push that follows every change brings the fragments.
        log.exception("could not render an acknowledgement for workshop %s", client.workshop_id)
        return 0, flash
    return seq, body + flash
