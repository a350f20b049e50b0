"""Use case: the applicant's cycle calendar (official dates and own tasks), optionally as ICS."""

from __future__ import annotations

from datetime import date

from matchready.domain.applicant import Profile
from matchready.domain.calendar import CycleCalendar, build_calendar
from matchready.domain.facts import Facts
from matchready.services.plan import build_plan


def cycle_calendar(profile: Profile, facts: Facts, as_of: date) -> CycleCalendar:
    """The calendar of `profile`'s target Match; the tasks come from the plan's checklist."""
    plan = build_plan(profile, facts, as_of)
    return build_calendar(plan.checklist, facts, profile.target.match_year, as_of)
