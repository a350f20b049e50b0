"""`matchready programs` end to end with CliRunner, on SQLite in a temporary data directory."""

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
    return CliRunner()


def test_template_import_list_show_export(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["programs", "template", str(tmp_path / "t.csv")])
    assert result.exit_code == 0, result.output
    assert "step2ck_minimum_verified_on" in (tmp_path / "t.csv").read_text()
    result = runner.invoke(app, ["programs", "template", "--xlsx", str(tmp_path / "t")])
    assert result.exit_code == 0 and (tmp_path / "t.xlsx").exists()

    result = runner.invoke(app, ["programs", "import", str(DATA / "template_sample.csv")])
    assert result.exit_code == 0, result.output
    counts = next(line for line in result.output.splitlines() if "│" in line)
    assert [cell.strip() for cell in counts.split("│")[1:5]] == ["3", "0", "0", "0"]
    assert (tmp_path / "data" / "matchready.sqlite3").exists()

    result = runner.invoke(app, ["programs", "list", "--state", "NY"])
    assert result.exit_code == 0
    assert "1403621075" in result.output and "1203100001" not in result.output

    result = runner.invoke(app, ["programs", "show", "1000140P0"])
    assert result.exit_code == 0
    assert "unknown - verify" in result.output and "https://example.org/im" in result.output

    for file_format in ("csv", "xlsx", "json"):
        out = tmp_path / f"export.{file_format}"
        result = runner.invoke(app, ["programs", "export", "--format", file_format, str(out)])
        assert result.exit_code == 0 and out.exists()
        result = runner.invoke(app, ["programs", "import", str(out)])
        assert result.exit_code == 0
        assert "│        0 │       0 │         3 │        0 │" in result.output


def test_bad_data_is_one_red_line_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("acgme_number,nrmp_codes,name\n123,,A (fictional)\n")
    result = runner.invoke(app, ["programs", "import", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv, row 2, field 'acgme_number'" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["programs", "show", "1000140C0"])
    assert result.exit_code == 1 and "no program" in result.output


def test_skip_bad_rows_reports_what_it_skipped(runner: CliRunner, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("acgme_number,nrmp_codes,name\n1403621075,,A (fictional)\n123,,B\n")
    result = runner.invoke(app, ["programs", "import", "--skip-bad-rows", str(mixed)])
    assert result.exit_code == 0
    assert "skipped: mixed.csv, row 3, field 'acgme_number'" in result.output


def test_an_unreachable_database_is_one_red_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATCHREADY_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = runner.invoke(app, ["programs", "list"])
    assert result.exit_code == 1
    assert "cannot migrate the database" in result.output
    assert "Traceback" not in result.output


def test_own_spreadsheet_with_map_dry_run_then_import(runner: CliRunner, tmp_path: Path) -> None:
    sheet = DATA / "spreadsheets" / "own_headers.csv"
    refused = runner.invoke(app, ["programs", "import", str(sheet)])
    assert refused.exit_code == 1
    assert "unplaced columns: 'Notes'" in refused.output
    assert "Traceback" not in refused.output
    mapping = tmp_path / "mapping.toml"
    args = ["programs", "import", str(sheet), "--map", "Notes=ignore"]
    dry = runner.invoke(app, [*args, "--dry-run", "--save-mapping", str(mapping)])
    assert dry.exit_code == 0, dry.output
    assert "'Min Step 2 CK' -> step2ck_minimum (alias)" in dry.output
    assert "dry run, nothing written: 3 new, 0 changed, 0 unchanged, 0 conflicting" in dry.output
    assert runner.invoke(app, ["programs", "list"]).output.count("fictional") == 0
    done = runner.invoke(app, ["programs", "import", str(sheet), "--mapping", str(mapping)])
    assert done.exit_code == 0, done.output
    assert "│        3 │       0 │         0 │        0 │" in done.output
    unknown = runner.invoke(app, [*args, "--map", "Min Step 2 CK=step2_min"])
    assert unknown.exit_code == 1
    assert "did you mean step2ck_minimum?" in unknown.output


def test_lca_import_review_show_and_read_page(runner: CliRunner) -> None:
    lca = DATA / "lca"
    assert runner.invoke(app, ["programs", "import", str(lca / "institutions.csv")]).exit_code == 0
    done = runner.invoke(app, ["programs", "import-lca", str(lca / "lca_fy2025_sample.csv")])
    assert done.exit_code == 0, done.output
    assert "8 certified resident/fellow physician filings (FY2024, FY2025)" in done.output
    assert "2 matched to an institution, 1 to review" in done.output
    review = runner.invoke(app, ["programs", "lca", "review"])
    assert "SAMPLE UNIVERSITY HEALTH PARTNERS" in review.output
    shown = runner.invoke(app, ["programs", "show", "1403621075"])
    assert "H-1B evidence: 3 resident-physician LCAs certified for this institution in FY2025" in (
        shown.output
    )
    assert "h1b_sponsored: conflict — verify" in shown.output
    assert "ask the coordinator: Does the program sponsor H-1B visas" in shown.output
    page = str(DATA / "pages" / "friendly_im.html")
    read = runner.invoke(app, ["programs", "read-page", page, "--program", "1403621075"])
    assert read.exit_code == 0, read.output
    assert "Nothing stored: --accept all" in read.output
    accepted = runner.invoke(
        app,
        ["programs", "read-page", page, "--program", "1403621075", "--accept", "step2ck_minimum"],
    )
    assert "stored step2ck_minimum = 230 (source saved page friendly_im.html" in accepted.output
    empty = str(DATA / "pages" / "empty.html")
    nothing = runner.invoke(app, ["programs", "read-page", empty, "--program", "1403621075"])
    assert nothing.exit_code == 1
    assert "no requirement text found" in nothing.output
    offline = runner.invoke(app, ["programs", "import-lca", str(DATA / "template_sample.csv")])
    assert offline.exit_code == 1
    assert "missing columns CASE_STATUS" in offline.output


def test_an_edit_is_verified_on_the_runtime_clock_s_day(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`programs edit` dates an edit by the runtime's clock (was date.today())."""
    from datetime import date

    from matchready import bootstrap as boot
    from matchready.cli import programs as programs_cli

    assert (
        runner.invoke(app, ["programs", "import", str(DATA / "template_sample.csv")]).exit_code
        == 0
    )
    clock = lambda: date(2026, 10, 5)  # noqa: E731
    monkeypatch.setattr(programs_cli, "runtime", lambda: boot.bootstrap(clock=clock))
    args = ["programs", "edit", "1403621075", "--kind", "j1_sponsored", "--value", "no"]
    done = runner.invoke(app, [*args, "--source", "call"])
    assert done.exit_code == 0, done.output
    shown = runner.invoke(app, ["programs", "show", "1403621075"]).output
    assert "│ j1_sponsored │ no │ unknown │ call │ 2026-10-05 │" in " ".join(shown.split())
