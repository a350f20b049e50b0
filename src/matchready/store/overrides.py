"""The SQLAlchemy adapter of the users' own requirement values (`OverrideRepository`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matchready.domain.overrides import Override, ProposalState
from matchready.domain.requirements import Requirement, RequirementKind, Strictness, parse_value
from matchready.store.mapping import requirement_columns
from matchready.store.models import ProgramCodeRow, ProgramRow, RequirementOverrideRow


class _Programs(Protocol):
    def row_of(self, key: str) -> ProgramRow | None: ...


class SqlOverrideRepository:
    """Each owner's own values, keyed on owner, program and kind; within one session."""

    def __init__(self, session: Session, programs: _Programs) -> None:
        self._session = session
        self._programs = programs

    def _keys(self, program_ids: set[int]) -> dict[int, str]:
        """The key of each program (its ACGME number, else its first NRMP code)."""
        if not program_ids:
            return {}
        keys: dict[int, str] = {}
        numbers = select(ProgramRow.id, ProgramRow.acgme_number).where(
            ProgramRow.id.in_(program_ids)
        )
        for id_, number in self._session.execute(numbers):
            if number:
                keys[id_] = number
        coded = (
            select(ProgramCodeRow.program_id, ProgramCodeRow.code)
            .where(ProgramCodeRow.program_id.in_(program_ids - set(keys)))
            .order_by(ProgramCodeRow.program_id, ProgramCodeRow.position)
        )
        for id_, code in self._session.execute(coded):
            keys.setdefault(id_, code)
        return keys

    def _domain(self, rows: list[RequirementOverrideRow]) -> list[Override]:
        keys = self._keys({r.program_id for r in rows})
        return [
            Override(
                r.owner,
                keys[r.program_id],
                _requirement(r),
                _aware(r.recorded_at),
                ProposalState(r.proposal),
                r.id,
            )
            for r in rows
            if r.program_id in keys
        ]

    def _row(self, owner: str, key: str, kind: RequirementKind) -> RequirementOverrideRow | None:
        program = self._programs.row_of(key)
        if program is None:
            return None
        query = select(RequirementOverrideRow).where(
            RequirementOverrideRow.owner == owner,
            RequirementOverrideRow.program_id == program.id,
            RequirementOverrideRow.kind == kind.value,
        )
        return self._session.scalars(query).first()

    def of(self, owner: str) -> list[Override]:
        query = (
            select(RequirementOverrideRow)
            .where(RequirementOverrideRow.owner == owner)
            .order_by(RequirementOverrideRow.id)
        )
        return self._domain(list(self._session.scalars(query)))

    def put(self, override: Override) -> None:
        program = self._programs.row_of(override.program_key)
        if program is None:
            raise KeyError(override.program_key)
        row = self._row(override.owner, override.program_key, override.kind)
        if row is None:
            row = RequirementOverrideRow(owner=override.owner, program_id=program.id)
            self._session.add(row)
        for column, value in requirement_columns(override.requirement).items():
            setattr(row, column, value)
        row.recorded_at = override.recorded_at or datetime.now(UTC)
        row.proposal = override.proposal.value

    def drop(self, owner: str, key: str, kind: RequirementKind) -> bool:
        row = self._row(owner, key, kind)
        if row is None:
            return False
        self._session.delete(row)
        return True

    def proposals(self) -> list[Override]:
        query = (
            select(RequirementOverrideRow)
            .where(RequirementOverrideRow.proposal == ProposalState.PROPOSED.value)
            .order_by(RequirementOverrideRow.recorded_at, RequirementOverrideRow.id)
        )
        return self._domain(list(self._session.scalars(query)))

    def by_number(self, number: int) -> Override | None:
        row = self._session.get(RequirementOverrideRow, number)
        found = self._domain([row]) if row is not None else []
        return found[0] if found else None

    def drop_number(self, number: int) -> None:
        self._session.execute(
            delete(RequirementOverrideRow).where(RequirementOverrideRow.id == number)
        )


def _requirement(row: RequirementOverrideRow) -> Requirement:
    kind = RequirementKind(row.kind)
    return Requirement(
        kind, parse_value(kind, row.value or ""), Strictness(row.strictness), row.source,
        row.verified_on,
    )  # fmt: skip


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every time stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
