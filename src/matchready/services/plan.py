"""Use case: build an applicant's plan (checklist, YOG, red flags, visa advice, next actions)."""

from __future__ import annotations

from datetime import date

from matchready.domain.applicant import Profile
from matchready.domain.cycle import due, key_dates
from matchready.domain.ecfmg import checklist
from matchready.domain.facts import ApplicantType, Facts
from matchready.domain.flags import red_flags
from matchready.domain.report import (
    ApplicantOut,
    ChecklistItem,
    ItemState,
    NextAction,
    Plan,
    RedFlag,
    YogOut,
    YogPointOut,
)
from matchready.domain.visa import visa_advice
from matchready.domain.yog import YogPoint, yog_point

YOG_NOTE = (
    "Programs usually count from the diploma date to the date of application, some to the "
    "program start date; each sets its own cutoff."
)


def _yog(profile: Profile, facts: Facts, as_of: date) -> tuple[YogOut, YogPoint]:
    year = profile.target.match_year
    graduation = profile.school.graduation
    application = due(facts, year, "applications_open")
    start = due(facts, year, "program_start")
    points = [
        yog_point(graduation, "today", as_of),
        yog_point(
            graduation,
            f"at application ({application.basis}, {application.label})",
            application.on,
        ),
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
    at_application = points[1] if points[1].on is not None else points[0]
    return out, at_application


def _next_actions(items: list[ChecklistItem], flags: list[RedFlag]) -> list[NextAction]:
    actions: list[NextAction] = []
    for item in items:
        if item.state is ItemState.DONE or item.action is None:
            continue
        actions.append(
            NextAction(title=item.action, why=f"{item.title}: {item.detail}", due=item.due)
        )
    for flag in flags:
        for text in flag.actions:
            actions.append(NextAction(title=text, why=flag.title, severity=flag.severity))

    def order(action: NextAction) -> tuple[int, date, int]:
        on = action.due.on if action.due is not None else None
        severity = action.severity.rank if action.severity is not None else 9
        return (0 if on is not None else 1, on or date.max, severity)

    return sorted(actions, key=order)


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


def build_plan(profile: Profile, facts: Facts, as_of: date) -> Plan:
    """The whole plan for `profile` on `as_of`, every verdict with its reasons and sources."""
    items = checklist(profile, facts, as_of)
    yog, at_application = _yog(profile, facts, as_of)
    flags = red_flags(profile, facts, as_of, at_application.since_graduation)
    return Plan(
        as_of=as_of,
        applicant=ApplicantOut(
            name=profile.applicant.name,
            applicant_type=profile.applicant_type.label,
            target_match_year=profile.target.match_year,
            specialties=list(profile.target.specialties),
        ),
        cycle=key_dates(facts, profile.target.match_year),
        checklist=items,
        yog=yog,
        red_flags=flags,
        visa=visa_advice(profile, facts),
        next_actions=_next_actions(items, flags),
        unknowns=_unknowns(items, profile, facts),
    )
