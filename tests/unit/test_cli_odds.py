import json
from pathlib import Path

from typer.testing import CliRunner

from matchready.cli.app import app

PROFILE = Path(__file__).parents[2] / "examples" / "profiles" / "recent-graduate-j1.toml"
ENV = {"COLUMNS": "80", "NO_COLOR": "1"}


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=ENV)


def test_specialties_table_is_sorted_and_sourced() -> None:
    result = run("specialties")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.startswith("│")]
    assert lines[0].split("│")[1].strip() == "PEDS"  # highest match rate
    assert "Charting Outcomes" in result.output
    assert "non-US IMG 58.0%" in result.output


def test_specialties_json_and_sorting() -> None:
    result = run("specialties", "--format", "json", "--sort", "step2_matched_median")
    data = json.loads(result.output)
    assert data["specialties"][0]["code"] == "IR"  # 260
    assert all(row["source"] for row in data["specialties"])


def test_specialties_refuses_what_our_sources_do_not_hold() -> None:
    result = run("specialties", "--type", "us_img")
    assert result.exit_code == 1 and "not in our sources" in result.output
    assert run("specialties", "--sort", "nonsense").exit_code == 1
    assert run("specialties", "--type", "martian").exit_code == 2


def test_odds_shows_range_year_and_what_ifs() -> None:
    result = run("odds", str(PROFILE), "--specialty", "IM", "--ranks", "4")
    assert result.exit_code == 0, result.output
    assert "P(match) ≈" in result.output and "90% interval" in result.output
    assert "2026 Match" in result.output
    assert "Step 2 CK +10" in result.output and "points)" in result.output
    assert "not estimable" in result.output
    assert "Market simulator (matchready simulate) for an applicant at IM's" in result.output
    assert "Not used: year of graduation" in result.output


def test_another_step2ck_score_can_be_tried_within_the_scale() -> None:
    low = json.loads(run("odds", str(PROFILE), "--specialty", "IM", "--step2ck", "225",
                         "--format", "json").output)[0]  # fmt: skip
    high = json.loads(run("odds", str(PROFILE), "--specialty", "IM", "--step2ck", "265",
                          "--format", "json").output)[0]  # fmt: skip
    assert low["inputs"]["Step 2 CK"] == "225" and high["inputs"]["Step 2 CK"] == "265"
    assert high["estimate"]["estimate"] > low["estimate"]["estimate"]
    result = run("odds", str(PROFILE), "--step2ck", "301")
    assert result.exit_code == 2
    assert "Invalid value for '--step2ck': Input should be less than or equal to 300" in (
        result.output
    )


def test_odds_says_so_instead_of_a_number_when_data_is_missing() -> None:
    result = run("odds", str(PROFILE), "--specialty", "DERM")
    assert result.exit_code == 0
    assert "No estimate: not published" in result.output
    assert "P(match)" not in result.output


def test_odds_json_for_the_profiles_specialties() -> None:
    result = run("odds", str(PROFILE), "--format", "json")
    data = json.loads(result.output)
    assert [d["specialty"] for d in data] == ["IM", "PEDS"]
    assert 0 < data[0]["estimate"]["estimate"] < 1


def test_odds_usage_errors() -> None:
    assert run("odds", str(PROFILE), "--ranks", "-1").exit_code == 2
    assert run("odds", str(PROFILE), "--ranks", "many").exit_code == 2
