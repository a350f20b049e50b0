"""Running the Match: attempts with re-shuffled couple orders, then the stability audit.

Roth-Peranson (reference §1.2, §5): with couples the procedure can cycle. An attempt that cycles
is retried with the couples entering in a seeded random order; after ``max_attempts`` the last
attempt's matching is returned with ``stable=False`` and the blocking pairs it leaves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Literal

from matchready.match._model import Instance
from matchready.match._outcome import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_RESTART_LIMIT,
    Outcome,
    couple_order,
)
from matchready.match._reference import ReferenceEngine
from matchready.match._result import Assignment, Result
from matchready.match._stability import Audit, audit

EngineName = Literal["fast", "reference"]


def run_match(
    instance: Instance,
    *,
    engine: EngineName = "fast",
    seed: int = 0,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    restart_limit: int = DEFAULT_RESTART_LIMIT,
    log: bool = False,
    audit: bool = True,
) -> Result:
    """Run the NRMP Match on ``instance`` and audit the result.

    ``engine`` picks the fast array engine or the step-by-step reference; both return the same
    result. ``log`` records the reference engine's steps (the fast engine keeps no log).
    ``audit=False`` skips the independent stability audit when the engine finished without a
    cycle (its result is then stable by construction); after a cycle the audit always runs and
    decides: a stable matching is returned at once, else the next couple order is tried, and
    after ``max_attempts`` the attempt with the fewest blocking pairs is returned.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    attempts = max_attempts if instance.couples else 1
    if engine == "fast":
        return _first_stable(_fast_attempts(instance, seed, attempts, restart_limit, audit))

    def reference_attempts() -> Iterator[Result]:
        for attempt in range(attempts):
            order = couple_order(len(instance.couples), seed, attempt)
            outcome = ReferenceEngine(instance, restart_limit, log).attempt(order)
            yield _result(
                instance, outcome, engine, seed, attempt + 1, order, audit or outcome.cycle
            )

    return _first_stable(reference_attempts())


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


def _fast_attempts(
    instance: Instance, seed: int, attempts: int, restart_limit: int, audit: bool
) -> Iterator[Result]:
    """The attempts on the fast engine's arrays, with the numba stability audit (``_audit``,
    held to the Python audit by a property test) and the result's mappings built lazily."""
    import numpy as np

    from matchready.match._fast import Audits, compile_market, run_attempt
    from matchready.match._lazy import build_result

    market = compile_market(instance)
    audits = Audits(market)
    for attempt in range(attempts):
        order = couple_order(len(instance.couples), seed, attempt)
        found = run_attempt(market, np.array(order, dtype=np.int64), restart_limit, attempt + 1)
        audited = audit or found.cycled
        rows, violations = audits.of(found) if audited else (np.zeros((0, 3), np.int64), 0)
        yield build_result(
            instance,
            market,
            found,
            rows,
            violations,
            audited,
            seed=seed,
            attempts=attempt + 1,
            order=order,
        )


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
