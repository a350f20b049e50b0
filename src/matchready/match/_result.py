"""The result of a Match run, and its explanation for one applicant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

BlockingKind = Literal["single", "supplemental", "couple"]


@dataclass(frozen=True)
class Assignment:
    """Where one applicant matched: the program and the 1-based rank (pair number for a couple),
    and the supplemental PGY-1 program if any."""

    program: str | None = None
    rank: int | None = None
    supplemental: str | None = None
    supplemental_rank: int | None = None


@dataclass(frozen=True)
class BlockingPair:
    """Applicants and programs that would all rather be matched to each other (an instability).

    For a couple, ``programs`` is the pair of programs (``None`` is "No Match").
    """

    kind: BlockingKind
    applicants: tuple[str, ...]
    programs: tuple[str | None, ...]

    def __str__(self) -> str:
        programs = ", ".join("No Match" if p is None else p for p in self.programs)
        return f"{self.kind} {'+'.join(self.applicants)} and {programs}"


@dataclass(frozen=True)
class Search:
    """How far :func:`run_match` searched for a stable matching after its first couple orders
    (``max_attempts``) all ended unstable.

    ``region`` is the size of the unstable region the budget was scaled to (applicants, couples
    and programs in the blocking pairs of the best first attempt); ``budget_attempts`` and
    ``budget_seconds`` the budget it set (more couple orders until either is spent); ``attempts``
    and ``seconds`` what it used. ``exact`` is the exact model's verdict: ``"stable"`` (it
    returned the matching), ``"none"`` (a proof that no stable matching exists under the adopted
    definition), ``"unknown"`` (not decided: ``reason``) or ``"not run"`` (``reason``: market too
    large, or a stable matching was found before)."""

    region: int
    budget_attempts: int
    budget_seconds: float
    attempts: int
    seconds: float
    found_by: Literal["couple order", "exact model", "none"]
    exact: Literal["stable", "none", "unknown", "not run"]
    reason: str = ""

    def __str__(self) -> str:
        searched = (
            f"searched {self.attempts} couple orders in {self.seconds:.2f} s (budget "
            f"{self.budget_attempts} orders or {self.budget_seconds:.1f} s for an unstable "
            f"region of {self.region})"
        )
        verdicts = {
            "stable": "the exact model found a stable matching",
            "none": "the exact model proved that no stable matching exists",
            "unknown": f"the exact model did not decide ({self.reason})",
            "not run": f"exact model not run ({self.reason})",
        }
        return f"{searched}; {verdicts[self.exact]}"


@dataclass(frozen=True)
class Result:
    """A Match result.

    ``programs`` lists each program's matched applicants best first (primary and supplemental
    places); ``capacities`` are the final quotas after reversions; ``stable`` is True when an
    attempt finished without a cycle and the stability audit found no blocking pair.
    """

    engine: str
    assignments: Mapping[str, Assignment]
    programs: Mapping[str, tuple[str, ...]]
    capacities: Mapping[str, int]
    unfilled: Mapping[str, int]
    proposals: int
    reversions_applied: tuple[tuple[str, str, int], ...]
    stable: bool
    blocking: tuple[BlockingPair, ...]
    seed: int
    attempts: int
    couple_order: tuple[int, ...]
    log: tuple[str, ...] = field(default=(), compare=False)
    search: Search | None = field(default=None, compare=False)
    """Set when the first ``max_attempts`` couple orders all ended unstable (:class:`Search`)."""

    def matched_count(self) -> int:
        """How many applicants hold a primary place (without building every assignment when
        the fast engine already knows)."""
        known = getattr(self.assignments, "matched", None)
        if isinstance(known, int):
            return known
        return sum(1 for seat in self.assignments.values() if seat.program is not None)

    def matched(self) -> dict[str, str | None]:
        """Applicant id to matched (primary) program or None."""
        return {a: s.program for a, s in self.assignments.items()}

    def same_matching(self, other: Result) -> bool:
        """True when both results match everyone identically with the same counts."""
        return (
            self.assignments == other.assignments
            and self.programs == other.programs
            and self.capacities == other.capacities
            and self.proposals == other.proposals
            and self.reversions_applied == other.reversions_applied
            and self.stable == other.stable
            and self.blocking == other.blocking
            and self.couple_order == other.couple_order
        )
