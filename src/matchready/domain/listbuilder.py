"""The tiered program list: eligible and "verify first" programs ordered by fit.

Tiers (matchready's own, transparent rule; not a published standard):
1. eligible and IMG-friendly: every known rule passes and at least `IMG_FRIENDLY_SHARE` of the
   program's residents are IMGs;
2. eligible: every known rule passes, IMG share lower or not recorded;
3. verify first: no hard rule fails, but some requirement is unknown.
Ineligible programs (a hard cutoff fails) are left out and counted. Within a tier the best fit
comes first, then the higher IMG share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from matchready.domain.program import Program
from matchready.domain.screening import Outcome, ProgramScreening, Verdict

IMG_FRIENDLY_SHARE = 0.30


class Tier(IntEnum):
    IMG_FRIENDLY = 1
    ELIGIBLE = 2
    VERIFY_FIRST = 3

    @property
    def label(self) -> str:
        return {1: "eligible, IMG-friendly", 2: "eligible", 3: "verify first"}[self.value]


@dataclass(frozen=True)
class ListEntry:
    key: str
    name: str
    state: str | None
    tier: Tier
    fit: int
    img_share: float | None
    to_verify: tuple[str, ...] = field(default=())


def tier_of(screening: ProgramScreening, img_share: float | None) -> Tier | None:
    """The tier of a screened program, or None when it is ineligible."""
    if screening.verdict is Verdict.INELIGIBLE:
        return None
    if screening.verdict is Verdict.UNKNOWN:
        return Tier.VERIFY_FIRST
    if img_share is not None and img_share >= IMG_FRIENDLY_SHARE:
        return Tier.IMG_FRIENDLY
    return Tier.ELIGIBLE


def build_list(
    screenings: Sequence[ProgramScreening], programs: Mapping[str, Program]
) -> tuple[list[ListEntry], int]:
    """The ordered list and the number of ineligible programs left out."""
    entries: list[ListEntry] = []
    left_out = 0
    for screening in screenings:
        program = programs[screening.program_key]
        tier = tier_of(screening, program.img_share)
        if tier is None:
            left_out += 1
            continue
        unknown = tuple(r.kind.value for r in screening.rules if r.outcome is Outcome.UNKNOWN)
        entries.append(
            ListEntry(
                key=screening.program_key,
                name=screening.program_name,
                state=program.state,
                tier=tier,
                fit=screening.fit_score,
                img_share=program.img_share,
                to_verify=unknown,
            )
        )
    entries.sort(key=lambda e: (e.tier, -e.fit, -(e.img_share or 0.0), e.key))
    return entries, left_out
