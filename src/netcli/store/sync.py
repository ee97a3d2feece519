"""The database side of `sync vdir`: each contact's synced fields as one
plain record, the cards a folder was last synced with (`sync_card`), and
contacts added, updated and archived from cards. Field values arrive
cleaned (`clean_card_fields`); nothing here reads a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from netcli.errors import NetcliError
from netcli.models import Contact, ContactTag, SyncCard
from netcli.names import name_key
from netcli.store.bulk import allocate_ids, bulk_load, insert_contacts
from netcli.store.clean import MAX_FIELD, MAX_NOTE, clean_birthday, clean_labels, clean_name, clean_text
from netcli.store.contacts import update_contact
from netcli.store.emails import check_emails_free, clean_emails, emails_of, set_emails
from netcli.store.rows import grouped_labels, table_of

SCALARS = ("phone", "org", "role", "url", "note", "birthday")


def clean_card_fields(raw: Mapping[str, Any], *, today: dt.date) -> dict[str, Any]:
    """A card's fields as netcli would hold them (so that a card and its
    contact compare equal when they agree). A name netcli cannot hold makes
    the card one it cannot read (`InvalidCard`); another value netcli cannot
    hold (a note too long, a birthday on no day) is left on the card, named
    under `unheld`, as are addresses and tags netcli cannot hold."""
    if not raw.get("name"):
        raise InvalidCard("has no name (FN or N)")
    try:
        name = clean_name(raw["name"])
    except NetcliError as exc:
        raise InvalidCard(exc.message.removeprefix("--")) from None
    unheld: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key in SCALARS:
        try:
            if key == "birthday":
                values[key] = clean_birthday(raw.get(key), today=today)
            else:
                values[key] = clean_text(key, raw.get(key), limit=MAX_NOTE if key == "note" else MAX_FIELD)
        except NetcliError as exc:
            values[key] = None
            unheld[key] = exc.message.removeprefix("--")
    emails = clean_emails(e for e in raw.get("emails", ()) if _holdable(e))
    tags = []
    for tag in raw.get("tags", ()):
        try:
            tags += clean_labels("tag", [tag])
        except NetcliError as exc:
            unheld.setdefault("tags", exc.message)
    return {"name": name, "emails": emails, **values, "tags": sorted(set(tags)), "unheld": unheld}


def _holdable(address: str) -> bool:
    try:
        clean_text("email", address)
    except NetcliError:
        return False
    return True


class InvalidCard(NetcliError):
    """A card holds a value netcli cannot keep; the card is left alone."""


def contact_fields(session: Session) -> dict[int, dict[str, Any]]:
    """Every contact's synced fields, with `archived` and `name_key` beside them."""
    emails = emails_of(session)
    tags = grouped_labels(session, col(ContactTag.contact_id), col(ContactTag.tag), None)
    table = table_of(Contact)
    columns = [table.c[key] for key in ("id", "name", "name_key", "archived", *SCALARS)]
    found: dict[int, dict[str, Any]] = {}
    for row in session.connection().execute(select(*columns)):
        cid, name, key, archived, *scalars = tuple(row)
        found[cid] = {
            "name": name,
            "emails": emails.get(cid, []),
            **dict(zip(SCALARS, scalars, strict=True)),
            "tags": tags.get(cid, []),
            "archived": bool(archived),
            "name_key": key,
        }
    return found


def synced_cards(session: Session, *, folder: str) -> dict[str, SyncCard]:
    return {row.href: row for row in session.scalars(select(SyncCard).where(col(SyncCard.folder) == folder))}


def save_cards(session: Session, *, folder: str, rows: Iterable[Mapping[str, Any]], gone: Sequence[str]) -> None:
    """Write the rows (href, contact_id, uid, size, mtime_ns, digest, agreed) of cards
    synced now, replacing what was kept of them, and forget the `gone` ones."""
    table = table_of(SyncCard)
    rows = [dict(row, folder=folder) for row in rows]
    hrefs = [*gone, *(row["href"] for row in rows)]
    for start in range(0, len(hrefs), 500):
        chunk = hrefs[start : start + 500]
        session.execute(delete(table).where(table.c.folder == folder, table.c.href.in_(chunk)))
    if rows:
        session.execute(insert(table), rows)


def add_card_contacts(session: Session, records: Sequence[Mapping[str, Any]], *, today: dt.date) -> list[int]:
    """New contacts from cards (cleaned fields), in bulk; their ids in order."""
    if not records:
        return []
    ids = allocate_ids(session, table_of(Contact), len(records))
    fresh: dict[int, dict[str, Any]] = {}
    labels: dict[int, tuple[list[str], list[str]]] = {}
    emails: dict[int, list[str]] = {}
    for cid, record in zip(ids, records, strict=True):
        fresh[cid] = {
            "id": cid,
            "name": record["name"],
            "name_key": name_key(record["name"]),
            "email": record["emails"][0] if record["emails"] else None,
            **{key: record[key] for key in SCALARS},
            "tier": "C",
            "met_on": today,
            "archived": False,
        }
        labels[cid] = (list(record["tags"]), [])
        emails[cid] = list(record["emails"])
    with bulk_load(session) as bulk:
        insert_contacts(session, fresh, labels, emails)
        bulk.contacts = ids
    return ids


def update_from_card(
    session: Session, *, contact_id: int, changes: Mapping[str, Any], before: Mapping[str, Any]
) -> None:
    """Carry a card's changed fields (cleaned) to its contact. Addresses
    another contact holds raise `Duplicate` before anything is changed."""
    if "emails" in changes:
        check_emails_free(session, addresses=changes["emails"], exclude=contact_id)
        set_emails(session, contact_id=contact_id, addresses=changes["emails"])
    contact = session.get_one(Contact, contact_id)
    edits = {key: changes[key] for key in ("name", *SCALARS) if key in changes}
    tags = changes.get("tags", before["tags"])
    add = [t for t in tags if t not in before["tags"]]
    remove = [t for t in before["tags"] if t not in tags]
    update_contact(session, contact=contact, changes=edits, add_tags=add, remove_tags=remove, force=True)


def archive_contacts(session: Session, contact_ids: Sequence[int]) -> None:
    for start in range(0, len(contact_ids), 500):
        chunk = list(contact_ids[start : start + 500])
        session.execute(update(Contact).where(col(Contact.id).in_(chunk)).values(archived=True))
