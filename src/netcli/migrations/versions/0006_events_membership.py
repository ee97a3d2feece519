"""Community membership, and communities that share a name.

Revision ID: 0006
Revises: 0005

`community join` records that a person belongs to a community, apart from
where you met them (`contact.met_community_id` stays that one fact). A
community's name no longer has to be unique: `community add --force` keeps
two groups of the same name (one per city, say) apart by their #ID.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "community_member",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("community_id", "contact_id"),
    )
    op.create_index("ix_community_member_contact_id", "community_member", ["contact_id"])
    op.drop_index("ix_community_name_key", table_name="community")
    op.create_index("ix_community_name_key", "community", ["name_key"])


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
