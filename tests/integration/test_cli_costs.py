"""`matchready costs` through CliRunner: text, JSON and bad input."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
RECENT = EXAMPLES / "recent-graduate-j1.toml"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})


def profile_2026(tmp_path: Path) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(RECENT.read_text().replace("match_year = 2027", "match_year = 2026"))
    return path


def test_costs_text_shows_lines_and_total(tmp_path: Path) -> None:
    result = run("costs", str(profile_2026(tmp_path)), "--specialty-programs", "IM=43,DR=7")
    assert result.exit_code == 0, result.output
    assert "ERAS applications, IM" in result.output and "$720" in result.output
    assert "unknown" in result.output and "Total still ahead: at least $" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_costs_json(tmp_path: Path) -> None:
    result = run(
        "costs", str(profile_2026(tmp_path)), "--programs", "30", "--travel", "500",
        "--as-of", "2025-08-01", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_key = {line["key"]: line for line in data["lines"]}
    assert by_key["eras.programs.IM"]["amount_usd"] == 330
    assert by_key["eras.programs.PEDS"]["amount_usd"] == 330
    assert by_key["nrmp.registration"]["amount_usd"] == 70
    assert by_key["nrmp.registration"]["schedule_season"] == 2024
    assert data["total_text"].startswith("at least $")
    assert data["as_of"] == "2025-08-01"


def test_a_later_match_year_is_priced_at_the_latest_published_schedule() -> None:
    later = EXAMPLES / "us-citizen-img.toml"  # the 2028 Match
    result = run(
        "costs", str(later), "--programs", "10", "--as-of", "2026-12-01", "--format", "json"
    )
    data = json.loads(result.output)
    season_fees = [line for line in data["lines"] if line["key"].startswith(("eras.", "nrmp."))]
    assert season_fees and all(line["amount_usd"] is not None for line in season_fees)
    assert all(line["schedule_season"] in (2024, 2026) for line in season_fees)
    assert all("the 2028 fee is not published" in line["basis"] for line in season_fees)


def test_costs_from_the_tracker(tmp_path: Path) -> None:
    env = {"COLUMNS": "80", "NO_COLOR": "1", "MATCHREADY_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(
        app, ["costs", str(RECENT), "--from-tracker", "--as-of", "2026-12-01"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "Per-program application fees not counted" in result.output  # an empty tracker


def test_both_program_options_is_exit_1() -> None:
    result = run("costs", str(RECENT), "--programs", "3", "--specialty-programs", "IM=4")
    assert result.exit_code == 1 and "not both" in result.output


def test_missing_profile_is_exit_1(tmp_path: Path) -> None:
    result = run("costs", str(tmp_path / "none.toml"))
    assert result.exit_code == 1 and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("--specialty-programs", "IM40"),
        ("--specialty-programs", "IM=4,IM=5"),
        ("--specialty-programs", "IM=-4"),
        ("--programs", "-1"),
        ("--travel", "lots"),
        ("--as-of", "tomorrow"),
        ("--format", "xml"),
    ],
)
def test_bad_options_are_exit_2(args: tuple[str, ...]) -> None:
    result = run("costs", str(RECENT), *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_fees_and_signals_are_listed_by_facts() -> None:
    wide = {"COLUMNS": "200", "NO_COLOR": "1"}
    result = CliRunner().invoke(app, ["facts", "fee.2026"], env=wide)
    assert result.exit_code == 0
    assert "fee.2026.eras.program.1-30" in result.output and "(unverified)" in result.output
    signals = CliRunner().invoke(app, ["facts", "signals.2025.IM"], env=wide)
    assert signals.exit_code == 0 and "3 gold + 12 silver" in signals.output
    checked = run("facts", "check")
    assert checked.exit_code == 0 and "fees" in checked.output
