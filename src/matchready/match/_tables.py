"""The rank look-up tables of the market buffer (``_kernel``), built in O(ranks) by numba."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matchready.match._kernel import _jit
from matchready.match._layout import Buffer


@_jit
def rank_tables(
    n: int,
    a_off: npt.NDArray[np.int64],
    a_prog: npt.NDArray[np.int64],
    p_off: npt.NDArray[np.int64],
    p_app: npt.NDArray[np.int64],
    s_off: npt.NDArray[np.int64],
    s_prog: npt.NDArray[np.int64],
    s_owner: npt.NDArray[np.int64],
    a_prank: Buffer,
    p_apos: Buffer,
    s_prank: Buffer,
) -> None:
    """The rank look-up tables in O(ranks): for each applicant entry the program's rank of the
    applicant, for each program entry the (first) position of the program on the applicant's
    list, for each supplemental entry the program's rank of the list's owner (-1: not ranked).

    Entries are bucketed by program (a counting sort), then each program's list is spread
    over a scratch array indexed by applicant."""
    programs = len(p_off) - 1
    count = np.zeros(programs + 1, dtype=np.int64)
    for k in range(len(a_prog)):
        if a_prog[k] >= 0:
            count[a_prog[k] + 1] += 1
    for k in range(len(s_prog)):
        count[s_prog[k] + 1] += 1
    for p in range(programs):
        count[p + 1] += count[p]
    bucket = np.empty(count[programs], dtype=np.int64)  # entry k, or -(s + 1) for supplemental
    fill = count[:-1].copy()
    for k in range(len(a_prog)):
        if a_prog[k] >= 0:
            bucket[fill[a_prog[k]]] = k
            fill[a_prog[k]] += 1
    for k in range(len(s_prog)):
        bucket[fill[s_prog[k]]] = -(k + 1)
        fill[s_prog[k]] += 1
    a_owner = np.empty(len(a_prog), dtype=np.int64)
    for a in range(n):
        for k in range(a_off[a], a_off[a + 1]):
            a_owner[k] = a
    s_entry_owner = np.empty(len(s_prog), dtype=np.int64)
    for lst in range(len(s_owner)):
        for k in range(s_off[lst], s_off[lst + 1]):
            s_entry_owner[k] = s_owner[lst]
    scratch = np.full(n, -1, dtype=np.int64)
    for p in range(programs):
        for j in range(p_off[p + 1] - 1, p_off[p] - 1, -1):  # backwards: the first rank wins
            scratch[p_app[j]] = j - p_off[p]
        for b in range(count[p], count[p + 1]):
            k = bucket[b]
            if k >= 0:
                a_prank[k] = scratch[a_owner[k]]
            else:
                s_prank[-k - 1] = scratch[s_entry_owner[-k - 1]]
        for j in range(p_off[p], p_off[p + 1]):
            scratch[p_app[j]] = -1
        for b in range(count[p + 1] - 1, count[p] - 1, -1):  # backwards: the first entry wins
            k = bucket[b]
            if k >= 0:
                scratch[a_owner[k]] = k - a_off[a_owner[k]]
        for j in range(p_off[p], p_off[p + 1]):
            p_apos[j] = scratch[p_app[j]]
        for b in range(count[p], count[p + 1]):
            k = bucket[b]
            if k >= 0:
                scratch[a_owner[k]] = -1
