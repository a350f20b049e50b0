"""The SQL adapter of the tracker port: a tracker's records (`domain.tracker_records`) as rows.

Each record kind has its table (an assignment is a child row of its letter); a column is named
as the record's field unless `_COLUMNS` says otherwise. A save rewrites the owner's current
rows inside the unit of work's transaction and appends the history lines not stored yet;
stored history is never rewritten. The owner's `trackers` row carries a revision: a save that
finds it moved since `get` is refused (two tabs or two processes writing at once), so no write
is silently lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from matchready.domain.tracker import Tracker
from matchready.domain.tracker_records import (
    KINDS,
    AssignmentRecord,
    ChangeRecord,
    Record,
    from_records,
    to_records,
)
from matchready.errors import StoreError
from matchready.store.models import (
    DocumentVersionRow,
    GeoPreferenceRow,
    InterviewRow,
    LetterAssignmentRow,
    LetterRow,
    RankEntryRow,
    SignalRow,
    StateChangeRow,
    TrackedApplicationRow,
    TrackerRow,
)

_CHANGED = "the tracker was changed by someone else meanwhile: reload and try again"
_TABLES: dict[str, Any] = {  # record kind -> row class; the current rows after the history
    "change": StateChangeRow,
    "application": TrackedApplicationRow,
    "letter": LetterRow,
    "document": DocumentVersionRow,
    "signal": SignalRow,
    "region": GeoPreferenceRow,
    "interview": InterviewRow,
    "rank": RankEntryRow,
}
_COLUMNS = {  # (record kind, field as written in a file) -> column
    ("application", "note"): "notes",
    ("change", "state"): "to_state",
    ("change", "date"): "happened_on",
    ("change", "by"): "recorded_by",
    ("region", "name"): "region",
    ("interview", "date"): "held_on",
    ("interview", "note"): "notes",
    ("rank", "list"): "list_name",
}


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the store writes UTC, so read it back as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _fields(kind: str, row_class: Any) -> dict[str, str]:
    """Record field (file name) -> column, for the fields the table stores."""
    names = set(row_class.__table__.columns.keys())
    out = {}
    for name, info in KINDS[kind].model_fields.items():
        field = info.serialization_alias or name
        column = _COLUMNS.get((kind, field), field)
        if column in names:
            out[field] = column
    return out


def _record(kind: str, row: Any) -> Record:
    values = {field: getattr(row, column) for field, column in _fields(kind, type(row)).items()}
    if kind == "change":
        values["recorded_at"] = _as_utc(row.recorded_at)
    if kind == "interview":
        values["scores"] = [tuple(pair) for pair in row.scores]
    return KINDS[kind].model_validate(values)


def _row(owner: str, record: Record) -> Any:
    row_class = _TABLES[record.record]
    values = record.model_dump(by_alias=True)
    columns = {
        column: values[field] for field, column in _fields(record.record, row_class).items()
    }
    if record.record == "interview":
        columns["scores"] = [list(pair) for pair in columns["scores"]]
    return row_class(owner=owner, **columns)


def _changes(tracker: Tracker) -> dict[str, list[ChangeRecord]]:
    """Each application's history as records, oldest first."""
    out: dict[str, list[ChangeRecord]] = {}
    for r in to_records(tracker):
        if isinstance(r, ChangeRecord):
            out.setdefault(r.program, []).append(r)
    return out


def _line(change: Record) -> dict[str, Any]:
    """What a stored history line must keep (`from_state` is derived, not stored)."""
    return change.model_dump(exclude={"from_state"})


class SqlTrackerRepository:
    """Trackers in a SQL database; implements `TrackerRepository` within one session."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._revisions: dict[str, int] = {}  # the revision each owner's tracker was read at

    def _rows(self, row_class: Any, owner: str) -> list[Any]:
        query = select(row_class).where(row_class.owner == owner)
        if hasattr(row_class, "id"):
            query = query.order_by(row_class.id)
        return list(self._session.scalars(query))

    def get(self, owner: str) -> Tracker:
        row = self._session.get(TrackerRow, owner)
        self._revisions[owner] = row.revision if row else 0
        records: list[Record] = []
        for kind, row_class in _TABLES.items():
            for item in self._rows(row_class, owner):
                records.append(_record(kind, item))
                if kind == "letter":
                    records += [
                        AssignmentRecord(key=item.key, program=a.program) for a in item.assignments
                    ]
        return from_records(records)

    def save(self, owner: str, tracker: Tracker) -> None:
        """Append each application's history lines not stored yet; stored lines must stay."""
        stored: dict[str, list[dict[str, Any]]] = {}
        for row in self._rows(StateChangeRow, owner):
            stored.setdefault(row.program, []).append(_line(_record("change", row)))
        new: list[Record] = []
        for program, lines in _changes(tracker).items():
            old = stored.pop(program, [])
            if [_line(r) for r in lines[: len(old)]] != old:
                raise StoreError(f"the history of {owner}'s tracker cannot be rewritten")
            new += lines[len(old) :]
        if stored:
            raise StoreError(f"the history of {owner}'s tracker cannot be rewritten")
        self._write(owner, tracker, new)

    def replace(self, owner: str, tracker: Tracker) -> None:
        self._session.execute(delete(StateChangeRow).where(StateChangeRow.owner == owner))
        self._write(owner, tracker, [r for rs in _changes(tracker).values() for r in rs])

    def _write(self, owner: str, tracker: Tracker, changes: Sequence[Record]) -> None:
        try:
            self._rewrite(owner, tracker, changes)
        except StoreError:
            raise
        except SQLAlchemyError as error:  # a foreign error, mapped once here
            raise StoreError(f"cannot save the tracker: {error}") from error

    def _rewrite(self, owner: str, tracker: Tracker, changes: Sequence[Record]) -> None:
        db = self._session
        self._bump(owner)
        letters = select(LetterRow.id).where(LetterRow.owner == owner)
        db.execute(
            delete(LetterAssignmentRow).where(LetterAssignmentRow.letter_id.in_(letters)),
            execution_options={"synchronize_session": "fetch"},
        )
        for kind, row_class in _TABLES.items():  # "fetch": rows read by `get` leave the session
            if kind != "change":
                db.execute(
                    delete(row_class).where(row_class.owner == owner),
                    execution_options={"synchronize_session": "fetch"},
                )
        db.flush()
        rows = [_row(owner, c) for c in changes]
        current = [r for r in to_records(tracker) if r.record in _TABLES and r.record != "change"]
        rows += [_row(owner, r) for r in current]
        by_key = {row.key: row for row in rows if isinstance(row, LetterRow)}
        for letter in tracker.letters:
            by_key[letter.key].assignments = [
                LetterAssignmentRow(program=p) for p in sorted(letter.programs)
            ]
        db.add_all(rows)
        db.flush()

    def _bump(self, owner: str) -> None:
        """Move the owner's revision on, or refuse if someone else moved it since `get`."""
        db = self._session
        now = datetime.now(UTC)
        expected = self._revisions.get(owner)
        if expected is None:
            current = db.scalar(select(TrackerRow.revision).where(TrackerRow.owner == owner))
            expected = current or 0
        if expected == 0 and db.get(TrackerRow, owner) is None:
            db.add(TrackerRow(owner=owner, revision=1, updated_at=now))
            try:
                db.flush()
            except IntegrityError:  # another writer created this owner's tracker meanwhile
                raise StoreError(_CHANGED) from None
        else:
            result = db.execute(
                update(TrackerRow)
                .where(TrackerRow.owner == owner, TrackerRow.revision == expected)
                .values(revision=TrackerRow.revision + 1, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise StoreError(_CHANGED)
        db.flush()
        self._revisions[owner] = expected + 1
