"""SQLAlchemy table models, separate from the domain; `to_domain` / `from_domain` map them.

The schema is created and changed only by the Alembic migrations in `migrations/`; a test
checks that the migrated database matches these models.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
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
    changed_version: Mapped[int] = mapped_column(Integer, index=True, default=0)

    institution: Mapped[InstitutionRow | None] = relationship(lazy="joined")
    codes: Mapped[list[ProgramCodeRow]] = relationship(
        cascade="all, delete-orphan", order_by="ProgramCodeRow.position", lazy="selectin"
    )
    requirements: Mapped[list[RequirementRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    claims: Mapped[list[RequirementClaimRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RequirementClaimRow.id"
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


class RequirementClaimRow(Base):
    """One source's value of one requirement of one program (kept when sources disagree)."""

    __tablename__ = "requirement_claims"
    __table_args__ = (UniqueConstraint("program_id", "kind", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(500))
    source_kind: Mapped[str] = mapped_column(String(20))
    recorded_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)


class LcaEmployerRow(Base):
    """Certified resident-physician LCAs of one employer in one fiscal year (DOL), with the
    institution it was matched to."""

    __tablename__ = "lca_employers"
    __table_args__ = (UniqueConstraint("employer", "city", "state", "fiscal_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(10))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    certified: Mapped[int] = mapped_column(Integer)
    source_file: Mapped[str] = mapped_column(String(500))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    match_score: Mapped[float | None] = mapped_column(Float)
    match_status: Mapped[str] = mapped_column(String(20))


class ProgramDataVersionRow(Base):
    """One row: the version of the shared program data, bumped (row-locked) in the same
    transaction as every import and edit, so versions follow commit order; `reloads` counts
    the changes that need a full re-read (imports)."""

    __tablename__ = "program_data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    reloads: Mapped[int] = mapped_column(Integer)


class RequirementOverrideRow(Base):
    """One user's own value of one requirement of one program (server mode): applied to their
    screening only; `proposal` says whether it was proposed to the editors (and declined)."""

    __tablename__ = "requirement_overrides"
    __table_args__ = (UniqueConstraint("owner", "program_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(String(40))
    strictness: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(500))
    verified_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    proposal: Mapped[str] = mapped_column(String(20), index=True)


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
    editor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Whether the account edits the shared program data (granted by an administrator)."""


class SessionRow(Base):
    """A login session (server side, so that logging out revokes it)."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    expires: Mapped[float] = mapped_column(Float)


class LoginAttemptRow(Base):
    """One recent attempt (login, registration, reset) under a hashed key, shared by every
    worker process so that the rate limits hold across them (services/accounts.RateLimiter)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[float] = mapped_column(Float, index=True)


class PasswordResetRow(Base):
    """An admin-issued, one-time password reset (the SHA-256 of the token, never the token)."""

    __tablename__ = "password_resets"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
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


# --- the tracker: every row belongs to one owner (the local owner or an account) ---------


class TrackerRow(Base):
    """One owner's tracker: its revision guards against two writers overwriting each other."""

    __tablename__ = "trackers"

    owner: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TrackedApplicationRow(Base):
    __tablename__ = "tracker_applications"
    __table_args__ = (UniqueConstraint("owner", "program"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    program: Mapped[str] = mapped_column(String(20))
    specialty: Mapped[str] = mapped_column(String(20))
    advanced: Mapped[bool] = mapped_column(Boolean)
    would_not_go: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text)


class StateChangeRow(Base):
    """Append-only history of application states, the one record of them: who, when, to
    which state, why (an application's state is its last line's; see migration 0006)."""

    __tablename__ = "tracker_state_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    program: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(30))
    happened_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text)


class DocumentVersionRow(Base):
    __tablename__ = "tracker_documents"
    __table_args__ = (UniqueConstraint("owner", "kind", "name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str | None] = mapped_column(String(1000))


class LetterRow(Base):
    __tablename__ = "tracker_letters"
    __table_args__ = (UniqueConstraint("owner", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    key: Mapped[str] = mapped_column(String(20))
    writer: Mapped[str] = mapped_column(String(200))
    us_physician: Mapped[bool] = mapped_column(Boolean)
    specialty: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    requested_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    uploaded_on: Mapped[date | None] = mapped_column(Date)
    assignments: Mapped[list[LetterAssignmentRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="LetterAssignmentRow.program"
    )


class LetterAssignmentRow(Base):
    __tablename__ = "tracker_letter_assignments"

    letter_id: Mapped[int] = mapped_column(
        ForeignKey("tracker_letters.id", ondelete="CASCADE"), primary_key=True
    )
    program: Mapped[str] = mapped_column(String(20), primary_key=True)


class SignalRow(Base):
    __tablename__ = "tracker_signals"
    __table_args__ = (UniqueConstraint("owner", "season", "specialty", "program"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    season: Mapped[int] = mapped_column(Integer)
    specialty: Mapped[str] = mapped_column(String(20))
    program: Mapped[str] = mapped_column(String(20))
    tier: Mapped[str | None] = mapped_column(String(10))


class GeoPreferenceRow(Base):
    __tablename__ = "tracker_geo_preferences"

    owner: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(100))


class InterviewRow(Base):
    __tablename__ = "tracker_interviews"
    __table_args__ = (UniqueConstraint("owner", "program"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    program: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date | None] = mapped_column(Date)
    format: Mapped[str] = mapped_column(String(20))
    scores: Mapped[list[list[str | int]]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text)


class RankEntryRow(Base):
    """One line of the rank order list draft; `list_name` is '' for the primary list, else
    the advanced program whose supplemental list it is on."""

    __tablename__ = "tracker_rank_entries"
    __table_args__ = (UniqueConstraint("owner", "list_name", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    list_name: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    program: Mapped[str] = mapped_column(String(20))
