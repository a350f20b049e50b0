"""The Match cycle of any Match year: its dated events and its phases.

Every event date of a Match year is one of three kinds (`DateKind`):
- **official**: a sourced calendar fact for that year (`calendar.csv`); it always wins;
- **estimated**: computed from a documented pattern (`cycle_patterns.csv`: e.g. Match Day is
  the third Friday of March), each pattern a fact with its source and the years it was observed
  in. A pattern estimates only the Match years its row covers (`applies_to`: from its first
  observed year to four years after its last); an estimate is always shown with its pattern;
- **unknown**: no fact and no pattern.

Dates carry their clock time and zone where the source gives one (9 pm Eastern). "Today" is the
applicant's date in their own zone, so an event is past once its instant has passed there.

The phases of a Match year (`Phase`) are contiguous, half-open spans of days: preparation (until
the ERAS season opens), the season open, applications, interviews, ranking (through the rank
order list deadline day), Match Week (from the day after the deadline through Match Day), before
the start of training, and after (from the start of training on). A phase whose start is not
known merges into the one before it, so any day falls in exactly one phase.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from matchready.domain.facts import CalendarEvent, CyclePattern, Facts
from matchready.domain.report import Citation, DateKind, Due, KeyDate
from matchready.errors import InputError, Location, Problem

EARLIEST_DAY = date(2000, 1, 1)
LATEST_YEARS_AHEAD = 10

# The events a plan shows, in cycle order, with what they mean for an applicant.
CYCLE_EVENTS: dict[str, str] = {
    "eras_opens": "ERAS season opens",
    "pathways_open": "ECFMG Pathways application opens",
    "applications_open": "applications can be submitted to programs",
    "nrmp_registration_opens": "NRMP Match registration opens",
    "programs_review_opens": "programs start reviewing applications",
    "interviews_begin": "interview season begins",
    "nrmp_registration_deadline": "NRMP standard registration deadline (late fee after)",
    "ranking_opens": "ranking opens (rank order lists can be entered)",
    "rol_deadline": "rank order list deadline",
    "match_week_starts": "Match Week begins",
    "match_day": "Match Day",
    "pathways_deadline": "Pathways application deadline",
    "program_start": "residency training starts",
}

_ZONE_ABBREVIATIONS = {"America/New_York": "ET"}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def zone_of(name: str, field: str = "time_zone") -> ZoneInfo:
    """The IANA time zone `name`; InputError naming `field` when no such zone exists."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            Problem(
                f"'{name}' is not a time zone (use an IANA name such as America/New_York)",
                Location(field=field),
            )
        ) from None


def clock_text(at: str | None, zone: str | None) -> str:
    """'9:00 pm ET' for 21:00 in America/New_York; '' without a time."""
    if at is None or zone is None:
        return ""
    hour, minute = (int(part) for part in at.split(":"))
    suffix = "am" if hour < 12 else "pm"
    shown = f"{(hour % 12) or 12}:{minute:02d} {suffix}"
    return f"{shown} {_ZONE_ABBREVIATIONS.get(zone, zone)}"


class CycleDate(BaseModel):
    """One event of one Match year: official, estimated from a pattern, or unknown."""

    model_config = ConfigDict(frozen=True)

    event: str
    match_year: int
    title: str
    kind: DateKind
    on: date | None = Field(description="The day in the source's zone; None when unknown")
    month_only: bool = False
    at: str | None = Field(default=None, description="Clock time (HH:MM) in `zone`")
    zone: str | None = None
    pattern: str | None = Field(default=None, description="The pattern an estimate comes from")
    verified: bool = False
    detail: str = ""
    citation: Citation | None = None

    def instant(self) -> datetime | None:
        """The moment of the event (the end of its day when the time is not given)."""
        if self.on is None or self.month_only:
            return None
        zone = ZoneInfo(self.zone) if self.zone else None
        if self.at is None:
            return datetime.combine(self.on, time(23, 59), tzinfo=zone)
        return datetime.combine(self.on, time.fromisoformat(self.at), tzinfo=zone)

    def day_in(self, zone: ZoneInfo | None) -> date | None:
        """The event's day for someone in `zone` (an evening deadline in New York is the next
        morning in Lagos); the source's own day when no zone or no time is known."""
        if self.on is None:
            return None
        moment = self.instant()
        if moment is None or self.at is None or zone is None or moment.tzinfo is None:
            return self.on
        return moment.astimezone(zone).date()

    @property
    def clock(self) -> str:
        """'9:00 pm ET', or '' when the source gives no time."""
        return clock_text(self.at, self.zone)

    @property
    def label(self) -> str:
        """The date as a reader sees it; an estimate always names its pattern."""
        if self.on is None:
            return "unknown"
        if self.month_only:
            return f"{self.on:%Y-%m} (day unknown)"
        text = self.on.isoformat() + (f", {self.clock}" if self.clock else "")
        if self.kind is DateKind.ESTIMATED:
            text += f" (estimated: {self.pattern})"
        return text

    def as_due(self) -> Due:
        return Due(
            on=self.on,
            label=self.label,
            basis=f"{self.title}, {self.match_year} Match",
            verified=self.verified,
            kind=self.kind,
            at=self.at,
            zone=self.zone,
            citation=self.citation,
        )


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    if day.month != month:
        raise ValueError(f"no weekday number {nth} in {year}-{month:02d}")
    return day


def pattern_day(pattern: CyclePattern, match_year: int, anchor: date | None = None) -> date:
    """The day `pattern` gives in `match_year` (`anchor`: the day of the event an `offset`
    pattern counts from)."""
    kind, *args = pattern.rule.split()
    year = match_year + pattern.year_offset
    if kind == "nth_weekday":
        nth, weekday, month_of = args
        return _nth_weekday(year, int(month_of), _WEEKDAYS.index(weekday), int(nth))
    if kind == "offset":
        if anchor is None:
            raise ValueError(f"pattern for {pattern.event} needs the day of {args[0]}")
        return anchor + timedelta(days=int(args[1]))
    month_text, day_text = args[0].split("-")
    month, day = int(month_text), int(day_text)
    found = date(year, month, min(day, _calendar.monthrange(year, month)[1]))
    if kind == "weekday_on_or_after":
        while found.weekday() >= 5:
            found += timedelta(days=1)
    return found


def _official(found: CalendarEvent, pattern: CyclePattern | None, title: str) -> CycleDate:
    # The pattern's clock time belongs to an official date only for a year it was observed in.
    timed = pattern is not None and found.match_year in pattern.observed_years
    return CycleDate(
        event=found.event,
        match_year=found.match_year,
        title=title,
        kind=DateKind.OFFICIAL,
        on=found.day,
        month_only=found.month_only,
        at=pattern.time if timed and pattern and not found.month_only else None,
        zone=pattern.zone if timed and pattern and not found.month_only else None,
        verified=found.verified,
        detail=found.summary + (f". {found.note}" if found.note else ""),
        citation=Citation.of(found),
    )


def _estimate(
    facts: Facts, match_year: int, pattern: CyclePattern, title: str, depth: int
) -> CycleDate | None:
    if not pattern.covers(match_year) or depth > 3:
        return None
    anchor = None
    if pattern.rule.startswith("offset "):
        base = resolve(facts, match_year, pattern.rule.split()[1], depth + 1)
        if base.on is None or base.month_only:
            return None
        anchor = base.on
    seen = ", ".join(str(y) for y in pattern.observed_years)
    return CycleDate(
        event=pattern.event,
        match_year=match_year,
        title=title,
        kind=DateKind.ESTIMATED,
        on=pattern_day(pattern, match_year, anchor),
        at=pattern.time,
        zone=pattern.zone,
        pattern=f"{pattern.summary}, as in {seen}",
        verified=False,
        detail=f"Estimated; not announced in our sources. Pattern: {pattern.summary} "
        f"(observed {seen}).",
        citation=Citation.of(pattern),
    )


def resolve(facts: Facts, match_year: int, event: str, _depth: int = 0) -> CycleDate:
    """The date of `event` in the `match_year` Match: official, estimated or unknown.

    An official day always wins. An official month (day unknown) gives way to the pattern's
    day when that day falls in the same month; the estimate then says the month is sourced.
    """
    title = CYCLE_EVENTS.get(event, event.replace("_", " "))
    title = title[0].upper() + title[1:]
    pattern = facts.pattern(event)
    found = facts.event(match_year, event)
    estimate = _estimate(facts, match_year, pattern, title, _depth) if pattern else None
    if found is not None:
        official = _official(found, pattern, title)
        if not found.month_only or estimate is None or estimate.on is None:
            return official
        if (estimate.on.year, estimate.on.month) != (found.day.year, found.day.month):
            return official
        month = f"{found.day:%Y-%m}"
        return estimate.model_copy(
            update={
                "detail": f"{estimate.detail} The month ({month}) is in our sources: "
                f"{found.summary} ({found.source})."
            }
        )
    if estimate is not None:
        return estimate
    return CycleDate(
        event=event,
        match_year=match_year,
        title=title,
        kind=DateKind.UNKNOWN,
        on=None,
        detail=f"The date for the {match_year} Match is not in our sources, and no documented "
        "pattern dates it.",
    )


def due_day(deadline: Due | None, zone: ZoneInfo | None) -> date | None:
    """The deadline's day for someone in `zone` (its instant moved there when it has a time)."""
    if deadline is None or deadline.on is None:
        return None
    if deadline.at is None or deadline.zone is None or zone is None:
        return deadline.on
    moment = datetime.combine(
        deadline.on, time.fromisoformat(deadline.at), tzinfo=ZoneInfo(deadline.zone)
    )
    return moment.astimezone(zone).date()


def due(facts: Facts, match_year: int, event: str) -> Due:
    """The date of `event` in the `match_year` Match cycle as a deadline (possibly unknown)."""
    return resolve(facts, match_year, event).as_due()


def cycle_dates(facts: Facts, match_year: int) -> list[CycleDate]:
    """Every event of the Match year that has a date (official or estimated), in date order,
    then the usual events no source or pattern dates."""
    events = dict.fromkeys(
        [e.event for e in facts.calendar if e.match_year == match_year]
        + [p.event for p in facts.patterns]
        + list(CYCLE_EVENTS)
    )
    found = [resolve(facts, match_year, event) for event in events]
    return sorted(found, key=lambda d: (d.on is None, d.on or date.max, d.event))


def key_dates(facts: Facts, match_year: int) -> list[KeyDate]:
    """Every dated event of the cycle (official and estimated), in date order."""
    return [
        KeyDate(
            event=d.event,
            summary=d.detail.split(". ")[0] if d.kind is DateKind.OFFICIAL else d.title,
            date=d.label,
            verified=d.verified,
            kind=d.kind,
            citation=d.citation,
        )
        for d in cycle_dates(facts, match_year)
        if d.on is not None and d.citation is not None
    ]


def has_dates(facts: Facts, match_year: int) -> bool:
    """True when the Match year has an official date or a pattern that estimates it."""
    return any(e.match_year == match_year for e in facts.calendar) or any(
        p.covers(match_year) for p in facts.patterns
    )


def require_dates(facts: Facts, match_year: int) -> None:
    """InputError when the Match year has no facts and no pattern to estimate them from."""
    if has_dates(facts, match_year):
        return
    covered = sorted(
        {y for p in facts.patterns for y in p.scope if y is not None}
        | {e.match_year for e in facts.calendar}
    )
    span = f" (dates exist for the {covered[0]} to {covered[-1]} Matches)" if covered else ""
    raise InputError(
        Problem(
            f"the {match_year} Match has no dates in our sources and no documented pattern to "
            f"estimate them from{span}",
            Location(field="target.match_year"),
        )
    )


def check_as_of(day: date, today: date) -> date:
    """`day` as an as-of date; InputError when before 2000 or more than ten years ahead."""
    latest = date(today.year + LATEST_YEARS_AHEAD, 12, 31)
    if not EARLIEST_DAY <= day <= latest:
        raise InputError(
            Problem(
                f"{day} is out of range: give a date from {EARLIEST_DAY} to {latest}",
                Location(field="as_of"),
            )
        )
    return day


# --- phases ---------------------------------------------------------------------------------


class Phase(StrEnum):
    PREPARATION = "preparation"
    SEASON_OPEN = "season_open"
    APPLICATIONS = "applications"
    INTERVIEWS = "interviews"
    RANKING = "ranking"
    MATCH_WEEK = "match_week"
    BEFORE_START = "before_start"
    AFTER_MATCH = "after_match"

    @property
    def words(self) -> str:
        return PHASE_TITLES[self]


PHASE_TITLES = {
    Phase.PREPARATION: "Preparation (exams, ECFMG, documents)",
    Phase.SEASON_OPEN: "Application season open (build your ERAS / ResidencyCAS application)",
    Phase.APPLICATIONS: "Applications to programs",
    Phase.INTERVIEWS: "Interview season",
    Phase.RANKING: "Ranking (rank order list open until the certification deadline)",
    Phase.MATCH_WEEK: "Match Week (lists locked; results, SOAP, Match Day)",
    Phase.BEFORE_START: "Before the start of training",
    Phase.AFTER_MATCH: "After the Match (training started, or the next cycle)",
}

# Each phase and the event it starts with; the day after the event for the two that begin
# once an event's day is over.
_PHASE_STARTS: tuple[tuple[Phase, str | None, int], ...] = (
    (Phase.PREPARATION, None, 0),
    (Phase.SEASON_OPEN, "eras_opens", 0),
    (Phase.APPLICATIONS, "applications_open", 0),
    (Phase.INTERVIEWS, "programs_review_opens", 0),
    (Phase.RANKING, "ranking_opens", 0),
    (Phase.MATCH_WEEK, "rol_deadline", 1),
    (Phase.BEFORE_START, "match_day", 1),
    (Phase.AFTER_MATCH, "program_start", 0),
)


class PhaseSpan(BaseModel):
    """One phase of a Match year: from `start` (None: open) up to, not including, `end`."""

    model_config = ConfigDict(frozen=True)

    phase: Phase
    title: str
    start: date | None
    end: date | None
    kind: DateKind = Field(description="official, or estimated when a bound is estimated")
    starts_with: str | None = Field(default=None, description="The event that opens it")

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


def _phases(facts: Facts, match_year: int, zone: str | None) -> tuple[PhaseSpan, ...]:
    tz = ZoneInfo(zone) if zone else None
    starts: list[tuple[Phase, date | None, DateKind, str | None]] = []
    for phase, event, after in _PHASE_STARTS:
        if event is None:
            starts.append((phase, None, DateKind.OFFICIAL, None))
            continue
        found = resolve(facts, match_year, event)
        day = found.day_in(tz)
        if day is None or found.month_only:
            continue  # merges into the phase before
        starts.append((phase, day + timedelta(days=after), found.kind, event))
    for earlier, later in pairwise(starts):
        if earlier[1] is not None and later[1] is not None and later[1] < earlier[1]:
            raise ValueError(f"{match_year} Match: {later[3]} comes before {earlier[3]}")
    spans: list[PhaseSpan] = []
    for index, (phase, start, kind, event) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else None
        next_kind = starts[index + 1][2] if index + 1 < len(starts) else DateKind.OFFICIAL
        estimated = DateKind.ESTIMATED in (kind, next_kind)
        spans.append(
            PhaseSpan(
                phase=phase,
                title=phase.words,
                start=start,
                end=end,
                kind=DateKind.ESTIMATED if estimated else DateKind.OFFICIAL,
                starts_with=event,
            )
        )
    return tuple(s for s in spans if s.start is None or s.end is None or s.start < s.end)


def phases(facts: Facts, match_year: int, zone: str | None = None) -> list[PhaseSpan]:
    """The phases of the `match_year` Match, in order, for someone in `zone`."""
    return list(_phases(facts, match_year, zone))


def phase_on(facts: Facts, day: date, match_year: int, zone: str | None = None) -> PhaseSpan:
    """The phase an applicant in the `match_year` Match is in on `day` (their own date)."""
    for span in _phases(facts, match_year, zone):
        if span.contains(day):
            return span
    raise AssertionError("phases cover every day")  # pragma: no cover


def target_warnings(facts: Facts, match_year: int, today: date) -> list[str]:
    """What an applicant should hear about their target Match on `today`: that it is over
    (with the next cycle's deadline), or that no source or pattern dates it."""
    if not has_dates(facts, match_year):
        return [
            f"the {match_year} Match has no dates in our sources and no documented pattern to "
            "estimate them from"
        ]
    match_day = resolve(facts, match_year, "match_day")
    if match_day.on is None or match_day.on >= today:
        return []
    following = resolve(facts, match_year + 1, "rol_deadline")
    offer = (
        f"; the next cycle is the {match_year + 1} Match (rank order list deadline "
        f"{following.label})"
        if following.on is not None
        else f"; the next cycle is the {match_year + 1} Match"
    )
    return [f"the {match_year} Match ended on {match_day.on} (Match Day){offer}"]
