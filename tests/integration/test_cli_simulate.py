"""`matchready simulate`: output, JSON, usage and data errors, Ctrl-C."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli import simulate as simulate_cli
from matchready.cli.app import app
from matchready.simulation.runner import SimulationInterrupted
from matchready.simulation.study import paired_difference, wilson

PROFILE = Path(__file__).parents[2] / "examples" / "profiles" / "older-graduate-h1b.toml"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
TINY = ("--scale", "0.02", "--runs", "2", "--workers", "1")


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=ENV)


def test_simulate_prints_the_chance_where_and_what_ifs() -> None:
    result = run("simulate", str(PROFILE), "--specialty", "IM", "--ranks", "4", *TINY)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (
        "P(match to IM) ≈ 0% (0% to 66%) (market simulation, 95% interval); odds model 53% "
        "(50% to 55%) (90% interval)"
    ) in text
    assert "P(PGY-1 match) ≈ 0% (0% to 66%) — any PGY-1 place" in text
    assert "Strategy: 4 IM programs. Applicant: non-US IMGs, Step 2 CK 236." in text
    assert "│ unmatched │ 2 │ 100% │" in text
    assert (
        "│ if you had 3 more IM interviews │ 50% (9% to 91%) │ +50.0 points (-39.8 to +89.8) │"
        in text
    )
    assert (
        "│ add 3 preliminary programs │ 100% (34% to 100%) │ +100.0 points (-19.3 to +100.0) │"
        in text
    )
    assert "│ also rank 2 FM programs │ 50% (9% to 91%) │ +50.0 points (-39.8 to +89.8) │" in text
    assert "Not used: year of graduation (2019)" in text
    assert "Market check, simulated vs published PGY-1 rates:" in text


def test_simulate_json() -> None:
    result = run("simulate", str(PROFILE), "--prelim", "--also", "FM", "--format", "json", *TINY)
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    report = body["simulation"]
    assert body["specialty"] == "IM" and report["runs"] == 2
    assert body["headline"] == (
        "P(match to IM) ≈ 0% (0% to 66%) (market simulation, 95% interval); odds model 64% "
        "(62% to 67%) (90% interval)"
    )
    agreement = body["agreement"]
    assert (agreement["tolerance_points"], agreement["agrees"]) == (10.0, False)
    assert agreement["difference_points"] == pytest.approx(-64.3917, abs=1e-3)
    assert any("preliminary or other-specialty" in r for r in agreement["reasons"])
    assert report["strategy"] == "5 IM programs, then 2 FM programs, then 3 preliminary programs"
    two_of_two, none_of_two = wilson(2, 2), wilson(0, 2)
    assert report["probability"] == two_of_two.model_dump()
    assert report["in_specialty"] == none_of_two.model_dump()
    assert [
        (w["label"], w["estimate"]["estimate"], w["change"]["estimate"])
        for w in report["what_ifs"]
    ] == [
        ("if you had 3 more IM interviews", 1.0, 0.0),
        ("without the preliminary programs", 0.5, -0.5),
        ("without FM", 0.5, -0.5),
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("--specialty", "XYZ"),
        ("--also", "IM"),
        ("--scale", "0"),
        ("--runs", "0"),
        ("--engine", "spark"),
        ("--address", "127.0.0.1:8786"),
        ("--step2ck", "301"),
        ("--step2ck", "0"),
        ("--ranks", "301"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run("simulate", str(PROFILE), *args)
    assert result.exit_code == 2, result.output


def test_a_missing_profile_is_a_data_error(tmp_path: Path) -> None:
    result = run("simulate", str(tmp_path / "absent.toml"), *TINY)
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'absent.toml'}: no such file" in " ".join(result.output.split())


def test_ctrl_c_stops_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise SimulationInterrupted(3, 40)

    monkeypatch.setattr(simulate_cli, "simulate_odds", interrupted)
    result = run("simulate", str(PROFILE), *TINY)
    assert result.exit_code == 130
    assert "stopped after 3 of 40 markets" in result.output


def test_the_trackers_what_if_takes_the_list_length_and_track_mix() -> None:
    from matchready.data import load_facts
    from matchready.io.profile import load_profile
    from matchready.simulation.applicant import Strategy
    from matchready.simulation.study import what_if_more_ranks

    draft = Strategy("IM", 3, prelim=2)
    result = what_if_more_ranks(
        load_profile(PROFILE), load_facts(), draft, 3, runs=3, scale=0.02, workers=1
    )
    assert result.label == "if you had 3 more IM interviews"
    assert result.strategy == "6 IM programs, then 2 preliminary programs"
    # the session-7 re-fit: all 3 markets matched with the draft list and with 3 more programs
    assert result.estimate == wilson(3, 3)
    assert result.change == paired_difference([True, True, True], [True, True, True])


def test_an_unreachable_cluster_is_one_clear_line_within_seconds() -> None:
    import time

    started = time.monotonic()
    result = run(
        "simulate", str(PROFILE), "--engine", "ray", "--address", "127.0.0.1:9", "--runs", "2"
    )
    assert result.exit_code == 1
    assert "cannot reach the ray cluster at 127.0.0.1:9" in result.output
    assert "Traceback" not in result.output
    assert time.monotonic() - started < 10


def test_an_uncalibrated_specialty_says_so_in_the_result() -> None:
    result = run("simulate", str(PROFILE), "--specialty", "DERM", "--format", "json", *TINY)
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.output)["simulation"]["warnings"]
    assert len(warnings) == 1
    assert warnings[0].startswith("DERM is not calibrated to Charting Outcomes")
    assert "suppresses the matched cohort's figures (5 matched)" in warnings[0]


def test_without_a_terminal_progress_is_one_line() -> None:
    result = run("simulate", str(PROFILE), "--scale", "0.02", "--runs", "10", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert result.output.count("simulating 10 markets at scale 0.02 on local (1 workers)") == 1
