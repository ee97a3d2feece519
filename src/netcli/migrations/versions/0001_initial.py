"""Contacts, interactions, tags, topics and nudge states.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("org", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("via", sa.String(), nullable=True),
        sa.Column("met_at", sa.String(), nullable=True),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.Column("introduced_by_id", sa.Integer(), nullable=True),
        sa.Column("tier", sa.String(), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["introduced_by_id"], ["contact.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contact_name_key", "contact", ["name_key"])
    op.create_index("ix_contact_email", "contact", ["email"])
    op.create_table(
        "contact_tag",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id", "tag"),
    )
    op.create_index("ix_contact_tag_tag", "contact_tag", ["tag"])
    op.create_table(
        "contact_topic",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id", "topic"),
    )
    op.create_index("ix_contact_topic_topic", "contact_topic", ["topic"])
    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_interaction_date", "interaction", ["date"])
    op.create_table(
        "participant",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["interaction_id"], ["interaction.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("interaction_id", "contact_id"),
    )
    op.create_index("ix_participant_contact_date", "participant", ["contact_id", "date", "kind"])
    op.create_table(
        "interaction_topic",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["interaction_id"], ["interaction.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("interaction_id", "topic"),
    )
    op.create_table(
        "nudge_state",
        sa.Column("nudge_id", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("nudge_id"),
    )
    op.create_index("ix_nudge_state_contact_id", "nudge_state", ["contact_id"])


def downgrade() -> None:
    for table in (
        "nudge_state",
        "interaction_topic",
        "participant",
        "interaction",
        "contact_topic",
        "contact_tag",
        "contact",
    ):
        op.drop_table(table)
