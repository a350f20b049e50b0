"""A :class:`Result` from the fast engine's arrays, its mappings built on first use.

The simulator and the benchmark mostly read a few figures of a national run; building 47,000
:class:`Assignment` objects and 6,600 holder tuples costs more than the Match itself, so the
mappings are filled the first time one is read (they then behave as plain read-only dicts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any, TypeVar

import numpy as np

from matchready.match._arrays import ArrayOutcome
from matchready.match._fast import Market, final_capacity
from matchready.match._layout import MA_PRANK, MS_PRANK
from matchready.match._model import Instance
from matchready.match._result import Assignment, BlockingPair, Result

V = TypeVar("V")


class LazyMapping(Mapping[str, V]):
    """A read-only mapping computed by ``build`` on first access. ``matched`` (assignments
    only) is the number of applicants holding a primary place, known without building it;
    ``json_form`` (assignments only) builds the JSON form straight from the arrays, without an
    :class:`Assignment` per applicant (``_io.result_to_dict`` uses it when the mapping is unbuilt).
    """

    def __init__(
        self,
        build: Callable[[], dict[str, V]],
        matched: int | None = None,
        json_form: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self._build: Callable[[], dict[str, V]] | None = build
        self._data: dict[str, V] = {}
        self.matched = matched
        self._json_form = json_form

    def json_form(self) -> dict[str, Any] | None:
        """The JSON form built from the arrays, or None when there is none or it was built."""
        if self._json_form is None or self._build is None:
            return None
        return self._json_form()

    def _get(self) -> dict[str, V]:
        if self._build is not None:
            self._data = self._build()
            self._build = None
        return self._data

    def __getitem__(self, key: str) -> V:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())


def build_result(
    instance: Instance,
    market: Market,
    found: ArrayOutcome,
    blocking_rows: np.ndarray,
    violations: int,
    audited: bool,
    *,
    seed: int,
    attempts: int,
    order: list[int],
) -> Result:
    """The :class:`Result` the reference path would build for the same matching."""
    apps, progs = market.applicant_ids, market.program_ids
    capacity = final_capacity(market, found.reverted)

    def placed() -> Iterator[tuple[int, tuple[int, int, int, int]]]:
        """(applicant, (program, rank, supplemental program, its rank)), -1 where none."""
        return enumerate(
            zip(
                found.program.tolist(),
                found.rank.tolist(),
                found.supplemental_program.tolist(),
                found.supplemental_rank.tolist(),
                strict=True,
            )
        )

    def assignments() -> dict[str, Assignment]:
        return {
            apps[a]: Assignment(
                progs[p] if p >= 0 else None,
                r if p >= 0 else None,
                progs[q] if q >= 0 else None,
                s if q >= 0 else None,
            )
            for a, (p, r, q, s) in placed()
        }

    def assignments_json() -> dict[str, dict[str, Any]]:
        return {
            apps[a]: {
                "program": progs[p] if p >= 0 else None,
                "rank": r if p >= 0 else None,
                "supplemental": progs[q] if q >= 0 else None,
                "supplemental_rank": s if q >= 0 else None,
            }
            for a, (p, r, q, s) in placed()
        }

    @cache  # programs() and unfilled() both read it
    def holders() -> tuple[list[int], list[list[int]]]:
        buffer, offsets = market.buffer, market.source.applicant_offsets
        who = np.flatnonzero(found.program >= 0)
        at = buffer[MA_PRANK] + offsets[who] + found.rank[who] - 1
        supp = np.flatnonzero(found.supplemental_program >= 0)
        lists = market.source.supplemental_link[offsets[supp] + found.rank[supp] - 1]
        supp_at = (
            buffer[MS_PRANK]
            + market.source.supplemental_offsets[lists]
            + found.supplemental_rank[supp]
            - 1
        )
        program = np.concatenate([found.program[who], found.supplemental_program[supp]])
        rank = np.concatenate([buffer[at], buffer[supp_at]])
        applicant = np.concatenate([who, supp])
        order_ = np.lexsort((rank, program))
        counts = np.bincount(program, minlength=len(progs)).tolist()
        ordered = applicant[order_].tolist()
        split: list[list[int]] = []
        start = 0
        for count in counts:
            split.append(ordered[start : start + count])
            start += count
        return counts, split

    def programs() -> dict[str, tuple[str, ...]]:
        _, split = holders()
        return {progs[p]: tuple(apps[a] for a in held) for p, held in enumerate(split)}

    def capacities() -> dict[str, int]:
        return dict(zip(progs, capacity.tolist(), strict=True))

    def unfilled() -> dict[str, int]:
        counts, _ = holders()
        free = capacity - np.array(counts, dtype=np.int64)
        return {progs[p]: int(free[p]) for p in np.flatnonzero(free > 0).tolist()}

    applied = tuple(
        (r.donor, r.receiver, int(places))
        for r, places in zip(instance.reversions, found.reverted.tolist(), strict=True)
        if places
    )
    return Result(
        engine="fast",
        assignments=LazyMapping(
            assignments, int(np.count_nonzero(found.program >= 0)), assignments_json
        ),
        programs=LazyMapping(programs),
        capacities=LazyMapping(capacities),
        unfilled=LazyMapping(unfilled),
        proposals=found.proposals,
        reversions_applied=applied,
        stable=not len(blocking_rows) and not violations if audited else True,
        blocking=blocking_pairs(instance, market, found, blocking_rows),
        seed=seed,
        attempts=attempts,
        couple_order=tuple(order),
    )


def blocking_pairs(
    instance: Instance, market: Market, found: ArrayOutcome, rows: np.ndarray
) -> tuple[BlockingPair, ...]:
    """The audit's rows ``(kind, who, position)`` as :class:`BlockingPair` objects."""
    found_pairs: list[BlockingPair] = []
    for kind, who, position in rows.tolist():
        if kind == 0:
            applicant = instance.applicants[who]
            program = applicant.ranks[position]
            found_pairs.append(BlockingPair("single", (applicant.id,), (program,)))
        elif kind == 1:
            applicant = instance.applicants[who]
            program_id = market.program_ids[int(found.program[who])]
            choices = next(s.ranks for s in applicant.supplemental if program_id in s.links)
            found_pairs.append(BlockingPair("supplemental", (applicant.id,), (choices[position],)))
        else:
            couple = instance.couples[who]
            first, second = instance.applicant(couple.first), instance.applicant(couple.second)
            found_pairs.append(
                BlockingPair(
                    "couple",
                    (couple.first, couple.second),
                    (first.ranks[position], second.ranks[position]),
                )
            )
    return tuple(found_pairs)
