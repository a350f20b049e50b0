"""The fast engine: an instance compiled to integer arrays, solved by the numba kernel.

:func:`compile_market` turns an instance into :class:`MarketArrays` (ids replaced by indices;
once per instance, cached while it lives) and :func:`compile_arrays` builds the kernel's market
buffer: the flat lists and the rank look-up tables (for each applicant's entry, the program's
rank of that applicant; for each program's entry, the position of the program on the
applicant's list), plus the initial state buffer. :func:`run_attempt` runs one couple order
from the state after the singles phase (:func:`after_singles`, shared by every attempt).
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from matchready.match._arrays import ArrayOutcome, MarketArrays
from matchready.match._model import MAX_INDEX, Instance, InstanceError, InstanceProblem

Array = npt.NDArray[np.int64]
Buffer = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Market:
    """An instance as integer arrays (see ``_kernel`` for the layout) plus the id tables."""

    source: MarketArrays
    buffer: Buffer
    start: Buffer
    applicant_ids: tuple[str, ...] = ()
    program_ids: tuple[str, ...] = ()
    snapshots: dict[int, Buffer] = field(default_factory=dict, compare=False)


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
    """The instance as integer arrays: those its validation built (``_ingest``), else the
    reference conversion."""
    from matchready.match._ingest import reference_arrays

    arrays = instance.__dict__.get("_arrays")
    return arrays if isinstance(arrays, MarketArrays) else reference_arrays(instance)


def compile_arrays(source: MarketArrays) -> Market:
    """The market buffer (see ``_kernel``): the lists, the rank look-up tables and the layout
    of the held lists, plus the initial state buffer every attempt starts from."""
    from matchready.match import _layout as K
    from matchready.match._aot import kernels

    i32 = np.int32
    n, n_programs = source.applicants, source.programs
    a_off, a_prog = source.applicant_offsets, source.applicant_programs
    p_off, p_app = source.program_offsets, source.program_applicants
    s_off, s_prog = source.supplemental_offsets, source.supplemental_programs
    a_prank = np.full(len(a_prog), -1, dtype=i32)
    p_apos = np.full(len(p_app), -1, dtype=i32)
    s_prank = np.full(len(s_prog), -1, dtype=i32)
    kernels().rank_tables(
        n, a_off, a_prog, p_off, p_app, s_off, s_prog, source.supplemental_applicant,
        a_prank, p_apos, s_prank,
    )  # fmt: skip

    a_couple = np.full(n, -1, dtype=np.int64)
    couples = np.arange(len(source.couple_first), dtype=np.int64)
    a_couple[source.couple_first] = couples
    a_couple[source.couple_second] = couples

    capacity = source.capacity
    quota = capacity.copy()  # the most places a program can reach through reversions
    receiver_of = dict(
        zip(source.reversion_donor.tolist(), source.reversion_receiver.tolist(), strict=True)
    )
    for donor in receiver_of:
        current = receiver_of.get(donor)
        seen = {donor}
        while current is not None and current not in seen:
            seen.add(current)
            quota[current] += capacity[donor]
            current = receiver_of.get(current)
    # a program never holds more than the applicants it ranks (+ 2 while seating a couple)
    room = np.minimum(quota, np.diff(p_off)) + 2
    h_off = np.zeros(n_programs + 1, dtype=np.int64)
    np.cumsum(room, out=h_off[1:])

    parts: list[npt.NDArray[np.integer]] = [
        a_off, a_prog, a_prank, source.supplemental_link, a_couple, p_off, p_app, p_apos,
        s_off, s_prog, s_prank, source.couple_first, source.couple_second,
        source.reversion_donor, source.reversion_receiver, h_off,
    ]  # fmt: skip
    counts = [n, n_programs, len(source.couple_first), len(source.reversion_donor)]
    market = _pack(parts, counts, K.M_HEADER)

    units = 2 * n + len(source.couple_first)

    def zeros(size: int) -> Array:
        return np.zeros(size, dtype=np.int64)

    def unset(size: int) -> Array:
        return np.full(size, -1, dtype=np.int64)

    state: list[npt.NDArray[np.integer]] = [
        capacity,  # S_CAP
        zeros(n_programs),  # S_H_CNT
        zeros(int(h_off[-1])),  # S_H_RANK
        *[unset(n)] * 4,  # S_PRIM_P, S_PRIM_K, S_SUPP_P, S_SUPP_K
        np.full(len(source.couple_first), K.NOT_ENTERED),  # S_PAIR
        *[zeros(units)] * 4,  # S_NEXT, S_RESTARTS, S_QUEUED, S_STACK
        zeros(n_programs),  # S_PSTACK
        zeros(n_programs),  # S_IN_PSTACK
        zeros(len(source.reversion_donor)),  # S_REVERTED
    ]
    start = _pack(state, [0] * (K.S_HEADER - len(state)), K.S_HEADER)
    return Market(source=source, buffer=market, start=start)


def _pack(
    parts: list[npt.NDArray[np.integer]],
    scalars: list[int],
    header: int,
) -> Buffer:
    """One int32 buffer: a header (where each part starts, then the scalars), then the parts."""
    sizes = [len(part) for part in parts]
    if header + sum(sizes) > MAX_INDEX:
        message = (
            f"market too large: {header + sum(sizes):,} array entries; the engine's 32-bit "
            f"indices allow at most {MAX_INDEX:,}"
        )
        raise InstanceError([InstanceProblem(message, ("market",))])
    buffer = np.empty(header + sum(sizes), dtype=np.int32)
    at = header
    for i, part in enumerate(parts):
        buffer[i] = at
        buffer[at : at + sizes[i]] = part
        at += sizes[i]
    buffer[len(parts) : header] = scalars
    return buffer


def after_singles(market: Market, restart_limit: int) -> Buffer:
    """The state after step 1 (singles and what they set off), which every attempt shares:
    it does not depend on the couple order. Computed once per market and restart limit."""
    from matchready.match import _layout as K
    from matchready.match._aot import kernels

    cached = market.snapshots.get(restart_limit)
    if cached is None:
        cached = market.start.copy()
        cached[K.LIMIT] = restart_limit
        kernels().run_singles(market.buffer, cached)
        market.snapshots[restart_limit] = cached
    return cached


def run_attempt(market: Market, order: Array, restart_limit: int, attempts: int) -> ArrayOutcome:
    """Run the kernel once with couples entering in ``order``; the matching as arrays.

    The singles phase is taken from :func:`after_singles`; the couples and reversions run on a
    copy of that state, so a retry with another couple order repeats only what can differ."""
    from matchready.match._aot import kernels

    S = after_singles(market, restart_limit).copy()
    kernels().run_couples(market.buffer, S, np.ascontiguousarray(order, dtype=np.int64))
    return outcome_of(market, S, attempts)


def _part(buffer: Buffer, index: int, length: int) -> Buffer:
    return buffer[buffer[index] : buffer[index] + length]


def outcome_of(market: Market, S: Buffer, attempts: int) -> ArrayOutcome:
    """The matching held in the state buffer ``S``, per applicant."""
    from matchready.match import _layout as K

    source = market.source
    n = source.applicants
    i64 = np.int64
    prim_p = _part(S, K.S_PRIM_P, n).astype(i64)
    prim_k = _part(S, K.S_PRIM_K, n).astype(i64)
    supp_p = _part(S, K.S_SUPP_P, n).astype(i64)
    supp_k = _part(S, K.S_SUPP_K, n).astype(i64)
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
        proposals=int(S[K.PROPOSALS_HI]) * K.CARRY + int(S[K.PROPOSALS_LO]),
        attempts=attempts,
        cycled=bool(S[K.CYCLE]),
        reverted=_part(S, K.S_REVERTED, len(source.reversion_donor)).astype(i64),
    )


def final_capacity(market: Market, reverted: Array) -> Array:
    """The quotas after reversions."""
    source = market.source
    capacity = source.capacity.copy()
    np.subtract.at(capacity, source.reversion_donor, reverted)
    np.add.at(capacity, source.reversion_receiver, reverted)
    return capacity


def audit_arrays(market: Market, outcome: ArrayOutcome) -> tuple[Array, int]:
    """The numba stability audit of ``outcome``: blocking rows and broken rules (``_audit``)."""
    from matchready.match._aot import kernels

    return kernels().audit(
        market.buffer,
        final_capacity(market, outcome.reverted),
        outcome.program,
        outcome.rank,
        outcome.supplemental_program,
        outcome.supplemental_rank,
    )


def same_matching(one: ArrayOutcome, other: ArrayOutcome) -> bool:
    """Do two attempts end in the same matching (places, ranks and reversions)?"""
    return all(
        np.array_equal(a, b)
        for a, b in (
            (one.program, other.program),
            (one.rank, other.rank),
            (one.supplemental_program, other.supplemental_program),
            (one.supplemental_rank, other.supplemental_rank),
            (one.reverted, other.reverted),
        )
    )


class Audits:
    """The stability audits of one run's attempts. Couple orders that meet the same instability
    often end in the same matching (all 8 orders of national seed 0 do): such an attempt
    reuses the audit of the first, which is a function of the matching alone."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self._done: dict[bytes, tuple[Array, int]] = {}

    def of(self, outcome: ArrayOutcome) -> tuple[Array, int]:
        """Blocking rows and broken rules of ``outcome`` (``audit_arrays``), keyed by a digest
        of the matching, so a search of thousands of couple orders looks each up in O(n)."""
        digest = hashlib.blake2b(digest_size=16)
        for part in (
            outcome.program,
            outcome.rank,
            outcome.supplemental_program,
            outcome.supplemental_rank,
            outcome.reverted,
        ):
            digest.update(np.ascontiguousarray(part).tobytes())
            digest.update(b"|")
        key = digest.digest()
        found = self._done.get(key)
        if found is None:
            found = self._done[key] = audit_arrays(self.market, outcome)
        return found

    def outcome(self, outcome: ArrayOutcome) -> ArrayOutcome:
        """``outcome`` with ``stable`` and ``blocking`` filled in."""
        rows, violations = self.of(outcome)
        return replace(outcome, stable=not len(rows) and not violations, blocking=len(rows))
