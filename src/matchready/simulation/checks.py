"""Checks of the simulator against what it promises, run per seed (picklable for the runner):
the per-specialty agreement with the odds model for an applicant at each specialty's published
figures, and monotonicity on full markets. bench/bench_sim_calibration.py runs them at scale
and writes the figures; tests run them on small markets."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from matchready.domain.facts import Facts
from matchready.match import solve
from matchready.simulation.applicant import (
    SimApplicant,
    Strategy,
    draws_for,
    insert,
    placement,
    rank_list,
    step2_distribution,
    step2_z,
)
from matchready.simulation.calibration import Parameters
from matchready.simulation.layout import NON_US_IMG, Layout, SpecialtyTarget
from matchready.simulation.market import SimulatedMarket, generate


@dataclass(frozen=True)
class Typical:
    """The typical non-US IMG who ranked `code` first: the mean Step 2 CK of its applicants
    (matched and unmatched weighted by the rate) and the geometric mean of the matched and
    unmatched median contiguous ranks, rounded (at least 1)."""

    code: str
    step2ck: int
    ranks: int


def typical_applicants(facts: Facts, layout: Layout) -> list[Typical]:
    """One typical applicant per calibrated specialty, in the layout's order."""
    found = []
    pooled = facts.specialty("ALL")
    for target in layout.specialty_targets:
        stats = facts.specialty(target.code)
        if not target.calibrated or stats is None:
            continue
        mean, _ = step2_distribution(stats, pooled)
        crm = stats.contiguous_ranks_matched_median or 1.0
        cru = stats.contiguous_ranks_unmatched_median or 1.0
        found.append(Typical(target.code, round(mean), max(1, round(math.sqrt(crm * cru)))))
    return found


def typical_z(facts: Facts, person: Typical) -> float:
    stats = facts.specialty(person.code)
    assert stats is not None
    return step2_z(facts, stats, person.step2ck)[0]


def typical_seed(
    layout: Layout,
    parameters: Parameters,
    people: tuple[tuple[Typical, float], ...],
    seed: int,
    layouts: tuple[Layout, ...] = (),
) -> tuple[bool, ...]:
    """In the market of `seed`: did each typical applicant (with their Step 2 CK z-score)
    match to their specialty? One inserted applicant at a time, in the market of `layout`, or
    person j in that of `layouts[j]` when given (as `simulate` builds it for them: their
    specialty kept at FOCUS_PROGRAMS programs at least)."""
    markets: dict[int, SimulatedMarket] = {}
    found = []
    for j, (person, z) in enumerate(people):
        shape = layouts[j] if layouts else layout
        if id(shape) not in markets:
            markets[id(shape)] = generate(shape, parameters, seed)
        market = markets[id(shape)]
        me = market.arrays.applicants
        applicant = SimApplicant(NON_US_IMG, z, person.step2ck)
        draws = draws_for(market, applicant, seed)
        primary, sup = rank_list(market, draws, Strategy(person.code, person.ranks))
        outcome = solve(insert(market, draws, primary, sup), seed=seed)
        found.append(placement(market, outcome, me).specialty == person.code)
    return tuple(found)


def monotone_seed(
    layout: Layout,
    parameters: Parameters,
    code: str,
    scores: tuple[float, ...],
    ranks: tuple[int, ...],
    seed: int,
) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """In the market of `seed` (couples included): matched or not at each Step 2 CK z-score in
    `scores` (at the first of `ranks`), and at each list length in `ranks` (at z = 0)."""
    market = generate(layout, parameters, seed)
    me = market.arrays.applicants

    def matched(z: float, count: int) -> bool:
        applicant = SimApplicant(NON_US_IMG, z, None)
        draws = draws_for(market, applicant, seed)
        primary, sup = rank_list(market, draws, Strategy(code, count))
        return placement(market, solve(insert(market, draws, primary, sup), seed=seed), me).matched

    by_score = tuple(matched(z, ranks[0]) for z in scores)
    by_ranks = tuple(matched(0.0, k) for k in ranks)
    return by_score, by_ranks


ORDER_MARGIN = 10.0
"""Points: a pair of specialties counts for the order check when their published rates differ by
more than this (about twice the simulator's standard error on a difference at 200 markets)."""


def published_se(target: SpecialtyTarget) -> float:
    """Binomial standard error (points) of a published rate: its cohort is a sample too."""
    p = target.rate / 100
    return 100 * math.sqrt(max(p * (1 - p), 1e-9) / max(target.preferred, 1))


def order_violations(
    targets: Sequence[SpecialtyTarget], simulated: Sequence[float]
) -> list[tuple[str, str]]:
    """The pairs (higher published first) that the simulator puts in the wrong order, among
    the pairs whose published rates differ by more than ORDER_MARGIN points and by more than
    twice the standard error of that difference (so a small cohort's rate, e.g. 29 applicants,
    is not read as a firm order). `simulated` is P(match to the specialty), in percent, of
    each specialty's own typical applicant, in `targets`' order."""
    found = []
    for a, b in itertools.permutations(range(len(targets)), 2):
        gap = targets[a].rate - targets[b].rate
        se = math.hypot(published_se(targets[a]), published_se(targets[b]))
        if gap > ORDER_MARGIN and gap > 2 * se and simulated[a] <= simulated[b]:
            found.append((targets[a].code, targets[b].code))
    return found
