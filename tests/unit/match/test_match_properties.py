"""Properties on generated markets: both engines agree, results are stable (or say they are
not and list the blocking pairs), capacities hold, and singles markets agree with other
implementations and do not depend on processing order."""

from __future__ import annotations

import random
from dataclasses import replace

from algmatch import HospitalResidentsProblem
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from conftest import build_instance, random_market
from matchready.match import Instance, Result, check_stability, run_match
from matchready.match._generate import MarketSpec, generate

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

markets = st.builds(
    random_market,
    seed=st.integers(0, 10**6),
    applicants=st.integers(1, 14),
    programs=st.integers(1, 6),
    couples=st.integers(0, 3),
    supplemental=st.booleans(),
    reversions=st.integers(0, 2),
)
singles_markets = st.builds(
    random_market,
    seed=st.integers(0, 10**6),
    applicants=st.integers(1, 25),
    programs=st.integers(1, 8),
)


def assert_sound(instance: Instance, result: Result) -> None:
    audit = check_stability(instance, dict(result.assignments), dict(result.capacities))
    assert audit.violations == ()
    assert audit.blocking == result.blocking
    assert result.stable == (not result.blocking)
    for program, holders in result.programs.items():
        assert len(holders) <= result.capacities[program]


@SETTINGS
@given(markets)
def test_fast_engine_equals_reference_and_results_are_sound(instance: Instance) -> None:
    reference = run_match(instance, engine="reference", restart_limit=8, max_attempts=3)
    fast = run_match(instance, engine="fast", restart_limit=8, max_attempts=3)
    assert fast.same_matching(reference)
    assert_sound(instance, fast)
    if reference.stable:
        assert reference.blocking == ()
    else:
        assert reference.blocking or reference.attempts == 3


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 6))
def test_generated_markets_agree_and_are_stable_or_report_why(seed: int, couples: int) -> None:
    spec = MarketSpec(applicants=120, programs=18, places=100, couples=couples, specialties=4)
    instance = generate(spec, seed)
    reference = run_match(instance, engine="reference")
    fast = run_match(instance, engine="fast")
    assert fast.same_matching(reference)
    assert_sound(instance, fast)
    assert fast.stable or fast.blocking


@SETTINGS
@given(singles_markets, st.randoms(use_true_random=False))
def test_singles_result_does_not_depend_on_processing_order(
    instance: Instance, order: random.Random
) -> None:
    applicants = list(instance.applicants)
    order.shuffle(applicants)
    shuffled = replace(instance, applicants=tuple(applicants))
    first = run_match(instance, engine="fast")
    second = run_match(shuffled, engine="fast")
    assert first.stable and second.stable
    assert first.matched() == second.matched()
    # proposals = rank matched at, or list length when unmatched (reference §4)
    assert (
        first.proposals
        == second.proposals
        == sum(first.assignments[a.id].rank or len(a.ranks) for a in instance.applicants)
    )


def _mutual(instance: Instance) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Mutually ranked pairs only, without empty lists or programs without places (the other
    packages warn about those; they can match nobody anyway)."""
    open_programs = {p.id for p in instance.programs if p.capacity > 0}
    ranked_by = {p.id: set(p.ranks) for p in instance.programs}
    ranks_of = {a.id: {r for r in a.ranks if r is not None} for a in instance.applicants}
    residents = {
        a.id: [p for p in a.ranks if p in open_programs and a.id in ranked_by[p]]
        for a in instance.applicants
    }
    residents = {a: ps for a, ps in residents.items() if ps}
    hospitals = {
        p.id: [a for a in p.ranks if a in residents and p.id in ranks_of[a]]
        for p in instance.programs
        if p.id in open_programs
    }
    hospitals = {p: rs for p, rs in hospitals.items() if rs}
    residents = {a: [p for p in ps if p in hospitals] for a, ps in residents.items()}
    return residents, hospitals


@SETTINGS
@given(singles_markets)
def test_singles_result_equals_the_matching_package(instance: Instance) -> None:
    residents, hospitals = _mutual(instance)
    capacities = {p.id: p.capacity for p in instance.programs if p.id in hospitals}
    assume(residents)
    game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
    solution = game.solve(optimal="resident")
    theirs: dict[str, str | None] = {a.id: None for a in instance.applicants}
    for hospital, matched in solution.items():
        for resident in matched:
            theirs[resident.name] = hospital.name
    assert run_match(instance, engine="fast").matched() == theirs


@SETTINGS
@given(singles_markets)
def test_singles_result_equals_the_algmatch_package(instance: Instance) -> None:
    residents, hospitals = _mutual(instance)
    r_index = {a.id: i + 1 for i, a in enumerate(instance.applicants)}
    h_index = {p.id: i + 1 for i, p in enumerate(instance.programs)}
    data = {
        "residents": {r_index[a]: [h_index[p] for p in ps] for a, ps in residents.items()},
        "hospitals": {
            h_index[p.id]: {
                "capacity": p.capacity,
                "preferences": [r_index[a] for a in hospitals[p.id]],
            }
            for p in instance.programs
            if p.id in hospitals
        },
    }
    matching = HospitalResidentsProblem(dictionary=data).get_stable_matching()
    assert matching is not None
    names = {f"h{i}": p for p, i in h_index.items()}
    sided = matching["resident_sided"]
    theirs = {a.id: names.get(sided.get(f"r{r_index[a.id]}", "")) for a in instance.applicants}
    assert run_match(instance, engine="fast").matched() == theirs


def test_couples_enter_in_their_turn_only() -> None:
    # regression: a program re-checked during the singles phase (here PRE, which s1's
    # supplemental place left) used to pull in couples before their turn, which made the couple
    # order irrelevant and left national seeds 0 and 1 cycling in every couple order
    instance = build_instance(
        {"ADV": 1, "PRE": 1},
        {"s1": ["ADV"], "s2": ["ADV"], "s3": ["PRE"], "c1": ["PRE"], "c2": [None]},
        {"ADV": ["s2", "s1"], "PRE": ["s1", "s3", "c1"]},
        couples=[("c1", "c2")],
        kinds={"ADV": "advanced", "PRE": "preliminary"},
        supplemental={"s1": [(["ADV"], ["PRE"])]},
    )
    for engine in ("reference", "fast"):
        result = run_match(instance, engine=engine, log=True)  # type: ignore[arg-type]
        assert result.matched() == {"s1": None, "s2": "ADV", "s3": "PRE", "c1": None, "c2": None}
        assert result.stable
    log = run_match(instance, engine="reference", log=True).log
    # the couple enters after every single (s3 holds PRE by then): it is never placed
    assert "couple c1+c2 tentatively matched to pair 1 ('PRE', None)" not in log
    assert log[-1] == "pair 1 ('PRE', None) rejects couple c1+c2"
