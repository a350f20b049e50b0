"""Tracker files: export and import of the whole tracker (CSV/XLSX), and the rank list export.

The rank order list export: NRMP publishes no file layout for rank order lists. Lists are
entered and certified by hand in NRMP's R3 system (search a program, add it, reorder), so no
file can be uploaded there. The export is a worksheet to type from: one line per rank with
the NRMP program code (4-digit institution + 3-digit specialty + track letter + track number),
the program's name and its track, the primary list first, then each advanced program's
supplemental list of PGY-1 programs. It is written as CSV (`.csv`) or as printable text
(any other suffix). A program tracked without an NRMP code shows `unknown` in the code column.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from matchready.domain import tracker_book as book
from matchready.domain.facts import Facts
from matchready.domain.program import ProgramCode, is_nrmp_code
from matchready.domain.tracker_book import PRIMARY, Tracker
from matchready.errors import ImportFileError, InputError, Location, Problem, TrackerError
from matchready.io.files import write_atomic
from matchready.io.tables import read_table, write_csv_rows, write_table
from matchready.io.tracker_table import COLUMNS, NOTES, parse_tracker, tracker_rows
from matchready.services.ports import UnitOfWork
from matchready.services.tracker import resolve_program

TABLE_SUFFIXES = (".csv", ".xlsx")


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(Problem("expected a .csv or .xlsx file", Location(file=str(path))))
    return suffix


def export_tracker(uow: UnitOfWork, owner: str, path: Path) -> int:
    """Write the owner's tracker as CSV or XLSX (by suffix), atomically; returns the rows."""
    _suffix(path)
    with uow:
        tracker = uow.tracker.get(owner)
    rows = tracker_rows(tracker)
    write_table(path, COLUMNS, rows, notes=NOTES)
    return len(rows)


def import_tracker(
    uow: UnitOfWork, owner: str, facts: Facts, path: Path, *, replace: bool = False
) -> Tracker:
    """Read a tracker file and make it the owner's tracker. The whole file is checked first
    (every cell, every program in the program store, the domain's rules); one bad row
    refuses the file. An owner who already tracks something must ask to `replace` it."""
    _suffix(path)
    table = read_table(path)
    tracker = parse_tracker(table)
    with uow:
        for app in tracker.applications:
            if resolve_program(uow, app.program).key != app.program:
                raise ImportFileError(
                    Problem(
                        f"program {app.program} is tracked by its NRMP code, not this key",
                        Location(file=table.file, field="program"),
                    )
                )
        try:
            book.validate(tracker, facts)
        except TrackerError as error:
            raise ImportFileError(Problem(str(error), Location(file=table.file))) from None
        current = uow.tracker.get(owner)
        if current != Tracker() and not replace:
            raise InputError(
                "the tracker is not empty: importing would replace it (use --replace)"
            )
        uow.tracker.replace(owner, tracker)
        uow.commit()
    return tracker


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


def rank_list(uow: UnitOfWork, owner: str) -> RankList:
    """The draft rank order list with the program store's names and tracks, and its warnings."""
    return tracker_and_rank_list(uow, owner)[1]


def tracker_and_rank_list(uow: UnitOfWork, owner: str) -> tuple[Tracker, RankList]:
    """The owner's tracker and its draft rank order list (`rank_list`), read once."""
    with uow:
        tracker = uow.tracker.get(owner)
        lists = [(PRIMARY, tracker.draft.primary), *tracker.draft.supplemental.items()]
        lines: list[RankLine] = []
        for under, programs in lists:
            label = "primary" if under == PRIMARY else f"supplemental for {under}"
            for n, key in enumerate(programs, start=1):
                program = uow.programs.find(key)
                code = key if is_nrmp_code(key) else "unknown"
                track = ProgramCode(code).track.value if code != "unknown" else "unknown"
                name = program.name if program else "(not in the program store)"
                lines.append(RankLine(label, n, code, name, track))
    return tracker, RankList(tuple(lines), tuple(book.rank_warnings(tracker)))


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


def export_rank_list(uow: UnitOfWork, owner: str, path: Path, on: date) -> RankList:
    """Write the rank list as CSV (.csv) or printable text (any other suffix), atomically."""
    result = rank_list(uow, owner)
    text = rank_list_csv(result) if path.suffix.lower() == ".csv" else rank_list_text(result, on)
    write_atomic(path, text)
    return result
