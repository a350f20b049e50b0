"""The tracker on SQLite and PostgreSQL: every kind of row, history, owners apart, transactions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from factories import refused
from matchready.data import load_facts
from matchready.domain.report import Citation
from matchready.domain.signals import SignalTier
from matchready.domain.tracker import AppState, DocumentKind, DocumentStatus, LetterStatus, Tracker
from matchready.domain.tracker_records import (
    ApplicationRecord,
    AssignmentRecord,
    ChangeRecord,
    InterviewRecord,
    LetterRecord,
    RankRecord,
    SignalRecord,
)
from matchready.errors import StoreError, TrackerError
from matchready.services.programs import import_programs
from matchready.services.tracker import Tracking
from matchready.store.database import open_database
from matchready.store.models import StateChangeRow
from matchready.store.sql import SqlUnitOfWork
from stores import store_at

DATA = Path(__file__).parent.parent / "data"
FACTS = load_facts()
CHANGED = "the tracker was changed by someone else meanwhile: reload and try again"
A, B = "account-a", "account-b"


def fill(uow: SqlUnitOfWork, owner: str, folder: Path) -> None:
    """A tracker with a row of every kind."""
    t = Tracking(uow, owner, FACTS)
    for code in ("1002040A0", "1000140C0", "1000140P0"):
        t.add(
            ApplicationRecord(program=code),
            ChangeRecord.parse({"program": code, "state": "planned", "date": "2025-06-01"}),
        )
    for state in ("submitted", "invited", "interview_scheduled"):
        t.move(ChangeRecord.parse({"program": "1000140C0", "state": state, "date": "2025-09-03"}))
    t.move(ChangeRecord(program="1000140C0", state=AppState.INTERVIEWED, note="went well"))
    t.set("1000140P0", would_not_go=True, notes="far away")
    for n in range(5):
        t.add_letter(LetterRecord(writer=f"Dr {n}", us_physician=n % 2 == 0, specialty="IM"))
    for key in ("L1", "L2", "L3", "L4"):
        t.assign(AssignmentRecord(key=key, program="1000140C0"))
    t.advance_letter("L1", LetterStatus.RECEIVED, date(2025, 7, 1))
    doc = folder / f"{owner}-cv.pdf"
    doc.write_bytes(b"%PDF-1")
    t.add_document_file(doc, DocumentKind.CV, "cv")
    doc.write_bytes(b"%PDF-2")
    t.add_document_file(doc, DocumentKind.CV, "cv")
    t.mark_document(DocumentKind.CV, "cv", DocumentStatus.FINAL)
    t.signal(SignalRecord(program="1000140C0", season=2025, tier=SignalTier.GOLD))
    t.set_geography(["Middle Atlantic", "Pacific"])
    t.interview(
        InterviewRecord.parse(
            {
                "program": "1000140C0",
                "date": "2025-11-04",
                "format": "in_person",
                "scores": "teaching=5; city=3",
                "notes": "friendly residents",
            }
        )
    )
    t.rank(RankRecord(program="1000140C0"))
    t.rank(RankRecord(program="1002040A0"))
    t.rank(RankRecord(program="1000140P0", list_name="1002040A0"))


def tracker_of(uow: SqlUnitOfWork, owner: str) -> Tracker:
    return Tracking(uow, owner, FACTS).tracker()


@pytest.fixture
def uow(database_url: str) -> Iterator[SqlUnitOfWork]:
    with store_at(database_url) as unit:
        import_programs(unit, DATA / "template_sample.csv")
        import_programs(unit, DATA / "nrmp_codes_sample.csv")
        yield unit


def test_every_kind_of_row_is_stored_and_read_back(uow: SqlUnitOfWork, tmp_path: Path) -> None:
    fill(uow, A, tmp_path)
    tracker = tracker_of(uow, A)
    tracker.validate(FACTS)
    app = tracker.require("1000140C0")
    assert app.state is AppState.INTERVIEWED and app.specialty == "IM"
    assert tracker.require("1002040A0").advanced
    assert tracker.require("1000140P0").would_not_go
    assert tracker.require("1000140P0").notes == "far away"
    history = app.lines()
    assert [(c.from_state, c.to_state, c.on) for c in history] == [
        (None, AppState.PLANNED, date(2025, 6, 1)),
        (AppState.PLANNED, AppState.SUBMITTED, date(2025, 9, 3)),
        (AppState.SUBMITTED, AppState.INVITED, date(2025, 9, 3)),
        (AppState.INVITED, AppState.INTERVIEW_SCHEDULED, date(2025, 9, 3)),
        (AppState.INTERVIEW_SCHEDULED, AppState.INTERVIEWED, None),
    ]
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
    before = tracker_of(uow, A)
    limit = FACTS.rule("eras.max_letters_per_program")
    assert limit is not None
    with refused(
        TrackerError,
        "program 1000140C0 already has 4 letters (Dr 0, Dr 1, Dr 2, Dr 3); ERAS allows at most "
        f"{limit.integer()} per program ({Citation.of(limit)}). Unassign one first.",
    ):
        Tracking(uow, A, FACTS).assign(AssignmentRecord(key="L5", program="1000140C0"))
    with refused(
        TrackerError,
        "program 1000140C0: cannot go from 'interviewed' to 'submitted' (allowed next: ranked, "
        "withdrawn)",
    ):
        Tracking(uow, A, FACTS).move(ChangeRecord(program="1000140C0", state=AppState.SUBMITTED))
    assert tracker_of(uow, A) == before


def test_owners_are_kept_apart(uow: SqlUnitOfWork, tmp_path: Path) -> None:
    fill(uow, A, tmp_path)
    assert tracker_of(uow, B) == Tracker()
    Tracking(uow, B, FACTS).add(ApplicationRecord(program="1000140C0"))
    Tracking(uow, B, FACTS).add_letter(LetterRecord(writer="Dr B", specialty="FM"))
    tracker_b = tracker_of(uow, B)
    assert [a.state for a in tracker_b.applications] == [AppState.PLANNED]
    assert [x.writer for x in tracker_b.letters] == ["Dr B"]
    assert len(tracker_of(uow, A).letters) == 5  # A's letters untouched by B's save


def test_history_is_appended_never_rewritten(uow: SqlUnitOfWork, tmp_path: Path) -> None:
    fill(uow, A, tmp_path)
    with uow:
        ids = list(uow._session.scalars(select(StateChangeRow.id).order_by(StateChangeRow.id)))
    Tracking(uow, A, FACTS).move(ChangeRecord(program="1000140C0", state=AppState.RANKED))
    with uow:
        after = list(uow._session.scalars(select(StateChangeRow.id).order_by(StateChangeRow.id)))
        tracker = uow.tracker.get(A)
        with refused(StoreError, f"the history of {A}'s tracker cannot be rewritten"):
            uow.tracker.save(A, Tracker())
    assert after[: len(ids)] == ids and len(after) == len(ids) + 1
    assert tracker.require("1000140C0").state is AppState.RANKED


def test_a_concurrent_save_is_refused_not_lost(database_url: str, uow: SqlUnitOfWork) -> None:
    Tracking(uow, A, FACTS).add(ApplicationRecord(program="1000140C0"))
    engine, sessions = open_database(database_url)
    try:
        first, second = SqlUnitOfWork(sessions), SqlUnitOfWork(sessions)
        with first:
            mine = first.tracker.get(A)
        with second:
            theirs = second.tracker.get(A)
            second.tracker.save(A, theirs.set_geography(["Pacific"]))
            second.commit()
        with first:
            first.tracker.get(A)  # a fresh read sees the new revision and may save
            first.tracker._revisions[A] -= 1  # ... but not with the revision read before
            with refused(StoreError, CHANGED):
                first.tracker.save(A, mine.set_geography(["New England"]))
    finally:
        engine.dispose()
    assert tracker_of(uow, A).geography == ("Pacific",)


def test_export_import_round_trip_between_owners(uow: SqlUnitOfWork, tmp_path: Path) -> None:
    fill(uow, A, tmp_path)
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"tracker.{suffix}"
        with out.open("wb") as file:
            Tracking(uow, A, FACTS).export(file, out.suffix)
        Tracking(uow, B, FACTS).import_file(out, replace=True)
        assert tracker_of(uow, B) == tracker_of(uow, A)


def test_two_first_saves_of_one_owner_do_not_both_win(database_url: str) -> None:
    engine, sessions = open_database(database_url)
    try:
        first, second = SqlUnitOfWork(sessions), SqlUnitOfWork(sessions)
        with first:
            empty = first.tracker.get(B)
            with second:
                second.tracker.get(B)
                second.tracker.save(B, empty.set_geography(["Pacific"]))
                second.commit()
            with refused(StoreError, CHANGED):
                first.tracker.save(B, empty.set_geography(["Mountain"]))
        with SqlUnitOfWork(sessions) as check:
            assert check.tracker.get(B).geography == ("Pacific",)
    finally:
        engine.dispose()
