"""The array-level entry point: the same Match as the object API, and bad arrays reported."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import random_market
from matchready.match import InstanceError, MarketArrays, generate, run_match, solve, to_arrays

markets = st.builds(
    random_market,
    seed=st.integers(0, 10**6),
    applicants=st.integers(1, 14),
    programs=st.integers(1, 6),
    couples=st.integers(0, 3),
    supplemental=st.booleans(),
    reversions=st.integers(0, 2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markets)
def test_solve_gives_the_same_first_attempt_as_run_match(instance: object) -> None:
    from matchready.match import Instance

    assert isinstance(instance, Instance)
    expected = run_match(instance, max_attempts=1, restart_limit=8, audit=False)
    found = solve(to_arrays(instance), max_attempts=1, restart_limit=8)
    programs = [p.id for p in instance.programs]
    for a, applicant in enumerate(instance.applicants):
        seat = expected.assignments[applicant.id]
        assert (programs[found.program[a]] if found.program[a] >= 0 else None) == seat.program
        assert (int(found.rank[a]) or None) == seat.rank
        supp = int(found.supplemental_program[a])
        assert (programs[supp] if supp >= 0 else None) == seat.supplemental
        assert (int(found.supplemental_rank[a]) or None) == seat.supplemental_rank
    assert found.proposals == expected.proposals
    assert found.attempts == 1


def test_solve_retries_couple_orders_like_run_match() -> None:
    instance = generate("small", seed=5)
    expected = run_match(instance, audit=False)
    found = solve(to_arrays(instance))
    matched = {a.id: int(found.rank[i]) or None for i, a in enumerate(instance.applicants)}
    assert matched == {a: seat.rank for a, seat in expected.assignments.items()}


def test_a_hand_built_market() -> None:
    # applicants 0 and 1 both rank program 0 first; the program prefers 1; one place each
    market = MarketArrays(
        capacity=[1, 1],
        applicant_offsets=[0, 2, 4],
        applicant_programs=[0, 1, 0, 1],
        program_offsets=[0, 2, 4],
        program_applicants=[1, 0, 0, 1],
    )
    found = solve(market)
    assert found.program.tolist() == [1, 0]
    assert found.rank.tolist() == [2, 1]
    assert found.supplemental_program.tolist() == [-1, -1]
    assert not found.cycled


def test_bad_arrays_are_reported_with_where() -> None:
    market = MarketArrays(
        capacity=[1, -1],
        applicant_offsets=[0, 2, 3],
        applicant_programs=[0, 7, 0, 1],
        program_offsets=[0, 1],
        program_applicants=[5],
    )
    with pytest.raises(InstanceError) as raised:
        solve(market)
    text = str(raised.value)
    for expected in (
        "capacity[1]: is below 0",
        "applicant_offsets: must end at 4",
        "applicant_programs[1]: index 7 is out of range",
        "program_offsets: needs 3 entries, has 2",
        "program_applicants[0]: index 5 is out of range",
    ):
        assert expected in text
    with pytest.raises(ValueError, match="max_attempts"):
        solve(to_arrays(generate("toy", seed=1)), max_attempts=0)


def test_arrays_are_stored_as_int64() -> None:
    market = MarketArrays(
        capacity=np.array([1], dtype=np.int32),
        applicant_offsets=[0, 1],
        applicant_programs=[0],
        program_offsets=[0, 1],
        program_applicants=[0],
    )
    assert market.capacity.dtype == np.int64
    assert market.supplemental_link.tolist() == [-1]
    assert solve(market).program.tolist() == [0]
