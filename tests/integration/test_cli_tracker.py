"""`matchready track` end to end with CliRunner, on SQLite in a temporary data directory."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.data import load_facts
from matchready.domain.report import Citation
from matchready.domain.tracker import checksum
from matchready.io.tracker_table import COLUMNS
from matchready.services import tracker as tracker_service

DATA = Path(__file__).parent.parent / "data"
FACTS = load_facts()
AT = datetime(2025, 10, 2, 8, 30, tzinfo=UTC)


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


def rows(out: str) -> list[list[str]]:
    """The cells of each body row of the tables Rich drew (header and borders left out); a
    cell Rich folded onto more lines is joined again (its row's first cell is then empty)."""
    table: list[list[str]] = []
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells and not cells[0] and table:
            table[-1] = [a + b for a, b in zip(table[-1], cells, strict=True)]
        elif cells:
            table.append(cells)
    return table


def error(out: str) -> str:
    """The last line of a usage error (exit 2), as Click prints it."""
    return out.strip().splitlines()[-1]


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """History lines recorded at a fixed moment."""
    monkeypatch.setattr(tracker_service, "now", lambda: AT)


def test_moves_history_and_illegal_moves(runner: CliRunner, frozen: None) -> None:
    assert run(runner, "add", "1000140C0") == "tracking 1000140C0 (IM): planned\n"
    assert run(runner, "add", "1403621075", code=1) == (
        "error: program 1403621075 has 3 tracks (1000140C0 (categorical), 1000140P0 "
        "(preliminary), 1000140M0 (primary-care)): name one code\n"
    )
    assert run(runner, "add", "1999140C0", code=1) == (
        "error: no program with ACGME number or NRMP code 1999140C0 in the program store "
        "(import programs first: matchready programs import FILE)\n"
    )
    assert run(runner, "move", "1000140C0", "interviewed", code=1) == (
        "error: program 1000140C0: cannot go from 'planned' to 'interviewed' (allowed next: "
        "submitted, withdrawn)\n"
    )
    out = run(runner, "move", "1000140C0", "submitted", "--date", "2025-09-03", "--note", "sent")
    assert out == "1000140C0: submitted\n"
    assert run(runner, "move", "1000140C0", "withdrawn") == "1000140C0: withdrawn\n"
    assert run(runner, "move", "1000140C0", "submitted", code=1) == (
        "error: program 1000140C0: cannot go from 'withdrawn' to 'submitted' ('withdrawn' is "
        "final)\n"
    )
    assert error(run(runner, "move", "1000140C0", "bogus", code=2)).startswith(
        "Error: Invalid value for 'state': Value error, 'bogus' is not one of 'planned', "
    )
    assert error(run(runner, "move", "1000140C0", "submitted", "--date", "3 Sept", code=2)) == (
        "Error: Invalid value: field 'date': '3 Sept' is not a date such as 2025-09-03"
    )
    out = run(runner, "show", "1000140C0")
    assert out.splitlines()[:5] == [
        "1000140C0: withdrawn",
        "  specialty: IM",
        "  advanced: no",
        "  would not go: no",
        "  letters: none",
    ]
    assert rows(out) == [
        ["2025-10-02 08:30", "", "(added)", "planned", "local", ""],
        ["2025-10-02 08:30", "2025-09-03", "planned", "submitted", "local", "sent"],
        ["2025-10-02 08:30", "", "submitted", "withdrawn", "local", ""],
    ]
    assert rows(run(runner, "list")) == [["1000140C0", "IM", "withdrawn", "2025-09-03", "0", ""]]


def test_the_fifth_letter_is_refused(runner: CliRunner) -> None:
    run(runner, "add", "1000140C0")
    for writer in ("A", "B", "C", "D", "E"):
        run(runner, "letter", "add", f"Dr {writer}", "--specialty", "IM", "--non-us")
    for key in ("L1", "L2", "L3", "L4"):
        run(runner, "letter", "assign", key, "1000140C0")
    out = run(runner, "letter", "assign", "L5", "1000140C0", code=1)
    assert out.startswith(
        "error: program 1000140C0 already has 4 letters (Dr A, Dr B, Dr C, Dr D); ERAS allows "
        "at most 4 per program ("
    ) and out.endswith("). Unassign one first.\n")
    assert run(runner, "letter", "unassign", "L1", "1000140C0") == (
        "letter L1 assigned to nothing\n"
    )
    assert run(runner, "letter", "assign", "L5", "1000140C0") == (
        "letter L5 assigned to 1000140C0\n"
    )
    out = run(runner, "letter", "status", "L5", "received", "--date", "2025-07-01")
    assert out == "letter L5 from Dr E: received\n"
    assert run(runner, "letter", "status", "L5", "received", code=1) == (
        "error: letter from Dr E: cannot go from 'received' to 'received'\n"
    )
    out = run(runner, "letter", "status", "L5", "uploaded", "--date", "July", code=2)
    assert (
        error(out) == "Error: Invalid value: field 'date': 'July' is not a date such as 2025-09-03"
    )
    assert rows(run(runner, "letter", "list")) == [
        ["L1", "Dr A", "no", "IM", "requested", ""],
        *[
            [f"L{n}", f"Dr {w}", "no", "IM", "requested", "1000140C0"]
            for n, w in ((2, "B"), (3, "C"), (4, "D"))
        ],
        ["L5", "Dr E", "no", "IM", "received", "1000140C0"],
    ]


def test_documents_signals_interviews(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "add", "1000140C0")
    ps = tmp_path / "ps.md"
    ps.write_text("draft one")
    one, two = checksum(b"draft one"), checksum(b"draft two")
    out = run(runner, "doc", "add", str(ps), "--kind", "personal_statement")
    assert out == f"personal_statement 'ps.md': version 1, sha256 {one}\n"
    out = run(runner, "doc", "add", str(ps), "--kind", "personal_statement")
    assert out == f"personal_statement 'ps.md': unchanged (version 1), sha256 {one}\n"
    ps.write_text("draft two")
    out = run(runner, "doc", "add", str(ps), "--kind", "personal_statement")
    assert out == f"personal_statement 'ps.md': version 2, sha256 {two}\n"
    out = run(runner, "doc", "status", "personal_statement", "ps.md", "final")
    assert out == "personal_statement 'ps.md' version 2: final\n"
    listed = run(runner, "doc", "list")
    assert listed.splitlines()[0].strip() == "1 documents"  # one document, in two versions
    path = str(ps.resolve())
    assert rows(listed) == [
        ["personal_statement", "ps.md", "1", "draft", one, path],
        ["personal_statement", "ps.md", "2", "final", two, path],
    ]
    source = FACTS.signal_limit(2025, "IM")
    assert source is not None
    out = run(runner, "signal", "add", "1000140C0", "--season", "2025", "--tier", "gold")
    assert out.splitlines() == [
        "signal gold to 1000140C0 (IM, 2025 season)",
        f"2025 IM: 1 of {source.signals} signals used; gold 1 of {source.gold} "
        f"({Citation.of(source)})",
    ]
    out = run(runner, "signal", "add", "1000140C0", "--season", "2026", "--tier", "gold")
    assert out.splitlines() == [
        "signal gold to 1000140C0 (IM, 2026 season)",
        "2026 IM: 1 signals used; the limit is unknown",
    ]
    assert run(runner, "signal", "geo", "Pacific", "New England") == (
        "geographic preferences: Pacific, New England\n"
    )
    assert run(runner, "signal", "list").splitlines() == [
        "2025 IM gold: 1000140C0",
        "2026 IM gold: 1000140C0",
        f"2025 IM: 1 of {source.signals} signals used; gold 1 of {source.gold} "
        f"({Citation.of(source)})",
        "2026 IM: 1 signals used; the limit is unknown",
        "geographic preferences: Pacific, New England",
    ]
    assert run(runner, "signal", "remove", "1000140C0", "--season", "2026") == (
        "signal to 1000140C0 (2026) removed\n"
    )
    out = run(runner, "interview", "1000140C0", "--format", "virtual", "--score", "fit=4")
    assert out == "interview at 1000140C0 recorded, mean score 4.0\n"
    out = run(runner, "interview", "1000140C0", "--format", "virtual", "--score", "fit", code=2)
    assert error(out) == (
        "Error: Invalid value: field 'scores': 'fit' is not criterion=score (e.g. fit=4)"
    )
    out = run(runner, "interview", "1000140C0", "--format", "virtual", "--score", "fit=9", code=1)
    assert out == "error: interview at 1000140C0: score 9 for 'fit' is not 1 to 5\n"


WARNINGS = [
    "1002040A0 (rank 1) is 'planned', not interviewed",
    "1000140C0 (rank 2) is marked 'would not go': a match there is binding",
    "1000140C0 (rank 2) is 'planned', not interviewed",
    "1000140P0 (supplemental list of 1002040A0) is 'planned', not interviewed",
]


def test_rank_list_export_and_tracker_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    for code in ("1002040A0", "1000140C0", "1000140P0"):
        run(runner, "add", code)
    assert run(runner, "set", "1000140C0", "--would-not-go") == "1000140C0: would not go: yes\n"
    run(runner, "rank", "add", "1000140C0")
    run(runner, "rank", "add", "1002040A0", "--position", "1")
    out = run(runner, "rank", "add", "1000140P0", "--under", "1002040A0")
    assert out.splitlines() == ["ranked 1000140P0", *(f"warning: {w}" for w in WARNINGS)]
    assert run(runner, "rank", "show").splitlines()[2:] == [
        "",
        "Primary list",
        "    1  1002040A0    Example Medical Center-Anesthesiology (fictional) (advanced)",
        "    2  1000140C0    Example Internal Medicine (fictional) (categorical)",
        "",
        "Supplemental list for 1002040A0 (PGY-1)",
        "    1  1000140P0    Example Internal Medicine (fictional) (preliminary)",
        "",
        "Warnings:",
        *(f"  - {w}" for w in WARNINGS),
    ]
    rol = tmp_path / "rol.csv"
    out = run(runner, "rol", "export", str(rol))
    assert out.splitlines()[0] == f"wrote 3 ranks to {rol}"
    assert rol.read_text().splitlines() == [
        "list,rank,program_code,program_name,track",
        "primary,1,1002040A0,Example Medical Center-Anesthesiology (fictional),advanced",
        "primary,2,1000140C0,Example Internal Medicine (fictional),categorical",
        "supplemental for 1002040A0,1,1000140P0,Example Internal Medicine (fictional),preliminary",
    ]
    run(runner, "rol", "export", str(tmp_path / "rol.txt"))
    assert (tmp_path / "rol.txt").read_text().splitlines()[1] == (
        "Not certified: enter it by hand in NRMP R3 and certify it there before the deadline."
    )

    before = run(runner, "show", "1000140C0")
    out = run(runner, "export", str(tmp_path / "t"), "--format", "xlsx")
    assert out == f"wrote 9 rows to {tmp_path / 't.xlsx'}\n"
    assert run(runner, "import", str(tmp_path / "t.xlsx"), code=1) == (
        "error: the tracker is not empty: importing would replace it (use --replace)\n"
    )
    out = run(runner, "import", str(tmp_path / "t.xlsx"), "--replace")
    assert out == "imported 3 applications from t.xlsx\n"
    assert run(runner, "show", "1000140C0") == before
    run(runner, "export", str(tmp_path / "t.csv"))
    assert (tmp_path / "t.csv").read_text().splitlines()[0] == ",".join(COLUMNS)
    bad = tmp_path / "bad.csv"
    bad.write_text("record,program,state\napplication,1000140C0,lost\n")
    out = run(runner, "import", str(bad), "--replace", code=1)
    assert out.startswith("error: bad.csv, row 1, field 'state': 'lost' is not one of: 'planned',")
    out = run(runner, "rank", "remove", "1000140C0")
    assert out.splitlines() == ["removed 1000140C0", *(f"warning: {w}" for w in WARNINGS[::3])]


def test_the_draft_what_if_reads_the_draft_as_a_strategy(runner: CliRunner) -> None:
    profile = Path(__file__).parents[2] / "examples" / "profiles" / "older-graduate-h1b.toml"
    empty = run(runner, "rol", "what-if", str(profile), "--runs", "2", "--scale", "0.02", code=1)
    assert (
        empty
        == "error: the draft rank list is empty: add programs first (matchready track rank add)\n"
    )
    for code in ("1000140C0", "1000140P0", "1002040A0"):
        run(runner, "add", code)
        run(runner, "rank", "add", code)
    run(runner, "rank", "add", "1000140P0", "--under", "1002040A0")
    args = ("rol", "what-if", str(profile), "--more", "2", "--runs", "3", "--scale", "0.02")
    none = run(runner, *args, code=1)
    assert none == (
        "error: no program on the draft rank list has an interview recorded: a program ranks "
        "only applicants it interviewed (matchready track interview, or track move ... "
        "interviewed)\n"
    )
    for code in ("1000140C0", "1000140P0", "1002040A0"):
        run(runner, "interview", code, "--format", "virtual", "--date", "2026-12-01")
    out = run(runner, *args)
    # 1000140C0 is Internal Medicine (verified code); P = preliminary; the advanced program's
    # specialty is not known, so it counts as the profile's first target specialty
    lines = out.splitlines()
    shape = "1 IM programs, then 1 ANES programs, then 1 preliminary programs"
    assert lines[0] == f"your draft as a strategy: {shape} (interviewed programs only)"
    more = shape.replace("1 IM", "3 IM")
    interval = r"\d+% \(\d+% to \d+%\)"
    assert re.fullmatch(
        rf"if you had 2 more IM interviews: P\(match\) {interval} \({more}\)", lines[1]
    )
    points = r"[+-]\d+\.\d points \([+-]\d+\.\d to [+-]\d+\.\d\)"
    assert re.fullmatch(rf"change on the same 3 markets: {points}", lines[2])
    assert lines[3:] == [
        "Simulated markets calibrated to the latest NRMP Main Match; see: matchready simulate."
    ]


def test_rank_show_checks_the_ranked_programs_against_the_profile(runner: CliRunner) -> None:
    profile = Path(__file__).parents[2] / "examples" / "profiles" / "older-graduate-h1b.toml"
    run(runner, "add", "1000140C0")
    run(runner, "rank", "add", "1000140C0")
    out = run(runner, "rank", "show", "--profile", str(profile))
    checks = [line for line in out.splitlines() if line.startswith("warning: rank 1, ")]
    assert [line.split(":")[1] for line in checks] == [" rank 1, 1000140C0"] * 2
    assert checks[0] == (
        "warning: rank 1, 1000140C0: H-1B sponsorship is unknown: verify before ranking (H-1B "
        "sponsored: unknown; source: not recorded)"
    )
    assert checks[1].startswith("warning: rank 1, 1000140C0: graduation cutoff of 5 years passed")
    quiet = run(runner, "rank", "show")
    assert quiet.splitlines()[-2:] == [
        "Warnings:",
        "  - 1000140C0 (rank 1) is 'planned', not interviewed",
    ]
    added = run(runner, "rank", "add", "1000140C0", "--profile", str(profile))
    assert added.splitlines() == [
        "ranked 1000140C0",
        "warning: 1000140C0 (rank 1) is 'planned', not interviewed",
        *checks,
    ]


def test_the_rank_list_is_dated_by_the_runtime_clock(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`track rank show` and `track rol export` date the list by the runtime's clock."""
    from datetime import date

    from matchready import bootstrap as boot
    from matchready.cli import common
    from matchready.cli import tracker as tracker_cli

    clock = lambda: date(2027, 2, 20)  # noqa: E731
    dated = lambda: boot.bootstrap(clock=clock)  # noqa: E731
    monkeypatch.setattr(common, "runtime", dated)
    monkeypatch.setattr(tracker_cli, "runtime", dated)
    assert run(runner, "rank", "show").splitlines()[0] == "Rank order list draft, 2027-02-20"
    run(runner, "rol", "export", str(tmp_path / "rol.txt"))
    first = (tmp_path / "rol.txt").read_text().splitlines()[0]
    assert first == "Rank order list draft, 2027-02-20"
