"""Use case: the competitiveness table of specialties, from published figures with sources."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from matchready.domain.facts import ApplicantType, Facts, MatchOutcome, SpecialtyStats
from matchready.errors import InputError

SORTABLE = (
    "code",
    "positions",
    "img_preferred",
    "img_matched",
    "match_rate_pct",
    "step2_matched_median",
    "step2_unmatched_median",
    "contiguous_ranks_matched_median",
)


class Competitiveness(BaseModel):
    """The specialty table and the headline match rates by applicant type."""

    model_config = ConfigDict(frozen=True)

    applicant_type: ApplicantType
    specialties: list[SpecialtyStats]
    outcomes: list[MatchOutcome]


def competitiveness(
    facts: Facts,
    applicant_type: ApplicantType = ApplicantType.NON_US_IMG,
    sort: str = "match_rate_pct",
) -> Competitiveness:
    """Specialties sorted by `sort` (numbers high to low, unknown last); refuses what our
    sources do not hold."""
    if applicant_type is not ApplicantType.NON_US_IMG:
        raise InputError(
            f"per-specialty figures for {applicant_type.value} are not in our sources (only "
            "Charting Outcomes for non-US IMGs, 2026); see `matchready facts outcome` for the "
            "overall match rates by applicant type"
        )
    if sort not in SORTABLE:
        raise InputError(f"cannot sort by '{sort}'; choose one of: {', '.join(SORTABLE)}")
    rows = [s for s in facts.specialties if s.code != "ALL"]
    if sort == "code":
        rows.sort(key=lambda s: s.code)
    else:
        rows.sort(key=lambda s: (getattr(s, sort) is None, -(getattr(s, sort) or 0)))
    pooled = [s for s in facts.specialties if s.code == "ALL"]
    latest = sorted(facts.outcomes, key=lambda o: (-o.match_year, o.applicant_type.value))
    year = latest[0].match_year if latest else None
    return Competitiveness(
        applicant_type=applicant_type,
        specialties=rows + pooled,
        outcomes=[o for o in latest if o.match_year == year],
    )
