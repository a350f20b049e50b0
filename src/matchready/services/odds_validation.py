"""Use case: validate the odds model on another year's published figures (issue 6).

The model is fitted on one year's per-specialty table (``train``: the match rate, the matched and
not-matched cohorts' Step 2 CK and contiguous ranks) and tested on another year's (``test``).
NRMP publishes no applicant-level data, so the test year's applicants are rebuilt from its own
cohort figures: applicants drawn from its matched cohort's distributions and from its not-matched
cohort's, weighted by its match rate, with the distributions the model itself assumes (normal
Step 2 CK with the facts' within-cohort SD, log-normal contiguous ranks, not rounded). Each
rebuilt applicant gets the trained model's P(match); per specialty the result gives

* the predicted match rate (the mean P) against the test year's published rate: the
  calibration error, in percentage points;
* the Brier score (mean squared error of P against matched = 1 / not matched = 0) beside the
  Brier score of predicting the training year's rate for everyone: below it, the model's use of
  Step 2 CK and ranks carried over to the other year.

Fitted and tested on the same year, the predicted rate equals the published one up to sampling
noise (the model is Bayes' rule on those figures), so that run is an in-sample check only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from matchready.data.loader import read_fact_rows
from matchready.domain import odds
from matchready.domain.facts import Facts, SpecialtyStats
from matchready.errors import DataFileError, Location, Problem
from matchready.services.odds import cohorts_of

SAMPLES = 20_000  # rebuilt applicants per cohort
SEED = 20260601
POOLED = "ALL"


class ValidationRow(BaseModel):
    """One specialty: the trained model's prediction for the test year, or why there is none."""

    model_config = ConfigDict(frozen=True)

    specialty: str
    name: str
    train_year: str
    test_year: str
    applicants: int | None = Field(default=None, description="Test year: IMGs who ranked it first")
    train_rate: float | None = None
    test_rate: float | None = None
    predicted_rate: float | None = None
    error_points: float | None = Field(
        default=None, description="Predicted minus published test-year rate, percentage points"
    )
    brier: float | None = None
    brier_baseline: float | None = Field(
        default=None, description="Brier score of predicting the training year's rate for all"
    )
    reason: str | None = Field(default=None, description="Why this specialty is not scored")


def read_specialty_table(path: Path) -> list[SpecialtyStats]:
    """A per-specialty table in the format of the bundled `specialties.csv` (another year's
    Charting Outcomes, say). Raises DataFileError naming every bad row and field."""
    rows, problems = read_fact_rows(path, SpecialtyStats)
    if problems:
        raise DataFileError(problems)
    if not rows:
        raise DataFileError(Problem("no specialty rows", Location(file=str(path))))
    return rows


def _cohort(
    rng: np.random.Generator, size: int, step2: float, sd: float, median: float, log_sd: float
) -> tuple[odds.Array, odds.Array]:
    scores = rng.normal(step2, sd, size)
    ranks = rng.lognormal(math.log(median), log_sd, size)
    return scores, ranks


def _score(train: odds.Cohorts, test: odds.Cohorts, seed: int) -> tuple[float, float, float]:
    """Predicted rate, Brier score and baseline Brier score of `train`'s model on `test`."""
    rng = np.random.default_rng(seed)
    model = odds.point(train)
    sd = (test.sd_low + test.sd_high) / 2
    matched = _cohort(
        rng, SAMPLES, test.step2_matched, sd, test.ranks_matched_median, test.ranks_log_sd
    )
    unmatched = _cohort(
        rng, SAMPLES, test.step2_unmatched, sd, test.ranks_unmatched_median, test.ranks_log_sd
    )
    p_matched = odds.probability_of(model, *matched)
    p_unmatched = odds.probability_of(model, *unmatched)
    weight = test.rate
    predicted = weight * float(p_matched.mean()) + (1 - weight) * float(p_unmatched.mean())
    brier = weight * float(np.mean((1 - p_matched) ** 2)) + (1 - weight) * float(
        np.mean(p_unmatched**2)
    )
    baseline = weight * (1 - train.rate) ** 2 + (1 - weight) * train.rate**2
    return predicted, brier, baseline


def validate_odds(
    train: Sequence[SpecialtyStats],
    test: Sequence[SpecialtyStats],
    facts: Facts,
    seed: int = SEED,
) -> list[ValidationRow]:
    """Every specialty of `test`, scored with the model fitted on `train` (same code), in the
    order of `test`; a specialty either side cannot support is listed with the reason."""
    trained = {s.code: s for s in train}
    rows = []
    for index, stats in enumerate(test):
        known = trained.get(stats.code)
        base = {
            "specialty": stats.code,
            "name": stats.name,
            "test_year": stats.as_of,
            "train_year": known.as_of if known else "unknown",
        }
        if known is None:
            rows.append(ValidationRow(**base, reason="not in the training table"))
            continue
        fitted, tested = cohorts_of(known, facts), cohorts_of(stats, facts)
        if isinstance(fitted, str) or isinstance(tested, str):
            why = fitted if isinstance(fitted, str) else tested
            rows.append(ValidationRow(**base, reason=why))
            continue
        predicted, brier, baseline = _score(fitted, tested, seed + index)
        rows.append(
            ValidationRow(
                **base,
                applicants=tested.preferred,
                train_rate=fitted.rate,
                test_rate=tested.rate,
                predicted_rate=predicted,
                error_points=100 * (predicted - tested.rate),
                brier=brier,
                brier_baseline=baseline,
            )
        )
    return rows


def in_sample(rows: Sequence[ValidationRow]) -> bool:
    """Were the scored specialties fitted and tested on the same year (no validation, then)?"""
    scored = [r for r in rows if r.reason is None]
    return bool(scored) and all(r.train_year == r.test_year for r in scored)


def kind_of(rows: Sequence[ValidationRow]) -> str:
    """What the run is: with one year of data (fitted and tested on the same table) only a
    consistency check; a validation when the test table is another year's."""
    if in_sample(rows):
        year = next(r.test_year for r in rows if r.reason is None)
        return f"consistency check (one year of data: fitted and tested on {year})"
    years = sorted({(r.train_year, r.test_year) for r in rows if r.reason is None})
    shown = ", ".join(f"fitted on {a}, tested on {b}" for a, b in years) or "nothing scored"
    return f"validation ({shown})"


def summary(rows: Sequence[ValidationRow]) -> dict[str, float | int]:
    """Applicant-weighted mean absolute calibration error and Brier scores over the scored
    specialties (the pooled row, code ALL, is left out: it holds the others)."""
    scored = [r for r in rows if r.applicants and r.reason is None and r.specialty != POOLED]
    total = sum(r.applicants or 0 for r in scored)
    if not total:
        return {"specialties": 0}

    def weighted(values: list[float]) -> float:
        return sum(v * (r.applicants or 0) for v, r in zip(values, scored, strict=True)) / total

    return {
        "specialties": len(scored),
        "applicants": total,
        "mean_abs_error_points": weighted([abs(r.error_points or 0.0) for r in scored]),
        "brier": weighted([r.brier or 0.0 for r in scored]),
        "brier_baseline": weighted([r.brier_baseline or 0.0 for r in scored]),
    }
