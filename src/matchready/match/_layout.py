"""The layout of the fast engine's two buffers (the market ``M`` and the state ``S``, see
``_kernel``): where each array starts in a header, the scalars, and their constants.

Apart from ``_kernel`` so that Python code reading a state (``_fast``, ``_lazy``) and the engine
compiled ahead of time (``_aot``) need neither numba nor the kernel's source.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Buffer = npt.NDArray[np.int32]

# market header: where each array starts in M, then the counts
(
    MA_OFF,  # n + 1: applicant list offsets
    MA_PROG,  # entries: program (-1 "No Match")
    MA_PRANK,  # entries: the program's rank of this applicant (-1: not ranked)
    MA_SUPP,  # entries: supplemental list used when matched here (-1: none)
    MA_COUPLE,  # n: couple of the applicant (-1: single)
    MP_OFF,  # programs + 1: program list offsets
    MP_APP,  # program entries: applicant
    MP_APOS,  # program entries: position of the program on the applicant's list (-1: none)
    MS_OFF,  # lists + 1: supplemental list offsets
    MS_PROG,  # supplemental entries: program
    MS_PRANK,  # supplemental entries: the program's rank of the list's owner
    MC_FIRST,  # couples
    MC_SECOND,  # couples
    MR_DONOR,  # reversions
    MR_RECV,  # reversions
    MH_OFF,  # programs + 1: where each program's held ranks start in S[S_H_RANK]
    M_N,  # applicant count
    M_PROGRAMS,
    M_COUPLES,
    M_REVERSIONS,
) = range(20)
M_HEADER = 20

# state header: where each array starts in S, then the scalars
(
    S_CAP,  # programs: current quota
    S_H_CNT,  # programs: places held
    S_H_RANK,  # held ranks per program, sorted best first (room from MH_OFF)
    S_PRIM_P,  # n: primary program held (-1)
    S_PRIM_K,  # n: its entry index
    S_SUPP_P,  # n: supplemental PGY-1 program held (-1)
    S_SUPP_K,  # n: its supplemental entry index
    S_PAIR,  # couples: pair index held (-1 none, NOT_ENTERED before the couple's turn)
    S_NEXT,  # units: where the unit resumes on its list
    S_RESTARTS,  # units
    S_QUEUED,  # units: on the applicant stack
    S_STACK,  # units
    S_PSTACK,  # programs
    S_IN_PSTACK,  # programs
    S_REVERTED,  # reversions: places moved
    PROPOSALS_LO,  # proposals modulo 2**30
    PROPOSALS_HI,  # proposals // 2**30
    CYCLE,
    TOP,
    PTOP,
    LIMIT,
    CYCLING_UNIT,
) = range(22)
S_HEADER = 22
CARRY = 1 << 30
NOT_ENTERED = -2
