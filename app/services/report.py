"""What the answers report shows, read in one go: per theme and prompt, what the room could see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Answer, Domain, Participant, Reaction, Workshop, WorkshopPrompt
from app.services.domains import DOMAIN_LABELS


@dataclass(frozen=True)
class ReportAnswer:
    text: str | None
    value: int | None
    domain: str
    plus_ones: int


@dataclass
class ReportPrompt:
    text: str
    kind: str
    answers: list[ReportAnswer] = field(default_factory=list)
    scale_low: str | None = None
    scale_high: str | None = None
    # Set when the prompt is not printed on the card: where it was derived from.
    derived_from: str | None = None
    # The facilitator's own prompt in the programme (app/services/programme.py).
    own: bool = False

    @property
    def distribution(self) -> list[tuple[int, int]]:
        counts = Counter(a.value for a in self.answers if a.value is not None)
        return [(v, counts[v]) for v in range(1, 6)]


@dataclass
class ReportTheme:
    title: str
    prompts: list[ReportPrompt] = field(default_factory=list)


@dataclass(frozen=True)
class AnswersReport:
    workshop: Workshop
    participants: int
    themes: list[ReportTheme]


def load_report(*, session: Session, workshop: Workshop) -> AnswersReport:
    """Hidden and withdrawn answers stay out, as they stayed off the projector; no names."""
    assert workshop.id is not None
    prompts = session.exec(
        select(WorkshopPrompt)
        .where(WorkshopPrompt.workshop_id == workshop.id)
        .order_by(col(WorkshopPrompt.position))
    ).all()
    plus = (
        select(Reaction.answer_id, func.count().label("n"))
        .group_by(col(Reaction.answer_id))
        .subquery()
    )
    rows = session.exec(
        select(Answer, Participant.domain, func.coalesce(plus.c.n, 0))
        .join(Participant, col(Participant.id) == col(Answer.participant_id))
        .outerjoin(plus, plus.c.answer_id == Answer.id)
        .where(
            Answer.workshop_id == workshop.id,
            col(Answer.hidden).is_(False),
            col(Answer.held).is_(False),
            col(Answer.withdrawn).is_(False),
        )
        .order_by(col(Answer.id))
    ).all()
    by_prompt: dict[int, list[ReportAnswer]] = {}
    for answer, domain, plus_ones in rows:
        by_prompt.setdefault(answer.prompt_id, []).append(
            ReportAnswer(answer.text, answer.value, DOMAIN_LABELS[Domain(domain)], int(plus_ones))
        )
    themes: list[ReportTheme] = []
    for prompt in prompts:
        if not themes or themes[-1].title != prompt.theme_title:
            themes.append(ReportTheme(title=prompt.theme_title))
        answers = by_prompt.get(prompt.id or 0, [])
        themes[-1].prompts.append(
            ReportPrompt(
                text=prompt.text,
                kind=prompt.kind,
                answers=answers,
                scale_low=prompt.scale_low,
                scale_high=prompt.scale_high,
                derived_from=(prompt.derived_from or "") if prompt.source == "derived" else None,
                own=prompt.source == "own",
            )
        )
    participants = session.exec(
        select(func.count()).select_from(Participant).where(Participant.workshop_id == workshop.id)
    ).one()
    return AnswersReport(workshop=workshop, participants=int(participants), themes=themes)
