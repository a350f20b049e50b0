"""Ownership of the shared program data in server mode: an editor role on accounts, each
user's own requirement values (overrides, which can be proposed to the editors), and history
that names accounts by id instead of email (an editor's email is never shown to others).

Revision ID: 0006_program_ownership
Revises: 0005_program_evidence
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_program_ownership"
down_revision = "0005_program_evidence"
branch_labels = None
depends_on = None

_accounts = sa.table("accounts", sa.column("id", sa.String), sa.column("email", sa.String))
_history = sa.table("requirement_history", sa.column("changed_by", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column("editor", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.create_table(
        "requirement_overrides",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column(
            "program_id",
            sa.Integer,
            sa.ForeignKey("programs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("value", sa.String(40)),
        sa.Column("strictness", sa.String(20), nullable=False),
        sa.Column("source", sa.String(500)),
        sa.Column("verified_on", sa.Date),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposal", sa.String(20), nullable=False),
        sa.UniqueConstraint("owner", "program_id", "kind"),
    )
    op.create_index("ix_requirement_overrides_owner", "requirement_overrides", ["owner"])
    op.create_index("ix_requirement_overrides_program_id", "requirement_overrides", ["program_id"])
    op.create_index("ix_requirement_overrides_proposal", "requirement_overrides", ["proposal"])
    # Edits made by accounts were recorded under their email (or "account <id>" for a long
    # one): record the account instead, so that history never shows an email to others.
    connection = op.get_bind()
    for account_id, email in connection.execute(sa.select(_accounts.c.id, _accounts.c.email)):
        for old in (email, f"account {account_id}"):
            connection.execute(
                _history.update()
                .where(_history.c.changed_by == old)
                .values(changed_by=f"account:{account_id}")
            )


def downgrade() -> None:
    op.drop_index("ix_requirement_overrides_proposal", "requirement_overrides")
    op.drop_index("ix_requirement_overrides_program_id", "requirement_overrides")
    op.drop_index("ix_requirement_overrides_owner", "requirement_overrides")
    op.drop_table("requirement_overrides")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("editor")
