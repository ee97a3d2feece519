"""What capture remembers: the files it read (`capture_file`), the source
key of every record it logged (`capture_key`), and the next occurrence with
each contact (`capture_session`).

Revision ID: 0011
Revises: 0010

A key whose interaction the user deleted keeps its row with no interaction
(`ON DELETE SET NULL`): capturing again does not bring it back.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capture_file",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("path", sa.String(), nullable=False, unique=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("context", sa.String(), nullable=False),
        sa.Column("since_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("head", sa.String(), nullable=True),
    )
    op.create_table(
        "capture_key",
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("thread", sa.String(), nullable=True),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("capture_file.id", ondelete="SET NULL"), nullable=True),
        sa.Column("interaction_id", sa.Integer(), sa.ForeignKey("interaction.id", ondelete="SET NULL"), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("source", "key"),
    )
    op.create_index("ix_capture_key_file_id", "capture_key", ["file_id"])
    op.create_index("ix_capture_key_interaction_id", "capture_key", ["interaction_id"])
    op.create_table(
        "capture_session",
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("capture_file.id", ondelete="CASCADE"), nullable=False),
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="CASCADE"), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("file_id", "contact_id"),
    )
    op.create_index("ix_capture_session_contact_id", "capture_session", ["contact_id"])


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
