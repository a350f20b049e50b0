"""The numba stability audit (``_audit``) gives the Python audit's answer (``_stability``, the
oracle) on engine results and on arbitrary matchings of generated markets."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import random_market
from matchready.match import Assignment, Instance, check_stability, run_match, solve, to_arrays
from matchready.match._arrays import ArrayOutcome
from matchready.match._fast import audit_arrays, compile_market
from matchready.match._lazy import blocking_pairs

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

markets = st.builds(
    random_market,
    seed=st.integers(0, 10**6),
    applicants=st.integers(1, 14),
    programs=st.integers(1, 6),
    couples=st.integers(0, 3),
    supplemental=st.booleans(),
    reversions=st.integers(0, 2),
)


def random_matching(instance: Instance, rng: random.Random) -> ArrayOutcome:
    """Any matching that follows the lists (capacities and program ranks may be broken)."""
    n = len(instance.applicants)
    index = {p.id: i for i, p in enumerate(instance.programs)}
    program, rank = np.full(n, -1), np.zeros(n, dtype=np.int64)
    supp, supp_rank = np.full(n, -1), np.zeros(n, dtype=np.int64)
    applicants = {a.id: i for i, a in enumerate(instance.applicants)}
    for i, applicant in enumerate(instance.applicants):
        if applicant.ranks and rng.random() < 0.7:
            k = rng.randrange(len(applicant.ranks))
            if applicant.ranks[k] is not None:
                program[i], rank[i] = index[applicant.ranks[k]], k + 1
    for couple in instance.couples:
        a, b = applicants[couple.first], applicants[couple.second]
        program[a] = program[b] = -1
        rank[a] = rank[b] = 0
        pairs = instance.applicant(couple.first).ranks
        if pairs and rng.random() < 0.7:
            k = rng.randrange(len(pairs))
            for who, choice in ((a, pairs[k]), (b, instance.applicant(couple.second).ranks[k])):
                if choice is not None:
                    program[who], rank[who] = index[choice], k + 1
    for i, applicant in enumerate(instance.applicants):
        if program[i] < 0:
            continue
        held = instance.programs[program[i]].id
        lists = [s for s in applicant.supplemental if held in s.links]
        if lists and rng.random() < 0.7:
            k = rng.randrange(len(lists[0].ranks))
            supp[i], supp_rank[i] = index[lists[0].ranks[k]], k + 1
    return ArrayOutcome(program, rank, supp, supp_rank, 0, 1, False, np.zeros(0, np.int64))


def python_audit(instance: Instance, found: ArrayOutcome) -> tuple[tuple[object, ...], bool]:
    ids = [p.id for p in instance.programs]
    assignments = {
        a.id: Assignment(
            ids[found.program[i]] if found.program[i] >= 0 else None,
            int(found.rank[i]) if found.program[i] >= 0 else None,
            ids[found.supplemental_program[i]] if found.supplemental_program[i] >= 0 else None,
            int(found.supplemental_rank[i]) if found.supplemental_program[i] >= 0 else None,
        )
        for i, a in enumerate(instance.applicants)
    }
    capacities = {p.id: p.capacity for p in instance.programs}
    audit = check_stability(instance, assignments, capacities)
    return audit.blocking, bool(audit.violations)


@SETTINGS
@given(markets, st.randoms(use_true_random=False))
def test_numba_audit_agrees_with_the_python_audit(instance: Instance, rng: random.Random) -> None:
    market = compile_market(instance)
    found = random_matching(instance, rng)
    found = ArrayOutcome(
        found.program,
        found.rank,
        found.supplemental_program,
        found.supplemental_rank,
        0,
        1,
        False,
        np.zeros(len(instance.reversions), np.int64),
    )
    rows, violations = audit_arrays(market, found)
    blocking, broken = python_audit(instance, found)
    assert blocking_pairs(instance, market, found, rows) == blocking
    assert bool(violations) == broken


@SETTINGS
@given(markets)
def test_audited_solve_and_run_match_agree_with_the_python_audit(instance: Instance) -> None:
    found = solve(to_arrays(instance), max_attempts=3, restart_limit=8, audit=True)
    result = run_match(instance, engine="reference", max_attempts=3, restart_limit=8)
    assert found.stable == result.stable
    assert found.blocking == len(result.blocking)
