"""Per-person statistics kept up to date, so the morning nudge reads one row
per person instead of aggregating every interaction.

Revision ID: 0004
Revises: 0003

Triggers on `participant` mark people dirty; netcli recomputes their
`contact_stats` row before each commit. Everyone starts dirty here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION netcli_mark_dirty() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM bulk_load) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO stats_dirty (contact_id) VALUES (NEW.contact_id) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO stats_dirty (contact_id) VALUES (OLD.contact_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "contact_stats",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("interactions", sa.Integer(), nullable=False),
        sa.Column("last_contact", sa.Date(), nullable=True),
        sa.Column("last_met", sa.Date(), nullable=True),
        sa.Column("last_other", sa.Date(), nullable=True),
        sa.Column("last_owed", sa.Date(), nullable=True),
        sa.Column("last_owed_kind", sa.String(), nullable=True),
        sa.Column("last_thanks", sa.Date(), nullable=True),
        sa.Column("last_received", sa.Date(), nullable=True),
        sa.Column("day_count", sa.Integer(), nullable=False),
        sa.Column("median_gap", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id"),
    )
    op.create_table(
        "stats_dirty",
        sa.Column("contact_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("contact_id"),
    )
    op.create_index("ix_participant_kind_date", "participant", ["kind", "date"])
    op.create_index("ix_participant_date", "participant", ["date"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER stats_participant_insert AFTER INSERT ON participant "
            "WHEN NOT EXISTS (SELECT 1 FROM bulk_load) "
            "BEGIN INSERT OR IGNORE INTO stats_dirty (contact_id) VALUES (NEW.contact_id); END"
        )
        op.execute(
            "CREATE TRIGGER stats_participant_delete AFTER DELETE ON participant "
            "BEGIN INSERT OR IGNORE INTO stats_dirty (contact_id) VALUES (OLD.contact_id); END"
        )
        op.execute(
            "CREATE TRIGGER stats_participant_update AFTER UPDATE ON participant BEGIN "
            "INSERT OR IGNORE INTO stats_dirty (contact_id) VALUES (OLD.contact_id); "
            "INSERT OR IGNORE INTO stats_dirty (contact_id) VALUES (NEW.contact_id); END"
        )
    else:
        op.execute(PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER stats_participant AFTER INSERT OR UPDATE OR DELETE ON participant "
            "FOR EACH ROW EXECUTE FUNCTION netcli_mark_dirty()"
        )
    op.execute("INSERT INTO stats_dirty (contact_id) SELECT id FROM contact")


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
