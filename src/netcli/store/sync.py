"""The database side of `sync vdir`: each contact's synced fields as one
plain record, the cards a folder was last synced with (`sync_card`), and
contacts added, updated and archived from cards. Field values arrive
cleaned (`clean_card_fields`); nothing here reads a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from netcli.errors import InvalidCard, NetcliError
from netcli.models import Contact, ContactTag, SyncCard
from netcli.store.bulk import bulk_load
from netcli.store.clean import FIELD_CLEANERS, clean_birthday, clean_day, clean_labels, clean_name
from netcli.store.contacts import add_contacts, update_contact
from netcli.store.emails import check_emails_free, clean_emails, emails_of, phones_of
from netcli.store.proposal import CLEAR, Policy, Proposal
from netcli.store.rows import col, grouped_labels, replace_synced, table_of
from netcli.vocab import Channel

SCALARS = ("phone", "org", "role", "url", "note", "birthday")
NEW_ONLY = ("via", "met_at", "met_on", "tier", "cadence_days")  # X-NETCLI-…: read for a contact a card brings
ADDRESS_BOOK = Channel.address_book.value  # the `via` of a contact that arrived from an address book


def clean_card_fields(raw: Mapping[str, Any], *, today: dt.date) -> dict[str, Any]:
    """A card's fields as netcli would hold them (so that a card and its
    contact compare equal when they agree), each through its field's one
    cleaner. A name netcli cannot hold makes the card one it cannot read
    (`InvalidCard`); another value netcli cannot hold (a note too long, a
    birthday on no day) is left on the card, named under `unheld`, as are
    addresses (under `email`) and tags netcli cannot hold."""
    if not raw.get("name"):
        raise InvalidCard("has no name (FN or N)")
    try:
        name = clean_name(raw["name"])
    except NetcliError as exc:
        raise InvalidCard(exc.message) from None
    unheld: dict[str, str] = {}
    dated: dict[str, Callable[[Any], Any]] = {
        "birthday": partial(clean_birthday, today=today),
        "met_on": partial(clean_day, field="met_on", today=today),
    }

    def held(key: str) -> Any:
        """`key`'s value through its field's cleaner; None, named under `unheld`, when it cannot be held."""
        try:
            return dated.get(key, FIELD_CLEANERS[key])(raw.get(key))
        except NetcliError as exc:
            unheld[key] = exc.message
            return None

    values = {key: held(key) for key in SCALARS}
    emails = []
    for address in raw.get("emails", ()):
        try:
            clean_emails([address])
            emails.append(address)
        except NetcliError as exc:
            # named "email", a key no field has: the card's other addresses still count
            unheld.setdefault("email", exc.message)
    tags = []
    for tag in raw.get("tags", ()):
        try:
            tags += clean_labels("tag", [tag])
        except NetcliError as exc:
            unheld.setdefault("tags", exc.message)
    # what a card new to netcli also gives its contact, as `import vcard` reads it (not kept in step after):
    # its other numbers, its city, and netcli's own fields (an exported card comes back whole)
    extra = {"phones": _held("phone", raw.get("phones", ())), "location": _held("location", [raw.get("location")])}
    extra |= {key: held(key) for key in NEW_ONLY}
    try:
        extra["topics"] = clean_labels("topic", raw.get("topics") or [])
    except NetcliError as exc:
        unheld["topics"] = exc.message
    cleaned = {"name": name, "emails": clean_emails(emails), **values, "tags": sorted(set(tags)), "unheld": unheld}
    return cleaned | {"extra": extra}


def _held(key: str, values: Iterable[Any]) -> Any:
    """The values netcli can hold (each through its field's cleaner); for
    `location` the first, else None."""
    held = []
    for value in values:
        try:
            cleaned = FIELD_CLEANERS[key](value)
        except NetcliError:
            continue
        if cleaned and cleaned not in held:
            held.append(cleaned)
    return held if key == "phone" else (held[0] if held else None)


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
    replace_synced(session, SyncCard, folder=folder, key="href", rows=rows, gone=gone)


def add_card_contacts(session: Session, records: Sequence[Mapping[str, Any]], *, today: dt.date) -> list[int]:
    """New contacts from cards (cleaned fields), in bulk, through the one
    contact writer; their ids in order. They met you through your address book."""
    proposals = [
        Proposal(
            name=record["name"],
            emails=list(record["emails"]),
            phones=_phones(record),
            **{key: record[key] for key in SCALARS if key != "phone"},
            location=record.get("extra", {}).get("location"),
            tags=list(record["tags"]),
            topics=list(record.get("extra", {}).get("topics", [])),
            **{key: record.get("extra", {}).get(key) for key in NEW_ONLY if key != "via"},
            via=record.get("extra", {}).get("via") or ADDRESS_BOOK,
        )
        for record in records
    ]
    if not proposals:
        return []
    with bulk_load(session) as bulk:
        ids = add_contacts(session, proposals, today=today)  # a card does not say when you met: not made up
        bulk.contacts = ids
    return ids


def _phones(record: Mapping[str, Any]) -> list[str]:
    """The card's first number first (the one kept in step), then its others."""
    first = [record["phone"]] if record["phone"] else []
    return first + [n for n in record.get("extra", {}).get("phones", []) if n not in first]


def update_from_card(
    session: Session, *, contact_id: int, changes: Mapping[str, Any], before: Mapping[str, Any]
) -> None:
    """Carry a card's changed fields (cleaned) to its contact, as edits the
    user made in their address book. Addresses another contact holds raise
    `Duplicate` before anything is changed."""
    contact = session.get_one(Contact, contact_id)
    scalars = {key: _typed(changes[key]) for key in ("name", *SCALARS) if key in changes and key != "phone"}
    proposal = Proposal(**scalars)
    if "emails" in changes:
        check_emails_free(session, addresses=changes["emails"], exclude=contact_id)
        proposal.emails = list(changes["emails"])
    if "phone" in changes:  # the card's first number is the contact's first one
        held = phones_of(session, contact_ids=[contact_id]).get(contact_id, [])
        proposal.phones = ([changes["phone"]] if changes["phone"] else []) + held[1:]
    if "tags" in changes:
        proposal.tags = list(changes["tags"])
    update_contact(session, contact=contact, proposal=proposal, policy=Policy.typed, force=True)


def _typed(value: Any) -> Any:
    return CLEAR if value in (None, "") else value


def archive_contacts(session: Session, contact_ids: Sequence[int]) -> None:
    for start in range(0, len(contact_ids), 500):
        chunk = list(contact_ids[start : start + 500])
        session.execute(update(Contact).where(col(Contact.id).in_(chunk)).values(archived=True))
