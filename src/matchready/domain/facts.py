"""Facts with provenance: every figure the rules use, with its source, as_of date and status.

The rows are validated by these schemas when the data files are loaded (see `matchready.data`;
the files themselves ship as the `matchready-facts` distribution, released by date).
Code reads facts through one `Facts` object that is passed in, so tests can supply their own.

Every row says where it comes from (`source`, `as_of`), what kind of source that is
(`source_kind`: official, secondary, or the user's own) and which Match years it covers
(`applies_to`: `2026`, `2022-2026`, or `2023-` for "from 2023 until replaced"). A row may be
`verified` only on an official source; a secondary one is shown as "secondary source".

Looking up a Match year the data does not cover follows one rule per kind of fact (`Carry`):
fees and signal limits carry the latest published schedule forward, labelled as such; rules
(passing scores, limits) stay in force until replaced; calendar dates are never carried over
(the cycle patterns estimate them instead).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
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


def _country_key(name: str) -> str:
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
        return {_country_key(n) for n in (self.country, *others)}


Overridable = RuleFact | CalendarEvent | FeeFact | SignalFact


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
    travel_restrictions: tuple[TravelRestriction, ...] = ()
    #: The facts release these rows come from (`matchready-facts` version and date), if known.
    release: str = ""
    released: str = ""
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
        """The version of fact `key` in force on `on` (the latest one if `on` is None).

        A fact of your own wins from the season of the first Match year it applies to (a date
        in the year before that Match counts as its season).
        """
        versions = self._by_key.get(key, [])
        mine = [f for f in versions if f.mine and (on is None or f.scope[0] <= on.year + 1)]
        if mine:
            return max(mine, key=lambda f: f.scope[0])
        versions = [f for f in versions if not f.mine]
        if on is not None:
            versions = [f for f in versions if f.effective_from is None or f.effective_from <= on]
        return versions[-1] if versions else None

    def with_overrides(self, rows: Sequence[Overridable]) -> Facts:
        """These facts with the user's own rows in place of the bundled ones they override.

        A fee, date or signal limit of the user's replaces the bundled row of the same key,
        Match year (and tier); a rule of the user's is added and wins where it applies.
        """
        fees, calendar, signals = list(self.fees), list(self.calendar), list(self.signals)
        rules = list(self.rules)
        for row in rows:
            if isinstance(row, FeeFact):
                fees = [f for f in fees if _fee_id(f) != _fee_id(row)] + [row]
            elif isinstance(row, CalendarEvent):
                calendar = [
                    e for e in calendar if (e.match_year, e.event) != (row.match_year, row.event)
                ]
                calendar.append(row)
            elif isinstance(row, SignalFact):
                signals = [
                    s for s in signals if (s.season, s.specialty) != (row.season, row.specialty)
                ]
                signals.append(row)
            else:
                rules.append(row)
        return replace(
            self,
            rules=tuple(rules),
            fees=tuple(fees),
            calendar=tuple(calendar),
            signals=tuple(signals),
        )

    @property
    def mine(self) -> tuple[RuleFact | CalendarEvent | FeeFact | SignalFact, ...]:
        """The user's own facts among these."""
        rows: tuple[Overridable, ...] = (*self.rules, *self.calendar, *self.fees, *self.signals)
        return tuple(r for r in rows if r.mine)

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
        """The signal limit of exactly the `season` season (None when not published)."""
        wanted = specialty.strip().upper()
        for item in self.signals:
            if item.season == season and item.specialty == wanted:
                return item
        return None

    # Lookups by Match year that fall back by the rule of their kind (`Carry`).

    def fee_tiers_at(self, key: str, match_year: int) -> tuple[tuple[FeeFact, ...], str | None]:
        """Fee `key` for the `match_year` season, falling back to the latest published schedule.

        Returns the tiers and a note saying which schedule was used when it is not the season's
        own ("at the 2026 schedule; the 2027 fee is not published"); no tiers when no season up
        to `match_year` has the fee.
        """
        years = {f.match_year for f in self.fees if f.key == key and f.match_year <= match_year}
        if not years:
            return (), None
        used = max(years)
        note = None if used == match_year else _carried_note("fee", used, match_year)
        return self.fee_tiers(key, used), note

    def fee_at(self, key: str, match_year: int) -> tuple[FeeFact | None, str | None]:
        """The single fee `key` for the `match_year` season, with the fallback note (if any)."""
        tiers, note = self.fee_tiers_at(key, match_year)
        return (tiers[0] if tiers else None), note

    def signal_limit_at(self, season: int, specialty: str) -> tuple[SignalFact | None, str | None]:
        """The signal limit for `season`, falling back to the latest published season."""
        wanted = specialty.strip().upper()
        found = [s for s in self.signals if s.specialty == wanted and s.season <= season]
        if not found:
            return None, None
        latest = max(found, key=lambda s: s.season)
        note = None if latest.season == season else _carried_note("limit", latest.season, season)
        return latest, note

    def rule_for(self, key: str, match_year: int) -> RuleFact | None:
        """The version of rule `key` in force for the `match_year` Match (rules stay in force
        until replaced: the covering version that starts latest), or None."""
        versions = [f for f in self._by_key.get(key, []) if f.covers(match_year)]
        if not versions:
            return None
        return max(versions, key=lambda f: (f.mine, f.scope[0], f.effective_from or date.min))

    def travel_restriction(self, country: str, match_year: int) -> TravelRestriction | None:
        """The restriction on nationals of `country` that governs a July start after the
        `match_year` Match (None: the country is on no list in force then)."""
        wanted = _country_key(country)
        found = [
            r for r in self.travel_restrictions if r.covers(match_year) and wanted in r.names()
        ]
        return max(found, key=lambda r: r.effective_from) if found else None

    def application_service(self, specialty: str, match_year: int) -> ApplicationService:
        """Which application service `specialty` uses for the `match_year` Match.

        A specialty with its own row (`application_service.<code>`, e.g. OB/GYN and Emergency
        Medicine on ResidencyCAS) uses that service in the years the row covers; every other
        specialty, and those years before a move, use the default (`application_service.default`,
        ERAS). `signals` says whether ERAS program signals apply.
        """
        code = specialty.strip().lower()
        own = self.rule_for(f"application_service.{code}", match_year)
        fact = own or self.rule_for("application_service.default", match_year)
        name = fact.value if fact is not None else "ERAS"
        return ApplicationService(name=name, specialty=code, fact=fact)


@dataclass(frozen=True)
class ApplicationService:
    """The service a specialty's applications go through in one Match year, with its source.

    `fact` is None only when the facts hold no row at all (then ERAS is assumed and unsourced).
    """

    name: str
    specialty: str
    fact: RuleFact | None

    @property
    def eras(self) -> bool:
        return self.name == "ERAS"

    @property
    def signals(self) -> bool:
        """Whether the ERAS program-signal limits (signals.csv) apply."""
        return self.eras

    def _key(self, item: str) -> str:
        return f"eras.{item}" if self.eras else f"{self.name.lower()}.{self.specialty}.{item}"

    @property
    def fee_key(self) -> str:
        """Its per-program fee in the fees table: `eras.program` (per specialty, one schedule for
        all), or the specialty's own schedule on another service (`residencycas.em.program`)."""
        return self._key("program")

    @property
    def transcript_key(self) -> str:
        """Its USMLE transcript fee key (`eras.usmle_transcript`, `residencycas.em....`)."""
        return self._key("usmle_transcript")


def _fee_id(fee: FeeFact) -> tuple[str, int, int | None]:
    return (fee.key, fee.match_year, fee.tier_from)


def _carried_note(what: str, used: int, wanted: int) -> str:
    return f"at the {used} schedule; the {wanted} {what} is not published"
