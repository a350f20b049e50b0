"""`matchready simulate`: output, JSON, usage and data errors, Ctrl-C."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli import simulate as simulate_cli
from matchready.cli.app import app
from matchready.simulation.runner import SimulationInterrupted

PROFILE = Path(__file__).parents[2] / "examples" / "profiles" / "older-graduate-h1b.toml"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
TINY = ("--scale", "0.02", "--runs", "2", "--workers", "1")


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=ENV)


def test_simulate_prints_the_chance_where_and_what_ifs() -> None:
    result = run("simulate", str(PROFILE), "--specialty", "IM", "--ranks", "4", *TINY)
    assert result.exit_code == 0, result.output
    assert "P(PGY-1 match)" in result.output
    assert "rank 3 more IM programs" in result.output
    assert "Market check" in result.output and "assum" in result.output


def test_simulate_json() -> None:
    result = run("simulate", str(PROFILE), "--prelim", "--also", "FM", "--format", "json", *TINY)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["specialty"] == "IM" and report["runs"] == 2
    assert "3 preliminary programs" in report["strategy"]
    labels = [w["label"] for w in report["what_ifs"]]
    assert "without the preliminary programs" in labels and "without FM" in labels
    assert 0 <= report["probability"]["low"] <= report["probability"]["high"] <= 1


@pytest.mark.parametrize(
    "args",
    [
        ("--specialty", "XYZ"),
        ("--also", "IM"),
        ("--scale", "0"),
        ("--runs", "0"),
        ("--engine", "spark"),
        ("--address", "127.0.0.1:8786"),
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

    monkeypatch.setattr(simulate_cli, "simulate_applicant", interrupted)
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
    assert result.label == "rank 3 more IM programs"
    assert result.strategy == "6 IM programs, then 2 preliminary programs"
    assert result.change.low <= result.change.estimate <= result.change.high
