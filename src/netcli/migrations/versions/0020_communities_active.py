"""Communities and being active in them, and job changes: a community's
cadence (`cadence_days`, `cadence_since`, `took_part_on`), the chats that are
a community (`community_chat`), the user's own posts in groups
(`chat_post`: key, chat, day; no text), and a contact's changes of company or
position (`job_change`).

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # no table rebuild: the community table keeps its triggers and foreign keys
    op.add_column("community", sa.Column("cadence_days", sa.Integer(), nullable=True))
    op.add_column("community", sa.Column("cadence_since", sa.Date(), nullable=True))
    op.add_column("community", sa.Column("took_part_on", sa.Date(), nullable=True))
    op.create_table(
        "community_chat",
        sa.Column("chat", sa.String(), nullable=False),
        sa.Column("community_id", sa.Integer(), sa.ForeignKey("community.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("chat"),
    )
    op.create_index("ix_community_chat_community_id", "community_chat", ["community_id"])
    op.create_table(
        "chat_post",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("chat", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_chat_post_chat_date", "chat_post", ["chat", "date"])
    op.create_table(
        "job_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="CASCADE"), nullable=False),
        sa.Column("org_before", sa.String(), nullable=True),
        sa.Column("role_before", sa.String(), nullable=True),
        sa.Column("org", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_job_change_contact_id", "job_change", ["contact_id"])


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
