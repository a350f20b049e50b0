"""The plan's result types. Pydantic models, so the JSON output has a generated, documented schema
(docs/plan.schema.json, kept up to date by a test). Every verdict carries its reasons and sources.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from matchready.domain.facts import (
    CalendarEvent,
    CyclePattern,
    FeeFact,
    RuleFact,
    SignalFact,
    SpecialtyStats,
    TravelRestriction,
)

PLAN_SCHEMA_VERSION = 2


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Citation(_Out):
    """Where a fact comes from."""

    source: str
    as_of: str
    verified: bool
    standing: str = Field(
        default="",
        description="Shown beside the figure: '' (verified, official), 'unverified', "
        "'secondary source' or 'your fact (source ...)'",
    )

    @classmethod
    def of(
        cls,
        fact: RuleFact
        | CalendarEvent
        | SpecialtyStats
        | FeeFact
        | SignalFact
        | TravelRestriction
        | CyclePattern,
    ) -> Citation:
        return cls(
            source=fact.source, as_of=fact.as_of, verified=fact.verified, standing=fact.standing()
        )

    def __str__(self) -> str:
        label = self.standing or ("" if self.verified else "unverified")
        return f"{self.source} ({self.as_of}{', ' + label if label else ''})"


class DateKind(StrEnum):
    """Where a cycle date comes from: a sourced fact for that year, a documented pattern, or
    nowhere."""

    OFFICIAL = "official"
    ESTIMATED = "estimated"
    UNKNOWN = "unknown"


class Due(_Out):
    """A date something must be done by, and why; `on` is None when the date is unknown."""

    on: date | None = None
    label: str = Field(description="The date as shown (an estimate names its pattern) or unknown")
    basis: str = Field(description="What the date is, e.g. 'rank order list deadline, 2027 Match'")
    verified: bool = False
    kind: DateKind = Field(default=DateKind.OFFICIAL, description="official, estimated, unknown")
    at: str | None = Field(default=None, description="Clock time (HH:MM) in `zone`, if sourced")
    zone: str | None = Field(default=None, description="IANA time zone of `at`")
    citation: Citation | None = None

    @property
    def marks(self) -> str:
        """' (unverified)' for an official date from an unverified source, else ''."""
        unverified = self.on is not None and not self.verified and self.kind is DateKind.OFFICIAL
        return " (unverified)" if unverified else ""


class ItemState(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    TO_DO = "to_do"
    OVERDUE = "overdue"
    BLOCKED = "blocked"
    UNKNOWN = "unknown"


class ChecklistItem(_Out):
    key: str
    title: str
    state: ItemState
    detail: str = Field(description="Why the item is in this state")
    action: str | None = Field(default=None, description="What to do next, if anything")
    after: list[str] = Field(default_factory=list, description="Keys of items that come first")
    due: Due | None = None
    recommended_by: Due | None = None
    citations: list[Citation] = Field(default_factory=list)


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW].index(self)


class RedFlag(_Out):
    key: str
    title: str
    severity: Severity
    cause: str
    evidence: list[str]
    actions: list[str]
    rule_of_thumb: bool = Field(
        default=False, description="True when the threshold is a rule of thumb, not a program rule"
    )
    citations: list[Citation] = Field(default_factory=list)


class Condition(_Out):
    text: str
    met: bool | None = Field(description="True, False, or None when unknown")


class VisaOption(_Out):
    route: str = Field(description="'J-1' or 'H-1B'")
    sponsor: str
    conditions: list[Condition]
    consequences: list[str]
    citations: list[Citation] = Field(default_factory=list)


class VisaRisk(_Out):
    """A dated change that bears on this applicant's visa: the H-1B payment, a travel ban."""

    kind: str = Field(description="'h1b_payment' or 'travel_restriction'")
    title: str
    text: str
    applies: bool = Field(description="Whether it restricts or costs this applicant")
    since: date | None = Field(default=None, description="When it took effect")
    citations: list[Citation] = Field(default_factory=list)


class VisaAdvice(_Out):
    needs_visa: bool
    recommendation: str
    reasons: list[str]
    options: list[VisaOption] = Field(default_factory=list)
    risks: list[VisaRisk] = Field(default_factory=list)


class YogPointOut(_Out):
    label: str
    on: date | None
    months_since_graduation: int | None
    months_until_graduation: int | None
    text: str


class YogOut(_Out):
    graduation: date
    points: list[YogPointOut]
    note: str


class KeyDate(_Out):
    event: str
    summary: str
    date: str
    verified: bool
    kind: DateKind = DateKind.OFFICIAL
    citation: Citation


class NextAction(_Out):
    title: str
    why: str
    due: Due | None = None
    severity: Severity | None = None
    overdue: bool = Field(default=False, description="True when its date has passed")


class NowOut(_Out):
    """The first screen of the plan: where the applicant stands today and what comes next."""

    match_year: int
    today: date = Field(description="The applicant's date in their own time zone")
    time_zone: str
    phase: str = Field(description="The phase of the target Match the applicant is in")
    phase_title: str
    phase_start: date | None
    phase_end: date | None = Field(description="The first day after the phase")
    phase_estimated: bool = Field(description="True when a bound of the phase is estimated")
    next_phase_title: str | None = Field(
        default=None, description="The phase that follows, from `phase_end`"
    )
    headline: str
    match_over: bool = Field(description="True when the target Match is over")
    next_cycle: list[KeyDate] = Field(
        default_factory=list, description="The next Match's dates, when the target is over"
    )
    next_deadline: Due | None = None
    days_to_next_deadline: int | None = None
    actions: list[NextAction] = Field(description="The most important actions for this phase")
    overdue: list[NextAction] = Field(default_factory=list)


class ApplicantOut(_Out):
    name: str
    applicant_type: str = Field(description="NRMP applicant type: 'US IMG' or 'non-US IMG'")
    target_match_year: int
    specialties: list[str]


class Plan(_Out):
    """The whole plan for one applicant on one date."""

    schema_version: int = PLAN_SCHEMA_VERSION
    as_of: date
    now: NowOut
    applicant: ApplicantOut
    cycle: list[KeyDate]
    checklist: list[ChecklistItem]
    yog: YogOut
    red_flags: list[RedFlag]
    visa: VisaAdvice
    next_actions: list[NextAction]
    unknowns: list[str] = Field(description="What the plan could not determine, and why")
