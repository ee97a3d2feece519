"""Capture sources kept apart, and mail matched again when the address book
changes: `capture_file` unique per (source, path); `capture_key` gains
`note`, `direction` and `waiting` (a thread-day with no contact yet);
`capture_party` (who took part in each thread-day, by address key),
`capture_correspondent` (messages exchanged per address) and
`capture_source` (the address book each source was matched against).

Revision ID: 0017
Revises: 0016

A file captured as mail and as a calendar had one row for both, so one
capture broke the other (`UNIQUE constraint failed: capture_file.path`).
The per-message keys of mail (`m:...`) are dropped: they told only which
messages were seen, not who was in them, so the next `capture mail` reads
every archive again (its reader changed anyway), rebuilding them with their
parties; every thread-day already logged, and every one the user unlogged,
stays as it is.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite's unique column constraint has no name: the convention names it so it can be dropped
        with op.batch_alter_table(
            "capture_file", naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}
        ) as batch:
            batch.drop_constraint("uq_capture_file_path", type_="unique")
            batch.create_unique_constraint("uq_capture_file_source_path", ["source", "path"])
    else:
        op.drop_constraint("capture_file_path_key", "capture_file", type_="unique")
        op.create_unique_constraint("uq_capture_file_source_path", "capture_file", ["source", "path"])
    with op.batch_alter_table("capture_key") as batch:
        batch.add_column(sa.Column("note", sa.String(), nullable=True))
        batch.add_column(sa.Column("direction", sa.String(), nullable=True))
        batch.add_column(sa.Column("waiting", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "capture_party",
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("wrote", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("source", "key", "party"),
        sa.ForeignKeyConstraint(["source", "key"], ["capture_key.source", "capture_key.key"], ondelete="CASCADE"),
    )
    op.create_table(
        "capture_correspondent",
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("last", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("source", "party"),
    )
    op.create_table(
        "capture_source",
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("book", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )
    op.execute("DELETE FROM capture_key WHERE source = 'mail' AND key LIKE 'm:%'")


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
