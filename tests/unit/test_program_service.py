"""The import service on the in-memory unit of work: transactions, skip-bad-rows, merging."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from programs_strategies import programs

from fakes import MemoryUnitOfWork
from matchready.domain.program import Program
from matchready.domain.requirements import RequirementKind
from matchready.errors import ImportFileError, NotFoundError
from matchready.io.programs_csv import TEMPLATE_COLUMNS, program_row
from matchready.io.tables import write_table
from matchready.services.programs import (
    ImportFormat,
    export_programs,
    get_program,
    import_programs,
    list_programs,
)

DATA = Path(__file__).parent.parent / "data"
HEADER = "acgme_number,nrmp_codes,name,us_letters_required,us_letters_required_strictness\n"


def test_a_bad_row_rejects_the_whole_file_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + "1403621075,,Good (fictional),2,hard\n12,,Bad (fictional),,\n")
    uow = MemoryUnitOfWork()
    with pytest.raises(ImportFileError) as caught:
        import_programs(uow, path)
    assert "mixed.csv, row 3, field 'acgme_number'" in str(caught.value)
    assert uow.commits == 0
    with uow:
        assert uow.programs.all() == []


def test_skip_bad_rows_imports_the_good_ones_and_reports_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + "1403621075,,Good (fictional),2,hard\n12,,Bad (fictional),,\n")
    uow = MemoryUnitOfWork()
    summary = import_programs(uow, path, skip_bad_rows=True)
    assert (summary.inserted, summary.rejected) == (1, 1)
    assert [p.location.row for p in summary.problems] == [3]
    with uow:
        assert [p.key for p in uow.programs.all()] == ["1403621075"]
        assert uow.programs.imports()[0].rejected == 1


def test_a_file_problem_is_never_skipped(tmp_path: Path) -> None:
    path = tmp_path / "columns.csv"
    path.write_text("acgme_number,nrmp_codes,name,shoe_size\n1403621075,,A (fictional),42\n")
    with pytest.raises(ImportFileError, match=r"cannot place column .shoe_size."):
        import_programs(MemoryUnitOfWork(), path, skip_bad_rows=True)


def test_importing_fills_but_never_erases(tmp_path: Path) -> None:
    uow = MemoryUnitOfWork()
    import_programs(uow, DATA / "template_sample.csv")
    summary = import_programs(uow, DATA / "acgme_sample.csv", ImportFormat.ACGME)
    assert (summary.inserted, summary.updated) == (1, 1)
    program, history = get_program(uow, "1000140c0")
    assert program.city == "Exampleville"  # from ACGME, same as the template
    assert program.positions_per_year == 12  # kept: ACGME records do not carry it
    assert program.institution is not None and program.institution.code == "990001"
    assert program.requirement(RequirementKind.J1_SPONSORED).value is True
    assert history == []


def test_nrmp_names_go_to_the_crosswalk_not_over_the_program_name() -> None:
    uow = MemoryUnitOfWork()
    import_programs(uow, DATA / "template_sample.csv")
    import_programs(uow, DATA / "nrmp_codes_sample.csv")
    program, _history = get_program(uow, "1000140M0")
    assert program.name == "Example Internal Medicine (fictional)"
    assert [c.code for c in program.codes] == ["1000140C0", "1000140P0", "1000140M0"]
    with uow:
        assert len(uow.programs.crosswalk()) == 5


def test_list_filters_and_show_unknown_program() -> None:
    uow = MemoryUnitOfWork()
    import_programs(uow, DATA / "template_sample.csv")
    assert [p.key for p in list_programs(uow, specialty="family medicine")] == ["1203100001"]
    assert [p.key for p in list_programs(uow, state="tx")] == ["1001320C0"]
    with pytest.raises(NotFoundError):
        get_program(uow, "9999999999")


def test_an_unrecognised_header_asks_for_a_format(tmp_path: Path) -> None:
    path = tmp_path / "what.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(ImportFileError, match="--format"):
        import_programs(MemoryUnitOfWork(), path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(generated=programs(max_size=6))
def test_export_then_import_round_trips(
    tmp_path: Path, suffix: str, generated: list[Program]
) -> None:
    source = MemoryUnitOfWork()
    seed = tmp_path / "seed.json"
    write_table(seed, TEMPLATE_COLUMNS, [program_row(p) for p in generated])
    import_programs(source, seed)
    exported = tmp_path / f"export{suffix}"
    assert export_programs(source, exported) == len(generated)
    target = MemoryUnitOfWork()
    import_programs(target, exported)
    with target:
        assert target.programs.all() == sorted(generated, key=lambda p: p.key)
    again = import_programs(target, exported)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(generated))
