"""Regression tests for bad input that reached a traceback or was accepted silently (issue 19).

Each test is named after the bug. Through the CLI every case is one red line naming where the
problem is, and exit 1; through the library it is an :class:`InstanceError` with the problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.match import InstanceError, MarketArrays, read_instance, solve

runner = CliRunner()


def market(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "programs": [
            {"id": "P", "capacity": 1, "kind": "categorical", "ranks": ["x", "a", "b"]},
            {"id": "Q", "capacity": 1, "kind": "categorical", "ranks": ["a", "b"]},
        ],
        "applicants": [
            {"id": "x", "ranks": ["P"]},
            {"id": "a", "ranks": ["P", "Q"]},
            {"id": "b", "ranks": ["Q", None]},
        ],
        "couples": [{"first": "a", "second": "b"}],
    }
    data.update(changes)
    return data


def problems(tmp_path: Path, data: Any) -> list[str]:
    path = tmp_path / "market.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InstanceError) as caught:
        read_instance(path)
    return [str(p) for p in caught.value.problems]


def cli(path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["match", "run", str(path)], env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def program(**fields: Any) -> dict[str, Any]:
    return {"id": "P", "capacity": 1, "ranks": ["x", "a", "b"], **fields}


def with_program(**fields: Any) -> dict[str, Any]:
    data = market()
    data["programs"][0] = program(**fields)
    return data


def test_valid_market_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(market()))
    assert read_instance(path).size()["couples"] == 1


def test_capacity_2_to_the_31_is_refused_with_the_limit(tmp_path: Path) -> None:
    found = problems(tmp_path, with_program(capacity=2**31))
    assert found == [
        f"{tmp_path / 'market.json'}, program P: capacity 2147483648 is above the limit of "
        "2,147,483,647 places (the engine's 32-bit indices)"
    ]


def test_capacity_10_to_the_12_is_refused_not_allocated(tmp_path: Path) -> None:
    path = tmp_path / "market.json"
    path.write_text(json.dumps(with_program(capacity=10**12)))
    code, output = cli(path)
    assert code == 1
    assert "capacity 1000000000000 is above the limit of 2,147,483,647 places" in output
    assert "Traceback" not in output


def test_capacities_that_together_pass_32_bits_are_refused(tmp_path: Path) -> None:
    data = market()
    data["programs"][0]["capacity"] = 2**31 - 1
    data["programs"][1]["capacity"] = 1
    found = problems(tmp_path, data)
    assert found == [
        f"{tmp_path / 'market.json'}, market: all capacities together (2,147,483,648 places) "
        "are above the limit of 2,147,483,647 (the engine's 32-bit indices)"
    ]


def test_large_capacity_below_the_limit_runs_without_allocating_it(tmp_path: Path) -> None:
    # the held-ranks room is bounded by the program's list, not by its capacity
    path = tmp_path / "market.json"
    path.write_text(json.dumps(with_program(capacity=2**31 - 2)))
    code, output = cli(path)
    assert code == 0, output


@pytest.mark.parametrize(
    ("capacity", "shown"), [(1.7, "1.7"), (True, "true"), ("3", '"3"'), (None, "null")]
)
def test_capacity_that_is_not_a_whole_number_is_refused(
    tmp_path: Path, capacity: object, shown: str
) -> None:
    found = problems(tmp_path, with_program(capacity=capacity))
    assert found == [
        f"{tmp_path / 'market.json'}, programs [0]: malformed program: "
        f"capacity must be a whole number, got {shown}"
    ]


def test_ranks_given_as_an_object_are_refused(tmp_path: Path) -> None:
    data = market()
    data["applicants"][0]["ranks"] = {"1": "P"}
    data["programs"][1]["ranks"] = {"a": 1}
    assert problems(tmp_path, data) == [
        f"{tmp_path / 'market.json'}, programs [1]: malformed program: "
        "ranks must be a list, got an object",
        f"{tmp_path / 'market.json'}, applicants [0]: malformed applicant: "
        "ranks must be a list, got an object",
    ]


def test_id_null_is_refused_not_read_as_the_text_none(tmp_path: Path) -> None:
    data = market()
    data["applicants"][0]["id"] = None
    data["couples"][0]["second"] = None
    assert problems(tmp_path, data) == [
        f"{tmp_path / 'market.json'}, applicants [0]: malformed applicant: "
        "id must be a non-empty string, got null",
        f"{tmp_path / 'market.json'}, couples [0]: malformed couple: "
        "second must be a non-empty string, got null",
    ]


def test_a_rank_that_is_a_number_is_refused(tmp_path: Path) -> None:
    data = market()
    data["programs"][0]["ranks"] = ["x", 7]
    assert problems(tmp_path, data) == [
        f"{tmp_path / 'market.json'}, programs [0]: malformed program: "
        "ranks entry 2 must be a non-empty string, got 7"
    ]


def test_no_match_on_both_sides_of_a_pair_is_refused(tmp_path: Path) -> None:
    data = market()
    data["applicants"][1]["ranks"] = ["P", None]
    assert problems(tmp_path, data) == [
        f"{tmp_path / 'market.json'}, applicant a rank 2: pair 2 is No Match for both "
        "partners (a pair must name at least one program)"
    ]


def test_301_ranks_on_a_single_list_are_refused(tmp_path: Path) -> None:
    data = market()
    data["programs"] = [{"id": f"P{i}", "capacity": 1, "ranks": ["x"]} for i in range(301)]
    data["applicants"] = [{"id": "x", "ranks": [f"P{i}" for i in range(301)]}]
    data["couples"] = []
    assert problems(tmp_path, data) == [
        f"{tmp_path / 'market.json'}, applicant x: 301 ranks; a list may hold at most 300"
    ]


def test_301_ranks_on_a_supplemental_list_are_refused(tmp_path: Path) -> None:
    data = market()
    data["programs"] = [{"id": "ADV", "capacity": 1, "kind": "advanced", "ranks": ["x"]}]
    data["programs"] += [
        {"id": f"P{i}", "capacity": 1, "kind": "preliminary", "ranks": ["x"]} for i in range(301)
    ]
    supplemental = {"links": ["ADV"], "ranks": [f"P{i}" for i in range(301)]}
    data["applicants"] = [{"id": "x", "ranks": ["ADV"], "supplemental": [supplemental]}]
    data["couples"] = []
    assert problems(tmp_path, data) == [
        f"{tmp_path / 'market.json'}, supplemental x list 1: "
        "301 ranks; a list may hold at most 300"
    ]


def test_300_ranks_are_allowed(tmp_path: Path) -> None:
    data = market()
    data["programs"] = [{"id": f"P{i}", "capacity": 1, "ranks": ["x"]} for i in range(300)]
    data["applicants"] = [{"id": "x", "ranks": [f"P{i}" for i in range(300)]}]
    data["couples"] = []
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(data))
    assert read_instance(path).size()["applicant_ranks"] == 300


def test_json_nested_100000_deep_is_an_error_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"programs": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, output = cli(path)
    assert code == 1
    assert f"{path}: JSON nested too deeply" in output.replace("\n", "")
    assert "Traceback" not in output and "RecursionError" not in output


def test_csv_folder_with_non_utf8_bytes_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "market"
    folder.mkdir()
    (folder / "programs.csv").write_text("program,capacity,kind\nP,1,categorical\n")
    (folder / "ranks.csv").write_bytes(
        b"list,owner,rank,choice,links\napplicant,x,1,P,\nprogram,P,1,M\xfcller,\n"
    )
    with pytest.raises(InstanceError) as caught:
        read_instance(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'ranks.csv'}: not UTF-8 text: byte 0xfc at line 3, column 14 "
        "(save the file as UTF-8)"
    ]
    code, output = cli(folder)
    assert code == 1
    assert "not UTF-8 text" in output and "Traceback" not in output


def test_array_capacity_beyond_32_bits_is_refused() -> None:
    arrays = MarketArrays(
        capacity=np.array([10**12]),
        applicant_offsets=np.array([0, 1]),
        applicant_programs=np.array([0]),
        program_offsets=np.array([0, 1]),
        program_applicants=np.array([0]),
    )
    with pytest.raises(InstanceError, match=r"capacity\[0\]: is above the limit of 2,147,483,647"):
        solve(arrays)
