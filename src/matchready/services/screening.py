"""Screen programs for one applicant: the use case behind `matchready screen`.

Build the program table once (`load_program_table`), then call `screen_programs` for each
applicant; filters pick the programs before screening.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

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


def screen_programs(
    applicant: ScreeningApplicant,
    programs: ProgramTable | Sequence[Program],
    *,
    as_of: date,
    season: SeasonDates | None = None,
    specialty: str | None = None,
    state: str | None = None,
) -> ScreeningReport:
    """Screen an applicant against programs (optionally one specialty and/or one state).

    `as_of` is the screening date (the age of verifications is measured from it); `season`
    gives the application, interview and rank deadlines for ECFMG-certificate rules.
    """
    table = programs if isinstance(programs, ProgramTable) else ProgramTable.build(programs)
    if specialty or state:
        keep = np.array([_matches(p, specialty, state) for p in table.programs], np.bool_)
        table = ProgramTable(
            tuple(p for p, k in zip(table.programs, keep, strict=True) if k),
            table.values[:, keep],
            table.strictness[:, keep],
            table.verified_days[:, keep],
            table.usce_hands_on[keep],
        )
    return screen_table(applicant, table, as_of, season)
