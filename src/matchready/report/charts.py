"""Charts as inline SVG (matplotlib, no display needed). Each returns the SVG text."""

from __future__ import annotations

import io
from typing import Any

from matchready.domain.facts import SpecialtyStats
from matchready.services.odds import OddsEstimate


def _figure(width: float, height: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


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
    return _svg(figure)


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
    mids = [100 * v.probability for v in values]
    lows = [100 * (v.probability - v.low) for v in values]
    highs = [100 * (v.high - v.probability) for v in values]
    colors = ["#b3261e" if label == "as you are" else "#0b5cad" for label in labels]
    axes.barh(list(positions), mids, color=colors, alpha=0.75)
    axes.errorbar(mids, list(positions), xerr=[lows, highs], fmt="none", ecolor="black", capsize=3)
    axes.set_yticks(list(positions), labels, fontsize=8)
    axes.set_xlim(0, 100)
    axes.set_xlabel(f"P(match) in {estimate.specialty_name}, % (bars: median; lines: interval)")
    axes.grid(axis="x", alpha=0.3)
    return _svg(figure)
