"""Every validation rule is reported, all at once, with where the problem is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from matchready.match import Instance, InstanceError
from matchready.match._io import read_instance, write_instance


def problems_of(build: Any, **changes: Any) -> list[str]:
    market: dict[str, Any] = {
        "capacities": {"A": 1, "B": 1, "ADV": 1, "PRE": 1},
        "applicants": {"x": ["A"], "y": ["B"], "m1": ["A"], "m2": ["B"]},
        "programs": {"A": ["x", "m1"], "B": ["y", "m2"]},
        "couples": [("m1", "m2")],
        "kinds": {"ADV": "advanced", "PRE": "preliminary"},
    }
    market.update(changes)
    with pytest.raises(InstanceError) as caught:
        build(**market)
    return [str(p) for p in caught.value.problems]


def test_valid_market_builds(build: Any) -> None:
    instance = build({"A": 1}, {"x": ["A"]}, {"A": ["x"]})
    assert isinstance(instance, Instance)


def test_unknown_program_is_reported_with_applicant_and_rank(build: Any) -> None:
    problems = problems_of(build, applicants={"x": ["A", "Z"], "y": [], "m1": [], "m2": []})
    assert "applicant x rank 2: unknown program 'Z'" in problems


def test_unknown_applicant_is_reported_with_program_and_rank(build: Any) -> None:
    problems = problems_of(build, programs={"A": ["x", "ghost"]})
    assert "program A rank 2: unknown applicant 'ghost'" in problems


def test_duplicate_rank_is_reported(build: Any) -> None:
    problems = problems_of(build, applicants={"x": ["A", "B", "A"], "y": [], "m1": [], "m2": []})
    assert "applicant x rank 3: duplicate rank: 'A' already at rank 1" in problems


def test_couple_lists_of_different_lengths_are_reported(build: Any) -> None:
    problems = problems_of(build, applicants={"x": [], "y": [], "m1": ["A", "B"], "m2": ["B"]})
    assert any(p.startswith("couple m1+m2: couple lists have different lengths") for p in problems)


def test_more_than_300_couple_ranks_are_reported(build: Any) -> None:
    long = ["A"] * 301
    problems = problems_of(build, applicants={"x": [], "y": [], "m1": long, "m2": long})
    assert "applicant m1: 301 ranks; a partner may rank at most 300" in problems
    assert "applicant m2: 301 ranks; a partner may rank at most 300" in problems


def test_no_match_outside_a_couple_is_reported(build: Any) -> None:
    problems = problems_of(build, applicants={"x": [None], "y": [], "m1": [], "m2": []})
    assert "applicant x rank 1: 'No Match' is only allowed for a couple" in problems


def test_supplemental_list_linked_to_non_advanced_program_is_reported(build: Any) -> None:
    problems = problems_of(build, supplemental={"x": [(["A"], ["PRE"])]})
    assert "supplemental x list 1: linked to non-advanced program 'A' (categorical)" in problems


def test_circular_reversions_are_reported(build: Any) -> None:
    problems = problems_of(build, reversions=[("A", "B"), ("B", "A")])
    assert "reversion A->B: circular reversions: A -> B -> A" in problems


def test_negative_capacity_is_reported(build: Any) -> None:
    problems = problems_of(build, capacities={"A": -1, "B": 1})
    assert "program A: capacity -1 is below zero" in problems


def test_all_problems_are_reported_at_once(build: Any) -> None:
    problems = problems_of(
        build,
        capacities={"A": -2, "B": 1},
        applicants={"x": ["Z"], "y": ["B", "B"], "m1": ["A"], "m2": []},
        reversions=[("A", "B"), ("B", "A")],
    )
    assert len(problems) >= 5


def test_csv_problems_name_file_and_row(tmp_path: Path, build: Any) -> None:
    instance = build({"A": 1, "B": 1}, {"x": ["A", "B"]}, {"A": ["x"], "B": ["x"]})
    folder = tmp_path / "market"
    write_instance(instance, folder)
    ranks = folder / "ranks.csv"
    ranks.write_text(ranks.read_text().replace("applicant,x,2,B,", "applicant,x,2,Q,"))
    (folder / "programs.csv").write_text(
        "program,capacity,kind\nA,1,categorical\nB,-3,categorical\n"
    )
    with pytest.raises(InstanceError) as caught:
        read_instance(folder)
    messages = [str(p) for p in caught.value.problems]
    assert f"{ranks}, row 2: unknown program 'Q'" in messages
    assert f"{folder / 'programs.csv'}, row 2: capacity -3 is below zero" in messages


def test_csv_bad_numbers_and_repeated_ranks_name_the_row(tmp_path: Path) -> None:
    folder = tmp_path / "market"
    folder.mkdir()
    (folder / "programs.csv").write_text("program,capacity\nA,two\n")
    (folder / "ranks.csv").write_text(
        "list,owner,rank,choice,links\napplicant,x,1,A,\napplicant,x,1,A,\n"
    )
    with pytest.raises(InstanceError) as caught:
        read_instance(folder)
    messages = [str(p) for p in caught.value.problems]
    assert f"{folder / 'programs.csv'}, row 1: capacity 'two' is not a whole number" in messages
    assert f"{folder / 'ranks.csv'}, row 2: rank 1 of x already given in row 1" in messages


def test_json_problems_name_the_file_and_subject(tmp_path: Path) -> None:
    path = tmp_path / "market.json"
    path.write_text(
        '{"programs": [{"id": "A", "capacity": 1, "ranks": ["x"]}],'
        ' "applicants": [{"id": "x", "ranks": ["B"]}]}'
    )
    with pytest.raises(InstanceError) as caught:
        read_instance(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, applicant x rank 1: unknown program 'B'"
    ]


def test_invalid_json_is_reported_with_line(tmp_path: Path) -> None:
    path = tmp_path / "market.json"
    path.write_text("{oops")
    with pytest.raises(InstanceError, match="invalid JSON at line 1"):
        read_instance(path)
