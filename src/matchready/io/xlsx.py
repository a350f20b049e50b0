"""Read and write simple XLSX tables (first sheet: a header row, then one row per record)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

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


def read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of the first sheet, as text; empty rows are dropped."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise ImportFileError(
            Problem(f"not a readable XLSX file ({error})", Location(file=path.name))
        ) from error
    try:
        rows = [
            [cell_text(v) for v in row]
            for row in workbook.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    rows = [r for r in rows if any(r)]
    if not rows:
        return [], []
    width = len(rows[0])
    while width and not rows[0][width - 1]:
        width -= 1
    header = rows[0][:width]
    return header, [(r + [""] * width)[:width] for r in rows[1:]]


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
