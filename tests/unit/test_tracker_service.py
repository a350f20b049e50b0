"""Tracker use cases on the in-memory store (no disk): moves, letters, documents, signals,
interviews, the rank list, owners apart, and the record models every interface parses through."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from factories import path_to, refused
from fakes import MemoryUnitOfWork, example_programs
from matchready.data import load_facts
from matchready.domain.program import Program
from matchready.domain.report import Citation
from matchready.domain.signals import SignalTier
from matchready.domain.tracker import (
    TRANSITIONS,
    Application,
    AppState,
    DocumentKind,
    LetterStatus,
    Tracker,
)
from matchready.domain.tracker_records import (
    ApplicationRecord,
    AssignmentRecord,
    ChangeRecord,
    InterviewRecord,
    LetterRecord,
    RankRecord,
    SignalRecord,
)
from matchready.errors import InputError, NotFoundError, TrackerError
from matchready.io.tracker_table import rank_list_csv, rank_list_text
from matchready.services.tracker import Tracking, specialty_of

FACTS = load_facts()
LIMIT = FACTS.rule("eras.max_letters_per_program")
assert LIMIT is not None
ME, OTHER = "local", "someone-else"
NOW = datetime(2025, 10, 2, 8, 30, tzinfo=UTC)
LEGAL = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
ILLEGAL = [(a, b) for a in AppState for b in AppState if b not in TRANSITIONS[a]]


def track(uow: MemoryUnitOfWork, owner: str = ME, by: str | None = None) -> Tracking:
    return Tracking(uow, owner, FACTS, by=by, clock=lambda: NOW)


def add(t: Tracking, key: str, **fields: object) -> Application:
    return t.add(ApplicationRecord.parse({"program": key, **fields}))


def move(t: Tracking, key: str, state: AppState, **fields: object) -> Application:
    return t.move(ChangeRecord.parse({"program": key, "state": state, **fields}))


@pytest.mark.parametrize(("start", "to"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_every_legal_move_is_stored_with_its_history(start: AppState, to: AppState) -> None:
    t = track(example_programs(), by="me")
    add(t, "1000140C0", specialty="IM")
    for state in path_to(start):
        move(t, "1000140C0", state, date="2025-09-01")
    moved = t.move(
        ChangeRecord.parse(
            {"program": "1000140C0", "state": to.value, "date": "2025-10-02", "note": "why"}
        )
    )
    app = t.tracker().require("1000140C0")
    assert moved == app and app.state is to
    last = app.lines()[-1]
    assert tuple(last) == (start, to, date(2025, 10, 2), NOW, "me", "why")
    assert len(app.history) == len(path_to(start)) + 2


@pytest.mark.parametrize(("start", "to"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_every_illegal_move_is_refused_and_nothing_is_saved(start: AppState, to: AppState) -> None:
    uow = example_programs()
    t = track(uow)
    add(t, "1000140C0", specialty="IM")
    for state in path_to(start):
        move(t, "1000140C0", state)
    before, commits = t.tracker(), uow.commits
    with pytest.raises(TrackerError, match=f"cannot go from '{start.words}' to '{to.words}'"):
        move(t, "1000140C0", to)
    assert t.tracker() == before and uow.commits == commits


def test_programs_must_exist_and_be_named_by_one_track() -> None:
    t = track(example_programs())
    with refused(
        NotFoundError,
        (
            "no program with ACGME number or NRMP code 1234567890 in the "
            "program store (import programs first: matchready programs "
            "import FILE)"
        ),
    ):
        add(t, "1234567890")
    with refused(
        TrackerError,
        (
            "program 1403621075 has 2 tracks (1000140C0 (categorical), "
            "1000140P0 (preliminary)): name one code"
        ),
    ):
        add(t, "1403621075")
    first = t.add(
        ApplicationRecord.parse({"program": "9999999999"}),
        ChangeRecord.parse({"program": "9999999999", "state": "planned", "date": "2025-06-01"}),
    )
    assert first.program == "1003999P0" and first.history[0].on == date(2025, 6, 1)
    assert add(t, "1203100001") == t.tracker().require("1203100001")
    assert add(t, "1002040A0").advanced
    with refused(TrackerError, "program 1002040A0 is already in the tracker"):
        add(t, "1002040A0")
    with refused(NotFoundError, "program 1000140C0 is not in the tracker: add it first"):
        move(t, "1000140C0", AppState.SUBMITTED)


def test_the_letter_limit_through_the_service() -> None:
    t = track(example_programs())
    add(t, "1000140C0")
    add(t, "1000140P0")
    for n in range(5):
        letter = t.add_letter(
            LetterRecord.parse({"writer": f"Dr {n}", "us": n < 3, "specialty": "im"})
        )
        assert (letter.key, letter.specialty, letter.us_physician) == (f"L{n + 1}", "IM", n < 3)
    for key in ("L1", "L2", "L3", "L4"):
        t.assign(AssignmentRecord(key=key, program="1000140C0"))
    with refused(
        TrackerError,
        (
            "program 1000140C0 already has 4 letters (Dr 0, Dr 1, Dr 2, Dr 3); ERAS allows at "
            f"most {LIMIT.integer()} per program ({Citation.of(LIMIT)}). Unassign one first."
        ),
    ):
        t.assign(AssignmentRecord(key="L5", program="1000140C0"))
    t.assign(AssignmentRecord(key="l5", program="1000140P0"))
    t.assign(AssignmentRecord(key="L1", program="1000140C0"), remove=True)
    assert t.assign(AssignmentRecord(key="L5", program="1000140C0")).programs == {
        "1000140C0",
        "1000140P0",
    }
    with refused(TrackerError, "letter L1 is not assigned to 1000140C0"):
        t.assign(AssignmentRecord(key="L1", program="1000140C0"), remove=True)
    letter = t.advance_letter("L2", LetterStatus.RECEIVED, date(2025, 7, 1))
    assert letter.received_on == date(2025, 7, 1)
    with refused(TrackerError, "letter from Dr 1: cannot go from 'received' to 'requested'"):
        t.advance_letter("L2", LetterStatus.REQUESTED)


def test_documents_signals_interviews_and_owners_apart() -> None:
    t = track(example_programs())
    add(t, "1000140C0", specialty="IM")
    doc, new = t.add_document(b"first", DocumentKind.PERSONAL_STATEMENT, "ps.txt")
    assert new and (doc.version, doc.path) == (1, None)
    assert t.add_document(b"first", DocumentKind.PERSONAL_STATEMENT, "ps.txt") == (doc, False)
    doc, new = t.add_document(b"second", DocumentKind.PERSONAL_STATEMENT, "ps.txt")
    assert new and doc.version == 2
    with refused(InputError, "field 'name': a document needs a name"):
        t.add_document(b"x", DocumentKind.CV, " ")

    signal = t.signal(
        SignalRecord.parse({"program": "1000140C0", "season": "2025", "tier": "gold"})
    )
    assert (signal.specialty, signal.season, signal.tier) == ("IM", 2025, SignalTier.GOLD)
    with refused(TrackerError, "program 1000140C0 already has a IM signal"):
        t.signal(SignalRecord(program="1000140C0", season=2025, tier=SignalTier.SILVER))
    add(t, "1000140P0", specialty="IM")
    with refused(TrackerError, "IM signals are gold or silver in 2025: pick one"):
        t.signal(SignalRecord(program="1000140P0", season=2025))

    form = {
        "program": "1000140C0",
        "date": "2025-11-03",
        "format": "virtual",
        "scores": "fit=4; city=2",
    }
    interview = t.interview(InterviewRecord.parse(form))
    assert (interview.scores, interview.mean) == ((("fit", 4), ("city", 2)), 3)
    with refused(TrackerError, "interview at 1000140C0: score 6 for 'fit' is not 1 to 5"):
        t.interview(InterviewRecord.parse(form | {"scores": "fit=6"}))
    assert track(example_programs(), OTHER).tracker() == Tracker()
    with pytest.raises(NotFoundError):
        move(track(example_programs(), OTHER), "1000140C0", AppState.SUBMITTED)


def test_rank_list_with_a_supplemental_list_and_warnings() -> None:
    t = track(example_programs())
    for code in ("1002040A0", "1000140C0", "1003999P0"):
        add(t, code)
    t.set("1000140C0", would_not_go=True)
    t.rank(RankRecord(program="1000140C0"))
    t.rank(RankRecord.parse({"program": "1002040A0", "position": "1"}))
    warnings = t.rank(RankRecord.parse({"program": "9999999999", "under": "1002040A0"}))
    assert warnings == [
        "1002040A0 (rank 1) is 'planned', not interviewed",
        "1000140C0 (rank 2) is marked 'would not go': a match there is binding",
        "1000140C0 (rank 2) is 'planned', not interviewed",
        "1003999P0 (supplemental list of 1002040A0) is 'planned', not interviewed",
    ]
    with refused(TrackerError, "supplemental list for 1000140C0: only advanced programs take one"):
        t.rank(RankRecord(program="1003999P0", list_name="1000140C0"))
    with refused(TrackerError, "1002040A0 has a supplemental list: remove its entries first"):
        t.rank(RankRecord(program="1002040A0"), remove=True)

    _, result = t.rank_list()
    assert rank_list_csv(result).splitlines() == [
        "list,rank,program_code,program_name,track",
        "primary,1,1002040A0,Example Anesthesiology (fictional),advanced",
        "primary,2,1000140C0,Example IM (fictional),categorical",
        "supplemental for 1002040A0,1,1003999P0,Example TY (fictional),preliminary",
    ]
    text = rank_list_text(result, date(2026, 2, 1))
    assert text.splitlines()[:8] == [
        "Rank order list draft, 2026-02-01",
        "Not certified: enter it by hand in NRMP R3 and certify it there before the deadline.",
        "",
        "Primary list",
        "    1  1002040A0    Example Anesthesiology (fictional) (advanced)",
        "    2  1000140C0    Example IM (fictional) (categorical)",
        "",
        "Supplemental list for 1002040A0 (PGY-1)",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"format": "virtual", "scores": "fit=4; fit=2"},
            "interview at 1000140C0: 'fit' is scored twice",
        ),
        (
            {"format": "virtual", "scores": "fit"},
            "field 'scores': 'fit' is not criterion=score (e.g. fit=4)",
        ),
        ({"format": "zoom"}, "field 'format': 'zoom' is not one of: 'virtual' or 'in_person'"),
        (
            {"format": "virtual", "date": "soon"},
            "field 'date': 'soon' is not a date such as 2025-09-03",
        ),
    ],
)
def test_one_parser_for_interview_forms_and_options(fields: dict[str, str], message: str) -> None:
    """The web once kept the last of two scores for one criterion while the CLI refused them:
    both parse through InterviewRecord now, and the domain refuses the duplicate."""
    t = track(example_programs())
    add(t, "1000140C0")
    with pytest.raises(InputError) as caught:
        t.interview(InterviewRecord.parse({"program": "1000140C0", **fields}))
    assert str(caught.value) == message
    assert t.tracker().interviews == ()


@pytest.mark.parametrize(
    ("acgme", "code"), [("1203100001", "FM"), ("4003100002", "PSYCH"), ("1103100004", "EM")]
)
def test_specialty_is_read_from_the_acgme_number_beyond_internal_medicine(
    acgme: str, code: str
) -> None:
    program = Program(name="Example (fictional)", acgme_number=acgme, specialty_code=acgme[:3])
    assert specialty_of(program, FACTS) == code
