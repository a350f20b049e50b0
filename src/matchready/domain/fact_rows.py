"""The fact row schemas: one pydantic model per data file, each row with its source, as_of,
source kind and the Match years it applies to (`applies_to`). `matchready.domain.facts` holds
the `Facts` object that queries them and re-exports these names."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

_AS_OF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_SCOPE = re.compile(r"^(\d{4})(?:(-)(\d{4})?)?$")


class FactStatus(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"


class SourceKind(StrEnum):
    """Who stands behind a row's source."""

    OFFICIAL = "official"  # the body that sets the fact (NRMP, ECFMG, AAMC, USCIS, ...)
    SECONDARY = "secondary"  # a society, news report, law firm, blog or extraction
    USER = "user"  # the user's own fact, from their facts file


class Carry(StrEnum):
    """How a lookup for a Match year with no row of its own falls back."""

    LATEST_PUBLISHED = "latest_published"  # fees, signal limits: the latest earlier schedule
    UNTIL_REPLACED = "until_replaced"  # rules: the latest version in force
    NEVER = "never"  # calendar dates: unknown (estimated from the cycle patterns elsewhere)


def parse_scope(text: str) -> tuple[int, int | None]:
    """`2026` -> (2026, 2026); `2022-2026` -> (2022, 2026); `2023-` -> (2023, None)."""
    found = _SCOPE.match(text.strip())
    if found is None:
        raise ValueError("applies_to must be a Match year YYYY, a range YYYY-YYYY or YYYY-")
    first = int(found.group(1))
    if found.group(2) is None:
        return first, first
    last = int(found.group(3)) if found.group(3) else None
    if last is not None and last < first:
        raise ValueError("applies_to: the range ends before it starts")
    return first, last


class _Sourced(BaseModel):
    """Provenance carried by every fact row."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    #: The column holding the row's own Match year, which `applies_to` must equal.
    year_field: ClassVar[str | None] = None
    #: How a lookup for a Match year without a row of its own falls back.
    carry: ClassVar[Carry] = Carry.NEVER

    source: str = Field(min_length=1, description="URL or document the fact comes from")
    as_of: str = Field(description="Year, year-month or date the fact was published or read")
    status: FactStatus
    source_kind: SourceKind
    applies_to: str = Field(description="Match year(s) covered: YYYY, YYYY-YYYY or YYYY-")
    note: str = ""
    content_sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the source page's text when the row was last checked",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_provenance(cls, data: Any) -> Any:
        """Rows built in code may leave out `source_kind` and `applies_to` (the loader does not
        let a file leave them out): official when verified, and the row's own year."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "source_kind" not in data:
            verified = str(data.get("status", "")) == FactStatus.VERIFIED.value
            data["source_kind"] = SourceKind.OFFICIAL if verified else SourceKind.SECONDARY
        if "applies_to" not in data:
            year = data.get(cls.year_field) if cls.year_field else None
            start = str(data.get("as_of"))[:4]
            data["applies_to"] = str(year) if year is not None else f"{start}-"
        return data

    @field_validator("as_of")
    @classmethod
    def _check_as_of(cls, value: str) -> str:
        if not _AS_OF.match(value):
            raise ValueError("as_of must be YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    @field_validator("applies_to")
    @classmethod
    def _check_applies_to(cls, value: str) -> str:
        parse_scope(value)
        return value

    @field_validator("source_kind")
    @classmethod
    def _verified_only_on_official(cls, value: SourceKind, info: ValidationInfo) -> SourceKind:
        if info.data.get("status") is FactStatus.VERIFIED and value is not SourceKind.OFFICIAL:
            raise ValueError("only a row on an official source can be 'verified'")
        return value

    @model_validator(mode="after")
    def _provenance(self) -> _Sourced:
        if self.year_field is not None:
            year = getattr(self, self.year_field)
            if parse_scope(self.applies_to) != (year, year):
                raise ValueError(f"applies_to must be the row's {self.year_field} ({year})")
        return self

    @property
    def verified(self) -> bool:
        return self.status is FactStatus.VERIFIED

    @property
    def scope(self) -> tuple[int, int | None]:
        """The first and last Match year the row covers (last None: until replaced)."""
        return parse_scope(self.applies_to)

    def covers(self, match_year: int) -> bool:
        first, last = self.scope
        return first <= match_year and (last is None or match_year <= last)

    @property
    def secondary(self) -> bool:
        return self.source_kind is SourceKind.SECONDARY

    @property
    def mine(self) -> bool:
        """The user's own fact (from their facts file)."""
        return self.source_kind is SourceKind.USER

    def standing(self) -> str:
        """What a reader sees beside the figure: '' for a verified official row."""
        if self.mine:
            return f"your fact (source {self.source})"
        if self.secondary:
            return "secondary source"
        return "" if self.verified else "unverified"

    def citation(self) -> str:
        """Source and year as one short string, with its label where it applies."""
        text = f"{self.source} ({self.as_of})"
        return f"{text}, {self.standing()}" if self.standing() else text


Unit = Literal["score", "count", "years", "percent", "number", "date", "year", "usd", "text"]


class RuleFact(_Sourced):
    """One scalar fact (a threshold, a limit, a date), valid from `effective_from` on."""

    carry: ClassVar[Carry] = Carry.UNTIL_REPLACED

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

    year_field: ClassVar[str | None] = "match_year"

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

    year_field: ClassVar[str | None] = "match_year"

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


FeePer = Literal["once", "program", "rank", "partner", "block"]


class FeeFact(_Sourced):
    """One fee (USD) of one Match year's season; a tier gives the program or rank numbers it
    covers (`tier_to` empty: no upper end); `per = block` is one amount for the whole tier.
    A season with no row falls back to the latest published schedule, labelled as such."""

    year_field: ClassVar[str | None] = "match_year"
    carry: ClassVar[Carry] = Carry.LATEST_PUBLISHED

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
    """How many program signals one specialty allows in one ERAS season (gold/silver if tiered).

    The season is named by its Match year (the 2025 season's applications lead to the 2025 Match).
    """

    year_field: ClassVar[str | None] = "season"
    carry: ClassVar[Carry] = Carry.LATEST_PUBLISHED

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


RestrictionLevel = Literal["full", "partial", "immigrant_only"]


def country_key(name: str) -> str:
    text = name.casefold().replace("\u00f4", "o").replace("'", "").replace("\u2019", "")
    text = text.removeprefix("the ")
    return " ".join(text.replace("-", " ").split())


class TravelRestriction(_Sourced):
    """A presidential proclamation's restriction on the entry of one country's nationals.

    `level`: full (immigrants and every nonimmigrant visa), partial (immigrants and some visa
    classes, listed in `visa_classes`), or immigrant_only. `j1_restricted` says whether the J-1
    exchange-visitor visa of resident physicians is among the restricted classes. A later
    proclamation replaces an earlier one from its effective date (`applies_to` says which
    Match years' July starts each one governs).
    """

    proclamation: str = Field(min_length=1)
    signed: date
    effective_from: date
    country: str = Field(min_length=1)
    aliases: str = ""
    level: RestrictionLevel
    visa_classes: str = Field(min_length=1, description="Restricted classes, separated by ';'")
    j1_restricted: bool
    summary: str = Field(min_length=1)

    @model_validator(mode="after")
    def _dated(self) -> TravelRestriction:
        if self.effective_from < self.signed:
            raise ValueError("effective_from is before the proclamation was signed")
        return self

    def names(self) -> set[str]:
        others = [a for a in self.aliases.split(";") if a.strip()]
        return {country_key(n) for n in (self.country, *others)}


_RULE = re.compile(
    r"^(nth_weekday [1-5] (mon|tue|wed|thu|fri|sat|sun) (0[1-9]|1[0-2])"
    r"|offset [a-z0-9_]+ -?\d{1,3}"
    r"|fixed (0[1-9]|1[0-2])-\d{2}"
    r"|weekday_on_or_after (0[1-9]|1[0-2])-\d{2})$"
)
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class CyclePattern(_Sourced):
    """A documented pattern that dates one cycle event in any Match year (an estimate).

    `rule` is one of: `nth_weekday N DAY MM` (the Nth weekday of month MM), `offset EVENT DAYS`
    (days after another event of the same Match year), `fixed MM-DD`, or `weekday_on_or_after
    MM-DD` (that day, or the next Monday to Friday). `year_offset` is the calendar year relative
    to the Match year (-1: the year before). `observed` lists the Match years whose official
    dates the pattern reproduces (a test checks each one); `time` and `zone` are the clock time
    the source gives (HH:MM, an IANA zone).
    """

    event: str = Field(pattern=r"^[a-z0-9_]+$")
    rule: str
    year_offset: int = Field(default=0, ge=-2, le=1)
    time: str | None = None
    zone: str | None = None
    observed: str = Field(pattern=r"^\d{4}( \d{4})*$")
    summary: str = Field(min_length=1)

    @field_validator("rule")
    @classmethod
    def _check_rule(cls, value: str) -> str:
        if not _RULE.match(value):
            raise ValueError(
                "rule must be 'nth_weekday N DAY MM', 'offset EVENT DAYS', 'fixed MM-DD' or "
                "'weekday_on_or_after MM-DD'"
            )
        return value

    @field_validator("time")
    @classmethod
    def _check_time(cls, value: str | None) -> str | None:
        if value is not None and not _CLOCK.match(value):
            raise ValueError("time must be HH:MM (24-hour)")
        return value

    @model_validator(mode="after")
    def _time_has_zone(self) -> CyclePattern:
        if (self.time is None) != (self.zone is None):
            raise ValueError("give both time and zone, or neither")
        return self

    @property
    def observed_years(self) -> tuple[int, ...]:
        return tuple(sorted(int(y) for y in self.observed.split()))
