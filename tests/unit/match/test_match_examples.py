"""Published and hand-checked examples, run on both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from matchready.match import Instance, check_stability, read_instance, run_match
from matchready.match._model import Applicant

DATA = Path(__file__).parent / "data"

ENGINES = ["reference", "fast"]


@pytest.mark.parametrize("engine", ENGINES)
def test_nrmp_8x4_example_gives_the_published_result(
    engine: str, nrmp_8x4: Instance, examples: dict[str, Any]
) -> None:
    expected = examples["nrmp_8x4"]["expected"]
    result = run_match(nrmp_8x4, engine=engine)  # type: ignore[arg-type]
    assert result.matched() == expected["by_applicant"]
    assert {p: list(h) for p, h in result.programs.items() if h} == expected["by_program"]
    assert dict(result.unfilled) == expected["unfilled"]
    assert result.proposals == expected["applicant_proposals_total"]
    assert result.stable and not result.blocking
    assert result.assignments["Chen"].rank == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_carms_twin_gives_the_published_result(
    engine: str, build: Any, examples: dict[str, Any]
) -> None:
    e = examples["nrmp_8x4"]
    rename = {"Brown": "Beaudry", "Ford": "Feldman"}
    applicants = {rename.get(a, a): r for a, r in e["applicants"].items()}
    programs = {p: [rename.get(a, a) for a in r] for p, r in e["programs"].items()}
    result = run_match(build(e["capacities"], applicants, programs), engine=engine)
    assert result.matched() == examples["carms_8x4"]["expected_by_applicant"]


@pytest.mark.parametrize("engine", ENGINES)
def test_couples_example_matches_the_computed_result(
    engine: str, build: Any, examples: dict[str, Any]
) -> None:
    c = examples["couples_example_reconstructed"]
    programs = {p: list(r) for p, r in c["programs_before_Issacs"].items()}
    for program in ("City", "Mercy", "State"):
        programs[program].insert(0, "Issacs")
    pairs = c["couples"]["Davis+Eastman"]
    applicants = dict(c["singles"])
    applicants["Davis"] = [p[0] for p in pairs]
    applicants["Eastman"] = [p[1] for p in pairs]
    instance = build(c["capacities"], applicants, programs, couples=[("Davis", "Eastman")])
    result = run_match(instance, engine=engine)
    assert result.matched() == c["expected_computed_if_City_ranks_Issacs"]
    assert result.assignments["Davis"].rank == result.assignments["Eastman"].rank == 8
    assert result.stable


@pytest.mark.parametrize("engine", ENGINES)
def test_same_program_on_both_sides_needs_two_places(engine: str, build: Any) -> None:
    instance = build(
        {"A": 2, "B": 2},
        {"x": ["A"], "m1": ["A", "B"], "m2": ["A", "B"]},
        {"A": ["x", "m1", "m2"], "B": ["m1", "m2"]},
        couples=[("m1", "m2")],
    )
    result = run_match(instance, engine=engine)
    assert result.matched() == {"x": "A", "m1": "B", "m2": "B"}
    assert result.assignments["m1"].rank == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_no_match_side_leaves_one_partner_unmatched(engine: str, build: Any) -> None:
    instance = build(
        {"A": 1, "B": 1},
        {"x": ["B"], "m1": ["A", "A"], "m2": ["B", None]},
        {"A": ["m1"], "B": ["x", "m2"]},
        couples=[("m1", "m2")],
    )
    result = run_match(instance, engine=engine)
    assert result.matched() == {"x": "B", "m1": "A", "m2": None}
    assert result.assignments["m1"].rank == 2
    assert result.stable


@pytest.mark.parametrize("engine", ENGINES)
def test_displaced_partner_withdraws_the_other(engine: str, build: Any) -> None:
    # The couple first holds (A, B); single y then takes B, so m1 must leave A too and the
    # couple ends at (C, C); single z, rejected by A before, now gets A.
    instance = build(
        {"A": 1, "B": 1, "C": 2},
        {"z": ["A"], "y": ["B"], "m1": ["A", "C"], "m2": ["B", "C"]},
        {"A": ["m1", "z"], "B": ["y", "m2"], "C": ["m1", "m2"]},
        couples=[("m1", "m2")],
    )
    result = run_match(instance, engine=engine)
    assert result.matched() == {"z": "A", "y": "B", "m1": "C", "m2": "C"}
    assert result.stable


def without_a_stable_matching(build: Any) -> Any:
    """Roth (1984)-style: with the couple in, s blocks with h2; with s in, the couple blocks."""
    return build(
        {"h1": 1, "h2": 1},
        {"s": ["h1", "h2"], "m1": ["h1"], "m2": ["h2"]},
        {"h1": ["m1", "s"], "h2": ["s", "m2"]},
        couples=[("m1", "m2")],
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_market_without_a_stable_matching_is_reported_with_blocking_pairs(
    engine: str, build: Any
) -> None:
    instance = without_a_stable_matching(build)
    result = run_match(instance, engine=engine, max_attempts=3, restart_limit=5, search=False)
    assert not result.stable
    assert result.attempts == 3
    assert result.blocking
    assert check_stability(instance, dict(result.assignments), dict(result.capacities)).blocking
    # the search goes on: one couple has one order, then the exact model proves none exists
    searched = run_match(instance, engine=engine, max_attempts=3, restart_limit=5)
    assert not searched.stable and searched.blocking
    assert searched.search is not None
    assert (searched.search.attempts, searched.search.exact) == (1, "none")
    assert searched.attempts == 4
    assert str(searched.search).endswith("the exact model proved that no stable matching exists")


@pytest.mark.parametrize("engine", ENGINES)
def test_supplemental_list_is_used_only_with_the_advanced_place(engine: str, build: Any) -> None:
    instance = build(
        {"ADV": 1, "CAT": 1, "PRE": 2},
        {"a": ["ADV", "CAT"], "b": ["CAT", "ADV"], "c": ["PRE"]},
        {"ADV": ["b", "a"], "CAT": ["a", "b"], "PRE": ["a", "b", "c"]},
        kinds={"ADV": "advanced", "PRE": "preliminary"},
        supplemental={"a": [(["ADV"], ["PRE"])], "b": [(["ADV"], ["PRE"])]},
    )
    result = run_match(instance, engine=engine)
    assert result.matched() == {"a": "ADV", "b": "CAT", "c": "PRE"}
    assert result.assignments["a"].supplemental == "PRE"
    assert result.assignments["b"].supplemental is None
    assert result.programs["PRE"] == ("a", "c")
    assert result.stable


@pytest.mark.parametrize("engine", ENGINES)
def test_losing_the_advanced_place_releases_the_pgy1_place(engine: str, build: Any) -> None:
    # a holds ADV and PRE until b (preferred by ADV) arrives; PRE then goes to c, whom it
    # had rejected; a does not use the supplemental list any more.
    instance = build(
        {"ADV": 1, "PRE": 1},
        {"a": ["ADV"], "c": ["PRE"], "b": ["ADV"]},
        {"ADV": ["b", "a"], "PRE": ["a", "b", "c"]},
        kinds={"ADV": "advanced", "PRE": "preliminary"},
        supplemental={"a": [(["ADV"], ["PRE"])], "b": [(["ADV"], ["PRE"])]},
    )
    result = run_match(instance, engine=engine)
    assert result.matched() == {"a": None, "c": None, "b": "ADV"}
    assert result.assignments["b"].supplemental == "PRE"
    assert result.stable


@pytest.mark.parametrize("engine", ENGINES)
def test_unfilled_places_revert_to_the_receiver(engine: str, build: Any) -> None:
    instance = build(
        {"D": 3, "R": 1},
        {"x": ["R"], "y": ["R", "D"], "z": ["D"]},
        {"D": ["y", "z"], "R": ["x", "y"]},
        reversions=[("D", "R")],
    )
    result = run_match(instance, engine=engine)
    # D leaves one place unfilled; it reverts to R, y moves up to it, and the place y left
    # at D reverts as well.
    assert result.matched() == {"x": "R", "y": "R", "z": "D"}
    assert result.reversions_applied == (("D", "R", 2),)
    assert result.capacities == {"D": 1, "R": 3}
    assert result.unfilled == {"R": 1}
    assert result.stable


@pytest.mark.parametrize("engine", ENGINES)
def test_a_donor_that_fills_reverts_nothing(engine: str, build: Any) -> None:
    instance = build(
        {"D": 1, "R": 1},
        {"x": ["R"], "y": ["R", "D"]},
        {"D": ["y"], "R": ["x", "y"]},
        reversions=[("D", "R")],
    )
    result = run_match(instance, engine=engine)
    assert result.matched() == {"x": "R", "y": "D"}
    assert result.reversions_applied == ()


def test_reference_log_explains_the_steps(nrmp_8x4: Instance) -> None:
    result = run_match(nrmp_8x4, engine="reference", log=True)
    assert "City rejects Chen (rank 1)" in result.log
    assert any("removes" in line for line in result.log)
    assert run_match(nrmp_8x4, engine="fast").log == ()


def test_applicant_model_is_plain_data() -> None:
    assert Applicant("a", ("P",)) == Applicant("a", ("P",))


def test_skipping_the_audit_keeps_the_matching(nrmp_8x4: Instance) -> None:
    audited = run_match(nrmp_8x4)
    quick = run_match(nrmp_8x4, audit=False)
    assert quick.same_matching(audited)


def test_regression_applicant_holding_a_pgy1_place_cannot_displace_itself() -> None:
    # a2 holds p0 (advanced) and, from its supplemental list, p1, where it is ranked last.
    # Re-checking p1, a2 prefers p1 as a primary choice, but p1 would have to give up a2's
    # own place for a2: no vacancy. The fast engine once counted it as one and cycled.
    instance = read_instance(DATA / "regression_own_pgy1_place.json")
    fast = run_match(instance, engine="fast", restart_limit=8)
    reference = run_match(instance, engine="reference", restart_limit=8)
    assert fast.same_matching(reference)
    assert fast.proposals == 13
    assert fast.stable


def test_an_attempt_ending_in_an_audited_matching_reuses_its_audit(
    build: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One couple: every couple order ends in the same matching.
    from matchready.match import _fast, solve, to_arrays

    instance = without_a_stable_matching(build)
    calls: list[int] = []
    original = _fast.audit_arrays

    def counted(market: Any, outcome: Any) -> Any:
        calls.append(1)
        return original(market, outcome)

    monkeypatch.setattr(_fast, "audit_arrays", counted)
    found = solve(to_arrays(instance), max_attempts=4, restart_limit=5)
    assert found.attempts == 4 and not found.stable and found.blocking
    assert len(calls) == 1
    result = run_match(instance, engine="fast", max_attempts=4, restart_limit=5)
    assert len(calls) == 2 and not result.stable and result.blocking
