"""Rank list checks: each warning fires with its evidence and source, and does not fire
when the program and the applicant agree; the what-if counts interviewed programs only."""

from __future__ import annotations

from datetime import date

from factories import tracked
from matchready.domain.program import Program, ProgramCode
from matchready.domain.rank_checks import RankApplicant, interviewed_programs, rank_checks
from matchready.domain.report import Due
from matchready.domain.requirements import (
    EcfmgDeadline,
    Requirement,
    RequirementKind,
    RequirementValue,
    Strictness,
)
from matchready.domain.screening import VisaNeed
from matchready.domain.tracker import Interview, InterviewFormat

K = RequirementKind
SOURCE = "https://example.org/program (fictional)"
APPLICATION = Due(on=date(2026, 9, 2), label="2026-09-02", basis="applications open")
ROL = Due(on=date(2027, 3, 3), label="2027-03-03", basis="rank order list deadline")
START = Due(on=date(2027, 7, 1), label="2027-07-01", basis="training starts")
APPLICANT = RankApplicant(
    visa=VisaNeed.H1B,
    graduation=date(2022, 6, 30),
    step3_passed=True,
    failed_attempts=0,
    certificate_issued=date(2026, 5, 1),
    certificate_expected=None,
    exams_passed=True,
)


def program(code: str, *requirements: tuple[RequirementKind, RequirementValue | None]) -> Program:
    return Program(
        f"Program {code} (fictional)",
        codes=(ProgramCode(code),),
        requirements=tuple(
            Requirement(
                kind,
                value,
                Strictness.HARD if value is not None else Strictness.UNKNOWN,
                SOURCE if value is not None else None,
                date(2026, 6, 1) if value is not None else None,
            )
            for kind, value in requirements
        ),
    )


def check(applicant: RankApplicant, *programs: Program) -> list[tuple[str, int, str]]:
    keys = [p.key for p in programs]
    found = rank_checks(
        keys,
        {p.key: p for p in programs},
        applicant,
        application=APPLICATION,
        rol_deadline=ROL,
        program_start=START,
    )
    return [(w.program, w.rank, w.kind) for w in found]


def test_a_program_that_sponsors_what_the_applicant_needs_draws_no_warning() -> None:
    good = program(
        "1000140C0",
        (K.H1B_SPONSORED, True),
        (K.MAX_YEARS_SINCE_GRADUATION, 5),
        (K.MAX_ATTEMPTS, 0),
    )
    assert check(APPLICANT, good) == []


def test_no_h1b_sponsorship_is_warned_with_its_evidence_and_source() -> None:
    no_h1b = program("1000140C0", (K.H1B_SPONSORED, False))
    unknown = program("2000140C0")
    found = rank_checks(
        [no_h1b.key, unknown.key],
        {no_h1b.key: no_h1b, unknown.key: unknown},
        APPLICANT,
        application=APPLICATION,
        rol_deadline=ROL,
        program_start=START,
    )
    assert [(w.program, w.rank, w.kind) for w in found] == [
        ("1000140C0", 1, "visa"),
        ("2000140C0", 2, "visa"),
    ]
    assert "does not sponsor the H-1B" in found[0].message
    assert found[0].evidence == "H-1B sponsored: no"
    assert found[0].source == f"source: {SOURCE}, verified 2026-06-01"
    assert "unknown: verify" in found[1].message and found[1].source == "source: not recorded"
    # a J-1 applicant is not warned about H-1B
    j1 = RankApplicant(**{**APPLICANT.__dict__, "visa": VisaNeed.J1})
    assert check(j1, program("1000140C0", (K.H1B_SPONSORED, False), (K.J1_SPONSORED, True))) == []
    citizen = RankApplicant(**{**APPLICANT.__dict__, "visa": VisaNeed.NONE})
    assert check(citizen, no_h1b, unknown) == []


def test_h1b_without_step3_is_warned_before_the_start() -> None:
    applicant = RankApplicant(**{**APPLICANT.__dict__, "step3_passed": False})
    assert check(applicant, program("1000140C0", (K.H1B_SPONSORED, True))) == [
        ("1000140C0", 1, "step3")
    ]


def test_the_graduation_cutoff_is_counted_to_the_program_start() -> None:
    # 2022-06-30 to 2027-07-01: 5 years 0 months, over a 4-year cutoff, within a 5-year one
    four = program("1000140C0", (K.H1B_SPONSORED, True), (K.MAX_YEARS_SINCE_GRADUATION, 4))
    five = program("2000140C0", (K.H1B_SPONSORED, True), (K.MAX_YEARS_SINCE_GRADUATION, 5))
    found = rank_checks(
        [four.key, five.key],
        {four.key: four, five.key: five},
        APPLICANT,
        application=APPLICATION,
        rol_deadline=ROL,
        program_start=START,
    )
    assert [(w.program, w.kind) for w in found] == [("1000140C0", "yog")]
    assert found[0].evidence == "5 years 0 months since graduation on 2027-07-01"


def test_attempt_limits() -> None:
    applicant = RankApplicant(**{**APPLICANT.__dict__, "failed_attempts": 1})
    strict = program("1000140C0", (K.H1B_SPONSORED, True), (K.MAX_ATTEMPTS, 0))
    lenient = program("2000140C0", (K.H1B_SPONSORED, True), (K.MAX_ATTEMPTS, 1))
    assert check(applicant, strict, lenient) == [("1000140C0", 1, "attempts")]


def test_certification_before_ranking_and_before_the_start() -> None:
    late = RankApplicant(
        **{
            **APPLICANT.__dict__,
            "certificate_issued": None,
            "certificate_expected": date(2027, 8, 1),
            "exams_passed": False,
        }
    )
    by_rank = program(
        "1000140C0", (K.H1B_SPONSORED, True), (K.ECFMG_CERTIFICATE_BY, EcfmgDeadline.RANK)
    )
    kinds = [kind for _, _, kind in check(late, by_rank)]
    assert kinds == ["certification"] * 3  # exams by the deadline, start, the program's rule
    on_time = RankApplicant(
        **{
            **APPLICANT.__dict__,
            "certificate_issued": None,
            "certificate_expected": date(2027, 2, 1),
        }
    )
    assert check(on_time, by_rank) == []


def test_the_what_if_counts_only_interviewed_programs() -> None:
    apps = [
        tracked(
            "1000140C0",
            "IM",
            "submitted",
            "invited",
            "interview_scheduled",
            "interviewed",
            "ranked",
        ),
        tracked("2000140C0", "IM", "submitted"),
        tracked("3000140C0", "IM", "submitted", "invited"),
    ]
    interviews = [Interview("3000140C0", date(2026, 12, 1), InterviewFormat.VIRTUAL)]
    kept, dropped = interviewed_programs(
        ["2000140C0", "1000140C0", "3000140C0", "4000140C0"], apps, interviews
    )
    assert kept == ["1000140C0", "3000140C0"]
    assert dropped == ["2000140C0", "4000140C0"]
