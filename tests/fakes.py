"""In-memory fakes of the ports (unit of work, accounts, sessions, profiles) for tests.

The application builds its real adapters in `matchready.bootstrap`; tests pass these instead.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from matchready.domain.overrides import Override, ProposalState
from matchready.domain.program import (
    Claim,
    CrosswalkEntry,
    LcaEmployer,
    LcaEvidence,
    Program,
    ProgramCode,
)
from matchready.domain.requirements import Requirement, RequirementChange, RequirementKind
from matchready.domain.tracker import Tracker
from matchready.errors import StoreError
from matchready.services.ports import ImportRecord, ProgramsVersion


class _State:
    def __init__(self) -> None:
        self.programs: dict[str, Program] = {}  # by key
        self.history: list[RequirementChange] = []
        self.crosswalk: list[CrosswalkEntry] = []
        self.imports: list[ImportRecord] = []
        self.trackers: dict[str, Tracker] = {}  # by owner
        self.lca: list[LcaEmployer] = []
        self.version = 0
        self.reloads = 0
        self.changed: dict[str, int] = {}  # program key -> version of its last change
        self.overrides: dict[int, Override] = {}  # by number


class MemoryProgramRepository:
    """Programs in a dict; implements `ProgramRepository`."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def all(self) -> list[Program]:
        return [self._read(self._state.programs[k]) for k in sorted(self._state.programs)]

    def _read(self, program: Program) -> Program:
        """The program with its institution's LCA evidence (as the SQL store reads it)."""
        if not self._state.lca or program.institution is None:
            return program
        key = program.institution.code or program.institution.name
        years = tuple(sorted({e.fiscal_year for e in self._state.lca}))
        counts: dict[int, int] = {}
        for e in self._state.lca:
            if e.institution == key and e.match_status in {"matched", "confirmed"}:
                counts[e.fiscal_year] = counts.get(e.fiscal_year, 0) + e.certified
        return replace(program, h1b_evidence=LcaEvidence(tuple(sorted(counts.items())), years))

    def preload(self) -> None:
        pass  # everything is in memory already

    def find(self, key: str) -> Program | None:
        for program in self._state.programs.values():
            if key == program.acgme_number or key in {c.code for c in program.codes}:
                return self._read(program)
        return None

    def save(self, program: Program, replaces: Program | None) -> None:
        if replaces is not None:
            del self._state.programs[replaces.key]
        self._state.programs[program.key] = replace(program, h1b_evidence=None)

    def set_requirement(self, key: str, requirement: Requirement) -> None:
        program = self.find(key)
        if program is None:
            raise KeyError(key)
        stored = self._state.programs[program.key]
        self._state.programs[program.key] = stored.with_requirements([requirement])

    def changed_since(self, changes: int) -> list[Program]:
        keys = [k for k, v in self._state.changed.items() if v > changes]
        return [p for p in map(self.find, keys) if p is not None]

    def add_claims(self, key: str, claims: Sequence[Claim]) -> None:
        program = self.find(key)
        if program is None:
            raise KeyError(key)
        stored = self._state.programs[program.key]
        kept = [c for c in claims if c.source_kind.value != "lca"]
        self._state.programs[program.key] = stored.with_claims(kept)

    def bump_version(self, changed: Sequence[str] = (), *, reload: bool = False) -> int:
        self._state.version += 1
        self._state.reloads += 1 if reload else 0
        for key in changed:
            program = self.find(key)
            if program is not None:
                self._state.changed[program.key] = self._state.version
        return self._state.version

    def institution_places(self) -> list[tuple[str, str, str | None, str | None]]:
        return [
            (p.institution.code or p.institution.name, p.institution.name, p.city, p.state)
            for p in self._state.programs.values()
            if p.institution is not None
        ]

    def replace_lca(self, fiscal_years: Sequence[int], employers: Sequence[LcaEmployer]) -> None:
        years = set(fiscal_years)
        self._state.lca = [e for e in self._state.lca if e.fiscal_year not in years]
        self._state.lca += list(employers)

    def lca_employers(self) -> list[LcaEmployer]:
        return sorted(self._state.lca, key=lambda e: (e.employer, e.city, e.fiscal_year))

    def decide_lca(self, employer: str, city: str, state: str, accept: bool) -> int:
        changed = 0
        for i, e in enumerate(self._state.lca):
            if (e.employer, e.city, e.state) == (employer, city, state):
                status = "confirmed" if accept else "rejected"
                institution = e.institution if accept else None
                name = e.institution_name if accept else None
                self._state.lca[i] = replace(
                    e, match_status=status, institution=institution, institution_name=name
                )
                changed += 1
        return changed

    def history(self, key: str) -> list[RequirementChange]:
        program = self.find(key)
        keys = {key} if program is None else {program.key, *(c.code for c in program.codes)}
        return [c for c in self._state.history if c.program_key in keys]

    def crosswalk(self) -> list[CrosswalkEntry]:
        return list(self._state.crosswalk)

    def imports(self) -> list[ImportRecord]:
        return list(self._state.imports)

    def revision(self) -> ProgramsVersion:
        return ProgramsVersion(self._state.reloads, self._state.version)


class MemoryTrackerRepository:
    """Trackers in a dict by owner; implements `TrackerRepository`."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def get(self, owner: str) -> Tracker:
        return self._state.trackers.get(owner, Tracker())

    def save(self, owner: str, tracker: Tracker) -> None:
        old = self._state.trackers.get(owner, Tracker())
        kept = [tracker.application(a.program) for a in old.applications]
        if any(
            new is None or new.history[: len(a.history)] != a.history
            for a, new in zip(old.applications, kept, strict=True)
        ):
            raise StoreError(f"the history of {owner}'s tracker cannot be rewritten")
        self._state.trackers[owner] = tracker

    def replace(self, owner: str, tracker: Tracker) -> None:
        """Replace everything, history included (an import that replaces the tracker)."""
        self._state.trackers[owner] = tracker


class MemoryOverrideRepository:
    """Users' own values in a dict by number; implements `OverrideRepository`."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def _number(self, owner: str, key: str, kind: RequirementKind) -> int | None:
        return next(
            (
                n
                for n, o in self._state.overrides.items()
                if (o.owner, o.program_key, o.kind) == (owner, key, kind)
            ),
            None,
        )

    def of(self, owner: str) -> list[Override]:
        return [o for o in self._state.overrides.values() if o.owner == owner]

    def put(self, override: Override) -> None:
        if override.program_key not in self._state.programs:
            raise KeyError(override.program_key)
        number = self._number(override.owner, override.program_key, override.kind)
        if number is None:
            number = max(self._state.overrides, default=0) + 1
        at = override.recorded_at or datetime.now(UTC)
        self._state.overrides[number] = replace(override, recorded_at=at, number=number)

    def drop(self, owner: str, key: str, kind: RequirementKind) -> bool:
        number = self._number(owner, key, kind)
        if number is None:
            return False
        del self._state.overrides[number]
        return True

    def proposals(self) -> list[Override]:
        return [o for o in self._state.overrides.values() if o.proposal is ProposalState.PROPOSED]

    def by_number(self, number: int) -> Override | None:
        return self._state.overrides.get(number)

    def drop_number(self, number: int) -> None:
        self._state.overrides.pop(number, None)


class MemoryUnitOfWork:
    """A unit of work over in-memory state, with real commit and rollback."""

    def __init__(self) -> None:
        self._committed = _State()
        self._working = _State()
        self.programs = MemoryProgramRepository(self._working)
        self.tracker = MemoryTrackerRepository(self._working)
        self.overrides = MemoryOverrideRepository(self._working)
        self.commits = 0

    def __enter__(self) -> Self:
        self._working.__dict__.update(copy.deepcopy(self._committed.__dict__))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def record_import(
        self,
        record: ImportRecord,
        changes: Sequence[RequirementChange],
        crosswalk: Sequence[CrosswalkEntry],
    ) -> None:
        self._working.imports.append(record)
        self.programs.bump_version(reload=True)
        now = datetime.now(UTC)
        self._working.history.extend(replace(c, changed_at=now, by_import=True) for c in changes)
        known = set(self._working.crosswalk)
        self._working.crosswalk.extend(e for e in dict.fromkeys(crosswalk) if e not in known)

    def record_changes(self, changes: Sequence[RequirementChange]) -> None:
        now = datetime.now(UTC)
        self._working.history.extend(replace(c, changed_at=now) for c in changes)
        self.programs.bump_version([c.program_key for c in changes])

    def commit(self) -> None:
        self._committed.__dict__.update(copy.deepcopy(self._working.__dict__))
        self.commits += 1

    def rollback(self) -> None:
        self._working.__dict__.update(copy.deepcopy(self._committed.__dict__))


class MemoryProfileStore:
    """Profiles (TOML text) in a dict by owner; implements `ProfileStore`."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def read(self, owner: str) -> str | None:
        return self._texts.get(owner)

    def write(self, owner: str, text: str) -> None:
        self._texts[owner] = text


def example_programs() -> MemoryUnitOfWork:
    """A unit of work over four fictional programs (one with two tracks, one advanced)."""
    uow = MemoryUnitOfWork()
    with uow:
        for name, codes, acgme in [
            ("Example IM (fictional)", ("1000140C0", "1000140P0"), "1403621075"),
            ("Example Anesthesiology (fictional)", ("1002040A0",), None),
            ("Example FM (fictional)", (), "1203100001"),
            ("Example TY (fictional)", ("1003999P0",), "9999999999"),
        ]:
            program = Program(
                name=name, acgme_number=acgme, codes=tuple(ProgramCode(c) for c in codes)
            )
            uow.programs.save(program, None)
        uow.commit()
    return uow


# The account, session and attempt stores in memory live beside their ports in
# matchready.services.accounts (local mode's rate limiter uses the attempt store).
from matchready.services.accounts import (  # noqa: E402
    MemoryAccountStore as MemoryAccountStore,
)
from matchready.services.accounts import (  # noqa: E402
    MemorySessionStore as MemorySessionStore,
)
