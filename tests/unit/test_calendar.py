"""The cycle calendar and its ICS export, parsed back with icalendar."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar
from typer.testing import CliRunner

from factories import make_profile
from matchready.cli.app import app
from matchready.data import load_facts
from matchready.domain.calendar import EntryKind, build_calendar
from matchready.domain.facts import Facts
from matchready.domain.report import DateKind
from matchready.io.ics import calendar_ics, event_uid, write_ics
from matchready.services.calendar import cycle_calendar

FACTS = load_facts()
EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
RECENT = EXAMPLES / "recent-graduate-j1.toml"
LATER = EXAMPLES / "us-citizen-img.toml"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})


def test_official_dates_of_the_target_match_with_sources() -> None:
    cal = cycle_calendar(make_profile(), FACTS, date(2025, 8, 1), zone="America/New_York")
    by_key = {e.key: e for e in cal.entries}
    assert by_key["cycle.match_day"].on == date(2026, 3, 20)
    assert by_key["cycle.match_day"].verified
    assert by_key["cycle.match_day"].citations
    rol = by_key["cycle.rol_deadline"]  # AMA names the March 4 deadline: a secondary source
    assert not rol.verified and rol.citations[0].standing == "secondary source"
    assert by_key["cycle.rol_deadline"].at == "21:00"
    assert by_key["cycle.interviews_begin"].month_only
    assert by_key["cycle.pathways_deadline"].on is None
    assert by_key["cycle.pathways_deadline"].label == "unknown"
    # 2026 has no official ranking-opens date: estimated (1 February 2026 is a Sunday)
    ranking = by_key["cycle.ranking_opens"]
    assert ranking.on == date(2026, 2, 2) and ranking.date_kind is DateKind.ESTIMATED
    assert ranking.display_title.endswith("(estimated)")
    dated = [e.on for e in cal.entries if e.on is not None]
    assert dated == sorted(dated)
    assert cal.entries[-1].on is None


def test_tasks_come_from_the_plan() -> None:
    profile = make_profile(
        **{"exams.step2ck": {"status": "scheduled"}, "ecfmg.credentials": "in_progress"}
    )
    cal = cycle_calendar(profile, FACTS, date(2025, 8, 1), zone="America/New_York")
    tasks = {e.key: e for e in cal.entries if e.kind is EntryKind.TASK}
    assert tasks["task.step2ck"].on == date(2026, 3, 4)
    assert tasks["task.step2ck.recommended"].on == date(2025, 9, 24)
    assert tasks["task.credentials"].on == date(2026, 7, 1)
    assert "task.step1" not in tasks  # passed
    assert {"task.letters", "task.personal_statement"} <= set(tasks)


def test_own_dated_items_are_in_the_calendar() -> None:
    profile = make_profile(**{"ecfmg.certificate_expected": date(2026, 1, 15)})
    cal = cycle_calendar(
        profile,
        FACTS,
        date(2025, 8, 1),
        interviews=[("1234140C0", date(2025, 11, 3))],
        zone="America/New_York",
    )
    mine = {e.key: e for e in cal.entries if e.kind is EntryKind.MINE}
    assert mine["mine.graduation"].on == date(2025, 6, 30)
    assert mine["mine.exam.step1"].on == date(2024, 3, 1) and mine["mine.exam.step1"].past
    assert mine["mine.certificate"].on == date(2026, 1, 15)
    assert mine["mine.interview.1234140C0"].on == date(2025, 11, 3)
    assert mine["mine.usce.1.start"].on == date(2025, 7, 1)


def test_past_items_are_marked_and_never_open() -> None:
    # A 2027 applicant on 2026-12-01: the ERAS application date is behind them.
    profile = make_profile(**{"target.match_year": 2027, "exams.step2ck": {"status": "not_taken"}})
    cal = cycle_calendar(profile, FACTS, date(2026, 12, 1), zone="Africa/Lagos")
    by_key = {e.key: e for e in cal.entries}
    eras = by_key["task.eras_application"]
    assert eras.past and eras.status == "past" and eras.on == date(2026, 9, 23)
    assert by_key["cycle.applications_open"].past
    assert not by_key["cycle.rol_deadline"].past
    assert by_key["task.step2ck"].status == ""  # due by the 2027 deadline, still ahead
    later = cycle_calendar(profile, FACTS, date(2027, 3, 10), zone="Africa/Lagos")
    step2 = {e.key: e for e in later.entries}["task.step2ck"]
    assert step2.overdue and step2.status == "overdue"


def test_the_deadline_day_is_counted_in_the_applicant_zone() -> None:
    profile = make_profile(**{"target.match_year": 2027})
    # 9 pm in New York on 2027-03-03 is 3 am on 2027-03-04 in Lagos.
    lagos = cycle_calendar(profile, FACTS, date(2027, 3, 4), zone="Africa/Lagos")
    york = cycle_calendar(profile, FACTS, date(2027, 3, 4), zone="America/New_York")
    assert not {e.key: e for e in lagos.entries}["cycle.rol_deadline"].past
    assert {e.key: e for e in york.entries}["cycle.rol_deadline"].past


def test_a_year_beyond_every_pattern_lists_the_usual_events_as_unknown() -> None:
    cal = build_calendar([], Facts(), 2030, date(2029, 1, 1))
    cycle = [e for e in cal.entries if e.kind is EntryKind.CYCLE]
    assert cycle and all(e.on is None and e.label == "unknown" for e in cycle)
    assert all(not e.exportable for e in cal.entries)


def test_ics_round_trip_every_event_checks_out(tmp_path: Path) -> None:
    profile = make_profile(**{"target.match_year": 2028, "exams.step2ck": {"status": "scheduled"}})
    cal = cycle_calendar(profile, FACTS, date(2026, 12, 1), zone="America/New_York")
    path = tmp_path / "cycle.ics"
    written = write_ics(cal, path)
    parsed = Calendar.from_ical(path.read_bytes())
    assert parsed["VERSION"] == "2.0" and "matchready" in str(parsed["PRODID"])
    events = list(parsed.walk("VEVENT"))
    exportable = [e for e in cal.entries if e.exportable]
    assert len(events) == written == len(exportable) >= 15
    by_uid = {str(ev["UID"]): ev for ev in events}
    assert len(by_uid) == len(events)
    assert [str(t["TZID"]) for t in parsed.walk("VTIMEZONE")] == ["America/New_York"]
    for entry in exportable:
        ev = by_uid[event_uid(entry.key, cal.match_year)]
        start = ev.decoded("DTSTART")
        if entry.at is None:
            assert isinstance(start, date) and not isinstance(start, datetime)
            assert start == entry.on and ev["DTSTART"].params["VALUE"] == "DATE"
        else:
            assert isinstance(start, datetime) and entry.zone is not None
            assert start.tzinfo is not None and str(start.tzinfo) == entry.zone
            assert start.date() == entry.on and start.strftime("%H:%M") == entry.at
            assert ev.decoded("DTEND") - start == timedelta(minutes=30)
        assert isinstance(ev.decoded("DTSTAMP"), datetime)
        summary = str(ev["SUMMARY"])
        assert summary == entry.display_title
        assert summary.endswith("(estimated)") == entry.estimated
        description = str(ev["DESCRIPTION"])
        assert "Source:" in description
        for citation in entry.citations:
            assert citation.source in description
            assert citation.source in str(ev["X-MATCHREADY-SOURCE"])
        kind = "yours" if entry.kind is EntryKind.MINE else entry.date_kind.value
        assert str(ev["X-MATCHREADY-DATE-KIND"]) == kind
        assert ("This date has passed." in description) == (entry.past and not entry.overdue)
        [alarm] = list(ev.walk("VALARM"))
        assert alarm["ACTION"] == "DISPLAY" and "TRIGGER" in alarm
    rol = by_uid[event_uid("cycle.rol_deadline", 2028)]
    assert rol.decoded("DTSTART") == datetime(
        2028, 3, 1, 21, 0, tzinfo=ZoneInfo("America/New_York")
    )
    assert "Estimated" in str(rol["DESCRIPTION"])
    assert not [e for e in cal.entries if e.month_only]  # 2028: no month-only facts


def test_month_only_facts_stay_out_of_the_ics() -> None:
    cal = cycle_calendar(make_profile(), FACTS, date(2025, 8, 1), zone="America/New_York")
    uids = {str(ev["UID"]) for ev in Calendar.from_ical(calendar_ics(cal)).walk("VEVENT")}
    month_only = [e for e in cal.entries if e.month_only]
    assert month_only and all(event_uid(e.key, 2026) not in uids for e in month_only)


def test_re_export_is_identical_so_a_re_import_updates_the_same_events() -> None:
    cal = cycle_calendar(make_profile(), FACTS, date(2025, 8, 1), zone="UTC")
    again = cycle_calendar(make_profile(), FACTS, cal.as_of, zone="UTC")
    assert calendar_ics(cal) == calendar_ics(again)
    later = cycle_calendar(make_profile(), FACTS, date(2025, 10, 1), zone="UTC")
    uids = [str(e["UID"]) for e in Calendar.from_ical(calendar_ics(cal)).walk("VEVENT")]
    later_uids = [str(e["UID"]) for e in Calendar.from_ical(calendar_ics(later)).walk("VEVENT")]
    assert set(uids) == set(later_uids)


def test_cli_calendar_text_and_ics(tmp_path: Path) -> None:
    target = tmp_path / "out" / "cal.ics"
    result = run("calendar", str(RECENT), "--as-of", "2026-11-25", "--ics", str(target))
    assert result.exit_code == 0, result.output
    assert "Match Day" in result.output and "(estimated)" in result.output
    assert "past" in result.output and "Africa/Lagos" in result.output
    assert "Not exported as a day" in result.output and "unknown" in result.output
    assert target.exists() and not list(target.parent.glob(".*.tmp"))
    assert len(list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))) >= 15


def test_cli_calendar_2028_has_dated_estimated_events(tmp_path: Path) -> None:
    target = tmp_path / "cal.ics"
    result = run("calendar", str(LATER), "--as-of", "2026-12-01", "--ics", str(target))
    assert result.exit_code == 0, result.output
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    kinds = [str(e["X-MATCHREADY-DATE-KIND"]) for e in events]
    assert kinds.count("estimated") >= 9


def test_cli_calendar_json() -> None:
    result = run("calendar", str(RECENT), "--as-of", "2026-11-25", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["match_year"] == 2027 and data["entries"]
    assert data["time_zone"] == "Africa/Lagos"


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
    for day in ("1999-12-31", "2099-01-01"):
        result = run("calendar", str(RECENT), "--as-of", day)
        assert result.exit_code == 1 and "out of range" in result.output
        assert "Traceback" not in result.output
