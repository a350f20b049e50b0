"""Program data with provenance: every source's value of a requirement (claims), DOL LCA
counts per employer and fiscal year matched to institutions, and one version row for the
shared program data (bumped in the same transaction as every import and edit).

Revision ID: 0005_program_evidence
Revises: 0004_login_attempts
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_program_evidence"
down_revision = "0004_login_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "requirement_claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("program_id", sa.Integer, sa.ForeignKey("programs.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("value", sa.String(40)),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("source_kind", sa.String(20), nullable=False),
        sa.Column("recorded_on", sa.Date),
        sa.Column("evidence", sa.Text),
        sa.Column("superseded", sa.Boolean, nullable=False),
        sa.UniqueConstraint("program_id", "kind", "source"),
    )
    op.create_index("ix_requirement_claims_program_id", "requirement_claims", ["program_id"])
    op.create_table(
        "lca_employers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("employer", sa.String(300), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("fiscal_year", sa.Integer, nullable=False),
        sa.Column("certified", sa.Integer, nullable=False),
        sa.Column("source_file", sa.String(500), nullable=False),
        sa.Column("institution_id", sa.Integer, sa.ForeignKey("institutions.id")),
        sa.Column("match_score", sa.Float),
        sa.Column("match_status", sa.String(20), nullable=False),
        sa.UniqueConstraint("employer", "city", "state", "fiscal_year"),
    )
    op.create_index("ix_lca_employers_institution_id", "lca_employers", ["institution_id"])
    op.create_table(
        "program_data_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reloads", sa.Integer, nullable=False),
    )
    op.bulk_insert(
        sa.table(
            "program_data_version",
            sa.column("id", sa.Integer),
            sa.column("version", sa.Integer),
            sa.column("reloads", sa.Integer),
        ),
        [{"id": 1, "version": 0, "reloads": 0}],
    )
    with op.batch_alter_table("programs") as batch:
        batch.add_column(
            sa.Column("changed_version", sa.Integer, nullable=False, server_default="0")
        )
        batch.create_index("ix_programs_changed_version", ["changed_version"])


def downgrade() -> None:
    with op.batch_alter_table("programs") as batch:
        batch.drop_index("ix_programs_changed_version")
        batch.drop_column("changed_version")
    op.drop_table("program_data_version")
    op.drop_index("ix_lca_employers_institution_id", "lca_employers")
    op.drop_table("lca_employers")
    op.drop_index("ix_requirement_claims_program_id", "requirement_claims")
    op.drop_table("requirement_claims")
