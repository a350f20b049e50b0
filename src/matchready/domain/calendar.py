"""The applicant's cycle calendar: every event of the target Match and their own dated items.

Cycle events are official (a sourced fact), estimated (from a documented pattern, which the
title and detail name) or unknown (listed, never exported). The applicant's items are their own
dates (exams, graduation, OET, US clinical experience, the certificate expected, interviews from
the tracker) and the due dates of their open tasks from the plan's checklist (reused, never
re-derived). A date known only to the month is shown as such and never turned into a day.
Items already past are kept and marked; a task whose date has passed is overdue, not open.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from matchready.domain.applicant import Profile
from matchready.domain.cycle import CycleDate, clock_text, cycle_dates, due, due_day
from matchready.domain.facts import Facts
from matchready.domain.report import ChecklistItem, Citation, DateKind, Due, ItemState

READY_BEFORE_REVIEW = (
    "Recommended: ready before programs start reviewing applications; everything submitted "
    "between the opening of applications and that date carries the same date stamp."
)


class EntryKind(StrEnum):
    CYCLE = "cycle"
    TASK = "task"
    MINE = "mine"


class CalendarEntry(BaseModel):
    """One dated (or undated) entry; `on` is None when the date is unknown."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(description="Stable key, e.g. 'cycle.match_day' or 'task.step2ck'")
    kind: EntryKind
    title: str
    on: date | None
    label: str = Field(description="The date as shown: a day, 'YYYY-MM (day unknown)' or unknown")
    month_only: bool = False
    verified: bool = False
    date_kind: DateKind = DateKind.OFFICIAL
    at: str | None = Field(default=None, description="Clock time (HH:MM) in `zone`")
    zone: str | None = None
    past: bool = Field(default=False, description="True when the date is before today")
    overdue: bool = Field(default=False, description="An open task whose date has passed")
    detail: str = ""
    basis: str = Field(default="", description="For a task: the date it is due by, in words")
    citations: list[Citation] = Field(default_factory=list)

    @property
    def exportable(self) -> bool:
        """True when the entry has a known day (month-only and unknown dates are not days)."""
        return self.on is not None and not self.month_only

    @property
    def estimated(self) -> bool:
        return self.date_kind is DateKind.ESTIMATED

    @property
    def display_title(self) -> str:
        if self.on is None:
            return self.title
        if self.estimated:
            return f"{self.title} (estimated)"
        unverified = not self.verified and self.kind is not EntryKind.MINE
        return f"{self.title} (unverified)" if unverified else self.title

    @property
    def short_label(self) -> str:
        """The day and clock time only ('2027-03-03, 9:00 pm ET'); the pattern is in `detail`."""
        if self.on is None or self.month_only:
            return self.label
        clock = clock_text(self.at, self.zone)
        return self.on.isoformat() + (f", {clock}" if clock else "")

    @property
    def status(self) -> str:
        """'overdue', 'past' or '' (upcoming or undated)."""
        return "overdue" if self.overdue else "past" if self.past else ""


class CycleCalendar(BaseModel):
    """The whole calendar of one applicant's target Match, in date order (unknown last)."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    match_year: int
    time_zone: str = "UTC"
    entries: list[CalendarEntry]

    @property
    def not_exportable(self) -> list[CalendarEntry]:
        return [e for e in self.entries if not e.exportable]


def _cycle_entry(found: CycleDate) -> CalendarEntry:
    return CalendarEntry(
        key=f"cycle.{found.event}",
        kind=EntryKind.CYCLE,
        title=found.title,
        on=found.on,
        label=found.label,
        month_only=found.month_only,
        verified=found.verified,
        date_kind=found.kind,
        at=found.at,
        zone=found.zone,
        detail=found.detail,
        citations=[found.citation] if found.citation else [],
    )


def cycle_entries(facts: Facts, match_year: int) -> list[CalendarEntry]:
    """Every event of the cycle: official, estimated, and the usual ones still unknown."""
    return [_cycle_entry(found) for found in cycle_dates(facts, match_year)]


def _from_due(
    key: str, title: str, detail: str, deadline: Due, overdue_if_past: bool = True
) -> CalendarEntry:
    month_only = deadline.on is not None and "(day unknown)" in deadline.label
    return CalendarEntry(
        key=key,
        kind=EntryKind.TASK,
        title=title,
        on=deadline.on,
        label=deadline.label,
        month_only=month_only,
        verified=deadline.verified,
        date_kind=deadline.kind,
        at=deadline.at,
        zone=deadline.zone,
        overdue=overdue_if_past,  # resolved against today in `_mark`
        detail=detail,
        basis=deadline.basis,
        citations=[deadline.citation] if deadline.citation else [],
    )


def task_entries(
    checklist: Sequence[ChecklistItem], facts: Facts, match_year: int
) -> list[CalendarEntry]:
    """The applicant's open tasks (from the plan's checklist) and their application documents."""
    entries: list[CalendarEntry] = []
    for item in checklist:
        if item.state is ItemState.DONE:
            continue
        detail = item.action or item.detail
        if item.due is not None:
            entries.append(_from_due(f"task.{item.key}", item.title, detail, item.due))
        if item.recommended_by is not None:
            entries.append(
                _from_due(
                    f"task.{item.key}.recommended",
                    f"{item.title} (recommended)",
                    detail,
                    item.recommended_by,
                    overdue_if_past=False,
                )
            )
    review = due(facts, match_year, "programs_review_opens")
    for key, title in (
        ("letters", "Letters of recommendation uploaded to ERAS"),
        ("personal_statement", "Personal statement final and uploaded"),
        ("eras_application", "ERAS application complete and submitted"),
    ):
        entries.append(
            _from_due(f"task.{key}", title, READY_BEFORE_REVIEW, review, overdue_if_past=False)
        )
    return entries


def _mine(key: str, title: str, on: date, detail: str = "") -> CalendarEntry:
    return CalendarEntry(
        key=f"mine.{key}",
        kind=EntryKind.MINE,
        title=title,
        on=on,
        label=on.isoformat(),
        verified=True,
        detail=detail or "From your profile.",
    )


def own_entries(
    profile: Profile, interviews: Sequence[tuple[str, date]] = ()
) -> list[CalendarEntry]:
    """The applicant's own dated items: exams, graduation, OET, USCE, certificate, interviews."""
    entries = [_mine("graduation", "Graduation (diploma date)", profile.school.graduation)]
    for key, name, exam in (
        ("step1", "USMLE Step 1", profile.exams.step1),
        ("step2ck", "USMLE Step 2 CK", profile.exams.step2ck),
        ("step3", "USMLE Step 3", profile.exams.step3),
    ):
        if exam.date is not None:
            entries.append(_mine(f"exam.{key}", f"{name} ({exam.status.value})", exam.date))
    oet = profile.communication.oet
    if oet is not None:
        entries.append(_mine("oet", "OET Medicine taken", oet.date))
    for number, usce in enumerate(profile.usce, start=1):
        where = f"{usce.kind.value} at {usce.institution}"
        entries.append(_mine(f"usce.{number}.start", f"USCE starts: {where}", usce.start))
        entries.append(_mine(f"usce.{number}.end", f"USCE ends: {where}", usce.end))
    ecfmg = profile.ecfmg
    if ecfmg.certificate_issued is not None:
        entries.append(_mine("certificate", "ECFMG certificate issued", ecfmg.certificate_issued))
    elif ecfmg.certificate_expected is not None:
        entries.append(
            _mine("certificate", "ECFMG certificate expected", ecfmg.certificate_expected)
        )
    for program, on in interviews:
        entries.append(
            _mine(f"interview.{program}", f"Interview: {program}", on, "From your tracker.")
        )
    return entries


def _mark(entry: CalendarEntry, today: date, zone: ZoneInfo | None) -> CalendarEntry:
    day = due_day(
        Due(on=entry.on, label=entry.label, basis="", at=entry.at, zone=entry.zone), zone
    )
    past = day is not None and not entry.month_only and day < today
    overdue = past and entry.overdue and entry.kind is EntryKind.TASK
    return entry.model_copy(update={"past": past, "overdue": overdue})


def build_calendar(
    checklist: Sequence[ChecklistItem],
    facts: Facts,
    match_year: int,
    as_of: date,
    *,
    profile: Profile | None = None,
    interviews: Sequence[tuple[str, date]] = (),
    zone: str = "UTC",
) -> CycleCalendar:
    """The calendar of the `match_year` Match: its events, the applicant's own dated items
    and tasks; each marked past (or overdue) against `as_of`, the applicant's date in `zone`."""
    entries = cycle_entries(facts, match_year) + task_entries(checklist, facts, match_year)
    if profile is not None:
        entries += own_entries(profile, interviews)
    tz = ZoneInfo(zone)
    marked = [_mark(e, as_of, tz) for e in entries]

    def order(entry: CalendarEntry) -> tuple[int, date, str, str]:
        return (entry.on is None, entry.on or date.max, entry.kind.value, entry.key)

    return CycleCalendar(
        as_of=as_of, match_year=match_year, time_zone=zone, entries=sorted(marked, key=order)
    )
