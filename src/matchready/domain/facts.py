"""Facts with provenance: every figure the rules use, with its source, as_of date and status.

The rows are validated by these schemas when the data files are loaded (see `matchready.data`).
Code reads facts through one `Facts` object that is passed in, so tests can supply their own.
A fact marked `unverified` in the reference is shown to the user as unverified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_AS_OF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class FactStatus(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"


class _Sourced(BaseModel):
    """Provenance carried by every fact row."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    source: str = Field(min_length=1, description="URL or document the fact comes from")
    as_of: str = Field(description="Year, year-month or date the fact applies to")
    status: FactStatus
    note: str = ""

    @field_validator("as_of")
    @classmethod
    def _check_as_of(cls, value: str) -> str:
        if not _AS_OF.match(value):
            raise ValueError("as_of must be YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    @property
    def verified(self) -> bool:
        return self.status is FactStatus.VERIFIED

    def citation(self) -> str:
        """Source and year as one short string, with 'unverified' where it applies."""
        text = f"{self.source} ({self.as_of})"
        return text if self.verified else f"{text}, unverified"


Unit = Literal["score", "count", "years", "percent", "number", "date", "year", "usd", "text"]


class RuleFact(_Sourced):
    """One scalar fact (a threshold, a limit, a date), valid from `effective_from` on."""

    key: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    effective_from: date | None = None
    value: str = Field(min_length=1)
    unit: Unit
    summary: str = Field(min_length=1)

    @model_validator(mode="after")
    def _value_matches_unit(self) -> RuleFact:
        if self.unit in ("score", "count", "year"):
            int(self.value)
        elif self.unit in ("years", "percent", "number", "usd"):
            float(self.value)
        elif self.unit == "date":
            date.fromisoformat(self.value)
        return self

    def number(self) -> float:
        return float(self.value)

    def integer(self) -> int:
        return int(self.value)

    def as_date(self) -> date:
        return date.fromisoformat(self.value)


class CalendarEvent(_Sourced):
    """One dated event of a Match cycle: `when` is a day, or a month when only that is known."""

    match_year: int = Field(ge=2000, le=2100)
    event: str = Field(pattern=r"^[a-z0-9_]+$")
    when: str = Field(alias="date")
    summary: str = Field(min_length=1)

    @field_validator("when")
    @classmethod
    def _check_when(cls, value: str) -> str:
        if _MONTH.match(value):
            date.fromisoformat(value + "-01")
        else:
            date.fromisoformat(value)
        return value

    @property
    def month_only(self) -> bool:
        return bool(_MONTH.match(self.when))

    @property
    def day(self) -> date:
        """The day of the event (the first of the month for a month-only event)."""
        return date.fromisoformat(self.when + "-01" if self.month_only else self.when)

    def label(self) -> str:
        """The date as a reader sees it: '2026-09 (day unknown)' when only the month is known."""
        return f"{self.when} (day unknown)" if self.month_only else self.when


class SpecialtyStats(_Sourced):
    """Published figures of one specialty (non-US IMGs, Charting Outcomes); None: not reported."""

    code: str = Field(pattern=r"^[A-Z]+$")
    name: str = Field(min_length=1)
    acgme_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    acgme_code_status: FactStatus | None = None
    positions: int | None = Field(default=None, ge=0)
    img_preferred: int | None = Field(default=None, ge=0)
    img_matched: int | None = Field(default=None, ge=0)
    match_rate_pct: float | None = Field(default=None, ge=0, le=100)
    step2_matched_median: float | None = None
    step2_matched_mean: float | None = None
    step2_unmatched_median: float | None = None
    step2_unmatched_mean: float | None = None
    contiguous_ranks_matched_median: float | None = None
    contiguous_ranks_matched_mean: float | None = None
    contiguous_ranks_unmatched_median: float | None = None
    contiguous_ranks_unmatched_mean: float | None = None
    research_matched_median: float | None = None
    research_unmatched_median: float | None = None
    publications_matched_median: float | None = None
    publications_unmatched_median: float | None = None


class AcgmeSpecialtyCode(_Sourced):
    """One ACGME specialty code: the first 3 digits of a program number name the specialty."""

    code: str = Field(pattern=r"^\d{3}$")
    name: str = Field(min_length=1)


class ApplicantType(StrEnum):
    """NRMP applicant types (only US citizens count as US IMGs)."""

    US_MD_SENIOR = "us_md_senior"
    DO_SENIOR = "do_senior"
    US_IMG = "us_img"
    NON_US_IMG = "non_us_img"
    ALL = "all"

    @property
    def label(self) -> str:
        """How NRMP's reports name the type ("US IMG", "non-US IMG", ...)."""
        return _TYPE_LABELS[self]


_TYPE_LABELS = {
    ApplicantType.US_MD_SENIOR: "US MD senior",
    ApplicantType.DO_SENIOR: "DO senior",
    ApplicantType.US_IMG: "US IMG",
    ApplicantType.NON_US_IMG: "non-US IMG",
    ApplicantType.ALL: "all applicants",
}


class MatchOutcome(_Sourced):
    """Headline Main Residency Match result of one applicant type in one year (PGY-1)."""

    match_year: int = Field(ge=2000, le=2100)
    applicant_type: ApplicantType
    active: int | None = Field(default=None, ge=0)
    matched: int | None = Field(default=None, ge=0)
    match_rate_pct: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _has_a_rate(self) -> MatchOutcome:
        if self.match_rate_pct is None and (self.active is None or self.matched is None):
            raise ValueError("needs match_rate_pct, or both active and matched")
        if self.active is not None and self.matched is not None and self.matched > self.active:
            raise ValueError("matched exceeds active")
        return self

    @property
    def rate(self) -> float:
        """The match rate in percent (computed from the counts when not published)."""
        if self.match_rate_pct is not None:
            return self.match_rate_pct
        assert self.active is not None and self.matched is not None
        return 100 * self.matched / self.active


FeePer = Literal["once", "program", "rank", "partner"]


class FeeFact(_Sourced):
    """One fee (USD) of one Match year's season; a tier gives the program or rank numbers it
    covers (`tier_to` empty: no upper end). A season with no row has an unknown fee."""

    key: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    match_year: int = Field(ge=2000, le=2100)
    amount_usd: int = Field(ge=0)
    per: FeePer
    tier_from: int | None = Field(default=None, ge=1)
    tier_to: int | None = Field(default=None, ge=1)
    summary: str = Field(min_length=1)

    @model_validator(mode="after")
    def _tier(self) -> FeeFact:
        if self.tier_to is not None and (self.tier_from is None or self.tier_to < self.tier_from):
            raise ValueError("tier_to needs a tier_from no greater than it")
        return self


class SignalFact(_Sourced):
    """How many program signals one specialty allows in one ERAS season (gold/silver if tiered)."""

    season: int = Field(ge=2000, le=2100)
    specialty: str = Field(pattern=r"^[A-Z]+$")
    name: str = Field(min_length=1)
    gold: int | None = Field(default=None, ge=0)
    silver: int | None = Field(default=None, ge=0)
    signals: int = Field(ge=0)

    @model_validator(mode="after")
    def _total(self) -> SignalFact:
        if (self.gold is None) != (self.silver is None):
            raise ValueError("give both gold and silver, or neither")
        if (
            self.gold is not None
            and self.silver is not None
            and (self.gold + self.silver != self.signals)
        ):
            raise ValueError("signals must equal gold + silver")
        return self


@dataclass(frozen=True)
class Facts:
    """All facts, queried by key. Built by `matchready.data.load_facts()` or by hand in tests."""

    rules: tuple[RuleFact, ...] = ()
    calendar: tuple[CalendarEvent, ...] = ()
    specialties: tuple[SpecialtyStats, ...] = ()
    outcomes: tuple[MatchOutcome, ...] = ()
    fees: tuple[FeeFact, ...] = ()
    signals: tuple[SignalFact, ...] = ()
    acgme_codes: tuple[AcgmeSpecialtyCode, ...] = ()
    _by_key: dict[str, list[RuleFact]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for fact in self.rules:
            self._by_key.setdefault(fact.key, []).append(fact)
        for versions in self._by_key.values():
            versions.sort(key=lambda f: f.effective_from or date.min)

    def acgme_specialty(self, code: str | None) -> AcgmeSpecialtyCode | None:
        """The ACGME specialty of a 3-digit code (a program number's first 3 digits)."""
        return next((c for c in self.acgme_codes if c.code == code), None) if code else None

    def rule(self, key: str, on: date | None = None) -> RuleFact | None:
        """The version of fact `key` in force on `on` (the latest one if `on` is None)."""
        versions = self._by_key.get(key, [])
        if on is not None:
            versions = [f for f in versions if f.effective_from is None or f.effective_from <= on]
        return versions[-1] if versions else None

    def event(self, match_year: int, event: str) -> CalendarEvent | None:
        for item in self.calendar:
            if item.match_year == match_year and item.event == event:
                return item
        return None

    def events_of(self, event: str) -> tuple[CalendarEvent, ...]:
        """Every year's instance of one kind of event, oldest first."""
        return tuple(sorted((e for e in self.calendar if e.event == event), key=lambda e: e.day))

    def outcome(
        self, applicant_type: ApplicantType, match_year: int | None = None
    ) -> MatchOutcome | None:
        """The result of `applicant_type` in `match_year` (the latest year when None)."""
        found = [
            o
            for o in self.outcomes
            if o.applicant_type is applicant_type
            and (match_year is None or o.match_year == match_year)
        ]
        return max(found, key=lambda o: o.match_year) if found else None

    def specialty(self, code_or_name: str) -> SpecialtyStats | None:
        wanted = code_or_name.strip().casefold()
        for item in self.specialties:
            if wanted in (item.code.casefold(), item.name.casefold()):
                return item
        return None

    def fee_tiers(self, key: str, match_year: int) -> tuple[FeeFact, ...]:
        """The rows of fee `key` for the `match_year` season, by tier; empty when unknown."""
        rows = (f for f in self.fees if f.key == key and f.match_year == match_year)
        return tuple(sorted(rows, key=lambda f: f.tier_from or 0))

    def fee(self, key: str, match_year: int) -> FeeFact | None:
        """The single (untiered) fee `key` of the `match_year` season, or None when unknown."""
        tiers = self.fee_tiers(key, match_year)
        return tiers[0] if tiers else None

    def signal_limit(self, season: int, specialty: str) -> SignalFact | None:
        wanted = specialty.strip().upper()
        for item in self.signals:
            if item.season == season and item.specialty == wanted:
                return item
        return None
