"""Use case: estimate an applicant's odds of matching in a specialty, with range and what-ifs."""

from __future__ import annotations

import functools
import math

from pydantic import BaseModel, ConfigDict, Field

from matchready.domain import odds
from matchready.domain.applicant import Profile, StepStatus
from matchready.domain.facts import ApplicantType, Facts, SpecialtyStats
from matchready.domain.interval import Interval, WhatIf
from matchready.domain.report import Citation
from matchready.simulation.calibration import Calibration, load_calibration

DRAWS = 4000
SEED = 20260320  # fixed: the same profile always gets the same range
LEVEL = 0.9

NOT_TABULATED = (
    "not estimable: NRMP's Charting Outcomes (non-US IMGs, 2026) does not tabulate {what}, and "
    "our sources give no other figure"
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Unsupported(_Out):
    """An input the figures cannot support: named with the applicant's value and what would
    be needed, never silently dropped."""

    name: str
    value: str
    why: str
    needed: str

    def sentence(self) -> str:
        return f"Not used: {self.name} ({self.value}): {self.why}; would need {self.needed}."


class OddsEstimate(_Out):
    specialty: str
    specialty_name: str
    applicant_type: ApplicantType | None = Field(description="The NRMP type of the figures used")
    data_year: str
    estimate: Interval | None
    refused: str | None = Field(default=None, description="Why no number is given")
    inputs: dict[str, str]
    what_ifs: list[WhatIf]
    context: list[str]
    assumptions: list[str]
    citations: list[Citation]
    unsupported: list[Unsupported] = Field(default_factory=list)
    cohort_size: int | None = Field(
        default=None, description="Non-US IMGs who ranked the specialty first (published)"
    )
    ranks_far: float | None = Field(
        default=None, description="Twice the matched median ranks: beyond it, extrapolation"
    )
    simulator_check: str | None = Field(
        default=None, description="How the market simulator compares, from its calibration"
    )


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


def cohorts_of(stats: SpecialtyStats, facts: Facts) -> odds.Cohorts | str:
    """The figures the model needs (means where published, else medians), or why not."""
    s2m = _first(stats.step2_matched_mean, stats.step2_matched_median)
    s2u = _first(stats.step2_unmatched_mean, stats.step2_unmatched_median)
    crm = stats.contiguous_ranks_matched_median
    cru = stats.contiguous_ranks_unmatched_median
    matched, preferred = stats.img_matched, stats.img_preferred
    named = {
        "match rate": matched if preferred is not None else None,
        "Step 2 CK of matched applicants": s2m,
        "Step 2 CK of unmatched applicants": s2u,
        "median contiguous ranks of matched applicants": crm,
        "median contiguous ranks of unmatched applicants": cru,
    }
    missing = [name for name, value in named.items() if value is None]
    if (
        missing
        or matched is None
        or preferred is None
        or s2m is None
        or s2u is None
        or crm is None
        or cru is None
    ):
        return f"not published for {stats.name}: " + ", ".join(missing)
    if matched < odds.MIN_MATCHED:
        return (
            f"too few data: only {matched} non-US IMGs matched in {stats.name} "
            f"({stats.as_of}); at least {odds.MIN_MATCHED} are needed for an estimate"
        )
    sd_low = facts.rule("odds.step2ck_cohort_sd_low")
    sd_high = facts.rule("odds.step2ck_cohort_sd_high")
    if sd_low is None or sd_high is None:
        return "the Step 2 CK spread within cohorts is not in our facts"
    return odds.Cohorts(
        matched=matched,
        preferred=preferred,
        step2_matched=s2m,
        step2_unmatched=s2u,
        ranks_matched_median=crm,
        ranks_unmatched_median=cru,
        ranks_log_sd=ranks_spread(stats, facts),
        sd_low=sd_low.number(),
        sd_high=sd_high.number(),
    )


def _spreads(stats: SpecialtyStats) -> list[float]:
    found = [
        odds.log_sd(median, mean)
        for median, mean in (
            (stats.contiguous_ranks_matched_median, stats.contiguous_ranks_matched_mean),
            (stats.contiguous_ranks_unmatched_median, stats.contiguous_ranks_unmatched_mean),
        )
        if median is not None
    ]
    return [s for s in found if s is not None]


def ranks_spread(stats: SpecialtyStats, facts: Facts) -> float:
    """The common log-SD of contiguous ranks: from this specialty's means and medians, or,
    where only medians are published, the average over the specialties that publish both."""
    own = _spreads(stats)
    if own:
        return math.sqrt(sum(s * s for s in own) / len(own))
    pooled = [s for other in facts.specialties for s in _spreads(other)]
    return math.sqrt(sum(s * s for s in pooled) / len(pooled))


def _type_shift(profile: Profile, facts: Facts) -> tuple[ApplicantType, float, list[str]]:
    """US-citizen IMGs: shift the log-odds by the overall US-IMG / non-US-IMG odds ratio."""
    if profile.applicant_type is ApplicantType.NON_US_IMG:
        return ApplicantType.NON_US_IMG, 0.0, []
    us = facts.outcome(ApplicantType.US_IMG)
    other = facts.outcome(ApplicantType.NON_US_IMG, us.match_year if us else None)
    if us is None or other is None:
        return ApplicantType.US_IMG, 0.0, ["US IMG results are not in our facts: no adjustment."]

    def log_odds(pct: float) -> float:
        return math.log(pct / (100 - pct))

    shift = log_odds(us.rate) - log_odds(other.rate)
    note = (
        f"Stand-in: as a US citizen you are a US IMG, but our sources hold no per-specialty "
        f"US-IMG table, so non-US IMGs' figures stand in, their odds multiplied by "
        f"{math.exp(shift):.2f}, the ratio of the overall PGY-1 match odds of US IMGs "
        f"({us.rate:.1f}%, US-IMG figure) and non-US IMGs ({other.rate:.1f}%) in "
        f"{us.match_year}."
    )
    return ApplicantType.US_IMG, shift, [note]


@functools.lru_cache(maxsize=64)
def _draws(cohorts: odds.Cohorts) -> odds.Draws:
    """The parameter draws of one specialty: fixed by the seed, so computed once per process."""
    return odds.draw(cohorts, DRAWS, SEED)


@functools.lru_cache(maxsize=4096)
def _estimate(
    cohorts: odds.Cohorts, score: float | None, ranks: float | None, shift: float
) -> Interval:
    """The median and interval of P(match) over the specialty's draws (pure, so cached)."""
    return _range(_values(cohorts, score, ranks, shift))


def _values(
    cohorts: odds.Cohorts, score: float | None, ranks: float | None, shift: float
) -> odds.Array:
    return odds.probability(_draws(cohorts), score, ranks, shift)


def _range(values: odds.Array) -> Interval:
    mid, low, high = odds.summarise(values, LEVEL)
    return Interval(estimate=mid, low=low, high=high, level=LEVEL)


def estimate_odds(
    profile: Profile, facts: Facts, specialty: str, ranks: int | None = None
) -> OddsEstimate:
    """P(match) in `specialty` with its interval and what-ifs; refused where data is lacking."""
    stats = facts.specialty(specialty)
    exam = profile.exams.step2ck
    score = exam.score if exam.passed and exam.score is not None else None
    inputs = {
        "Step 2 CK": str(score) if score is not None else "not known (left out)",
        "programs ranked": str(ranks) if ranks is not None else "not given (left out)",
    }
    if stats is None:
        return OddsEstimate(
            specialty=specialty,
            specialty_name=specialty,
            applicant_type=None,
            data_year="",
            estimate=None,
            refused=f"no published figures for '{specialty}' in our sources",
            inputs=inputs,
            what_ifs=[],
            context=[],
            assumptions=[],
            citations=[],
        )
    kind, shift, assumptions = _type_shift(profile, facts)
    cohorts = cohorts_of(stats, facts)
    common = {
        "specialty": stats.code,
        "specialty_name": stats.name,
        "applicant_type": kind,
        "data_year": stats.as_of,
        "inputs": inputs,
        "context": _context(stats),
        "citations": [Citation.of(stats)],
        "unsupported": unsupported_inputs(profile),
        "cohort_size": stats.img_preferred,
        "simulator_check": simulator_check(stats.code),
    }
    if isinstance(cohorts, str):
        return OddsEstimate(estimate=None, refused=cohorts, what_ifs=[], assumptions=[], **common)
    baseline = _estimate(cohorts, score, ranks, shift)

    def what_if(label: str, new_score: float | None, new_ranks: float | None) -> WhatIf:
        """The change is summarised over the paired draws (the same parameters both ways)."""
        change = _values(cohorts, new_score, new_ranks, shift) - _values(
            cohorts, score, ranks, shift
        )
        return WhatIf(
            label=label,
            estimate=_estimate(cohorts, new_score, new_ranks, shift),
            change=_range(change),
        )

    what_ifs: list[WhatIf] = []
    if score is not None:
        what_ifs.append(what_if(f"Step 2 CK +10 ({score + 10})", score + 10, ranks))
    if ranks is not None:
        what_ifs.append(
            what_if(f"if you had 5 more interviews (and ranked {ranks + 5})", score, ranks + 5)
        )
    else:
        what_ifs += [
            what_if(f"if you had {k} interviews (and ranked them all)", score, k)
            for k in (2, 5, 10)
        ]
    what_ifs += [
        WhatIf(label="one more year since graduation", reason=NOT_TABULATED.format(what="YOG")),
        WhatIf(
            label="more US clinical experience",
            reason=NOT_TABULATED.format(what="US clinical experience"),
        ),
    ]
    assumptions += [
        "Step 2 CK and the number of programs ranked are treated as independent given the "
        "outcome; both come from the same published cohorts.",
        f"The interval covers {LEVEL:.0%} of {DRAWS} parameter draws (sampling error of the "
        "published figures and the Step 2 CK spread); it does not cover year-to-year change "
        "or the error of the model's form.",
        "Contiguous ranks partly reflect interviews offered: a longer list is evidence of a "
        "stronger application, not a cause of matching by itself.",
    ]
    far = 2 * cohorts.ranks_matched_median
    assumptions.append(
        f"Beyond about {far:g} ranks (twice the matched median) the estimate extrapolates past "
        "the published figures; older NRMP charts show IMG curves levelling off below 100%, "
        "which this model does not capture."
    )
    return OddsEstimate(
        estimate=baseline,
        what_ifs=what_ifs,
        assumptions=assumptions,
        ranks_far=far,
        **common,
    )


SMALL_COHORT = 100
"""Below this many non-US IMGs who ranked the specialty first, the agreement tolerance widens."""


def agreement_tolerance(preferred: int | None) -> float:
    """Points within which the market simulator and this model must agree for one specialty:
    10 where at least 100 non-US IMGs ranked it first, else 15 (the published figures, and so
    this model's interval, are looser there; the simulator's own 95% interval at its default
    200 markets is about +/-7 points)."""
    return 10.0 if (preferred or 0) >= SMALL_COHORT else 15.0


@functools.lru_cache(maxsize=1)
def _calibration() -> Calibration:
    return load_calibration()


def simulator_check(code: str) -> str | None:
    """How the market simulator compares with this model in `code`, as the calibration's
    bench measured it (an applicant at the specialty's published figures)."""
    calibration = _calibration()
    fitted = calibration.specialty(code)
    if fitted is None:
        return None
    if not fitted.calibrated:
        return f"The market simulator is not calibrated for {code}: {fitted.status}."
    if fitted.agrees is None or fitted.odds_model is None or fitted.simulator is None:
        return None
    gap = fitted.simulator - fitted.odds_model
    verdict = "in agreement with" if fitted.agrees else "outside"
    return (
        f"Market simulator (matchready simulate) for an applicant at {code}'s published "
        f"medians: {fitted.simulator:.0f}% against this model's {fitted.odds_model:.0f}% "
        f"({gap:+.0f} points, {verdict} this model's interval or the stated "
        f"{fitted.tolerance:g}-point tolerance; "
        f"calibrated {calibration.fitted_on}, simulated {fitted.simulated:.1f}% of non-US IMGs "
        f"who ranked {code} first matched to it against the published {fitted.published:.1f}%)."
    )


def with_step2ck(profile: Profile, score: int | None) -> Profile:
    """The profile with a passed Step 2 CK of `score` (unchanged when None)."""
    if score is None:
        return profile
    exam = profile.exams.step2ck
    exam = exam.model_copy(
        update={"score": score, "status": StepStatus.PASSED, "attempts": max(exam.attempts, 1)}
    )
    exams = profile.exams.model_copy(update={"step2ck": exam})
    return profile.model_copy(update={"exams": exams})


def unsupported_inputs(profile: Profile) -> list[Unsupported]:
    """The profile's inputs that neither the odds model nor the market simulator can use,
    each with what would be needed. Charting Outcomes (non-US IMGs, 2026) tabulates Step 2 CK,
    contiguous ranks and experience counts; not these."""
    not_tabulated = "Charting Outcomes (non-US IMGs, 2026) does not tabulate it"
    exams = profile.exams
    failed = exams.step1.failed_attempts + exams.step2ck.failed_attempts
    visa = profile.applicant.immigration_status.value.replace("_", " ")
    return [
        Unsupported(
            name="year of graduation",
            value=str(profile.school.graduation.year),
            why=not_tabulated,
            needed="match rates by years since graduation (NRMP published these for IMGs in "
            "older reports only); the planner's YOG screening uses program cutoffs instead",
        ),
        Unsupported(
            name="USMLE attempts",
            value=f"{failed} failed attempt(s)" if failed else "no failed attempt",
            why=not_tabulated,
            needed="match rates by attempts; program screening rules cover stated limits",
        ),
        Unsupported(
            name="US clinical experience",
            value=f"{profile.hands_on_usce_months:.1f} months hands-on",
            why=not_tabulated,
            needed="match rates by months of USCE (not published by NRMP)",
        ),
        Unsupported(
            name="visa need",
            value=f"needs a visa ({visa})" if profile.needs_visa else f"no visa needed ({visa})",
            why="Charting Outcomes pools non-US IMGs with and without a visa need; the market "
            "simulator does not screen programs for sponsorship",
            needed="match rates by visa status; screen your programs for sponsorship instead",
        ),
    ]


def _context(stats: SpecialtyStats) -> list[str]:
    notes = []
    if stats.research_matched_median is not None and stats.research_unmatched_median is not None:
        notes.append(
            f"Research experiences (median): matched {stats.research_matched_median:g}, "
            f"unmatched {stats.research_unmatched_median:g}; not in the model (medians only)."
        )
    if (
        stats.publications_matched_median is not None
        and stats.publications_unmatched_median is not None
    ):
        notes.append(
            f"Publications (median): matched {stats.publications_matched_median:g}, unmatched "
            f"{stats.publications_unmatched_median:g}; not in the model (medians only)."
        )
    return notes


class CurvePoint(_Out):
    x: float
    probability: float
    low: float
    high: float


class OddsCurves(_Out):
    """P(match) against Step 2 CK (at the applicant's ranks) and against the number of ranked
    programs (at the applicant's score), with the published cohort medians to mark."""

    specialty: str
    specialty_name: str
    data_year: str
    step2ck: list[CurvePoint]
    ranks: list[CurvePoint]
    step2ck_medians: tuple[float, float] = Field(description="Matched, unmatched (published)")
    ranks_medians: tuple[float, float] = Field(description="Matched, unmatched (published)")
    your_step2ck: int | None
    your_ranks: int | None


STEP2CK_AXIS = range(210, 281, 2)
RANKS_AXIS = range(1, 21)


def odds_curves(
    profile: Profile, facts: Facts, specialty: str, ranks: int | None = None
) -> OddsCurves | None:
    """The two curves of the odds model for the applicant, or None where it gives no number."""
    stats = facts.specialty(specialty)
    if stats is None:
        return None
    cohorts = cohorts_of(stats, facts)
    if isinstance(cohorts, str):
        return None
    _, shift, _ = _type_shift(profile, facts)
    exam = profile.exams.step2ck
    score = exam.score if exam.passed and exam.score is not None else None

    def point(x: float, new_score: float | None, new_ranks: float | None) -> CurvePoint:
        found = _estimate(cohorts, new_score, new_ranks, shift)
        return CurvePoint(x=x, probability=found.estimate, low=found.low, high=found.high)

    return OddsCurves(
        specialty=stats.code,
        specialty_name=stats.name,
        data_year=stats.as_of,
        step2ck=[point(x, x, ranks) for x in STEP2CK_AXIS],
        ranks=[point(k, score, k) for k in RANKS_AXIS],
        step2ck_medians=(
            float(stats.step2_matched_median or cohorts.step2_matched),
            float(stats.step2_unmatched_median or cohorts.step2_unmatched),
        ),
        ranks_medians=(cohorts.ranks_matched_median, cohorts.ranks_unmatched_median),
        your_step2ck=score,
        your_ranks=ranks,
    )
