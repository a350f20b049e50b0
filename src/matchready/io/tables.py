"""Tables from files: CSV, TSV, XLSX and JSON read into a header and text rows, and written back.

Text files are sniffed: the encoding from a byte-order mark, else UTF-8, else Windows-1252
(what Excel writes on Windows); the delimiter among comma, semicolon (European Excel), tab
and pipe. CSV lines whose first cell starts with `#` are comments (the template documents
itself so). Every data row keeps the row number a spreadsheet shows for it (the header of a
file without comments is row 1), so problems name the row the user sees.
Files are written through `io.files.atomic_file` (a temporary file, fsynced, renamed).

A CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a
formula in a spreadsheet (a program name shared by another user could do so), so it is written
with a leading apostrophe, which spreadsheets show as text and `read_table` removes again.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from matchready.errors import ImportFileError, Location, Problem
from matchready.io.files import atomic_file
from matchready.io.xlsx import read_xlsx, write_xlsx

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """`value` as a CSV cell that a spreadsheet shows as text, never runs as a formula. The
    guard is one more apostrophe before a formula start, after any apostrophes the value has
    itself, so "'@x" is written "''@x" and reads back as "'@x"."""
    return f"'{value}" if value.lstrip("'").startswith(FORMULA_START) else value


def csv_value(cell: str) -> str:
    """The value of a cell written by `csv_cell`."""
    guarded = cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START)
    return cell[1:] if guarded else cell


def write_csv_rows(out: io.TextIOBase | io.StringIO, rows: Sequence[Sequence[object]]) -> None:
    """Write rows as CSV, every cell neutralised by `csv_cell`."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([[csv_cell(str(c)) for c in row] for row in rows])


@dataclass(frozen=True)
class Table:
    """A file's header and rows, all text.

    `row_numbers[i]` is the row a spreadsheet shows for `rows[i]` (empty: data row `i + 1`);
    `sheet` is the XLSX sheet read; `delimiter` and `encoding` what a text file was read with.
    """

    file: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int] = field(default_factory=list)
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None

    def row_number(self, index: int) -> int:
        """The row a user sees for `rows[index]`."""
        return self.row_numbers[index] if self.row_numbers else index + 1

    @property
    def where(self) -> str:
        """The file (and sheet) as problems name it."""
        return f"{self.file} (sheet {self.sheet!r})" if self.sheet else self.file


DELIMITERS = ",;\t|"
ENCODINGS = ("utf-8", "cp1252")


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was read with (BOM, else UTF-8, else cp1252)."""
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise _unreadable(path, f"not valid {encoding} ({error.reason})") from error
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise _unreadable(path, "the text is neither UTF-8 nor Windows-1252: save it as UTF-8 CSV")


def _unreadable(path: Path, why: str) -> ImportFileError:
    return ImportFileError(Problem(f"cannot read the file: {why}", Location(file=path.name)))


def sniff_delimiter(text: str, suffix: str) -> str:
    """The delimiter of a text table: tab for .tsv, else the one that splits the first lines
    into the same number (> 1) of cells most often."""
    if suffix == ".tsv":
        return "\t"
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")][:20]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        if not widths or widths[0] < 2:
            continue
        score = (sum(w == widths[0] for w in widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_table(path: Path, *, max_bytes: int | None = None) -> Table:
    """Read a CSV/TSV (any delimiter above), XLSX or JSON (a list of objects) file as text.

    `max_bytes` refuses a larger file with a message giving its size."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as error:
        raise _unreadable(path, str(error.strerror or error)) from error
    if max_bytes is not None and size > max_bytes:
        raise ImportFileError(
            Problem(
                f"the file is {size / 1e6:.0f} MB; program files are read up to "
                f"{max_bytes / 1e6:.0f} MB: split it, or save only the sheet you need",
                Location(file=path.name),
            )
        )
    if suffix in {".xlsx", ".xlsm"}:
        sheet = read_xlsx(path)
        return Table(path.name, sheet.header, sheet.rows, sheet.row_numbers, sheet.name)
    if suffix == ".xls":
        raise _unreadable(path, "old .xls workbooks are not read: save it as .xlsx or CSV")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _unreadable(path, str(error.strerror or error)) from error
    text, encoding = decode(path, data)
    if suffix == ".json":
        return _json_table(path.name, text)
    delimiter = sniff_delimiter(text, suffix)
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for record in reader:
            if record and not record[0].startswith("#") and any(c.strip() for c in record):
                records.append((reader.line_num, record))
    except csv.Error as error:
        raise ImportFileError(
            Problem(f"not a readable table ({error})", Location(file=path.name))
        ) from error
    if not records:
        return Table(path.name, [], [], delimiter=delimiter, encoding=encoding)
    header = [csv_value(h.strip()).strip() for h in records[0][1]]
    rows = [
        [csv_value(c.strip()).strip() for c in (r + [""] * len(header))[: len(header)]]
        for _, r in records[1:]
    ]
    for number, record in records[1:]:
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            raise ImportFileError(
                Problem(
                    f"{len(record)} cells but the header has {len(header)} columns",
                    Location(file=path.name, row=number),
                )
            )
    numbers = [n for n, _ in records[1:]]
    return Table(path.name, header, rows, numbers, delimiter=delimiter, encoding=encoding)


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


def write_table(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    comments: Sequence[str] = (),
    notes: Sequence[tuple[str, str]] = (),
) -> None:
    """Write a table as CSV, XLSX or JSON (by the suffix), atomically."""
    with atomic_file(path) as out:
        write_table_to(out, path.suffix, header, rows, comments, notes)


def write_table_to(
    out: BinaryIO,
    suffix: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    comments: Sequence[str] = (),
    notes: Sequence[tuple[str, str]] = (),
) -> None:
    """Write a table to a binary file object as CSV, XLSX or JSON (`suffix`: .csv, .xlsx, ...)."""
    suffix = suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(out, header, rows, notes)
    elif suffix == ".json":
        records = [dict(zip(header, row, strict=True)) for row in rows]
        out.write((json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    else:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\n")
        for comment in comments:
            writer.writerow([f"# {comment}"])
        write_csv_rows(text, [header, *rows])
        text.flush()
        text.detach()  # the caller closes the file
