"""The search after the first couple orders: the unstable region re-processed last."""

from __future__ import annotations

from conftest import build_instance
from matchready.match import BlockingPair, MarketSpec, generate, run_match
from matchready.match._run import region_last


def test_region_last_puts_the_couples_of_the_unstable_region_last() -> None:
    instance = build_instance(
        {"P": 1, "Q": 1, "R": 1},
        {"a": ["P"], "b": ["Q"], "c": ["R"], "d": ["R"], "e": ["Q"], "f": ["P"]},
        {"P": ["a", "f"], "Q": ["b", "e"], "R": ["c", "d"]},
        couples=[("a", "b"), ("c", "d"), ("e", "f")],
    )
    result = run_match(instance, search=False)
    # couple 1 (c+d) in a blocking pair; couple 0 holds a place (a at P) at a program in one
    unstable = BlockingPair("couple", ("c", "d"), ("P", None))
    blocked = type(result)(
        **{**result.__dict__, "blocking": (unstable,), "couple_order": (0, 1, 2)}
    )
    order = region_last(instance, blocked, seed=0, round_=0)
    assert sorted(order) == [0, 1, 2]
    assert order[0] == 2  # outside the region: keeps its place in front
    assert set(order[1:]) == {0, 1}


def test_default_search_finds_the_stable_matching_the_loaded_machine_missed() -> None:
    # bench "Match search", 2026-12-01: 1,000 applicants, 40% in couples, seed 1. All 8 first
    # orders end unstable; the default search stopped at its 10 s wall-time cap after about 20
    # orders on a loaded machine, where order 36 was stable. Re-processing the unstable region
    # last is stable on its first order.
    spec = MarketSpec(applicants=1_000, programs=140, places=915, couples=200, reversion_share=0.0)
    instance = generate(spec, 1)
    assert not run_match(instance, search=False).stable
    result = run_match(instance)
    assert result.stable
    assert result.search is not None
    assert (result.search.attempts, result.search.found_by) == (1, "couple order")
    assert result.attempts == 9
