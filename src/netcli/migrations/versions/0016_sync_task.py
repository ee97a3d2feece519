"""What `sync tasks` remembers of each task it keeps for a nudge (`sync_task`).

Revision ID: 0016
Revises: 0015

One row per folder and nudge: the task's file and the fields both sides
agreed on after the last sync. No foreign key: a nudge is worked out, not
stored, and a row outlives its nudge until its task is gone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_task",
        sa.Column("folder", sa.String(), nullable=False),
        sa.Column("nudge_id", sa.String(), nullable=False),
        sa.Column("href", sa.String(), nullable=False),
        sa.Column("uid", sa.String(), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.Column("agreed", sa.String(), nullable=False),
        sa.Column("removing", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("folder", "nudge_id"),
    )


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
