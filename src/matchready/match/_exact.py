"""An exact model: does a stable matching exist, and which? (HiGHS MILP through scipy).

With couples, deciding whether a stable matching exists is NP-complete (Ronn 1990; Biró,
Manlove & McBride 2014), and the sequential procedure can miss one that exists. This module
writes the market as an integer program in the style of Biró, Manlove & McBride's HRC model
(one binary per place an applicant or a couple can hold, capacity rows, and one stability row
per list entry), under the adopted definition (``_stability``, "own-seat"), and lets HiGHS
decide: a feasible solution is a stable matching, infeasibility is a proof that none exists.

Variables: ``x`` a single at a rank, ``y`` a couple at a pair, ``s`` a supplemental rank; the
thresholds ``u[p, r] = 1`` only if program ``p`` is full with applicants it ranks above ``r``
(it then refuses everyone ranked ``r`` or lower, and nobody ranked there holds a place; ``u`` is
monotone in ``r``); and ``w[c, p] = 1`` only if ``p`` holds at least ``capacity - 1`` applicants
other than couple ``c``'s partners that it ranks above the worse partner (it cannot take both).
Stability rows: a single or supplemental entry above the place held needs ``u`` of its program
at the applicant's rank; a couple's pair above the one held needs one refusing side (``u`` at
the member's rank, which counts the member's own place as free, or ``w``). The thresholds made
HiGHS decide hard 60-applicant markets in 20-40 s (loaded machine) instead of not within 200 s.
Reversions make quotas depend on the matching
and are not modelled: such a market gets ``status="unknown"``.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import numpy as np

from matchready.match._model import Instance
from matchready.match._result import Assignment

ExactStatus = Literal["stable", "none", "unknown"]


@dataclass(frozen=True)
class Exact:
    """What the exact model decided.

    ``status`` is ``"stable"`` (``assignments`` is a stable matching), ``"none"`` (the model is
    infeasible: no stable matching exists, under the adopted definition) or ``"unknown"`` (not
    decided: ``reason`` says why, e.g. the time limit or reversions)."""

    status: ExactStatus
    assignments: dict[str, Assignment] | None
    variables: int
    rows: int
    seconds: float
    reason: str = ""


class _Model:
    """Sparse rows ``lower <= A x <= upper`` over binary columns, built row by row."""

    def __init__(self) -> None:
        self.columns = 0
        self.data: list[float] = []
        self.row_index: list[int] = []
        self.col_index: list[int] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def column(self) -> int:
        self.columns += 1
        return self.columns - 1

    def row(self, terms: dict[int, float], lower: float, upper: float) -> None:
        index = len(self.lower)
        for column, value in terms.items():
            if value:
                self.row_index.append(index)
                self.col_index.append(column)
                self.data.append(value)
        self.lower.append(lower)
        self.upper.append(upper)


def exact_stable(instance: Instance, *, time_limit: float = 10.0) -> Exact:
    """Decide whether ``instance`` has a stable matching (adopted definition) and return one.

    ``time_limit`` (seconds) bounds HiGHS; past it the answer is ``"unknown"``."""
    started = time.perf_counter()
    if instance.reversions:
        return Exact("unknown", None, 0, 0, 0.0, "reversions are not modelled")
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    model = _Model()
    ranks = {p.id: {a: r for r, a in enumerate(p.ranks)} for p in instance.programs}
    capacity = {p.id: p.capacity for p in instance.programs}
    partner = instance.partner_of()
    # placements: program -> [(rank of the applicant there, column, applicant, supplemental?)]
    at: dict[str, list[tuple[int, int, str, bool]]] = defaultdict(list)
    # applicant -> program -> columns placing the applicant there (primary lists)
    placed: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    singles: dict[str, list[int | None]] = {}
    for applicant in instance.applicants:
        if applicant.id in partner:
            continue
        columns: list[int | None] = []
        for program in applicant.ranks:
            assert program is not None
            rank = ranks[program].get(applicant.id)
            if rank is None or capacity[program] == 0:
                columns.append(None)
                continue
            column = model.column()
            columns.append(column)
            at[program].append((rank, column, applicant.id, False))
            placed[applicant.id][program].append(column)
        singles[applicant.id] = columns
    couples: list[list[int | None]] = []
    for couple in instance.couples:
        first, second = instance.applicant(couple.first), instance.applicant(couple.second)
        columns = []
        for p1, p2 in zip(first.ranks, second.ranks, strict=True):
            sides = [(couple.first, p1), (couple.second, p2)]
            if any(p is not None and couple_member not in ranks[p] for couple_member, p in sides):
                columns.append(None)
                continue
            column = model.column()
            columns.append(column)
            for member, program in sides:
                if program is not None:
                    at[program].append((ranks[program][member], column, member, False))
                    placed[member][program].append(column)
        couples.append(columns)
    supplemental: list[tuple[str, list[int], list[tuple[str, int | None]]]] = []
    for applicant in instance.applicants:
        for lst in applicant.supplemental:
            active = [c for link in lst.links for c in placed[applicant.id].get(link, [])]
            entries: list[tuple[str, int | None]] = []
            for program in lst.ranks:
                rank = ranks[program].get(applicant.id)
                if rank is None or capacity[program] == 0:
                    entries.append((program, None))
                    continue
                column = model.column()
                entries.append((program, column))
                at[program].append((rank, column, applicant.id, True))
            supplemental.append((applicant.id, active, entries))

    def better(
        program: str, rank: int, exclude: tuple[str, ...] = (), own: str | None = None
    ) -> dict[int, float]:
        """-1 per column placing someone the program ranks above ``rank`` (not ``exclude``);
        ``own``'s supplemental place there counts too (it is not free for its primary list)."""
        terms: dict[int, float] = {}
        for held_rank, column, who, supp in at[program]:
            if (held_rank < rank and who not in exclude) or (supp and who == own):
                terms[column] = terms.get(column, 0.0) - 1.0
        return terms

    thresholds: dict[str, dict[int, int]] = defaultdict(dict)

    def threshold(program: str, rank: int) -> int:
        """u = 1 only if the program is full with applicants it ranks above ``rank`` (it then
        refuses everyone from ``rank`` down: nobody ranked there or lower holds a place)."""
        made = thresholds[program]
        if rank not in made:
            made[rank] = column = model.column()
            cap = capacity[program]
            terms = better(program, rank)  # cap * u - fb <= 0
            terms[column] = float(cap)
            model.row(terms, -np.inf, 0)
            below = {c: 1.0 for held_rank, c, _, _ in at[program] if held_rank >= rank}
            below[column] = below.get(column, 0.0) + cap  # sum below + cap * u <= cap
            model.row(below, -np.inf, cap)
        return made[rank]

    # one place each
    for columns in [*singles.values(), *couples]:
        chosen = {c: 1.0 for c in columns if c is not None}
        if len(chosen) > 1:
            model.row(chosen, 0, 1)
    for _, active, entries in supplemental:
        terms = {c: 1.0 for _, c in entries if c is not None}
        for c in active:
            terms[c] = terms.get(c, 0.0) - 1.0
        if terms:
            model.row(terms, -np.inf, 0)
    # capacities
    for program, held in at.items():
        terms = {}
        for _, column, _, _ in held:
            terms[column] = terms.get(column, 0.0) + 1.0
        if sum(terms.values()) > capacity[program]:
            model.row(terms, 0, capacity[program])
    # singles: an entry above the one held -> the program is full with better applicants
    for applicant_id, columns in singles.items():
        ranked = instance.applicant(applicant_id).ranks
        held_so_far: list[int] = []
        for program, entry in zip(ranked, columns, strict=True):
            assert program is not None
            if entry is not None:
                held_so_far.append(entry)
            rank = ranks[program].get(applicant_id)
            cap = capacity[program]
            if rank is None or cap == 0:
                continue
            if any(program in lst.ranks for lst in instance.applicant(applicant_id).supplemental):
                terms = better(program, rank, own=applicant_id)
                for c in held_so_far:
                    terms[c] = terms.get(c, 0.0) - cap
                model.row(terms, -np.inf, -cap)  # fb + cap * held_so_far >= cap
                continue
            terms = dict.fromkeys(held_so_far, 1.0)  # held_so_far + u >= 1
            u = threshold(program, rank)
            terms[u] = terms.get(u, 0.0) + 1.0
            model.row(terms, 1, np.inf)
    for applicant_id, active, entries in supplemental:
        held_so_far = []
        for program, entry in entries:
            if entry is not None:
                held_so_far.append(entry)
            rank = ranks[program].get(applicant_id)
            cap = capacity[program]
            if rank is None or cap == 0:
                continue
            u = threshold(program, rank)  # active - held_so_far - u <= 0
            terms = dict.fromkeys(active, 1.0)
            for c in held_so_far:
                terms[c] = terms.get(c, 0.0) - 1.0
            terms[u] = terms.get(u, 0.0) - 1.0
            model.row(terms, -np.inf, 0)
    # couples: refusals, then one refusing side per pair above the one held
    refuses_both: dict[tuple[int, str], int] = {}

    def refusal(program: str, member: str) -> int:
        return threshold(program, ranks[program][member])

    def refusal_both(index: int, program: str, first: str, second: str) -> int:
        key = (index, program)
        if key not in refuses_both:
            refuses_both[key] = column = model.column()
            worst = max(ranks[program][first], ranks[program][second])
            terms = better(program, worst, (first, second))  # (cap - 1) * w - fb <= 0
            terms[column] = float(capacity[program] - 1)
            model.row(terms, -np.inf, 0)
        return refuses_both[key]

    for index, (couple, columns) in enumerate(zip(instance.couples, couples, strict=True)):
        first, second = instance.applicant(couple.first), instance.applicant(couple.second)
        held_so_far = []
        for (p1, p2), entry in zip(
            zip(first.ranks, second.ranks, strict=True), columns, strict=True
        ):
            if entry is not None:
                held_so_far.append(entry)
            sides = [(couple.first, p1), (couple.second, p2)]
            if any(p is not None and m not in ranks[p] for m, p in sides):
                continue  # a side that does not rank its partner never takes them
            terms = dict.fromkeys(held_so_far, 1.0)
            if p1 is not None and p1 == p2:
                if capacity[p1] < 2:
                    continue
                refuse = refusal_both(index, p1, couple.first, couple.second)
                terms[refuse] = terms.get(refuse, 0.0) + 1.0
            else:
                for member, program in sides:
                    if program is not None:
                        refuse = refusal(program, member)
                        terms[refuse] = terms.get(refuse, 0.0) + 1.0
            model.row(terms, 1, np.inf)

    for made in thresholds.values():
        ordered = [made[r] for r in sorted(made)]
        for lower, higher in itertools.pairwise(ordered):
            model.row({lower: 1.0, higher: -1.0}, -np.inf, 0)  # refusing r refuses r + 1
    size = model.columns
    rows = len(model.lower)
    if size == 0:
        return _decode(instance, np.zeros(0), singles, couples, supplemental, 0, rows, started)
    matrix = csr_array(
        (model.data, (model.row_index, model.col_index)), shape=(rows, size), dtype=np.float64
    )
    constraints = [LinearConstraint(matrix, model.lower, model.upper)] if rows else []
    solution = milp(
        c=np.zeros(size),
        integrality=np.ones(size),
        bounds=Bounds(0, 1),
        constraints=constraints,
        options={"time_limit": time_limit, "presolve": True},
    )
    if solution.status == 0 and solution.x is not None:
        return _decode(instance, solution.x, singles, couples, supplemental, size, rows, started)
    seconds = time.perf_counter() - started
    if solution.status == 2:
        return Exact("none", None, size, rows, seconds, "the integer program is infeasible")
    return Exact("unknown", None, size, rows, seconds, f"HiGHS: {solution.message}")


def _decode(
    instance: Instance,
    x: np.ndarray,
    singles: dict[str, list[int | None]],
    couples: list[list[int | None]],
    supplemental: list[tuple[str, list[int], list[tuple[str, int | None]]]],
    size: int,
    rows: int,
    started: float,
) -> Exact:
    """The matching the solution's binaries describe."""
    chosen = x > 0.5
    primary: dict[str, tuple[str, int]] = {}
    for applicant_id, columns in singles.items():
        ranked = instance.applicant(applicant_id).ranks
        for rank, column in enumerate(columns, 1):
            if column is not None and chosen[column]:
                program = ranked[rank - 1]
                assert program is not None
                primary[applicant_id] = (program, rank)
    for couple, columns in zip(instance.couples, couples, strict=True):
        for rank, column in enumerate(columns, 1):
            if column is not None and chosen[column]:
                for member in (couple.first, couple.second):
                    program = instance.applicant(member).ranks[rank - 1]
                    if program is not None:
                        primary[member] = (program, rank)
    extra: dict[str, tuple[str, int]] = {}
    for applicant_id, _, entries in supplemental:
        for rank, (program, column) in enumerate(entries, 1):
            if column is not None and chosen[column]:
                extra[applicant_id] = (program, rank)
    assignments = {}
    for applicant in instance.applicants:
        held = primary.get(applicant.id)
        supp = extra.get(applicant.id)
        assignments[applicant.id] = Assignment(
            held[0] if held else None,
            held[1] if held else None,
            supp[0] if supp else None,
            supp[1] if supp else None,
        )
    seconds = time.perf_counter() - started
    return Exact("stable", assignments, size, rows, seconds)
