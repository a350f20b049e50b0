"""Importers read their real formats; every bad row names file, row and column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from programs_strategies import programs

from matchready.domain.program import Program, TrackType
from matchready.domain.requirements import RequirementKind, Strictness, UsceKind, UsceRequirement
from matchready.errors import ImportFileError
from matchready.io.acgme import parse_acgme
from matchready.io.nrmp_codes import parse_nrmp_codes
from matchready.io.programs_csv import TEMPLATE_COLUMNS, parse_template, program_row
from matchready.io.tables import read_table, write_table

DATA = Path(__file__).parent.parent / "data"
HEADER = "acgme_number,nrmp_codes,name,step2ck_minimum,step2ck_minimum_strictness,"
HEADER += "step2ck_minimum_verified_on\n"


def parse_text(
    tmp_path: Path, text: str, name: str = "bad.csv"
) -> tuple[list[Program], list[str]]:
    path = tmp_path / name
    path.write_text(text)
    parsed = parse_template(read_table(path))
    return [r.program for r in parsed.rows], [str(p) for p in parsed.problems]


def test_template_sample_reads_identity_and_requirements() -> None:
    parsed = parse_template(read_table(DATA / "template_sample.csv"))
    assert parsed.problems == []
    im, fm, peds = (r.program for r in parsed.rows)
    assert im.tracks == (TrackType.CATEGORICAL, TrackType.PRELIMINARY)
    assert im.specialty_code == "140"
    step2 = im.requirement(RequirementKind.STEP2CK_MINIMUM)
    assert (step2.value, step2.strictness, step2.source) == (
        230,
        Strictness.PREFERENCE,
        "https://example.org/im",
    )
    assert im.requirement(RequirementKind.USCE_REQUIRED).value == UsceRequirement(
        UsceKind.HANDS_ON, 3
    )
    assert fm.requirements == ()
    assert not fm.requirement(RequirementKind.J1_SPONSORED).known
    assert peds.acgme_number is None
    assert peds.requirement(RequirementKind.J1_SPONSORED).value is False


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("14036210,,Example,,,", "acgme_number", "not an ACGME program number"),
        (",1000140X0,Example,,,", "nrmp_codes", "not an NRMP program code"),
        ("1403621075,,Example,230,firm,", "step2ck_minimum_strictness", "expected hard"),
        ("1403621075,,Example,230,hard,2026-13-01", "step2ck_minimum_verified_on", "date"),
        ("1403621075,,Example,abc,hard,", "step2ck_minimum", "whole number"),
        ("1403621075,,Example,,hard,", "step2ck_minimum_strictness", "unknown value"),
        ("1403621075,,,,,", "name", "a value is required"),
        (",,Example,,,", "acgme_number", "ACGME number or an NRMP code"),
    ],
)
def test_a_bad_cell_names_file_row_and_column(
    tmp_path: Path, row: str, column: str, reason: str
) -> None:
    good = "1203100001,,Example FM (fictional),,,\n"
    _programs, problems = parse_text(tmp_path, HEADER + good + row + "\n")
    assert len(problems) == 1
    assert problems[0].startswith(f"bad.csv, row 3, field '{column}'")  # the header is row 1
    assert reason in problems[0]


def test_a_duplicate_key_in_the_file_is_a_bad_row(tmp_path: Path) -> None:
    text = HEADER + "1403621075,,A (fictional),,,\n1403621075,,B (fictional),,,\n"
    text += ",1000140C0,C (fictional),,,\n,1000140C0;1000140P0,D (fictional),,,\n"
    _programs, problems = parse_text(tmp_path, text)
    assert problems == [
        "bad.csv, row 3, field 'acgme_number': 1403621075 is already on row 2",
        "bad.csv, row 5, field 'nrmp_codes': 1000140C0 is already on row 4",
    ]


def test_missing_and_unknown_columns_are_file_problems(tmp_path: Path) -> None:
    _programs, problems = parse_text(tmp_path, "acgme_number,colour\n1403621075,red\n")
    assert problems == [
        "bad.csv, field 'colour': unknown column 'colour' (see `matchready programs template`)",
        "bad.csv, field 'name': missing required column 'name' (the program name)",
    ]


def test_nrmp_code_list_groups_tracks_and_rejects_bad_codes(tmp_path: Path) -> None:
    parsed = parse_nrmp_codes(read_table(DATA / "nrmp_codes_sample.csv"))
    assert parsed.problems == []
    assert [p.program.tracks for p in parsed.rows] == [
        (TrackType.CATEGORICAL, TrackType.PRELIMINARY, TrackType.PRIMARY_CARE),
        (TrackType.ADVANCED, TrackType.RESERVED),
    ]
    bad = tmp_path / "codes.csv"
    bad.write_text("name,code\nA (fictional),1000140C0\nB (fictional),100140C0\nC,1000140C0\n")
    problems = [str(p) for p in parse_nrmp_codes(read_table(bad)).problems]
    assert problems[0].startswith("codes.csv, row 3, field 'code': not an NRMP program code")
    assert problems[1] == "codes.csv, row 4, field 'code': 1000140C0 is already on row 2"


def test_acgme_records_read_from_csv_and_xlsx_with_loose_headers(tmp_path: Path) -> None:
    table = read_table(DATA / "acgme_sample.csv")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([h.upper().replace(" ", "  ") for h in table.header])
    for row in table.rows:
        sheet.append([int(c) if c.isdigit() else c for c in row])
    workbook.save(tmp_path / "acgme.xlsx")
    for source in (table, read_table(tmp_path / "acgme.xlsx")):
        parsed = parse_acgme(source)
        assert parsed.problems == []
        assert parsed.ignored_columns == [source.header[-1]]
        im, surgery = (r.program for r in parsed.rows)
        assert im.acgme_number == "1403621075" and im.specialty_code == "140"
        assert im.institution is not None and len(im.institution.sites) == 2
        assert surgery.accreditation_date is not None
        assert surgery.accreditation_date.isoformat() == "2024-07-01"


def test_acgme_bad_number_and_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "acgme.csv"
    path.write_text("Program Name,Program Number,State\nA (fictional),12345,NY\n")
    problems = [str(p) for p in parse_acgme(read_table(path)).problems]
    assert problems == [
        "acgme.csv, row 2, field 'Program Number': not an ACGME program number (10 digits): "
        "'12345'"
    ]
    path.write_text("Program Name,State\nA (fictional),NY\n")
    problems = [str(p) for p in parse_acgme(read_table(path)).problems]
    assert problems[0].startswith("acgme.csv, field 'programnumber': missing required column")


def test_unreadable_xlsx_is_an_import_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_text("not a zip")
    with pytest.raises(ImportFileError, match=r"broken\.xlsx"):
        read_table(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(generated=programs())
def test_write_then_read_gives_the_same_programs(
    tmp_path: Path, suffix: str, generated: list[Program]
) -> None:
    path = tmp_path / f"programs{suffix}"
    write_table(path, TEMPLATE_COLUMNS, [program_row(p) for p in generated])
    parsed = parse_template(read_table(path))
    assert parsed.problems == []
    assert [r.program for r in parsed.rows] == generated
