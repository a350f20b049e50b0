"""Conflicts as a state: several sources' values of one requirement, never merged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from fakes import MemoryUnitOfWork
from matchready.domain.requirements import RequirementKind
from matchready.domain.screening import (
    Outcome,
    ScreeningApplicant,
    VisaNeed,
    screen_program_reference,
)
from matchready.domain.screening_table import ProgramTable, screen_table
from matchready.io.programs_csv import CONFLICTS_COLUMN, TEMPLATE_COLUMNS
from matchready.io.tables import read_table
from matchready.services.programs import (
    RequirementEdit,
    edit_requirement,
    export_programs,
    get_program,
    import_programs,
)

K = RequirementKind
HEADER = (
    "acgme_number,nrmp_codes,name,step2ck_minimum,step2ck_minimum_source,"
    "step2ck_minimum_verified_on\n"
)
TODAY = date(2026, 12, 1)


def _two_sources(tmp_path: Path) -> MemoryUnitOfWork:
    uow = MemoryUnitOfWork()
    first = tmp_path / "freida_notes.csv"
    first.write_text(HEADER + "1403621075,,A (fictional),230,https://a.example/notes,2026-09-01\n")
    second = tmp_path / "program_site.csv"
    second.write_text(HEADER + "1403621075,,A (fictional),240,https://a.example/site,2026-11-01\n")
    import_programs(uow, first)
    import_programs(uow, second)
    return uow


def test_two_sources_that_disagree_are_a_conflict_and_both_are_kept(tmp_path: Path) -> None:
    uow = _two_sources(tmp_path)
    program, history = get_program(uow, "1403621075")
    conflict = program.conflict(K.STEP2CK_MINIMUM)
    assert [(c.value, c.source, c.recorded_on) for c in conflict] == [
        (230, "https://a.example/notes", date(2026, 9, 1)),
        (240, "https://a.example/site", date(2026, 11, 1)),
    ]
    assert [(h.old.value if h.old else None, h.new.value) for h in history] == [(230, 240)]
    assert program.conflict(K.J1_SPONSORED) == ()


def test_screening_says_conflict_verify_with_each_source_in_both_implementations(
    tmp_path: Path,
) -> None:
    uow = _two_sources(tmp_path)
    program, _ = get_program(uow, "1403621075")
    applicant = ScreeningApplicant(VisaNeed.NONE, 12, step2ck_score=250)
    reference = screen_program_reference(applicant, program, TODAY)
    rule = next(r for r in reference.rules if r.kind is K.STEP2CK_MINIMUM)
    assert rule.outcome is Outcome.UNKNOWN
    assert rule.program_value == (
        "conflict — verify: 230 (https://a.example/notes, 2026-09-01); "
        "240 (https://a.example/site, 2026-11-01)"
    )
    report = screen_table(applicant, ProgramTable.build([program]), TODAY)
    fast = report.result(0)
    assert fast == reference
    assert int(report.outcomes[list(K).index(K.STEP2CK_MINIMUM), 0]) == Outcome.UNKNOWN


def test_a_visa_conflict_does_not_touch_applicants_who_need_no_visa(tmp_path: Path) -> None:
    uow = MemoryUnitOfWork()
    path = tmp_path / "visa.csv"
    head = "acgme_number,nrmp_codes,name,j1_sponsored,j1_sponsored_source\n"
    path.write_text(head + "1403621075,,A (fictional),yes,https://a.example/1\n")
    import_programs(uow, path)
    path.write_text(head + "1403621075,,A (fictional),no,https://a.example/2\n")
    import_programs(uow, path)
    program, _ = get_program(uow, "1403621075")
    table = ProgramTable.build([program])
    citizen = screen_table(ScreeningApplicant(VisaNeed.NONE, 12), table, TODAY)
    j1 = screen_table(ScreeningApplicant(VisaNeed.J1, 12), table, TODAY)
    index = list(K).index(K.J1_SPONSORED)
    assert int(citizen.outcomes[index, 0]) == Outcome.PASS
    assert int(j1.outcomes[index, 0]) == Outcome.UNKNOWN
    assert np.array_equal(table.conflict[:, 0], [k is K.J1_SPONSORED for k in K])


def test_exports_show_conflicts_and_reimport_ignores_the_column(tmp_path: Path) -> None:
    uow = _two_sources(tmp_path)
    out = tmp_path / "export.csv"
    export_programs(uow, out)
    table = read_table(out)
    assert table.header == TEMPLATE_COLUMNS
    cell = table.rows[0][table.header.index(CONFLICTS_COLUMN)]
    assert cell == (
        "step2ck_minimum: 230 (https://a.example/notes, 2026-09-01) vs "
        "240 (https://a.example/site, 2026-11-01)"
    )
    assert import_programs(uow, out).unchanged == 1


def test_resolving_sets_the_other_sources_aside_and_keeps_them(tmp_path: Path) -> None:
    uow = _two_sources(tmp_path)
    edit = RequirementEdit("1403621075", "step2ck_minimum", "240", "hard", "coordinator email")
    change = edit_requirement(uow, edit, "ana", TODAY, resolve=True)
    assert change is not None
    program, history = get_program(uow, "1403621075")
    assert program.conflict(K.STEP2CK_MINIMUM) == ()
    superseded = [c.source for c in program.claims if c.superseded]
    assert superseded == ["https://a.example/notes", "https://a.example/site"]
    assert len(history) == 2
