"""The doe-agenda as pages, fragments and exports show it: read in one go, never in templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.agenda_models import Agenda, AgendaLevel
from app.i18n import N_
from app.models import Participant, Workshop, WorkshopStatus
from app.services.agenda import agenda_of, list_items
from app.services.item_views import LEVEL_LABELS, NO_LEVEL, ItemView, item_views
from app.services.vote_results import Results, results

MONTH_NAMES = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip
# Dutch abbreviations (msgids), for the timeline's axis.
MONTH_SHORT = [
    N_("jan"), N_("feb"), N_("mrt"), N_("apr"), N_("mei"), N_("jun"),
    N_("jul"), N_("aug"), N_("sep"), N_("okt"), N_("nov"), N_("dec"),
]  # fmt: skip
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
NO_THEME = N_("Zonder thema")


@dataclass(frozen=True)
class MatrixRow:
    partner: str
    cells: list[list[ItemView]]


@dataclass(frozen=True)
class Matrix:
    columns: list[tuple[AgendaLevel | None, str]]
    rows: list[MatrixRow]


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    label: str
    short: str
    items: list[ItemView]
    current: bool

    @property
    def overdue(self) -> int:
        return sum(1 for view in self.items if view.overdue)


@dataclass(frozen=True)
class Timeline:
    months: list[Month]
    undated: list[ItemView]
    # Due before or after the school year.
    outside: list[ItemView]


@dataclass
class AgendaSheet:
    workshop: Workshop
    agenda: Agenda | None
    school_year: str
    today: date
    items: list[ItemView]
    organisations: list[str]
    votes: Results
    themes: list[tuple[str, list[ItemView]]] = field(default_factory=list)

    @property
    def dots(self) -> int:
        return self.agenda.dots_per_participant if self.agenda is not None else 0

    @property
    def vote_on(self) -> str:
        return self.agenda.vote_on if self.agenda is not None else "items"

    @property
    def voting_open(self) -> bool:
        """Dots handed out and the meeting still on: at the end voting closes with it."""
        return self.dots > 0 and self.workshop.status is not WorkshopStatus.ended

    @property
    def voting_closed_by_end(self) -> bool:
        return self.dots > 0 and self.workshop.status is WorkshopStatus.ended

    @property
    def numbers(self) -> dict[int, int]:
        """Item id → its number in reading order (theme by theme), as printed."""
        order = (view.id for _theme, views in self.themes for view in views)
        return {item_id: n for n, item_id in enumerate(order, start=1)}

    @property
    def overdue(self) -> list[ItemView]:
        return [v for v in self.items if v.overdue]

    @property
    def matrix(self) -> Matrix:
        return build_matrix(self.items)

    @property
    def timeline(self) -> Timeline:
        return build_timeline(self.items, self.school_year, self.today)

    def dots_left(self, participant_id: int) -> int:
        used = sum(self.votes.own.get(participant_id, {}).values())
        return max(self.dots - used, 0)

    def own_dots(
        self,
        participant_id: int,
        *,
        item_id: int | None = None,
        answer_id: int | None = None,
        group_id: int | None = None,
    ) -> int:
        own = self.votes.own.get(participant_id, {})
        return own.get((item_id, answer_id, group_id), 0)


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def local_today() -> date:
    """Due dates are Dutch calendar days."""
    return datetime.now(LOCAL_TZ).date()


def school_months(school_year: str) -> list[tuple[int, int]]:
    """(year, month) from August to July."""
    start = int(school_year.split("-")[0])
    return [(start, m) for m in range(8, 13)] + [(start + 1, m) for m in range(1, 8)]


def build_matrix(items: list[ItemView]) -> Matrix:
    columns: list[tuple[AgendaLevel | None, str]] = list(LEVEL_LABELS.items())
    if any(v.item.level is None for v in items):
        columns.append((None, NO_LEVEL))
    partners: dict[str, list[list[ItemView]]] = {}
    for view in items:
        cells = partners.setdefault(view.partner, [[] for _ in columns])
        index = next(i for i, (lvl, _) in enumerate(columns) if lvl == view.item.level)
        cells[index].append(view)
    ordered = sorted(partners.items(), key=lambda kv: kv[0].casefold())
    rows = [MatrixRow(partner=p, cells=c) for p, c in ordered]
    return Matrix(columns=columns, rows=rows)


def build_timeline(items: list[ItemView], school_year: str, today: date) -> Timeline:
    slots = school_months(school_year)
    by_month: dict[tuple[int, int], list[ItemView]] = {s: [] for s in slots}
    undated: list[ItemView] = []
    outside: list[ItemView] = []
    for view in sorted(items, key=lambda v: (v.item.due_date or date.max, v.id)):
        due = view.item.due_date
        if due is None:
            undated.append(view)
        elif (due.year, due.month) in by_month:
            by_month[(due.year, due.month)].append(view)
        else:
            outside.append(view)
    months = [
        Month(
            year=y,
            month=m,
            label=MONTH_NAMES[m - 1],
            short=MONTH_SHORT[m - 1],
            items=by_month[(y, m)],
            current=(today.year, today.month) == (y, m),
        )
        for y, m in slots
    ]
    return Timeline(months=months, undated=undated, outside=outside)


def group_by_theme(items: list[ItemView]) -> list[tuple[str, list[ItemView]]]:
    """Themes in deck order (by key), items without a theme last."""
    groups: dict[tuple[int, str, str], list[ItemView]] = {}
    for view in items:
        key = view.item.theme_key or ""
        title = view.item.theme_title or NO_THEME
        order = int(key) if key.isdigit() else 10_000
        if title == NO_THEME:
            order = 20_000
        groups.setdefault((order, key, title), []).append(view)
    ordered = sorted(groups.items(), key=lambda kv: kv[0])
    return [(title, views) for (_order, _key, title), views in ordered]


def organisations_present(*, session: Session, workshop_id: int) -> list[str]:
    names = session.exec(
        select(Participant.organisation).where(
            Participant.workshop_id == workshop_id, col(Participant.organisation).is_not(None)
        )
    ).all()
    unique: dict[str, str] = {}
    for name in names:
        if name and name.strip():
            unique.setdefault(" ".join(name.split()).casefold(), " ".join(name.split()))
    return sorted(unique.values(), key=str.casefold)


def load_sheet(*, session: Session, workshop: Workshop, today: date) -> AgendaSheet:
    assert workshop.id is not None
    agenda = agenda_of(session=session, workshop_id=workshop.id)
    items = list_items(session=session, agenda_id=agenda.id) if agenda and agenda.id else []
    views = item_views(session=session, items=items, today=today)
    return AgendaSheet(
        workshop=workshop,
        agenda=agenda,
        school_year=agenda.school_year if agenda else workshop.school_year,
        today=today,
        items=views,
        organisations=organisations_present(session=session, workshop_id=workshop.id),
        votes=results(session=session, workshop_id=workshop.id),
        themes=group_by_theme(views),
    )
