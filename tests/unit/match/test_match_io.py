"""Instances and results survive a round trip through JSON and CSV."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import random_market
from matchready.match import Instance, run_match
from matchready.match._generate import generate
from matchready.match._io import (
    read_instance,
    read_result,
    result_to_dict,
    write_instance,
    write_result,
)

markets = st.builds(
    random_market,
    seed=st.integers(0, 10**6),
    applicants=st.integers(1, 10),
    programs=st.integers(1, 6),
    couples=st.integers(0, 2),
    supplemental=st.booleans(),
    reversions=st.integers(0, 2),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(markets, st.sampled_from(["market.json", "market"]))
def test_write_then_read_gives_the_same_instance(
    tmp_path: Path, instance: Instance, name: str
) -> None:
    path = tmp_path / f"{abs(hash(instance))}-{name}"
    write_instance(instance, path)
    back = read_instance(path)
    # CSV does not record applicants with no ranks at all; compare the ones with lists
    assert back.programs == instance.programs
    assert back.couples == instance.couples
    assert back.reversions == instance.reversions
    kept = {a.id: a for a in back.applicants}
    for applicant in instance.applicants:
        if applicant.ranks or applicant.supplemental or name.endswith(".json"):
            assert kept[applicant.id] == applicant


def test_result_round_trip(tmp_path: Path) -> None:
    instance = generate("toy", 3)
    result = run_match(instance)
    write_result(result, tmp_path / "result.json")
    back = read_result(tmp_path / "result.json")
    assert back.same_matching(result)
    assert back.seed == result.seed and back.engine == result.engine


@settings(max_examples=30, deadline=None)
@given(markets)
def test_the_result_json_from_arrays_equals_the_one_from_the_mappings(instance: Instance) -> None:
    """``result_to_dict`` writes the fast engine's assignments straight from its arrays; built
    the readable way (from the Assignment objects, mappings read first) it is the same."""
    result = run_match(instance)  # one result: a search's time differs between runs
    fast = result_to_dict(result)
    assert len(result.assignments) == len(instance.applicants)  # builds the mappings
    assert result.assignments.json_form() is None  # so the next form is from the Assignments
    assert fast == result_to_dict(result)
    assert fast["assignments"] == {
        a: dataclasses.asdict(s)
        for a, s in run_match(instance, engine="reference").assignments.items()
    }
