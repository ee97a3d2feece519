"""The learned rhythm counts weeks of contact, not days: every stored
`contact_stats` row is worked out again.

Revision ID: 0008
Revises: 0007

No schema change: `day_count` now holds the number of different weeks in
touch and `median_gap` the median days between them (see
`rules.contact_weeks`). Everyone is marked dirty, so reads compute the
statistics live until the next write stores them afresh.
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO stats_dirty (contact_id) SELECT id FROM contact WHERE id NOT IN (SELECT contact_id FROM stats_dirty)"
    )


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
