"""`netcli sync vdir`: one sync of a folder of vCards with the contacts.

The folder is listed first (names, sizes and times; a card whose size and
time are as last synced is not read again), then each side's changes are
merged card by card (`sync.merge`), the database is changed in the
caller's one transaction, and the files are written last, each whole
(`sync.folder`). A sync stopped at any point leaves both sides readable,
and the next one finishes the work: a card written for a contact whose row
was never committed carries the UID that contact always gets in this
folder, so it pairs again instead of being added twice. Knows nothing of a
terminal: each change goes to a callback, and into the summary.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netcli.addresses import address_key
from netcli.errors import NetcliError
from netcli.formats.card import FIELDS, PRODID, Card, NotACard, new_card
from netcli.names import name_key
from netcli.store.sync import (
    add_card_contacts,
    archive_contacts,
    clean_card_fields,
    contact_fields,
    save_cards,
    synced_cards,
    update_from_card,
)
from netcli.sync import folder as files
from netcli.sync.folder import Listed
from netcli.sync.merge import merge, same

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcli.models import SyncCard

UID_SPACE = uuid.UUID("8f2d3c1e-5b7a-4e2f-9c61-0d4b6a9e7f10")  # a contact's card UID in a folder derives from it
COUNTS = ("added_here", "added_there", "updated_here", "updated_there", "archived", "deleted_there", "waiting_delete")
Report = Callable[[str, str], None]  # (what happens, to which card and contact)


def sync_vdir(
    session: Session,
    folder: Path,
    *,
    today: dt.date,
    prefer: str | None = None,
    delete: bool = False,
    dry_run: bool = False,
    report: Report | None = None,
) -> dict[str, Any]:
    """Keep the cards of `folder` and the contacts in step; the contract's summary."""
    return _Sync(session, files.resolve(folder), today, prefer, delete, report).run(dry_run)


def contact_uid(folder: str, contact_id: int, key: str) -> str:
    """The UID a contact's card gets in a folder: the same in every sync, so
    that a card written by a sync that was stopped before it committed pairs
    with its contact again."""
    return str(uuid.uuid5(UID_SPACE, f"{folder}\x00{contact_id}\x00{key}"))


class _Sync:
    def __init__(
        self, session: Session, folder: Path, today: dt.date, prefer: str | None, delete: bool, report: Report | None
    ) -> None:
        self.session, self.folder, self.today, self.prefer, self.delete = session, folder, today, prefer, delete
        self.report = report
        self.listed, self.stale, misnamed = files.list_cards(folder)
        self.by_href = {item.href: item for item in self.listed}
        self.rows = synced_cards(session, folder=str(folder))
        self.contacts = contact_fields(session)
        self.counts = dict.fromkeys(COUNTS, 0)
        self.conflicts: list[dict[str, Any]] = []
        self.unparsable: list[dict[str, str]] = []
        self.changes: list[dict[str, str]] = []
        for name in misnamed:
            self.unreadable(name, "its file name is not UTF-8 text; rename it")
        self.paired: set[int] = set()
        self.holders: dict[str, list[int]] | None = None  # address key -> contacts, built when a conflict needs it
        # what is done to the folder, last: href -> (text, the mode it keeps); hrefs deleted
        self.writes: dict[str, tuple[str, int | None]] = {}
        self.deletes: list[str] = []
        self.kept: dict[str, dict[str, Any]] = {}  # href -> its new row, but for the file's stat
        self.forget: list[str] = []  # rows to drop

    def tell(self, what: str, who: str) -> None:
        self.changes.append({"what": what, "who": who})
        if self.report:
            self.report(what, who)

    def run(self, dry_run: bool) -> dict[str, Any]:
        fresh = [item for item in self.listed if item.href not in self.rows and self.readable(item)]
        for item in fresh:
            item.card = None  # read again if it is paired and rewritten
        moved = self.moved(fresh)
        for row in self.rows.values():
            if row.contact_id is not None and row.contact_id in self.contacts:
                self.paired.add(row.contact_id)
        for href, row in self.rows.items():
            self.synced_before(href, row, moved)
        self.met_first(item for item in fresh if item.href not in moved)
        self.cards_for_the_others()
        if not dry_run:
            written = files.carry_out(self.folder, self.writes, self.deletes, self.stale)
            self.by_href.update(written)
            rows = [
                {
                    **row,
                    "size": self.by_href[h].size,
                    "mtime_ns": self.by_href[h].mtime_ns,
                    "digest": self.by_href[h].digest,
                }
                for h, row in self.kept.items()
            ]
            save_cards(self.session, folder=str(self.folder), rows=rows, gone=self.forget)
        return self.summary(dry_run)

    def summary(self, dry_run: bool) -> dict[str, Any]:
        cards = (set(self.by_href) - set(self.deletes)) | set(self.writes)
        kept = {h for h, row in self.rows.items() if h not in self.forget and row.contact_id in self.contacts}
        return {
            "folder": str(self.folder),
            "cards": len(cards),
            "contacts": len(kept | set(self.kept)),
            **{key: self.counts[key] for key in ("added_here", "added_there", "updated_here", "updated_there")},
            "conflicts": len(self.conflicts),
            "archived": self.counts["archived"],
            "deleted_there": self.counts["deleted_there"],
            "unparsable": len(self.unparsable),
            "waiting_delete": self.counts["waiting_delete"],
            "conflict_list": self.conflicts,
            "unparsable_list": self.unparsable,
            "changes": self.changes,
            "dry_run": dry_run,
        }

    def readable(self, item: Listed) -> bool:
        try:
            files.read(item, today=self.today)
        except (NotACard, NetcliError, OSError) as exc:
            self.unreadable(item.href, exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc))
            return False
        return True

    def unreadable(self, href: str, reason: str) -> None:
        self.unparsable.append({"card": href, "reason": reason})
        self.tell("unparsable", f"{href}: {reason}")

    def moved(self, fresh: list[Listed]) -> dict[str, str]:
        """Cards synced before that are now under another file name: by the
        same UID, else (a phone that wrote the card again under a new UID) by
        an address of the contact whose card is gone. New href -> old href."""
        gone = {href: row for href, row in self.rows.items() if href not in self.by_href}
        by_uid = {row.uid: href for href, row in gone.items() if row.uid}
        by_email = {
            address_key(address): href
            for href, row in gone.items()
            if row.contact_id in self.contacts
            for address in self.contacts[row.contact_id]["emails"]
        }
        found: dict[str, str] = {}
        for test in (
            lambda item: [by_uid.get(item.uid or "")],
            lambda item: [by_email.get(address_key(a)) for a in item.fields["emails"]],
        ):
            for item in fresh:
                old = next((h for h in test(item) if h is not None and h not in found.values()), None)
                if old is not None and item.href not in found:
                    found[item.href] = old
        return found

    def synced_before(self, href: str, row: SyncCard, moved: dict[str, str]) -> None:
        """A card synced before: changed on either side, renamed, or deleted on either side."""
        cid = row.contact_id
        item = self.by_href.get(href)
        if item is None:
            self.forget.append(href)
            new_href = next((new for new, old in moved.items() if old == href), None)
            if new_href is not None and cid in self.contacts:  # renamed, not deleted
                self.carry(self.by_href[new_href], cid, json.loads(row.agreed), row.uid)
            elif new_href is not None:  # renamed, and its contact deleted here: it still waits for --delete
                self.kept[new_href] = {"href": new_href, "contact_id": None, "uid": row.uid, "agreed": row.agreed}
                self.counts["waiting_delete"] += 1
            elif cid in self.contacts and not self.contacts[cid]["archived"]:
                archive_contacts(self.session, [cid])
                self.counts["archived"] += 1
                self.tell("archived", f"{self.contacts[cid]['name']} (its card {href} is gone)")
            return
        if cid not in self.contacts:
            self.deleted_here(item, row)
            return
        agreed = json.loads(row.agreed)
        here = {key: self.contacts[cid][key] for key in FIELDS}
        if row.size == item.size and row.mtime_ns == item.mtime_ns and set(agreed) == set(FIELDS) and here == agreed:
            return  # neither side changed: nothing to read
        if self.readable(item):
            self.carry(item, cid, agreed, row.uid)

    def deleted_here(self, item: Listed, row: SyncCard) -> None:
        """The card of a contact deleted here: deleted with --delete, unless edited there since."""
        if not self.delete:
            self.counts["waiting_delete"] += 1
            return
        edited = (item.size, item.mtime_ns) != (row.size, row.mtime_ns) and files.digest_of(item) != row.digest
        if edited and self.prefer != "netcli":
            self.conflict(item.href, None, "card", "deleted", "edited", "deleted here, edited there since")
            return
        self.deletes.append(item.href)
        self.forget.append(item.href)
        self.counts["deleted_there"] += 1
        self.tell("deleted there", item.href)

    def why(self, key: str, theirs: Any, agreed: dict[str, Any] | None, cid: int) -> str:
        if key == "emails":
            for address in theirs:
                holder = self.holder(address, cid)
                if holder is not None:
                    return f"{address} is held by #{holder} {self.contacts[holder]['name']}"
        if agreed is None:
            return "the two differ on the first sync"
        return "changed on both sides" if key in agreed else "not settled since an earlier sync"

    def holder(self, address: str, cid: int) -> int | None:
        """Another contact than `cid` holding an address."""
        if self.holders is None:
            self.holders = {}
            for cid, values in self.contacts.items():
                for held in values["emails"]:
                    self.holders.setdefault(address_key(held), []).append(cid)
        return next((other for other in self.holders.get(address_key(address), []) if other != cid), None)

    def conflict(self, href: str, name: str | None, key: str, here: Any, there: Any, why: str) -> None:
        self.conflicts.append({"card": href, "contact": name, "field": key, "here": here, "there": there, "why": why})
        self.tell(
            "conflict", f"{name or 'the card'} ({href}): {key} is {_shown(here)} here, {_shown(there)} there ({why})"
        )

    def carry(self, item: Listed, cid: int, agreed: dict[str, Any] | None, uid: str | None) -> None:
        """Merge one paired card with its contact; plan its file and its row."""
        if item.card is None and not self.readable(item):  # changed since it was listed, and broken now
            return
        assert item.fields is not None and item.card is not None
        here = {key: self.contacts[cid][key] for key in FIELDS}
        unheld = item.fields.get("unheld", {})
        for why in unheld.values():
            self.tell("left on the card", f"{here['name']} ({item.href}): {why}")
        # what netcli cannot hold stays on the card, and the contact's value stays the contact's
        there = {key: here[key] if key in unheld else item.fields[key] for key in FIELDS}
        outcome = merge(there, here, agreed, self.prefer)
        name = here["name"]
        found = [(key, mine, theirs, self.why(key, theirs, agreed, cid)) for key, mine, theirs in outcome.conflicts]
        if outcome.here:
            try:
                update_from_card(self.session, contact_id=cid, changes=outcome.here, before=here)
            except NetcliError as exc:  # an address another contact holds: neither side changes
                found += [(key, here[key], outcome.here[key], exc.message) for key in outcome.here]
                for key in outcome.here:
                    outcome.agreed.pop(key, None)
                    outcome.there.pop(key, None)
            else:
                self.counts["updated_here"] += 1
                self.tell("updated here", f"{name} ({item.href}): {', '.join(outcome.here)}")
                self.contacts[cid].update(outcome.here)
        for key, mine, theirs, reason in found:
            self.conflict(item.href, name, key, mine, theirs, reason)
        if outcome.there:
            text = item.card.edited(outcome.there)
            self.writes[item.href] = (text, files.mode_of(item.path))
            self.counts["updated_there"] += 1
            self.tell("updated there", f"{name} ({item.href}): {', '.join(outcome.there)}")
            self.settle(item.href, cid, text, outcome.there, outcome.agreed)
        card_uid = item.uid or uid
        self.kept[item.href] = {
            "href": item.href,
            "contact_id": cid,
            "uid": card_uid,
            "agreed": _agreed(outcome.agreed),
        }
        item.card = None  # its text is planned: what is left of a card is its row

    def settle(self, href: str, cid: int, text: str, written: dict[str, Any], agreed: dict[str, Any]) -> None:
        """What the rewritten card reads back as is what both sides agree on: a
        phone cleared here leaves the card's next TEL, which the contact then takes."""
        back = clean_card_fields(Card.parse(text).fields().record(), today=self.today)
        drift = {key: back[key] for key in written if not same(key, back[key], written[key])}
        if not drift:
            return
        here = {key: self.contacts[cid][key] for key in FIELDS}
        try:
            update_from_card(self.session, contact_id=cid, changes=drift, before=here)
        except NetcliError:
            return  # the card keeps it; the next sync lists it
        self.contacts[cid].update(drift)
        agreed.update(drift)
        self.tell("updated here", f"{here['name']} ({href}): {', '.join(drift)}, as the card now reads")

    def met_first(self, fresh: Iterable[Listed]) -> None:
        """Cards met for the first time: paired with a contact, or added here."""
        index = _Index(self.contacts, self.paired, str(self.folder))
        pairs = index.pair_all(list(fresh))
        new_ones = [item for item, cid in pairs if cid is None]
        for item, cid in pairs:
            if cid is not None:
                self.paired.add(cid)
                self.carry(item, cid, None, None)
        records = []
        for item in new_ones:
            assert item.fields is not None
            for why in item.fields.get("unheld", {}).values():
                self.tell("left on the card", f"{item.fields['name']} ({item.href}): {why}")
            free, held = index.claim(item.fields["emails"])
            for address, holder in held:
                who = f"#{holder} {self.contacts[holder]['name']}" if holder in self.contacts else "another new card"
                self.conflict(item.href, item.fields["name"], "emails", [], [address], f"{address} is held by {who}")
            records.append(dict(item.fields, emails=free, held=bool(held)))
        for item, record, cid in zip(
            new_ones, records, add_card_contacts(self.session, records, today=self.today), strict=True
        ):
            self.counts["added_here"] += 1
            self.tell("added here", f"{record['name']} ({item.href})")
            self.contacts[cid] = {**record, "archived": False, "name_key": name_key(record["name"])}
            self.kept[item.href] = {
                "href": item.href,
                "contact_id": cid,
                "uid": item.uid,
                # an address held by another contact is not agreed: the card is looked at, and listed, each time
                "agreed": _agreed(record, [key for key in FIELDS if key != "emails" or not record["held"]]),
            }
            self.paired.add(cid)

    def cards_for_the_others(self) -> None:
        """Contacts without a card (archived ones aside): a new card each."""
        for cid, values in sorted(self.contacts.items()):
            if cid in self.paired or values["archived"]:
                continue
            uid = contact_uid(str(self.folder), cid, values["name_key"])
            href = f"{uid}.vcf"
            if href in self.by_href or href in self.writes:
                continue  # a card by that name is there: it paired, or it is unparsable and listed
            self.writes[href] = (new_card({key: values[key] for key in FIELDS}, uid=uid, prodid=PRODID), None)
            self.kept[href] = {"href": href, "contact_id": cid, "uid": uid, "agreed": _agreed(values, FIELDS)}
            self.counts["added_there"] += 1
            self.tell("added there", f"{values['name']} ({href})")


class _Index:
    """The contacts no card of this folder is paired with, by UID, address and name."""

    def __init__(self, contacts: dict[int, dict[str, Any]], paired: set[int], folder: str) -> None:
        self.taken = set(paired)
        self.uid: dict[str, int] = {}
        self.email: dict[str, int] = {}
        self.name: dict[str, list[int]] = {}
        self.holders: dict[str, int] = {}
        for cid, values in sorted(contacts.items()):
            for address in values["emails"]:
                self.holders.setdefault(address_key(address), cid)
            if cid in paired:
                continue
            self.uid[contact_uid(folder, cid, values["name_key"])] = cid
            for address in values["emails"]:
                self.email.setdefault(address_key(address), cid)
            self.name.setdefault(values["name"], []).append(cid)

    def pair_all(self, cards: list[Listed]) -> list[tuple[Listed, int | None]]:
        """Each card's contact, or None: the surest matches first, across all
        cards (UID, then email and name, then email, then name alone)."""
        found: dict[str, int] = {}
        for test in (self._by_uid, self._by_email_and_name, self._by_email, self._by_name):
            for item in cards:
                if item.href in found:
                    continue
                cid = next((c for c in test(item) if c is not None and c not in self.taken), None)
                if cid is not None:
                    self.taken.add(cid)
                    found[item.href] = cid
        return [(item, found.get(item.href)) for item in cards]

    def _by_uid(self, item: Listed) -> list[int | None]:
        return [self.uid.get(item.uid or "")]

    def _by_email(self, item: Listed) -> list[int | None]:
        return [self.email.get(address_key(a)) for a in (item.fields or {}).get("emails", [])]

    def _by_email_and_name(self, item: Listed) -> list[int | None]:
        named = set(self._by_name(item))
        return [cid for cid in self._by_email(item) if cid in named]

    def _by_name(self, item: Listed) -> list[int | None]:
        return list(self.name.get((item.fields or {}).get("name", ""), []))

    def claim(self, emails: list[str]) -> tuple[list[str], list[tuple[str, int]]]:
        """The addresses a new contact may hold (nobody holds them yet), and the others with their holders."""
        free, held = [], []
        for address in emails:
            holder = self.holders.get(address_key(address))
            if holder is None:
                free.append(address)
                self.holders[address_key(address)] = -1  # the contact being added now
            else:
                held.append((address, holder))
        return free, held


def _agreed(values: dict[str, Any], keys: Iterable[str] | None = None) -> str:
    """What `sync_card.agreed` keeps: the fields (those of `keys`, when given) as JSON."""
    picked = values if keys is None else {key: values[key] for key in keys}
    return json.dumps(picked, sort_keys=True, ensure_ascii=False)


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "empty"
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")
