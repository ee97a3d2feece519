"""What `sync vdir` remembers of each card it keeps in step (`sync_card`).

Revision ID: 0012
Revises: 0011

A card whose contact was deleted keeps its row with no contact (`ON DELETE
SET NULL`): the next sync deletes the card with `--delete`, and never
brings the contact back.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_card",
        sa.Column("folder", sa.String(), nullable=False),
        sa.Column("href", sa.String(), nullable=False),
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="SET NULL"), nullable=True),
        sa.Column("uid", sa.String(), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.Column("agreed", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("folder", "href"),
    )
    op.create_index("ix_sync_card_contact_id", "sync_card", ["contact_id"])


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
