"""The array-level entry point: a market as integer arrays in, integer arrays out.

For callers that build many markets (the odds simulator runs thousands), building
:class:`Instance` objects with string ids costs more than the Match itself. :class:`MarketArrays`
holds the same market with applicants, programs, couples and supplemental lists as integers;
:func:`solve` runs the fast engine on it with the same attempts and couple orders as
:func:`run_match` and returns :class:`ArrayOutcome`. :func:`to_arrays` converts an instance
(its applicants and programs keep their order), so the two entry points can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from matchready.match._model import MAX_INDEX, Instance, InstanceError, InstanceProblem
from matchready.match._outcome import DEFAULT_MAX_ATTEMPTS, DEFAULT_RESTART_LIMIT, couple_order

Ints = npt.NDArray[np.int64]


def _ints(values: object) -> Ints:
    return np.ascontiguousarray(values, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class MarketArrays:
    """A Match market as integer arrays.

    Applicant ``a``'s rank order list is ``applicant_programs[applicant_offsets[a]:
    applicant_offsets[a + 1]]`` (program indices, best first; -1 is a "No Match" row, allowed on
    couples' lists only). Program ``p``'s list is ``program_applicants[program_offsets[p]:
    program_offsets[p + 1]]``. ``supplemental_link[k]`` is, for applicant entry ``k``, the
    supplemental list used when the applicant matches there (-1: none); list ``l`` belongs to
    ``supplemental_applicant[l]`` and ranks ``supplemental_programs[supplemental_offsets[l]:
    supplemental_offsets[l + 1]]``. Couple ``c`` is ``(couple_first[c], couple_second[c])``,
    whose lists have equal length and are read row by row as pairs. Reversion ``r`` moves the
    unfilled places of ``reversion_donor[r]`` to ``reversion_receiver[r]``.
    """

    capacity: Ints
    applicant_offsets: Ints
    applicant_programs: Ints
    program_offsets: Ints
    program_applicants: Ints
    supplemental_link: Ints = field(default_factory=lambda: _ints([]))
    supplemental_applicant: Ints = field(default_factory=lambda: _ints([]))
    supplemental_offsets: Ints = field(default_factory=lambda: _ints([0]))
    supplemental_programs: Ints = field(default_factory=lambda: _ints([]))
    couple_first: Ints = field(default_factory=lambda: _ints([]))
    couple_second: Ints = field(default_factory=lambda: _ints([]))
    reversion_donor: Ints = field(default_factory=lambda: _ints([]))
    reversion_receiver: Ints = field(default_factory=lambda: _ints([]))

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            object.__setattr__(self, name, _ints(getattr(self, name)))
        if len(self.supplemental_link) == 0 and len(self.applicant_programs):
            object.__setattr__(
                self, "supplemental_link", np.full(len(self.applicant_programs), -1, np.int64)
            )

    @property
    def applicants(self) -> int:
        return len(self.applicant_offsets) - 1

    @property
    def programs(self) -> int:
        return len(self.capacity)

    def problems(self) -> list[InstanceProblem]:
        """Structural problems (array shapes and index ranges), each with where it is."""
        found: list[InstanceProblem] = []
        n, p = self.applicants, self.programs

        def check(ok: bool, where: str, message: str) -> None:
            if not ok:
                found.append(InstanceProblem(message, ("arrays", where)))

        def offsets(name: str, values: Ints, count: int, total: int) -> None:
            check(len(values) == count + 1, name, f"needs {count + 1} entries, has {len(values)}")
            if len(values):
                check(int(values[0]) == 0, name, "must start at 0")
                check(int(values[-1]) == total, name, f"must end at {total}")
                check(bool(np.all(np.diff(values) >= 0)), name, "must not decrease")

        def indices(name: str, values: Ints, low: int, high: int) -> None:
            bad = np.flatnonzero((values < low) | (values >= high))
            if len(bad):
                check(
                    False, f"{name}[{int(bad[0])}]", f"index {int(values[bad[0]])} is out of range"
                )

        check(len(self.applicant_offsets) > 0, "applicant_offsets", "must not be empty")
        offsets("applicant_offsets", self.applicant_offsets, n, len(self.applicant_programs))
        offsets("program_offsets", self.program_offsets, p, len(self.program_applicants))
        lists = len(self.supplemental_applicant)
        offsets(
            "supplemental_offsets",
            self.supplemental_offsets,
            lists,
            len(self.supplemental_programs),
        )
        negative = np.flatnonzero(self.capacity < 0)
        check(not len(negative), f"capacity[{negative[0] if len(negative) else 0}]", "is below 0")
        huge = np.flatnonzero(self.capacity > MAX_INDEX)
        check(
            not len(huge),
            f"capacity[{huge[0] if len(huge) else 0}]",
            f"is above the limit of {MAX_INDEX:,} places (32-bit indices)",
        )
        if not len(huge) and not len(negative):
            total = int(self.capacity.sum())
            check(
                total <= MAX_INDEX,
                "capacity",
                f"totals {total:,} places, above the limit of {MAX_INDEX:,} (32-bit indices)",
            )
        indices("applicant_programs", self.applicant_programs, -1, p)
        indices("program_applicants", self.program_applicants, 0, n)
        indices("supplemental_programs", self.supplemental_programs, 0, p)
        indices("supplemental_applicant", self.supplemental_applicant, 0, n)
        indices("supplemental_link", self.supplemental_link, -1, lists)
        check(
            len(self.supplemental_link) == len(self.applicant_programs),
            "supplemental_link",
            "needs one entry per applicant rank",
        )
        for name in ("couple_first", "couple_second"):
            indices(name, getattr(self, name), 0, n)
        check(len(self.couple_first) == len(self.couple_second), "couple_second", "length")
        for name in ("reversion_donor", "reversion_receiver"):
            indices(name, getattr(self, name), 0, p)
        check(
            len(self.reversion_donor) == len(self.reversion_receiver),
            "reversion_receiver",
            "length",
        )
        return found


@dataclass(frozen=True, eq=False)
class ArrayOutcome:
    """The Match result on a :class:`MarketArrays`, per applicant index.

    ``program[a]`` is the program applicant ``a`` matched (-1: unmatched) and ``rank[a]`` its
    1-based position on the applicant's list (0: unmatched); ``supplemental_*`` likewise for the
    PGY-1 place from a supplemental list. ``cycled`` is true when every attempt met a cycle
    (the matching is complete; ``stable`` then says whether it is stable all the same).

    ``stable`` and ``blocking`` come from the stability audit (``_audit``): ``stable`` is None
    when no audit ran (an attempt without a cycle and ``solve(audit=False)``: stable by
    construction), else whether the matching has no blocking pair and breaks no rule;
    ``blocking`` is the number of blocking pairs (singles, supplemental lists and couples).
    """

    program: Ints
    rank: Ints
    supplemental_program: Ints
    supplemental_rank: Ints
    proposals: int
    attempts: int
    cycled: bool
    reverted: Ints  # places moved, per reversion
    stable: bool | None = None
    blocking: int = 0


def to_arrays(instance: Instance) -> MarketArrays:
    """The instance as integer arrays (applicant and program indices in instance order)."""
    from matchready.match._fast import compile_market

    return compile_market(instance).source


def solve(
    market: MarketArrays,
    *,
    seed: int = 0,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    restart_limit: int = DEFAULT_RESTART_LIMIT,
    audit: bool = False,
) -> ArrayOutcome:
    """Run the Match on ``market`` with the fast engine.

    Couples enter in input order, then in seeded re-shuffles (as :func:`run_match`) while an
    attempt meets a cycle, up to ``max_attempts``. After a cycle the stability audit decides
    (as in :func:`run_match`): a stable matching is returned at once; otherwise the attempt
    with the fewest blocking pairs is returned, with ``attempts = max_attempts``. ``audit=True``
    audits an attempt without a cycle too (it fills ``stable`` and ``blocking``). Every attempt
    shares the singles phase, which does not depend on the couple order, so a retry costs only
    the couples phase. Raises :class:`InstanceError` on arrays that do not describe a market.
    """
    from matchready.match._fast import Audits, compile_arrays, run_attempt

    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    problems = market.problems()
    if problems:
        raise InstanceError(problems)
    compiled = compile_arrays(market)
    audits = Audits(compiled)
    couples = len(market.couple_first)
    attempts = max_attempts if couples else 1
    best: ArrayOutcome | None = None
    for attempt in range(attempts):
        order = np.array(couple_order(couples, seed, attempt), dtype=np.int64)
        outcome = run_attempt(compiled, order, restart_limit, attempt + 1)
        if not outcome.cycled and not audit:
            return outcome
        outcome = audits.outcome(outcome)
        if outcome.stable or not outcome.cycled:
            return outcome
        if best is None or outcome.blocking < best.blocking:
            best = outcome
    assert best is not None
    return replace(best, attempts=attempts)
