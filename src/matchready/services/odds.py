"""Use case: estimate an applicant's odds of matching in a specialty, with range and what-ifs."""

from __future__ import annotations

import functools
import math

from pydantic import BaseModel, ConfigDict, Field

from matchready.domain import odds
from matchready.domain.applicant import Profile
from matchready.domain.facts import ApplicantType, Facts, SpecialtyStats
from matchready.domain.report import Citation

DRAWS = 4000
SEED = 20260320  # fixed: the same profile always gets the same range
LEVEL = 0.9

NOT_TABULATED = (
    "not estimable: NRMP's Charting Outcomes (non-US IMGs, 2026) does not tabulate {what}, and "
    "our sources give no other figure"
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Range(_Out):
    probability: float = Field(description="Median estimate, 0-1")
    low: float = Field(description="Lower end of the interval")
    high: float = Field(description="Upper end of the interval")
    level: float = Field(default=LEVEL, description="Coverage of the interval")

    def __str__(self) -> str:
        return f"{self.probability:.0%} ({self.low:.0%} to {self.high:.0%})"


class WhatIf(_Out):
    label: str
    estimate: Range | None = None
    change: float | None = Field(default=None, description="Change of the median vs baseline")
    reason: str | None = Field(default=None, description="Why there is no estimate")


class OddsEstimate(_Out):
    specialty: str
    specialty_name: str
    applicant_type: ApplicantType | None = Field(description="The NRMP type of the figures used")
    data_year: str
    estimate: Range | None
    refused: str | None = Field(default=None, description="Why no number is given")
    inputs: dict[str, str]
    what_ifs: list[WhatIf]
    context: list[str]
    assumptions: list[str]
    citations: list[Citation]


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
        f"Assumption: per-specialty figures are for non-US IMGs; for a US citizen the odds are "
        f"multiplied by {math.exp(shift):.2f}, the ratio of the overall PGY-1 match odds of US "
        f"IMGs ({us.rate:.1f}%) and non-US IMGs ({other.rate:.1f}%) in {us.match_year}."
    )
    return ApplicantType.US_IMG, shift, [note]


@functools.lru_cache(maxsize=64)
def _draws(cohorts: odds.Cohorts) -> odds.Draws:
    """The parameter draws of one specialty: fixed by the seed, so computed once per process."""
    return odds.draw(cohorts, DRAWS, SEED)


@functools.lru_cache(maxsize=4096)
def _estimate(
    cohorts: odds.Cohorts, score: float | None, ranks: float | None, shift: float
) -> Range:
    """The median and interval of P(match) over the specialty's draws (pure, so cached)."""
    return _range(odds.probability(_draws(cohorts), score, ranks, shift))


def _range(values: odds.Array) -> Range:
    mid, low, high = odds.summarise(values, LEVEL)
    return Range(probability=mid, low=low, high=high)


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
    }
    if isinstance(cohorts, str):
        return OddsEstimate(estimate=None, refused=cohorts, what_ifs=[], assumptions=[], **common)
    baseline = _estimate(cohorts, score, ranks, shift)

    def what_if(label: str, new_score: float | None, new_ranks: float | None) -> WhatIf:
        values = _estimate(cohorts, new_score, new_ranks, shift)
        return WhatIf(
            label=label, estimate=values, change=values.probability - baseline.probability
        )

    what_ifs: list[WhatIf] = []
    if score is not None:
        what_ifs.append(what_if(f"Step 2 CK +10 ({score + 10})", score + 10, ranks))
    if ranks is not None:
        what_ifs.append(what_if(f"rank 5 more programs ({ranks + 5})", score, ranks + 5))
    else:
        what_ifs += [what_if(f"if you rank {k} programs", score, k) for k in (2, 5, 10)]
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
    return OddsEstimate(estimate=baseline, what_ifs=what_ifs, assumptions=assumptions, **common)


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
