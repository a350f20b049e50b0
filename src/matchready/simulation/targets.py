"""What a simulated national market must reproduce: the published size and outcomes of the
latest Main Residency Match, each figure from the facts (with its source)."""

from __future__ import annotations

from dataclasses import dataclass

from matchready.domain.facts import ApplicantType, Facts
from matchready.errors import DataFileError

TYPES = (
    ApplicantType.US_MD_SENIOR,
    ApplicantType.DO_SENIOR,
    ApplicantType.US_IMG,
    ApplicantType.NON_US_IMG,
)


@dataclass(frozen=True)
class MarketTargets:
    """Sizes and PGY-1 match rates of one Match year, scaled by `scale` (1 = national)."""

    match_year: int
    scale: float
    applicants: dict[ApplicantType, int]  # the four main types; `others` covers the rest
    others: int
    match_rates: dict[ApplicantType, float]  # percent, published
    positions: int
    pgy1_positions: int
    programs: int
    couples: int
    couples_verified: bool

    @property
    def total_applicants(self) -> int:
        return sum(self.applicants.values()) + self.others


def market_targets(facts: Facts, match_year: int = 2025, scale: float = 1.0) -> MarketTargets:
    """The targets of `match_year`, scaled; refuses when a needed figure is not in the facts."""
    if not 0 < scale <= 1:
        raise ValueError("scale must be in (0, 1]")
    missing: list[str] = []
    applicants: dict[ApplicantType, int] = {}
    rates: dict[ApplicantType, float] = {}
    for kind in (*TYPES, ApplicantType.ALL):
        outcome = facts.outcome(kind, match_year)
        if outcome is None or outcome.active is None:
            missing.append(f"active {kind.value} applicants")
            continue
        applicants[kind] = outcome.active
        rates[kind] = outcome.rate

    def count(key: str) -> int:
        fact = facts.rule(f"nrmp.{match_year}.{key}")
        if fact is None:
            missing.append(key)
            return 0
        return fact.integer()

    positions, pgy1, programs = count("positions"), count("pgy1_positions"), count("programs")
    couples_fact = facts.rule(f"nrmp.{match_year}.couples")
    if missing:
        raise DataFileError(f"the {match_year} Match figures lack: " + ", ".join(missing))
    everyone = applicants.pop(ApplicantType.ALL)
    rates.pop(ApplicantType.ALL)

    def scaled(n: int) -> int:
        return max(1, round(n * scale))

    return MarketTargets(
        match_year=match_year,
        scale=scale,
        applicants={k: scaled(v) for k, v in applicants.items()},
        others=scaled(everyone - sum(applicants.values())),
        match_rates=rates,
        positions=scaled(positions),
        pgy1_positions=scaled(pgy1),
        programs=scaled(programs),
        couples=scaled(couples_fact.integer()) if couples_fact else 0,
        couples_verified=bool(couples_fact and couples_fact.verified),
    )
