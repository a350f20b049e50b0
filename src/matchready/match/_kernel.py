"""The fast engine's kernel: the reference procedure on integer arrays, compiled by numba.

Same steps, same stack order, same result as ``_reference`` (see its docstring for steps 1-6);
only the data differs. Applicants, programs and couples are integers. Rank order lists are flat
arrays with offsets, and each applicant's entry carries the program's rank of that applicant
(the rank look-up table), so a proposal costs O(1) plus an insertion into the program's sorted
list of held ranks. Units on the stack: applicant ``a`` (a single), ``n + a`` (the
supplemental list of ``a``) and ``2n + c`` (couple ``c``), where ``n`` is the applicant count.

Every function takes the market ``m`` (read-only arrays) and the state ``s`` (mutable arrays);
their layouts are the ``M_*`` and ``S_*`` positions below. No exception is used inside, so the
kernel compiles in numba's nopython mode; a cycle sets a flag that every loop checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

F = TypeVar("F", bound=Callable[..., object])


def _jit(function: F) -> F:
    """Compile lazily (on first call) in nopython mode, caching the machine code on disk."""
    return cast(F, numba.njit(cache=True)(function))


Array = npt.NDArray[np.int64]
Arrays = tuple[Array, ...]

# market arrays
(
    M_A_OFF,
    M_A_PROG,
    M_A_PRANK,
    M_A_SUPP,
    M_A_COUPLE,
    M_P_OFF,
    M_P_APP,
    M_P_APOS,
    M_S_OFF,
    M_S_PROG,
    M_S_PRANK,
    M_C_FIRST,
    M_C_SECOND,
    M_REV_DONOR,
    M_REV_RECV,
    M_H_OFF,
) = range(16)
# state arrays
(
    S_CAP,
    S_H_CNT,
    S_H_RANK,
    S_PRIM_P,
    S_PRIM_K,
    S_SUPP_P,
    S_SUPP_K,
    S_PAIR,
    S_NEXT,
    S_RESTARTS,
    S_QUEUED,
    S_STACK,
    S_PSTACK,
    S_IN_PSTACK,
    S_REVERTED,
    S_SCALARS,
) = range(16)
# scalars in S_SCALARS
PROPOSALS, CYCLE, TOP, PTOP, LIMIT, N_APPLICANTS, CYCLING_UNIT = range(7)


@_jit
def push(s: Arrays, unit: int) -> None:
    """Put a unit on the applicant stack unless it is already there."""
    if s[S_QUEUED][unit] == 0:
        s[S_QUEUED][unit] = 1
        sc = s[S_SCALARS]
        s[S_STACK][sc[TOP]] = unit
        sc[TOP] += 1


@_jit
def restart(s: Arrays, unit: int) -> None:
    """Step 4: re-enter from the top. A unit past the restart limit is in a cycle: it is
    flagged and frozen (it keeps its place and is not restarted again), so the attempt ends."""
    s[S_RESTARTS][unit] += 1
    if s[S_RESTARTS][unit] > s[S_SCALARS][LIMIT]:
        s[S_SCALARS][CYCLE] = 1
        s[S_SCALARS][CYCLING_UNIT] = unit
        return
    s[S_NEXT][unit] = 0
    push(s, unit)


@_jit
def drop(s: Arrays, program: int) -> None:
    """A program lost an applicant without a replacement: put it on the program stack."""
    if s[S_IN_PSTACK][program] == 0:
        s[S_IN_PSTACK][program] = 1
        sc = s[S_SCALARS]
        s[S_PSTACK][sc[PTOP]] = program
        sc[PTOP] += 1


@_jit
def holder(m: Arrays, program: int, rank: int) -> int:
    """The applicant a program ranks at ``rank``."""
    return int(m[M_P_APP][m[M_P_OFF][program] + rank])


@_jit
def accepts(m: Arrays, s: Arrays, program: int, worst: int, k: int, e1: int, e2: int) -> bool:
    """Would ``program`` take ``k`` members whose worst rank is ``worst``, ignoring seats held
    by applicants ``e1`` and ``e2`` (-1 for none)? Members must all be ranked (``worst >= 0``)."""
    count = s[S_H_CNT][program]
    excluded = 0
    for e in (e1, e2):
        if e >= 0 and (s[S_PRIM_P][e] == program or s[S_SUPP_P][e] == program):
            excluded += 1
    held = count - excluded
    excess = held + k - s[S_CAP][program]
    if excess <= 0:
        return True
    if excess > held:
        return False
    base = m[M_H_OFF][program]
    j = count - 1
    seen = 0
    while seen < excess:
        rank = s[S_H_RANK][base + j]
        j -= 1
        applicant = holder(m, program, rank)
        if applicant in (e1, e2):
            continue
        if rank <= worst:  # equal only when the member already holds this place
            return False
        seen += 1
    return True


@_jit
def insert(m: Arrays, s: Arrays, program: int, rank: int) -> None:
    """Insert a held rank, keeping the program's held ranks sorted (best first)."""
    base = m[M_H_OFF][program]
    ranks = s[S_H_RANK]
    j = base + s[S_H_CNT][program]
    while j > base and ranks[j - 1] > rank:
        ranks[j] = ranks[j - 1]
        j -= 1
    ranks[j] = rank
    s[S_H_CNT][program] += 1


@_jit
def remove(m: Arrays, s: Arrays, program: int, rank: int) -> None:
    """Remove a held rank from the program."""
    base = m[M_H_OFF][program]
    ranks = s[S_H_RANK]
    end = base + s[S_H_CNT][program]
    j = base
    while ranks[j] != rank:
        j += 1
    while j < end - 1:
        ranks[j] = ranks[j + 1]
        j += 1
    s[S_H_CNT][program] -= 1


@_jit
def release_supp(m: Arrays, s: Arrays, applicant: int) -> None:
    """Withdraw an applicant's supplemental PGY-1 place."""
    program = s[S_SUPP_P][applicant]
    if program >= 0:
        remove(m, s, program, m[M_S_PRANK][s[S_SUPP_K][applicant]])
        s[S_SUPP_P][applicant] = -1
        drop(s, program)


@_jit
def release_primary(m: Arrays, s: Arrays, applicant: int) -> None:
    """Withdraw an applicant's primary place (and with it the supplemental place)."""
    program = s[S_PRIM_P][applicant]
    if program >= 0:
        remove(m, s, program, m[M_A_PRANK][s[S_PRIM_K][applicant]])
        s[S_PRIM_P][applicant] = -1
        drop(s, program)
    release_supp(m, s, applicant)


@_jit
def displaced(m: Arrays, s: Arrays, applicant: int, program: int) -> None:
    """Steps 1-3: a removed applicant re-enters; a couple member withdraws the partner."""
    n = s[S_SCALARS][N_APPLICANTS]
    if s[S_SUPP_P][applicant] == program:
        s[S_SUPP_P][applicant] = -1
        push(s, n + applicant)
        return
    s[S_PRIM_P][applicant] = -1
    release_supp(m, s, applicant)
    couple = m[M_A_COUPLE][applicant]
    if couple >= 0:
        s[S_PAIR][couple] = -1
        partner = m[M_C_SECOND][couple]
        if partner == applicant:
            partner = m[M_C_FIRST][couple]
        release_primary(m, s, partner)
        push(s, 2 * n + couple)
    else:
        push(s, applicant)


@_jit
def seat(m: Arrays, s: Arrays, program: int, r1: int, r2: int) -> None:
    """Add one or two held ranks; remove least-preferred holders beyond capacity."""
    insert(m, s, program, r1)
    if r2 >= 0:
        insert(m, s, program, r2)
    while s[S_H_CNT][program] > s[S_CAP][program]:
        last = m[M_H_OFF][program] + s[S_H_CNT][program] - 1
        worst = s[S_H_RANK][last]
        s[S_H_CNT][program] -= 1
        displaced(m, s, holder(m, program, worst), program)


@_jit
def supp_list(m: Arrays, s: Arrays, applicant: int) -> int:
    """The supplemental list linked to the applicant's held advanced program, or -1."""
    if s[S_PRIM_P][applicant] < 0:
        return -1
    return int(m[M_A_SUPP][s[S_PRIM_K][applicant]])


@_jit
def start_supp(m: Arrays, s: Arrays, applicant: int) -> None:
    """Step 3: an applicant holding a linked advanced program starts its PGY-1 list."""
    lst = supp_list(m, s, applicant)
    if lst >= 0 and m[M_S_OFF][lst + 1] > m[M_S_OFF][lst]:
        unit = s[S_SCALARS][N_APPLICANTS] + applicant
        s[S_NEXT][unit] = 0
        push(s, unit)


@_jit
def pair_acceptable(m: Arrays, s: Arrays, first: int, second: int, index: int) -> bool:
    """Step 2: each side of pair ``index`` would take its partner; one program twice needs two."""
    k1 = m[M_A_OFF][first] + index
    k2 = m[M_A_OFF][second] + index
    p1 = m[M_A_PROG][k1]
    p2 = m[M_A_PROG][k2]
    r1 = m[M_A_PRANK][k1]
    r2 = m[M_A_PRANK][k2]
    if p1 >= 0 and p1 == p2:
        return r1 >= 0 and r2 >= 0 and accepts(m, s, p1, max(r1, r2), 2, first, second)
    if p1 >= 0 and (r1 < 0 or not accepts(m, s, p1, r1, 1, first, -1)):
        return False
    return p2 < 0 or (r2 >= 0 and accepts(m, s, p2, r2, 1, second, -1))


@_jit
def process_single(m: Arrays, s: Arrays, applicant: int) -> None:
    """Steps 1 and 4: go down the list from where the applicant resumes; a restarted
    applicant keeps the held place unless a better choice accepts them."""
    start = m[M_A_OFF][applicant]
    held = s[S_PRIM_P][applicant] >= 0
    stop = s[S_PRIM_K][applicant] if held else m[M_A_OFF][applicant + 1]
    sc = s[S_SCALARS]
    for k in range(start + s[S_NEXT][applicant], stop):
        sc[PROPOSALS] += 1
        rank = m[M_A_PRANK][k]
        program = m[M_A_PROG][k]
        if rank >= 0 and accepts(m, s, program, rank, 1, -1, -1):
            release_primary(m, s, applicant)
            s[S_NEXT][applicant] = k - start + 1
            s[S_PRIM_P][applicant] = program
            s[S_PRIM_K][applicant] = k
            seat(m, s, program, rank, -1)
            start_supp(m, s, applicant)
            return
    s[S_NEXT][applicant] = stop - start + 1 if held else stop - start


@_jit
def process_supp(m: Arrays, s: Arrays, applicant: int) -> None:
    """Steps 3 and 4: go down the supplemental PGY-1 list linked to the held advanced program."""
    unit = s[S_SCALARS][N_APPLICANTS] + applicant
    lst = supp_list(m, s, applicant)
    if lst < 0:
        s[S_NEXT][unit] = 0
        return
    start = m[M_S_OFF][lst]
    held = s[S_SUPP_P][applicant] >= 0
    stop = s[S_SUPP_K][applicant] if held else m[M_S_OFF][lst + 1]
    sc = s[S_SCALARS]
    for k in range(start + s[S_NEXT][unit], stop):
        sc[PROPOSALS] += 1
        rank = m[M_S_PRANK][k]
        program = m[M_S_PROG][k]
        if rank >= 0 and accepts(m, s, program, rank, 1, -1, -1):
            release_supp(m, s, applicant)
            s[S_NEXT][unit] = k - start + 1
            s[S_SUPP_P][applicant] = program
            s[S_SUPP_K][applicant] = k
            seat(m, s, program, rank, -1)
            return
    s[S_NEXT][unit] = stop - start + 1 if held else stop - start


@_jit
def process_couple(m: Arrays, s: Arrays, couple: int) -> None:
    """Steps 2 and 4: go down the pairs from where the couple resumes; a restarted couple keeps
    its pair unless a better pair accepts both partners."""
    first = m[M_C_FIRST][couple]
    second = m[M_C_SECOND][couple]
    unit = 2 * s[S_SCALARS][N_APPLICANTS] + couple
    held = s[S_PAIR][couple] >= 0
    stop = s[S_PAIR][couple] if held else m[M_A_OFF][first + 1] - m[M_A_OFF][first]
    sc = s[S_SCALARS]
    for index in range(s[S_NEXT][unit], stop):
        sc[PROPOSALS] += 1
        if pair_acceptable(m, s, first, second, index):
            release_primary(m, s, first)
            release_primary(m, s, second)
            s[S_NEXT][unit] = index + 1
            s[S_PAIR][couple] = index
            k1 = m[M_A_OFF][first] + index
            k2 = m[M_A_OFF][second] + index
            p1 = m[M_A_PROG][k1]
            p2 = m[M_A_PROG][k2]
            if p1 >= 0:
                s[S_PRIM_P][first] = p1
                s[S_PRIM_K][first] = k1
            if p2 >= 0:
                s[S_PRIM_P][second] = p2
                s[S_PRIM_K][second] = k2
            if p1 >= 0 and p1 == p2:
                seat(m, s, p1, m[M_A_PRANK][k1], m[M_A_PRANK][k2])
            else:
                if p1 >= 0:
                    seat(m, s, p1, m[M_A_PRANK][k1], -1)
                if p2 >= 0:
                    seat(m, s, p2, m[M_A_PRANK][k2], -1)
            start_supp(m, s, first)
            start_supp(m, s, second)
            return
    s[S_NEXT][unit] = stop + 1 if held else stop


@_jit
def recheck(m: Arrays, s: Arrays, program: int) -> None:
    """Step 4: restart applicants the program ranks who now prefer it and whom it would take."""
    n = s[S_SCALARS][N_APPLICANTS]
    base = m[M_P_OFF][program]
    for j in range(base, m[M_P_OFF][program + 1]):
        applicant = m[M_P_APP][j]
        rank = j - base
        couple = m[M_A_COUPLE][applicant]
        if couple >= 0:
            recheck_couple(m, s, applicant, couple, program)
        elif s[S_QUEUED][applicant] == 0 and m[M_P_APOS][j] >= 0:
            held = s[S_PRIM_P][applicant]
            current = (
                s[S_PRIM_K][applicant] - m[M_A_OFF][applicant]
                if held >= 0
                else m[M_A_OFF][applicant + 1] - m[M_A_OFF][applicant]
            )
            if m[M_P_APOS][j] < current and accepts(m, s, program, rank, 1, -1, -1):
                restart(s, applicant)
        if s[S_QUEUED][n + applicant] == 0:
            recheck_supp(m, s, applicant, program, rank)


@_jit
def recheck_couple(m: Arrays, s: Arrays, applicant: int, couple: int, program: int) -> None:
    """Step 4 for a couple: an earlier pair naming ``program`` for this member now acceptable."""
    unit = 2 * s[S_SCALARS][N_APPLICANTS] + couple
    if s[S_QUEUED][unit]:
        return
    first = m[M_C_FIRST][couple]
    second = m[M_C_SECOND][couple]
    start = m[M_A_OFF][applicant]
    current = s[S_PAIR][couple]
    if current < 0:
        current = m[M_A_OFF][first + 1] - m[M_A_OFF][first]
    for index in range(current):
        if m[M_A_PROG][start + index] == program and pair_acceptable(m, s, first, second, index):
            restart(s, unit)
            return


@_jit
def recheck_supp(m: Arrays, s: Arrays, applicant: int, program: int, rank: int) -> None:
    """Step 4 for a supplemental list: a PGY-1 program above the held one now takes them."""
    lst = supp_list(m, s, applicant)
    if lst < 0:
        return
    start = m[M_S_OFF][lst]
    end = m[M_S_OFF][lst + 1]
    position = -1
    for k in range(start, end):
        if m[M_S_PROG][k] == program:
            position = k - start
            break
    if position < 0:
        return
    current = s[S_SUPP_K][applicant] - start if s[S_SUPP_P][applicant] >= 0 else end - start
    if position < current and accepts(m, s, program, rank, 1, -1, -1):
        restart(s, s[S_SCALARS][N_APPLICANTS] + applicant)


@_jit
def stabilize(m: Arrays, s: Arrays) -> None:
    """Process the applicant stack, then the program stack, until both are empty."""
    sc = s[S_SCALARS]
    n = sc[N_APPLICANTS]
    while True:
        if sc[TOP] > 0:
            sc[TOP] -= 1
            unit = s[S_STACK][sc[TOP]]
            s[S_QUEUED][unit] = 0
            if unit < n:
                process_single(m, s, unit)
            elif unit < 2 * n:
                process_supp(m, s, unit - n)
            else:
                process_couple(m, s, unit - 2 * n)
        elif sc[PTOP] > 0:
            sc[PTOP] -= 1
            program = s[S_PSTACK][sc[PTOP]]
            s[S_IN_PSTACK][program] = 0
            recheck(m, s, program)
        else:
            return


@_jit
def run_attempt(m: Arrays, s: Arrays, order: Array) -> None:
    """Steps 1-6 once: singles one at a time, couples in ``order``, then reversions.

    After a cycle is flagged the attempt goes on with the cycling units frozen, so the matching
    it returns is complete and only the frozen units can be left in blocking pairs."""
    sc = s[S_SCALARS]
    n = sc[N_APPLICANTS]
    couple_of = m[M_A_COUPLE]
    for applicant in range(n):
        if couple_of[applicant] < 0:
            push(s, applicant)
            stabilize(m, s)
    for couple in order:
        push(s, 2 * n + couple)
        stabilize(m, s)
    cap = s[S_CAP]
    changed = True
    while changed:
        changed = False
        for r in range(len(m[M_REV_DONOR])):
            donor = m[M_REV_DONOR][r]
            receiver = m[M_REV_RECV][r]
            unfilled = cap[donor] - s[S_H_CNT][donor]
            if unfilled > 0:
                cap[donor] -= unfilled
                cap[receiver] += unfilled
                s[S_REVERTED][r] += unfilled
                drop(s, receiver)
                stabilize(m, s)
                changed = True
