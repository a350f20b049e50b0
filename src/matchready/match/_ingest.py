"""An instance checked and turned into integer arrays in one pass (the fast path of validation).

Building an :class:`Instance` must say whether it is valid, and running it needs its ids
replaced by indices. Both were Python loops over every rank (1.3 million references at national
size: about 1.7 s on a quiet 2-core machine). :func:`checked_arrays` does both with C-level
passes (``map`` over the flat lists, ``set`` sizes for duplicates, numpy for lengths and
ranges) and returns the :class:`MarketArrays`, or ``None`` as soon as any rule might be broken.
The rules themselves live in ``_validate`` (:func:`~matchready.match._validate.find_problems`,
the readable reference): on ``None`` the instance is handed to it, which names every problem.
The small parts (couples, supplemental lists, reversions) are checked here by the same
functions of ``_validate``. :func:`reference_arrays` is the readable conversion the fast one is
held to by a property test (``tests/unit/match/test_match_ingest.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Sized
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from matchready.match._arrays import MarketArrays
from matchready.match._model import MAX_INDEX, MAX_RANKS, PROGRAM_KINDS, InstanceProblem

if TYPE_CHECKING:
    from matchready.match._model import Instance

Ints = npt.NDArray[np.int64]


def _only(values: Iterable[object], *types: type) -> bool:
    """Every value is exactly of one of ``types`` (no subclasses: ``True`` is not an int)."""
    return set(map(type, values)) <= set(types)


def _no_duplicates(lists: Sequence[tuple[str | None, ...]]) -> bool:
    """No list names an entry twice (a set per list, sizes compared in one C-level pass)."""
    return sum(map(len, map(set, lists))) == sum(map(len, lists))


def _indices(flat: Sequence[str | None], index: dict[str | None, int]) -> np.ndarray | None:
    """``flat`` mapped through ``index`` (None when an entry is unknown or unhashable)."""
    try:
        return np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
    except (KeyError, TypeError):
        return None


def _offsets(lists: Sequence[Sized]) -> np.ndarray:
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def checked_arrays(instance: Instance) -> MarketArrays | None:
    """The instance as arrays if it breaks no rule of ``_validate``; ``None`` when it may.

    ``None`` never means invalid on its own: the caller then runs ``find_problems``, which has
    the last word (a property test holds the two to the same verdict)."""
    from matchready.match._validate import (
        _couple_problems,
        _reversion_problems,
    )

    programs, applicants = instance.programs, instance.applicants
    program_ids = [p.id for p in programs]
    applicant_ids = [a.id for a in applicants]
    if not (_only(program_ids, str) and _only(applicant_ids, str)):
        return None
    program_index: dict[str | None, int] = dict(
        zip(program_ids, range(len(programs)), strict=True)
    )
    applicant_index: dict[str | None, int] = dict(
        zip(applicant_ids, range(len(applicants)), strict=True)
    )
    if len(program_index) != len(programs) or len(applicant_index) != len(applicants):
        return None  # a duplicate id
    if "" in program_index or "" in applicant_index:
        return None
    capacities = [p.capacity for p in programs]
    kinds = [p.kind for p in programs]
    if not _only(capacities, int) or not all(map(PROGRAM_KINDS.__contains__, kinds)):
        return None
    if capacities and not (min(capacities) >= 0 and max(capacities) <= MAX_INDEX):
        return None
    if sum(capacities) > MAX_INDEX:
        return None

    problems: list[InstanceProblem] = []
    coupled = _couple_problems(instance, {a.id: a for a in applicants}, problems)
    if problems:
        return None

    applicant_lists = [a.ranks for a in applicants]
    a_off = _offsets(applicant_lists)
    if len(a_off) > 1 and int(np.diff(a_off).max()) > MAX_RANKS:
        return None
    with_none = {**program_index, None: -1}
    a_prog = _indices(list(chain.from_iterable(applicant_lists)), with_none)
    if a_prog is None:
        return None
    single = np.fromiter(
        (a.id not in coupled for a in applicants), dtype=bool, count=len(a_off) - 1
    )
    if (a_prog[np.repeat(single, np.diff(a_off))] < 0).any():
        return None  # "No Match" on a single's list
    if not _no_duplicates([a.ranks for a in applicants if a.id not in coupled]):
        return None

    program_lists: list[tuple[str | None, ...]] = [p.ranks for p in programs]
    p_off = _offsets(program_lists)
    p_app = _indices(list(chain.from_iterable(program_lists)), applicant_index)
    if p_app is None or not _no_duplicates(program_lists):
        return None

    supplemental = _supplemental_arrays(instance, program_index, kinds, a_off, a_prog)
    if supplemental is None:
        return None
    a_supp, s_owner, s_off, s_prog = supplemental
    if _reversion_problems(instance, {p.id: p for p in programs}):
        return None
    return MarketArrays(
        capacity=np.array(capacities, dtype=np.int64),
        applicant_offsets=a_off,
        applicant_programs=a_prog,
        program_offsets=p_off,
        program_applicants=p_app,
        supplemental_link=a_supp,
        supplemental_applicant=s_owner,
        supplemental_offsets=s_off,
        supplemental_programs=s_prog,
        couple_first=np.array(
            [applicant_index[c.first] for c in instance.couples], dtype=np.int64
        ),
        couple_second=np.array(
            [applicant_index[c.second] for c in instance.couples], dtype=np.int64
        ),
        reversion_donor=np.array(
            [program_index[r.donor] for r in instance.reversions], dtype=np.int64
        ),
        reversion_receiver=np.array(
            [program_index[r.receiver] for r in instance.reversions], dtype=np.int64
        ),
    )


def _supplemental_arrays(
    instance: Instance,
    program_index: dict[str | None, int],
    kinds: Sequence[str],
    a_off: Ints,
    a_prog: Ints,
) -> tuple[Ints, Ints, Ints, Ints] | None:
    """The supplemental lists as arrays (the link of each primary entry, each list's owner,
    offsets and programs) if they break none of ``_validate._supplemental_problems``' rules."""
    owners = [a for a, applicant in enumerate(instance.applicants) if applicant.supplemental]
    lists = [s for a in owners for s in instance.applicants[a].supplemental]
    owner = np.repeat(
        np.array(owners, dtype=np.int64),
        [len(instance.applicants[a].supplemental) for a in owners],
    )
    rank_lists = [s.ranks for s in lists]
    link_lists = [s.links for s in lists]
    s_off, link_off = _offsets(rank_lists), _offsets(link_lists)
    s_prog = _indices(list(chain.from_iterable(rank_lists)), program_index)
    links = _indices(list(chain.from_iterable(link_lists)), program_index)
    if s_prog is None or links is None or not _no_duplicates(rank_lists):
        return None
    if len(lists) and (int(np.diff(s_off).max()) > MAX_RANKS or int(np.diff(link_off).min()) < 1):
        return None
    advanced = np.array([kind == "advanced" for kind in kinds], dtype=bool)
    if not (advanced[links].all() and not advanced[s_prog].any()):
        return None
    a_supp = np.full(len(a_prog), -1, dtype=np.int64)
    if not lists:
        return a_supp, owner, s_off, s_prog
    programs = len(kinds)
    link_keys = np.repeat(owner, np.diff(link_off)) * programs + links  # (owner, program)
    ordered = np.argsort(link_keys, kind="stable")
    sorted_keys = link_keys[ordered]
    if (np.diff(sorted_keys) == 0).any():  # a program linked to two lists of one applicant
        return None
    entry_owner = np.repeat(np.arange(len(a_off) - 1, dtype=np.int64), np.diff(a_off))
    ranked = a_prog >= 0  # a couple's "No Match" (-1) names no program
    entry_keys = np.where(ranked, entry_owner * programs + a_prog, -1)
    at = np.minimum(np.searchsorted(sorted_keys, entry_keys), len(sorted_keys) - 1)
    found = ranked & (sorted_keys[at] == entry_keys)
    on_primary = np.zeros(len(sorted_keys), dtype=bool)
    on_primary[at[found]] = True
    if not on_primary.all():
        return None  # a linked program not on the primary list
    link_list = np.repeat(np.arange(len(lists), dtype=np.int64), np.diff(link_off))
    a_supp[found] = link_list[ordered][at[found]]
    return a_supp, owner, s_off, s_prog


def reference_arrays(instance: Instance) -> MarketArrays:
    """The instance as integer arrays, entry by entry (ids replaced by their position in the
    instance): the readable conversion :func:`checked_arrays` must equal on a valid instance."""
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
