"""SQLAlchemy table models, separate from the domain; `to_domain` / `from_domain` map them.

The schema is created and changed only by the Alembic migrations in `migrations/`; a test
checks that the migrated database matches these models.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """The declarative base of every matchready table."""


class InstitutionRow(Base):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    sites: Mapped[list[str]] = mapped_column(JSON, default=list)


class ProgramRow(Base):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    acgme_number: Mapped[str | None] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    specialty: Mapped[str | None] = mapped_column(String(200), index=True)
    specialty_code: Mapped[str | None] = mapped_column(String(3))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2), index=True)
    zip_code: Mapped[str | None] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(50))
    positions_per_year: Mapped[int | None] = mapped_column(Integer)
    setting: Mapped[str | None] = mapped_column(String(40))
    img_share: Mapped[float | None] = mapped_column(Float)
    website: Mapped[str | None] = mapped_column(String(500))
    director: Mapped[str | None] = mapped_column(String(200))
    coordinator: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    application_service: Mapped[str | None] = mapped_column(String(50))
    accreditation_status: Mapped[str | None] = mapped_column(String(100))
    accreditation_date: Mapped[date | None] = mapped_column(Date)

    institution: Mapped[InstitutionRow | None] = relationship(lazy="joined")
    codes: Mapped[list[ProgramCodeRow]] = relationship(
        cascade="all, delete-orphan", order_by="ProgramCodeRow.position", lazy="selectin"
    )
    requirements: Mapped[list[RequirementRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class ProgramCodeRow(Base):
    __tablename__ = "program_codes"

    code: Mapped[str] = mapped_column(String(11), primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    track: Mapped[str] = mapped_column(String(20))


class RequirementRow(Base):
    __tablename__ = "requirements"

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str | None] = mapped_column(String(40))
    strictness: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(500))
    verified_on: Mapped[date | None] = mapped_column(Date)


class RequirementHistoryRow(Base):
    __tablename__ = "requirement_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str] = mapped_column(String(100))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    old_value: Mapped[str | None] = mapped_column(String(40))
    old_strictness: Mapped[str | None] = mapped_column(String(20))
    old_source: Mapped[str | None] = mapped_column(String(500))
    old_verified_on: Mapped[date | None] = mapped_column(Date)
    new_value: Mapped[str | None] = mapped_column(String(40))
    new_strictness: Mapped[str] = mapped_column(String(20))
    new_source: Mapped[str | None] = mapped_column(String(500))
    new_verified_on: Mapped[date | None] = mapped_column(Date)


class CrosswalkRow(Base):
    __tablename__ = "id_crosswalk"
    __table_args__ = (UniqueConstraint("source", "name", "nrmp_code", "acgme_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    acgme_number: Mapped[str | None] = mapped_column(String(10), index=True)
    nrmp_code: Mapped[str | None] = mapped_column(String(11), index=True)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300))


class ImportRow(Base):
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64))
    file_format: Mapped[str] = mapped_column(String(20))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)


class AccountRow(Base):
    """An account of the multi-user server (argon2 password hash)."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """A login session (server side, so that logging out revokes it)."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    expires: Mapped[float] = mapped_column(Float)


class ProfileRow(Base):
    """One owner's applicant profile, kept as TOML text (the local owner, or an account)."""

    __tablename__ = "profiles"

    owner: Mapped[str] = mapped_column(String(64), primary_key=True)
    toml: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
