"""Re-fit the market simulator's calibrated parameters and write them to the data file.

Run: .venv/bin/python bench/calibrate_simulator.py [--scale 1.0] [--seeds 4] [--rounds 10]

The fit moves five parameters on the logit scale until the simulated PGY-1 match rates by
applicant type (mean over common seeds) meet the published ones of the latest Match in the
facts: US MD seniors' rate moves the seniors' median interviews; DO seniors', US IMGs',
non-US IMGs' and other applicants' rates move their quality shift (US MD seniors' is 0).
Writes src/matchready/data/simulator_calibration.toml with the date, the method and the result.
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
    Parameters,
    dump_calibration,
    fit,
    load_calibration,
)
from matchready.simulation.layout import TYPE_LABELS, Layout, build_layout
from matchready.simulation.market import run_market
from matchready.simulation.runner import run_seeds

DATA = Path(__file__).parents[1] / "src" / "matchready" / "data" / CALIBRATION_FILE


def measure(layout: Layout, seeds: Sequence[int], parameters: Parameters) -> list[float]:
    runs = run_seeds(partial(run_market, layout, parameters), list(seeds), workers=2)
    return [float(x) for x in np.mean([r.rates for r in runs], axis=0)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--first-seed", type=int, default=1000)
    args = parser.parse_args()
    layout = build_layout(load_facts(), args.year, args.scale)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    targets = list(layout.published_rates)
    start = load_calibration(DATA).parameters

    def report(round_: int, params: Parameters, rates: Sequence[float]) -> None:
        shown = ", ".join(f"{r:.1f}" for r in rates)
        shifts = ", ".join(f"{s:.3f}" for s in params.rank_share)
        print(
            f"round {round_}: rates [{shown}] rank shares [{shifts}]",
            flush=True,
        )

    fitted, rates = fit(
        partial(measure, layout, seeds), targets, start, rounds=args.rounds, report=report
    )
    calibration = Calibration(
        parameters=fitted,
        fitted_on=datetime.now(UTC).strftime("%Y-%m-%d"),
        method=(
            f"damped logit fixed-point iteration ({args.rounds} rounds, the best kept) on the "
            f"mean PGY-1 rates by type over common seeds; bench/calibrate_simulator.py"
        ),
        match_year=args.year,
        scale=args.scale,
        seeds=tuple(seeds),
        published=tuple(round(t, 2) for t in targets),
        simulated=tuple(round(r, 2) for r in rates),
        notes=(
            "Targets: NRMP PGY-1 match rates by type (outcomes.csv); other applicants' rate "
            "is derived (all matched minus the four types, over the others).",
        ),
    )
    DATA.write_text(dump_calibration(calibration))
    for label, target, rate in zip(TYPE_LABELS, targets, rates, strict=True):
        print(f"{label:18} published {target:5.1f}%  simulated {rate:5.1f}%")
    print(f"wrote {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
