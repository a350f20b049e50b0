"""Importing the spreadsheets people actually keep: their own headers, European CSV, XLSX with
numeric ids, the values people type, and the errors they get (rows as the sheet shows them)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from fakes import MemoryUnitOfWork
from matchready.domain.requirements import (
    RequirementKind,
    RequirementValueError,
    Strictness,
    UsceKind,
    UsceRequirement,
    parse_value,
    parse_visa_text,
)
from matchready.errors import ImportFileError, InputError
from matchready.io.common import parse_date
from matchready.io.tables import read_table
from matchready.services.programs import RowStatus, import_programs, user_column_map

SHEETS = Path(__file__).parent.parent / "data" / "spreadsheets"
K = RequirementKind


def test_own_headers_are_placed_by_alias_and_the_typed_values_are_read() -> None:
    uow = MemoryUnitOfWork()
    summary = import_programs(uow, SHEETS / "own_headers.csv", user_map={"Notes": "ignore"})
    assert (summary.file_format, summary.inserted) == ("template", 3)
    assert "'ACGME ID' -> acgme_number (alias)" in summary.mapping
    assert "'Min Step 2 CK' -> step2ck_minimum (alias)" in summary.mapping
    assert "'Step 2 CK source' -> step2ck_minimum_source (alias)" in summary.mapping
    assert "'Notes' -> ignore (yours)" in summary.mapping
    assert summary.ignored_columns == ("Notes",)
    with uow:
        im = uow.programs.find("1403621075")
        psych = uow.programs.find("4003100002")
    assert im is not None and psych is not None
    assert im.requirement(K.J1_SPONSORED).value is True
    assert im.requirement(K.H1B_SPONSORED).value is False
    assert im.requirement(K.STEP2CK_MINIMUM).value == 230
    assert im.requirement(K.STEP2CK_MINIMUM).source == "https://example.org/im"
    assert im.requirement(K.MAX_YEARS_SINCE_GRADUATION).value == 3
    assert im.requirement(K.USCE_REQUIRED).value == UsceRequirement(UsceKind.HANDS_ON, 2)
    assert psych.requirement(K.J1_SPONSORED).value is True
    assert psych.requirement(K.US_LETTERS_REQUIRED).value == 0
    assert psych.requirement(K.USCE_REQUIRED).value == UsceRequirement(UsceKind.ANY, 0)
    assert psych.specialty_code == "400"


def test_an_unplaced_header_stops_the_import_and_shows_the_proposed_mapping() -> None:
    uow = MemoryUnitOfWork()
    with pytest.raises(ImportFileError) as caught:
        import_programs(uow, SHEETS / "own_headers.csv")
    messages = [p.message for p in caught.value.problems]
    assert "cannot place column 'Notes'" in messages
    assert "proposed mapping: 'J1 Visa?' -> j1_sponsored (alias)" in messages
    assert any(m.startswith("unplaced columns: 'Notes'; place each with --map") for m in messages)
    assert uow.commits == 0


def test_map_to_an_unknown_field_suggests_the_closest() -> None:
    with pytest.raises(
        InputError, match=r"unknown field 'step2ck_min'; did you mean step2ck_minimum"
    ):
        import_programs(
            MemoryUnitOfWork(), SHEETS / "own_headers.csv", user_map={"Notes": "step2ck_min"}
        )


def test_map_options_and_a_saved_mapping_file_round_trip(tmp_path: Path) -> None:
    saved = tmp_path / "mapping.toml"
    uow = MemoryUnitOfWork()
    import_programs(
        uow, SHEETS / "own_headers.csv", user_map={"Notes": "ignore"}, save_mapping=saved
    )
    user_map = user_column_map(["Notes=ignore"], saved)
    assert user_map["Min Step 2 CK"] == "step2ck_minimum"
    again = import_programs(uow, SHEETS / "own_headers.csv", user_map=user_map)
    assert (again.inserted, again.unchanged) == (0, 3)
    with pytest.raises(InputError, match="expected --map 'HEADER=field'"):
        user_column_map(["Min Step 2 CK"], None)


def test_a_semicolon_cp1252_file_with_a_visa_column_imports() -> None:
    table = read_table(SHEETS / "semicolon_cp1252.csv")
    assert (table.delimiter, table.encoding) == (";", "cp1252")
    uow = MemoryUnitOfWork()
    summary = import_programs(
        uow, SHEETS / "semicolon_cp1252.csv", user_map={"Programme": "name", "Ville": "city"}
    )
    assert summary.inserted == 2
    with uow:
        im = uow.programs.find("1403621099")
        peds = uow.programs.find("3203100003")
    assert im is not None and peds is not None
    assert im.name == "Hôpital Exemple Médecine Interne (fictional)"
    assert (im.requirement(K.J1_SPONSORED).value, im.requirement(K.H1B_SPONSORED).value) == (
        True,
        False,
    )
    assert peds.requirement(K.H1B_SPONSORED).value is True
    assert peds.requirement(K.MAX_YEARS_SINCE_GRADUATION).value == 5
    assert peds.city == "Démoville"


def _xlsx(path: Path, rows: list[list[object]], title: str = "My programs") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_an_xlsx_with_numeric_ids_imports(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "mine.xlsx",
        [
            ["Program Name", "ACGME ID", "Min Step 2 CK", "J1 Visa?"],
            ["Example EM (fictional)", 1103100004, 225.0, True],
            ["Example IM (fictional)", 1403100005, 240, "No"],
        ],
    )
    uow = MemoryUnitOfWork()
    assert import_programs(uow, path).inserted == 2
    with uow:
        em = uow.programs.find("1103100004")
    assert em is not None
    assert em.requirement(K.STEP2CK_MINIMUM).value == 225
    assert em.requirement(K.J1_SPONSORED).value is True


def test_xlsx_errors_name_the_excel_row_and_sheet_and_every_bad_cell_at_once(
    tmp_path: Path,
) -> None:
    path = _xlsx(
        tmp_path / "bad.xlsx",
        [
            ["Program Name", "ACGME ID", "Min Step 2 CK", "YOG cutoff (years)"],
            [],
            ["Example A (fictional)", 403100006, "high", "3 yrs"],
            ["Example B (fictional)", 1403100007, 230, "soon"],
        ],
    )
    with pytest.raises(ImportFileError) as caught:
        import_programs(MemoryUnitOfWork(), path)
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        "bad.xlsx (sheet 'My programs'), row 3, field 'ACGME ID': not an ACGME program number "
        "(10 digits): '403100006'; it has 9 digits: a spreadsheet may have dropped a leading "
        "zero (did you mean 0403100006?); format the column as text and type it again",
        "bad.xlsx (sheet 'My programs'), row 3, field 'Min Step 2 CK': expected a whole number "
        "1-300, got 'high'",
        "bad.xlsx (sheet 'My programs'), row 4, field 'YOG cutoff (years)': expected a whole "
        "number 0-60, got 'soon'",
    ]


def test_csv_rows_are_numbered_as_the_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "# a comment line\nacgme_number,nrmp_codes,name\n1403621075,,Good (fictional)\n"
        "12,,Bad (fictional)\n"
    )
    with pytest.raises(ImportFileError, match=r"rows\.csv, row 4, field 'acgme_number'"):
        import_programs(MemoryUnitOfWork(), path)


def test_merged_cells_and_formulas_without_values_are_refused(tmp_path: Path) -> None:
    merged = tmp_path / "merged.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Program Name", "ACGME ID"])
    sheet.append(["Example (fictional)", "1403621075"])
    sheet.append(["", "1403621076"])
    sheet.merge_cells("A2:A3")
    workbook.save(merged)
    with pytest.raises(ImportFileError, match="merged cells A2:A3: unmerge them"):
        import_programs(MemoryUnitOfWork(), merged)
    formula = _xlsx(
        tmp_path / "formula.xlsx",
        [
            ["Program Name", "ACGME ID", "Min Step 2 CK"],
            ["Example (fictional)", "1403621075", "=200+30"],
        ],
    )
    with pytest.raises(
        ImportFileError, match=r"cell C2 holds a formula \(=200\+30\) with no saved"
    ):
        import_programs(MemoryUnitOfWork(), formula)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty: no header row and no programs"),
        ("acgme_number,nrmp_codes,name\n", "the file has a header row but no programs"),
    ],
)
def test_empty_and_header_only_files_are_refused(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "programs.csv"
    path.write_text(content)
    with pytest.raises(ImportFileError, match=message):
        import_programs(MemoryUnitOfWork(), path)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as out:
        out.truncate(50_000_000)
    with pytest.raises(
        ImportFileError, match="the file is 50 MB; program files are read up to 20 MB"
    ):
        import_programs(MemoryUnitOfWork(), path)


def test_dry_run_shows_new_changed_unchanged_and_conflicting_and_writes_nothing(
    tmp_path: Path,
) -> None:
    uow = MemoryUnitOfWork()
    first = tmp_path / "first.csv"
    first.write_text(
        "acgme_number,nrmp_codes,name,step2ck_minimum,step2ck_minimum_source,city\n"
        "1403621075,,A (fictional),230,https://a.example,X\n"
        "1403621076,,B (fictional),,,X\n"
        "1403621077,,C (fictional),,,X\n"
    )
    import_programs(uow, first)
    second = tmp_path / "second.csv"
    second.write_text(
        "acgme_number,nrmp_codes,name,step2ck_minimum,step2ck_minimum_source,city\n"
        "1403621075,,A (fictional),240,https://other.example,X\n"
        "1403621076,,B (fictional),,,Y\n"
        "1403621077,,C (fictional),,,X\n"
        "1403621078,,D (fictional),,,X\n"
    )
    summary = import_programs(uow, second, dry_run=True)
    assert [(p.row, p.key, p.status) for p in summary.previews] == [
        (2, "1403621075", RowStatus.CONFLICTING),
        (3, "1403621076", RowStatus.CHANGED),
        (4, "1403621077", RowStatus.UNCHANGED),
        (5, "1403621078", RowStatus.NEW),
    ]
    assert summary.previews[0].details == ("step2ck_minimum: 230 -> 240",)
    assert summary.conflicting == 1
    assert uow.commits == 1
    with uow:
        assert len(uow.programs.all()) == 3


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        (K.J1_SPONSORED, "Yes", True),
        (K.J1_SPONSORED, "Y", True),
        (K.J1_SPONSORED, "✓", True),
        (K.H1B_SPONSORED, "N", False),
        (K.MAX_YEARS_SINCE_GRADUATION, "3 yrs", 3),
        (K.MAX_YEARS_SINCE_GRADUATION, "within 5 years of graduation", 5),
        (K.STEP2CK_MINIMUM, "230+", 230),
        (K.STEP2CK_MINIMUM, "min 220", 220),
        (K.STEP2CK_MINIMUM, "225.0", 225),
        (K.MAX_ATTEMPTS, "none", 0),
        (K.MAX_ATTEMPTS, "<= 1 attempt", 1),
        (K.USCE_REQUIRED, "hands-on 2 months", UsceRequirement(UsceKind.HANDS_ON, 2)),
        (K.USCE_REQUIRED, "3 months of observership", UsceRequirement(UsceKind.ANY, 3)),
        (K.USCE_REQUIRED, "hands-on:3", UsceRequirement(UsceKind.HANDS_ON, 3)),
        (K.USCE_REQUIRED, "hands on, 1 year", UsceRequirement(UsceKind.HANDS_ON, 12)),
        (K.USCE_REQUIRED, "not required", UsceRequirement(UsceKind.ANY, 0)),
        (K.ECFMG_CERTIFICATE_BY, "by the rank order list deadline", "rank"),
        (K.ECFMG_CERTIFICATE_BY, "at time of application", "application"),
    ],
)
def test_typed_values_parse(kind: RequirementKind, text: str, value: object) -> None:
    parsed = parse_value(kind, text)
    assert (
        parsed.value if hasattr(parsed, "value") and kind is K.ECFMG_CERTIFICATE_BY else parsed
    ) == value


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (K.J1_SPONSORED, "maybe"),
        (K.STEP2CK_MINIMUM, "220-230"),
        (K.STEP2CK_MINIMUM, "400"),
        (K.USCE_REQUIRED, "yes"),
        (K.USCE_REQUIRED, "hands-on"),
        (K.MAX_YEARS_SINCE_GRADUATION, "no cutoff"),
    ],
)
def test_unreadable_typed_values_are_reported(kind: RequirementKind, text: str) -> None:
    with pytest.raises(RequirementValueError, match="expected"):
        parse_value(kind, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("J1 only", (True, False)),
        ("J-1 only", (True, False)),
        ("H-1B only", (False, True)),
        ("J1 and H1B", (True, True)),
        ("J-1, H-1B", (True, True)),
        ("both", (True, True)),
        ("none", (False, False)),
        ("", None),
    ],
)
def test_visa_cells_parse(text: str, value: tuple[bool, bool] | None) -> None:
    assert parse_visa_text(text) == value


def test_a_negated_visa_cell_is_reported_not_read() -> None:
    with pytest.raises(RequirementValueError):
        parse_visa_text("no H1B")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-01-05", "2026-01-05"),
        ("2026/1/5", "2026-01-05"),
        ("1/5/2026", "2026-01-05"),
        ("05.01.2026", "2026-01-05"),
        ("Jan 5, 2026", "2026-01-05"),
        ("5 January 2026", "2026-01-05"),
    ],
)
def test_dates_typed_as_text_parse(text: str, day: str) -> None:
    assert parse_date(text).isoformat() == day


def test_strictness_words_are_read() -> None:
    from matchready.domain.requirements import parse_strictness

    assert parse_strictness("Cutoff") is Strictness.HARD
    assert parse_strictness("preferred") is Strictness.PREFERENCE
    assert parse_strictness("") is Strictness.UNKNOWN
