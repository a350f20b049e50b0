"""The fast engine: an instance compiled to integer arrays, solved by the numba kernel.

:func:`compile_market` turns the instance into flat rank arrays with offsets and the rank
look-up tables (for each applicant's entry, the program's rank of that applicant; for each
program's entry, the position of the program on the applicant's list). It is built once per
instance and cached; :class:`FastEngine` then runs attempts on fresh state arrays.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matchready.match._model import Instance
from matchready.match._outcome import Outcome

Array = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Market:
    """An instance as integer arrays (see ``_kernel`` for the layout) plus the id tables."""

    arrays: tuple[Array, ...]
    capacity: Array
    applicant_ids: tuple[str, ...]
    program_ids: tuple[str, ...]
    room: int


def _lookup(keys: Array, values: Array, queries: Array) -> Array:
    """For each query, the value of the first equal key, or -1 (a sorted join)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    at = np.searchsorted(sorted_keys, queries, side="left")
    found = np.zeros(len(queries), dtype=bool)
    inside = at < len(sorted_keys)
    found[inside] = sorted_keys[at[inside]] == queries[inside]
    result = np.full(len(queries), -1, dtype=np.int64)
    result[found] = values[order[at[found]]]
    return result


_compiled: dict[int, tuple[weakref.ref[Instance], Market]] = {}


def compile_market(instance: Instance) -> Market:
    """The instance's arrays, built on first use and kept while the instance lives."""
    key = id(instance)
    cached = _compiled.get(key)
    if cached is not None and cached[0]() is instance:
        return cached[1]
    market = _build(instance)
    _compiled[key] = (weakref.ref(instance, lambda _: _compiled.pop(key, None)), market)
    return market


def _build(instance: Instance) -> Market:
    """Flat arrays with offsets for every rank order list, and the rank look-up tables."""
    i64 = np.int64
    program_index = {p.id: i for i, p in enumerate(instance.programs)}
    applicant_index = {a.id: i for i, a in enumerate(instance.applicants)}
    n, n_programs = len(instance.applicants), len(instance.programs)

    a_len = np.array([len(a.ranks) for a in instance.applicants], dtype=i64)
    a_off = np.zeros(n + 1, dtype=i64)
    np.cumsum(a_len, out=a_off[1:])
    a_prog = np.array(
        [-1 if r is None else program_index[r] for a in instance.applicants for r in a.ranks],
        dtype=i64,
    )
    a_owner = np.repeat(np.arange(n, dtype=i64), a_len)

    p_len = np.array([len(p.ranks) for p in instance.programs], dtype=i64)
    p_off = np.zeros(n_programs + 1, dtype=i64)
    np.cumsum(p_len, out=p_off[1:])
    p_app = np.array([applicant_index[a] for p in instance.programs for a in p.ranks], dtype=i64)
    p_owner = np.repeat(np.arange(n_programs, dtype=i64), p_len)
    p_rank = np.arange(len(p_app), dtype=i64) - p_off[p_owner]

    program_keys = p_owner * n + p_app
    a_prank = _lookup(program_keys, p_rank, np.where(a_prog >= 0, a_prog * n + a_owner, -1))
    a_pos = np.arange(len(a_prog), dtype=i64) - a_off[a_owner]
    p_apos = _lookup(np.where(a_prog >= 0, a_prog * n + a_owner, -1), a_pos, program_keys)

    a_couple = np.full(n, -1, dtype=i64)
    c_first = np.array([applicant_index[c.first] for c in instance.couples], dtype=i64)
    c_second = np.array([applicant_index[c.second] for c in instance.couples], dtype=i64)
    a_couple[c_first] = np.arange(len(c_first), dtype=i64)
    a_couple[c_second] = np.arange(len(c_second), dtype=i64)

    a_supp = np.full(len(a_prog), -1, dtype=i64)
    s_prog_list: list[int] = []
    s_owner_list: list[int] = []
    s_off_list = [0]
    for a, applicant in enumerate(instance.applicants):
        for supplemental in applicant.supplemental:
            links = {program_index[link] for link in supplemental.links}
            start = int(a_off[a])
            for k in range(start, int(a_off[a + 1])):
                if int(a_prog[k]) in links:
                    a_supp[k] = len(s_off_list) - 1
            s_prog_list.extend(program_index[r] for r in supplemental.ranks)
            s_owner_list.extend([a] * len(supplemental.ranks))
            s_off_list.append(len(s_prog_list))
    s_prog = np.array(s_prog_list, dtype=i64)
    s_prank = _lookup(program_keys, p_rank, s_prog * n + np.array(s_owner_list, dtype=i64))

    capacity = np.array([p.capacity for p in instance.programs], dtype=i64)
    rev_donor = np.array([program_index[r.donor] for r in instance.reversions], dtype=i64)
    rev_recv = np.array([program_index[r.receiver] for r in instance.reversions], dtype=i64)
    room = capacity + 2
    receiver_of = dict(zip(rev_donor.tolist(), rev_recv.tolist(), strict=True))
    for donor in receiver_of:
        current = receiver_of.get(donor)
        while current is not None:
            room[current] += capacity[donor]
            current = receiver_of.get(current)
    h_off = np.zeros(n_programs + 1, dtype=i64)
    np.cumsum(room, out=h_off[1:])

    arrays = (
        a_off,
        a_prog,
        a_prank,
        a_supp,
        a_couple,
        p_off,
        p_app,
        p_apos,
        np.array(s_off_list, dtype=i64),
        s_prog,
        s_prank,
        c_first,
        c_second,
        rev_donor,
        rev_recv,
        h_off,
    )
    return Market(
        arrays=arrays,
        capacity=capacity,
        applicant_ids=tuple(a.id for a in instance.applicants),
        program_ids=tuple(p.id for p in instance.programs),
        room=int(h_off[-1]),
    )


class FastEngine:
    """One attempt of the Match on the compiled arrays; the same contract as the reference."""

    def __init__(self, instance: Instance, restart_limit: int) -> None:
        self.instance = instance
        self.market = compile_market(instance)
        self.restart_limit = restart_limit

    def attempt(self, order: list[int]) -> Outcome:
        """Run the kernel once with couples entering in ``order``."""
        from matchready.match import _kernel

        market = self.market
        m = market.arrays
        n = len(market.applicant_ids)
        n_programs = len(market.program_ids)
        units = 2 * n + len(self.instance.couples)
        i64 = np.int64
        scalars = np.zeros(7, dtype=i64)
        scalars[_kernel.LIMIT] = self.restart_limit
        scalars[_kernel.N_APPLICANTS] = n
        s = (
            market.capacity.copy(),
            np.zeros(n_programs, dtype=i64),
            np.zeros(max(market.room, 1), dtype=i64),
            np.full(n, -1, dtype=i64),
            np.full(n, -1, dtype=i64),
            np.full(n, -1, dtype=i64),
            np.full(n, -1, dtype=i64),
            np.full(len(self.instance.couples), -1, dtype=i64),
            np.zeros(units, dtype=i64),
            np.zeros(units, dtype=i64),
            np.zeros(units, dtype=i64),
            np.zeros(max(units, 1), dtype=i64),
            np.zeros(max(n_programs, 1), dtype=i64),
            np.zeros(n_programs, dtype=i64),
            np.zeros(len(self.instance.reversions), dtype=i64),
            scalars,
        )
        _kernel.run_attempt(m, s, np.array(order, dtype=i64))
        return self._outcome(s)

    def _outcome(self, s: tuple[Array, ...]) -> Outcome:
        from matchready.match import _kernel

        m = self.market.arrays
        apps, progs = self.market.applicant_ids, self.market.program_ids
        a_off = m[_kernel.M_A_OFF]
        s_off = m[_kernel.M_S_OFF]
        primary: dict[str, tuple[str, int]] = {}
        supplemental: dict[str, tuple[str, int]] = {}
        prim_p = s[_kernel.S_PRIM_P]
        prim_k = s[_kernel.S_PRIM_K]
        for a in np.flatnonzero(prim_p >= 0).tolist():
            primary[apps[a]] = (progs[int(prim_p[a])], int(prim_k[a] - a_off[a]))
        supp_p = s[_kernel.S_SUPP_P]
        supp_k = s[_kernel.S_SUPP_K]
        for a in np.flatnonzero(supp_p >= 0).tolist():
            lst = int(m[_kernel.M_A_SUPP][prim_k[a]])
            supplemental[apps[a]] = (progs[int(supp_p[a])], int(supp_k[a] - s_off[lst]))
        reverted = {
            r.donor: int(s[_kernel.S_REVERTED][i])
            for i, r in enumerate(self.instance.reversions)
            if s[_kernel.S_REVERTED][i]
        }
        scalars = s[_kernel.S_SCALARS]
        return Outcome(
            primary=primary,
            supplemental=supplemental,
            proposals=int(scalars[_kernel.PROPOSALS]),
            reverted=reverted,
            cycle=bool(scalars[_kernel.CYCLE]),
        )
