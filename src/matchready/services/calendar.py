"""Use case: the applicant's cycle calendar (cycle events, own dated items, tasks), as ICS too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from matchready.domain.applicant import Profile
from matchready.domain.calendar import CycleCalendar, build_calendar
from matchready.domain.facts import Facts
from matchready.domain.tracker import Tracker
from matchready.services.plan import applicant_zone, build_plan


def interview_days(tracker: Tracker) -> tuple[tuple[str, date], ...]:
    """(program, day) of each dated interview in `tracker`, for the calendar."""
    return tuple((i.program, i.on) for i in tracker.interviews if i.on is not None)


def cycle_calendar(
    profile: Profile,
    facts: Facts,
    as_of: date,
    *,
    interviews: Sequence[tuple[str, date]] = (),
    zone: str | None = None,
) -> CycleCalendar:
    """The calendar of `profile`'s target Match; the tasks come from the plan's checklist and
    `interviews` (program, day) from the tracker."""
    zone_name = zone or applicant_zone(profile)
    plan = build_plan(profile, facts, as_of, zone_name)
    return build_calendar(
        plan.checklist,
        facts,
        profile.target.match_year,
        as_of,
        profile=profile,
        interviews=interviews,
        zone=zone_name,
    )
