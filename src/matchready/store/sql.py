"""The SQLAlchemy repository and unit of work (one transaction per unit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from matchready.domain.program import (
    Claim,
    CrosswalkEntry,
    Institution,
    LcaEmployer,
    LcaEvidence,
    Program,
)
from matchready.domain.requirements import (
    Requirement,
    RequirementChange,
    RequirementKind,
    format_value,
    parse_value,
)
from matchready.domain.requirements import Strictness as _Strictness
from matchready.errors import StoreError
from matchready.services.ports import ImportRecord, ProgramsVersion
from matchready.store.mapping import (
    claim_columns,
    institution_row,
    merge_claim_rows,
    program_columns,
    program_to_domain,
    requirement_columns,
    update_program_row,
)
from matchready.store.models import (
    CrosswalkRow,
    ImportRow,
    InstitutionRow,
    LcaEmployerRow,
    ProgramCodeRow,
    ProgramDataVersionRow,
    ProgramRow,
    RequirementClaimRow,
    RequirementHistoryRow,
    RequirementRow,
)
from matchready.store.overrides import SqlOverrideRepository
from matchready.store.tracker import SqlTrackerRepository

COUNTED = ("matched", "confirmed")
"""LCA match statuses whose filings count as an institution's evidence."""


class SqlProgramRepository:
    """Programs in a SQL database; implements `ProgramRepository` within one session."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._rows: dict[str, ProgramRow] | None = None  # by ACGME number and by every code
        self._institutions: dict[tuple[str | None, str], InstitutionRow] = {}
        self._institutions_by_code: dict[str, InstitutionRow] = {}
        self._programs: dict[int, Program] = {}  # domain objects by their row's primary key
        self._evidence: dict[int, LcaEvidence] | None = None  # by institution id
        self._pending: dict[str, Program] = {}  # new programs by every key, inserted in bulk
        self._loose: dict[str, ProgramRow] = {}  # rows read one by one, before any full read

    def _index(self) -> dict[str, ProgramRow]:
        if self._rows is None:
            self._rows = {}
            for row in self._session.scalars(select(ProgramRow)):
                self._remember(row)
            for inst in self._session.scalars(select(InstitutionRow)):
                self._remember_institution(inst)
        return self._rows

    def _remember(self, row: ProgramRow) -> None:
        assert self._rows is not None
        if row.acgme_number:
            self._rows[row.acgme_number] = row
        for code in row.codes:
            self._rows[code.code] = row

    def all(self) -> list[Program]:
        self.flush_new()
        rows = {r.id: r for r in self._index().values()}.values()
        return sorted((self._to_domain(r) for r in rows), key=lambda p: p.key)

    def find(self, key: str) -> Program | None:
        if key in self._pending:
            return self._pending[key]
        row = self._row(key)
        return None if row is None else self._to_domain(row)

    def preload(self) -> None:
        self._index()

    def _row(self, key: str) -> ProgramRow | None:
        """The row of one program: from the index when all are read (`preload`), else by one
        query (a program page or an edit needs one program, not the 13,000 of a full read)."""
        if self._rows is not None:
            return self._rows.get(key)
        if key not in self._loose:
            coded = select(ProgramCodeRow.program_id).where(ProgramCodeRow.code == key)
            query = select(ProgramRow).where(
                or_(ProgramRow.acgme_number == key, ProgramRow.id.in_(coded))
            )
            row = self._session.scalars(query).first()
            if row is None:
                return None
            self._loose[key] = row
        return self._loose[key]

    def _to_domain(self, row: ProgramRow) -> Program:
        program = self._programs.get(row.id)
        if program is None:
            evidence = None
            if row.institution_id is not None:
                evidence = self._lca_evidence().get(row.institution_id)
            program = self._programs[row.id] = program_to_domain(row, evidence)
        return program

    def _lca_evidence(self) -> dict[int, LcaEvidence]:
        """Every institution's LCA evidence (one query); empty when no LCA file was imported."""
        if self._evidence is None:
            years = tuple(
                sorted(self._session.scalars(select(LcaEmployerRow.fiscal_year).distinct()))
            )
            self._evidence = {}
            if years:
                counts: dict[int, dict[int, int]] = {}
                query = (
                    select(
                        LcaEmployerRow.institution_id,
                        LcaEmployerRow.fiscal_year,
                        func.sum(LcaEmployerRow.certified),
                    )
                    .where(
                        LcaEmployerRow.institution_id.is_not(None),
                        LcaEmployerRow.match_status.in_(COUNTED),
                    )
                    .group_by(LcaEmployerRow.institution_id, LcaEmployerRow.fiscal_year)
                )
                for institution, year, total in self._session.execute(query):
                    if institution is not None:
                        counts.setdefault(institution, {})[int(year)] = int(total)
                ids = self._session.scalars(select(InstitutionRow.id))
                self._evidence = {
                    i: LcaEvidence(tuple(sorted(counts.get(i, {}).items())), years) for i in ids
                }
        return self._evidence

    def row_of(self, key: str) -> ProgramRow | None:
        """The row of a program by key (for the unit of work's history rows)."""
        self.flush_new()
        return self._row(key)

    def save(self, program: Program, replaces: Program | None) -> None:
        if replaces is None:
            keys = [program.acgme_number, *(c.code for c in program.codes)]
            self._pending.update({k: program for k in keys if k})
            return
        index = self._index()
        row = index[replaces.key]
        for key in [k for k, v in index.items() if v is row]:
            del index[key]
        row.institution = self._institution(program.institution)
        update_program_row(row, program)
        self._remember(row)
        self._programs.pop(row.id, None)  # mapped again from the row (with its evidence)

    def flush_new(self) -> None:
        """Insert the new programs saved so far, in bulk (far faster than one by one)."""
        if not self._pending:
            return
        programs = list({p.key: p for p in self._pending.values()}.values())
        institutions = [self._institution(p.institution) for p in programs]
        self._session.flush()
        values = [
            {**program_columns(p), "institution_id": i.id if i else None}
            for p, i in zip(programs, institutions, strict=True)
        ]
        statement = insert(ProgramRow).returning(ProgramRow.id, sort_by_parameter_order=True)
        ids = list(self._session.scalars(statement, values))
        codes = [
            {"code": c.code, "program_id": id_, "position": n, "track": c.track.value}
            for p, id_ in zip(programs, ids, strict=True)
            for n, c in enumerate(p.codes)
        ]
        requirements = [
            {**requirement_columns(r), "program_id": id_}
            for p, id_ in zip(programs, ids, strict=True)
            for r in p.requirements
        ]
        if codes:
            self._session.execute(insert(ProgramCodeRow), codes)
        if requirements:
            self._session.execute(insert(RequirementRow), requirements)
        claims = [
            {**claim_columns(c), "program_id": id_}
            for p, id_ in zip(programs, ids, strict=True)
            for c in p.claims
            if c.source_kind.value not in {"lca", "own"}
        ]
        if claims:
            self._session.execute(insert(RequirementClaimRow), claims)
        self._pending.clear()
        self._rows = None  # read again, with the new rows, on next use
        self._programs.clear()

    def _institution(self, institution: Institution | None) -> InstitutionRow | None:
        if institution is None:
            return None
        row = self._institutions.get((institution.code, institution.name))
        if row is None and institution.code is not None:
            row = self._institutions_by_code.get(institution.code)
        if row is None and self._rows is None:
            row = self._stored_institution(institution)
        if row is None:
            row = institution_row(institution)
            self._session.add(row)
        row.name = institution.name
        row.sites = list(institution.sites)
        self._remember_institution(row)
        return row

    def _stored_institution(self, institution: Institution) -> InstitutionRow | None:
        """The stored row of an institution, read by one query when the store was not read in
        full (a small import): by its code when it has one, else by its name."""
        if institution.code is not None:
            query = select(InstitutionRow).where(InstitutionRow.code == institution.code)
        else:
            query = select(InstitutionRow).where(
                InstitutionRow.code.is_(None), InstitutionRow.name == institution.name
            )
        return self._session.scalars(query.limit(1)).first()

    def _remember_institution(self, row: InstitutionRow) -> None:
        self._institutions[(row.code, row.name)] = row
        if row.code is not None:
            self._institutions_by_code[row.code] = row

    def set_requirement(self, key: str, requirement: Requirement) -> None:
        self.flush_new()
        row = self._row(key)
        if row is None:
            raise KeyError(key)
        columns = requirement_columns(requirement)
        found = next((r for r in row.requirements if r.kind == requirement.kind.value), None)
        if found is None:
            row.requirements.append(RequirementRow(**columns))
        else:
            for column, value in columns.items():
                setattr(found, column, value)
        self._programs.pop(row.id, None)  # mapped again from the row on next read

    def add_claims(self, key: str, claims: Sequence[Claim]) -> None:
        if not claims:
            return
        if key in self._pending:
            program = self._pending[key].with_claims(claims)
            keys = [program.acgme_number, *(c.code for c in program.codes)]
            self._pending.update({k: program for k in keys if k})
            return
        row = self._row(key)
        if row is None:
            raise KeyError(key)
        merge_claim_rows(row, list(claims))
        self._programs.pop(row.id, None)

    def bump_version(self, changed: Sequence[str] = (), *, reload: bool = False) -> int:
        self.flush_new()
        statement = (
            update(ProgramDataVersionRow)
            .where(ProgramDataVersionRow.id == 1)
            .values(
                version=ProgramDataVersionRow.version + 1,
                reloads=ProgramDataVersionRow.reloads + (1 if reload else 0),
            )
            .returning(ProgramDataVersionRow.version)
        )
        version = int(self._session.execute(statement).scalar_one())
        for key in changed:
            row = self._row(key)
            if row is not None:
                row.changed_version = version
        self._evidence = None
        self._programs.clear()
        return version

    def changed_since(self, changes: int) -> list[Program]:
        rows = self._session.scalars(
            select(ProgramRow).where(ProgramRow.changed_version > changes)
        )
        return [self._to_domain(row) for row in rows]

    def institution_places(self) -> list[tuple[str, str, str | None, str | None]]:
        query = select(InstitutionRow.code, InstitutionRow.name, ProgramRow.city, ProgramRow.state)
        query = query.join(ProgramRow, ProgramRow.institution_id == InstitutionRow.id)
        return [
            (code or name, name, city, state)
            for code, name, city, state in self._session.execute(query)
        ]

    def _institution_ids(self) -> dict[str, int]:
        rows = self._session.execute(
            select(InstitutionRow.id, InstitutionRow.code, InstitutionRow.name)
        )
        return {code or name: id_ for id_, code, name in rows}

    def replace_lca(self, fiscal_years: Sequence[int], employers: Sequence[LcaEmployer]) -> None:
        self._session.execute(
            delete(LcaEmployerRow).where(LcaEmployerRow.fiscal_year.in_(list(fiscal_years)))
        )
        ids = self._institution_ids()
        values = [
            {
                "employer": e.employer,
                "city": e.city,
                "state": e.state,
                "fiscal_year": e.fiscal_year,
                "certified": e.certified,
                "source_file": e.source_file,
                "institution_id": ids.get(e.institution) if e.institution else None,
                "match_score": e.match_score,
                "match_status": e.match_status,
            }
            for e in employers
        ]
        if values:
            self._session.execute(insert(LcaEmployerRow), values)
        self._evidence = None
        self._programs.clear()

    def lca_employers(self) -> list[LcaEmployer]:
        names = {
            id_: (code or name, name)
            for id_, code, name in self._session.execute(
                select(InstitutionRow.id, InstitutionRow.code, InstitutionRow.name)
            )
        }
        query = select(LcaEmployerRow).order_by(
            LcaEmployerRow.employer, LcaEmployerRow.city, LcaEmployerRow.fiscal_year
        )
        found = []
        for r in self._session.scalars(query):
            key, name = (
                names.get(r.institution_id, (None, None)) if r.institution_id else (None, None)
            )
            found.append(
                LcaEmployer(
                    r.employer,
                    r.city,
                    r.state,
                    r.fiscal_year,
                    r.certified,
                    r.source_file,
                    key,
                    name,
                    r.match_score,
                    r.match_status,
                )
            )
        return found

    def decide_lca(self, employer: str, city: str, state: str, accept: bool) -> int:
        rows = list(
            self._session.scalars(
                select(LcaEmployerRow).where(
                    LcaEmployerRow.employer == employer,
                    LcaEmployerRow.city == city,
                    LcaEmployerRow.state == state,
                )
            )
        )
        for row in rows:
            row.match_status = "confirmed" if accept else "rejected"
            if not accept:
                row.institution_id = None
        self._evidence = None
        self._programs.clear()
        return len(rows)

    def history(self, key: str) -> list[RequirementChange]:
        self.flush_new()
        row = self._row(key)
        if row is None:
            return []
        program_key = row.acgme_number or row.codes[0].code
        query = (
            select(RequirementHistoryRow)
            .where(RequirementHistoryRow.program_id == row.id)
            .order_by(RequirementHistoryRow.id)
        )
        return [_change_to_domain(program_key, h) for h in self._session.scalars(query)]

    def crosswalk(self) -> list[CrosswalkEntry]:
        query = select(CrosswalkRow).order_by(CrosswalkRow.id)
        return [
            CrosswalkEntry(r.name, r.source, r.acgme_number, r.nrmp_code)
            for r in self._session.scalars(query)
        ]

    def revision(self) -> ProgramsVersion:
        row = self._session.get(ProgramDataVersionRow, 1)
        if row is None:
            return ProgramsVersion(0, 0)
        return ProgramsVersion(row.reloads, row.version)

    def imports(self) -> list[ImportRecord]:
        query = select(ImportRow).order_by(ImportRow.id)
        return [
            ImportRecord(
                r.file_name,
                r.checksum,
                r.file_format,
                r.imported_at,
                r.inserted,
                r.updated,
                r.unchanged,
                r.rejected,
            )
            for r in self._session.scalars(query)
        ]


def _change_to_domain(program_key: str, row: RequirementHistoryRow) -> RequirementChange:
    kind = RequirementKind(row.kind)
    old = None
    if row.old_strictness is not None:
        old = Requirement(
            kind,
            parse_value(kind, row.old_value or ""),
            _Strictness(row.old_strictness),
            row.old_source,
            row.old_verified_on,
        )
    new = Requirement(
        kind,
        parse_value(kind, row.new_value or ""),
        _Strictness(row.new_strictness),
        row.new_source,
        row.new_verified_on,
    )
    return RequirementChange(
        program_key,
        old,
        new,
        row.changed_by,
        changed_at=_aware(row.changed_at),
        by_import=row.import_id is not None,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every time stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class SqlUnitOfWork:
    """One session and one transaction; leaving without `commit()` rolls back."""

    programs: SqlProgramRepository
    tracker: SqlTrackerRepository
    overrides: SqlOverrideRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        self.programs = SqlProgramRepository(self._session)
        self.tracker = SqlTrackerRepository(self._session)
        self.overrides = SqlOverrideRepository(self._session, self.programs)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self._session.close()

    def record_import(
        self,
        record: ImportRecord,
        changes: Sequence[RequirementChange],
        crosswalk: Sequence[CrosswalkEntry],
    ) -> None:
        import_row = ImportRow(
            file_name=record.file_name,
            checksum=record.checksum,
            file_format=record.file_format,
            imported_at=record.imported_at,
            inserted=record.inserted,
            updated=record.updated,
            unchanged=record.unchanged,
            rejected=record.rejected,
        )
        self.programs.flush_new()
        self._session.add(import_row)
        self._session.flush()
        self._write_history(changes, import_row.id)
        self.programs.bump_version(reload=True)
        existing = {
            (r.source, r.name, r.nrmp_code, r.acgme_number)
            for r in self._session.scalars(select(CrosswalkRow))
        }
        for entry in crosswalk:
            key = (entry.source, entry.name, entry.nrmp_code, entry.acgme_number)
            if key not in existing:
                existing.add(key)
                self._session.add(
                    CrosswalkRow(
                        name=entry.name,
                        source=entry.source,
                        acgme_number=entry.acgme_number,
                        nrmp_code=entry.nrmp_code,
                    )
                )

    def record_changes(self, changes: Sequence[RequirementChange]) -> None:
        self.programs.flush_new()
        self._write_history(changes, None)
        self.programs.bump_version([c.program_key for c in changes])

    def _write_history(self, changes: Sequence[RequirementChange], import_id: int | None) -> None:
        now = datetime.now(UTC)
        for change in changes:
            program = self.programs.row_of(change.program_key)
            if program is None:
                continue
            old = change.old
            self._session.add(
                RequirementHistoryRow(
                    program_id=program.id,
                    kind=change.new.kind.value,
                    changed_at=now,
                    changed_by=change.changed_by,
                    import_id=import_id,
                    old_value=format_value(old.value) or None if old else None,
                    old_strictness=old.strictness.value if old else None,
                    old_source=old.source if old else None,
                    old_verified_on=old.verified_on if old else None,
                    new_value=format_value(change.new.value) or None,
                    new_strictness=change.new.strictness.value,
                    new_source=change.new.source,
                    new_verified_on=change.new.verified_on,
                )
            )

    def commit(self) -> None:
        try:
            self.programs.flush_new()
            self._session.commit()
        except SQLAlchemyError as error:
            self._session.rollback()
            raise StoreError(f"cannot save to the database: {error}") from error

    def rollback(self) -> None:
        self._session.rollback()
