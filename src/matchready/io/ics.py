"""Export a cycle calendar as an iCalendar file (RFC 5545) through `write_atomic`.

Each entry with a known day becomes a VEVENT with a stable UID (from the entry key and the Match
year, so re-importing the file updates the same events instead of duplicating them), a DTSTAMP
(the calendar's as-of date, so the same input gives the same file), and a VALARM reminder. An
entry with a sourced clock time starts at that time in its zone (TZID, e.g. 9 pm
America/New_York, with a VTIMEZONE); others are all-day. The DESCRIPTION and the
X-MATCHREADY-SOURCE property name the source; X-MATCHREADY-DATE-KIND says official, estimated
or yours; "(estimated)" or "(unverified)" is in the SUMMARY where it applies, and a past date
says so. Month-only and unknown dates are not exported.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from matchready.domain.calendar import CalendarEntry, CycleCalendar
from matchready.io.files import write_atomic

PRODID = "-//matchready//cycle calendar//EN"
REMINDER = timedelta(days=7)
_NAMESPACE = uuid.UUID("6f1c1d2e-3f7a-4c55-9a4e-6d0b8a2f9e11")


def event_uid(key: str, match_year: int) -> str:
    """A UID that depends only on the entry key and the Match year."""
    return f"{uuid.uuid5(_NAMESPACE, f'{match_year}:{key}')}@matchready"


TIMED_LENGTH = timedelta(minutes=30)


def _description(entry: CalendarEntry) -> str:
    parts = [entry.detail] if entry.detail else []
    if entry.overdue:
        parts.append("Overdue: this date has passed and the task is still open.")
    elif entry.past:
        parts.append("This date has passed.")
    if entry.basis:
        parts.append(f"Due by: {entry.basis}")
    for citation in entry.citations:
        parts.append(f"Source: {citation}")
    if not entry.citations:
        parts.append("Source: your matchready plan")
    if entry.estimated:
        parts.append("Estimated from the pattern above; not announced in our sources.")
    elif not entry.verified:
        parts.append("Unverified: check this date with the official source.")
    return "\n".join(parts)


def _event(entry: CalendarEntry, match_year: int, stamp: datetime) -> Event:
    assert entry.on is not None  # only exportable entries reach here
    event = Event()
    event.add("uid", event_uid(entry.key, match_year))
    event.add("dtstamp", stamp)
    if entry.at is not None and entry.zone is not None:
        start = datetime.combine(entry.on, time.fromisoformat(entry.at), ZoneInfo(entry.zone))
        event.add("dtstart", start)
        event.add("dtend", start + TIMED_LENGTH)
    else:
        event.add("dtstart", entry.on)
        event.add("dtend", entry.on + timedelta(days=1))
    event.add("summary", entry.display_title)
    event.add("description", _description(entry))
    event.add("categories", [entry.kind.value])
    kind = "yours" if entry.kind.value == "mine" else entry.date_kind.value
    event.add("x-matchready-date-kind", kind)
    sources = "; ".join(c.source for c in entry.citations) or "your matchready plan"
    event.add("x-matchready-source", sources)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -REMINDER)
    alarm.add("description", f"In 7 days: {entry.display_title}")
    event.add_component(alarm)
    return event


def calendar_ics(calendar: CycleCalendar) -> bytes:
    """The calendar's exportable entries as iCalendar bytes."""
    ics = Calendar()
    ics.add("prodid", PRODID)
    ics.add("version", "2.0")
    ics.add("calscale", "GREGORIAN")
    ics.add("x-wr-calname", f"matchready — {calendar.match_year} Match")
    stamp = datetime.combine(calendar.as_of, time(0, 0), tzinfo=UTC)
    for entry in calendar.entries:
        if entry.exportable:
            ics.add_component(_event(entry, calendar.match_year, stamp))
    if any(e.exportable and e.at is not None for e in calendar.entries):
        ics.add_missing_timezones()
    data: bytes = ics.to_ical()
    return data


def write_ics(calendar: CycleCalendar, path: Path) -> int:
    """Write the calendar to `path` atomically; return the number of events written."""
    write_atomic(path, calendar_ics(calendar))
    return sum(1 for e in calendar.entries if e.exportable)
