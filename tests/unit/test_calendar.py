"""The cycle calendar and its ICS export, parsed back with icalendar."""

from datetime import date, datetime
from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

from factories import make_profile
from matchready.cli.app import app
from matchready.data import load_facts
from matchready.domain.calendar import EntryKind, build_calendar
from matchready.domain.facts import Facts
from matchready.io.ics import calendar_ics, event_uid, write_ics
from matchready.services.calendar import cycle_calendar

FACTS = load_facts()
EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
RECENT = EXAMPLES / "recent-graduate-j1.toml"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})


def test_official_dates_of_the_target_match_with_sources() -> None:
    cal = cycle_calendar(make_profile(), FACTS, date(2025, 8, 1))
    by_key = {e.key: e for e in cal.entries}
    assert by_key["cycle.match_day"].on == date(2026, 3, 20)
    assert by_key["cycle.match_day"].verified
    assert by_key["cycle.match_day"].citations
    assert not by_key["cycle.rol_deadline"].verified
    assert by_key["cycle.interviews_begin"].month_only
    assert by_key["cycle.pathways_deadline"].on is None
    assert by_key["cycle.pathways_deadline"].label == "unknown"
    dated = [e.on for e in cal.entries if e.on is not None]
    assert dated == sorted(dated)
    assert cal.entries[-1].on is None


def test_tasks_come_from_the_plan() -> None:
    profile = make_profile(
        **{"exams.step2ck": {"status": "scheduled"}, "ecfmg.credentials": "in_progress"}
    )
    cal = cycle_calendar(profile, FACTS, date(2025, 8, 1))
    tasks = {e.key: e for e in cal.entries if e.kind is EntryKind.TASK}
    assert tasks["task.step2ck"].on == date(2026, 3, 4)
    assert tasks["task.step2ck.recommended"].on == date(2025, 9, 24)
    assert tasks["task.credentials"].on == date(2026, 7, 1)
    assert "task.step1" not in tasks  # passed
    assert {"task.letters", "task.personal_statement"} <= set(tasks)


def test_unknown_year_lists_every_usual_event_as_unknown() -> None:
    cal = build_calendar([], Facts(), 2030, date(2029, 1, 1))
    cycle = [e for e in cal.entries if e.kind is EntryKind.CYCLE]
    assert cycle and all(e.on is None and e.label == "unknown" for e in cycle)
    assert all(not e.exportable for e in cal.entries)


def test_ics_is_valid_and_every_event_checks_out(tmp_path: Path) -> None:
    profile = make_profile(**{"exams.step2ck": {"status": "scheduled"}})
    cal = cycle_calendar(profile, FACTS, date(2025, 8, 1))
    path = tmp_path / "cycle.ics"
    written = write_ics(cal, path)
    parsed = Calendar.from_ical(path.read_bytes())
    assert parsed["VERSION"] == "2.0" and "matchready" in str(parsed["PRODID"])
    events = list(parsed.walk("VEVENT"))
    exportable = [e for e in cal.entries if e.exportable]
    assert len(events) == written == len(exportable)
    by_uid = {str(ev["UID"]): ev for ev in events}
    assert len(by_uid) == len(events)
    for entry in exportable:
        ev = by_uid[event_uid(entry.key, cal.match_year)]
        start = ev.decoded("DTSTART")
        assert isinstance(start, date) and not isinstance(start, datetime)
        assert start == entry.on
        assert ev["DTSTART"].params["VALUE"] == "DATE"
        assert isinstance(ev.decoded("DTSTAMP"), datetime)
        summary = str(ev["SUMMARY"])
        assert summary.endswith("(unverified)") == (not entry.verified)
        description = str(ev["DESCRIPTION"])
        assert "Source:" in description
        for citation in entry.citations:
            assert citation.source in description
        [alarm] = list(ev.walk("VALARM"))
        assert alarm["ACTION"] == "DISPLAY" and "TRIGGER" in alarm
    month_only = [e for e in cal.entries if e.month_only]
    assert month_only and all(event_uid(e.key, 2026) not in by_uid for e in month_only)


def test_re_export_is_identical() -> None:
    cal = cycle_calendar(make_profile(), FACTS, date(2025, 8, 1))
    assert calendar_ics(cal) == calendar_ics(cycle_calendar(make_profile(), FACTS, cal.as_of))


def test_cli_calendar_text_and_ics(tmp_path: Path) -> None:
    target = tmp_path / "out" / "cal.ics"
    result = run("calendar", str(RECENT), "--as-of", "2026-11-25", "--ics", str(target))
    assert result.exit_code == 0, result.output
    assert "Match Day" in result.output and "unknown" in result.output
    assert "Not exported as a day" in result.output and "day unknown" in result.output
    assert target.exists() and not list(target.parent.glob(".*.tmp"))
    assert len(list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))) >= 1


def test_cli_calendar_json() -> None:
    import json

    result = run("calendar", str(RECENT), "--as-of", "2026-11-25", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["match_year"] == 2027 and data["entries"]


def test_cli_calendar_bad_input(tmp_path: Path) -> None:
    assert run("calendar", str(tmp_path / "none.toml")).exit_code == 1
    assert run("calendar", str(RECENT), "--as-of", "2026/11/25").exit_code == 2
    no_profile = run("calendar")  # and no saved profile in this test's data directory
    assert no_profile.exit_code == 1
    assert "no saved profile yet" in no_profile.output
    unwritable = tmp_path / "file"
    unwritable.write_text("")
    result = run("calendar", str(RECENT), "--ics", str(unwritable / "x.ics"))
    assert result.exit_code == 1 and "cannot write" in result.output
