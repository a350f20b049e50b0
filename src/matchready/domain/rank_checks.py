"""Checks of the draft rank order list against the applicant, program by program.

A ranked program is a binding commitment (NRMP Match Participation Agreement), so each one is
checked for what would stop the applicant from starting there:
- visa: H-1B wanted and the program does not sponsor it (or its sponsorship is unknown), or
  J-1 needed and not sponsored; an H-1B also needs Step 3 passed before the start;
- year of graduation: the program's cutoff, counted to the program start (the day training
  begins, official or estimated);
- attempts: the program's limit on failed USMLE attempts;
- certification: the exams must reach NRMP by the rank order list deadline, and the full
  ECFMG certificate is needed before the start (domain-facts.md §1); a program asking for the
  certificate by the ranking deadline is checked against the expected date.
Each warning names its evidence and the source of the program's requirement. "Would not go"
programs are warned by the tracker's own draft check (`check_rank_order`). The what-if counts
only programs the applicant interviewed at: a program cannot match an applicant it has not
interviewed (programs rank only those they interview).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from matchready.domain.program import Program
from matchready.domain.report import Due
from matchready.domain.requirements import EcfmgDeadline, Requirement, RequirementKind
from matchready.domain.screening import VisaNeed
from matchready.domain.tracker import Application, AppState, Interview
from matchready.domain.yog import elapsed_between

INTERVIEWED = frozenset({AppState.INTERVIEWED, AppState.RANKED})


@dataclass(frozen=True)
class RankApplicant:
    """What the rank checks need to know about the applicant."""

    visa: VisaNeed
    graduation: date
    step3_passed: bool
    failed_attempts: int
    certificate_issued: date | None
    certificate_expected: date | None
    exams_passed: bool  # Step 1 and Step 2 CK


@dataclass(frozen=True)
class RankWarning:
    """One problem with one ranked program, with its evidence and source."""

    program: str
    rank: int
    kind: str
    message: str
    evidence: str
    source: str

    def __str__(self) -> str:
        return f"rank {self.rank}, {self.program}: {self.message} ({self.evidence}; {self.source})"


def _source(requirement: Requirement) -> str:
    if requirement.source is None:
        return "source: not recorded"
    when = f", verified {requirement.verified_on}" if requirement.verified_on else ""
    return f"source: {requirement.source}{when}"


def _visa(applicant: RankApplicant, program: Program) -> list[tuple[str, str, str, str]]:
    if applicant.visa is VisaNeed.NONE:
        return []
    kind = (
        RequirementKind.H1B_SPONSORED
        if applicant.visa is VisaNeed.H1B
        else RequirementKind.J1_SPONSORED
    )
    requirement = program.requirement(kind)
    route = "H-1B" if applicant.visa is VisaNeed.H1B else "J-1"
    found: list[tuple[str, str, str, str]] = []
    if requirement.value is False:
        found.append(
            (
                "visa",
                f"does not sponsor the {route} you need",
                f"{route} sponsored: no",
                _source(requirement),
            )
        )
    elif requirement.value is None:
        found.append(
            (
                "visa",
                f"{route} sponsorship is unknown: verify before ranking",
                f"{route} sponsored: unknown",
                _source(requirement),
            )
        )
    if applicant.visa is VisaNeed.H1B and not applicant.step3_passed and requirement.value:
        found.append(
            (
                "step3",
                "an H-1B needs Step 3 passed before the start of training",
                "Step 3 passed: no",
                "source: USCIS H-1B requirements (domain-facts.md §8)",
            )
        )
    return found


def _yog(
    applicant: RankApplicant, program: Program, start: Due
) -> list[tuple[str, str, str, str]]:
    requirement = program.requirement(RequirementKind.MAX_YEARS_SINCE_GRADUATION)
    if not isinstance(requirement.value, int) or start.on is None:
        return []
    if start.on < applicant.graduation:
        return []
    elapsed = elapsed_between(applicant.graduation, start.on)
    if elapsed.months <= requirement.value * 12:
        return []
    return [
        (
            "yog",
            f"graduation cutoff of {requirement.value} years passed by the program start",
            f"{elapsed} since graduation on {start.label}",
            _source(requirement),
        )
    ]


def _attempts(applicant: RankApplicant, program: Program) -> list[tuple[str, str, str, str]]:
    requirement = program.requirement(RequirementKind.MAX_ATTEMPTS)
    if not isinstance(requirement.value, int) or applicant.failed_attempts <= requirement.value:
        return []
    return [
        (
            "attempts",
            f"accepts at most {requirement.value} failed USMLE attempts",
            f"{applicant.failed_attempts} failed attempts",
            _source(requirement),
        )
    ]


def _certificate(
    applicant: RankApplicant, program: Program, dates: tuple[Due, Due, Due]
) -> list[tuple[str, str, str, str]]:
    application, rol, start = dates
    found: list[tuple[str, str, str, str]] = []
    if applicant.certificate_issued is not None:
        return found
    expected = applicant.certificate_expected
    if not applicant.exams_passed:
        found.append(
            (
                "certification",
                "Step 1 and Step 2 CK must reach NRMP by the rank order list deadline, or you "
                "are withdrawn from the Match",
                f"exams not all passed; deadline {rol.label}",
                "source: NRMP applicant FAQ (ECFMG certification and ranking)",
            )
        )
    if expected is not None and start.on is not None and expected > start.on:
        found.append(
            (
                "certification",
                "the ECFMG certificate is expected after the program start",
                f"expected {expected}; start {start.label}",
                "source: ECFMG certificate needed before training (domain-facts.md §1)",
            )
        )
    requirement = program.requirement(RequirementKind.ECFMG_CERTIFICATE_BY)
    by = application if requirement.value is EcfmgDeadline.APPLICATION else rol
    if (
        requirement.value is not None
        and by.on is not None
        and (expected is None or expected > by.on)
    ):
        when = "unknown" if expected is None else str(expected)
        found.append(
            (
                "certification",
                f"asks for the ECFMG certificate by the {requirement.value} deadline",
                f"certificate expected: {when}; {by.basis}: {by.label}",
                _source(requirement),
            )
        )
    return found


def rank_checks(
    ranked: Sequence[str],
    programs: Mapping[str, Program | None],
    applicant: RankApplicant,
    *,
    application: Due,
    rol_deadline: Due,
    program_start: Due,
) -> list[RankWarning]:
    """Every warning for the ranked programs (primary list order), each with its evidence."""
    warnings: list[RankWarning] = []
    for rank, key in enumerate(ranked, start=1):
        program = programs.get(key)
        if program is None:
            continue
        found = (
            _visa(applicant, program)
            + _yog(applicant, program, program_start)
            + _attempts(applicant, program)
            + _certificate(applicant, program, (application, rol_deadline, program_start))
        )
        warnings += [RankWarning(key, rank, *item) for item in found]
    return warnings


def interviewed_programs(
    ranked: Sequence[str],
    applications: Sequence[Application],
    interviews: Sequence[Interview] = (),
) -> tuple[list[str], list[str]]:
    """The ranked programs the applicant interviewed at (kept in order), and the others."""
    states = {app.program: app.visited for app in applications}
    met = {i.program for i in interviews}
    kept: list[str] = []
    dropped: list[str] = []
    for key in ranked:
        (kept if key in met or states.get(key, set()) & INTERVIEWED else dropped).append(key)
    return kept, dropped
