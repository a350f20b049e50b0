"""Tracker use cases on the in-memory store, file round trips and the rank list export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fakes import MemoryUnitOfWork
from matchready.data import load_facts
from matchready.domain import tracker_book as book
from matchready.domain.program import Program, ProgramCode
from matchready.domain.tracker import (
    TRANSITIONS,
    AppState,
    DocumentKind,
    InterviewFormat,
    LetterStatus,
    SignalTier,
)
from matchready.domain.tracker_book import Tracker
from matchready.errors import ImportFileError, InputError, NotFoundError, TrackerError
from matchready.io.tables import read_table, write_table
from matchready.io.tracker_table import COLUMNS, parse_tracker, tracker_rows
from matchready.services import tracker as service
from matchready.services import tracker_files as files
from tracker_strategies import trackers

FACTS = load_facts()
ME, OTHER = "local", "someone-else"
LEGAL = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
ILLEGAL = [(a, b) for a in AppState for b in AppState if b not in TRANSITIONS[a]]
PATHS = {  # a shortest way from planned to each state
    AppState.PLANNED: [],
    AppState.SUBMITTED: [AppState.SUBMITTED],
    AppState.WAITLISTED: [AppState.SUBMITTED, AppState.WAITLISTED],
    AppState.REJECTED: [AppState.SUBMITTED, AppState.REJECTED],
    AppState.WITHDRAWN: [AppState.WITHDRAWN],
    AppState.INVITED: [AppState.SUBMITTED, AppState.INVITED],
    AppState.INTERVIEW_SCHEDULED: [
        AppState.SUBMITTED,
        AppState.INVITED,
        AppState.INTERVIEW_SCHEDULED,
    ],
    AppState.INTERVIEWED: [
        AppState.SUBMITTED,
        AppState.INVITED,
        AppState.INTERVIEW_SCHEDULED,
        AppState.INTERVIEWED,
    ],
    AppState.RANKED: [
        AppState.SUBMITTED,
        AppState.INVITED,
        AppState.INTERVIEW_SCHEDULED,
        AppState.INTERVIEWED,
        AppState.RANKED,
    ],
}


def store() -> MemoryUnitOfWork:
    uow = MemoryUnitOfWork()
    with uow:
        for name, codes, acgme in [
            ("Example IM (fictional)", ("1000140C0", "1000140P0"), "1403621075"),
            ("Example Anesthesiology (fictional)", ("1002040A0",), None),
            ("Example FM (fictional)", (), "1203100001"),
            ("Example TY (fictional)", ("1003999P0",), "9999999999"),
        ]:
            program = Program(
                name=name, acgme_number=acgme, codes=tuple(ProgramCode(c) for c in codes)
            )
            uow.programs.save(program, None)
        uow.commit()
    return uow


def walk(uow: MemoryUnitOfWork, program: str, target: AppState) -> None:
    for state in PATHS[target]:
        service.move_program(uow, ME, FACTS, program, state, on=date(2025, 9, 1))


@pytest.mark.parametrize(("start", "to"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_every_legal_move_is_stored_with_its_history(start: AppState, to: AppState) -> None:
    uow = store()
    service.add_program(uow, ME, FACTS, "1000140C0", specialty="IM")
    walk(uow, "1000140C0", start)
    moved = service.move_program(
        uow, ME, FACTS, "1000140C0", to, on=date(2025, 10, 2), note="why", by="me"
    )
    tracker = service.get_tracker(uow, ME)
    assert moved.state is to and tracker.require("1000140C0").state is to
    last = tracker.history("1000140C0")[-1]
    assert (last.from_state, last.to_state, last.on, last.by, last.note) == (
        start,
        to,
        date(2025, 10, 2),
        "me",
        "why",
    )
    assert len(tracker.history("1000140C0")) == len(PATHS[start]) + 2


@pytest.mark.parametrize(("start", "to"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_every_illegal_move_is_refused_and_nothing_is_saved(start: AppState, to: AppState) -> None:
    uow = store()
    service.add_program(uow, ME, FACTS, "1000140C0", specialty="IM")
    walk(uow, "1000140C0", start)
    before = service.get_tracker(uow, ME)
    with pytest.raises(TrackerError, match=f"cannot go from '{start.words}' to '{to.words}'"):
        service.move_program(uow, ME, FACTS, "1000140C0", to)
    assert service.get_tracker(uow, ME) == before


def test_programs_must_exist_and_be_named_by_one_track() -> None:
    uow = store()
    with pytest.raises(NotFoundError, match=r"no program .* 1234567890"):
        service.add_program(uow, ME, FACTS, "1234567890")
    with pytest.raises(TrackerError, match=r"has 2 tracks .*name one code"):
        service.add_program(uow, ME, FACTS, "1403621075")
    assert service.add_program(uow, ME, FACTS, "9999999999").program == "1003999P0"
    assert service.add_program(uow, ME, FACTS, "1203100001").program == "1203100001"
    assert service.add_program(uow, ME, FACTS, "1002040A0").advanced
    with pytest.raises(TrackerError, match="already in the tracker"):
        service.add_program(uow, ME, FACTS, "1002040A0")
    with pytest.raises(NotFoundError, match="not in the tracker"):
        service.move_program(uow, ME, FACTS, "1000140C0", AppState.SUBMITTED)


def test_the_letter_limit_through_the_service() -> None:
    uow = store()
    service.add_program(uow, ME, FACTS, "1000140C0")
    service.add_program(uow, ME, FACTS, "1000140P0")
    for n in range(5):
        letter = service.add_letter(uow, ME, FACTS, f"Dr {n}", us_physician=n < 3, specialty="im")
        assert letter.key == f"L{n + 1}" and letter.specialty == "IM"
    for key in ("L1", "L2", "L3", "L4"):
        service.assign_letter(uow, ME, FACTS, key, "1000140C0")
    with pytest.raises(TrackerError, match=r"1000140C0 already has 4 letters.*at most 4"):
        service.assign_letter(uow, ME, FACTS, "L5", "1000140C0")
    service.assign_letter(uow, ME, FACTS, "l5", "1000140P0")
    service.assign_letter(uow, ME, FACTS, "L1", "1000140C0", remove=True)
    service.assign_letter(uow, ME, FACTS, "L5", "1000140C0")
    with pytest.raises(TrackerError, match="not assigned"):
        service.assign_letter(uow, ME, FACTS, "L1", "1000140C0", remove=True)
    letter = service.advance_letter(uow, ME, FACTS, "L2", LetterStatus.RECEIVED, date(2025, 7, 1))
    assert letter.received_on == date(2025, 7, 1)
    with pytest.raises(TrackerError, match="cannot go from 'received' to 'requested'"):
        service.advance_letter(uow, ME, FACTS, "L2", LetterStatus.REQUESTED)


def test_documents_signals_interviews_and_owners_apart(tmp_path: Path) -> None:
    uow = store()
    service.add_program(uow, ME, FACTS, "1000140C0", specialty="IM")
    ps = tmp_path / "ps.txt"
    ps.write_text("first")
    doc, new = service.add_document(uow, ME, FACTS, ps, DocumentKind.PERSONAL_STATEMENT)
    assert new and doc.version == 1 and doc.path == str(ps.resolve())
    assert service.add_document(uow, ME, FACTS, ps, DocumentKind.PERSONAL_STATEMENT)[1] is False
    ps.write_text("second")
    doc, new = service.add_document(uow, ME, FACTS, ps, DocumentKind.PERSONAL_STATEMENT)
    assert new and doc.version == 2
    with pytest.raises(InputError, match="cannot read"):
        service.add_document(uow, ME, FACTS, tmp_path / "missing.pdf", DocumentKind.CV)

    signal = service.add_signal(uow, ME, FACTS, "1000140C0", season=2025, tier=SignalTier.GOLD)
    assert (signal.specialty, signal.season) == ("IM", 2025)
    with pytest.raises(TrackerError, match="already has a IM signal"):
        service.add_signal(uow, ME, FACTS, "1000140C0", season=2025, tier=SignalTier.SILVER)
    service.add_program(uow, ME, FACTS, "1000140P0", specialty="IM")
    with pytest.raises(TrackerError, match="gold or silver"):
        service.add_signal(uow, ME, FACTS, "1000140P0", season=2025)

    interview = service.record_interview(
        uow,
        ME,
        FACTS,
        "1000140C0",
        on=date(2025, 11, 3),
        interview_format=InterviewFormat.VIRTUAL,
        scores={"fit": 4, "city": 2},
    )
    assert interview.mean == 3
    with pytest.raises(TrackerError, match="not 1 to 5"):
        service.record_interview(
            uow,
            ME,
            FACTS,
            "1000140C0",
            on=None,
            interview_format=InterviewFormat.VIRTUAL,
            scores={"fit": 6},
        )
    assert service.get_tracker(uow, OTHER) == Tracker()
    with pytest.raises(NotFoundError):
        service.move_program(uow, OTHER, FACTS, "1000140C0", AppState.SUBMITTED)


def test_rank_list_with_a_supplemental_list_and_warnings(tmp_path: Path) -> None:
    uow = store()
    for code in ("1002040A0", "1000140C0", "1003999P0"):
        service.add_program(uow, ME, FACTS, code)
    service.set_program(uow, ME, FACTS, "1000140C0", would_not_go=True)
    service.rank_program(uow, ME, FACTS, "1000140C0")
    service.rank_program(uow, ME, FACTS, "1002040A0", position=1)
    warnings = service.rank_program(uow, ME, FACTS, "9999999999", under="1002040A0")
    assert any("1000140C0 (rank 2) is marked 'would not go'" in w for w in warnings)
    with pytest.raises(TrackerError, match="only advanced programs"):
        service.rank_program(uow, ME, FACTS, "1003999P0", under="1000140C0")
    with pytest.raises(TrackerError, match="has a supplemental list"):
        service.unrank_program(uow, ME, FACTS, "1002040A0")

    out = tmp_path / "rol.csv"
    result = files.export_rank_list(uow, ME, out, date(2026, 2, 1))
    assert out.read_text().splitlines() == [
        "list,rank,program_code,program_name,track",
        "primary,1,1002040A0,Example Anesthesiology (fictional),advanced",
        "primary,2,1000140C0,Example IM (fictional),categorical",
        "supplemental for 1002040A0,1,1003999P0,Example TY (fictional),preliminary",
    ]
    text = files.rank_list_text(result, date(2026, 2, 1))
    assert "Supplemental list for 1002040A0 (PGY-1)" in text
    assert "enter it by hand in NRMP R3" in text and "would not go" in text


def write_read(tracker: Tracker, path: Path) -> Tracker:
    write_table(path, COLUMNS, tracker_rows(tracker))
    return parse_tracker(read_table(path))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trackers())
def test_csv_and_xlsx_round_trip(
    tmp_path_factory: pytest.TempPathFactory, tracker: Tracker
) -> None:
    book.validate(tracker, FACTS)
    folder = tmp_path_factory.mktemp("roundtrip")
    assert write_read(tracker, folder / "t.csv") == tracker
    assert write_read(tracker, folder / "t.xlsx") == tracker


def test_import_replaces_only_when_asked_and_export_is_atomic(tmp_path: Path) -> None:
    uow = store()
    service.add_program(uow, ME, FACTS, "1000140C0")
    service.move_program(uow, ME, FACTS, "1000140C0", AppState.SUBMITTED, note="sent")
    out = tmp_path / "tracker.xlsx"
    files.export_tracker(uow, ME, out)
    assert [p.name for p in tmp_path.iterdir()] == ["tracker.xlsx"]
    files.import_tracker(uow, OTHER, FACTS, out)
    assert service.get_tracker(uow, OTHER) == service.get_tracker(uow, ME)
    with pytest.raises(InputError, match="use --replace"):
        files.import_tracker(uow, OTHER, FACTS, out)
    files.import_tracker(uow, OTHER, FACTS, out, replace=True)
    with pytest.raises(InputError, match=r"\.csv or \.xlsx"):
        files.export_tracker(uow, ME, tmp_path / "tracker.json")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("application,1000140C0,,,,IM,sent,,", r"row 1, field 'state': 'sent' is not one of"),
        ("application,1000140C0,,,,IM,planned,maybe,", r"row 1, field 'advanced': 'maybe'"),
        ("letter,,,,L1,IM,,,", r"row 1, field 'writer': a letter row needs a writer"),
        ("assignment,1000140C0,,,L9,,,,", r"row 1, field 'key': no letter L9"),
        ("rank,1000140C0,,first,,,,,", r"row 1, field 'position': 'first' is not a whole"),
        ("hobby,1000140C0,,,,,,,", r"row 1, field 'record': 'hobby' is not a kind"),
        ("application,1000140C0,,,,IM,submitted,no,no", "does not start with 'added'"),
    ],
)
def test_a_bad_row_names_file_row_column_and_rejects_the_file(
    tmp_path: Path, row: str, message: str
) -> None:
    uow = store()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "record,program,list,position,key,specialty,state,advanced,would_not_go,writer\n"
        + row
        + "\n"
    )
    with pytest.raises(ImportFileError, match=message) as caught:
        files.import_tracker(uow, ME, FACTS, bad)
    assert "bad.csv" in str(caught.value)
    assert service.get_tracker(uow, ME) == Tracker()


def test_an_imported_file_obeys_the_letter_limit(tmp_path: Path) -> None:
    uow = store()
    service.add_program(uow, ME, FACTS, "1000140C0")
    for n in range(4):
        service.add_letter(uow, ME, FACTS, f"Dr {n}", us_physician=True, specialty="IM")
        service.assign_letter(uow, ME, FACTS, f"L{n + 1}", "1000140C0")
    out = tmp_path / "t.csv"
    files.export_tracker(uow, ME, out)
    table = read_table(out)
    extra = dict.fromkeys(COLUMNS, "")
    extra.update(record="letter", key="L5", writer="Dr 5", us_physician="no", status="requested")
    assignment = dict.fromkeys(COLUMNS, "")
    assignment.update(record="assignment", key="L5", program="1000140C0")
    rows = [*table.rows, [extra[c] for c in COLUMNS], [assignment[c] for c in COLUMNS]]
    write_table(out, COLUMNS, rows)
    with pytest.raises(ImportFileError, match="1000140C0 has 5 letters; ERAS allows at most 4"):
        files.import_tracker(uow, OTHER, FACTS, out)


@pytest.mark.parametrize(
    ("acgme", "code"), [("1203100001", "FM"), ("4003100002", "PSYCH"), ("1103100004", "EM")]
)
def test_specialty_is_read_from_the_acgme_number_beyond_internal_medicine(
    acgme: str, code: str
) -> None:
    from matchready.domain.program import Program
    from matchready.services.tracker import specialty_of

    program = Program(name="Example (fictional)", acgme_number=acgme, specialty_code=acgme[:3])
    assert specialty_of(program, FACTS) == code
