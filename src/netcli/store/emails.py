"""A contact's several emails (`contact_email`), in order: reading them,
replacing them, finding who holds an address, and writing them in bulk.
`contact.email` always repeats the first one. Matching compares
`address_key` (lowercase, `+tag` dropped: `netcli.addresses`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import String, cast, delete, func, insert, select
from sqlmodel import Session, col

from netcli.addresses import address_key
from netcli.errors import Duplicate
from netcli.models import Contact, ContactEmail
from netcli.store.clean import clean_text
from netcli.store.rows import NAME_MARK, SEPARATOR, table_of


def clean_emails(values: Iterable[str | None]) -> list[str]:
    """Addresses as typed, each checked, in order, the same address (by key) once."""
    result: dict[str, str] = {}
    for value in values:
        text = clean_text("email", value)
        if text is not None:
            result.setdefault(address_key(text), text)
    return list(result.values())


def emails_of(session: Session, *, contact_ids: Sequence[int] | None = None) -> dict[int, list[str]]:
    """Each contact's addresses in order (only `contact_ids`' when given)."""
    query = select(col(ContactEmail.contact_id), col(ContactEmail.address)).order_by(
        col(ContactEmail.contact_id), col(ContactEmail.position)
    )
    if contact_ids is not None:
        query = query.where(col(ContactEmail.contact_id).in_(list(contact_ids)))
    found: dict[int, list[str]] = {}
    for cid, address in session.connection().execute(query):
        found.setdefault(cid, []).append(address)
    return found


def emails_column(contact_id: Any) -> Any:
    """A listing's column: the contact's addresses aggregated in SQL, each
    after its position (aggregates keep no order of their own); `split_emails` reads it."""
    table = table_of(ContactEmail)
    item = cast(table.c.position, String) + NAME_MARK + table.c.address
    return select(func.aggregate_strings(item, SEPARATOR)).where(table.c.contact_id == contact_id).scalar_subquery()


def split_emails(joined: str | None) -> list[str]:
    if not joined:
        return []
    pairs = (part.partition(NAME_MARK) for part in joined.split(SEPARATOR))
    return [address for _, address in sorted((int(position), address) for position, _, address in pairs)]


def holder_of(session: Session, *, addresses: Iterable[str], exclude: int | None = None) -> tuple[Contact, str] | None:
    """Another contact holding one of `addresses` (by key), and which address."""
    keys = {address_key(a): a for a in addresses}
    if not keys:
        return None
    query = (
        select(Contact, col(ContactEmail.address_key))
        .join(ContactEmail, col(ContactEmail.contact_id) == col(Contact.id))
        .where(col(ContactEmail.address_key).in_(list(keys)))
        .order_by(col(Contact.id))
        .limit(1)
    )
    if exclude is not None:
        query = query.where(col(Contact.id) != exclude)
    row = session.execute(query).first()
    return (row[0], keys[row[1]]) if row is not None else None


def check_emails_free(session: Session, *, addresses: Iterable[str], exclude: int) -> None:
    found = holder_of(session, addresses=addresses, exclude=exclude)
    if found is not None:
        other, email = found
        raise Duplicate(f"#{other.id} {other.name} already has the email {email}; merge them with 'netcli merge'")


def set_emails(session: Session, *, contact_id: int, addresses: Sequence[str]) -> None:
    """Replace the contact's addresses (already cleaned, unique by key) with these, in order."""
    session.flush()
    session.connection().execute(delete(ContactEmail).where(col(ContactEmail.contact_id) == contact_id))
    insert_emails(session, {contact_id: addresses})
    contact = session.get_one(Contact, contact_id)
    contact.email = addresses[0] if addresses else None
    session.add(contact)
    session.flush()


def insert_emails(session: Session, emails: Mapping[int, Sequence[str]]) -> None:
    """Rows of `contact_email` for new contacts (or after `set_emails` cleared them), one statement."""
    rows = [
        {"contact_id": cid, "position": n, "address": a, "address_key": address_key(a)}
        for cid, addresses in emails.items()
        for n, a in enumerate(addresses)
    ]
    if rows:
        session.connection().execute(insert(ContactEmail), rows)


def fill_missing_emails(session: Session) -> None:
    """Contacts whose `email` has no `contact_email` row (a backup written
    before contacts held several): their one address becomes their list."""
    listed = select(col(ContactEmail.contact_id))
    query = select(col(Contact.id), col(Contact.email)).where(
        col(Contact.email).is_not(None), col(Contact.email) != "", col(Contact.id).not_in(listed)
    )
    insert_emails(session, {cid: [str(email)] for cid, email in session.connection().execute(query)})


def check_one_holder(addresses: Iterable[str], holders: Mapping[str, int]) -> None:
    """An imported line whose addresses belong to two contacts (`holders`: id
    by address key) would give one the other's address: refused, so that an
    address names one person (capture matches by it)."""
    first: dict[int, str] = {}
    for address in addresses:
        holder = holders.get(address_key(address))
        if holder is not None:
            first.setdefault(holder, address)
    if len(first) > 1:
        one, other = list(first.values())[:2]
        raise Duplicate(
            f"{one} and {other} belong to two different contacts; "
            "merge them first ('netcli merge KEEP OTHER') or fix the file"
        )
