"""The application tracker: applications with their state history, documents and versions,
letters and their assignments, signals, geographic preferences, interviews and the rank order
list draft. Every row carries the owner (the local owner or an account id).

Revision ID: 0003_tracker
Revises: 0002_accounts
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_tracker"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None

OWNED = [
    "tracker_applications",
    "tracker_state_changes",
    "tracker_documents",
    "tracker_letters",
    "tracker_signals",
    "tracker_interviews",
    "tracker_rank_entries",
]


def _owner() -> sa.Column[str]:
    return sa.Column("owner", sa.String(64), nullable=False)


def upgrade() -> None:
    op.create_table(
        "trackers",
        sa.Column("owner", sa.String(64), primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "tracker_applications",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("program", sa.String(20), nullable=False),
        sa.Column("specialty", sa.String(20), nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("advanced", sa.Boolean, nullable=False),
        sa.Column("would_not_go", sa.Boolean, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.UniqueConstraint("owner", "program"),
    )
    op.create_table(
        "tracker_state_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("program", sa.String(20), nullable=False),
        sa.Column("from_state", sa.String(30)),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("happened_on", sa.Date),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "tracker_documents",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("path", sa.String(1000)),
        sa.UniqueConstraint("owner", "kind", "name", "version"),
    )
    op.create_table(
        "tracker_letters",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("key", sa.String(20), nullable=False),
        sa.Column("writer", sa.String(200), nullable=False),
        sa.Column("us_physician", sa.Boolean, nullable=False),
        sa.Column("specialty", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_on", sa.Date),
        sa.Column("received_on", sa.Date),
        sa.Column("uploaded_on", sa.Date),
        sa.UniqueConstraint("owner", "key"),
    )
    op.create_table(
        "tracker_letter_assignments",
        sa.Column(
            "letter_id",
            sa.Integer,
            sa.ForeignKey("tracker_letters.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("program", sa.String(20), primary_key=True),
    )
    op.create_table(
        "tracker_signals",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("season", sa.Integer, nullable=False),
        sa.Column("specialty", sa.String(20), nullable=False),
        sa.Column("program", sa.String(20), nullable=False),
        sa.Column("tier", sa.String(10)),
        sa.UniqueConstraint("owner", "season", "specialty", "program"),
    )
    op.create_table(
        "tracker_geo_preferences",
        sa.Column("owner", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("region", sa.String(100), nullable=False),
    )
    op.create_table(
        "tracker_interviews",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("program", sa.String(20), nullable=False),
        sa.Column("held_on", sa.Date),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("scores", sa.JSON, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.UniqueConstraint("owner", "program"),
    )
    op.create_table(
        "tracker_rank_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        _owner(),
        sa.Column("list_name", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("program", sa.String(20), nullable=False),
        sa.UniqueConstraint("owner", "list_name", "position"),
    )
    for table in OWNED:
        op.create_index(f"ix_{table}_owner", table, ["owner"])


def downgrade() -> None:
    for table in OWNED:
        op.drop_index(f"ix_{table}_owner", table_name=table)
    for table in [
        "tracker_rank_entries",
        "tracker_interviews",
        "tracker_geo_preferences",
        "tracker_signals",
        "tracker_letter_assignments",
        "tracker_letters",
        "tracker_documents",
        "tracker_state_changes",
        "tracker_applications",
        "trackers",
    ]:
        op.drop_table(table)
