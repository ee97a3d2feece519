"""Several emails per contact: the `contact_email` table, filled from
`contact.email`.

Revision ID: 0009
Revises: 0008

`contact.email` stays, as the first address (position 0): every query that
reads it keeps working. `address_key` is the address lowercased with any
`+tag` of the local part dropped, what matching compares; the function that
makes it is copied here, as a revision must not change when the code does.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _address_key(address: str) -> str:
    text = address.strip().lower()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    base, plus, _tag = local.partition("+")
    return f"{base if base else local}@{domain}" if plus else text


def upgrade() -> None:
    table = op.create_table(
        "contact_email",
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("address_key", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("contact_id", "position"),
        sa.UniqueConstraint("contact_id", "address_key", name="uq_contact_email_key"),
    )
    op.create_index("ix_contact_email_address_key", "contact_email", ["address_key"])
    rows = (
        op.get_bind()
        .execute(sa.text("SELECT id, email FROM contact WHERE email IS NOT NULL AND email <> ''"))
        .fetchall()
    )
    batch = []
    for cid, email in rows:
        batch.append({"contact_id": cid, "position": 0, "address": email, "address_key": _address_key(email)})
        if len(batch) >= 5_000:
            op.bulk_insert(table, batch)
            batch = []
    if batch:
        op.bulk_insert(table, batch)


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
