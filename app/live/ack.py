"""A participant's acknowledgement, rendered from the receipt its change's transaction read."""

from __future__ import annotations

from functools import lru_cache

from app.live.personal import render_private
from app.live.room import AnswerView, PresenceView, Room
from app.models import Domain, PromptPhase, Workshop, WorkshopPrompt, WorkshopStatus
from app.services import pii
from app.services.receipts import Receipt

_NOBODY = PresenceView(joined=0, online=0, by_domain=[], people=[])


# Transient stand-ins with only the columns the own fragments read (never stored, never
# changed, so shared): building a SQLModel object costs more than the rest of an ack.
@lru_cache(maxsize=256)
def _workshop(workshop_id: int, status: WorkshopStatus) -> Workshop:
    return Workshop(id=workshop_id, status=status)  # type: ignore[call-arg]


@lru_cache(maxsize=1024)
def _prompt(prompt_id: int, workshop_id: int, kind: str, phase: PromptPhase) -> WorkshopPrompt:
    return WorkshopPrompt(id=prompt_id, workshop_id=workshop_id, kind=kind, phase=phase)  # type: ignore[call-arg]


def receipt_room(receipt: Receipt) -> Room:
    """Just enough of the room for the author's own fragments (answer form, own answers):
    never render shared fragments from it."""
    workshop = _workshop(receipt.workshop_id, receipt.status)
    prompt = _prompt(receipt.prompt_id, receipt.workshop_id, receipt.kind, receipt.phase)
    pid = receipt.participant_id
    own = [
        AnswerView(
            id=a.id,
            participant_id=pid,
            text=a.text,
            value=a.value,
            author=None,  # own answers do not show their author
            organisation=None,
            domain=Domain.anders,
            hidden=a.hidden,
            plus_ones=a.plus_ones,
            personal_data=tuple(pii.LABELS[k] for k in pii.decode(a.pii_reasons))
            if a.pii_reasons
            else (),
            held=a.held,
        )
        for a in receipt.own
    ]
    return Room(
        workshop=workshop,
        seq=receipt.seq,
        prompt=prompt,
        total_prompts=0,
        theme_count=0,
        answers=own,
        presence=_NOBODY,
        timer_ends_at=None,
        own={pid: own} if own else {},
        reacted={pid: set(receipt.reacted)} if receipt.reacted else {},
    )


def render_receipt(receipt: Receipt, *, with_form: bool, lang: str) -> str:
    """The same fragments as Hub.render_private_now, without reading anything."""
    room = receipt_room(receipt)
    return render_private(room, receipt.participant_id, with_form=with_form, lang=lang)
