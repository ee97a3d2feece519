"""Indexes that answer the hot reads on their own, without visiting the table:
the help window (participant by kind and date, with the contact), the month's
people (participant by date, with the contact) and the month's kinds
(interaction by date, with the kind).

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REPLACED = [
    # (table, old index, new index, new columns)
    ("participant", "ix_participant_kind_date", "ix_participant_kind_date_contact", ["kind", "date", "contact_id"]),
    ("participant", "ix_participant_date", "ix_participant_date_contact", ["date", "contact_id"]),
    ("interaction", "ix_interaction_date", "ix_interaction_date_kind", ["date", "kind"]),
]


def upgrade() -> None:
    for table, old, new, columns in REPLACED:
        op.drop_index(old, table_name=table)
        op.create_index(new, table, columns)


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
