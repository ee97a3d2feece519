"""Several phone numbers per contact, and the keys matching compares: the
`contact_phone` table (filled from `contact.phone`) and `contact.url_key`.

Revision ID: 0015
Revises: 0012

`contact.phone` stays, as the first number (position 0), as `contact.email`
does for `contact_email`. `number_key` is the number in E.164 where it says
its country (`+49…`, `00 49…`), else its digits; numbers typed later are keyed
with the user's `[me] region` too. `url_key` is the URL without scheme,
`www.`, query or trailing slash. The functions that make the keys are copied
here, as a revision must not change when the code does.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None


def _phone_key(number: str) -> str:
    text = number.strip()
    if text.lower().startswith("tel:"):
        text = text[4:].split(";", 1)[0]
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("00"):
        text, digits = "+" + digits[2:], digits[2:]
    if text.startswith("+"):
        import phonenumbers

        try:
            parsed = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:  # a number it cannot read keys as its digits
            parsed = None
        if parsed is not None and phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return ("+" if text.startswith("+") else "") + digits


def _url_key(url: str) -> str:
    text = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", url.strip(), flags=re.IGNORECASE)
    text = text.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    host, slash, path = text.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}{slash}{path}".lower() if host.endswith("linkedin.com") else f"{host}{slash}{path}"


def upgrade() -> None:
    table = op.create_table(
        "contact_phone",
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("number_key", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("contact_id", "position"),
        sa.UniqueConstraint("contact_id", "number_key", name="uq_contact_phone_key"),
    )
    op.create_index("ix_contact_phone_number_key", "contact_phone", ["number_key"])
    op.add_column("contact", sa.Column("url_key", sa.String(), nullable=True))  # no table rebuild: triggers stay
    op.create_index("ix_contact_url_key", "contact", ["url_key"])
    bind = op.get_bind()
    phones, urls = [], []
    for cid, phone, url in bind.execute(sa.text("SELECT id, phone, url FROM contact")).fetchall():
        if phone and phone.strip():
            phones.append({"contact_id": cid, "position": 0, "number": phone, "number_key": _phone_key(phone)})
        if url and url.strip():
            urls.append({"pk": cid, "url_key": _url_key(url)})
    if phones:
        op.bulk_insert(table, phones)
    if urls:
        contact = sa.table("contact", sa.column("id"), sa.column("url_key"))
        bind.execute(
            contact.update().where(contact.c.id == sa.bindparam("pk")).values(url_key=sa.bindparam("url_key")), urls
        )


def downgrade() -> None:
    raise NotImplementedError("netcli migrations only go forward; restore the backup written before the upgrade")
