"""The streaming XLSX column reader: the same rows as openpyxl on workbooks written by it (both
the fast path and the general one), a sheet in another form, dates, and broken files."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchready.io.xlsx_stream import (
    XlsxColumns,
    XlsxFormatError,
    column_index,
    column_letters,
    serial_date,
)

TEXT = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=12
).filter(lambda t: not t.startswith("="))  # openpyxl writes those as formulas


def _write(path: Path, rows: list[list[object]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "LCA data"
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def _both(path: Path, columns: list[int]) -> tuple[list[str], list[tuple[str, ...]], int]:
    with XlsxColumns(str(path)) as book:
        fast = list(book.rows(columns))
        count = book.rows_read
        assert book._fast  # openpyxl writes the regular form
        book._fast = False
        assert list(book.rows(columns)) == fast  # the general path agrees
        assert book.rows_read == count
        return book.header, fast, count


def test_chosen_columns_match_openpyxl_with_entities_formulas_and_gaps(tmp_path: Path) -> None:
    path = tmp_path / "lca.xlsx"
    rows: list[list[object]] = [
        ["CASE_STATUS", "JOB_TITLE", "SKIPPED", "EMPLOYER_NAME"],
        ["Certified", "RESIDENT PHYSICIAN", "x", "A & B <Hospital>"],
        ["Denied", None, "y", "Ünïcode Clinic"],
        [None, None, "only the skipped column", None],
        ["Certified", '=CONCAT("FEL","LOW")', 3, "  spaced  "],
        [1, 2.5, True, "last"],
    ]
    _write(path, rows)
    header, found, count = _both(path, [0, 1, 3])
    assert header == ["CASE_STATUS", "JOB_TITLE", "SKIPPED", "EMPLOYER_NAME"]
    assert found == [
        ("Certified", "RESIDENT PHYSICIAN", "A & B <Hospital>"),
        ("Denied", "", "Ünïcode Clinic"),
        ("Certified", "", "  spaced  "),  # a formula's cached value (none here), as data_only
        ("1", "2.5", "last"),
    ]
    assert count == 5  # data rows, the one without a chosen cell included


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(TEXT, min_size=3, max_size=3), min_size=1, max_size=8))
def test_text_round_trips_through_openpyxl(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    path = tmp_path_factory.mktemp("rt") / "t.xlsx"
    _write(path, [["A", "B", "C"], *([c or None for c in row] for row in rows)])
    _header, found, _count = _both(path, [0, 2])
    expected = [(a, c) for a, _b, c in rows if a or c]
    assert found == expected


SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{main}"><x:sheetData>'
    '<x:row r="1"><x:c t="inlineStr"><x:is><x:t>CASE_STATUS</x:t></x:is></x:c>'
    '<x:c t="inlineStr"><x:is><x:t>DECISION_DATE</x:t></x:is></x:c></x:row>'
    '<x:row r="2"><x:c t="inlineStr"><x:is><x:t>Certified</x:t></x:is></x:c>'
    "<x:c><x:v>45590</x:v></x:c></x:row></x:sheetData></x:worksheet>"
)


def test_a_sheet_in_another_form_is_read_by_the_general_path(tmp_path: Path) -> None:
    """A prefixed namespace, cells without references (positions), inline strings."""
    path = tmp_path / "other.xlsx"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><workbookPr date1904="0"/><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId7"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId7" Type="{rel}/worksheet" Target="/xl/worksheets/data.xml"/>'
            "</Relationships>",
        )
        book.writestr("xl/worksheets/data.xml", SHEET.format(main=main))
    with XlsxColumns(str(path)) as sheet:
        assert not sheet._fast
        assert (sheet.sheet_name, sheet.header) == ("Data", ["CASE_STATUS", "DECISION_DATE"])
        assert list(sheet.rows([0, 1])) == [("Certified", "45590")]
        assert sheet.rows_read == 1
    assert serial_date("45590") == (2024, 10, 25)
    assert serial_date("45590.75") == (2024, 10, 25)
    assert serial_date("0") is None and serial_date("n/a") is None


def test_dates_are_serial_numbers_in_both_date_systems(tmp_path: Path) -> None:
    path = tmp_path / "dates.xlsx"
    _write(path, [["DECISION_DATE"], [dt.date(2024, 10, 25)]])
    with XlsxColumns(str(path)) as book:
        ((serial,),) = list(book.rows([0]))
        assert serial_date(serial, book.date1904) == (2024, 10, 25)
    assert serial_date("44128", date1904=True) == (2024, 10, 25)


def test_columns_letters_and_broken_files(tmp_path: Path) -> None:
    assert [column_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert [column_index(c) for c in ("A", "Z", "AA", "ZZ", "AAA")] == [0, 25, 26, 701, 702]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(XlsxFormatError, match="not a readable XLSX file"):
        XlsxColumns(str(broken))
    empty_zip = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(empty_zip, "w") as book:
        book.writestr("hello.txt", "hi")
    with pytest.raises(XlsxFormatError, match="not a readable XLSX file"):
        XlsxColumns(str(empty_zip))
