"""Screen programs for one applicant: the use case behind `matchready screen`.

Build the program table once (`load_program_table`), then call `screen_programs` for each
applicant; filters pick the programs before screening.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matchready.domain.program import Program
from matchready.domain.screening import ScreeningApplicant, SeasonDates
from matchready.domain.screening_table import ProgramTable, ScreeningReport, screen_table
from matchready.services.ports import UnitOfWork


def load_program_table(uow: UnitOfWork) -> ProgramTable:
    """Every program of the store, as a screening table."""
    with uow:
        return ProgramTable.build(uow.programs.all())


def _matches(program: Program, specialty: str | None, state: str | None) -> bool:
    if specialty:
        wanted = specialty.strip().lower()
        if wanted not in {(program.specialty or "").lower(), program.specialty_code or ""}:
            return False
    return not (state and (program.state or "").upper() != state.strip().upper())


@dataclass(frozen=True)
class ProgramIndex:
    """The filter columns of a table (specialty name, ACGME specialty code, state), built
    once per table so that filtering 13,000 programs is a vector comparison, not a loop."""

    specialty: npt.NDArray[np.str_]  # lower-case names
    code: npt.NDArray[np.str_]
    state: npt.NDArray[np.str_]  # upper-case

    @classmethod
    def of(cls, table: ProgramTable) -> ProgramIndex:
        programs = table.programs
        return cls(
            np.array([(p.specialty or "").lower() for p in programs], dtype=np.str_),
            np.array([p.specialty_code or "" for p in programs], dtype=np.str_),
            np.array([(p.state or "").upper() for p in programs], dtype=np.str_),
        )

    def keep(self, specialty: str | None, state: str | None) -> npt.NDArray[np.bool_]:
        """Which programs match the filters (the same rule as `_matches`)."""
        keep = np.ones(len(self.state), np.bool_)
        if specialty:
            wanted = specialty.strip().lower()
            keep &= (self.specialty == wanted) | (self.code == wanted)
        if state:
            keep &= self.state == state.strip().upper()
        return keep


def screen_programs(
    applicant: ScreeningApplicant,
    programs: ProgramTable | Sequence[Program],
    *,
    as_of: date,
    season: SeasonDates | None = None,
    specialty: str | None = None,
    state: str | None = None,
    index: ProgramIndex | None = None,
) -> ScreeningReport:
    """Screen an applicant against programs (optionally one specialty and/or one state).

    `as_of` is the screening date (the age of verifications is measured from it); `season`
    gives the application, interview and rank deadlines for ECFMG-certificate rules; `index`
    (the table's `ProgramIndex`, when the caller keeps one) makes the filters vectorised.
    """
    table = programs if isinstance(programs, ProgramTable) else ProgramTable.build(programs)
    if specialty or state:
        if index is not None:
            keep = index.keep(specialty, state)
        else:
            keep = np.array([_matches(p, specialty, state) for p in table.programs], np.bool_)
        table = ProgramTable(
            tuple(p for p, k in zip(table.programs, keep, strict=True) if k),
            table.values[:, keep],
            table.strictness[:, keep],
            table.verified_days[:, keep],
            table.usce_hands_on[keep],
            table.conflict[:, keep],
        )
    return screen_table(applicant, table, as_of, season)


def with_programs(table: ProgramTable, programs: Sequence[Program]) -> ProgramTable | None:
    """The table with these programs (already in it, by key) replaced by their new versions:
    a requirement edit updates 1 column instead of reading 13,000 programs again. None when
    one of them is not in the table (the caller then reads the store again)."""
    position = {p.key: i for i, p in enumerate(table.programs)}
    if any(p.key not in position for p in programs):
        return None
    fresh = ProgramTable.build(programs)
    listed = list(table.programs)
    values, strictness = table.values.copy(), table.strictness.copy()
    verified, hands_on = table.verified_days.copy(), table.usce_hands_on.copy()
    conflict = table.conflict.copy()
    for column, program in enumerate(programs):
        at = position[program.key]
        listed[at] = program
        values[:, at] = fresh.values[:, column]
        strictness[:, at] = fresh.strictness[:, column]
        verified[:, at] = fresh.verified_days[:, column]
        hands_on[at] = fresh.usce_hands_on[column]
        conflict[:, at] = fresh.conflict[:, column]
    return ProgramTable(tuple(listed), values, strictness, verified, hands_on, conflict)
