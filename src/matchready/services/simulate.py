"""Use case: "simulate my odds": the market simulation and the odds model for the same inputs,
reconciled into one answer.

The odds model (services/odds.py: Bayes' rule on Charting Outcomes' cohorts) is fast and reads
the specialty tables; the market simulator (simulation/study.py) runs seeded national markets
through the Match engine and answers what-ifs. Both give P(match to the target specialty) for
the applicant's Step 2 CK and number of ranked programs. The headline is one figure with its
interval: the simulator's, with the odds model's beside it, and either they agree (the
simulator's estimate is inside the model's interval or within the specialty's stated tolerance)
or the result says why they differ.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from matchready.domain.applicant import ImmigrationStatus, Profile
from matchready.domain.facts import Facts
from matchready.domain.interval import Interval
from matchready.services.odds import (
    OddsEstimate,
    Unsupported,
    agreement_tolerance,
    estimate_odds,
    unsupported_inputs,
)
from matchready.simulation.applicant import Strategy
from matchready.simulation.calibration import load_calibration
from matchready.simulation.runner import Engine, Progress
from matchready.simulation.study import (
    DEFAULT_RUNS,
    DEFAULT_SCALE,
    SimulationReport,
    simulate_applicant,
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Agreement(_Out):
    """The two views of one P(match to the specialty), compared."""

    odds_model: Interval | None = Field(description="The odds model's median and 90% interval")
    simulator: Interval = Field(description="The market simulator's estimate, Wilson 95%")
    difference_points: float | None = Field(description="Simulator minus odds model, points")
    tolerance_points: float = Field(description="The stated tolerance for this specialty")
    agrees: bool | None = Field(description="None when the odds model gives no number")
    reasons: list[str] = Field(description="Why the two can differ for these inputs")

    def summary(self) -> str:
        if self.odds_model is None or self.difference_points is None:
            return "The odds model gives no number here; the market simulation stands alone."
        both = (
            f"market simulation {self.simulator}, odds model {self.odds_model} "
            f"({self.difference_points:+.0f} points)"
        )
        if self.agrees:
            return (
                f"The two views agree: {both}, within the stated "
                f"{self.tolerance_points:g}-point tolerance for this specialty."
            )
        return (
            f"The two views differ: {both}, beyond the stated {self.tolerance_points:g}-point "
            "tolerance; see why below."
        )


class SimulatedOdds(_Out):
    """One answer to "what are my odds" with its two views."""

    specialty: str
    headline: str
    agreement: Agreement
    simulation: SimulationReport
    odds_model: OddsEstimate
    unsupported: list[Unsupported]


def agreement_of(
    profile: Profile, strategy: Strategy, estimate: OddsEstimate, report: SimulationReport
) -> Agreement:
    """Compare the simulator's P(match to the specialty) with the odds model's."""
    sim = report.in_specialty
    model = estimate.estimate
    tolerance = agreement_tolerance(estimate.cohort_size)
    reasons = _reasons(profile, strategy, estimate, report)
    if model is None:
        return Agreement(
            odds_model=None,
            simulator=sim,
            difference_points=None,
            tolerance_points=tolerance,
            agrees=None,
            reasons=[f"The odds model refuses: {estimate.refused}.", *reasons],
        )
    gap = 100 * (sim.estimate - model.estimate)
    inside = model.low <= sim.estimate <= model.high
    return Agreement(
        odds_model=model,
        simulator=sim,
        difference_points=gap,
        tolerance_points=tolerance,
        agrees=inside or abs(gap) <= tolerance,
        reasons=reasons,
    )


def _reasons(
    profile: Profile, strategy: Strategy, estimate: OddsEstimate, report: SimulationReport
) -> list[str]:
    """What differs between the two views for these inputs (always said, agreeing or not)."""
    found = [
        "The odds model is Bayes' rule on the published matched and unmatched cohorts; the "
        "simulator is a calibrated market in which you compete for places: they share the "
        "published rate, not their form.",
    ]
    far = estimate.ranks_far
    if far is not None and strategy.ranks > far:
        found.append(
            f"You rank {strategy.ranks} programs, beyond twice the matched median ({far:g}): "
            "the odds model extrapolates its ranks evidence towards 100%, while the simulator "
            "runs out of programs that would rank you."
        )
    if profile.applicant.immigration_status is ImmigrationStatus.US_CITIZEN:
        found.append(
            "As a US citizen you are a US IMG: the odds model shifts non-US IMGs' figures by one "
            "overall odds ratio; the simulator uses US IMGs' own type rate with non-US IMGs' "
            "per-specialty figures standing in (no US-IMG table in our sources)."
        )
    if strategy.prelim or (strategy.also and strategy.also_ranks):
        found.append(
            "Your strategy also ranks preliminary or other-specialty programs: they count in the "
            "simulator's P(PGY-1 match), not in the specialty figure compared here."
        )
    measured = measured_difference(strategy.specialty)
    if measured:
        found.append(measured)
    if report.warnings:
        found += report.warnings
    return found


def measured_difference(code: str) -> str | None:
    """Where the calibration's bench found the two views apart for the specialty's typical
    applicant, the reason, said on every result for it."""
    fitted = load_calibration().specialty(code)
    if fitted is None or fitted.agrees is not False:
        return None
    higher = (fitted.simulator or 0.0) > (fitted.odds_model or 0.0)
    return (
        f"For {code}'s typical applicant the bench measured the simulator at "
        f"{fitted.simulator:.0f}% and the odds model at {fitted.odds_model:.0f}%, outside its "
        f"interval and beyond the {fitted.tolerance:g}-point tolerance. The market is fitted "
        "to the match rate of the specialty's whole cohort; the odds model to how the matched "
        "and unmatched applicants' Step 2 CK and ranks differ, so for an applicant away from "
        f"the cohort's medians the odds model moves {'more' if higher else 'less'} than the "
        "market does. Read the odds model's figure as the one tied to applicant-level data."
    )


def simulate_odds(
    profile: Profile,
    facts: Facts,
    strategy: Strategy,
    *,
    runs: int = DEFAULT_RUNS,
    scale: float = DEFAULT_SCALE,
    seed: int = 0,
    engine: Engine = Engine.LOCAL,
    workers: int | None = None,
    address: str | None = None,
    progress: Progress | None = None,
) -> SimulatedOdds:
    """The simulation of `strategy` and the odds model for the same inputs, reconciled."""
    report = simulate_applicant(
        profile,
        facts,
        strategy,
        runs=runs,
        scale=scale,
        seed=seed,
        engine=engine,
        workers=workers,
        address=address,
        progress=progress,
    )
    estimate = estimate_odds(profile, facts, strategy.specialty, strategy.ranks)
    agreement = agreement_of(profile, strategy, estimate, report)
    headline = (
        f"P(match to {strategy.specialty}) ≈ {agreement.simulator} (market simulation, 95% "
        "interval)"
    )
    if agreement.odds_model is not None:
        headline += f"; odds model {agreement.odds_model} (90% interval)"
    return SimulatedOdds(
        specialty=strategy.specialty,
        headline=headline,
        agreement=agreement,
        simulation=report,
        odds_model=estimate,
        unsupported=unsupported_inputs(profile),
    )
