"""The stability audit on integer arrays, compiled by numba.

The same definitions as the Python audit in ``_stability`` (its docstring; that module stays the
oracle and a property test holds the two to the same answer). It reads only the market's lists
(through the market buffer of ``_kernel``: the lists and their rank look-up tables) and a
matching given per applicant (program and 1-based rank, supplemental program and rank, as in
:class:`ArrayOutcome`) with the final quotas; nothing of an engine's internal state.

Blocking pairs come back as rows ``(kind, who, position)`` in the Python audit's order:
``kind`` 0 a single applicant and the program at 0-based ``position`` on their list, 1 a
supplemental list and its entry, 2 a couple and its pair index.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matchready.match._kernel import _jit, _kernel
from matchready.match._layout import (
    M_COUPLES,
    M_N,
    M_PROGRAMS,
    MA_COUPLE,
    MA_OFF,
    MA_PRANK,
    MA_PROG,
    MA_SUPP,
    MC_FIRST,
    MC_SECOND,
    MP_APP,
    MP_OFF,
    MS_OFF,
    MS_PRANK,
    MS_PROG,
    Buffer,
)

Ints = npt.NDArray[np.int64]
SINGLE, SUPPLEMENTAL, COUPLE = 0, 1, 2


@_kernel
def _program_rank(M: Buffer, program: int, applicant: int) -> int:
    """The program's rank of the applicant, -1 if unranked (a linear scan: checks only)."""
    base = M[M[MP_OFF] + program]
    for j in range(base, M[M[MP_OFF] + program + 1]):
        if M[M[MP_APP] + j] == applicant:
            return int(j - base)
    return -1


@_kernel
def _accepts(
    h_off: Ints,
    h_rank: Ints,
    h_app: Ints,
    capacity: Ints,
    program: int,
    worst: int,
    k: int,
    e1: int,
    e2: int,
) -> bool:
    """Would the program take ``k`` members (worst rank ``worst``), counting places held by
    applicants ``e1``/``e2`` as free? Holders are sorted by rank, best first."""
    start, end = h_off[program], h_off[program + 1]
    excluded = 0
    if e1 >= 0 or e2 >= 0:
        for j in range(start, end):
            if h_app[j] == e1 or h_app[j] == e2:
                excluded += 1
    held = end - start - excluded
    free = capacity[program] - held
    if free >= k:
        return True
    needed = k - max(free, 0)
    if needed > held:
        return False
    j = end
    while needed > 0:
        j -= 1
        if excluded and (h_app[j] == e1 or h_app[j] == e2):
            continue
        needed -= 1
    return bool(h_rank[j] > worst)


@_jit
def audit(
    M: Buffer,
    capacity: Ints,
    program: Ints,
    rank: Ints,
    supplemental_program: Ints,
    supplemental_rank: Ints,
) -> tuple[Ints, int]:
    """Blocking pairs (rows ``kind, who, position``) and the number of broken rules
    (over capacity, a place not on the lists or not ranked by the program, a couple split over
    two pairs) of the matching under the final quotas ``capacity``."""
    n = M[M_N]
    programs = M[M_PROGRAMS]
    a_off, a_prog, a_prank, a_supp = M[MA_OFF], M[MA_PROG], M[MA_PRANK], M[MA_SUPP]
    s_off, s_prog, s_prank = M[MS_OFF], M[MS_PROG], M[MS_PRANK]
    violations = 0
    # each applicant's primary and supplemental list entry, and the rank held there
    entry = np.full(n, -1, dtype=np.int64)
    supp_entry = np.full(n, -1, dtype=np.int64)
    count = np.zeros(programs + 1, dtype=np.int64)
    for a in range(n):
        p = program[a]
        if p >= 0:
            k = M[a_off + a] + rank[a] - 1
            if rank[a] < 1 or k >= M[a_off + a + 1] or M[a_prog + k] != p:
                violations += 1
            else:
                entry[a] = k
            count[p + 1] += 1
        q = supplemental_program[a]
        if q >= 0:
            lst = M[a_supp + entry[a]] if entry[a] >= 0 else -1
            ok = lst >= 0 and supplemental_rank[a] >= 1
            if ok:
                ks = M[s_off + lst] + supplemental_rank[a] - 1
                ok = ks < M[s_off + lst + 1] and M[s_prog + ks] == q
            if ok:
                supp_entry[a] = ks
            else:
                violations += 1
            count[q + 1] += 1
    for p in range(programs):
        count[p + 1] += count[p]
    # each program's holders sorted by the program's rank of them (insertion sort: few each)
    h_rank = np.empty(count[programs], dtype=np.int64)
    h_app = np.empty(count[programs], dtype=np.int64)
    fill = count[:-1].copy()
    for a in range(n):
        for side in range(2):
            if side == 0:
                p = program[a]
                k = entry[a]
                r = M[a_prank + k] if k >= 0 else -1
            else:
                p = supplemental_program[a]
                k = supp_entry[a]
                r = M[s_prank + k] if k >= 0 else -1
            if p < 0:
                continue
            if k < 0:
                r = _program_rank(M, p, a)
            if r < 0:
                violations += 1
            j = fill[p]
            fill[p] += 1
            while j > count[p] and h_rank[j - 1] > r:
                h_rank[j] = h_rank[j - 1]
                h_app[j] = h_app[j - 1]
                j -= 1
            h_rank[j] = r
            h_app[j] = a
    # a single newcomer without exclusions is taken iff its rank is below the threshold:
    # anyone while a place is free, else only someone ranked above the worst holder
    threshold = np.empty(programs, dtype=np.int64)
    for p in range(programs):
        held = count[p + 1] - count[p]
        if held > capacity[p]:
            violations += 1
        if held < capacity[p]:
            threshold[p] = 1 << 62
        elif held > 0:
            threshold[p] = h_rank[count[p + 1] - 1]
        else:
            threshold[p] = -1

    rows = np.empty((16, 3), dtype=np.int64)
    found = 0
    couple_of = M[MA_COUPLE]
    for a in range(n):
        start = M[a_off + a]
        if M[couple_of + a] < 0:
            stop = M[a_off + a + 1]
            if program[a] >= 0:
                stop = min(stop, start + rank[a] - 1)
            for k in range(start, stop):
                p = M[a_prog + k]
                r = M[a_prank + k]
                if p >= 0 and 0 <= r < threshold[p]:
                    rows, found = _add(rows, found, SINGLE, a, k - start)
        lst = M[a_supp + entry[a]] if entry[a] >= 0 else -1
        if lst >= 0:
            s_start = M[s_off + lst]
            stop = M[s_off + lst + 1]
            if supplemental_program[a] >= 0:
                stop = min(stop, s_start + supplemental_rank[a] - 1)
            for k in range(s_start, stop):
                p = M[s_prog + k]
                r = M[s_prank + k]
                if 0 <= r < threshold[p]:
                    rows, found = _add(rows, found, SUPPLEMENTAL, a, k - s_start)
    for c in range(M[M_COUPLES]):
        first = M[M[MC_FIRST] + c]
        second = M[M[MC_SECOND] + c]
        held = 0
        if program[first] >= 0:
            held = rank[first]
        elif program[second] >= 0:
            held = rank[second]
        if program[first] >= 0 and program[second] >= 0 and rank[first] != rank[second]:
            violations += 1
        length = M[a_off + first + 1] - M[a_off + first]
        stop = held - 1 if held > 0 else length
        for index in range(stop):
            k1 = M[a_off + first] + index
            k2 = M[a_off + second] + index
            p1, p2 = M[a_prog + k1], M[a_prog + k2]
            r1, r2 = M[a_prank + k1], M[a_prank + k2]
            if p1 >= 0 and p1 == p2:
                ok = (
                    r1 >= 0
                    and r2 >= 0
                    and _accepts(count, h_rank, h_app, capacity, p1, max(r1, r2), 2, first, second)
                )
            else:
                ok = p1 < 0 or (
                    r1 >= 0 and _accepts(count, h_rank, h_app, capacity, p1, r1, 1, first, -1)
                )
                ok = ok and (
                    p2 < 0
                    or (
                        r2 >= 0 and _accepts(count, h_rank, h_app, capacity, p2, r2, 1, second, -1)
                    )
                )
            if ok:
                rows, found = _add(rows, found, COUPLE, c, index)
    return rows[:found].copy(), violations


@_jit
def _add(rows: Ints, found: int, kind: int, who: int, position: int) -> tuple[Ints, int]:
    if found == len(rows):
        bigger = np.empty((2 * len(rows), 3), dtype=np.int64)
        bigger[:found] = rows
        rows = bigger
    rows[found, 0] = kind
    rows[found, 1] = who
    rows[found, 2] = position
    return rows, found + 1
