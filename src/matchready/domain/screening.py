"""Screening: is an applicant eligible for a program, rule by rule, with the evidence.

Each requirement is one rule with an outcome: pass, fail or unknown. Only a failed *hard*
rule excludes (verdict ineligible). A failed preference lowers the fit score. A rule whose
value or the applicant's fact is unknown, or a failed rule whose strictness is unknown, is
`unknown`: it is never counted as a pass, and the verdict is then "unknown — verify".

Fit score (0-100): 100, minus 15 per failed preference, minus 5 per unknown rule; 0 when
ineligible. A requirement verified more than a year before the screening date (or never
dated) is flagged stale.

This module holds the applicant's facts, the result types and `screen_program_reference`,
a small per-program function that is the readable statement of the rules and the test
oracle of the vectorised screening in `matchready.domain.screening_table`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from matchready.domain.program import Claim, Program
from matchready.domain.requirements import (
    EcfmgDeadline,
    Requirement,
    RequirementKind,
    Strictness,
    UsceKind,
    UsceRequirement,
    format_value,
)
from matchready.domain.yog import months_text

STALE_AFTER_DAYS = 365
PREFERENCE_PENALTY = 15
UNKNOWN_PENALTY = 5


class VisaNeed(enum.StrEnum):
    """The visa an applicant needs for residency."""

    NONE = "none"
    J1 = "j1"
    H1B = "h1b"


class Outcome(enum.IntEnum):
    """The outcome of one rule (its integer is the code of the vectorised screening)."""

    PASS = 0
    FAIL = 1
    UNKNOWN = 2


class Verdict(enum.IntEnum):
    """The verdict for a program (its integer is the code of the vectorised screening)."""

    ELIGIBLE = 0
    INELIGIBLE = 1
    UNKNOWN = 2


@dataclass(frozen=True)
class ScreeningApplicant:
    """The facts about an applicant that screening needs.

    - `visa`: the visa the applicant needs (none for US citizens and permanent residents).
    - `months_since_graduation`: calendar months from medical school graduation to the
      application (`yog.calendar_months`: fractional, so a cutoff compares dates).
    - `step3_passed`: whether USMLE Step 3 is passed (programs need it to petition an H-1B).
    - `step1_passed`: True passed, False failed and not yet passed, None not known.
    - `step2ck_score`: the Step 2 CK score, None when not taken or not known.
    - `failed_attempts`: the number of failed USMLE attempts, all Steps together.
    - `hands_on_usce_months`: calendar months of hands-on US clinical experience.
    - `any_usce_months`: calendar months of any US clinical experience, hands-on included.
    - `us_letters`: the number of letters of recommendation from US physicians.
    - `ecfmg_certificate_date`: when the applicant was (or expects to be) ECFMG certified;
      None when not known.
    """

    visa: VisaNeed
    months_since_graduation: float
    step3_passed: bool = False
    step1_passed: bool | None = None
    step2ck_score: int | None = None
    failed_attempts: int = 0
    hands_on_usce_months: float = 0.0
    any_usce_months: float = 0.0
    us_letters: int = 0
    ecfmg_certificate_date: date | None = None

    def __post_init__(self) -> None:
        if self.any_usce_months < self.hands_on_usce_months:
            raise ValueError("any_usce_months includes the hands-on months")
        if self.months_since_graduation < 0 or self.failed_attempts < 0:
            raise ValueError("months and attempts cannot be negative")


@dataclass(frozen=True)
class SeasonDates:
    """The deadlines of the season being screened for; a missing one is not known."""

    application: date | None = None
    interview: date | None = None
    rank: date | None = None

    def deadline(self, which: EcfmgDeadline) -> date | None:
        """The date of a deadline."""
        return {
            EcfmgDeadline.APPLICATION: self.application,
            EcfmgDeadline.INTERVIEW: self.interview,
            EcfmgDeadline.RANK: self.rank,
        }[which]


@dataclass(frozen=True)
class RuleResult:
    """One rule for one program: its outcome and evidence, with the requirement's provenance."""

    kind: RequirementKind
    outcome: Outcome
    applicant_value: str
    program_value: str
    strictness: Strictness
    source: str | None
    verified_on: date | None
    stale: bool
    conflict: tuple[Claim, ...] = ()  # the disagreeing sources, when there is a conflict

    @property
    def excludes(self) -> bool:
        """Whether this rule makes the program ineligible."""
        return self.outcome is Outcome.FAIL and self.strictness is Strictness.HARD


@dataclass(frozen=True)
class ProgramScreening:
    """The screening of one program: verdict, fit score and every rule's result."""

    program_key: str
    program_name: str
    verdict: Verdict
    fit_score: int
    rules: tuple[RuleResult, ...]


def is_stale(requirement: Requirement, as_of: date) -> bool:
    """Whether a known requirement was verified more than a year ago, or never dated."""
    if not requirement.known:
        return False
    if requirement.verified_on is None:
        return True
    return (as_of - requirement.verified_on).days > STALE_AFTER_DAYS


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _at_least(have: float | None, need: int) -> Outcome:
    if have is None:
        return Outcome.UNKNOWN
    return Outcome.PASS if have >= need else Outcome.FAIL


def rule_outcome(
    applicant: ScreeningApplicant,
    requirement: Requirement,
    as_of: date,
    season: SeasonDates,
) -> tuple[Outcome, str]:
    """The outcome of one requirement for an applicant, with the applicant's evidence."""
    kind, value = requirement.kind, requirement.value
    a = applicant
    if kind is RequirementKind.J1_SPONSORED or kind is RequirementKind.H1B_SPONSORED:
        wanted = VisaNeed.J1 if kind is RequirementKind.J1_SPONSORED else VisaNeed.H1B
        if a.visa is not wanted:
            return Outcome.PASS, f"needs visa: {a.visa.value} (rule does not apply)"
        evidence = f"needs {wanted.value}" + (
            f", Step 3 passed: {_yes_no(a.step3_passed)}" if wanted is VisaNeed.H1B else ""
        )
        if value is None:
            return Outcome.UNKNOWN, evidence
        sponsors = value is True and (wanted is VisaNeed.J1 or a.step3_passed)
        return (Outcome.PASS if sponsors else Outcome.FAIL), evidence
    if value is None:
        return Outcome.UNKNOWN, _applicant_fact(a, kind)
    evidence = _applicant_fact(a, kind)
    if kind is RequirementKind.MAX_YEARS_SINCE_GRADUATION:
        assert isinstance(value, int)
        ok = a.months_since_graduation <= value * 12
        return (Outcome.PASS if ok else Outcome.FAIL), evidence
    if kind is RequirementKind.STEP1_PASS_REQUIRED:
        if value is False:
            return Outcome.PASS, evidence
        if a.step1_passed is None:
            return Outcome.UNKNOWN, evidence
        return (Outcome.PASS if a.step1_passed else Outcome.FAIL), evidence
    if kind is RequirementKind.STEP2CK_MINIMUM:
        assert isinstance(value, int)
        return _at_least(a.step2ck_score, value), evidence
    if kind is RequirementKind.MAX_ATTEMPTS:
        assert isinstance(value, int)
        return (Outcome.PASS if a.failed_attempts <= value else Outcome.FAIL), evidence
    if kind is RequirementKind.USCE_REQUIRED:
        assert isinstance(value, UsceRequirement)
        hands_on = value.kind is UsceKind.HANDS_ON
        have = a.hands_on_usce_months if hands_on else a.any_usce_months
        return _at_least(have, value.months), evidence
    if kind is RequirementKind.US_LETTERS_REQUIRED:
        assert isinstance(value, int)
        return _at_least(a.us_letters, value), evidence
    assert isinstance(value, EcfmgDeadline)
    certified = a.ecfmg_certificate_date
    if certified is None:
        return Outcome.UNKNOWN, evidence
    deadline = season.deadline(value)
    if deadline is None:
        return (Outcome.PASS if certified <= as_of else Outcome.UNKNOWN), evidence
    return (Outcome.PASS if certified <= deadline else Outcome.FAIL), evidence


def _applicant_fact(a: ScreeningApplicant, kind: RequirementKind) -> str:
    facts = {
        RequirementKind.MAX_YEARS_SINCE_GRADUATION: f"{months_text(a.months_since_graduation)} "
        "since graduation",
        RequirementKind.STEP1_PASS_REQUIRED: f"Step 1 passed: {_yes_no(a.step1_passed)}",
        RequirementKind.STEP2CK_MINIMUM: "Step 2 CK: "
        + ("unknown" if a.step2ck_score is None else str(a.step2ck_score)),
        RequirementKind.MAX_ATTEMPTS: f"{a.failed_attempts} failed attempts",
        RequirementKind.USCE_REQUIRED: f"USCE: {months_text(a.hands_on_usce_months)} hands-on, "
        f"{months_text(a.any_usce_months)} in all",
        RequirementKind.US_LETTERS_REQUIRED: f"{a.us_letters} US letters",
        RequirementKind.ECFMG_CERTIFICATE_BY: "ECFMG certificate: "
        + (
            "date unknown"
            if a.ecfmg_certificate_date is None
            else a.ecfmg_certificate_date.isoformat()
        ),
    }
    return facts.get(kind, "")


def verdict_and_fit(results: tuple[RuleResult, ...]) -> tuple[Verdict, int]:
    """The verdict and fit score from the rules' results."""
    if any(r.excludes for r in results):
        return Verdict.INELIGIBLE, 0
    unsure = [
        r
        for r in results
        if r.outcome is Outcome.UNKNOWN
        or (r.outcome is Outcome.FAIL and r.strictness is Strictness.UNKNOWN)
    ]
    preference_fails = [
        r for r in results if r.outcome is Outcome.FAIL and r.strictness is Strictness.PREFERENCE
    ]
    fit = 100 - PREFERENCE_PENALTY * len(preference_fails) - UNKNOWN_PENALTY * len(unsure)
    verdict = Verdict.UNKNOWN if unsure else Verdict.ELIGIBLE
    return verdict, max(fit, 0)


def applies(applicant: ScreeningApplicant, kind: RequirementKind) -> bool:
    """Whether a rule concerns the applicant (a visa rule only the visa they need)."""
    if kind is RequirementKind.J1_SPONSORED:
        return applicant.visa is VisaNeed.J1
    if kind is RequirementKind.H1B_SPONSORED:
        return applicant.visa is VisaNeed.H1B
    return True


def conflict_text(requirement: Requirement, conflict: tuple[Claim, ...]) -> str:
    """ "conflict — verify" with each source's value and date."""
    parts = [
        f"{format_value(c.value) or 'unknown'} ({c.source}"
        + (f", {c.recorded_on.isoformat()}" if c.recorded_on else "")
        + ")"
        for c in conflict
    ]
    stated = format_value(requirement.value)
    if stated and not any(format_value(c.value) == stated for c in conflict):
        parts.insert(0, f"{stated} ({requirement.source or 'stated'})")
    return "conflict — verify: " + "; ".join(parts)


def rule_result(
    applicant: ScreeningApplicant,
    requirement: Requirement,
    as_of: date,
    season: SeasonDates,
    conflict: tuple[Claim, ...] = (),
) -> RuleResult:
    """One rule's full result. A requirement whose sources disagree is unknown for every
    applicant it concerns ("conflict — verify", each source named)."""
    outcome, evidence = rule_outcome(applicant, requirement, as_of, season)
    program_value = format_value(requirement.value) or "unknown"
    if conflict and applies(applicant, requirement.kind):
        outcome, program_value = Outcome.UNKNOWN, conflict_text(requirement, conflict)
    return RuleResult(
        kind=requirement.kind,
        outcome=outcome,
        applicant_value=evidence,
        program_value=program_value,
        strictness=requirement.strictness,
        source=requirement.source,
        verified_on=requirement.verified_on,
        stale=is_stale(requirement, as_of),
        conflict=conflict,
    )


def screen_program_reference(
    applicant: ScreeningApplicant,
    program: Program,
    as_of: date,
    season: SeasonDates | None = None,
) -> ProgramScreening:
    """Screen one program, rule by rule: the readable statement of screening."""
    season = season or SeasonDates()
    results = tuple(
        rule_result(applicant, program.requirement(kind), as_of, season, program.conflict(kind))
        for kind in RequirementKind
    )
    verdict, fit = verdict_and_fit(results)
    return ProgramScreening(program.key, program.name, verdict, fit, results)
