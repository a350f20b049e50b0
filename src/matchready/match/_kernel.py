"""The fast engine's kernel: the reference procedure on integer arrays, compiled by numba.

Same steps, same stack order, same result as ``_reference`` (see its docstring for steps 1-6);
only the data differs. Applicants, programs and couples are integers. Rank order lists are flat
arrays with offsets, and each applicant's entry carries the program's rank of that applicant
(the rank look-up table), so a proposal costs O(1) plus an insertion into the program's sorted
list of held ranks. Units on the stack: applicant ``a`` (a single), ``n + a`` (the
supplemental list of ``a``) and ``2n + c`` (couple ``c``), where ``n`` is the applicant count.

Layout: the whole market is one flat int32 buffer ``M`` and the whole state one flat int32
buffer ``S``. Each starts with a header: ``M[MA_PROG]`` is where the array of applicant
entries' programs starts inside ``M``, so applicant entry ``k``'s program is
``M[M[MA_PROG] + k]``; likewise ``S[S[S_CAP] + p]`` is program ``p``'s current quota, and the
state's scalars (proposal count, stack tops, cycle flag) sit in its header. Every function
takes just these two arrays, and the kernel runs without numba's reference counting. (The first
version passed a tuple of 16 arrays for each, so every call copied about 1.8 kB of array
descriptors and touched 32 atomic reference counts: 0.65 s for the national singles phase,
against 0.13 s with the two buffers and 0.03-0.04 s without reference counting.) A snapshot of
the whole state is ``S.copy()``.

No exception is used inside, so the kernel compiles in numba's nopython mode; a cycle sets a
flag and freezes the cycling unit, so every attempt ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

from matchready.match._layout import (
    CARRY,
    CYCLE,
    CYCLING_UNIT,
    LIMIT,
    M_N,
    M_REVERSIONS,
    MA_COUPLE,
    MA_OFF,
    MA_PRANK,
    MA_PROG,
    MA_SUPP,
    MC_FIRST,
    MC_SECOND,
    MH_OFF,
    MP_APOS,
    MP_APP,
    MP_OFF,
    MR_DONOR,
    MR_RECV,
    MS_OFF,
    MS_PRANK,
    MS_PROG,
    NOT_ENTERED,
    PROPOSALS_HI,
    PROPOSALS_LO,
    PTOP,
    S_CAP,
    S_H_CNT,
    S_H_RANK,
    S_IN_PSTACK,
    S_NEXT,
    S_PAIR,
    S_PRIM_K,
    S_PRIM_P,
    S_PSTACK,
    S_QUEUED,
    S_RESTARTS,
    S_REVERTED,
    S_STACK,
    S_SUPP_K,
    S_SUPP_P,
    TOP,
    Buffer,
)

F = TypeVar("F", bound=Callable[..., object])


def _jit(function: F) -> F:
    """Compile lazily (on first call) in nopython mode, caching the machine code on disk."""
    return cast(F, numba.njit(cache=True, nogil=True)(function))


def _kernel(function: F) -> F:
    """:func:`_jit` without numba's reference counting: the kernel's functions only index
    the two buffers their caller owns and allocate nothing, so the atomic increments and
    decrements numba would add around every call (about half of the kernel's time) are moot."""
    options: dict[str, Any] = {"cache": True, "nogil": True, "_nrt": False}
    return cast(F, numba.njit(**options)(function))


def _small(function: F) -> F:
    """:func:`_kernel`, inlined into its callers by LLVM (for the few-line helpers)."""
    options: dict[str, Any] = {"cache": True, "nogil": True, "_nrt": False, "forceinline": True}
    return cast(F, numba.njit(**options)(function))


@_small
def count_proposal(S: Buffer) -> None:
    """One more proposal (an int64 count kept in two int32 cells)."""
    S[PROPOSALS_LO] += 1
    if S[PROPOSALS_LO] >= CARRY:
        S[PROPOSALS_LO] -= CARRY
        S[PROPOSALS_HI] += 1


@_small
def push(S: Buffer, unit: int) -> None:
    """Put a unit on the applicant stack unless it is already there."""
    q = S[S_QUEUED] + unit
    if S[q] == 0:
        S[q] = 1
        S[S[S_STACK] + S[TOP]] = unit
        S[TOP] += 1


@_kernel
def restart(S: Buffer, unit: int) -> None:
    """Step 4: re-enter from the top. A unit past the restart limit is in a cycle: it is
    flagged and frozen (it keeps its place and is not restarted again), so the attempt ends."""
    r = S[S_RESTARTS] + unit
    S[r] += 1
    if S[r] > S[LIMIT]:
        S[CYCLE] = 1
        S[CYCLING_UNIT] = unit
        return
    S[S[S_NEXT] + unit] = 0
    push(S, unit)


@_small
def drop(S: Buffer, program: int) -> None:
    """A program lost an applicant without a replacement: put it on the program stack."""
    q = S[S_IN_PSTACK] + program
    if S[q] == 0:
        S[q] = 1
        S[S[S_PSTACK] + S[PTOP]] = program
        S[PTOP] += 1


@_small
def holder(M: Buffer, program: int, rank: int) -> int:
    """The applicant a program ranks at ``rank``."""
    return int(M[M[MP_APP] + M[M[MP_OFF] + program] + rank])


@_kernel
def accepts(M: Buffer, S: Buffer, program: int, worst: int, k: int, e1: int, e2: int) -> bool:
    """Would ``program`` take ``k`` members whose worst rank is ``worst``, ignoring seats held
    by applicants ``e1`` and ``e2`` (-1 for none)? Members must all be ranked (``worst >= 0``)."""
    count = int(S[S[S_H_CNT] + program])
    excluded = 0
    if e1 >= 0 and (S[S[S_PRIM_P] + e1] == program or S[S[S_SUPP_P] + e1] == program):
        excluded += 1
    if e2 >= 0 and (S[S[S_PRIM_P] + e2] == program or S[S[S_SUPP_P] + e2] == program):
        excluded += 1
    held = count - excluded
    excess = held + k - int(S[S[S_CAP] + program])
    if excess <= 0:
        return True
    if excess > held:
        return False
    base = S[S_H_RANK] + M[M[MH_OFF] + program]
    j = count - 1
    seen = 0
    while seen < excess:
        rank = int(S[base + j])
        j -= 1
        if excluded:
            applicant = holder(M, program, rank)
            if applicant == e1 or applicant == e2:  # noqa: SIM109 (numba)
                continue
        if rank <= worst:  # equal only when the member already holds this place
            return False
        seen += 1
    return True


@_small
def insert(M: Buffer, S: Buffer, program: int, rank: int) -> None:
    """Insert a held rank, keeping the program's held ranks sorted (best first)."""
    base = S[S_H_RANK] + M[M[MH_OFF] + program]
    c = S[S_H_CNT] + program
    j = base + S[c]
    while j > base and S[j - 1] > rank:
        S[j] = S[j - 1]
        j -= 1
    S[j] = rank
    S[c] += 1


@_small
def remove(M: Buffer, S: Buffer, program: int, rank: int) -> None:
    """Remove a held rank from the program."""
    base = S[S_H_RANK] + M[M[MH_OFF] + program]
    c = S[S_H_CNT] + program
    end = base + S[c]
    j = base
    while S[j] != rank:
        j += 1
    while j < end - 1:
        S[j] = S[j + 1]
        j += 1
    S[c] -= 1


@_kernel
def release_supp(M: Buffer, S: Buffer, applicant: int) -> None:
    """Withdraw an applicant's supplemental PGY-1 place."""
    at = S[S_SUPP_P] + applicant
    program = int(S[at])
    if program >= 0:
        remove(M, S, program, M[M[MS_PRANK] + S[S[S_SUPP_K] + applicant]])
        S[at] = -1
        drop(S, program)


@_kernel
def release_primary(M: Buffer, S: Buffer, applicant: int) -> None:
    """Withdraw an applicant's primary place (and with it the supplemental place)."""
    at = S[S_PRIM_P] + applicant
    program = int(S[at])
    if program >= 0:
        remove(M, S, program, M[M[MA_PRANK] + S[S[S_PRIM_K] + applicant]])
        S[at] = -1
        drop(S, program)
    release_supp(M, S, applicant)


@_kernel
def displaced(M: Buffer, S: Buffer, applicant: int, program: int) -> None:
    """Steps 1-3: a removed applicant re-enters; a couple member withdraws the partner."""
    n = M[M_N]
    if S[S[S_SUPP_P] + applicant] == program:
        S[S[S_SUPP_P] + applicant] = -1
        push(S, n + applicant)
        return
    S[S[S_PRIM_P] + applicant] = -1
    release_supp(M, S, applicant)
    couple = int(M[M[MA_COUPLE] + applicant])
    if couple >= 0:
        S[S[S_PAIR] + couple] = -1
        partner = int(M[M[MC_SECOND] + couple])
        if partner == applicant:
            partner = int(M[M[MC_FIRST] + couple])
        release_primary(M, S, partner)
        push(S, 2 * n + couple)
    else:
        push(S, applicant)


@_kernel
def seat(M: Buffer, S: Buffer, program: int, r1: int, r2: int) -> None:
    """Add one or two held ranks; remove least-preferred holders beyond capacity."""
    insert(M, S, program, r1)
    if r2 >= 0:
        insert(M, S, program, r2)
    c = S[S_H_CNT] + program
    while S[c] > S[S[S_CAP] + program]:
        worst = int(S[S[S_H_RANK] + M[M[MH_OFF] + program] + S[c] - 1])
        S[c] -= 1
        displaced(M, S, holder(M, program, worst), program)


@_small
def supp_list(M: Buffer, S: Buffer, applicant: int) -> int:
    """The supplemental list linked to the applicant's held advanced program, or -1."""
    if S[S[S_PRIM_P] + applicant] < 0:
        return -1
    return int(M[M[MA_SUPP] + S[S[S_PRIM_K] + applicant]])


@_kernel
def start_supp(M: Buffer, S: Buffer, applicant: int) -> None:
    """Step 3: an applicant holding a linked advanced program starts its PGY-1 list."""
    lst = supp_list(M, S, applicant)
    if lst >= 0 and M[M[MS_OFF] + lst + 1] > M[M[MS_OFF] + lst]:
        unit = M[M_N] + applicant
        S[S[S_NEXT] + unit] = 0
        push(S, unit)


@_kernel
def pair_acceptable(M: Buffer, S: Buffer, first: int, second: int, index: int) -> bool:
    """Step 2: each side of pair ``index`` would take its partner; one program twice needs two."""
    k1 = M[M[MA_OFF] + first] + index
    k2 = M[M[MA_OFF] + second] + index
    p1 = int(M[M[MA_PROG] + k1])
    p2 = int(M[M[MA_PROG] + k2])
    r1 = int(M[M[MA_PRANK] + k1])
    r2 = int(M[M[MA_PRANK] + k2])
    if p1 >= 0 and p1 == p2:
        return r1 >= 0 and r2 >= 0 and accepts(M, S, p1, max(r1, r2), 2, first, second)
    if p1 >= 0 and (r1 < 0 or not accepts(M, S, p1, r1, 1, first, -1)):
        return False
    return p2 < 0 or (r2 >= 0 and accepts(M, S, p2, r2, 1, second, -1))


@_kernel
def process_single(M: Buffer, S: Buffer, applicant: int) -> None:
    """Steps 1 and 4: go down the list from where the applicant resumes; a restarted
    applicant keeps the held place unless a better choice accepts them."""
    start = int(M[M[MA_OFF] + applicant])
    held = S[S[S_PRIM_P] + applicant] >= 0
    stop = int(S[S[S_PRIM_K] + applicant]) if held else int(M[M[MA_OFF] + applicant + 1])
    a_prog, a_prank = M[MA_PROG], M[MA_PRANK]
    nxt = S[S_NEXT] + applicant
    for k in range(start + S[nxt], stop):
        count_proposal(S)
        rank = int(M[a_prank + k])
        program = int(M[a_prog + k])
        if rank >= 0 and accepts(M, S, program, rank, 1, -1, -1):
            release_primary(M, S, applicant)
            S[nxt] = k - start + 1
            S[S[S_PRIM_P] + applicant] = program
            S[S[S_PRIM_K] + applicant] = k
            seat(M, S, program, rank, -1)
            start_supp(M, S, applicant)
            return
    S[nxt] = stop - start + 1 if held else stop - start


@_kernel
def process_supp(M: Buffer, S: Buffer, applicant: int) -> None:
    """Steps 3 and 4: go down the supplemental PGY-1 list linked to the held advanced program."""
    nxt = S[S_NEXT] + M[M_N] + applicant
    lst = supp_list(M, S, applicant)
    if lst < 0:
        S[nxt] = 0
        return
    start = int(M[M[MS_OFF] + lst])
    held = S[S[S_SUPP_P] + applicant] >= 0
    stop = int(S[S[S_SUPP_K] + applicant]) if held else int(M[M[MS_OFF] + lst + 1])
    for k in range(start + S[nxt], stop):
        count_proposal(S)
        rank = int(M[M[MS_PRANK] + k])
        program = int(M[M[MS_PROG] + k])
        if rank >= 0 and accepts(M, S, program, rank, 1, -1, -1):
            release_supp(M, S, applicant)
            S[nxt] = k - start + 1
            S[S[S_SUPP_P] + applicant] = program
            S[S[S_SUPP_K] + applicant] = k
            seat(M, S, program, rank, -1)
            return
    S[nxt] = stop - start + 1 if held else stop - start


@_kernel
def process_couple(M: Buffer, S: Buffer, couple: int) -> None:
    """Steps 2 and 4: go down the pairs from where the couple resumes; a restarted couple keeps
    its pair unless a better pair accepts both partners."""
    first = int(M[M[MC_FIRST] + couple])
    second = int(M[M[MC_SECOND] + couple])
    nxt = S[S_NEXT] + 2 * M[M_N] + couple
    pair = S[S_PAIR] + couple
    held = S[pair] >= 0
    length = int(M[M[MA_OFF] + first + 1] - M[M[MA_OFF] + first])
    stop = int(S[pair]) if held else length
    for index in range(S[nxt], stop):
        count_proposal(S)
        if pair_acceptable(M, S, first, second, index):
            release_primary(M, S, first)
            release_primary(M, S, second)
            S[nxt] = index + 1
            S[pair] = index
            k1 = int(M[M[MA_OFF] + first] + index)
            k2 = int(M[M[MA_OFF] + second] + index)
            p1 = int(M[M[MA_PROG] + k1])
            p2 = int(M[M[MA_PROG] + k2])
            r1 = int(M[M[MA_PRANK] + k1])
            r2 = int(M[M[MA_PRANK] + k2])
            if p1 >= 0:
                S[S[S_PRIM_P] + first] = p1
                S[S[S_PRIM_K] + first] = k1
            if p2 >= 0:
                S[S[S_PRIM_P] + second] = p2
                S[S[S_PRIM_K] + second] = k2
            if p1 >= 0 and p1 == p2:
                seat(M, S, p1, r1, r2)
            else:
                if p1 >= 0:
                    seat(M, S, p1, r1, -1)
                if p2 >= 0:
                    seat(M, S, p2, r2, -1)
            start_supp(M, S, first)
            start_supp(M, S, second)
            return
    S[nxt] = stop + 1 if held else stop


@_kernel
def recheck(M: Buffer, S: Buffer, program: int) -> None:
    """Step 4: restart applicants the program ranks who now prefer it and whom it would take."""
    n = M[M_N]
    base = int(M[M[MP_OFF] + program])
    end = int(M[M[MP_OFF] + program + 1])
    p_app, p_apos, a_couple = M[MP_APP], M[MP_APOS], M[MA_COUPLE]
    queued = S[S_QUEUED]
    for j in range(base, end):
        applicant = int(M[p_app + j])
        rank = j - base
        couple = int(M[a_couple + applicant])
        position = M[p_apos + j]
        if couple >= 0:
            recheck_couple(M, S, applicant, couple, program, position)
        elif S[queued + applicant] == 0 and position >= 0:
            if S[S[S_PRIM_P] + applicant] >= 0:
                current = S[S[S_PRIM_K] + applicant] - M[M[MA_OFF] + applicant]
            else:
                current = M[M[MA_OFF] + applicant + 1] - M[M[MA_OFF] + applicant]
            if position < current and accepts(M, S, program, rank, 1, -1, -1):
                restart(S, applicant)
        if S[queued + n + applicant] == 0:
            recheck_supp(M, S, applicant, program, rank)


@_kernel
def recheck_couple(
    M: Buffer, S: Buffer, applicant: int, couple: int, program: int, position: int
) -> None:
    """Step 4 for a couple: an earlier pair naming ``program`` for this member now acceptable.
    ``position`` is the first pair naming it (-1: none); no pair before it can."""
    unit = 2 * M[M_N] + couple
    if S[S[S_QUEUED] + unit]:
        return
    first = int(M[M[MC_FIRST] + couple])
    second = int(M[M[MC_SECOND] + couple])
    start = M[MA_PROG] + M[M[MA_OFF] + applicant]
    current = int(S[S[S_PAIR] + couple])
    if current == NOT_ENTERED:  # step 2: couples enter one at a time, in their turn
        return
    if current < 0:
        current = int(M[M[MA_OFF] + first + 1] - M[M[MA_OFF] + first])
    if position < 0:
        return
    for index in range(position, current):
        if M[start + index] == program and pair_acceptable(M, S, first, second, index):
            restart(S, unit)
            return


@_kernel
def recheck_supp(M: Buffer, S: Buffer, applicant: int, program: int, rank: int) -> None:
    """Step 4 for a supplemental list: a PGY-1 program above the held one now takes them."""
    lst = supp_list(M, S, applicant)
    if lst < 0:
        return
    start = int(M[M[MS_OFF] + lst])
    end = int(M[M[MS_OFF] + lst + 1])
    s_prog = M[MS_PROG]
    position = -1
    for k in range(start, end):
        if M[s_prog + k] == program:
            position = k - start
            break
    if position < 0:
        return
    if S[S[S_SUPP_P] + applicant] >= 0:
        current = int(S[S[S_SUPP_K] + applicant]) - start
    else:
        current = end - start
    if position < current and accepts(M, S, program, rank, 1, -1, -1):
        restart(S, M[M_N] + applicant)


@_kernel
def stabilize(M: Buffer, S: Buffer) -> None:
    """Process the applicant stack, then the program stack, until both are empty."""
    n = M[M_N]
    while True:
        if S[TOP] > 0:
            S[TOP] -= 1
            unit = int(S[S[S_STACK] + S[TOP]])
            S[S[S_QUEUED] + unit] = 0
            if unit < n:
                process_single(M, S, unit)
            elif unit < 2 * n:
                process_supp(M, S, unit - n)
            else:
                process_couple(M, S, unit - 2 * n)
        elif S[PTOP] > 0:
            S[PTOP] -= 1
            program = int(S[S[S_PSTACK] + S[PTOP]])
            S[S[S_IN_PSTACK] + program] = 0
            recheck(M, S, program)
        else:
            return


@_kernel
def run_singles(M: Buffer, S: Buffer) -> None:
    """Step 1 (with the supplemental lists and re-checks it sets off): singles one at a time.

    It does not depend on the couple order, so :func:`run_couples` can start every attempt from
    a copy of the state this leaves."""
    a_couple = M[MA_COUPLE]
    for applicant in range(M[M_N]):
        if M[a_couple + applicant] < 0:
            push(S, applicant)
            stabilize(M, S)


@_kernel
def run_couples(M: Buffer, S: Buffer, order: npt.NDArray[np.int64]) -> None:
    """Steps 2-6 after :func:`run_singles`: couples in ``order``, then reversions.

    After a cycle is flagged the attempt goes on with the cycling units frozen, so the matching
    it returns is complete and only the frozen units can be left in blocking pairs."""
    n = M[M_N]
    for couple in order:
        S[S[S_PAIR] + couple] = -1
        push(S, 2 * n + couple)
        stabilize(M, S)
    cap = S[S_CAP]
    h_cnt = S[S_H_CNT]
    changed = True
    while changed:
        changed = False
        for r in range(M[M_REVERSIONS]):
            donor = int(M[M[MR_DONOR] + r])
            receiver = int(M[M[MR_RECV] + r])
            unfilled = S[cap + donor] - S[h_cnt + donor]
            if unfilled > 0:
                S[cap + donor] -= unfilled
                S[cap + receiver] += unfilled
                S[S[S_REVERTED] + r] += unfilled
                drop(S, receiver)
                stabilize(M, S)
                changed = True
