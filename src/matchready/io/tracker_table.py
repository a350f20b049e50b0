"""Tracker files: the whole tracker as one table (CSV or XLSX), and the rank order list export.

The table has one row per record and a `record` column naming its kind; the kinds and their
columns are those of `domain.tracker_records` (the others stay empty). Reading is strict: a bad
cell is an ImportFileError naming file, row, column and reason, and the whole file is refused.
Writing then reading gives the same tracker. Writers take file objects (the CLI passes an
atomic file, the web a buffer).

The rank order list export: NRMP publishes no file layout for rank order lists. Lists are
entered and certified by hand in NRMP's R3 system (search a program, add it, reorder), so no
file can be uploaded there. The export is a worksheet to type from: one line per rank with
the NRMP program code (4-digit institution + 3-digit specialty + track letter + track number),
the program's name and its track, the primary list first, then each advanced program's
supplemental list of PGY-1 programs; as CSV, or as printable text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from matchready.domain.tracker_records import KINDS, Record
from matchready.errors import ImportFileError, InputError, Location, Problem
from matchready.io.tables import read_table, write_csv_rows, write_table_to

COLUMNS = tuple(
    dict.fromkeys(
        ["record"]
        + [
            info.serialization_alias or name
            for m in KINDS.values()
            for name, info in m.model_fields.items()
        ]
    )
)
"""Every record kind's fields, in the order of the kinds (`domain.tracker_records.KINDS`)."""
SUFFIXES = (".csv", ".xlsx")

NOTES = (
    ("record", ", ".join(KINDS)),
    ("dates", "YYYY-MM-DD; recorded_at is an ISO date and time with its UTC offset"),
    ("yes/no", "advanced, would_not_go and us_physician are yes or no"),
    ("scores", "criterion=score pairs (1 to 5) separated by '; '"),
)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, tuple):  # interview scores
        return "; ".join(f"{k}={v}" for k, v in value)
    return str(value)


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(Problem("expected a .csv or .xlsx file", Location(file=name)))
    return suffix


def write_tracker(out: BinaryIO, suffix: str, records: list[Record]) -> int:
    """Write records under `COLUMNS` as CSV or XLSX (`suffix`); returns the rows written."""
    rows = []
    for record in records:
        cells = {"record": record.record, **record.model_dump(by_alias=True)}
        rows.append([_text(cells.get(column)) for column in COLUMNS])
    write_table_to(out, _suffix(f"t{suffix}"), COLUMNS, rows, notes=NOTES)
    return len(rows)


def read_tracker(path: Path) -> list[Record]:
    """The records of a tracker file (written by `write_tracker`, or by hand in its layout),
    each with its location."""
    _suffix(path.name)
    table = read_table(path)
    missing = [c for c in ("record", "program") if c not in table.header]
    if missing:
        raise ImportFileError(
            Problem(f"missing column '{missing[0]}'", Location(file=table.file, row=0))
        )
    unknown = [c for c in table.header if c not in COLUMNS]
    if unknown:
        raise ImportFileError(
            Problem("unknown column", Location(file=table.file, field=unknown[0]))
        )
    records: list[Record] = []
    for index, cells in enumerate(table.rows):
        row = dict(zip(table.header, cells, strict=True))
        where = Location(file=table.file, row=index + 1)  # data rows, the header excluded
        model = KINDS.get(row["record"])
        if model is None:
            message = f"'{row['record']}' is not a kind of tracker record"
            raise ImportFileError(Problem(message, Location(where.file, where.row, "record")))
        records.append(model.parse(row, where))
    return records


# --- the rank order list ------------------------------------------------------------------


@dataclass(frozen=True)
class RankLine:
    list_name: str  # "primary", or "supplemental for CODE"
    rank: int
    code: str  # the NRMP program code, or "unknown"
    name: str
    track: str


@dataclass(frozen=True)
class RankList:
    lines: tuple[RankLine, ...]
    warnings: tuple[str, ...]


ROL_COLUMNS = ("list", "rank", "program_code", "program_name", "track")


def rank_list_csv(result: RankList) -> str:
    out = io.StringIO()
    rows = [[line.list_name, line.rank, line.code, line.name, line.track] for line in result.lines]
    write_csv_rows(out, [ROL_COLUMNS, *rows])
    return out.getvalue()


def rank_list_text(result: RankList, on: date) -> str:
    lines = [
        f"Rank order list draft, {on.isoformat()}",
        "Not certified: enter it by hand in NRMP R3 and certify it there before the deadline.",
    ]
    current = None
    for line in result.lines:
        if line.list_name != current:
            current = line.list_name
            title = "Primary list"
            if current != "primary":
                title = f"Supplemental list for {current.split()[-1]} (PGY-1)"
            lines += ["", title]
        lines.append(f"  {line.rank:>3}  {line.code:<11}  {line.name} ({line.track})")
    if not result.lines:
        lines += ["", "(the draft is empty)"]
    if result.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in result.warnings]
    return "\n".join(lines) + "\n"


def write_rank_list(out: BinaryIO, suffix: str, result: RankList, on: date) -> None:
    """The rank list as CSV (`.csv`) or as printable text (any other suffix)."""
    text = rank_list_csv(result) if suffix.lower() == ".csv" else rank_list_text(result, on)
    out.write(text.encode("utf-8"))
