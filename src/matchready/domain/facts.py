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

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from matchready.domain.fact_rows import (
    AcgmeSpecialtyCode,
    ApplicantType,
    CalendarEvent,
    Carry,
    CyclePattern,
    FactStatus,
    FeeFact,
    MatchOutcome,
    RuleFact,
    SignalFact,
    SourceKind,
    SpecialtyStats,
    TravelRestriction,
    country_key,
    parse_scope,
)
from matchready.domain.program import Program

# The row schemas live in fact_rows.py; callers keep importing them from here.
__all__ = [
    "AcgmeSpecialtyCode",
    "ApplicantType",
    "ApplicationService",
    "CalendarEvent",
    "Carry",
    "CyclePattern",
    "FactStatus",
    "Facts",
    "FeeFact",
    "MatchOutcome",
    "Overridable",
    "RuleFact",
    "SignalFact",
    "SourceKind",
    "SpecialtyStats",
    "TravelRestriction",
    "parse_scope",
]

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
    patterns: tuple[CyclePattern, ...] = ()
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

    def specialty_label(self, program: Program) -> str:
        """How a program's specialty is shown, everywhere (the one rule): its stated name, else
        the name the ACGME specialty-code table gives its code (the code stated, else the first
        3 digits of its ACGME number), marked unverified when the table's row is; "specialty
        unknown" only when neither says."""
        if program.specialty:
            return program.specialty
        number = program.acgme_number
        code = program.specialty_code or (number[:3] if number else None)
        found = self.acgme_specialty(code)
        if found is None:
            return f"specialty unknown (ACGME code {code})" if code else "specialty unknown"
        checked = "" if found.status is FactStatus.VERIFIED else ", unverified"
        return f"{found.name} (ACGME code {code}{checked})"

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

    def pattern(self, event: str) -> CyclePattern | None:
        """The documented pattern that estimates `event` in years without an official date."""
        return next((p for p in self.patterns if p.event == event), None)

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
        wanted = country_key(country)
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
