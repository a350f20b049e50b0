"""Use case: check the tracker's draft rank order list against the applicant's profile."""

from __future__ import annotations

from matchready.domain.applicant import Profile
from matchready.domain.cycle import due
from matchready.domain.facts import Facts
from matchready.domain.overrides import apply_overrides
from matchready.domain.rank_checks import RankApplicant, RankWarning, rank_checks
from matchready.services.ports import UnitOfWork
from matchready.services.profile_screening import visa_need


def rank_applicant(profile: Profile) -> RankApplicant:
    exams = profile.exams
    return RankApplicant(
        visa=visa_need(profile),
        graduation=profile.school.graduation,
        step3_passed=exams.step3.passed,
        failed_attempts=sum(exam.failed_attempts for _, exam in exams.items()),
        certificate_issued=profile.ecfmg.certificate_issued,
        certificate_expected=profile.ecfmg.certificate_expected,
        exams_passed=exams.step1.passed and exams.step2ck.passed,
    )


def rank_list_checks(
    uow: UnitOfWork, owner: str, profile: Profile, facts: Facts
) -> list[RankWarning]:
    """Every warning about the programs on `owner`'s draft (primary list) for `profile`."""
    with uow:
        draft = uow.tracker.get(owner).draft
        mine = uow.overrides.of(owner)  # the owner's own requirement values (server mode)
        found = {key: uow.programs.find(key) for key in draft.primary}
    programs = {k: None if p is None else apply_overrides(p, mine) for k, p in found.items()}
    year = profile.target.match_year
    return rank_checks(
        draft.primary,
        programs,
        rank_applicant(profile),
        application=due(facts, year, "applications_open"),
        rol_deadline=due(facts, year, "rol_deadline"),
        program_start=due(facts, year, "program_start"),
    )
