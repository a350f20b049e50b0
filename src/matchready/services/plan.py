"""Use case: build an applicant's plan (checklist, YOG, red flags, visa advice, next actions)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from matchready.domain.applicant import Profile
from matchready.domain.cycle import due, due_day, key_dates, require_dates, zone_of
from matchready.domain.ecfmg import checklist
from matchready.domain.facts import ApplicantType, Facts
from matchready.domain.flags import red_flags
from matchready.domain.now import build_now
from matchready.domain.report import (
    ApplicantOut,
    ChecklistItem,
    ItemState,
    Plan,
    YogOut,
    YogPointOut,
)
from matchready.domain.visa import visa_advice
from matchready.domain.yog import YogPoint, application_yog, yog_point
from matchready.io.clock import machine_zone, today_in

YOG_NOTE = (
    "Programs usually count from the diploma date to the date of application, some to the "
    "program start date; each sets its own cutoff."
)


def _yog(profile: Profile, facts: Facts, as_of: date) -> tuple[YogOut, YogPoint]:
    year = profile.target.match_year
    graduation = profile.school.graduation
    application = due(facts, year, "applications_open")
    start = due(facts, year, "program_start")
    at_application = application_yog(profile, facts, as_of)
    if application.on is not None:
        at_application = replace(
            at_application, label=f"at application ({application.basis}, {application.label})"
        )
    points = [
        yog_point(graduation, "today", as_of),
        at_application,
        yog_point(graduation, f"at program start ({start.label})", start.on),
    ]
    out = YogOut(
        graduation=graduation,
        points=[
            YogPointOut(
                label=p.label,
                on=p.on,
                months_since_graduation=p.since_graduation.months if p.since_graduation else None,
                months_until_graduation=p.until_graduation.months if p.until_graduation else None,
                text=p.describe(),
            )
            for p in points
        ],
        note=YOG_NOTE,
    )
    return out, at_application


def _mark_overdue(items: list[ChecklistItem], today: date, zone: ZoneInfo) -> list[ChecklistItem]:
    """An open item whose date has passed is overdue, never an open task with a past date."""
    marked: list[ChecklistItem] = []
    for item in items:
        day = due_day(item.due, zone)
        open_ = item.state in (ItemState.TO_DO, ItemState.IN_PROGRESS, ItemState.UNKNOWN)
        if open_ and day is not None and day < today and item.due is not None:
            item = item.model_copy(
                update={
                    "state": ItemState.OVERDUE,
                    "detail": f"{item.detail} Its date ({item.due.label}) has passed.",
                }
            )
        marked.append(item)
    return marked


def _unknowns(plan_items: list[ChecklistItem], profile: Profile, facts: Facts) -> list[str]:
    notes: list[str] = []
    seen: set[str] = set()
    for item in plan_items:
        for deadline in (item.due, item.recommended_by):
            if deadline is not None and deadline.on is None and deadline.basis not in seen:
                seen.add(deadline.basis)
                notes.append(f"Date not in our sources: {deadline.basis}.")
        if item.state is ItemState.UNKNOWN:
            notes.append(f"{item.title}: {item.detail}")
    for code in profile.target.specialties:
        if facts.specialty(code) is None:
            notes.append(f"No published figures for specialty '{code}' in our sources.")
    if profile.applicant_type is ApplicantType.US_IMG:
        notes.append(
            "Specialty figures are those of non-US IMGs; the US IMG edition of Charting "
            "Outcomes is not in our sources."
        )
    return notes


def applicant_zone(profile: Profile) -> str:
    """The zone 'today' is compared in: the profile's, else this computer's."""
    return profile.applicant.time_zone or machine_zone()


def applicant_today(profile: Profile) -> date:
    """Today's date in the applicant's own zone."""
    return today_in(applicant_zone(profile)).date()


def build_plan(profile: Profile, facts: Facts, as_of: date, zone: str | None = None) -> Plan:
    """The whole plan for `profile` on `as_of` (a date in the applicant's zone, `zone` or
    the profile's), every verdict with its reasons and sources. InputError for a target Match
    with no dates and no pattern."""
    year = profile.target.match_year
    require_dates(facts, year)
    zone_name = zone or applicant_zone(profile)
    items = _mark_overdue(checklist(profile, facts, as_of), as_of, zone_of(zone_name))
    yog, at_application = _yog(profile, facts, as_of)
    flags = red_flags(profile, facts, as_of, at_application.since_graduation)
    now, actions = build_now(
        items, flags, facts, year, as_of, zone_name, profile.target.nrmp_registered
    )
    return Plan(
        as_of=as_of,
        now=now,
        applicant=ApplicantOut(
            name=profile.applicant.name,
            applicant_type=profile.applicant_type.label,
            target_match_year=year,
            specialties=list(profile.target.specialties),
        ),
        cycle=key_dates(facts, year),
        checklist=items,
        yog=yog,
        red_flags=flags,
        visa=visa_advice(profile, facts),
        next_actions=actions + now.overdue,
        unknowns=_unknowns(items, profile, facts),
    )
