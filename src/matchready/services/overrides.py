"""Who edits the shared program data, and every other user's own values (server mode).

`correct_requirement` is the one use case behind a correction from the web page or the API:
an editor's correction changes the shared data (history, claims, as `edit_requirement`); any
other user's becomes their own value (an override, see `matchready.domain.overrides`), applied
to their screening only. They can propose it; an editor accepts it (the shared value becomes
it, recorded as made by that editor, and the user's own copy is no longer needed) or declines
it (the user keeps it). Locally the one user is the editor (`LOCAL_ACTOR`).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from matchready.domain.overrides import Override, ProposalState, apply_overrides
from matchready.domain.program import Program
from matchready.domain.requirements import Requirement, RequirementChange, RequirementKind
from matchready.domain.screening_table import ProgramTable
from matchready.errors import NotAllowedError, NotFoundError
from matchready.services.ports import LOCAL_OWNER, UnitOfWork
from matchready.services.programs import (
    RequirementEdit,
    edit_requirement,
    read_requirement_edit,
    write_requirement,
)
from matchready.services.screening import with_programs


@dataclass(frozen=True)
class Actor:
    """Who is asking: whose own values they see (`owner`), whether they edit the shared data,
    and how history records their shared changes (`name`: never an email)."""

    owner: str
    editor: bool
    name: str


LOCAL_ACTOR = Actor(LOCAL_OWNER, True, "local user")
"""The one local user, who is the editor of their own program data."""

EDITORS_ONLY = "only an editor decides proposals (an administrator grants the role)"


class Scope(enum.StrEnum):
    """Where a correction went."""

    SHARED = "shared"  # the program data every user is screened against
    YOURS = "yours"  # the user's own value


@dataclass(frozen=True)
class Correction:
    """What a correction did: where it went, and the change (None: nothing changed)."""

    scope: Scope
    change: RequirementChange | None


def _find(uow: UnitOfWork, key: str) -> Program:
    program = uow.programs.find(key.strip().upper())
    if program is None:
        raise NotFoundError(f"no program with ACGME number or NRMP code {key!r}")
    return program


def correct_requirement(
    uow: UnitOfWork, edit: RequirementEdit, actor: Actor, today: date
) -> Correction:
    """Correct one requirement: the shared value for an editor, else the actor's own value
    (read by the same rules; a changed value is no longer proposed until proposed again)."""
    if actor.editor:
        return Correction(Scope.SHARED, edit_requirement(uow, edit, actor.name, today))
    requirement = read_requirement_edit(edit, today)
    with uow:
        program = _find(uow, edit.program)
        mine = {o.kind: o for o in uow.overrides.of(actor.owner) if o.program_key == program.key}
        old = mine.get(requirement.kind)
        if old is not None and old.requirement == requirement:
            return Correction(Scope.YOURS, None)
        before = old.requirement if old is not None else program.requirement(requirement.kind)
        uow.overrides.put(Override(actor.owner, program.key, requirement))
        uow.commit()
    kept = before if before.known or before.source else None
    return Correction(Scope.YOURS, RequirementChange(program.key, kept, requirement, "you"))


def remove_override(uow: UnitOfWork, actor: Actor, key: str, kind: RequirementKind) -> bool:
    """Drop the actor's own value (the shared one applies again); whether there was one."""
    with uow:
        program = _find(uow, key)
        removed = uow.overrides.drop(actor.owner, program.key, kind)
        uow.commit()
    return removed


def propose_override(uow: UnitOfWork, actor: Actor, key: str, kind: RequirementKind) -> Override:
    """Propose the actor's own value to the editors (again, after a decline)."""
    with uow:
        program = _find(uow, key)
        mine = uow.overrides.of(actor.owner)
        found = next((o for o in mine if (o.program_key, o.kind) == (program.key, kind)), None)
        if found is None:
            raise NotFoundError(f"you have no value of your own for {kind.value} of {program.key}")
        proposed = replace(found, proposal=ProposalState.PROPOSED, recorded_at=datetime.now(UTC))
        uow.overrides.put(proposed)
        uow.commit()
    return proposed


@dataclass(frozen=True)
class Proposal:
    """A value proposed to the editors, beside the shared one (who proposed it is not shown)."""

    number: int
    program_key: str
    program_name: str
    proposed: Requirement
    shared: Requirement
    proposed_at: datetime | None


def list_proposals(uow: UnitOfWork, actor: Actor) -> list[Proposal]:
    """The proposals waiting for an editor, oldest first (editors only)."""
    if not actor.editor:
        raise NotAllowedError(EDITORS_ONLY)
    with uow:
        found = []
        for override in uow.overrides.proposals():
            program = uow.programs.find(override.program_key)
            if program is None or override.number is None:
                continue
            found.append(
                Proposal(
                    override.number,
                    program.key,
                    program.name,
                    override.requirement,
                    program.requirement(override.kind),
                    override.recorded_at,
                )
            )
    return found


def decide_proposal(
    uow: UnitOfWork, actor: Actor, number: int, *, accept: bool
) -> RequirementChange | None:
    """Accept (the shared value becomes the proposed one, recorded as the editor's change; the
    other sources' values of it are set aside, as when an editor resolves a conflict; and the
    proposer's own copy goes) or decline (the proposer keeps it as their own) a proposal,
    in one transaction; the shared change when accepted (None when it changed nothing)."""
    if not actor.editor:
        raise NotAllowedError(EDITORS_ONLY)
    with uow:
        override = uow.overrides.by_number(number)
        if override is None or override.proposal is not ProposalState.PROPOSED:
            raise NotFoundError(f"no open proposal number {number}")
        change = None
        if accept:
            program = _find(uow, override.program_key)
            requirement = override.requirement
            change = write_requirement(uow, program, requirement, actor.name, resolve=True)
            uow.overrides.drop_number(number)
        else:
            uow.overrides.put(replace(override, proposal=ProposalState.DECLINED))
        uow.commit()
    return change


def overrides_of(uow: UnitOfWork, owner: str) -> list[Override]:
    """The owner's own values (none for the local user, who edits the shared data)."""
    with uow:
        return uow.overrides.of(owner)


@dataclass(frozen=True)
class ProgramView:
    """One program as one user sees it: the shared program, theirs (with their own values in
    place), their values, and the shared history."""

    shared: Program
    seen: Program
    overrides: tuple[Override, ...]
    history: tuple[RequirementChange, ...]


def view_program(uow: UnitOfWork, key: str, owner: str) -> ProgramView:
    """A program by ACGME number or NRMP code as `owner` sees it, with its history."""
    with uow:
        program = _find(uow, key)
        mine = tuple(o for o in uow.overrides.of(owner) if o.program_key == program.key)
        history = tuple(uow.programs.history(program.key))
    return ProgramView(program, apply_overrides(program, mine), mine, history)


def fingerprint(overrides: Sequence[Override]) -> str:
    """A digest of a user's own values, for cache keys ('' when they have none)."""
    if not overrides:
        return ""
    text = "|".join(
        f"{o.program_key}:{o.kind.value}:{o.requirement!r}:{o.proposal.value}" for o in overrides
    )
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def with_overrides(table: ProgramTable, overrides: Sequence[Override]) -> ProgramTable:
    """The screening table as one user sees it: the programs they hold values for replaced by
    their own view (a few columns, not a new table of every program)."""
    if not overrides:
        return table
    keys = {o.program_key for o in overrides}
    programs = [apply_overrides(p, overrides) for p in table.programs if p.key in keys]
    return with_programs(table, programs) or table
