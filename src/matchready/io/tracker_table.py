"""The tracker as one table (CSV or XLSX): one row per record, a `record` column naming its kind.

Kinds and the columns each uses (the others stay empty):

    application  program specialty state advanced would_not_go note
    change       program from_state state date recorded_at by note   (history, oldest first)
    letter       key writer us_physician specialty status requested_on received_on uploaded_on
    assignment   key program                                          (a letter sent to a program)
    document     kind name version status sha256 path                 (every version)
    signal       program specialty season tier
    region       position name                                        (geographic preferences)
    interview    program date format scores note                      (scores: "fit=4; city=5")
    rank         list position program                                (list: empty = primary,
                                                                       else the advanced program)

Reading is strict: a bad cell is an ImportFileError naming file, row, column and reason, and
the whole file is refused. Writing then reading gives the same tracker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from matchready.domain.tracker import (
    Application,
    AppState,
    Document,
    DocumentKind,
    DocumentStatus,
    Interview,
    InterviewFormat,
    Letter,
    LetterStatus,
    RankOrderDraft,
    Signal,
    SignalTier,
    StateChange,
)
from matchready.domain.tracker_book import PRIMARY, Tracker, history_of
from matchready.errors import ImportFileError, Location, Problem, TrackerError
from matchready.io.tables import Table

COLUMNS = (
    "record",
    "program",
    "list",
    "position",
    "key",
    "specialty",
    "state",
    "from_state",
    "date",
    "recorded_at",
    "by",
    "advanced",
    "would_not_go",
    "writer",
    "us_physician",
    "status",
    "requested_on",
    "received_on",
    "uploaded_on",
    "kind",
    "name",
    "version",
    "sha256",
    "path",
    "season",
    "tier",
    "format",
    "scores",
    "note",
)

NOTES = (
    (
        "record",
        "application, change, letter, assignment, document, signal, region, interview or rank",
    ),
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
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def tracker_rows(tracker: Tracker) -> list[list[str]]:
    """The tracker as rows under `COLUMNS`."""
    records: list[dict[str, object]] = []
    for app in tracker.applications:
        records.append(
            {
                "record": "application",
                "program": app.program,
                "specialty": app.specialty,
                "state": app.state,
                "advanced": app.advanced,
                "would_not_go": app.would_not_go,
                "note": app.notes,
            }
        )
    for change in tracker.changes:
        records.append(
            {
                "record": "change",
                "program": change.program,
                "from_state": change.from_state,
                "state": change.to_state,
                "date": change.on,
                "recorded_at": change.at,
                "by": change.by,
                "note": change.note,
            }
        )
    for letter in tracker.letters:
        records.append(
            {
                "record": "letter",
                "key": letter.key,
                "writer": letter.writer,
                "us_physician": letter.us_physician,
                "specialty": letter.specialty,
                "status": letter.status,
                "requested_on": letter.requested_on,
                "received_on": letter.received_on,
                "uploaded_on": letter.uploaded_on,
            }
        )
        records += [
            {"record": "assignment", "key": letter.key, "program": p}
            for p in sorted(letter.programs)
        ]
    for doc in tracker.documents:
        records.append(
            {
                "record": "document",
                "kind": doc.kind,
                "name": doc.name,
                "version": doc.version,
                "status": doc.status,
                "sha256": doc.sha256,
                "path": doc.path,
            }
        )
    for item in tracker.signals:
        records.append(
            {
                "record": "signal",
                "program": item.program,
                "specialty": item.specialty,
                "season": item.season,
                "tier": item.tier,
            }
        )
    for n, region in enumerate(tracker.geography, start=1):
        records.append({"record": "region", "position": n, "name": region})
    for interview in tracker.interviews:
        records.append(
            {
                "record": "interview",
                "program": interview.program,
                "date": interview.on,
                "format": interview.format,
                "scores": "; ".join(f"{k}={v}" for k, v in interview.scores),
                "note": interview.notes,
            }
        )
    lists = [(PRIMARY, tracker.draft.primary), *tracker.draft.supplemental.items()]
    for name, programs in lists:
        for n, program in enumerate(programs, start=1):
            records.append({"record": "rank", "list": name, "position": n, "program": program})
    return [[_text(record.get(column)) for column in COLUMNS] for record in records]


E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class _Row:
    """One data row, with parsers that name file, row and column on failure."""

    def __init__(self, file: str, number: int, cells: dict[str, str]) -> None:
        self.file, self.number, self.cells = file, number, cells

    def problem(self, column: str, message: str) -> ImportFileError:
        return ImportFileError(Problem(message, Location(self.file, self.number, column)))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            raise self.problem(column, f"a {self.cells['record']} row needs a {column}")
        return value

    def enum(self, column: str, kind: type[E]) -> E:
        value = self.text(column, required=True)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(k.value for k in kind)
            raise self.problem(column, f"'{value}' is not one of: {allowed}") from None

    def optional_enum(self, column: str, kind: type[E]) -> E | None:
        return self.enum(column, kind) if self.text(column) else None

    def flag(self, column: str) -> bool:
        value = self.text(column, required=True).lower()
        if value not in ("yes", "no"):
            raise self.problem(column, f"'{value}' is not yes or no")
        return value == "yes"

    def integer(self, column: str) -> int:
        value = self.text(column, required=True)
        if not value.isdigit():
            raise self.problem(column, f"'{value}' is not a whole number")
        return int(value)

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.problem(column, f"'{value}' is not a date (YYYY-MM-DD)") from None

    def moment(self, column: str) -> datetime:
        value = self.text(column, required=True)
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise self.problem(column, f"'{value}' is not a date and time with a UTC offset")
        return parsed

    def build(self, column: str, make: Callable[..., T], *args: object) -> T:
        try:
            return make(*args)
        except TrackerError as error:
            raise self.problem(column, str(error)) from None


def parse_tracker(table: Table) -> Tracker:
    """A tracker from a table written by `tracker_rows` (or by hand in its layout)."""
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
    apps: list[Application] = []
    changes: list[StateChange] = []
    letters: dict[str, Letter] = {}
    documents: list[Document] = []
    signals: list[Signal] = []
    regions: list[tuple[int, str]] = []
    interviews: list[Interview] = []
    ranks: dict[str, list[tuple[int, str]]] = {}
    for number, cells in enumerate(table.rows, start=1):
        row = _Row(table.file, number, dict(zip(table.header, cells, strict=True)))
        record = row.text("record", required=True)
        if record == "application":
            apps.append(
                Application(
                    row.text("program", required=True),
                    row.text("specialty"),
                    row.enum("state", AppState),
                    advanced=row.flag("advanced"),
                    would_not_go=row.flag("would_not_go"),
                    notes=row.text("note"),
                )
            )
        elif record == "change":
            changes.append(
                StateChange(
                    row.text("program", required=True),
                    row.optional_enum("from_state", AppState),
                    row.enum("state", AppState),
                    row.day("date"),
                    row.moment("recorded_at"),
                    row.text("by", required=True),
                    row.text("note"),
                )
            )
        elif record == "letter":
            key = row.text("key", required=True)
            if key in letters:
                raise row.problem("key", f"letter {key} is listed twice")
            letters[key] = Letter(
                key,
                row.text("writer", required=True),
                row.flag("us_physician"),
                row.text("specialty"),
                row.enum("status", LetterStatus),
                requested_on=row.day("requested_on"),
                received_on=row.day("received_on"),
                uploaded_on=row.day("uploaded_on"),
            )
        elif record == "assignment":
            key = row.text("key", required=True)
            if key not in letters:
                raise row.problem("key", f"no letter {key} above this row")
            old = letters[key]
            program = row.text("program", required=True)
            letters[key] = Letter(
                old.key,
                old.writer,
                old.us_physician,
                old.specialty,
                old.status,
                old.programs | {program},
                old.requested_on,
                old.received_on,
                old.uploaded_on,
            )
        elif record == "document":
            kind, status = row.enum("kind", DocumentKind), row.enum("status", DocumentStatus)
            name, version = row.text("name", required=True), row.integer("version")
            sha, path = row.text("sha256", required=True), row.text("path") or None
            documents.append(row.build("sha256", Document, kind, name, version, status, sha, path))
        elif record == "signal":
            signals.append(
                Signal(
                    row.text("program", required=True),
                    row.text("specialty", required=True),
                    row.optional_enum("tier", SignalTier),
                    row.integer("season"),
                )
            )
        elif record == "region":
            regions.append((row.integer("position"), row.text("name", required=True)))
        elif record == "interview":
            program, on = row.text("program", required=True), row.day("date")
            fmt, scores = row.enum("format", InterviewFormat), _scores(row)
            notes = row.text("note")
            interviews.append(row.build("scores", Interview, program, on, fmt, scores, notes))
        elif record == "rank":
            ranks.setdefault(row.text("list"), []).append(
                (row.integer("position"), row.text("program", required=True))
            )
        else:
            raise row.problem("record", f"'{record}' is not a kind of tracker record")
    past = history_of(changes)
    return Tracker(
        applications=tuple(
            sorted(
                (replace(a, history=past.get(a.program, ())) for a in apps),
                key=lambda a: a.program,
            )
        ),
        changes=tuple(changes),
        letters=tuple(sorted(letters.values(), key=lambda x: (len(x.key), x.key))),
        documents=tuple(sorted(documents, key=lambda d: (d.kind.value, d.name, d.version))),
        signals=tuple(signals),
        geography=_ordered(table.file, "region", regions),
        interviews=tuple(sorted(interviews, key=lambda i: i.program)),
        draft=RankOrderDraft(
            _ordered(table.file, "rank", ranks.pop(PRIMARY, [])),
            {k: _ordered(table.file, "rank", v) for k, v in sorted(ranks.items())},
        ),
    )


def _scores(row: _Row) -> tuple[tuple[str, int], ...]:
    text = row.text("scores")
    out: list[tuple[str, int]] = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        name, sep, score = part.rpartition("=")
        if not sep or not score.strip().isdigit():
            raise row.problem("scores", f"'{part}' is not criterion=score")
        out.append((name.strip(), int(score)))
    return tuple(out)


def _ordered(file: str, record: str, items: Sequence[tuple[int, str]]) -> tuple[str, ...]:
    positions = sorted(p for p, _ in items)
    if positions != list(range(1, len(items) + 1)):
        raise ImportFileError(
            Problem(f"{record} positions must run 1, 2, 3, ...", Location(file=file))
        )
    return tuple(name for _, name in sorted(items))
