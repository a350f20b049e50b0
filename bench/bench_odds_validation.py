"""Validation of the odds model (issue 6): fit on one year's per-specialty table, test on another.

Run: .venv/bin/python bench/bench_odds_validation.py [--test OTHER_YEAR.csv] [--train FIT.csv]

Writes the "Odds model" section of bench/README.md: per specialty the predicted and published
match rate of the test year, the error in percentage points and the Brier score beside that of
the training year's rate alone (see matchready.services.odds_validation). Our sources hold one
published year (Charting Outcomes: Non-U.S. IMGs, 2026), so without --test the run is in
sample and is labelled so; a user holding a second edition in the columns of the bundled
specialties.csv passes it with --test (or runs `matchready validate-odds FILE`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _report import publish
from matchready.data import load_facts
from matchready.services.odds_validation import (
    in_sample,
    read_specialty_table,
    summary,
    validate_odds,
)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", type=Path, help="another year's specialties table")
    parser.add_argument("--train", type=Path, help="the table to fit on (default: bundled)")
    parser.add_argument("--no-write", action="store_true", help="do not update README.md")
    args = parser.parse_args()

    facts = load_facts()
    train = read_specialty_table(args.train) if args.train else list(facts.specialties)
    test = read_specialty_table(args.test) if args.test else list(facts.specialties)
    rows = validate_odds(train, test, facts)
    totals = summary(rows)
    scored = [r for r in rows if r.reason is None]
    years = f"fitted on {scored[0].train_year}, tested on {scored[0].test_year}" if scored else ""
    lines = [
        "## Odds model (issue 6): validation per specialty",
        "",
        f"`bench/bench_odds_validation.py`: {years}; non-US IMGs who ranked the specialty "
        "first. Error = predicted minus published match rate of the test year; Brier = mean "
        "squared error of P(match) over the test year's applicants rebuilt from its cohort "
        "figures, beside the Brier score of the training year's rate alone.",
        "",
        "| specialty | IMGs (test) | train rate | test rate | predicted | error (points) "
        "| Brier | Brier, rate alone |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in scored:
        lines.append(
            f"| {row.specialty} | {row.applicants:,} | {pct(row.train_rate)} | "
            f"{pct(row.test_rate)} | {pct(row.predicted_rate)} | {row.error_points:+.1f} | "
            f"{row.brier:.3f} | {row.brier_baseline:.3f} |"
        )
    lines += [
        "",
        f"Over {totals.get('specialties', 0)} specialties ({totals.get('applicants', 0):,} "
        f"IMGs; the pooled row ALL left out): mean absolute error "
        f"{totals.get('mean_abs_error_points', 0.0):.2f} points, Brier "
        f"{totals.get('brier', 0.0):.3f} against {totals.get('brier_baseline', 0.0):.3f}.",
        "",
        "Not scored: "
        + "; ".join(f"{r.specialty} ({r.reason})" for r in rows if r.reason is not None)
        + ".",
    ]
    if in_sample(rows):
        lines += [
            "",
            "**In sample, not a validation.** Our sources hold per-specialty matched / "
            "not-matched figures for one year only (Charting Outcomes: Non-U.S. IMGs, 2026 "
            "Main Residency Match); the 2013 edition in the reference gives the matched "
            "cohort's mean Step 2 CK only and the 2020-2024 editions are marked UNVERIFIED. "
            "Fitted and tested on the same year, the model returns each published rate by "
            "construction (the errors above are sampling noise of the rebuilt cohorts), so "
            "the table checks the machinery and shows how much Step 2 CK and ranks separate "
            "the cohorts (Brier), not how the model carries over to another year. With a second "
            "edition in the columns of "
            "`packages/matchready-facts/src/matchready_facts/specialties.csv`: "
            "`bench/bench_odds_validation.py --test FILE` or `matchready validate-odds FILE`.",
        ]
    publish("odds", "\n".join(lines), write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
