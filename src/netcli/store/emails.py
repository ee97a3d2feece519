"""A contact's several emails (`contact_email`), phone numbers
(`contact_phone`) and chat handles (`contact_handle`), in order: reading
them, replacing them, finding who holds one, and writing them in bulk.
`contact.email` and `contact.phone` always repeat the first one. Matching
compares keys (`netcli.identity`): an address lowercased without its `+tag`,
a number in E.164, a handle as `handle_key` normalises it (stored so)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import String, cast, delete, func, select, update
from sqlmodel import Session, SQLModel

from netcli.addresses import address_key
from netcli.errors import Duplicate
from netcli.identity import handle_key, phone_key
from netcli.models import Contact, ContactEmail, ContactHandle, ContactPhone
from netcli.store.clean import clean_email, clean_handle, clean_phone
from netcli.store.rows import NAME_MARK, SEPARATOR, col, insert_many, table_of


class Listed(NamedTuple):
    """One kind of identity a contact holds several of, in order."""

    what: str  # "email", "phone", "handle": the word messages use
    model: type[SQLModel]
    value: str  # the column of the value as written
    key: str  # the column of its key (a handle is stored as its key: the same column)
    first: bool = True  # the contact's column named `what` repeats the first one


EMAILS = Listed("email", ContactEmail, "address", "address_key")
PHONES = Listed("phone", ContactPhone, "number", "number_key")
HANDLES = Listed("handle", ContactHandle, "handle", "handle", first=False)


def keyer(kind: Listed, region: str | None = None) -> Callable[[str], str]:
    """The key function of a kind (phones and handles need the user's `[me] region`)."""
    if kind is EMAILS:
        return address_key
    if kind is HANDLES:
        return lambda handle: handle_key(handle, region)
    return lambda number: phone_key(number, region)


def clean_listed(kind: Listed, values: Iterable[Any], *, region: str | None = None) -> list[str]:
    """Values as written, each checked by its field's cleaner, in order, the same one (by key) once."""
    clean: Callable[[Any], str | None]
    if kind is HANDLES:
        clean = lambda value: clean_handle(value, region=region)  # noqa: E731
    else:
        clean = clean_email if kind is EMAILS else clean_phone
    key = keyer(kind, region)
    result: dict[str, str] = {}
    for value in values:
        text = clean(value)
        if text is not None:
            result.setdefault(key(text), text)
    return list(result.values())


def clean_emails(values: Iterable[Any]) -> list[str]:
    return clean_listed(EMAILS, values)


def listed_of(session: Session, kind: Listed, *, contact_ids: Sequence[int] | None = None) -> dict[int, list[str]]:
    """Each contact's values in order (only `contact_ids`' when given)."""
    table = table_of(kind.model)
    query = select(table.c.contact_id, table.c[kind.value]).order_by(table.c.contact_id, table.c.position)
    if contact_ids is not None:
        query = query.where(table.c.contact_id.in_(list(contact_ids)))
    found: dict[int, list[str]] = {}
    for cid, value in session.connection().execute(query):
        found.setdefault(cid, []).append(value)
    return found


def emails_of(session: Session, *, contact_ids: Sequence[int] | None = None) -> dict[int, list[str]]:
    return listed_of(session, EMAILS, contact_ids=contact_ids)


def phones_of(session: Session, *, contact_ids: Sequence[int] | None = None) -> dict[int, list[str]]:
    return listed_of(session, PHONES, contact_ids=contact_ids)


def listed_column(kind: Listed, contact_id: Any) -> Any:
    """A listing's column: the contact's values aggregated in SQL, each after
    its position (aggregates keep no order of their own); `split_listed` reads it."""
    table = table_of(kind.model)
    item = cast(table.c.position, String) + NAME_MARK + table.c[kind.value]
    return select(func.aggregate_strings(item, SEPARATOR)).where(table.c.contact_id == contact_id).scalar_subquery()


def emails_column(contact_id: Any) -> Any:
    return listed_column(EMAILS, contact_id)


def split_listed(joined: str | None) -> list[str]:
    if not joined:
        return []
    if SEPARATOR not in joined:  # one value, as most people have: nothing to order
        return [joined.partition(NAME_MARK)[2]]
    pairs = (part.partition(NAME_MARK) for part in joined.split(SEPARATOR))
    return [value for _, value in sorted((int(position), value) for position, _, value in pairs)]


split_emails = split_listed


def holder_of_keys(
    session: Session, kind: Listed, *, keys: Mapping[str, str], exclude: int | None = None
) -> tuple[Contact, str] | None:
    """Another contact holding one of the values (key -> value as written), and which value."""
    if not keys:
        return None
    table = table_of(kind.model)
    query = (
        select(Contact, table.c[kind.key])
        .join(table, table.c.contact_id == col(Contact.id))
        .where(table.c[kind.key].in_(list(keys)))
        .order_by(col(Contact.id))
        .limit(1)
    )
    if exclude is not None:
        query = query.where(col(Contact.id) != exclude)
    row = session.execute(query).first()
    return (row[0], keys[row[1]]) if row is not None else None


def holder_of(session: Session, *, addresses: Iterable[str], exclude: int | None = None) -> tuple[Contact, str] | None:
    """Another contact holding one of `addresses` (by key), and which address."""
    return holder_of_keys(session, EMAILS, keys={address_key(a): a for a in addresses}, exclude=exclude)


def check_free(
    session: Session, kind: Listed, *, values: Iterable[str], exclude: int | None, region: str | None = None
) -> None:
    key = keyer(kind, region)
    found = holder_of_keys(session, kind, keys={key(v): v for v in values}, exclude=exclude)
    if found is not None:
        other, value = found
        raise Duplicate(f"#{other.id} {other.name} already has the {kind.what} {value}; merge them with 'netcli merge'")


def check_emails_free(session: Session, *, addresses: Iterable[str], exclude: int) -> None:
    check_free(session, EMAILS, values=addresses, exclude=exclude)


def set_listed(
    session: Session, kind: Listed, *, contact_id: int, values: Sequence[str], region: str | None = None
) -> None:
    """Replace the contact's values (already cleaned, unique by key) with these, in order."""
    session.flush()
    table = table_of(kind.model)
    session.connection().execute(delete(table).where(table.c.contact_id == contact_id))
    insert_listed(session, kind, {contact_id: values}, region=region)
    if not kind.first:
        return
    contacts = table_of(Contact)
    first = values[0] if values else None
    session.connection().execute(update(contacts).where(contacts.c.id == contact_id).values({kind.what: first}))
    contact = session.get(Contact, contact_id)
    if contact is not None:
        session.refresh(contact, [kind.what])


def set_emails(session: Session, *, contact_id: int, addresses: Sequence[str]) -> None:
    set_listed(session, EMAILS, contact_id=contact_id, values=addresses)


def insert_listed(
    session: Session, kind: Listed, values: Mapping[int, Sequence[str]], *, region: str | None = None
) -> None:
    """Rows for new contacts (or after `set_listed` cleared them), one statement."""
    key = keyer(kind, region)
    columns = ["contact_id", "position", *dict.fromkeys((kind.value, kind.key))]  # a handle is stored as its key
    rows = [
        (cid, n, key(v)) if len(columns) == 3 else (cid, n, v, key(v))
        for cid, listed in values.items()
        for n, v in enumerate(listed)
    ]
    insert_many(session.connection(), table_of(kind.model), columns, rows)


def insert_emails(session: Session, emails: Mapping[int, Sequence[str]]) -> None:
    insert_listed(session, EMAILS, emails)


def fill_missing_listed(session: Session, kind: Listed) -> None:
    """Contacts whose first value (`contact.email`, `contact.phone`) has no row
    in its table (a backup written before contacts held several): their one
    value becomes their list."""
    table = table_of(kind.model)
    column = table_of(Contact).c[kind.what]
    listed = select(table.c.contact_id)
    query = select(col(Contact.id), column).where(column.is_not(None), column != "", col(Contact.id).not_in(listed))
    insert_listed(session, kind, {cid: [str(value)] for cid, value in session.connection().execute(query)})


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
