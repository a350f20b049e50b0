"""Programs, institutions, codes, requirements with history, crosswalk and imports.

Revision ID: 0001_programs
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_programs"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("sites", sa.JSON, nullable=False),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("file_format", sa.String(20), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inserted", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
    )
    op.create_table(
        "programs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("acgme_number", sa.String(10), unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("specialty", sa.String(200), index=True),
        sa.Column("specialty_code", sa.String(3)),
        sa.Column("institution_id", sa.Integer, sa.ForeignKey("institutions.id")),
        sa.Column("address", sa.String(300)),
        sa.Column("city", sa.String(100)),
        sa.Column("state", sa.String(2), index=True),
        sa.Column("zip_code", sa.String(10)),
        sa.Column("region", sa.String(50)),
        sa.Column("positions_per_year", sa.Integer),
        sa.Column("setting", sa.String(40)),
        sa.Column("img_share", sa.Float),
        sa.Column("website", sa.String(500)),
        sa.Column("director", sa.String(200)),
        sa.Column("coordinator", sa.String(200)),
        sa.Column("email", sa.String(200)),
        sa.Column("phone", sa.String(50)),
        sa.Column("application_service", sa.String(50)),
        sa.Column("accreditation_status", sa.String(100)),
        sa.Column("accreditation_date", sa.Date),
    )
    op.create_table(
        "program_codes",
        sa.Column("code", sa.String(11), primary_key=True),
        sa.Column("program_id", sa.Integer, sa.ForeignKey("programs.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("track", sa.String(20), nullable=False),
    )
    op.create_index("ix_program_codes_program_id", "program_codes", ["program_id"])
    op.create_table(
        "requirements",
        sa.Column("program_id", sa.Integer, sa.ForeignKey("programs.id"), primary_key=True),
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(40)),
        sa.Column("strictness", sa.String(20), nullable=False),
        sa.Column("source", sa.String(500)),
        sa.Column("verified_on", sa.Date),
    )
    op.create_table(
        "requirement_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("program_id", sa.Integer, sa.ForeignKey("programs.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id")),
        sa.Column("old_value", sa.String(40)),
        sa.Column("old_strictness", sa.String(20)),
        sa.Column("old_source", sa.String(500)),
        sa.Column("old_verified_on", sa.Date),
        sa.Column("new_value", sa.String(40)),
        sa.Column("new_strictness", sa.String(20), nullable=False),
        sa.Column("new_source", sa.String(500)),
        sa.Column("new_verified_on", sa.Date),
    )
    op.create_index("ix_requirement_history_program_id", "requirement_history", ["program_id"])
    op.create_table(
        "id_crosswalk",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("acgme_number", sa.String(10), index=True),
        sa.Column("nrmp_code", sa.String(11), index=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.UniqueConstraint("source", "name", "nrmp_code", "acgme_number"),
    )


def downgrade() -> None:
    for table in (
        "id_crosswalk",
        "requirement_history",
        "requirements",
        "program_codes",
        "programs",
        "imports",
        "institutions",
    ):
        op.drop_table(table)
