"""The ports the program services use: a repository and a unit of work, as Protocols.

`matchready.store.sql` implements them on SQLAlchemy; tests/fakes.py in memory (the fakes of
the service tests). `matchready.bootstrap` chooses the adapters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple, Protocol, Self

from matchready.domain.program import CrosswalkEntry

if TYPE_CHECKING:  # annotations only: importing the ports stays cheap (the CLI's start)
    from matchready.domain.overrides import Override
    from matchready.domain.program import Claim, LcaEmployer, Program
    from matchready.domain.requirements import Requirement, RequirementChange, RequirementKind
    from matchready.domain.tracker import Tracker

LOCAL_OWNER = "local"
"""Whose data it is in local (single-user) mode: the CLI's and the local web app's one owner
of the profile, the tracker and everything else kept per owner."""


@dataclass(frozen=True)
class ImportRecord:
    """One imported file: what it was, when, and what it did."""

    file_name: str
    checksum: str
    file_format: str
    imported_at: datetime
    inserted: int
    updated: int
    unchanged: int
    rejected: int


class ProgramsVersion(NamedTuple):
    """How far the program store has come: `changes` is the version of the shared program
    data (bumped in the same transaction as every write, so it follows commit order) and
    `imports` counts the writes after which every program is read again (imports). Equal
    versions mean equal programs."""

    imports: int
    changes: int


class ProgramRepository(Protocol):
    """Where programs live."""

    def all(self) -> list[Program]:
        """Every program, ordered by key."""
        ...

    def find(self, key: str) -> Program | None:
        """The program with this ACGME number or NRMP code, if any."""
        ...

    def preload(self) -> None:
        """Read every program at once, for a caller about to look up many (an import):
        `find` then answers from memory instead of one query per key."""
        ...

    def save(self, program: Program, replaces: Program | None) -> None:
        """Add a program, or replace `replaces` (a program read from this repository)."""
        ...

    def history(self, key: str) -> list[RequirementChange]:
        """The requirement changes of a program, oldest first."""
        ...

    def crosswalk(self) -> list[CrosswalkEntry]:
        """Every crosswalk entry."""
        ...

    def imports(self) -> list[ImportRecord]:
        """Every import, oldest first."""
        ...

    def revision(self) -> ProgramsVersion:
        """How far the store has come (for caches of the program table)."""
        ...

    def set_requirement(self, key: str, requirement: Requirement) -> None:
        """Replace (or add) one requirement of the program with this key (it must exist)."""
        ...

    def changed_since(self, changes: int) -> list[Program]:
        """The programs (as they are now) changed after version `changes` (the
        `ProgramsVersion.changes` of an earlier revision)."""
        ...

    def add_claims(self, key: str, claims: Sequence[Claim]) -> None:
        """Record sources' values of the program's requirements (a claim replaces the one of
        the same kind and source)."""
        ...

    def bump_version(self, changed: Sequence[str] = (), *, reload: bool = False) -> int:
        """Bump the program data's version in this transaction; `changed` names the programs
        written (for `changed_since`), `reload` says every program must be read again."""
        ...

    def institution_places(self) -> list[tuple[str, str, str | None, str | None]]:
        """(institution key, name, program city, program state) for every program with an
        institution; the key is the institution's code, else its name."""
        ...

    def replace_lca(self, fiscal_years: Sequence[int], employers: Sequence[LcaEmployer]) -> None:
        """Replace the LCA counts of these fiscal years."""
        ...

    def lca_employers(self) -> list[LcaEmployer]:
        """Every stored LCA count, by employer, city and fiscal year."""
        ...

    def decide_lca(self, employer: str, city: str, state: str, accept: bool) -> int:
        """Confirm (or reject) an employer's match to its institution; the rows changed."""
        ...


class TrackerRepository(Protocol):
    """Where each owner's tracker lives (every row carries its owner)."""

    def get(self, owner: str) -> Tracker:
        """The owner's tracker (an empty one if there is none yet)."""
        ...

    def save(self, owner: str, tracker: Tracker) -> None:
        """Replace the owner's tracker. History lines already stored are kept, never
        rewritten; StoreError if another writer saved this owner's tracker since `get`."""
        ...

    def replace(self, owner: str, tracker: Tracker) -> None:
        """Replace the owner's tracker, history included (an import that replaces it)."""
        ...


class OverrideRepository(Protocol):
    """Where each user's own requirement values live (server mode; see domain/overrides)."""

    def of(self, owner: str) -> list[Override]:
        """The owner's values, oldest first."""
        ...

    def put(self, override: Override) -> None:
        """Add or replace the owner's value of that program's requirement (the program must
        exist)."""
        ...

    def drop(self, owner: str, key: str, kind: RequirementKind) -> bool:
        """Remove the owner's value; whether there was one."""
        ...

    def proposals(self) -> list[Override]:
        """Every value proposed to the editors and not yet decided, oldest first."""
        ...

    def by_number(self, number: int) -> Override | None:
        """The value with this proposal number."""
        ...

    def drop_number(self, number: int) -> None:
        """Remove the value with this proposal number."""
        ...


class UnitOfWork(Protocol):
    """One transaction: everything done inside is committed together or not at all."""

    @property
    def programs(self) -> ProgramRepository:
        """The programs seen by this unit of work."""
        ...

    @property
    def tracker(self) -> TrackerRepository:
        """The trackers seen by this unit of work."""
        ...

    @property
    def overrides(self) -> OverrideRepository:
        """The users' own requirement values seen by this unit of work."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def record_import(
        self,
        record: ImportRecord,
        changes: Sequence[RequirementChange],
        crosswalk: Sequence[CrosswalkEntry],
    ) -> None:
        """Write an import's record, its requirement changes and its crosswalk entries."""
        ...

    def record_changes(self, changes: Sequence[RequirementChange]) -> None:
        """Write requirement changes made by hand (no import), with who made them."""
        ...

    def commit(self) -> None:
        """Make the work durable."""
        ...

    def rollback(self) -> None:
        """Undo the work not yet committed."""
        ...
