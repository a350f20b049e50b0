"""Use case: the itemised cost of the road ahead for one applicant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from matchready.domain.applicant import Profile
from matchready.domain.costs import CostEstimate, estimate_costs, submitted_counts
from matchready.domain.facts import Facts
from matchready.domain.tracker import Application
from matchready.errors import InputError


def program_counts(
    profile: Profile, programs: int | None, per_specialty: Mapping[str, int] | None
) -> dict[str, int]:
    """Programs per specialty: `per_specialty` if given, else `programs` for each target."""
    if per_specialty:
        if programs is not None:
            raise InputError("give either --programs or --specialty-programs, not both")
        return {code.upper(): count for code, count in per_specialty.items()}
    if programs is None:
        return {}
    return {code.upper(): programs for code in profile.target.specialties}


def cost_estimate(
    profile: Profile,
    facts: Facts,
    as_of: date,
    *,
    programs: int | None = None,
    per_specialty: Mapping[str, int] | None = None,
    ranks: int | None = None,
    travel_usd: int | None = None,
    applications: Sequence[Application] = (),
) -> CostEstimate:
    """The cost estimate for `profile`'s target Match, each line with its source and season,
    in phase; the tracker's `applications` that were submitted price the applications."""
    counts = program_counts(profile, programs, per_specialty)
    return estimate_costs(
        profile,
        facts,
        as_of,
        counts,
        ranks=ranks,
        travel_usd=travel_usd,
        submitted=submitted_counts(applications) or None,
    )
