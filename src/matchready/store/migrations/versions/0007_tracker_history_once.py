"""The tracker's history is stored once: an application's state is the state of its last
history line, so `tracker_applications.state` and `tracker_state_changes.from_state` (copies
of what the history says) are dropped. Downgrading fills them in again from the history.

Revision ID: 0007_tracker_history_once
Revises: 0006_program_ownership
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_tracker_history_once"
down_revision = "0006_program_ownership"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tracker_applications") as table:
        table.drop_column("state")
    with op.batch_alter_table("tracker_state_changes") as table:
        table.drop_column("from_state")


def downgrade() -> None:
    with op.batch_alter_table("tracker_applications") as table:
        table.add_column(
            sa.Column("state", sa.String(30), nullable=False, server_default="planned")
        )
    with op.batch_alter_table("tracker_state_changes") as table:
        table.add_column(sa.Column("from_state", sa.String(30)))
    db = op.get_bind()
    last: dict[tuple[str, str], tuple[int, str]] = {}
    rows = db.execute(
        sa.text("SELECT id, owner, program, to_state FROM tracker_state_changes ORDER BY id")
    )
    for change_id, owner, program, to_state in rows:
        before = last.get((owner, program))
        if before is not None:
            db.execute(
                sa.text("UPDATE tracker_state_changes SET from_state = :s WHERE id = :i"),
                {"s": before[1], "i": change_id},
            )
        last[(owner, program)] = (change_id, to_state)
    for (owner, program), (_, state) in last.items():
        db.execute(
            sa.text(
                "UPDATE tracker_applications SET state = :s WHERE owner = :o AND program = :p"
            ),
            {"s": state, "o": owner, "p": program},
        )
