"""The tracker on SQLite and PostgreSQL: every kind of row, history, owners apart, transactions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from matchready.data import load_facts
from matchready.domain import tracker_book as book
from matchready.domain.tracker import (
    AppState,
    DocumentKind,
    DocumentStatus,
    InterviewFormat,
    LetterStatus,
    SignalTier,
)
from matchready.domain.tracker_book import Tracker
from matchready.errors import StoreError, TrackerError
from matchready.services import tracker as service
from matchready.services import tracker_files as files
from matchready.services.programs import import_programs
from matchready.store.database import open_database
from matchready.store.models import StateChangeRow
from matchready.store.sql import SqlUnitOfWork
from stores import store_at

DATA = Path(__file__).parent.parent / "data"
FACTS = load_facts()
A, B = "account-a", "account-b"


def fill(uow: SqlUnitOfWork, owner: str, folder: Path) -> None:
    """A tracker with a row of every kind."""
    for code in ("1002040A0", "1000140C0", "1000140P0"):
        service.add_program(uow, owner, FACTS, code, on=date(2025, 6, 1))
    for state in (AppState.SUBMITTED, AppState.INVITED, AppState.INTERVIEW_SCHEDULED):
        service.move_program(uow, owner, FACTS, "1000140C0", state, on=date(2025, 9, 3))
    service.move_program(uow, owner, FACTS, "1000140C0", AppState.INTERVIEWED, note="went well")
    service.set_program(uow, owner, FACTS, "1000140P0", would_not_go=True, notes="far away")
    for n in range(5):
        service.add_letter(uow, owner, FACTS, f"Dr {n}", us_physician=n % 2 == 0, specialty="IM")
    for key in ("L1", "L2", "L3", "L4"):
        service.assign_letter(uow, owner, FACTS, key, "1000140C0")
    service.advance_letter(uow, owner, FACTS, "L1", LetterStatus.RECEIVED, date(2025, 7, 1))
    doc = folder / f"{owner}-cv.pdf"
    doc.write_bytes(b"%PDF-1")
    service.add_document(uow, owner, FACTS, doc, DocumentKind.CV, "cv")
    doc.write_bytes(b"%PDF-2")
    service.add_document(uow, owner, FACTS, doc, DocumentKind.CV, "cv")
    service.mark_document(uow, owner, FACTS, DocumentKind.CV, "cv", DocumentStatus.FINAL)
    service.add_signal(uow, owner, FACTS, "1000140C0", season=2025, tier=SignalTier.GOLD)
    service.set_geography(uow, owner, FACTS, ["Middle Atlantic", "Pacific"])
    service.record_interview(
        uow,
        owner,
        FACTS,
        "1000140C0",
        on=date(2025, 11, 4),
        interview_format=InterviewFormat.IN_PERSON,
        scores={"teaching": 5, "city": 3},
        notes="friendly residents",
    )
    service.rank_program(uow, owner, FACTS, "1000140C0")
    service.rank_program(uow, owner, FACTS, "1002040A0")
    service.rank_program(uow, owner, FACTS, "1000140P0", under="1002040A0")


@pytest.fixture
def uow(database_url: str) -> Iterator[SqlUnitOfWork]:
    with store_at(database_url) as unit:
        import_programs(unit, DATA / "template_sample.csv")
        import_programs(unit, DATA / "nrmp_codes_sample.csv")
        yield unit


def test_every_kind_of_row_is_stored_and_read_back(uow: SqlUnitOfWork, tmp_path: Path) -> None:
    fill(uow, A, tmp_path)
    tracker = service.get_tracker(uow, A)
    book.validate(tracker, FACTS)
    app = tracker.require("1000140C0")
    assert app.state is AppState.INTERVIEWED and app.specialty == "IM"
    assert [s for s, _ in app.history][-1] is AppState.INTERVIEWED
    assert tracker.require("1002040A0").advanced
    assert tracker.require("1000140P0").would_not_go
    history = tracker.history("1000140C0")
    assert [c.from_state for c in history][:2] == [None, AppState.PLANNED]
    assert history[-1].note == "went well" and history[-1].by == A
    assert history[-1].at.tzinfo is not None
    assert [x.key for x in tracker.letters] == ["L1", "L2", "L3", "L4", "L5"]
    assert tracker.letter("L1").received_on == date(2025, 7, 1)
    assert [(d.version, d.status) for d in tracker.documents] == [
        (1, DocumentStatus.DRAFT),
        (2, DocumentStatus.FINAL),
    ]
    assert tracker.signals[0].tier is SignalTier.GOLD and tracker.signals[0].season == 2025
    assert tracker.geography == ("Middle Atlantic", "Pacific")
    interview = tracker.interview("1000140C0")
    assert interview is not None and interview.scores == (("teaching", 5), ("city", 3))
    assert tracker.draft.primary == ("1000140C0", "1002040A0")
    assert dict(tracker.draft.supplemental) == {"1002040A0": ("1000140P0",)}


def test_the_letter_limit_and_illegal_moves_leave_the_store_untouched(
    uow: SqlUnitOfWork, tmp_path: Path
) -> None:
    fill(uow, A, tmp_path)
    before = service.get_tracker(uow, A)
    with pytest.raises(TrackerError, match="already has 4 letters"):
        service.assign_letter(uow, A, FACTS, "L5", "1000140C0")
    with pytest.raises(TrackerError, match="cannot go from 'interviewed' to 'submitted'"):
        service.move_program(uow, A, FACTS, "1000140C0", AppState.SUBMITTED)
    assert service.get_tracker(uow, A) == before


def test_owners_are_kept_apart(uow: SqlUnitOfWork, tmp_path: Path) -> None:
    fill(uow, A, tmp_path)
    assert service.get_tracker(uow, B) == Tracker()
    service.add_program(uow, B, FACTS, "1000140C0")
    service.add_letter(uow, B, FACTS, "Dr B", us_physician=True, specialty="FM")
    tracker_b = service.get_tracker(uow, B)
    assert [a.state for a in tracker_b.applications] == [AppState.PLANNED]
    assert [x.writer for x in tracker_b.letters] == ["Dr B"]
    assert len(service.get_tracker(uow, A).letters) == 5  # A's letters untouched by B's save


def test_history_is_appended_never_rewritten(uow: SqlUnitOfWork, tmp_path: Path) -> None:
    fill(uow, A, tmp_path)
    with uow:
        ids = list(uow._session.scalars(select(StateChangeRow.id).order_by(StateChangeRow.id)))
    service.move_program(uow, A, FACTS, "1000140C0", AppState.RANKED)
    with uow:
        after = list(uow._session.scalars(select(StateChangeRow.id).order_by(StateChangeRow.id)))
        tracker = uow.tracker.get(A)
        with pytest.raises(StoreError, match="cannot be rewritten"):
            uow.tracker.save(A, Tracker())
    assert after[: len(ids)] == ids and len(after) == len(ids) + 1
    assert tracker.history("1000140C0")[-1].to_state is AppState.RANKED


def test_a_concurrent_save_is_refused_not_lost(database_url: str, uow: SqlUnitOfWork) -> None:
    service.add_program(uow, A, FACTS, "1000140C0")
    engine, sessions = open_database(database_url)
    try:
        first, second = SqlUnitOfWork(sessions), SqlUnitOfWork(sessions)
        with first:
            mine = first.tracker.get(A)
        with second:
            theirs = second.tracker.get(A)
            second.tracker.save(A, book.set_geography(theirs, ["Pacific"]))
            second.commit()
        with first:
            first.tracker.get(A)  # a fresh read sees the new revision and may save
            first.tracker._revisions[A] -= 1  # ... but not with the revision read before
            with pytest.raises(StoreError, match="changed by someone else"):
                first.tracker.save(A, book.set_geography(mine, ["New England"]))
    finally:
        engine.dispose()
    assert service.get_tracker(uow, A).geography == ("Pacific",)


def test_export_import_round_trip_between_owners(uow: SqlUnitOfWork, tmp_path: Path) -> None:
    fill(uow, A, tmp_path)
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"tracker.{suffix}"
        files.export_tracker(uow, A, out)
        files.import_tracker(uow, B, FACTS, out, replace=True)
        assert service.get_tracker(uow, B) == service.get_tracker(uow, A)


def test_two_first_saves_of_one_owner_do_not_both_win(database_url: str) -> None:
    engine, sessions = open_database(database_url)
    try:
        first, second = SqlUnitOfWork(sessions), SqlUnitOfWork(sessions)
        with first:
            empty = first.tracker.get(B)
            with second:
                second.tracker.get(B)
                second.tracker.save(B, book.set_geography(empty, ["Pacific"]))
                second.commit()
            with pytest.raises(StoreError, match="changed by someone else"):
                first.tracker.save(B, book.set_geography(empty, ["Mountain"]))
        with SqlUnitOfWork(sessions) as check:
            assert check.tracker.get(B).geography == ("Pacific",)
    finally:
        engine.dispose()
