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

from matchready.domain.program import CrosswalkEntry, Program
from matchready.domain.requirements import Requirement, RequirementChange
from matchready.domain.tracker_book import Tracker
from matchready.errors import StoreError
from matchready.services.ports import ImportRecord, ProgramsVersion


class _State:
    def __init__(self) -> None:
        self.programs: dict[str, Program] = {}  # by key
        self.history: list[RequirementChange] = []
        self.crosswalk: list[CrosswalkEntry] = []
        self.imports: list[ImportRecord] = []
        self.trackers: dict[str, Tracker] = {}  # by owner


class MemoryProgramRepository:
    """Programs in a dict; implements `ProgramRepository`."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def all(self) -> list[Program]:
        return [self._state.programs[k] for k in sorted(self._state.programs)]

    def preload(self) -> None:
        pass  # everything is in memory already

    def find(self, key: str) -> Program | None:
        for program in self._state.programs.values():
            if key == program.acgme_number or key in {c.code for c in program.codes}:
                return program
        return None

    def save(self, program: Program, replaces: Program | None) -> None:
        if replaces is not None:
            del self._state.programs[replaces.key]
        self._state.programs[program.key] = program

    def set_requirement(self, key: str, requirement: Requirement) -> None:
        program = self.find(key)
        if program is None:
            raise KeyError(key)
        self._state.programs[program.key] = program.with_requirements([requirement])

    def changed_since(self, changes: int) -> list[Program]:
        keys = dict.fromkeys(c.program_key for c in self._state.history[changes:])
        return [p for p in map(self.find, keys) if p is not None]

    def history(self, key: str) -> list[RequirementChange]:
        program = self.find(key)
        keys = {key} if program is None else {program.key, *(c.code for c in program.codes)}
        return [c for c in self._state.history if c.program_key in keys]

    def crosswalk(self) -> list[CrosswalkEntry]:
        return list(self._state.crosswalk)

    def imports(self) -> list[ImportRecord]:
        return list(self._state.imports)

    def revision(self) -> ProgramsVersion:
        return ProgramsVersion(len(self._state.imports), len(self._state.history))


class MemoryTrackerRepository:
    """Trackers in a dict by owner; implements `TrackerRepository`."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def get(self, owner: str) -> Tracker:
        return self._state.trackers.get(owner, Tracker())

    def save(self, owner: str, tracker: Tracker) -> None:
        old = self._state.trackers.get(owner, Tracker())
        if tracker.changes[: len(old.changes)] != old.changes:
            raise StoreError(f"the history of {owner}'s tracker cannot be rewritten")
        self._state.trackers[owner] = tracker

    def replace(self, owner: str, tracker: Tracker) -> None:
        """Replace everything, history included (an import that replaces the tracker)."""
        self._state.trackers[owner] = tracker


class MemoryUnitOfWork:
    """A unit of work over in-memory state, with real commit and rollback."""

    def __init__(self) -> None:
        self._committed = _State()
        self._working = _State()
        self.programs = MemoryProgramRepository(self._working)
        self.tracker = MemoryTrackerRepository(self._working)
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
        now = datetime.now(UTC)
        self._working.history.extend(replace(c, changed_at=now, by_import=True) for c in changes)
        known = set(self._working.crosswalk)
        self._working.crosswalk.extend(e for e in dict.fromkeys(crosswalk) if e not in known)

    def record_changes(self, changes: Sequence[RequirementChange]) -> None:
        now = datetime.now(UTC)
        self._working.history.extend(replace(c, changed_at=now) for c in changes)

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


# The account, session and attempt stores in memory live beside their ports in
# matchready.services.accounts (local mode's rate limiter uses the attempt store).
from matchready.services.accounts import (  # noqa: E402
    MemoryAccountStore as MemoryAccountStore,
)
from matchready.services.accounts import (  # noqa: E402
    MemorySessionStore as MemorySessionStore,
)
