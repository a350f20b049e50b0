"""`matchready match run|generate|check` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.match import Instance, write_instance

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "120"})
    return result.exit_code, result.output


def test_run_prints_a_summary_and_explains(tmp_path: Path, nrmp_8x4: Instance) -> None:
    path = tmp_path / "nrmp.json"
    write_instance(nrmp_8x4, path)
    code, output = invoke(
        "match", "run", str(path), "--explain", "Brown", "-o", str(tmp_path / "r.json")
    )
    assert code == 0, output
    rows = {
        cells[0].strip(): cells[1].strip()
        for line in output.splitlines()
        if (cells := line.strip("│ ").split("│")) and len(cells) == 2
    }
    assert {k: v for k, v in rows.items() if k != "time"} == {
        "engine": "fast",
        "applicants matched": "6 of 8",
        "places filled": "6",
        "unfilled places": "2",
        "proposals": "15",
        "reversions applied": "0",
        "stable": "yes",
        "attempts / seed": "1 / 0",
    }
    assert "Brown did not match." in output
    assert "City filled its 2 place(s) with applicants it ranked higher: Garcia, Eastman" in output
    saved = json.loads((tmp_path / "r.json").read_text())
    assert saved["assignments"]["Chen"]["program"] == "Mercy"


def test_reference_engine_from_the_cli(tmp_path: Path, nrmp_8x4: Instance) -> None:
    path = tmp_path / "nrmp"
    write_instance(nrmp_8x4, path)
    code, output = invoke("match", "run", str(path), "--engine", "reference")
    assert code == 0, output
    assert "reference" in output


def test_generate_then_check(tmp_path: Path) -> None:
    market = tmp_path / "toy.json"
    code, output = invoke("match", "generate", "--preset", "toy", "--seed", "1", str(market))
    assert code == 0, output
    result = tmp_path / "result.json"
    assert invoke("match", "run", str(market), "-o", str(result))[0] == 0
    code, output = invoke("match", "check", str(market), str(result))
    assert code == 0, output
    assert "stable" in output


def test_check_fails_on_a_tampered_result(tmp_path: Path, nrmp_8x4: Instance) -> None:
    market = tmp_path / "nrmp.json"
    write_instance(nrmp_8x4, market)
    result = tmp_path / "result.json"
    invoke("match", "run", str(market), "-o", str(result))
    data = json.loads(result.read_text())
    data["assignments"]["Hassan"] = {
        "program": None,
        "rank": None,
        "supplemental": None,
        "supplemental_rank": None,
    }
    data["programs"]["State"] = ["Ford"]
    result.write_text(json.dumps(data))
    code, output = invoke("match", "check", str(market), str(result))
    assert code == 1
    assert "blocking" in output and "Hassan" in output


def test_invalid_instance_is_one_red_line_per_problem_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "programs": [{"id": "A", "capacity": -1, "ranks": ["x", "ghost"]}],
                "applicants": [{"id": "x", "ranks": ["A", "Z"]}],
            }
        )
    )
    code, output = invoke("match", "run", str(path))
    assert code == 1
    assert "3 problems" in output
    assert "capacity -1 is below zero" in output
    assert "unknown program 'Z'" in output
    assert "Traceback" not in output


def test_unknown_preset_is_an_input_error(tmp_path: Path) -> None:
    code, output = invoke("match", "generate", "--preset", "galactic", str(tmp_path / "x.json"))
    assert code == 1
    assert "unknown preset 'galactic'" in output


def test_unknown_applicant_to_explain_is_an_input_error(
    tmp_path: Path, nrmp_8x4: Instance
) -> None:
    path = tmp_path / "nrmp.json"
    write_instance(nrmp_8x4, path)
    code, output = invoke("match", "run", str(path), "--explain", "Nobody")
    assert code == 1
    assert "unknown applicant 'Nobody'" in output


def test_warmup_compiles_or_loads_the_engine() -> None:
    code, output = invoke("match", "warmup")
    assert code == 0, output
    assert "the Match engine is ready" in output


def test_first_run_says_it_compiles_when_the_numba_cache_is_empty(
    tmp_path: Path, nrmp_8x4: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nrmp.json"
    write_instance(nrmp_8x4, path)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "empty-cache"))
    code, output = invoke("match", "run", str(path))
    assert code == 0, output
    assert "compiling the Match engine (once, about 1-2 minutes)" in output


def test_a_warm_run_does_not_say_it_compiles(tmp_path: Path, nrmp_8x4: Instance) -> None:
    invoke("match", "warmup")
    path = tmp_path / "nrmp.json"
    write_instance(nrmp_8x4, path)
    code, output = invoke("match", "run", str(path))
    assert code == 0, output
    assert "compiling" not in output
