"""Vectorised screening: every program at once, as numpy columns built once from the programs.

The rules are those of `matchready.domain.screening` (whose `screen_program_reference` is the
oracle the tests compare with); here each rule is a few array operations over programs,
broadcast over a block of applicants, never a Python loop over (applicant, program) pairs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import numpy.typing as npt

from matchready.domain.program import Program
from matchready.domain.requirements import (
    EcfmgDeadline,
    RequirementKind,
    Strictness,
    UsceKind,
    UsceRequirement,
)
from matchready.domain.screening import (
    PREFERENCE_PENALTY,
    UNKNOWN_PENALTY,
    Outcome,
    ProgramScreening,
    ScreeningApplicant,
    SeasonDates,
    Verdict,
    VisaNeed,
    applies,
    rule_result,
)

Floats = npt.NDArray[np.float64]
Codes = npt.NDArray[np.int8]

KINDS = tuple(RequirementKind)
STRICTNESS_CODES = {Strictness.HARD: 0, Strictness.PREFERENCE: 1, Strictness.UNKNOWN: 2}
DEADLINES = tuple(EcfmgDeadline)
EPOCH = date(1970, 1, 1)
PASS, FAIL, UNKNOWN = (np.int8(o.value) for o in Outcome)


def _days(day: date | None) -> float:
    return float("nan") if day is None else float((day - EPOCH).days)


def _number(value: object) -> float:
    if value is None:
        return float("nan")
    if isinstance(value, UsceRequirement):
        return float(value.months)
    if isinstance(value, EcfmgDeadline):
        return float(DEADLINES.index(value))
    assert isinstance(value, bool | int)
    return float(value)


@dataclass(frozen=True)
class ProgramTable:
    """Programs as columns: one value, strictness and verification date column per kind.

    Values are floats (NaN = unknown): yes/no as 1/0, USCE as months (with `usce_hands_on`),
    the ECFMG deadline as its index in `EcfmgDeadline`. `conflict` marks the requirements
    whose sources disagree (unknown for every applicant they concern).
    """

    programs: tuple[Program, ...]
    values: Floats  # (kinds, programs)
    strictness: Codes  # (kinds, programs)
    verified_days: Floats  # (kinds, programs), days since 1970-01-01
    usce_hands_on: npt.NDArray[np.bool_]
    conflict: npt.NDArray[np.bool_]  # (kinds, programs)

    @classmethod
    def build(cls, programs: Sequence[Program]) -> ProgramTable:
        """Build the columns once; screening then reuses them for every applicant."""
        n = len(programs)
        values = np.full((len(KINDS), n), np.nan)
        strictness = np.full((len(KINDS), n), STRICTNESS_CODES[Strictness.UNKNOWN], np.int8)
        verified = np.full((len(KINDS), n), np.nan)
        hands_on = np.zeros(n, np.bool_)
        conflict = np.zeros((len(KINDS), n), np.bool_)
        usce = KINDS.index(RequirementKind.USCE_REQUIRED)
        for j, program in enumerate(programs):
            if program.claims or program.h1b_evidence is not None:
                for i, kind in enumerate(KINDS):
                    conflict[i, j] = bool(program.conflict(kind))
            for requirement in program.requirements:
                i = KINDS.index(requirement.kind)
                values[i, j] = _number(requirement.value)
                strictness[i, j] = STRICTNESS_CODES[requirement.strictness]
                verified[i, j] = _days(requirement.verified_on)
                if i == usce and isinstance(requirement.value, UsceRequirement):
                    hands_on[j] = requirement.value.kind is UsceKind.HANDS_ON
        return cls(tuple(programs), values, strictness, verified, hands_on, conflict)

    def __len__(self) -> int:
        return len(self.programs)

    def column(self, kind: RequirementKind) -> Floats:
        """The value column of a kind, shaped (1, programs) to broadcast over applicants."""
        column: Floats = self.values[KINDS.index(kind)][np.newaxis, :]
        return column


def _applicant_column(values: Sequence[float]) -> Floats:
    column: Floats = np.array(values, np.float64)[:, np.newaxis]
    return column


def _pass_fail(known: npt.NDArray[np.bool_], ok: npt.NDArray[np.bool_]) -> Codes:
    return np.where(known, np.where(ok, PASS, FAIL), UNKNOWN).astype(np.int8)


def rule_outcomes(
    applicants: Sequence[ScreeningApplicant],
    table: ProgramTable,
    as_of: date,
    season: SeasonDates,
) -> Codes:
    """Outcome codes of every rule: shape (kinds, applicants, programs)."""
    a = applicants
    col = table.column
    K = RequirementKind

    nan = float("nan")
    visa = np.array([x.visa.value for x in a])[:, np.newaxis]
    step3 = np.array([x.step3_passed for x in a])[:, np.newaxis]
    months = _applicant_column([x.months_since_graduation for x in a])
    step1 = _applicant_column(
        [nan if x.step1_passed is None else float(x.step1_passed) for x in a]
    )
    step2 = _applicant_column([nan if x.step2ck_score is None else x.step2ck_score for x in a])
    attempts = _applicant_column([x.failed_attempts for x in a])
    hands_on = _applicant_column([x.hands_on_usce_months for x in a])
    any_usce = _applicant_column([x.any_usce_months for x in a])
    letters = _applicant_column([x.us_letters for x in a])
    certified = _applicant_column([_days(x.ecfmg_certificate_date) for x in a])

    shape = (len(a), len(table))
    out = np.empty((len(KINDS), *shape), np.int8)

    j1, h1b = col(K.J1_SPONSORED), col(K.H1B_SPONSORED)
    out[KINDS.index(K.J1_SPONSORED)] = np.where(
        visa != VisaNeed.J1.value, PASS, _pass_fail(~np.isnan(j1), j1 == 1)
    )
    out[KINDS.index(K.H1B_SPONSORED)] = np.where(
        visa != VisaNeed.H1B.value, PASS, _pass_fail(~np.isnan(h1b), (h1b == 1) & step3)
    )
    years = col(K.MAX_YEARS_SINCE_GRADUATION)
    out[KINDS.index(K.MAX_YEARS_SINCE_GRADUATION)] = _pass_fail(
        ~np.isnan(years) & (months == months), months <= years * 12
    )
    needs_step1 = col(K.STEP1_PASS_REQUIRED)
    out[KINDS.index(K.STEP1_PASS_REQUIRED)] = np.where(
        needs_step1 == 0, PASS, _pass_fail(~np.isnan(needs_step1) & ~np.isnan(step1), step1 == 1)
    )
    minimum = col(K.STEP2CK_MINIMUM)
    out[KINDS.index(K.STEP2CK_MINIMUM)] = _pass_fail(
        ~np.isnan(minimum) & ~np.isnan(step2), step2 >= minimum
    )
    most = col(K.MAX_ATTEMPTS)
    out[KINDS.index(K.MAX_ATTEMPTS)] = _pass_fail(
        ~np.isnan(most) & (attempts == attempts), attempts <= most
    )
    usce = col(K.USCE_REQUIRED)
    have = np.where(table.usce_hands_on[np.newaxis, :], hands_on, any_usce)
    out[KINDS.index(K.USCE_REQUIRED)] = _pass_fail(~np.isnan(usce) & (have == have), have >= usce)
    wanted = col(K.US_LETTERS_REQUIRED)
    out[KINDS.index(K.US_LETTERS_REQUIRED)] = _pass_fail(
        ~np.isnan(wanted) & (letters == letters), letters >= wanted
    )
    out[KINDS.index(K.ECFMG_CERTIFICATE_BY)] = _ecfmg(table, certified, as_of, season)
    if table.conflict.any():
        concerned = np.array([[applies(x, kind) for x in a] for kind in KINDS], np.bool_)
        mask = table.conflict[:, np.newaxis, :] & concerned[:, :, np.newaxis]
        out = np.where(mask, UNKNOWN, out).astype(np.int8)
    return out


def _ecfmg(table: ProgramTable, certified: Floats, as_of: date, season: SeasonDates) -> Codes:
    which = table.column(RequirementKind.ECFMG_CERTIFICATE_BY)
    known_which = ~np.isnan(which)
    deadlines = np.array([_days(season.deadline(d)) for d in DEADLINES])
    deadline = deadlines[np.where(known_which, which, 0).astype(np.int64)]
    by_deadline = np.where(certified <= deadline, PASS, FAIL)
    already_certified = np.where(certified <= _days(as_of), PASS, UNKNOWN)
    outcome = np.where(np.isnan(deadline), already_certified, by_deadline)
    return np.where(known_which & ~np.isnan(certified), outcome, UNKNOWN).astype(np.int8)


def verdicts_and_fit(outcomes: Codes, table: ProgramTable) -> tuple[Codes, Codes]:
    """Verdict codes and fit scores (0-100), both shaped (applicants, programs)."""
    strict = table.strictness[:, np.newaxis, :]
    fail = outcomes == FAIL
    hard_fail = (fail & (strict == STRICTNESS_CODES[Strictness.HARD])).any(axis=0)
    unsure = (outcomes == UNKNOWN) | (fail & (strict == STRICTNESS_CODES[Strictness.UNKNOWN]))
    unsure_count = unsure.sum(axis=0, dtype=np.int16)
    preference = (fail & (strict == STRICTNESS_CODES[Strictness.PREFERENCE])).sum(
        axis=0, dtype=np.int16
    )
    fit = np.clip(100 - PREFERENCE_PENALTY * preference - UNKNOWN_PENALTY * unsure_count, 0, 100)
    fit = np.where(hard_fail, 0, fit).astype(np.int8)
    verdict = np.where(
        hard_fail, Verdict.INELIGIBLE.value, np.where(unsure_count > 0, Verdict.UNKNOWN.value, 0)
    ).astype(np.int8)
    return verdict, fit


@dataclass(frozen=True)
class ScreeningReport:
    """One applicant screened against a table: codes per program, explained on demand."""

    applicant: ScreeningApplicant
    table: ProgramTable
    as_of: date
    season: SeasonDates
    outcomes: Codes  # (kinds, programs)
    verdicts: Codes  # (programs,)
    fit: Codes  # (programs,)

    def result(self, index: int) -> ProgramScreening:
        """The full, explained screening of the program at `index`."""
        program = self.table.programs[index]
        rules = tuple(
            rule_result(
                self.applicant,
                program.requirement(kind),
                self.as_of,
                self.season,
                program.conflict(kind),
            )
            for kind in KINDS
        )
        # The outcomes are the vectorised codes; the rule texts add the evidence.
        rules = tuple(
            replace(r, outcome=Outcome(int(self.outcomes[i, index]))) for i, r in enumerate(rules)
        )
        return ProgramScreening(
            program.key,
            program.name,
            Verdict(int(self.verdicts[index])),
            int(self.fit[index]),
            rules,
        )

    def results(self) -> Iterator[ProgramScreening]:
        """Every program's explained screening: eligible, then unknown, then ineligible; within
        each, the best fit first."""
        rank = VERDICT_ORDER[self.verdicts]
        order = np.lexsort((-self.fit.astype(np.int16), rank))
        for index in order:
            yield self.result(int(index))


VERDICT_ORDER = np.array([0, 2, 1], dtype=np.int8)
"""Position of each verdict code in the listing: eligible 0, ineligible 2, unknown 1."""


def screen_table(
    applicant: ScreeningApplicant,
    table: ProgramTable,
    as_of: date,
    season: SeasonDates | None = None,
) -> ScreeningReport:
    """Screen one applicant against every program of a table."""
    season = season or SeasonDates()
    outcomes = rule_outcomes([applicant], table, as_of, season)
    verdicts, fit = verdicts_and_fit(outcomes, table)
    return ScreeningReport(applicant, table, as_of, season, outcomes[:, 0], verdicts[0], fit[0])


def screen_many(
    applicants: Sequence[ScreeningApplicant],
    table: ProgramTable,
    as_of: date,
    season: SeasonDates | None = None,
    block: int = 128,
) -> tuple[Codes, Codes]:
    """Verdicts and fit scores of many applicants, shaped (applicants, programs)."""
    season = season or SeasonDates()
    verdicts = np.empty((len(applicants), len(table)), np.int8)
    fit = np.empty((len(applicants), len(table)), np.int8)
    for start in range(0, len(applicants), block):
        chunk = applicants[start : start + block]
        outcomes = rule_outcomes(chunk, table, as_of, season)
        verdicts[start : start + len(chunk)], fit[start : start + len(chunk)] = verdicts_and_fit(
            outcomes, table
        )
    return verdicts, fit
