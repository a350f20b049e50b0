"""Program signals: per specialty and ERAS season, within the sourced limits (pure).

A season without a row in the signal-limit table has an unknown limit, which is reported, not
guessed; tiered specialties (gold and silver) count each tier against its own limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from matchready.domain.facts import Facts
from matchready.domain.report import Citation
from matchready.errors import TrackerError


class SignalTier(StrEnum):
    GOLD = "gold"
    SILVER = "silver"


@dataclass(frozen=True)
class Signal:
    program: str
    specialty: str
    tier: SignalTier | None = None
    season: int | None = None


@dataclass(frozen=True)
class SignalUsage:
    """Signals used in one specialty against the season's limit (None: limit unknown)."""

    specialty: str
    used: int
    limit: int | None
    gold_used: int = 0
    gold_limit: int | None = None
    citation: Citation | None = None

    @property
    def text(self) -> str:
        if self.limit is None:
            return f"{self.specialty}: {self.used} signals used; the limit is unknown"
        return f"{self.specialty}: {self.used} of {self.limit} signals used"


def signal_usage(signals: Iterable[Signal], facts: Facts, season: int) -> list[SignalUsage]:
    """Per specialty, how many signals are used and the season's limit (or unknown)."""
    by_specialty: dict[str, list[Signal]] = {}
    for item in signals:
        if item.season in (None, season):
            by_specialty.setdefault(item.specialty.upper(), []).append(item)
    out = []
    for specialty, items in sorted(by_specialty.items()):
        fact = facts.signal_limit(season, specialty)
        out.append(
            SignalUsage(
                specialty=specialty,
                used=len(items),
                limit=fact.signals if fact else None,
                gold_used=sum(1 for i in items if i.tier is SignalTier.GOLD),
                gold_limit=fact.gold if fact else None,
                citation=Citation.of(fact) if fact else None,
            )
        )
    return out


def add_signal(
    signals: tuple[Signal, ...], new: Signal, facts: Facts, season: int
) -> tuple[Signal, ...]:
    """The signals with `new` added; refused when it would pass the season's sourced limit."""
    specialty = new.specialty.upper()
    mine = [s for s in signals if s.specialty.upper() == specialty and s.season in (None, season)]
    if any(s.program == new.program for s in mine):
        raise TrackerError(f"program {new.program} already has a {specialty} signal")
    fact = facts.signal_limit(season, specialty)
    if fact is not None:
        tiered = fact.gold is not None
        if tiered and new.tier is None:
            raise TrackerError(f"{specialty} signals are gold or silver in {season}: pick one")
        if not tiered and new.tier is not None:
            raise TrackerError(f"{specialty} signals have no gold/silver tiers in {season}")
        limit: int | None = fact.signals
        used, label = len(mine), specialty
        if new.tier is not None:
            limit = fact.gold if new.tier is SignalTier.GOLD else fact.silver
            used = sum(1 for s in mine if s.tier is new.tier)
            label = f"{new.tier.value} {specialty}"
        if limit is not None and used >= limit:
            raise TrackerError(
                f"program {new.program}: all {limit} {label} signals of the {season} season are "
                f"used ({Citation.of(fact)})"
            )
    return (*signals, replace(new, specialty=specialty, season=season))
