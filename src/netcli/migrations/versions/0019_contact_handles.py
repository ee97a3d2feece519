"""A contact's chat identities (`contact_handle`): `telegram:@ana`,
`whatsapp:+491701234567`, `slack:T0123/U0456`..., in order.

Revision ID: 0019
Revises: 0018

The handle is stored normalised (`identity.handle_key`), which is also what
matching compares: one column, indexed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_handle",
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("contact_id", "position"),
        sa.UniqueConstraint("contact_id", "handle", name="uq_contact_handle"),
    )
    op.create_index("ix_contact_handle_handle", "contact_handle", ["handle"])


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
