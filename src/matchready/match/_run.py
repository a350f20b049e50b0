"""Running the Match: attempts with re-shuffled couple orders, the stability audit, and the
search that goes on until a stable matching is found or proven not to exist.

Roth-Peranson (reference §1.2, §5): with couples the procedure can cycle or end unstable, and
another couple order may succeed. The first ``max_attempts`` orders are tried as before (the
input order, then seeded re-shuffles). If all end unstable, the search goes on within a budget
that scales with the unstable region (:func:`search_budget`): more couple orders (the unstable
region re-processed last, :func:`region_last`, alternating with seeded shuffles), then, for a
market of at most ``exact_applicants`` applicants, the exact model (``_exact``), which returns a
stable matching or proves that none exists. The result's ``search`` says what was searched.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Literal

import numpy as np

from matchready.match._model import Instance
from matchready.match._outcome import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_RESTART_LIMIT,
    Outcome,
    couple_order,
)
from matchready.match._reference import ReferenceEngine
from matchready.match._result import Assignment, BlockingPair, Result, Search
from matchready.match._stability import Audit, audit

EngineName = Literal["fast", "reference"]

EXACT_APPLICANTS = 400
"""Markets up to this size get the exact model when the couple orders found nothing stable."""


def search_budget(region: int) -> tuple[int, float]:
    """The search budget for an unstable region of ``region`` applicants, couples and programs:
    32 more couple orders per member of the region (at least 64, at most 2,000) or 2 s of this
    process's CPU time per member (at least 10 s, at most 60 s), whichever runs out first. The
    orders are the budget; the time is a cap for a slow attempt (CPU time, so other jobs on a
    shared machine do not spend it). The exact model, when it runs, gets the time
    budget again (at least 30 s)."""
    return min(2_000, max(64, 32 * region)), min(60.0, max(10.0, 2.0 * region))


def _region(blocking: tuple[BlockingPair, ...]) -> int:
    applicants = {a for pair in blocking for a in pair.applicants}
    programs = {p for pair in blocking for p in pair.programs if p is not None}
    return len(applicants) + len(programs)


def run_match(
    instance: Instance,
    *,
    engine: EngineName = "fast",
    seed: int = 0,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    restart_limit: int = DEFAULT_RESTART_LIMIT,
    log: bool = False,
    audit: bool = True,
    search: bool = True,
    exact_applicants: int = EXACT_APPLICANTS,
) -> Result:
    """Run the NRMP Match on ``instance`` and audit the result.

    ``engine`` picks the fast array engine or the step-by-step reference; both return the same
    result. ``log`` records the reference engine's steps (the fast engine keeps no log).
    ``audit=False`` skips the independent stability audit when the engine finished without a
    cycle (its result is then stable by construction); after a cycle the audit always runs and
    decides: a stable matching is returned at once, else the next couple order is tried.

    If the first ``max_attempts`` orders all end unstable and ``search`` is on, the search goes
    on (module docstring; budget from :func:`search_budget`) and ``Result.search`` reports it.
    ``stable=False`` then means that no stable matching was found within that budget, or, when
    ``Result.search.exact == "none"``, that none exists. Without ``search`` (or when the budget
    runs out) the attempt with the fewest blocking pairs is returned.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    run = _runner(instance, engine, seed, restart_limit, log, audit)
    attempts = _attempts(run, instance, seed)
    if not instance.couples:
        return next(attempts)
    first = _first_stable(itertools.islice(attempts, max_attempts))
    if first.stable or not search:
        return first
    return _search(instance, first, run, attempts, seed, exact_applicants)


Runner = Callable[[list[int], int], Result]
"""Runs one attempt: the couple order and the attempt's number (1-based) to a result."""


def _runner(
    instance: Instance,
    engine: EngineName,
    seed: int,
    restart_limit: int,
    log: bool,
    audit: bool,
) -> Runner:
    """One attempt per call, audited as ``run_match`` says (the fast engine's arrays and audits
    are built once and shared by every attempt)."""
    if engine == "fast":
        return _fast_runner(instance, seed, restart_limit, audit)

    def run(order: list[int], attempts: int) -> Result:
        outcome = ReferenceEngine(instance, restart_limit, log).attempt(order)
        return _result(instance, outcome, engine, seed, attempts, order, audit or outcome.cycle)

    return run


def _attempts(run: Runner, instance: Instance, seed: int) -> Iterator[Result]:
    """Attempt after attempt with couple orders 0, 1, 2, ... (:func:`couple_order`)."""
    for attempt in itertools.count():
        yield run(couple_order(len(instance.couples), seed, attempt), attempt + 1)


def region_last(instance: Instance, result: Result, seed: int, round_: int) -> list[int]:
    """The couple order that re-processes the unstable region last: the couples in a blocking
    pair of ``result`` or holding a place at a program in one enter after every other couple
    (which keep their order in ``result``), in a seeded shuffle (``round_``)."""
    index = {a: c for c, pair in enumerate(instance.couples) for a in (pair.first, pair.second)}
    region: list[int] = []
    for pair in result.blocking:
        region.extend(index[a] for a in pair.applicants if a in index)
        for program in pair.programs:
            if program is not None:
                region.extend(index[a] for a in result.programs.get(program, ()) if a in index)
    region = list(dict.fromkeys(region))
    before = result.couple_order or tuple(range(len(instance.couples)))
    chosen = set(region)
    shuffled = np.random.default_rng([seed, round_, 1]).permutation(len(region))
    return [c for c in before if c not in chosen] + [region[int(i)] for i in shuffled]


def _search(
    instance: Instance,
    first: Result,
    run: Runner,
    attempts: Iterator[Result],
    seed: int,
    exact_applicants: int,
) -> Result:
    """Go on after ``first`` (the best of the first attempts, all unstable): more couple orders
    within the budget, then the exact model on a small market.

    The orders alternate: the unstable region of the best attempt so far re-processed last
    (:func:`region_last`), then the next seeded shuffle. The budget's time is this process's
    CPU time, so other jobs on a shared machine do not cut the search short."""
    from matchready.match._exact import exact_stable

    started, cpu = time.perf_counter(), time.process_time()
    region = _region(first.blocking)
    budget_attempts, budget_seconds = search_budget(region)
    best, used = first, 0
    found: Result | None = None
    orders = math.factorial(len(instance.couples)) if len(instance.couples) <= 12 else 0
    seen: set[tuple[int, ...]] = set()
    while True:
        targeted = region_last(instance, best, seed, used) if used % 2 == 0 else None
        if targeted is not None and tuple(targeted) not in seen:
            result = run(targeted, first.attempts + used + 1)
        else:
            result = next(attempts)
        used += 1
        seen.add(result.couple_order)
        if result.stable:
            found = result
            break
        if len(result.blocking) < len(best.blocking):
            best = result
        if used >= budget_attempts or time.process_time() - cpu >= budget_seconds:
            break
        if len(seen) == orders:  # every couple order has been tried
            break
    total = first.attempts + used

    def report(found_by: str, exact: str, reason: str) -> Search:
        return Search(
            region=region,
            budget_attempts=budget_attempts,
            budget_seconds=budget_seconds,
            attempts=used,
            seconds=time.perf_counter() - started,
            found_by=found_by,  # type: ignore[arg-type]
            exact=exact,  # type: ignore[arg-type]
            reason=reason,
        )

    if found is not None:
        search = report("couple order", "not run", "a couple order found a stable matching")
        return replace(found, attempts=total, search=search)
    best = replace(best, attempts=total)
    if len(instance.applicants) > exact_applicants:
        reason = f"market above {exact_applicants} applicants"
        return replace(best, search=report("none", "not run", reason))
    verdict = exact_stable(instance, time_limit=max(30.0, budget_seconds))
    if verdict.status != "stable" or verdict.assignments is None:
        return replace(best, search=report("none", verdict.status, verdict.reason))
    capacities = {p.id: p.capacity for p in instance.programs}
    exact = _from_assignments(instance, verdict.assignments, capacities, best)
    if not exact.stable:  # the model and the audit disagree: report, never hide it
        reason = "its matching failed the audit: " + "; ".join(str(b) for b in exact.blocking)
        return replace(best, search=report("none", "unknown", reason))
    return replace(exact, search=report("exact model", "stable", ""))


def _from_assignments(
    instance: Instance,
    assignments: Mapping[str, Assignment],
    capacities: dict[str, int],
    like: Result,
) -> Result:
    """A result for a matching given per applicant (no reversions applied), audited."""
    holders: dict[str, list[str]] = {p.id: [] for p in instance.programs}
    for applicant_id, seat in assignments.items():
        for place in (seat.program, seat.supplemental):
            if place is not None:
                holders[place].append(applicant_id)
    programs = {}
    for program in instance.programs:
        order_of = {a: r for r, a in enumerate(program.ranks)}
        programs[program.id] = tuple(sorted(holders[program.id], key=order_of.__getitem__))
    unfilled = {
        p: capacities[p] - len(programs[p]) for p in capacities if capacities[p] > len(programs[p])
    }
    found = audit(instance, dict(assignments), capacities)
    return replace(
        like,
        assignments=dict(assignments),
        programs=programs,
        capacities=capacities,
        unfilled=unfilled,
        proposals=0,
        reversions_applied=(),
        stable=found.ok,
        blocking=found.blocking,
        couple_order=(),
    )


def _first_stable(results: Iterator[Result]) -> Result:
    """The first stable result (later attempts are not run); else the one with the fewest
    blocking pairs, reporting every attempt made."""
    best: Result | None = None
    attempts = 0
    for result in results:
        attempts += 1
        if result.stable:
            return result
        if best is None or len(result.blocking) < len(best.blocking):
            best = result
    assert best is not None
    return replace(best, attempts=attempts)


def _fast_runner(instance: Instance, seed: int, restart_limit: int, audit: bool) -> Runner:
    """Attempts on the fast engine's arrays, with the numba stability audit (``_audit``, held
    to the Python audit by a property test) and the result's mappings built lazily."""
    from matchready.match._fast import Audits, compile_market, run_attempt
    from matchready.match._lazy import build_result

    market = compile_market(instance)
    audits = Audits(market)

    def run(order: list[int], attempts: int) -> Result:
        found = run_attempt(market, np.array(order, dtype=np.int64), restart_limit, attempts)
        audited = audit or found.cycled
        rows, violations = audits.of(found) if audited else (np.zeros((0, 3), np.int64), 0)
        return build_result(
            instance,
            market,
            found,
            rows,
            violations,
            audited,
            seed=seed,
            attempts=attempts,
            order=order,
        )

    return run


def _result(
    instance: Instance,
    outcome: Outcome,
    engine: str,
    seed: int,
    attempts: int,
    order: list[int],
    audited: bool = True,
) -> Result:
    assignments: dict[str, Assignment] = {}
    for applicant in instance.applicants:
        held = outcome.primary.get(applicant.id)
        supp = outcome.supplemental.get(applicant.id)
        assignments[applicant.id] = Assignment(
            program=held[0] if held else None,
            rank=held[1] + 1 if held else None,
            supplemental=supp[0] if supp else None,
            supplemental_rank=supp[1] + 1 if supp else None,
        )
    capacities = {p.id: p.capacity for p in instance.programs}
    applied: list[tuple[str, str, int]] = []
    for reversion in instance.reversions:
        places = outcome.reverted.get(reversion.donor, 0)
        if places:
            capacities[reversion.donor] -= places
            capacities[reversion.receiver] += places
            applied.append((reversion.donor, reversion.receiver, places))
    holders: dict[str, list[str]] = {p.id: [] for p in instance.programs}
    for applicant_id, seat in assignments.items():
        for place in (seat.program, seat.supplemental):
            if place is not None:
                holders[place].append(applicant_id)
    programs: dict[str, tuple[str, ...]] = {}
    for program in instance.programs:
        order_of = {a: r for r, a in enumerate(program.ranks)}
        programs[program.id] = tuple(sorted(holders[program.id], key=order_of.__getitem__))
    unfilled = {
        p: capacities[p] - len(programs[p]) for p in capacities if capacities[p] > len(programs[p])
    }
    found = audit(instance, assignments, capacities) if audited else Audit((), ())
    return Result(
        engine=engine,
        assignments=assignments,
        programs=programs,
        capacities=capacities,
        unfilled=unfilled,
        proposals=outcome.proposals,
        reversions_applied=tuple(applied),
        stable=found.ok,
        blocking=found.blocking,
        seed=seed,
        attempts=attempts,
        couple_order=tuple(order),
        log=outcome.log,
    )
