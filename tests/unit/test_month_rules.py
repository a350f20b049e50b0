"""Regression tests for issue 18's month bugs: USCE months were rounded from day counts, and
the year-of-graduation cutoff compared floored months. The application date is read from the
facts (the target cycle's `applications_open`)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from factories import make_profile
from matchready.data import load_facts
from matchready.domain.cycle import due
from matchready.domain.facts import Facts
from matchready.domain.requirements import (
    Requirement,
    RequirementKind,
    Strictness,
    UsceKind,
    UsceRequirement,
)
from matchready.domain.screening import Outcome, ScreeningApplicant, SeasonDates, rule_outcome
from matchready.domain.yog import add_months
from matchready.services.profile_screening import screening_applicant

AS_OF = date(2025, 8, 1)


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load_facts()


def _application(facts: Facts) -> date:
    on = due(facts, 2026, "applications_open").on
    assert on is not None, "the 2026 application date is in the facts"
    return on


def _outcome(
    applicant: ScreeningApplicant, kind: RequirementKind, value: int | UsceRequirement
) -> Outcome:
    requirement = Requirement(kind, value, Strictness.HARD, "example: fictional", AS_OF)
    outcome, _evidence = rule_outcome(applicant, requirement, AS_OF, SeasonDates())
    return outcome


def _usce(start: date, end: date) -> list[dict[str, object]]:
    return [
        {
            "kind": "externship",
            "institution": "Test Hospital (fictional)",
            "start": start,
            "end": end,
        }
    ]


def test_1_july_to_18_september_does_not_pass_three_months_hands_on(facts: Facts) -> None:
    profile = make_profile(usce=_usce(date(2025, 7, 1), date(2025, 9, 18)))
    applicant = screening_applicant(profile, facts, AS_OF)
    three = UsceRequirement(UsceKind.HANDS_ON, 3)
    assert _outcome(applicant, RequirementKind.USCE_REQUIRED, three) is Outcome.FAIL


def test_1_july_to_30_september_is_three_months_hands_on(facts: Facts) -> None:
    profile = make_profile(usce=_usce(date(2025, 7, 1), date(2025, 9, 30)))
    applicant = screening_applicant(profile, facts, AS_OF)
    assert applicant.hands_on_usce_months == 3.0
    three = UsceRequirement(UsceKind.HANDS_ON, 3)
    assert _outcome(applicant, RequirementKind.USCE_REQUIRED, three) is Outcome.PASS


def test_three_years_and_four_weeks_fails_a_three_year_cutoff(facts: Facts) -> None:
    graduation = add_months(_application(facts), -36) - timedelta(weeks=4)
    applicant = screening_applicant(make_profile(school__graduation=graduation), facts, AS_OF)
    assert _outcome(applicant, RequirementKind.MAX_YEARS_SINCE_GRADUATION, 3) is Outcome.FAIL


def test_exactly_three_years_passes_a_three_year_cutoff(facts: Facts) -> None:
    graduation = add_months(_application(facts), -36)
    applicant = screening_applicant(make_profile(school__graduation=graduation), facts, AS_OF)
    assert applicant.months_since_graduation == 36.0
    assert _outcome(applicant, RequirementKind.MAX_YEARS_SINCE_GRADUATION, 3) is Outcome.PASS
