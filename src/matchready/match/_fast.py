"""The fast engine: an instance compiled to integer arrays, solved by the numba kernel.

:func:`compile_market` turns the instance into flat rank arrays with offsets and the rank
look-up tables (for each applicant's entry, the program's rank of that applicant; for each
program's entry, the position of the program on the applicant's list). It is built once per
instance and cached; :class:`FastEngine` then runs attempts on fresh state arrays.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from matchready.match._arrays import ArrayOutcome, MarketArrays
from matchready.match._model import Instance
from matchready.match._outcome import Outcome

Array = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Market:
    """An instance as integer arrays (see ``_kernel`` for the layout) plus the id tables."""

    source: MarketArrays
    arrays: tuple[Array, ...]
    room: int
    applicant_ids: tuple[str, ...] = ()
    program_ids: tuple[str, ...] = ()


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
    """The instance's ids mapped to indices, then compiled."""
    source = _source(instance)
    return replace(
        compile_arrays(source),
        applicant_ids=tuple(a.id for a in instance.applicants),
        program_ids=tuple(p.id for p in instance.programs),
    )


def _source(instance: Instance) -> MarketArrays:
    """The instance as integer arrays (ids replaced by their position in the instance)."""
    i64 = np.int64
    program_index = {p.id: i for i, p in enumerate(instance.programs)}
    applicant_index = {a.id: i for i, a in enumerate(instance.applicants)}
    n = len(instance.applicants)

    a_len = np.array([len(a.ranks) for a in instance.applicants], dtype=i64)
    a_off = np.zeros(n + 1, dtype=i64)
    np.cumsum(a_len, out=a_off[1:])
    a_prog = np.array(
        [-1 if r is None else program_index[r] for a in instance.applicants for r in a.ranks],
        dtype=i64,
    )
    p_len = np.array([len(p.ranks) for p in instance.programs], dtype=i64)
    p_off = np.zeros(len(instance.programs) + 1, dtype=i64)
    np.cumsum(p_len, out=p_off[1:])
    p_app = np.array([applicant_index[a] for p in instance.programs for a in p.ranks], dtype=i64)

    a_supp = np.full(len(a_prog), -1, dtype=i64)
    s_prog: list[int] = []
    s_owner: list[int] = []
    s_off = [0]
    for a, applicant in enumerate(instance.applicants):
        for supplemental in applicant.supplemental:
            links = {program_index[link] for link in supplemental.links}
            for k in range(int(a_off[a]), int(a_off[a + 1])):
                if int(a_prog[k]) in links:
                    a_supp[k] = len(s_owner)
            s_prog.extend(program_index[r] for r in supplemental.ranks)
            s_owner.append(a)
            s_off.append(len(s_prog))
    return MarketArrays(
        capacity=np.array([p.capacity for p in instance.programs], dtype=i64),
        applicant_offsets=a_off,
        applicant_programs=a_prog,
        program_offsets=p_off,
        program_applicants=p_app,
        supplemental_link=a_supp,
        supplemental_applicant=np.array(s_owner, dtype=i64),
        supplemental_offsets=np.array(s_off, dtype=i64),
        supplemental_programs=np.array(s_prog, dtype=i64),
        couple_first=np.array([applicant_index[c.first] for c in instance.couples], dtype=i64),
        couple_second=np.array([applicant_index[c.second] for c in instance.couples], dtype=i64),
        reversion_donor=np.array([program_index[r.donor] for r in instance.reversions], dtype=i64),
        reversion_receiver=np.array(
            [program_index[r.receiver] for r in instance.reversions], dtype=i64
        ),
    )


def compile_arrays(source: MarketArrays) -> Market:
    """The rank look-up tables and the held-list layout the kernel needs."""
    i64 = np.int64
    n, n_programs = source.applicants, source.programs
    a_off, a_prog = source.applicant_offsets, source.applicant_programs
    p_off, p_app = source.program_offsets, source.program_applicants
    a_owner = np.repeat(np.arange(n, dtype=i64), np.diff(a_off))
    p_owner = np.repeat(np.arange(n_programs, dtype=i64), np.diff(p_off))
    p_rank = np.arange(len(p_app), dtype=i64) - p_off[p_owner]

    program_keys = p_owner * n + p_app
    a_keys = np.where(a_prog >= 0, a_prog * n + a_owner, -1)
    a_prank = _lookup(program_keys, p_rank, a_keys)
    a_pos = np.arange(len(a_prog), dtype=i64) - a_off[a_owner]
    p_apos = _lookup(a_keys, a_pos, program_keys)

    a_couple = np.full(n, -1, dtype=i64)
    couples = np.arange(len(source.couple_first), dtype=i64)
    a_couple[source.couple_first] = couples
    a_couple[source.couple_second] = couples

    s_off, s_prog = source.supplemental_offsets, source.supplemental_programs
    s_owner = np.repeat(source.supplemental_applicant, np.diff(s_off))
    s_prank = _lookup(program_keys, p_rank, s_prog * n + s_owner)

    capacity = source.capacity
    room = capacity + 2
    receiver_of = dict(
        zip(source.reversion_donor.tolist(), source.reversion_receiver.tolist(), strict=True)
    )
    for donor in receiver_of:
        current = receiver_of.get(donor)
        seen = {donor}
        while current is not None and current not in seen:
            seen.add(current)
            room[current] += capacity[donor]
            current = receiver_of.get(current)
    h_off = np.zeros(n_programs + 1, dtype=i64)
    np.cumsum(room, out=h_off[1:])

    arrays = (
        a_off,
        a_prog,
        a_prank,
        source.supplemental_link,
        a_couple,
        p_off,
        p_app,
        p_apos,
        s_off,
        s_prog,
        s_prank,
        source.couple_first,
        source.couple_second,
        source.reversion_donor,
        source.reversion_receiver,
        h_off,
    )
    return Market(source=source, arrays=arrays, room=int(h_off[-1]))


def run_attempt(market: Market, order: Array, restart_limit: int, attempts: int) -> ArrayOutcome:
    """Run the kernel once with couples entering in ``order``; the matching as arrays."""
    from matchready.match import _kernel

    source = market.source
    n, n_programs = source.applicants, source.programs
    couples, reversions = len(source.couple_first), len(source.reversion_donor)
    units = 2 * n + couples
    i64 = np.int64
    scalars = np.zeros(7, dtype=i64)
    scalars[_kernel.LIMIT] = restart_limit
    scalars[_kernel.N_APPLICANTS] = n
    s = (
        source.capacity.copy(),
        np.zeros(n_programs, dtype=i64),
        np.zeros(max(market.room, 1), dtype=i64),
        np.full(n, -1, dtype=i64),
        np.full(n, -1, dtype=i64),
        np.full(n, -1, dtype=i64),
        np.full(n, -1, dtype=i64),
        np.full(couples, -1, dtype=i64),
        np.zeros(units, dtype=i64),
        np.zeros(units, dtype=i64),
        np.zeros(units, dtype=i64),
        np.zeros(max(units, 1), dtype=i64),
        np.zeros(max(n_programs, 1), dtype=i64),
        np.zeros(n_programs, dtype=i64),
        np.zeros(reversions, dtype=i64),
        scalars,
    )
    _kernel.run_attempt(market.arrays, s, order)

    prim_p, prim_k = s[_kernel.S_PRIM_P], s[_kernel.S_PRIM_K]
    supp_p, supp_k = s[_kernel.S_SUPP_P], s[_kernel.S_SUPP_K]
    matched = prim_p >= 0
    rank = np.where(matched, prim_k - source.applicant_offsets[:-1] + 1, 0)
    in_supp = supp_p >= 0
    supp_rank = np.zeros(n, dtype=i64)
    lists = source.supplemental_link[prim_k[in_supp]]
    supp_rank[in_supp] = supp_k[in_supp] - source.supplemental_offsets[lists] + 1
    return ArrayOutcome(
        program=prim_p,
        rank=rank,
        supplemental_program=supp_p,
        supplemental_rank=supp_rank,
        proposals=int(scalars[_kernel.PROPOSALS]),
        attempts=attempts,
        cycled=bool(scalars[_kernel.CYCLE]),
        reverted=s[_kernel.S_REVERTED],
    )


class FastEngine:
    """One attempt of the Match on the compiled arrays; the same contract as the reference."""

    def __init__(self, instance: Instance, restart_limit: int) -> None:
        self.instance = instance
        self.market = compile_market(instance)
        self.restart_limit = restart_limit

    def attempt(self, order: list[int]) -> Outcome:
        """Run the kernel once with couples entering in ``order``."""
        found = run_attempt(self.market, np.array(order, dtype=np.int64), self.restart_limit, 1)
        apps, progs = self.market.applicant_ids, self.market.program_ids
        primary = {
            apps[a]: (progs[int(found.program[a])], int(found.rank[a]) - 1)
            for a in np.flatnonzero(found.program >= 0).tolist()
        }
        supplemental = {
            apps[a]: (
                progs[int(found.supplemental_program[a])],
                int(found.supplemental_rank[a]) - 1,
            )
            for a in np.flatnonzero(found.supplemental_program >= 0).tolist()
        }
        reverted = {
            r.donor: int(found.reverted[i])
            for i, r in enumerate(self.instance.reversions)
            if found.reverted[i]
        }
        return Outcome(
            primary=primary,
            supplemental=supplemental,
            proposals=found.proposals,
            reverted=reverted,
            cycle=found.cycled,
        )
