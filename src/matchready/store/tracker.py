"""The SQL adapter of the tracker port, and the mapping between its rows and domain values.

A save rewrites the owner's current rows (applications, letters, documents, signals,
preferences, interviews, rank entries) inside the unit of work's transaction and appends the
history lines not stored yet; stored history is never rewritten. The owner's `trackers` row
carries a revision: a save that finds it moved since `get` is refused (two tabs or two
processes writing at once), so no write is silently lost.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

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
_CURRENT = (
    TrackedApplicationRow,
    DocumentVersionRow,
    LetterRow,  # after its assignments
    SignalRow,
    GeoPreferenceRow,
    InterviewRow,
    RankEntryRow,
)


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the store writes UTC, so read it back as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def change_to_domain(row: StateChangeRow) -> StateChange:
    return StateChange(
        program=row.program,
        from_state=AppState(row.from_state) if row.from_state else None,
        to_state=AppState(row.to_state),
        on=row.happened_on,
        at=_as_utc(row.recorded_at),
        by=row.recorded_by,
        note=row.note,
    )


def change_row(owner: str, change: StateChange) -> StateChangeRow:
    return StateChangeRow(
        owner=owner,
        program=change.program,
        from_state=change.from_state.value if change.from_state else None,
        to_state=change.to_state.value,
        happened_on=change.on,
        recorded_at=change.at,
        recorded_by=change.by,
        note=change.note,
    )


def tracker_to_domain(
    changes: list[StateChangeRow],
    applications: list[TrackedApplicationRow],
    letters: list[LetterRow],
    documents: list[DocumentVersionRow],
    signals: list[SignalRow],
    geography: list[GeoPreferenceRow],
    interviews: list[InterviewRow],
    ranks: list[RankEntryRow],
) -> Tracker:
    """A tracker from its rows (each list in any order)."""
    history = [change_to_domain(r) for r in sorted(changes, key=lambda r: r.id)]
    past = history_of(history)
    primary: list[str] = []
    supplemental: dict[str, list[str]] = {}
    for entry in sorted(ranks, key=lambda r: (r.list_name, r.position)):
        target = (
            primary if entry.list_name == PRIMARY else supplemental.setdefault(entry.list_name, [])
        )
        target.append(entry.program)
    return Tracker(
        applications=tuple(
            Application(
                program=r.program,
                specialty=r.specialty,
                state=AppState(r.state),
                advanced=r.advanced,
                would_not_go=r.would_not_go,
                history=past.get(r.program, ()),
                notes=r.notes,
            )
            for r in sorted(applications, key=lambda r: r.program)
        ),
        changes=tuple(history),
        letters=tuple(
            Letter(
                key=r.key,
                writer=r.writer,
                us_physician=r.us_physician,
                specialty=r.specialty,
                status=LetterStatus(r.status),
                programs=frozenset(a.program for a in r.assignments),
                requested_on=r.requested_on,
                received_on=r.received_on,
                uploaded_on=r.uploaded_on,
            )
            for r in sorted(letters, key=lambda r: (len(r.key), r.key))
        ),
        documents=tuple(
            Document(
                DocumentKind(r.kind), r.name, r.version, DocumentStatus(r.status), r.sha256, r.path
            )
            for r in sorted(documents, key=lambda r: (r.kind, r.name, r.version))
        ),
        signals=tuple(
            Signal(r.program, r.specialty, SignalTier(r.tier) if r.tier else None, r.season)
            for r in sorted(signals, key=lambda r: r.id)
        ),
        geography=tuple(r.region for r in sorted(geography, key=lambda r: r.position)),
        interviews=tuple(
            Interview(
                r.program,
                r.held_on,
                InterviewFormat(r.format),
                tuple((str(name), int(score)) for name, score in r.scores),
                r.notes,
            )
            for r in sorted(interviews, key=lambda r: r.program)
        ),
        draft=RankOrderDraft(
            tuple(primary), {k: tuple(v) for k, v in sorted(supplemental.items())}
        ),
    )


def current_rows(owner: str, tracker: Tracker) -> list[object]:
    """The rows of a tracker's current state (everything but its history)."""
    rows: list[object] = [
        TrackedApplicationRow(
            owner=owner,
            program=a.program,
            specialty=a.specialty,
            state=a.state.value,
            advanced=a.advanced,
            would_not_go=a.would_not_go,
            notes=a.notes,
        )
        for a in tracker.applications
    ]
    rows += [
        LetterRow(
            owner=owner,
            key=x.key,
            writer=x.writer,
            us_physician=x.us_physician,
            specialty=x.specialty,
            status=x.status.value,
            requested_on=x.requested_on,
            received_on=x.received_on,
            uploaded_on=x.uploaded_on,
            assignments=[LetterAssignmentRow(program=p) for p in sorted(x.programs)],
        )
        for x in tracker.letters
    ]
    rows += [
        DocumentVersionRow(
            owner=owner,
            kind=d.kind.value,
            name=d.name,
            version=d.version,
            status=d.status.value,
            sha256=d.sha256,
            path=d.path,
        )
        for d in tracker.documents
    ]
    rows += [
        SignalRow(
            owner=owner,
            season=s.season,
            specialty=s.specialty,
            program=s.program,
            tier=s.tier.value if s.tier else None,
        )
        for s in tracker.signals
    ]
    rows += [
        GeoPreferenceRow(owner=owner, position=n, region=region)
        for n, region in enumerate(tracker.geography, start=1)
    ]
    rows += [
        InterviewRow(
            owner=owner,
            program=i.program,
            held_on=i.on,
            format=i.format.value,
            scores=[[name, score] for name, score in i.scores],
            notes=i.notes,
        )
        for i in tracker.interviews
    ]
    lists = [(PRIMARY, tracker.draft.primary), *tracker.draft.supplemental.items()]
    rows += [
        RankEntryRow(owner=owner, list_name=name, position=n, program=program)
        for name, programs in lists
        for n, program in enumerate(programs, start=1)
    ]
    return rows


class SqlTrackerRepository:
    """Trackers in a SQL database; implements `TrackerRepository` within one session."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._revisions: dict[str, int] = {}  # the revision each owner's tracker was read at

    def get(self, owner: str) -> Tracker:
        db = self._session
        row = db.get(TrackerRow, owner)
        self._revisions[owner] = row.revision if row else 0

        return tracker_to_domain(
            list(db.scalars(select(StateChangeRow).where(StateChangeRow.owner == owner))),
            list(
                db.scalars(
                    select(TrackedApplicationRow).where(TrackedApplicationRow.owner == owner)
                )
            ),
            list(db.scalars(select(LetterRow).where(LetterRow.owner == owner))),
            list(db.scalars(select(DocumentVersionRow).where(DocumentVersionRow.owner == owner))),
            list(db.scalars(select(SignalRow).where(SignalRow.owner == owner))),
            list(db.scalars(select(GeoPreferenceRow).where(GeoPreferenceRow.owner == owner))),
            list(db.scalars(select(InterviewRow).where(InterviewRow.owner == owner))),
            list(db.scalars(select(RankEntryRow).where(RankEntryRow.owner == owner))),
        )

    def save(self, owner: str, tracker: Tracker) -> None:
        stored = list(
            self._session.scalars(
                select(StateChangeRow)
                .where(StateChangeRow.owner == owner)
                .order_by(StateChangeRow.id)
            )
        )
        old = tuple(change_to_domain(r) for r in stored)
        if tracker.changes[: len(old)] != old:
            raise StoreError(f"the history of {owner}'s tracker cannot be rewritten")
        self._write(owner, tracker, tracker.changes[len(old) :])

    def replace(self, owner: str, tracker: Tracker) -> None:
        self._session.execute(delete(StateChangeRow).where(StateChangeRow.owner == owner))
        self._write(owner, tracker, tracker.changes)

    def _write(self, owner: str, tracker: Tracker, new_changes: tuple[StateChange, ...]) -> None:
        try:
            self._rewrite(owner, tracker, new_changes)
        except StoreError:
            raise
        except SQLAlchemyError as error:  # a foreign error, mapped once here
            raise StoreError(f"cannot save the tracker: {error}") from error

    def _rewrite(self, owner: str, tracker: Tracker, new_changes: tuple[StateChange, ...]) -> None:
        db = self._session
        self._bump(owner)
        letters = select(LetterRow.id).where(LetterRow.owner == owner)
        db.execute(
            delete(LetterAssignmentRow).where(LetterAssignmentRow.letter_id.in_(letters)),
            execution_options={"synchronize_session": "fetch"},
        )
        for model in _CURRENT:  # "fetch": rows read by `get` leave the session too
            db.execute(
                delete(model).where(model.owner == owner),
                execution_options={"synchronize_session": "fetch"},
            )
        db.flush()
        db.add_all(change_row(owner, c) for c in new_changes)
        db.add_all(current_rows(owner, tracker))
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
