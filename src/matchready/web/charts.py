"""Charts as SVG rendered on the server: readable without JavaScript, scaled to the screen by
CSS, each with a title and a text description (and the page keeps the table they draw).

No style attributes (the CSP allows none): colours come from classes in static/app.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

WIDTH = 400
"""The drawing's width in SVG units; CSS scales it (at most 44rem wide)."""
ROW = 34
FITS = 60
"""Characters of a label that fit the drawing's width; longer ones end in an ellipsis (the
full text is in the chart's description and in the table beside it)."""


def _short(text: str, room: int = FITS) -> str:
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not known (no bar, the text says why)
    text: str  # the value as shown beside the bar


def _svg(name: str, title: str, description: str, height: float, body: list[str]) -> Markup:
    ident = f"chart-{name}"
    head = (
        f'<svg class="chart" id="{ident}" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>'
    )
    caption = f'<figcaption id="{ident}-c">{escape(title)}</figcaption>'
    return Markup(f'<figure class="chart">{caption}{head}{"".join(body)}</svg></figure>')


def bar_chart(name: str, title: str, bars: Sequence[Bar], top: float, unit: str = "") -> Markup:
    """Horizontal bars, one row each: the label on top, the bar and its value below."""
    body: list[str] = []
    usable = WIDTH - 90
    for index, bar in enumerate(bars):
        y = index * ROW
        label = escape(_short(bar.label))
        body.append(f'<text class="chart-label" x="0" y="{y + 12}">{label}</text>')
        if bar.value is None:
            body.append(f'<text class="chart-none" x="0" y="{y + 28}">{escape(bar.text)}</text>')
            continue
        length = max(1.0, usable * bar.value / top) if top > 0 else 1.0
        body.append(
            f'<rect class="chart-bar" x="0" y="{y + 17}" width="{length:.1f}" height="12" rx="2"/>'
        )
        value = escape(bar.text)
        body.append(f'<text class="chart-value" x="{length + 6:.1f}" y="{y + 28}">{value}</text>')
    known = [b for b in bars if b.value is not None]
    description = "; ".join(f"{b.label}: {b.text}" for b in bars)
    if not known:
        description = "no figures to draw. " + description
    return _svg(name, title, description + (f" ({unit})" if unit else ""), len(bars) * ROW, body)


@dataclass(frozen=True)
class Pair:
    label: str
    matched: float | None
    unmatched: float | None


def dot_chart(
    name: str, title: str, pairs: Sequence[Pair], low: float, high: float, legend: tuple[str, str]
) -> Markup:
    """Two marks per row on one scale (the median of the matched and of the unmatched)."""
    left, right = 4, WIDTH - 40
    span = high - low or 1.0

    def x(value: float) -> float:
        return left + (right - left) * (min(max(value, low), high) - low) / span

    body = [
        f'<circle class="chart-dot-a" cx="6" cy="8" r="5"/>'
        f'<text class="chart-label" x="16" y="12">{escape(legend[0])}</text>'
        f'<rect class="chart-dot-b" x="{WIDTH / 2:.0f}" y="3" width="10" height="10"/>'
        f'<text class="chart-label" x="{WIDTH / 2 + 16:.0f}" y="12">{escape(legend[1])}</text>'
    ]
    top = 24
    for index, pair in enumerate(pairs):
        y = top + index * ROW
        label = escape(_short(pair.label))
        body.append(f'<text class="chart-label" x="0" y="{y + 12}">{label}</text>')
        body.append(
            f'<line class="chart-axis" x1="{left}" y1="{y + 23}" x2="{right}" y2="{y + 23}"/>'
        )
        if pair.matched is None and pair.unmatched is None:
            body.append(f'<text class="chart-none" x="{left}" y="{y + 28}">not reported</text>')
        if pair.matched is not None:
            body.append(
                f'<circle class="chart-dot-a" cx="{x(pair.matched):.1f}" cy="{y + 23}" r="5"/>'
            )
        if pair.unmatched is not None:
            cx = x(pair.unmatched)
            body.append(
                f'<rect class="chart-dot-b" x="{cx - 5:.1f}" y="{y + 18}" width="10" height="10"/>'
            )
    bottom = top + len(pairs) * ROW
    for tick in _ticks(low, high):
        body.append(
            f'<text class="chart-tick" x="{x(tick):.1f}" y="{bottom + 12}" '
            f'text-anchor="middle">{tick:g}</text>'
        )

    def shown(value: float | None) -> str:
        return "not reported" if value is None else f"{value:g}"

    description = "; ".join(
        f"{p.label}: {legend[0]} {shown(p.matched)}, {legend[1]} {shown(p.unmatched)}"
        for p in pairs
    )
    return _svg(name, title, description, bottom + 18, body)


def _ticks(low: float, high: float) -> list[float]:
    step = 10.0 if high - low <= 80 else 20.0
    first = step * round(low / step + 0.4999)
    ticks, value = [], first
    while value <= high:
        ticks.append(value)
        value += step
    return ticks


@dataclass(frozen=True)
class Event:
    label: str
    on: date
    mine: bool  # the applicant's own task (drawn differently)
    text: str  # the date as shown


def timeline(name: str, title: str, events: Sequence[Event], today: date) -> Markup:
    """A time axis from the first to the last dated entry, one row per entry, today marked."""
    if not events:
        return _svg(
            name,
            title,
            "no dated entries",
            ROW,
            ['<text class="chart-none" x="0" y="20">no dated entries</text>'],
        )
    first = min(min(e.on for e in events), today)
    last = max(max(e.on for e in events), today)
    days = max((last - first).days, 1)
    left, right = 4, WIDTH - 8

    def x(day: date) -> float:
        return left + (right - left) * (day - first).days / days

    body: list[str] = []
    top = 18
    height = top + len(events) * ROW + 24
    body.append(
        f'<line class="chart-today" x1="{x(today):.1f}" y1="{top - 4}" x2="{x(today):.1f}" '
        f'y2="{height - 20}"/>'
    )
    anchor = "end" if x(today) > WIDTH * 0.7 else "start"
    shift = -4 if anchor == "end" else 4
    body.append(
        f'<text class="chart-tick" x="{x(today) + shift:.1f}" y="10" text-anchor="{anchor}">'
        f"today {today.isoformat()}</text>"
    )
    for index, event in enumerate(events):
        y = top + index * ROW
        mark = "chart-dot-b" if event.mine else "chart-dot-a"
        past = " chart-past" if event.on < today else ""
        body.append(
            f'<text class="chart-label{past}" x="0" y="{y + 12}">'
            f"{escape(_short(event.text + ' · ' + event.label))}</text>"
        )
        body.append(
            f'<line class="chart-axis" x1="{left}" y1="{y + 23}" x2="{right}" y2="{y + 23}"/>'
        )
        body.append(f'<circle class="{mark}{past}" cx="{x(event.on):.1f}" cy="{y + 23}" r="5"/>')
    bottom = top + len(events) * ROW
    for day, anchor in ((first, "start"), (last, "end")):
        body.append(
            f'<text class="chart-tick" x="{x(day):.1f}" y="{bottom + 14}" '
            f'text-anchor="{anchor}">{day.strftime("%b %Y")}</text>'
        )
    description = (
        "; ".join(f"{e.text}: {e.label}{' (your task)' if e.mine else ''}" for e in events)
        + f"; today is {today.isoformat()}"
    )
    return _svg(name, title, description, height, body)


# --- the charts of the pages ------------------------------------------------------------------


def specialty_rates(table: Any) -> Markup:
    """Match rate of each specialty (the Specialties page's table, drawn)."""
    rows = list(table.specialties)
    bars = [
        Bar(
            f"{s.name} ({s.code})",
            s.match_rate_pct,
            "not reported" if s.match_rate_pct is None else f"{s.match_rate_pct:g}%",
        )
        for s in rows
    ]
    return bar_chart("rates", "Match rate by specialty", bars, 100.0, "percent matched")


def specialty_scores(table: Any) -> Markup:
    """Step 2 CK medians of the matched and the unmatched, per specialty."""
    rows = list(table.specialties)
    pairs = [
        Pair(f"{s.name} ({s.code})", s.step2_matched_median, s.step2_unmatched_median)
        for s in rows
    ]
    values = [v for p in pairs for v in (p.matched, p.unmatched) if v is not None]
    low = 10 * (int(min(values, default=200)) // 10) - 10
    high = 10 * (int(max(values, default=280)) // 10) + 20
    return dot_chart(
        "step2", "USMLE Step 2 CK medians by specialty", pairs, low, high, ("matched", "unmatched")
    )


def cost_items(costs: Any) -> Markup:
    """Each cost item ahead, with unknown fees named rather than drawn."""
    lines = list(costs.lines)
    known = [line.amount_usd for line in lines if line.amount_usd is not None]
    bars = [
        Bar(
            line.title,
            None if line.amount_usd is None else float(line.amount_usd),
            "unknown: check the source" if line.amount_usd is None else line.label,
        )
        for line in lines
    ]
    return bar_chart("costs", "Costs ahead by item", bars, float(max(known, default=0)), "USD")


def _day_shown(entry: Any) -> str:
    """The day only (the full label, with the pattern of an estimate, is in the table)."""
    shown = entry.on.isoformat()
    return f"{shown} (est.)" if entry.date_kind.value == "estimated" else shown


def calendar_timeline(calendar: Any) -> Markup:
    """The dated entries of the calendar on one time axis, today marked."""
    events = [
        Event(e.title, e.on, e.kind.value == "task", _day_shown(e))
        for e in calendar.entries
        if e.on
    ]
    return timeline(
        "calendar", f"The {calendar.match_year} Match on a time line", events, calendar.as_of
    )
