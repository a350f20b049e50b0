"""`matchready track` end to end with CliRunner, on SQLite in a temporary data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MATCHREADY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MATCHREADY_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    runner = CliRunner()
    for sample in ("template_sample.csv", "nrmp_codes_sample.csv"):
        result = runner.invoke(app, ["programs", "import", str(DATA / sample)])
        assert result.exit_code == 0, result.output
    return runner


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["track", *args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def test_moves_history_and_illegal_moves(runner: CliRunner) -> None:
    assert "tracking 1000140C0 (IM): planned" in run(runner, "add", "1000140C0")
    out = run(runner, "add", "1403621075", code=1)
    assert "has 3 tracks" in out and "name one code" in out
    assert "no program" in run(runner, "add", "1999140C0", code=1)
    out = run(runner, "move", "1000140C0", "interviewed", code=1)
    assert "cannot go from 'planned' to 'interviewed'" in out and "1000140C0" in out
    run(runner, "move", "1000140C0", "submitted", "--date", "2025-09-03", "--note", "sent")
    run(runner, "move", "1000140C0", "withdrawn")
    assert "'withdrawn' is final" in run(runner, "move", "1000140C0", "submitted", code=1)
    run(runner, "move", "1000140C0", "bogus", code=2)
    run(runner, "move", "1000140C0", "submitted", "--date", "3 Sept", code=2)
    out = run(runner, "show", "1000140C0")
    assert "(added)" in out and "sent" in out and "2025-09-03" in out and "withdrawn" in out
    assert "1000140C0" in run(runner, "list")


def test_the_fifth_letter_is_refused(runner: CliRunner) -> None:
    run(runner, "add", "1000140C0")
    for writer in ("A", "B", "C", "D", "E"):
        run(runner, "letter", "add", f"Dr {writer}", "--specialty", "IM", "--non-us")
    for key in ("L1", "L2", "L3", "L4"):
        run(runner, "letter", "assign", key, "1000140C0")
    out = run(runner, "letter", "assign", "L5", "1000140C0", code=1)
    assert "1000140C0 already has 4 letters" in out and "at most 4 per program" in out
    run(runner, "letter", "unassign", "L1", "1000140C0")
    run(runner, "letter", "assign", "L5", "1000140C0")
    run(runner, "letter", "status", "L5", "received", "--date", "2025-07-01")
    assert "cannot go from 'received'" in run(runner, "letter", "status", "L5", "received", code=1)
    assert "received" in run(runner, "letter", "list")


def test_documents_signals_interviews(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "add", "1000140C0")
    ps = tmp_path / "ps.md"
    ps.write_text("draft one")
    assert "version 1" in run(runner, "doc", "add", str(ps), "--kind", "personal_statement")
    assert "unchanged" in run(runner, "doc", "add", str(ps), "--kind", "personal_statement")
    ps.write_text("draft two")
    assert "version 2" in run(runner, "doc", "add", str(ps), "--kind", "personal_statement")
    assert "final" in run(runner, "doc", "status", "personal_statement", "ps.md", "final")
    assert "ps.md" in run(runner, "doc", "list")
    out = run(runner, "signal", "add", "1000140C0", "--season", "2025", "--tier", "gold")
    assert "1 of 15 signals used; gold 1 of 3" in out
    out = run(runner, "signal", "add", "1000140C0", "--season", "2026", "--tier", "gold")
    assert "the limit is unknown" in out
    assert "Pacific" in run(runner, "signal", "geo", "Pacific", "New England")
    out = run(runner, "interview", "1000140C0", "--format", "virtual", "--score", "fit=4")
    assert "mean score 4.0" in out
    run(runner, "interview", "1000140C0", "--format", "virtual", "--score", "fit", code=2)
    out = run(runner, "interview", "1000140C0", "--format", "virtual", "--score", "fit=9", code=1)
    assert "not 1 to 5" in out


def test_rank_list_export_and_tracker_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    for code in ("1002040A0", "1000140C0", "1000140P0"):
        run(runner, "add", code)
    run(runner, "set", "1000140C0", "--would-not-go")
    run(runner, "rank", "add", "1000140C0")
    run(runner, "rank", "add", "1002040A0", "--position", "1")
    out = run(runner, "rank", "add", "1000140P0", "--under", "1002040A0")
    assert "would not go" in out
    out = run(runner, "rank", "show")
    assert "Supplemental list for 1002040A0" in out and "Example Medical Center" in out
    rol = tmp_path / "rol.csv"
    run(runner, "rol", "export", str(rol))
    assert rol.read_text().splitlines()[1].startswith("primary,1,1002040A0,")
    run(runner, "rol", "export", str(tmp_path / "rol.txt"))
    assert "NRMP R3" in (tmp_path / "rol.txt").read_text()

    before = run(runner, "show", "1000140C0")
    run(runner, "export", str(tmp_path / "t"), "--format", "xlsx")
    assert "--replace" in run(runner, "import", str(tmp_path / "t.xlsx"), code=1)
    run(runner, "import", str(tmp_path / "t.xlsx"), "--replace")
    assert run(runner, "show", "1000140C0") == before
    run(runner, "export", str(tmp_path / "t.csv"))
    assert (tmp_path / "t.csv").read_text().startswith("record,program,")
    bad = tmp_path / "bad.csv"
    bad.write_text("record,program,state\napplication,1000140C0,lost\n")
    out = run(runner, "import", str(bad), "--replace", code=1)
    assert "bad.csv, row 1, field 'state'" in out


def test_the_draft_what_if_reads_the_draft_as_a_strategy(runner: CliRunner) -> None:
    profile = Path(__file__).parents[2] / "examples" / "profiles" / "older-graduate-h1b.toml"
    empty = run(runner, "rol", "what-if", str(profile), "--runs", "2", "--scale", "0.02", code=1)
    assert "the draft rank list is empty" in empty
    for code in ("1000140C0", "1000140P0", "1002040A0"):
        run(runner, "add", code)
        run(runner, "rank", "add", code)
    run(runner, "rank", "add", "1000140P0", "--under", "1002040A0")
    args = ("rol", "what-if", str(profile), "--more", "2", "--runs", "3", "--scale", "0.02")
    none = run(runner, *args, code=1)
    assert "no program on the draft rank list has an interview recorded" in none
    for code in ("1000140C0", "1000140P0", "1002040A0"):
        run(runner, "interview", code, "--format", "virtual", "--date", "2026-12-01")
    out = run(runner, *args)
    # 1000140C0 is Internal Medicine (verified code); P = preliminary; the advanced program's
    # specialty is not known, so it counts as the profile's first target specialty
    assert "your draft as a strategy:" in out and "1 preliminary programs" in out
    assert "if you had 2 more IM interviews" in out and "change on the same 3 markets:" in out


def test_rank_show_checks_the_ranked_programs_against_the_profile(runner: CliRunner) -> None:
    profile = Path(__file__).parents[2] / "examples" / "profiles" / "older-graduate-h1b.toml"
    run(runner, "add", "1000140C0")
    run(runner, "rank", "add", "1000140C0")
    out = run(runner, "rank", "show", "--profile", str(profile))
    assert "warning:" in out and "rank 1, 1000140C0" in out
    assert "H-1B" in out and "source:" in out
    quiet = run(runner, "rank", "show")
    assert "rank 1, 1000140C0" not in quiet
    added = run(runner, "rank", "add", "1000140C0", "--profile", str(profile))
    assert "rank 1, 1000140C0" in added


def test_the_rank_list_is_dated_by_the_runtime_clock(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`track rank show` and `track rol export` date the list by the runtime's clock."""
    from datetime import date

    from matchready import bootstrap as boot
    from matchready.cli import tracker as tracker_cli

    clock = lambda: date(2027, 2, 20)  # noqa: E731
    monkeypatch.setattr(tracker_cli, "runtime", lambda: boot.bootstrap(clock=clock))
    assert run(runner, "rank", "show").splitlines()[0] == "Rank order list draft, 2027-02-20"
    run(runner, "rol", "export", str(tmp_path / "rol.txt"))
    first = (tmp_path / "rol.txt").read_text().splitlines()[0]
    assert first == "Rank order list draft, 2027-02-20"
