"""An estimate with its interval, and a what-if measured against a baseline.

The odds model (a median over parameter draws, 90% interval) and the market simulator (an
observed share of simulated markets, Wilson 95% interval; a paired difference on the same
markets) both report through these types, so every interface shows one shape.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Interval(BaseModel):
    """A probability (or a change of one, in -1..1) with the interval around it."""

    model_config = ConfigDict(frozen=True)

    estimate: float = Field(description="The central estimate: a median, or an observed share")
    low: float = Field(description="Lower end of the interval")
    high: float = Field(description="Upper end of the interval")
    level: float = Field(default=0.95, description="Coverage of the interval")

    def __str__(self) -> str:
        return f"{self.estimate:.0%} ({self.low:.0%} to {self.high:.0%})"

    def points(self) -> str:
        """As a change in percentage points: '+3.1 points (+0.5 to +5.8)'."""
        return (
            f"{self.estimate * 100:+.1f} points ({self.low * 100:+.1f} to {self.high * 100:+.1f})"
        )


class WhatIf(BaseModel):
    """One changed input against the baseline, on the same draws or markets."""

    model_config = ConfigDict(frozen=True)

    label: str
    estimate: Interval | None = Field(default=None, description="P(match) with the change")
    change: Interval | None = Field(
        default=None, description="Difference from the baseline on the same draws or markets"
    )
    strategy: str | None = Field(default=None, description="The rank-list strategy simulated")
    reason: str | None = Field(default=None, description="Why there is no estimate")
