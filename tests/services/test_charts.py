"""Chart geometry: counts become bars of the right length, in order, inside the picture."""

from __future__ import annotations

import pytest

from app.services import charts


def test_counts_become_bars_scaled_to_the_largest() -> None:
    chart = charts.horizontal_bars(
        [("onderwijs", "Onderwijs", 4), ("gemeente", "Gemeente", 2), ("politie", "Politie", 1)]
    )
    widths = [b.width for b in chart.bars]
    assert [b.key for b in chart.bars] == ["onderwijs", "gemeente", "politie"]
    assert [b.count for b in chart.bars] == [4, 2, 1]
    assert widths[0] == chart.bar_area  # the largest count fills the bar area
    assert widths[1] == pytest.approx(chart.bar_area / 2, abs=0.1)
    assert widths[2] == pytest.approx(chart.bar_area / 4, abs=0.1)
    assert chart.total == 7 and chart.peak == 4
    # Rows go down the picture without overlapping, each label above its own bar,
    # and all of it fits in the viewBox.
    for above, below in zip(chart.bars, chart.bars[1:], strict=False):
        assert above.y + chart.bar_height < below.label_y - chart.font * 0.8
    for bar in chart.bars:
        assert bar.label_y <= bar.y < bar.count_y < bar.y + chart.bar_height
        assert chart.bar_x + bar.width < bar.count_x
        # Even a four-digit count fits after the longest bar.
        assert bar.count_x + 4 * chart.font * charts.GLYPH <= chart.width
        assert bar.label == bar.full_label  # short labels are drawn whole
    assert chart.bars[-1].y + chart.bar_height <= chart.height


def test_zero_data_draws_no_bars_and_divides_by_nothing() -> None:
    chart = charts.horizontal_bars([("onderwijs", "Onderwijs", 0), ("ouders", "Ouders", 0)])
    assert [b.width for b in chart.bars] == [0.0, 0.0]
    assert [b.count for b in chart.bars] == [0, 0]
    assert chart.total == 0 and chart.peak == 0
    assert all(chart.bar_x < b.count_x < chart.width for b in chart.bars)

    nothing = charts.horizontal_bars([])
    assert nothing.empty and nothing.bars == () and nothing.height >= 0


def test_a_long_label_is_shortened_and_kept_whole_for_the_text_alternative() -> None:
    long = "Samenwerkingsverband passend onderwijs regio Noord-Veluwe en omstreken"
    chart = charts.horizontal_bars([("a", long, 3), ("b", "School attendance", 5)])
    drawn, english = chart.bars
    assert drawn.full_label == long
    assert drawn.label.endswith("\u2026") and len(drawn.label) < len(long)
    assert long.startswith(drawn.label[:-1])
    # A shortened label fits the width at the chart's font size; the bars keep their room.
    assert chart.label_x + len(drawn.label) * chart.font * charts.GLYPH <= chart.width
    assert english.label == "School attendance"
    assert chart.bar_area > chart.width * 0.6


def test_fit_label() -> None:
    assert charts.fit_label("  Jeugd   hulp ", 20) == "Jeugd hulp"
    assert charts.fit_label("Jongerenwerk", 6) == "Jonge\u2026"
    assert charts.fit_label("Jongerenwerk", 1) == "J\u2026"


def test_percentages_add_up_to_a_hundred() -> None:
    assert charts.percentages([1, 1, 1, 0, 0]) == [34, 33, 33, 0, 0]
    assert sum(charts.percentages([3, 7, 2, 9, 1])) == 100
    assert charts.percentages([0, 0, 0, 0, 0]) == [0, 0, 0, 0, 0]


def test_a_distribution_becomes_segments_across_the_whole_bar() -> None:
    chart = charts.stacked_rows(
        [
            ("2024-2025", "2024\u20132025", [0, 2, 2, 0, 0]),
            ("2025-2026", "2025\u20132026", [1, 1, 1, 1, 4]),
        ]
    )
    first, second = chart.rows
    assert [s.value for s in first.segments] == [2, 3]  # no segment for a value nobody gave
    assert first.segments[0].x == chart.bar_x
    end = first.segments[-1].x + first.segments[-1].width
    assert end == pytest.approx(chart.bar_x + chart.bar_area, abs=0.2)
    assert first.mean == pytest.approx(2.5)
    assert second.mean == pytest.approx((1 + 2 + 3 + 4 + 20) / 8)
    assert [s.percent for s in second.segments] == [13, 13, 12, 12, 50]
    assert second.segments[-1].width == pytest.approx(chart.bar_area / 2, abs=0.2)
    assert second.y > first.y and second.y + chart.bar_height <= chart.height
    # The year and its mean sit on a line of their own above the bar, inside the picture.
    for row in chart.rows:
        assert row.label_y < row.y < row.text_y < row.y + chart.bar_height
        assert row.label == row.full_label
    assert first.y + chart.bar_height < second.label_y - chart.font * 0.8
    assert chart.mean_x <= chart.width
    assert chart.total == 12


def test_a_year_without_answers_has_no_segments_and_no_mean() -> None:
    chart = charts.stacked_rows([("2026-2027", "2026\u20132027", [0, 0, 0, 0, 0])])
    (row,) = chart.rows
    assert row.segments == () and row.mean is None and row.total == 0


def test_a_narrow_segment_keeps_its_count_outside() -> None:
    chart = charts.stacked_rows([("y", "y", [1, 0, 0, 0, 60])])
    narrow, wide = chart.rows[0].segments
    assert not narrow.show_count and wide.show_count


def test_a_distribution_needs_five_counts() -> None:
    with pytest.raises(ValueError):
        charts.stacked_rows([("y", "y", [1, 2, 3])])


def test_decimal_in_the_readers_language() -> None:
    assert charts.decimal(3.4567, "nl") == "3,5"
    assert charts.decimal(3.4567, "en") == "3.5"
    assert charts.decimal(None, "nl") == ""
