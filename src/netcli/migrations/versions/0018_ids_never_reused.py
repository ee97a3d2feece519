"""Ids that never come back: contacts, interactions, goals, events and
communities get SQLite's AUTOINCREMENT.

Revision ID: 0018
Revises: 0017

Without it SQLite hands the largest id out again once its row is deleted:
`unlog 76`, a new `log`, and `unlog 76` from the shell's history deleted the
wrong interaction. SQLite gives a table AUTOINCREMENT only when it is
created, so each is rebuilt in batch mode (a copy under the same name, with
the same rows, columns, indexes and foreign keys). Views and triggers name
these tables (the search index, the statistics), so every one is set aside
first and made again, as it was, after. The ids a table holds stay; from
here on, its largest ever is never handed out again (`sqlite_sequence`).
PostgreSQL's sequences never did: nothing to do there.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLES = ("community", "event", "goal", "contact", "interaction")
# foreign keys written inline by ALTER TABLE ... ADD COLUMN, which reflection
# reads without their ON DELETE: given here, so the copy keeps them
INLINE_KEYS = {
    "contact": [
        sa.Column("met_event_id", sa.Integer(), sa.ForeignKey("event.id", ondelete="SET NULL"), nullable=True),
        sa.Column("met_community_id", sa.Integer(), sa.ForeignKey("community.id", ondelete="SET NULL"), nullable=True),
    ],
    "interaction": [
        sa.Column("goal_id", sa.Integer(), sa.ForeignKey("goal.id", ondelete="SET NULL"), nullable=True),
    ],
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    kept = bind.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL "
        "ORDER BY type = 'trigger', rowid"
    ).all()
    for kind, name, _ in reversed(kept):
        bind.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    for table in TABLES:
        with op.batch_alter_table(
            table,
            recreate="always",
            table_kwargs={"sqlite_autoincrement": True},
            reflect_args=tuple(INLINE_KEYS.get(table, ())),
        ):
            pass
    for _, _, sql in kept:
        bind.exec_driver_sql(sql)


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
