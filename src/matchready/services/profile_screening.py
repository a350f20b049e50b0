"""Use case: screen the stored programs for an applicant's profile (`matchready screen`).

Maps the profile onto what screening needs (`ScreeningApplicant`) and the target cycle's
deadlines (`SeasonDates`), then runs the vectorised screening.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from matchready.domain.applicant import Profile, StepStatus, USCEKind, VisaPreference
from matchready.domain.cycle import due
from matchready.domain.facts import Facts
from matchready.domain.screening import (
    ProgramScreening,
    ScreeningApplicant,
    SeasonDates,
    Verdict,
    VisaNeed,
)
from matchready.domain.screening_table import VERDICT_ORDER, ProgramTable, ScreeningReport
from matchready.domain.yog import calendar_months
from matchready.services.screening import ProgramIndex, screen_programs


def visa_need(profile: Profile) -> VisaNeed:
    """The visa screened for: none for citizens and permanent residents; H-1B only when the
    applicant asks for it; otherwise J-1, the route open to every IMG who needs a visa."""
    if not profile.needs_visa:
        return VisaNeed.NONE
    return VisaNeed.H1B if profile.visa.preference is VisaPreference.H1B else VisaNeed.J1


def screening_applicant(profile: Profile, facts: Facts, as_of: date) -> ScreeningApplicant:
    """The applicant as screening sees them, on the application date of the target cycle
    (today when that date is not known)."""
    application = due(facts, profile.target.match_year, "applications_open").on or as_of
    graduation = profile.school.graduation
    months = calendar_months(graduation, application) if application >= graduation else 0.0
    exams = profile.exams
    step1: bool | None = {
        StepStatus.PASSED: True,
        StepStatus.FAILED: False,
        StepStatus.NOT_TAKEN: False,
        StepStatus.SCHEDULED: None,
    }[exams.step1.status]
    clinical = [u for u in profile.usce if u.kind is not USCEKind.RESEARCH]
    return ScreeningApplicant(
        visa=visa_need(profile),
        months_since_graduation=months,
        step3_passed=exams.step3.passed,
        step1_passed=step1,
        step2ck_score=exams.step2ck.score if exams.step2ck.passed else None,
        failed_attempts=sum(exam.failed_attempts for _, exam in exams.items()),
        hands_on_usce_months=profile.hands_on_usce_months,
        any_usce_months=max(sum(u.months for u in clinical), profile.hands_on_usce_months),
        us_letters=profile.us_letters,
        ecfmg_certificate_date=profile.ecfmg.certificate_issued
        or profile.ecfmg.certificate_expected,
    )


def season_dates(facts: Facts, match_year: int) -> SeasonDates:
    """The target cycle's deadlines for ECFMG-certificate rules (None where not known)."""
    return SeasonDates(
        application=due(facts, match_year, "applications_open").on,
        rank=due(facts, match_year, "rol_deadline").on,
    )


def screen_profile(
    profile: Profile,
    facts: Facts,
    table: ProgramTable,
    as_of: date,
    *,
    specialty: str | None = None,
    state: str | None = None,
    index: ProgramIndex | None = None,
) -> ScreeningReport:
    """Every program of `table` (optionally one specialty or state) screened for `profile`.
    `specialty` may be our code (IM), its name or its ACGME code; `index` is the table's
    filter index when the caller keeps one."""
    stats = facts.specialty(specialty) if specialty else None
    if stats is not None:
        specialty = stats.name
    return screen_programs(
        screening_applicant(profile, facts, as_of),
        table,
        as_of=as_of,
        season=season_dates(facts, profile.target.match_year),
        specialty=specialty,
        state=state,
        index=index,
    )


def verdict_page(
    report: ScreeningReport, verdict: Verdict | None, offset: int, limit: int
) -> tuple[list[ProgramScreening], dict[Verdict, int], int]:
    """One page of explained results (eligible, unknown, ineligible; best fit first), the
    count of each verdict, and how many match `verdict`. Only the page is explained, so a
    page of a 13,000-program table stays fast."""
    codes = report.verdicts
    counts = {v: int((codes == int(v)).sum()) for v in Verdict}
    order = np.lexsort((-report.fit.astype(np.int16), VERDICT_ORDER[codes]))
    if verdict is not None:
        order = order[codes[order] == int(verdict)]
    page = [report.result(int(i)) for i in order[offset : offset + limit]]
    return page, counts, len(order)
