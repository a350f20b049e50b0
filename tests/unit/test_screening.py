"""Screening: every rule in its three outcomes; unknown is never a pass; fast == reference."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from programs_strategies import applicant, programs

from matchready.domain.program import Program, ProgramCode
from matchready.domain.requirements import (
    EcfmgDeadline,
    Requirement,
    RequirementKind,
    RequirementValue,
    Strictness,
    UsceKind,
    UsceRequirement,
)
from matchready.domain.screening import (
    Outcome,
    ScreeningApplicant,
    SeasonDates,
    Verdict,
    VisaNeed,
    screen_program_reference,
)
from matchready.domain.screening_table import ProgramTable, screen_many, screen_table
from matchready.services.screening import screen_programs

K = RequirementKind
AS_OF = date(2026, 9, 1)
SEASON = SeasonDates(date(2026, 9, 24), date(2027, 1, 31), date(2027, 3, 4))
BASE = ScreeningApplicant(
    visa=VisaNeed.J1,
    months_since_graduation=36,
    step3_passed=False,
    step1_passed=True,
    step2ck_score=235,
    failed_attempts=1,
    hands_on_usce_months=2,
    any_usce_months=5,
    us_letters=2,
    ecfmg_certificate_date=date(2026, 8, 1),
)


def program_with(
    kind: RequirementKind, value: RequirementValue | None, strictness: Strictness
) -> Program:
    requirement = Requirement(
        kind,
        value,
        strictness if value is not None else Strictness.UNKNOWN,
        "example: fictional data",
        date(2026, 6, 1),
    )
    return Program(
        "Example (fictional)", codes=(ProgramCode("1000140C0"),), requirements=(requirement,)
    )


def outcome(
    applicant: ScreeningApplicant, kind: RequirementKind, value: RequirementValue | None
) -> Outcome:
    program = program_with(kind, value, Strictness.HARD)
    reference = screen_program_reference(applicant, program, AS_OF, SEASON)
    fast = screen_table(applicant, ProgramTable.build([program]), AS_OF, SEASON).result(0)
    assert fast == reference
    return next(r.outcome for r in reference.rules if r.kind is kind)


CASES = [
    # kind, passing value, failing value, applicant that makes a known value unknown (or None)
    (K.J1_SPONSORED, True, False, None),
    (K.H1B_SPONSORED, True, False, None),
    (K.MAX_YEARS_SINCE_GRADUATION, 3, 2, None),
    (K.STEP1_PASS_REQUIRED, True, None, replace(BASE, step1_passed=None)),
    (K.STEP2CK_MINIMUM, 235, 236, replace(BASE, step2ck_score=None)),
    (K.MAX_ATTEMPTS, 1, 0, None),
    (
        K.USCE_REQUIRED,
        UsceRequirement(UsceKind.HANDS_ON, 2),
        UsceRequirement(UsceKind.HANDS_ON, 3),
        None,
    ),
    (K.US_LETTERS_REQUIRED, 2, 3, None),
    (
        K.ECFMG_CERTIFICATE_BY,
        EcfmgDeadline.APPLICATION,
        None,
        replace(BASE, ecfmg_certificate_date=None),
    ),
]


@pytest.mark.parametrize(("kind", "passing", "failing", "unsure"), CASES)
def test_each_rule_passes_fails_and_is_unknown(
    kind: RequirementKind,
    passing: RequirementValue,
    failing: RequirementValue | None,
    unsure: ScreeningApplicant | None,
) -> None:
    applicant = (
        replace(BASE, visa=VisaNeed.H1B, step3_passed=True) if kind is K.H1B_SPONSORED else BASE
    )
    assert outcome(applicant, kind, passing) is Outcome.PASS
    if failing is not None:
        assert outcome(applicant, kind, failing) is Outcome.FAIL
    assert outcome(applicant, kind, None) is Outcome.UNKNOWN
    if unsure is not None:
        assert outcome(unsure, kind, passing) is Outcome.UNKNOWN


def test_step1_and_ecfmg_fail_cases() -> None:
    assert outcome(replace(BASE, step1_passed=False), K.STEP1_PASS_REQUIRED, True) is Outcome.FAIL
    late = replace(BASE, ecfmg_certificate_date=date(2026, 10, 1))
    assert outcome(late, K.ECFMG_CERTIFICATE_BY, EcfmgDeadline.APPLICATION) is Outcome.FAIL
    assert outcome(late, K.ECFMG_CERTIFICATE_BY, EcfmgDeadline.RANK) is Outcome.PASS


def test_h1b_needs_step3_and_visa_rules_apply_only_to_that_visa() -> None:
    h1b = replace(BASE, visa=VisaNeed.H1B, step3_passed=False)
    assert outcome(h1b, K.H1B_SPONSORED, True) is Outcome.FAIL
    assert outcome(replace(BASE, visa=VisaNeed.NONE), K.J1_SPONSORED, False) is Outcome.PASS
    assert outcome(replace(BASE, visa=VisaNeed.NONE), K.J1_SPONSORED, None) is Outcome.PASS


def test_only_hard_cutoffs_exclude_and_preferences_lower_the_fit() -> None:
    def screen(strictness: Strictness) -> tuple[Verdict, int]:
        program = program_with(K.STEP2CK_MINIMUM, 250, strictness)
        program = program.with_requirements(
            Requirement(k, v, Strictness.HARD, "example", date(2026, 6, 1))
            for k, v in [
                (K.J1_SPONSORED, True),
                (K.H1B_SPONSORED, False),
                (K.MAX_YEARS_SINCE_GRADUATION, 5),
                (K.STEP1_PASS_REQUIRED, True),
                (K.MAX_ATTEMPTS, 2),
                (K.USCE_REQUIRED, UsceRequirement(UsceKind.ANY, 0)),
                (K.US_LETTERS_REQUIRED, 1),
                (K.ECFMG_CERTIFICATE_BY, EcfmgDeadline.RANK),
            ]
        )
        result = screen_program_reference(BASE, program, AS_OF, SEASON)
        return result.verdict, result.fit_score

    assert screen(Strictness.HARD) == (Verdict.INELIGIBLE, 0)
    assert screen(Strictness.PREFERENCE) == (Verdict.ELIGIBLE, 85)
    assert screen(Strictness.UNKNOWN) == (Verdict.UNKNOWN, 95)


def test_unknown_requirements_are_never_counted_as_a_pass() -> None:
    program = Program("Example (fictional)", codes=(ProgramCode("1000140C0"),))
    result = screen_program_reference(BASE, program, AS_OF, SEASON)
    assert result.verdict is Verdict.UNKNOWN
    assert all(r.outcome is Outcome.UNKNOWN for r in result.rules if r.kind is not K.H1B_SPONSORED)
    assert result.fit_score < 100


def test_stale_verification_is_flagged() -> None:
    program = program_with(K.US_LETTERS_REQUIRED, 1, Strictness.HARD)
    fresh = screen_program_reference(BASE, program, AS_OF, SEASON)
    old = screen_program_reference(BASE, program, date(2027, 9, 1), SEASON)
    letters = [r for r in fresh.rules + old.rules if r.kind is K.US_LETTERS_REQUIRED]
    assert [r.stale for r in letters] == [False, True]
    assert letters[0].source == "example: fictional data"
    assert letters[0].applicant_value == "2 US letters" and letters[0].program_value == "1"


@settings(max_examples=60, deadline=None)
@given(applicants=st.lists(applicant(), min_size=1, max_size=4), generated=programs(max_size=10))
def test_vectorised_screening_equals_the_reference(
    applicants: list[ScreeningApplicant], generated: list[Program]
) -> None:
    table = ProgramTable.build(generated)
    verdicts, fit = screen_many(applicants, table, AS_OF, SEASON, block=3)
    for i, person in enumerate(applicants):
        report = screen_table(person, table, AS_OF, SEASON)
        for j, program in enumerate(generated):
            expected = screen_program_reference(person, program, AS_OF, SEASON)
            assert report.result(j) == expected
            assert (verdicts[i, j], fit[i, j]) == (expected.verdict.value, expected.fit_score)


def test_screen_programs_filters_by_specialty_and_state() -> None:
    def example(code: str, specialty: str, state: str) -> Program:
        return Program(
            f"Example {specialty} (fictional)",
            codes=(ProgramCode(code),),
            specialty=specialty,
            specialty_code=code[4:7],
            state=state,
        )

    programs_ = [
        example("1000140C0", "Internal Medicine", "NY"),
        example("1001140C0", "Internal Medicine", "OH"),
        example("1002120C0", "Family Medicine", "NY"),
    ]
    report = screen_programs(
        BASE, programs_, as_of=AS_OF, season=SEASON, specialty="140", state="ny"
    )
    assert [r.program_key for r in report.results()] == ["1000140C0"]
