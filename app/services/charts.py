"""Chart geometry for the server-drawn SVG pictures: pure functions, no database, no markup.

Coordinates are in SVG user units of a fixed-width viewBox; the browser scales the picture
to the space it gets (a 320 px phone or a beamer). Templates draw what these return and add
the text alternative. Labels arrive translated; one too long for its column is shortened
with an ellipsis here, and the template keeps the full label in the title and the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# An average glyph is about this fraction of the font size wide (system sans-serif).
GLYPH = 0.58
ELLIPSIS = "\u2026"


def fit_label(text: str, max_chars: int) -> str:
    """The label, or its start and an ellipsis when it has more than max_chars characters."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    return text[: max(1, max_chars - 1)].rstrip() + ELLIPSIS


def _text_width(chars: int, font: float) -> float:
    return chars * font * GLYPH


# --- Horizontal bars: a count per category (answers per domain) ---------------------------


@dataclass(frozen=True)
class HBar:
    key: str
    label: str  # as drawn, perhaps shortened
    full_label: str
    count: int
    label_y: float  # baseline of the label, on its own line above the bar
    y: float  # top of the bar
    width: float
    count_x: float  # the count follows the end of the bar
    count_y: float


@dataclass(frozen=True)
class HBarChart:
    width: int
    height: int
    bar_x: float
    bar_area: float
    bar_height: float
    label_x: float
    font: float
    bars: tuple[HBar, ...]
    total: int
    peak: int

    @property
    def empty(self) -> bool:
        return not self.bars


def horizontal_bars(
    rows: Sequence[tuple[str, str, int]],
    *,
    width: int = 420,
    font: float = 26,
    bar_height: float = 28,
) -> HBarChart:
    """(key, label, count) rows, in the order given, as bars scaled to the largest count.

    Each label sits on its own line above its bar, so a narrow phone keeps large type and a
    long label has the whole width; a label longer than that is shortened. A zero count
    draws no bar, only its "0".
    """
    pad = 6.0
    # Room after the longest bar for a gap and a four-digit count.
    bar_area = width - 3 * pad - _text_width(4, font)
    max_chars = max(2, int((width - pad) / (font * GLYPH)))
    row_height = font + pad + bar_height + 2 * pad + 4
    peak = max((max(0, n) for _k, _l, n in rows), default=0)
    bars: list[HBar] = []
    for index, (key, label, count) in enumerate(rows):
        count = max(0, count)
        top = pad + index * row_height
        bar_top = top + font + pad
        length = round(bar_area * count / peak, 1) if peak else 0.0
        bars.append(
            HBar(
                key=key,
                label=fit_label(label, max_chars),
                full_label=" ".join(label.split()),
                count=count,
                label_y=round(top + font * 0.8, 1),
                y=round(bar_top, 1),
                width=length,
                count_x=round(pad + length + pad, 1),
                count_y=round(bar_top + bar_height / 2 + font * 0.36, 1),
            )
        )
    height = int(pad + len(rows) * row_height)
    return HBarChart(
        width=width,
        height=height,
        bar_x=pad,
        bar_area=round(bar_area, 1),
        bar_height=bar_height,
        label_x=pad,
        font=font,
        bars=tuple(bars),
        total=sum(b.count for b in bars),
        peak=peak,
    )


# --- Stacked 100% bars: a 1-5 distribution per row (a self-assessment per school year) ----

SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Segment:
    value: int
    count: int
    percent: int
    x: float
    width: float
    show_count: bool  # wide enough to print its count inside


@dataclass(frozen=True)
class StackRow:
    key: str
    label: str
    full_label: str
    total: int
    # (value, count) for each of 1..5, zeros included, for the text alternative.
    counts: tuple[tuple[int, int], ...]
    mean: float | None
    label_y: float  # baseline of the label and the mean, on a line above the bar
    y: float  # top of the bar
    text_y: float  # baseline of the counts inside the bar
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    bar_x: float
    bar_area: float
    bar_height: float
    label_x: float
    mean_x: float  # the mean ends here (text-anchor end)
    font: float
    rows: tuple[StackRow, ...]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)


def mean_of(counts: Sequence[int]) -> float | None:
    """The average score of counts for 1..5, or None without any answer."""
    n = sum(counts)
    if not n:
        return None
    return sum(value * count for value, count in zip(SCALE, counts, strict=True)) / n


def percentages(counts: Sequence[int]) -> list[int]:
    """Whole percentages that add up to exactly 100 (largest remainders), or all 0."""
    total = sum(counts)
    if not total:
        return [0 for _ in counts]
    exact = [100 * c / total for c in counts]
    whole = [int(e) for e in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def stacked_rows(
    rows: Sequence[tuple[str, str, Sequence[int]]],
    *,
    width: int = 340,
    font: float = 20,
    bar_height: float = 32,
    mean_chars: int = 9,
) -> StackedChart:
    """(key, label, counts of 1..5) rows as 100% bars, one per row, segments 1 to 5 from
    left to right. Label and mean share a line above the bar, so the picture stays narrow
    and its type large on a phone. A row without answers has no segments and no mean; the
    template says so in words.
    """
    pad = 6.0
    bar_area = width - 2 * pad
    max_chars = max(2, int((bar_area - _text_width(mean_chars, font) - pad) / (font * GLYPH)))
    row_height = font + pad + bar_height + 3 * pad
    out: list[StackRow] = []
    for index, (key, label, counts) in enumerate(rows):
        if len(counts) != len(SCALE):
            raise ValueError("a 1-5 distribution has five counts")
        counts = [max(0, c) for c in counts]
        total = sum(counts)
        top = pad + index * row_height
        bar_top = top + font + pad
        segments: list[Segment] = []
        x = pad
        for value, count, pct in zip(SCALE, counts, percentages(counts), strict=True):
            if not count:
                continue
            seg = round(bar_area * count / total, 1)
            segments.append(
                Segment(
                    value=value,
                    count=count,
                    percent=pct,
                    x=round(x, 1),
                    width=seg,
                    show_count=seg >= _text_width(len(str(count)), font) + pad,
                )
            )
            x += seg
        out.append(
            StackRow(
                key=key,
                label=fit_label(label, max_chars),
                full_label=" ".join(label.split()),
                total=total,
                counts=tuple(zip(SCALE, counts, strict=True)),
                mean=mean_of(counts),
                label_y=round(top + font * 0.8, 1),
                y=round(bar_top, 1),
                text_y=round(bar_top + bar_height / 2 + font * 0.36, 1),
                segments=tuple(segments),
            )
        )
    return StackedChart(
        width=width,
        height=int(pad + len(rows) * row_height),
        bar_x=pad,
        bar_area=bar_area,
        bar_height=bar_height,
        label_x=pad,
        mean_x=width - pad,
        font=font,
        rows=tuple(out),
    )


def decimal(value: float | None, lang: str) -> str:
    """One decimal, with a comma in Dutch (3,4) and a point in English (3.4)."""
    if value is None:
        return ""
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "nl" else text
