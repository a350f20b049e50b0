"""The page charts (web/charts.py): exact geometry and the text a screen reader gets."""

from __future__ import annotations

import re
from datetime import date

from matchready.web.charts import WIDTH, Bar, Event, Pair, bar_chart, dot_chart, timeline


def test_bars_scale_to_the_top_and_leave_room_for_their_values() -> None:
    chart = bar_chart("t", "Match rate", [Bar("A", 50.0, "50.0%"), Bar("B", None, "none")], 100.0)
    usable = WIDTH - 12 - 6 * len("50.0%")
    assert f'<rect class="chart-bar" x="0" y="17" width="{usable * 0.5:.1f}"' in chart
    assert '<text class="chart-none" x="0" y="62">none</text>' in chart  # no bar for B
    assert '<title id="chart-t-t">Match rate</title>' in chart
    assert '<desc id="chart-t-d">A: 50.0%; B: none</desc>' in chart
    assert 'role="img" aria-labelledby="chart-t-t chart-t-d"' in chart
    assert "style=" not in chart  # the CSP allows no style attributes


def test_a_chart_with_nothing_known_says_so() -> None:
    chart = bar_chart("n", "Costs", [Bar("X", None, "unknown")], 0.0, "USD")
    assert '<desc id="chart-n-d">no figures to draw. X: unknown (USD)</desc>' in chart


def test_dots_mark_both_medians_on_one_scale() -> None:
    chart = dot_chart("d", "Step 2 CK", [Pair("IM", 250.0, 240.0)], 230.0, 270.0, ("m", "u"))
    left, right = 4, WIDTH - 40
    x_matched = left + (right - left) * (250 - 230) / 40
    assert f'cx="{x_matched:.1f}"' in chart
    assert '<desc id="chart-d-d">IM: m 250, u 240</desc>' in chart


def test_a_timeline_marks_today_and_each_entry() -> None:
    events = [Event("ERAS opens", date(2026, 6, 3), False, "2026-06-03")]
    chart = timeline("c", "Cycle", events, date(2026, 12, 2))
    assert chart.count("<circle") == 1 and 'class="chart-today"' in chart
    assert re.search(r"today 2026-12-02</text>", chart)
    assert '<desc id="chart-c-d">2026-06-03: ERAS opens; today is 2026-12-02</desc>' in chart
    empty = timeline("e", "Cycle", [], date(2026, 12, 2))
    assert "no dated entries" in empty
