"""Charts as inline SVG (matplotlib, no display needed). Each returns the SVG text."""

from __future__ import annotations

import html
import io
from typing import Any

from matchready.domain.applicant import Profile
from matchready.domain.facts import Facts, SpecialtyStats
from matchready.services.odds import CurvePoint, OddsCurves, OddsEstimate, odds_curves


def _figure(width: float, height: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def _svg(figure: Any, label: str = "") -> str:
    """The figure as inline SVG; with `label`, an accessible image (role, aria-label and a
    title element that browsers show on hover)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    if not label:
        return text
    safe = html.escape(label, quote=True)
    head = text.index(">") + 1
    opening = text[:head].replace("<svg", f'<svg role="img" aria-label="{safe}"', 1)
    return f"{opening}<title>{safe}</title>{text[head:]}"


def competitiveness_chart(specialties: list[SpecialtyStats], highlight: list[str]) -> str:
    """Match rate of non-US IMGs against the matched Step 2 CK median, one point per specialty."""
    figure, axes = _figure(7.5, 4.6)
    shown = [
        s
        for s in specialties
        if s.code != "ALL" and s.match_rate_pct is not None and s.step2_matched_median is not None
    ]
    for s in shown:
        mine = s.code in highlight
        size = 20 + (s.img_preferred or 0) / 25
        axes.scatter(
            s.step2_matched_median,
            s.match_rate_pct,
            s=size,
            color="#b3261e" if mine else "#0b5cad",
            alpha=0.9 if mine else 0.5,
            edgecolors="white",
        )
        axes.annotate(
            s.code,
            (s.step2_matched_median, s.match_rate_pct),
            fontsize=8,
            xytext=(4, 3),
            textcoords="offset points",
            fontweight="bold" if mine else None,
        )
    axes.set_xlabel("Median Step 2 CK of matched non-US IMGs")
    axes.set_ylabel("Match rate of non-US IMGs (%)")
    axes.grid(alpha=0.3)
    source = shown[0].as_of if shown else ""
    axes.set_title(
        f"Specialties, {source} Match (point size: IMGs who ranked it first)", fontsize=10
    )
    return _svg(figure, "Chart: non-US IMG match rate against matched Step 2 CK by specialty")


def odds_chart(estimate: OddsEstimate) -> str:
    """The estimate and each what-if with its interval, as horizontal bars."""
    figure, axes = _figure(7.5, 0.6 + 0.45 * (1 + len(estimate.what_ifs)))
    assert estimate.estimate is not None
    rows = [("as you are", estimate.estimate)] + [
        (w.label, w.estimate) for w in estimate.what_ifs if w.estimate is not None
    ]
    labels = [label for label, _ in rows][::-1]
    values = [r for _, r in rows][::-1]
    positions = range(len(values))
    mids = [100 * v.estimate for v in values]
    lows = [100 * (v.estimate - v.low) for v in values]
    highs = [100 * (v.high - v.estimate) for v in values]
    colors = ["#b3261e" if label == "as you are" else "#0b5cad" for label in labels]
    axes.barh(list(positions), mids, color=colors, alpha=0.75)
    axes.errorbar(mids, list(positions), xerr=[lows, highs], fmt="none", ecolor="black", capsize=3)
    axes.set_yticks(list(positions), labels, fontsize=8)
    axes.set_xlim(0, 100)
    axes.set_xlabel(f"P(match) in {estimate.specialty_name}, % (bars: median; lines: interval)")
    axes.grid(axis="x", alpha=0.3)
    return _svg(figure, f"Chart: P(match) in {estimate.specialty_name} and what-ifs")


# Line and bar charts drawn as plain SVG (no matplotlib: milliseconds, so the web page can
# draw them on every request; text stays text for screen readers and search).
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 34, 46


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _open(label: str, title: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(label)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        'font-family="sans-serif" font-size="11">',
        f"<title>{_e(label)}</title>",
        f'<text x="{WIDTH / 2}" y="16" text-anchor="middle" font-size="12">{_e(title)}</text>',
    ]


def _line_chart(
    points: list[CurvePoint],
    medians: tuple[float, float],
    you: float | None,
    x_label: str,
    title: str,
    label: str,
    color: str,
) -> str:
    xs = [p.x for p in points]
    lo_x, hi_x = min(xs), max(xs)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return LEFT + (x - lo_x) / (hi_x - lo_x) * plot_w

    def sy(p: float) -> float:
        return TOP + (1 - p) * plot_h

    out = _open(label, title)
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = sy(tick)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:.0%}</text>'
        )
    step = max(1, round(len(xs) / 8))
    for x in xs[::step]:
        out.append(
            f'<text x="{sx(x):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{x:g}</text>'
        )
    band = [f"{sx(p.x):.1f},{sy(p.high):.1f}" for p in points]
    band += [f"{sx(p.x):.1f},{sy(p.low):.1f}" for p in reversed(points)]
    out.append(f'<polygon points="{" ".join(band)}" fill="{color}" fill-opacity="0.18"/>')
    line = " ".join(f"{sx(p.x):.1f},{sy(p.probability):.1f}" for p in points)
    out.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2.5"/>')
    marks = [
        (medians[0], "#1b7f3b", "6 3", "matched median"),
        (medians[1], "#b3261e", "2 3", "unmatched median"),
    ]
    for n, (x, stroke, dash, name) in enumerate(marks):
        if lo_x <= x <= hi_x:
            out.append(
                f'<line x1="{sx(x):.1f}" x2="{sx(x):.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
                f'stroke="{stroke}" stroke-dasharray="{dash}" stroke-width="1.5"/>'
                f'<text x="{sx(x) + 3:.1f}" y="{TOP + 12 + 13 * n}" fill="{stroke}">'
                f"{_e(name)} {x:g}</text>"
            )
    if you is not None and lo_x <= you <= hi_x:
        out.append(
            f'<line x1="{sx(you):.1f}" x2="{sx(you):.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
            f'stroke="black" stroke-width="1"/>'
            f'<text x="{sx(you) + 3:.1f}" y="{TOP + plot_h - 6}">you</text>'
        )
    middle = TOP + plot_h / 2
    out.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 10}" text-anchor="middle">'
        f"{_e(x_label)}</text>"
        f'<text x="14" y="{middle}" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle})">P(match)</text>'
    )
    out.append("</svg>")
    return "".join(out)


def step2ck_chart(curves: OddsCurves) -> str:
    """P(match) against Step 2 CK at the applicant's number of ranked programs."""
    at = f"{curves.your_ranks} ranked programs" if curves.your_ranks else "ranks not given"
    return _line_chart(
        curves.step2ck,
        curves.step2ck_medians,
        curves.your_step2ck,
        "Step 2 CK score",
        f"{curves.specialty_name}: P(match) by Step 2 CK ({at}; odds model, 90% band)",
        f"Chart: P(match) in {curves.specialty_name} against Step 2 CK, with the published "
        f"matched ({curves.step2ck_medians[0]:g}) and unmatched ({curves.step2ck_medians[1]:g}) "
        "medians marked",
        "#0b5cad",
    )


def ranks_chart(curves: OddsCurves) -> str:
    """P(match) against the number of ranked programs (interviews) at the applicant's score."""
    score = f"Step 2 CK {curves.your_step2ck}" if curves.your_step2ck else "no Step 2 CK"
    return _line_chart(
        curves.ranks,
        curves.ranks_medians,
        curves.your_ranks,
        "Programs ranked (each needs an interview)",
        f"{curves.specialty_name}: P(match) by programs ranked ({score}; odds model)",
        f"Chart: P(match) in {curves.specialty_name} against the number of programs ranked, "
        f"with the published matched ({curves.ranks_medians[0]:g}) and unmatched "
        f"({curves.ranks_medians[1]:g}) medians marked",
        "#6a3fa0",
    )


def specialties_odds_chart(estimates: list[OddsEstimate]) -> str:
    """The applicant's P(match) with its interval in each target specialty (horizontal bars;
    a specialty without an estimate is listed with the reason's first words)."""
    row, left = 26, 200
    height = TOP + row * max(len(estimates), 1) + 30
    plot_w = WIDTH - left - RIGHT
    shown = "; ".join(
        f"{e.specialty} {e.estimate.estimate:.0%}" if e.estimate else f"{e.specialty} none"
        for e in estimates
    )
    out = _open(
        f"Chart: your P(match) in each target specialty: {shown}",
        "Your P(match) by target specialty (odds model; lines: 90% interval)",
        height,
    )
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = left + tick * plot_w
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{height - 24}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{tick:.0%}</text>'
        )
    for n, e in enumerate(estimates):
        y = TOP + n * row
        out.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">'
            f"{_e(e.specialty_name)} ({_e(e.specialty)})</text>"
        )
        if e.estimate is None:
            out.append(f'<text x="{left + 4}" y="{y + 16}" fill="#666">no estimate</text>')
            continue
        v = e.estimate
        out.append(
            f'<rect x="{left}" y="{y + 5}" width="{v.estimate * plot_w:.1f}" height="16" '
            f'fill="#0b5cad" fill-opacity="0.75"/>'
            f'<line x1="{left + v.low * plot_w:.1f}" x2="{left + v.high * plot_w:.1f}" '
            f'y1="{y + 13}" y2="{y + 13}" stroke="black" stroke-width="1.5"/>'
            f'<text x="{left + v.high * plot_w + 6:.1f}" y="{y + 17}">{v.estimate:.0%}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def odds_charts(
    profile: Profile, facts: Facts, estimate: OddsEstimate, ranks: int | None
) -> list[str]:
    """One specialty's curves (P(match) against Step 2 CK and against programs ranked), for
    the report and the web Odds page alike; none where the model gives no number."""
    if estimate.estimate is None:
        return []
    curves = odds_curves(profile, facts, estimate.specialty, ranks)
    return [] if curves is None else [step2ck_chart(curves), ranks_chart(curves)]
