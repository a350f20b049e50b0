"""The applicant's cycle calendar: the official dates of the target Match and their own tasks.

Official dates come from the calendar facts, each with its source and verified/unverified mark;
an event a plan relies on that our sources do not date is listed as `unknown`. The applicant's
tasks come from the plan's checklist (reused, never re-derived). A date known only to the month
is shown as such and is never turned into a day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from matchready.domain.cycle import CYCLE_EVENTS, due
from matchready.domain.facts import Facts
from matchready.domain.report import ChecklistItem, Citation, Due, ItemState

READY_BEFORE_REVIEW = (
    "Recommended: ready before programs start reviewing applications; everything submitted "
    "between the opening of applications and that date carries the same date stamp."
)


class EntryKind(StrEnum):
    CYCLE = "cycle"
    TASK = "task"


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
    detail: str = ""
    basis: str = Field(default="", description="For a task: the date it is due by, in words")
    citations: list[Citation] = Field(default_factory=list)

    @property
    def exportable(self) -> bool:
        """True when the entry has a known day (month-only and unknown dates are not days)."""
        return self.on is not None and not self.month_only

    @property
    def display_title(self) -> str:
        known = self.on is not None
        return self.title if self.verified or not known else f"{self.title} (unverified)"


class CycleCalendar(BaseModel):
    """The whole calendar of one applicant's target Match, in date order (unknown last)."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    match_year: int
    entries: list[CalendarEntry]

    @property
    def not_exportable(self) -> list[CalendarEntry]:
        return [e for e in self.entries if not e.exportable]


def cycle_entries(facts: Facts, match_year: int) -> list[CalendarEntry]:
    """Every dated event of the cycle, plus each usual event our sources do not date."""
    entries = [
        CalendarEntry(
            key=f"cycle.{e.event}",
            kind=EntryKind.CYCLE,
            title=e.summary,
            on=e.day,
            label=e.label(),
            month_only=e.month_only,
            verified=e.verified,
            detail=e.note,
            citations=[Citation.of(e)],
        )
        for e in facts.calendar
        if e.match_year == match_year
    ]
    known = {e.key for e in entries}
    for event, meaning in CYCLE_EVENTS.items():
        if f"cycle.{event}" not in known:
            entries.append(
                CalendarEntry(
                    key=f"cycle.{event}",
                    kind=EntryKind.CYCLE,
                    title=meaning[0].upper() + meaning[1:],
                    on=None,
                    label="unknown",
                    detail=f"The date for the {match_year} Match is not in our sources.",
                )
            )
    return entries


def _from_due(key: str, title: str, detail: str, deadline: Due) -> CalendarEntry:
    month_only = deadline.on is not None and deadline.label != deadline.on.isoformat()
    return CalendarEntry(
        key=key,
        kind=EntryKind.TASK,
        title=title,
        on=deadline.on,
        label=deadline.label,
        month_only=month_only,
        verified=deadline.verified,
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
                )
            )
    review = due(facts, match_year, "programs_review_opens")
    for key, title in (
        ("letters", "Letters of recommendation uploaded to ERAS"),
        ("personal_statement", "Personal statement final and uploaded"),
        ("eras_application", "ERAS application complete and submitted"),
    ):
        entries.append(_from_due(f"task.{key}", title, READY_BEFORE_REVIEW, review))
    return entries


def build_calendar(
    checklist: Sequence[ChecklistItem], facts: Facts, match_year: int, as_of: date
) -> CycleCalendar:
    """The calendar of the `match_year` Match: official dates and the applicant's tasks."""
    entries = cycle_entries(facts, match_year) + task_entries(checklist, facts, match_year)

    def order(entry: CalendarEntry) -> tuple[int, date, str, str]:
        return (entry.on is None, entry.on or date.max, entry.kind.value, entry.key)

    return CycleCalendar(as_of=as_of, match_year=match_year, entries=sorted(entries, key=order))
