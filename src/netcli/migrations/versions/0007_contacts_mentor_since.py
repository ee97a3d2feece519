"""When a mentorship began before it was recorded (`mentor add --since`).

Revision ID: 0007
Revises: 0006

`mentor.sessions_from`: the day the rhythm of sessions counts from while no
session is logged; empty for every existing mentor, whose first session
stays due the day they became active.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentor") as batch:
        batch.add_column(sa.Column("sessions_from", sa.Date(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
