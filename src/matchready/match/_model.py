"""The market a Match is run on: programs, applicants, couples, supplemental lists, reversions.

The nouns follow the NRMP rules (reference §1): a rank order list (ROL) per applicant and per
program, couples whose two lists are paired rank by rank with "No Match" (``None``) allowed on
either side, supplemental PGY-1 lists linked to advanced programs, and reversions that move a
donor's unfilled places to a receiver. Building an :class:`Instance` validates it and reports
every problem at once (see ``_validate``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

ProgramKind = Literal["categorical", "preliminary", "advanced"]
PROGRAM_KINDS: tuple[ProgramKind, ...] = ("categorical", "preliminary", "advanced")
MAX_RANKS = 300
"""NRMP: an applicant's rank order list holds at most 300 ranks; the limit applies to every
applicant list here: a single's primary list, each supplemental list and each partner's list of
a couple (reference §1.2; domain-facts: "300 unique programs per list")."""
MAX_COUPLE_RANKS = MAX_RANKS
"""NRMP: each partner of a couple may rank at most 300 pairs (kept for callers)."""
MAX_INDEX = 2**31 - 1
"""The engine indexes its arrays with 32-bit integers: a capacity, the total of all capacities
and the number of list entries must stay at or below this."""


@dataclass(frozen=True)
class Program:
    """A program: its places, its kind and its rank order list of applicants (best first)."""

    id: str
    capacity: int
    ranks: tuple[str, ...] = ()
    kind: ProgramKind = "categorical"


@dataclass(frozen=True)
class SupplementalList:
    """A supplemental PGY-1 ROL, used only while matched to one of the linked advanced programs.

    NRMP (reference §1.3): the list is consulted only when the applicant holds one of ``links``;
    the applicant never goes further down the primary list because of it.
    """

    links: tuple[str, ...]
    ranks: tuple[str, ...]


@dataclass(frozen=True)
class Applicant:
    """An applicant: the primary ROL (best first) and any supplemental lists.

    ``None`` in ``ranks`` is "No Match" and is only meaningful for a member of a couple.
    """

    id: str
    ranks: tuple[str | None, ...] = ()
    supplemental: tuple[SupplementalList, ...] = ()


@dataclass(frozen=True)
class Couple:
    """Two applicants whose ROLs are paired: rank i of ``first`` goes with rank i of ``second``."""

    first: str
    second: str


@dataclass(frozen=True)
class Reversion:
    """NRMP reversion: places the donor leaves unfilled are added to the receiver's quota."""

    donor: str
    receiver: str


Subject = tuple[str, ...]
"""What a problem is about, e.g. ``("applicant", "Brown", "rank 3")``; readers map it to a row."""


@dataclass(frozen=True)
class InstanceProblem:
    """One problem in an instance: the message, its subject, and the file and row if known."""

    message: str
    subject: Subject
    file: str | None = None
    row: int | None = None

    @property
    def where(self) -> str:
        """Human-readable location: file and row when read from a file, else the subject."""
        subject = " ".join(self.subject)
        if self.file is None:
            return subject
        if self.row is not None:
            return f"{self.file}, row {self.row}"
        return self.file if self.subject[:1] == ("file",) else f"{self.file}, {subject}"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class InstanceError(ValueError):
    """An instance is invalid. ``problems`` lists every problem found, each with where it is."""

    def __init__(self, problems: Iterable[InstanceProblem]) -> None:
        self.problems: tuple[InstanceProblem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Instance:
    """A validated Match market. Construction raises :class:`InstanceError` listing all problems.

    ``origins`` maps a problem subject to ``(file, row)`` when the instance was read from files.
    """

    programs: tuple[Program, ...]
    applicants: tuple[Applicant, ...]
    couples: tuple[Couple, ...] = ()
    reversions: tuple[Reversion, ...] = ()
    origins: Mapping[Subject, tuple[str, int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        from matchready.match._ingest import checked_arrays
        from matchready.match._validate import find_problems

        arrays = checked_arrays(self)  # the fast pass: the arrays, or None if a rule may break
        if arrays is not None:
            self.__dict__["_arrays"] = arrays  # kept for the engine (``_fast.compile_market``)
            return
        problems = find_problems(self)  # the rules, read one by one: every problem named
        if problems:
            located = [_locate(problem, self.origins) for problem in problems]
            raise InstanceError(located)

    def program(self, program_id: str) -> Program:
        """The program with this id."""
        return self._programs_by_id[program_id]

    def applicant(self, applicant_id: str) -> Applicant:
        """The applicant with this id."""
        return self._applicants_by_id[applicant_id]

    @cached_property
    def _programs_by_id(self) -> dict[str, Program]:
        return {program.id: program for program in self.programs}

    @cached_property
    def _applicants_by_id(self) -> dict[str, Applicant]:
        return {applicant.id: applicant for applicant in self.applicants}

    def partner_of(self) -> dict[str, tuple[int, str]]:
        """Map each coupled applicant to (couple index, partner id)."""
        partners: dict[str, tuple[int, str]] = {}
        for index, couple in enumerate(self.couples):
            partners[couple.first] = (index, couple.second)
            partners[couple.second] = (index, couple.first)
        return partners

    def size(self) -> dict[str, int]:
        """Counts that describe the market (applicants, programs, places, ranks, couples)."""
        return {
            "applicants": len(self.applicants),
            "programs": len(self.programs),
            "places": sum(p.capacity for p in self.programs),
            "applicant_ranks": sum(len(a.ranks) for a in self.applicants),
            "program_ranks": sum(len(p.ranks) for p in self.programs),
            "couples": len(self.couples),
            "supplemental_lists": sum(len(a.supplemental) for a in self.applicants),
            "reversions": len(self.reversions),
        }


def _locate(
    problem: InstanceProblem, origins: Mapping[Subject, tuple[str, int]]
) -> InstanceProblem:
    """Attach file and row to a problem, trying its subject then ever shorter prefixes."""
    for length in range(len(problem.subject), 0, -1):
        origin = origins.get(problem.subject[:length])
        if origin is not None:
            return InstanceProblem(problem.message, problem.subject, origin[0], origin[1])
    return problem
