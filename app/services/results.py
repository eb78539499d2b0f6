"""Where the room stands: each 1-5 self-assessment of a workshop per theme, next to the same
prompt in earlier school years of the same series (same deck, same organisation).

Only answers the room could see count (never hidden, held or withdrawn ones, as in the report),
and only workshops the viewer may facilitate are read: a typed organisation name never opens
another facilitator's results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Answer, User, Workshop, WorkshopPrompt
from app.services.charts import SCALE
from app.services.words import Term, frequent_terms
from app.services.workshops import prompts_of, workshops_for_user

Counts = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class YearCounts:
    school_year: str
    counts: Counts
    # How many workshops of that school year the counts come from.
    workshops: int
    # This workshop's own row (the other rows are earlier school years).
    current: bool

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ScaleResult:
    prompt: WorkshopPrompt
    # Oldest first; this workshop last, always, even without answers.
    years: tuple[YearCounts, ...]

    @property
    def current(self) -> YearCounts:
        return self.years[-1]

    @property
    def rows(self) -> list[tuple[str, str, Counts]]:
        """(key, label, counts) per school year, for the chart."""
        return [(y.school_year, y.school_year.replace("-", "\u2013"), y.counts) for y in self.years]


@dataclass(frozen=True)
class ThemeResults:
    number: int
    title: str
    scales: tuple[ScaleResult, ...]


@dataclass(frozen=True)
class PromptWords:
    """The word view of one open prompt."""

    prompt: WorkshopPrompt
    answers: int
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Results:
    workshop: Workshop
    themes: tuple[ThemeResults, ...]
    # Earlier workshops of the series that were read, oldest first.
    earlier: tuple[Workshop, ...]
    # Open prompts with answers, in the deck's order.
    words: tuple[PromptWords, ...] = ()

    @property
    def school_years(self) -> list[str]:
        years = {w.school_year for w in self.earlier} | {self.workshop.school_year}
        return sorted(years)


def _series_key(workshop: Workshop) -> str:
    return " ".join((workshop.organisation or "").split()).casefold()


def earlier_in_series(*, session: Session, workshop: Workshop, viewer: User) -> list[Workshop]:
    """The viewer's workshops with the same deck in earlier school years: of the same
    organisation when this one names one, else the owner's own without an organisation."""
    key = _series_key(workshop)
    out = []
    for group in workshops_for_user(session=session, user=viewer).values():
        for other in group:
            if (
                other.id == workshop.id
                or other.deck_slug != workshop.deck_slug
                or other.school_year >= workshop.school_year
                or _series_key(other) != key
            ):
                continue
            if not key and other.owner_id != workshop.owner_id:
                continue
            out.append(other)
    return sorted(out, key=lambda w: (w.school_year, w.created_at))


def _counts(session: Session, workshop_ids: list[int]) -> dict[tuple[int, str], dict[int, int]]:
    """{(workshop id, deck prompt id): {value: count}} over scale answers the room saw."""
    rows = session.exec(
        select(Answer.workshop_id, WorkshopPrompt.deck_prompt_id, Answer.value, func.count())
        .join(WorkshopPrompt, col(WorkshopPrompt.id) == col(Answer.prompt_id))
        .where(
            col(Answer.workshop_id).in_(workshop_ids),
            WorkshopPrompt.kind == "scale",
            col(Answer.value).is_not(None),
            col(Answer.hidden).is_(False),
            col(Answer.held).is_(False),
            col(Answer.withdrawn).is_(False),
        )
        .group_by(col(Answer.workshop_id), col(WorkshopPrompt.deck_prompt_id), col(Answer.value))
    ).all()
    out: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for workshop_id, deck_prompt_id, value, n in rows:
        assert value is not None  # filtered above
        out[(int(workshop_id), str(deck_prompt_id))][int(value)] = int(n)
    return out


def _as_counts(by_value: dict[int, int]) -> Counts:
    a, b, c, d, e = (by_value.get(v, 0) for v in SCALE)
    return (a, b, c, d, e)


def open_prompt_words(
    session: Session, workshop_id: int, prompts: list[WorkshopPrompt]
) -> tuple[PromptWords, ...]:
    """The word view of each open prompt with answers the room could see."""
    rows = session.exec(
        select(Answer.prompt_id, Answer.text).where(
            Answer.workshop_id == workshop_id,
            col(Answer.text).is_not(None),
            col(Answer.hidden).is_(False),
            col(Answer.withdrawn).is_(False),
        )
    ).all()
    texts: dict[int, list[str]] = defaultdict(list)
    for prompt_id, text in rows:
        texts[int(prompt_id)].append(text or "")
    out = []
    for prompt in prompts:
        found = texts.get(prompt.id or 0)
        if prompt.kind == "open" and found:
            out.append(PromptWords(prompt, len(found), tuple(frequent_terms(found))))
    return tuple(out)


def scale_results(*, session: Session, workshop: Workshop, viewer: User) -> Results:
    """Every scale prompt of the workshop, grouped by theme, with its history per school
    year; an earlier year appears for a prompt only when it has answers to it."""
    assert workshop.id is not None
    earlier = earlier_in_series(session=session, workshop=workshop, viewer=viewer)
    ids = [workshop.id] + [w.id for w in earlier if w.id is not None]
    counts = _counts(session, ids)
    themes: list[ThemeResults] = []
    prompts = prompts_of(session=session, workshop_id=workshop.id)
    for prompt in prompts:
        if prompt.kind != "scale":
            continue
        by_year: dict[str, list[dict[int, int]]] = defaultdict(list)
        for other in earlier:
            assert other.id is not None
            found = counts.get((other.id, prompt.deck_prompt_id))
            if found:
                by_year[other.school_year].append(found)
        years = [
            YearCounts(
                school_year=year,
                counts=_as_counts(
                    {v: sum(found.get(v, 0) for found in by_year[year]) for v in SCALE}
                ),
                workshops=len(by_year[year]),
                current=False,
            )
            for year in sorted(by_year)
        ]
        own = counts.get((workshop.id, prompt.deck_prompt_id), {})
        years.append(YearCounts(workshop.school_year, _as_counts(own), 1, current=True))
        result = ScaleResult(prompt=prompt, years=tuple(years))
        if not themes or themes[-1].number != prompt.theme_number:
            themes.append(ThemeResults(prompt.theme_number, prompt.theme_title, ()))
        last = themes[-1]
        themes[-1] = ThemeResults(last.number, last.title, (*last.scales, result))
    return Results(
        workshop=workshop,
        themes=tuple(themes),
        earlier=tuple(earlier),
        words=open_prompt_words(session, workshop.id, prompts),
    )
