"""The help window reads participant by kind and date: carry the contact in
that index so the give-back rule never visits the table.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_participant_kind_date", table_name="participant")
    op.create_index("ix_participant_kind_date_contact", "participant", ["kind", "date", "contact_id"])


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
