"""Indexes that answer the hot reads on their own, and that imports can afford.

Revision ID: 0005
Revises: 0004

The month's kinds come from interaction (date, kind). The give-back window
reads a partial index holding only the help rows (date, contact, kind). The
two indexes that every participant row went into, (kind, date) and (date),
go: inserting a million interactions spent a third of its time in them, and
the month's people are found through interaction's date index instead.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

HELP_ROWS = "kind IN ('help-received', 'help-given')"


def upgrade() -> None:
    op.drop_index("ix_participant_kind_date", table_name="participant")
    op.drop_index("ix_participant_date", table_name="participant")
    op.create_index(
        "ix_participant_help",
        "participant",
        ["date", "contact_id", "kind"],
        sqlite_where=sa.text(HELP_ROWS),
        postgresql_where=sa.text(HELP_ROWS),
    )
    op.drop_index("ix_interaction_date", table_name="interaction")
    op.create_index("ix_interaction_date_kind", "interaction", ["date", "kind"])


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
