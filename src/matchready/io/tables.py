"""Tables from files: CSV, XLSX and JSON read into a header and text rows, and written back.

CSV lines whose first cell starts with `#` are comments (the template documents itself so).
Files are written to a temporary file in the same directory and renamed into place.

A CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a
formula in a spreadsheet (a program name shared by another user could do so), so it is written
with a leading apostrophe, which spreadsheets show as text and `read_table` removes again.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from matchready.errors import ImportFileError, Location, Problem
from matchready.io.xlsx import read_xlsx, write_xlsx

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """`value` as a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def csv_value(cell: str) -> str:
    """The value of a cell written by `csv_cell`."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def write_csv_rows(out: io.TextIOBase | io.StringIO, rows: Sequence[Sequence[object]]) -> None:
    """Write rows as CSV, every cell neutralised by `csv_cell`."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([[csv_cell(str(c)) for c in row] for row in rows])


@dataclass(frozen=True)
class Table:
    """A file's header and rows, all text; `rows[i]` is data row `i + 1`."""

    file: str
    header: list[str]
    rows: list[list[str]]


def read_table(path: Path) -> Table:
    """Read a CSV, XLSX or JSON (a list of objects) file as a table of text."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        header, rows = read_xlsx(path)
        return Table(path.name, header, rows)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(
            Problem(f"cannot read the file ({error})", Location(file=path.name))
        ) from error
    if suffix == ".json":
        return _json_table(path.name, text)
    records = [r for r in csv.reader(io.StringIO(text)) if r and not r[0].startswith("#")]
    records = [r for r in records if any(c.strip() for c in r)]
    if not records:
        return Table(path.name, [], [])
    header = [csv_value(h.strip()) for h in records[0]]
    rows = [
        [csv_value(c.strip()).strip() for c in (r + [""] * len(header))[: len(header)]]
        for r in records[1:]
    ]
    for number, record in enumerate(records[1:], start=1):
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            raise ImportFileError(
                Problem(
                    f"{len(record)} cells but the header has {len(header)} columns",
                    Location(file=path.name, row=number),
                )
            )
    return Table(path.name, header, rows)


def _json_table(name: str, text: str) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            Problem(f"not valid JSON ({error.msg})", Location(file=name, line=error.lineno))
        ) from error
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ImportFileError(Problem("expected a JSON list of objects", Location(file=name)))
    header: list[str] = []
    for record in data:
        header.extend(k for k in record if k not in header)
    rows = [["" if r.get(k) is None else str(r.get(k)) for k in header] for r in data]
    return Table(name, header, rows)


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temp))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_table(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    comments: Sequence[str] = (),
    notes: Sequence[tuple[str, str]] = (),
) -> None:
    """Write a table as CSV, XLSX or JSON (by the suffix), atomically."""
    suffix = path.suffix.lower()

    def write(temp: Path) -> None:
        if suffix == ".xlsx":
            write_xlsx(temp, header, rows, notes)
        elif suffix == ".json":
            records = [dict(zip(header, row, strict=True)) for row in rows]
            temp.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", "utf-8")
        else:
            with temp.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out, lineterminator="\n")
                for comment in comments:
                    writer.writerow([f"# {comment}"])
                write_csv_rows(out, [header, *rows])

    _atomic_write(path, write)
