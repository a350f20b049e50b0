"""Tracker files on disk: CSV/XLSX round trips, imports that refuse a bad row, document files."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from factories import refused
from fakes import MemoryUnitOfWork, example_programs
from matchready.data import load_facts
from matchready.domain.report import Citation
from matchready.domain.tracker import AppState, DocumentKind, Tracker
from matchready.domain.tracker_records import (
    ApplicationRecord,
    AssignmentRecord,
    ChangeRecord,
    LetterRecord,
    from_records,
    to_records,
)
from matchready.errors import ImportFileError, InputError
from matchready.io.tables import read_table, write_table
from matchready.io.tracker_table import COLUMNS, read_tracker, write_tracker
from matchready.services.tracker import Tracking
from tracker_strategies import trackers

FACTS = load_facts()
ME, OTHER = "local", "someone-else"


def write_read(tracker: Tracker, path: Path) -> Tracker:
    out = BytesIO()
    write_tracker(out, path.suffix, to_records(tracker))
    path.write_bytes(out.getvalue())
    return from_records(read_tracker(path))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trackers())
def test_csv_and_xlsx_round_trip(
    tmp_path_factory: pytest.TempPathFactory, tracker: Tracker
) -> None:
    tracker.validate(FACTS)
    folder = tmp_path_factory.mktemp("roundtrip")
    assert write_read(tracker, folder / "t.csv") == tracker
    assert write_read(tracker, folder / "t.xlsx") == tracker


def export(t: Tracking, path: Path) -> None:
    with path.open("wb") as out:
        t.export(out, path.suffix)


def test_import_replaces_only_when_asked(tmp_path: Path) -> None:
    uow = example_programs()
    mine, theirs = Tracking(uow, ME, FACTS), Tracking(uow, OTHER, FACTS)
    mine.add(ApplicationRecord(program="1000140C0"))
    mine.move(ChangeRecord(program="1000140C0", state=AppState.SUBMITTED, note="sent"))
    out = tmp_path / "tracker.xlsx"
    export(mine, out)
    theirs.import_file(out)
    assert theirs.tracker() == mine.tracker()
    with refused(
        InputError, "the tracker is not empty: importing would replace it (use --replace)"
    ):
        theirs.import_file(out)
    theirs.import_file(out, replace=True)
    with refused(InputError, "tracker.json: expected a .csv or .xlsx file"):
        theirs.import_file(tmp_path / "tracker.json")


STATES = "'planned', 'submitted', 'invited', 'interview_scheduled', 'interviewed', 'ranked', "


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "application,1000140C0,,,,IM,sent,,",
            f"bad.csv, row 1, field 'state': 'sent' is not one of: {STATES}'waitlisted', "
            "'rejected' or 'withdrawn'",
        ),
        (
            "application,1000140C0,,,,IM,planned,maybe,",
            "bad.csv, row 1, field 'advanced': 'maybe' is not yes or no",
        ),
        ("letter,,,,L1,IM,,,", "bad.csv, row 1, field 'writer': required for a letter"),
        ("assignment,1000140C0,,,L9,,,,", "bad.csv, row 1, field 'key': no letter L9"),
        (
            "rank,1000140C0,,first,,,,,",
            "bad.csv, row 1, field 'position': 'first' is not a whole number",
        ),
        (
            "hobby,1000140C0,,,,,,,",
            "bad.csv, row 1, field 'record': 'hobby' is not a kind of tracker record",
        ),
        (
            "application,1000140C0,,,,IM,submitted,no,no",
            "bad.csv: program 1000140C0: its history does not start with 'added'",
        ),
    ],
)
def test_a_bad_row_names_file_row_column_and_rejects_the_file(
    tmp_path: Path, row: str, message: str
) -> None:
    uow = example_programs()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "record,program,list,position,key,specialty,state,advanced,would_not_go,writer\n"
        + row
        + "\n"
    )
    with pytest.raises(ImportFileError) as caught:
        Tracking(uow, ME, FACTS).import_file(bad)
    assert str(caught.value) == message
    assert Tracking(uow, ME, FACTS).tracker() == Tracker()


def test_a_history_that_contradicts_its_state_is_refused(tmp_path: Path) -> None:
    uow = example_programs()
    t = Tracking(uow, ME, FACTS)
    t.add(ApplicationRecord(program="1000140C0"))
    t.move(ChangeRecord(program="1000140C0", state=AppState.SUBMITTED))
    out = tmp_path / "t.csv"
    export(t, out)
    table = read_table(out)
    state = COLUMNS.index("state")
    table.rows[0][state] = "invited"  # the application row; its history says submitted
    write_table(out, COLUMNS, table.rows)
    with pytest.raises(ImportFileError) as caught:
        Tracking(uow, OTHER, FACTS).import_file(out)
    assert str(caught.value) == (
        "t.csv, row 1, field 'state': program 1000140C0: state 'invited' does not follow from "
        "its history"
    )


def test_an_imported_file_obeys_the_letter_limit(tmp_path: Path) -> None:
    uow = example_programs()
    t = Tracking(uow, ME, FACTS)
    t.add(ApplicationRecord(program="1000140C0"))
    for n in range(4):
        t.add_letter(LetterRecord(writer=f"Dr {n}", us_physician=True, specialty="IM"))
        t.assign(AssignmentRecord(key=f"L{n + 1}", program="1000140C0"))
    out = tmp_path / "t.csv"
    export(t, out)
    table = read_table(out)
    extra = dict.fromkeys(COLUMNS, "")
    extra.update(record="letter", key="L5", writer="Dr 5", us_physician="no", status="requested")
    extra["specialty"] = "IM"
    assignment = dict.fromkeys(COLUMNS, "")
    assignment.update(record="assignment", key="L5", program="1000140C0")
    rows = [*table.rows, [extra[c] for c in COLUMNS], [assignment[c] for c in COLUMNS]]
    write_table(out, COLUMNS, rows)
    with pytest.raises(ImportFileError) as caught:
        Tracking(uow, OTHER, FACTS).import_file(out)
    limit = FACTS.rule("eras.max_letters_per_program")
    assert limit is not None
    assert str(caught.value) == (
        f"t.csv: program 1000140C0 has 5 letters; ERAS allows at most {limit.integer()} per "
        f"program ({Citation.of(limit)})"
    )


def test_a_document_file_is_read_by_its_checksum(tmp_path: Path) -> None:
    t = Tracking(MemoryUnitOfWork(), ME, FACTS)
    ps = tmp_path / "ps.txt"
    ps.write_text("first")
    doc, new = t.add_document_file(ps, DocumentKind.PERSONAL_STATEMENT)
    assert new and (doc.name, doc.version, doc.path) == ("ps.txt", 1, str(ps.resolve()))
    assert t.add_document_file(ps, DocumentKind.PERSONAL_STATEMENT)[1] is False
    missing = tmp_path / "missing.pdf"
    with refused(InputError, f"{missing}: cannot read the document (No such file or directory)"):
        t.add_document_file(missing, DocumentKind.CV)
