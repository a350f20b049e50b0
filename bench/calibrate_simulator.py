"""Re-fit the market simulator's calibrated parameters and write them to the data file.

Run: .venv/bin/python bench/calibrate_simulator.py [--scale 1.0] [--seeds 40] [--rounds 14]

The fit moves, on the logit scale, the chance that a program ranks an interviewee of each
applicant type (five rank shares: the PGY-1 match rates by type of the latest Main Match) and of
a non-US IMG per specialty (one share per calibrated specialty: Charting Outcomes' rate of non-US
IMGs matched to the specialty they ranked first), until the simulated rates (mean over common
seeds) meet the published ones. Specialties whose matched cohort Charting Outcomes suppresses are
left uncalibrated and say so. Writes src/matchready/data/simulator_calibration.toml with the
date, the method and the residuals; `bench/bench_sim_calibration.py` checks the result on other
seeds and adds the odds-model agreement.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np

from matchready.data import load_facts
from matchready.simulation.calibration import (
    CALIBRATION_FILE,
    Calibration,
    Measured,
    Parameters,
    SpecialtyFit,
    dump_calibration,
    fit,
    load_calibration,
)
from matchready.simulation.layout import TYPE_LABELS, Layout, build_layout
from matchready.simulation.market import MarketRun, run_market
from matchready.simulation.runner import run_seeds

DATA = Path(__file__).parents[1] / "src" / "matchready" / "data" / CALIBRATION_FILE


def summarise_runs(layout: Layout, runs: Sequence[MarketRun]) -> Measured:
    """Mean PGY-1 rates by type; per specialty, all seeds' non-US IMGs pooled."""
    hits = np.sum([r.specialty_hits for r in runs], axis=0)
    totals = np.sum([r.specialty_totals for r in runs], axis=0)
    codes = layout.specialties[:-1]
    return Measured(
        types=tuple(float(x) for x in np.mean([r.rates for r in runs], axis=0)),
        specialties={
            code: 100.0 * float(hits[i]) / max(float(totals[i]), 1.0)
            for i, code in enumerate(codes)
        },
    )


def measure(
    layout: Layout, seeds: Sequence[int], workers: int, parameters: Parameters
) -> Measured:
    runs = run_seeds(partial(run_market, layout, parameters), list(seeds), workers=workers)
    return summarise_runs(layout, runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=14)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gain", type=float, default=1.2)
    parser.add_argument("--out", type=Path, default=DATA, help="where to write the file")
    parser.add_argument("--average-last", type=int, default=0, help="average the last K rounds")
    args = parser.parse_args()
    layout = build_layout(load_facts(), args.year, args.scale)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    targets = list(layout.published_rates)
    specialty_targets = {t.code: t.rate for t in layout.specialty_targets if t.calibrated}
    start = load_calibration(DATA).parameters

    def report(round_: int, _params: Parameters, measured: Measured) -> None:
        types = ", ".join(f"{r:.1f}" for r in measured.types)
        worst = max(
            specialty_targets, key=lambda c: abs(measured.specialties[c] - specialty_targets[c])
        )
        gap = measured.specialties[worst] - specialty_targets[worst]
        print(f"round {round_}: types [{types}]; worst specialty {worst} {gap:+.1f}", flush=True)

    fitted, measured = fit(
        partial(measure, layout, seeds, args.workers),
        targets,
        specialty_targets,
        start,
        rounds=args.rounds,
        gain=args.gain,
        report=report,
        average_last=args.average_last,
    )
    rows = tuple(
        SpecialtyFit(
            code=t.code,
            published=round(t.rate, 2),
            simulated=round(measured.specialties[t.code], 2),
            status="calibrated" if t.calibrated else f"uncalibrated: {t.reason}",
        )
        for t in layout.specialty_targets
    )
    calibration = Calibration(
        parameters=fitted,
        fitted_on=datetime.now(UTC).strftime("%Y-%m-%d"),
        method=(
            f"damped logit fixed-point iteration ({args.rounds} rounds, gain {args.gain:g}, "
            + (
                f"the logit-mean of the last {args.average_last} rounds kept"
                if args.average_last
                else "the best kept"
            )
            + ") of the rank shares of US MD, DO, US IMG and other applicants, "
            "non-US IMGs' backup share and one rank share per calibrated specialty, on "
            "the mean PGY-1 rates by type and the pooled non-US IMG rates by preferred specialty "
            "over common seeds; bench/calibrate_simulator.py"
        ),
        match_year=args.year,
        scale=args.scale,
        seeds=tuple(seeds),
        published=tuple(round(t, 2) for t in targets),
        simulated=tuple(round(r, 2) for r in measured.types),
        notes=(
            "Targets by type: NRMP PGY-1 match rates of the Main Match (outcomes.csv); other "
            "applicants' rate is derived (all matched minus the four types, over the others).",
            "Targets by specialty: non-US IMGs matched to the specialty / non-US IMGs who ranked "
            "it first, NRMP Charting Outcomes 2026 (specialties.csv).",
        ),
        specialties=rows,
    )
    args.out.write_text(dump_calibration(calibration))
    for label, target, rate in zip(TYPE_LABELS, targets, measured.types, strict=True):
        print(f"{label:18} published {target:5.1f}%  simulated {rate:5.1f}%")
    for row in rows:
        shown = f"published {row.published:5.1f}%  simulated {row.simulated:5.1f}%"
        print(f"{row.code:9} {shown}  {row.status}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
