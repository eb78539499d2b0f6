"""A phone's paged list of revealed answers: a big room reads them a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from app.live.state import AnswerView, Room


@dataclass(frozen=True)
class AnswerPage:
    answers: list[AnswerView]
    page: int  # 1-based, clamped to the pages there are
    pages: int
    total: int
    label: str | None  # the group's label; None for all answers or the ungrouped ones
    group_id: int | None


def answer_page(room: Room, *, page: int, group_id: int | None = None) -> AnswerPage:
    """One page of what the room may see: all answers, one group's, or (0) the ungrouped."""
    label = None
    if group_id is None:
        shown = room.visible_answers
    elif group_id == 0:
        shown = room.ungrouped(visible=True)
    else:
        found = [(g, a) for g, a in room.grouped(visible=True) if g.id == group_id]
        shown, label = (found[0][1], found[0][0].label) if found else ([], None)
    size = room.phone_page
    pages = max(1, -(-len(shown) // size))
    page = min(max(page, 1), pages)
    return AnswerPage(
        answers=shown[(page - 1) * size : page * size],
        page=page,
        pages=pages,
        total=len(shown),
        label=label,
        group_id=group_id,
    )
