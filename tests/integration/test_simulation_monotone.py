"""Monotone by construction: on the same market and draws (common random numbers), a higher
Step 2 CK, more ranked programs, or one more program anywhere on the list never turns a match
into no match. Small markets of singles (the guarantee is the applicant-proposing algorithm's:
it respects improvements and is strategy-proof for applicants); couples can in principle break
it, which bench/bench_sim_calibration.py counts on national markets."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matchready.data import load_facts
from matchready.match import solve
from matchready.simulation.applicant import (
    SimApplicant,
    Strategy,
    candidates,
    draws_for,
    insert,
    placement,
    rank_list,
)
from matchready.simulation.calibration import load_calibration
from matchready.simulation.layout import NON_US_IMG, US_IMG, build_layout
from matchready.simulation.market import SimulatedMarket, generate

FACTS = load_facts()
SINGLES = replace(build_layout(FACTS, 2025, 0.02), couples=0)
PARAMETERS = load_calibration().parameters
SPECIALTIES = ("IM", "FM", "PEDS", "GS", "PSYCH")

seeds = st.integers(min_value=0, max_value=10**6)
kinds = st.sampled_from((NON_US_IMG, US_IMG))
specialties = st.sampled_from(SPECIALTIES)
scores = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)


@cache
def market(seed: int) -> SimulatedMarket:
    return generate(SINGLES, PARAMETERS, seed)


def matched(seed: int, applicant: SimApplicant, primary: np.ndarray, sup: np.ndarray) -> bool:
    m = market(seed)
    draws = draws_for(m, applicant, seed)
    outcome = solve(insert(m, draws, primary, sup), seed=seed)
    return placement(m, outcome, m.arrays.applicants).matched


def lists(seed: int, applicant: SimApplicant, strategy: Strategy, extra: int = 0):  # type: ignore[no-untyped-def]
    m = market(seed)
    return rank_list(m, draws_for(m, applicant, seed), strategy, extra)


@settings(max_examples=25, deadline=None)
@given(seeds, kinds, specialties, scores, scores, st.integers(1, 8))
def test_a_higher_step2ck_never_loses_a_match(
    seed: int, kind: int, code: str, a: float, b: float, ranks: int
) -> None:
    low, high = sorted((a, b))
    strategy = Strategy(code, ranks)
    weak, strong = SimApplicant(kind, low, 230), SimApplicant(kind, high, 250)
    primary, sup = lists(seed, weak, strategy)
    again, sup_again = lists(seed, strong, strategy)
    assert np.array_equal(primary, again) and np.array_equal(sup, sup_again)  # same programs
    assert matched(seed, strong, again, sup_again) >= matched(seed, weak, primary, sup)


@settings(max_examples=25, deadline=None)
@given(seeds, kinds, specialties, scores, st.integers(1, 6), st.integers(1, 6))
def test_more_ranked_programs_never_lose_a_match(
    seed: int, kind: int, code: str, z: float, ranks: int, extra: int
) -> None:
    me = SimApplicant(kind, z, 240)
    strategy = Strategy(code, ranks)
    short = matched(seed, me, *lists(seed, me, strategy))
    long = matched(seed, me, *lists(seed, me, strategy, extra))
    assert long >= short


@settings(max_examples=25, deadline=None)
@given(seeds, kinds, specialties, scores, st.integers(1, 6), st.integers(0, 6))
def test_adding_a_program_anywhere_never_loses_a_match(
    seed: int, kind: int, code: str, z: float, ranks: int, where: int
) -> None:
    me = SimApplicant(kind, z, 240)
    m = market(seed)
    draws = draws_for(m, me, seed)
    primary, sup = rank_list(m, draws, Strategy(code, ranks))
    pool = candidates(m, draws, m.layout.specialty_index(code), ranks + 1)
    fresh = [p for p in pool.tolist() if p not in set(primary.tolist())]
    if not fresh:  # the specialty has no other program at this size
        return
    at = min(where, len(primary))
    longer = np.insert(primary, at, fresh[0])
    assert matched(seed, me, longer, sup) >= matched(seed, me, primary, sup)


def test_the_properties_are_not_vacuous() -> None:
    """On these markets the score and the list length do change outcomes."""
    strategy = Strategy("IM", 2)
    weak, strong = SimApplicant(NON_US_IMG, -2.5, 215), SimApplicant(NON_US_IMG, 2.5, 275)
    gained_by_score = gained_by_ranks = 0
    for seed in range(30):
        base = matched(seed, weak, *lists(seed, weak, strategy))
        gained_by_score += matched(seed, strong, *lists(seed, strong, strategy)) and not base
        gained_by_ranks += matched(seed, weak, *lists(seed, weak, strategy, 6)) and not base
    assert gained_by_score > 0 and gained_by_ranks > 0
