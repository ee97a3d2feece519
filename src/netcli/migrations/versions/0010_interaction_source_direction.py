"""Where each interaction came from and who wrote it: `interaction.source`
and `interaction.direction`.

Revision ID: 0010
Revises: 0009

Every row already stored was typed in or imported before imports were told
apart, so it becomes `manual` (the server default does it, in one statement);
`direction` only means something for captured mail and meetings, so it stays
null. Batch mode: SQLite cannot add a NOT NULL column any other way.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interaction") as batch:
        batch.add_column(sa.Column("source", sa.String(), nullable=False, server_default="manual"))
        batch.add_column(sa.Column("direction", sa.String(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
