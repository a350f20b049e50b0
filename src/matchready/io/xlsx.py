"""Read and write simple XLSX tables (first sheet: a header row, then one row per record)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from matchready.errors import ImportFileError, Location, Problem


def cell_text(value: object) -> str:
    """The text of a cell as a person would read it (whole floats without '.0', ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class Sheet:
    """The first sheet of a workbook as text: header, data rows and their Excel row numbers."""

    name: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]


SMALL_WORKBOOK = 5_000_000
"""Workbooks up to this size (bytes) are opened in full, so merged cells and formulas without
a saved value are found and reported; larger ones are streamed (read-only)."""


def _open(path: Path, *, read_only: bool, data_only: bool) -> Workbook:
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise ImportFileError(
            Problem(f"not a readable XLSX file ({error})", Location(file=path.name))
        ) from error


def _check_small_sheet(path: Path, sheet: Worksheet) -> None:
    """Merged cells and formulas without a saved value, found in a workbook opened in full."""
    where = f"{path.name} (sheet {sheet.title!r})"
    merged = sorted(str(r) for r in sheet.merged_cells.ranges)
    if merged:
        raise ImportFileError(
            Problem(
                f"merged cells {', '.join(merged[:10])}: unmerge them and give every row "
                "its own value (matchready does not guess what a merged cell means per row)",
                Location(file=where),
            )
        )
    formulas = _open(path, read_only=False, data_only=False)
    try:
        problems = []
        for row in formulas[sheet.title].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                value = sheet.cell(row=cell.row, column=cell.column).value
                if value is None:
                    problems.append(
                        Problem(
                            f"cell {cell.coordinate} holds a formula ({cell.value}) with no "
                            "saved value: open and save the file in Excel, or paste values",
                            Location(file=where, row=cell.row),
                        )
                    )
        if problems:
            raise ImportFileError(problems)
    finally:
        formulas.close()


def read_xlsx(path: Path) -> Sheet:
    """The header and the data rows of the first sheet, as text; empty rows are dropped.

    A formula is read as the value Excel saved for it."""
    small = path.stat().st_size <= SMALL_WORKBOOK
    workbook = _open(path, read_only=not small, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        if small:
            _check_small_sheet(path, sheet)
        numbered = [
            (number, [cell_text(v) for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        name = sheet.title
    finally:
        workbook.close()
    numbered = [(n, r) for n, r in numbered if any(r)]
    if not numbered:
        return Sheet(name, [], [], [])
    first = numbered[0][1]
    width = len(first)
    while width and not first[width - 1]:
        width -= 1
    header = first[:width]
    rows = [(r + [""] * width)[:width] for _, r in numbered[1:]]
    return Sheet(name, header, rows, [n for n, _ in numbered[1:]])


def write_xlsx(
    out: Path | BinaryIO,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    notes: Sequence[tuple[str, str]] = (),
) -> None:
    """Write a table as text cells on sheet "programs", with optional notes on sheet "README"."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "programs"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for column in sheet.iter_cols():
        for cell in column:
            cell.number_format = "@"
            if cell.data_type == "f":  # text such as "=0" stays text, never a formula
                cell.data_type = "s"
    if notes:
        readme = workbook.create_sheet("README")
        readme.append(["column", "meaning"])
        for name, meaning in notes:
            readme.append([name, meaning])
    workbook.save(out)
