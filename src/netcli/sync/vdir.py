"""`netcli sync vdir`: one sync of a folder of vCards with the contacts.

The folder is read first (names, sizes and times; a card whose size and
time are as last synced is not read again), then each side's changes are
merged card by card (`sync.merge`), the database is changed in the
caller's one transaction, and the files are written last, each whole (a
temporary file in the folder, then a rename). A sync stopped at any point
leaves both sides readable, and the next one finishes the work: a card
written for a contact whose row was never committed carries the UID that
contact always gets in this folder, so it pairs again instead of being
added twice. Knows nothing of a terminal: changes go to a callback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from netcli import __version__
from netcli.addresses import address_key
from netcli.errors import Invalid, NetcliError
from netcli.formats.card import FIELDS, Card, NotACard, new_card, read_card, rewrite
from netcli.names import name_key
from netcli.privatefile import write_private
from netcli.store.sync import (
    InvalidCard,
    add_card_contacts,
    agreed_text,
    archive_contacts,
    clean_card_fields,
    contact_fields,
    save_cards,
    synced_cards,
    update_from_card,
)
from netcli.sync.merge import merge

PRODID = f"-//netcli//netcli {__version__}//EN"
UID_SPACE = uuid.UUID("8f2d3c1e-5b7a-4e2f-9c61-0d4b6a9e7f10")  # a contact's card UID in a folder derives from it
TEMP_SUFFIX = ".netcli-tmp"
WHAT = "a folder of .vcf cards (a vdir, as vdirsyncer and khard keep one)"
Report = Callable[[str, str], None]  # (what happens, to whom)


@dataclass
class Listed:
    href: str
    path: Path
    size: int
    mtime_ns: int
    data: bytes | None = None
    digest: str | None = None
    card: Card | None = None
    fields: dict[str, Any] | None = None


@dataclass
class Plan:
    """What one sync does to the folder, done last."""

    writes: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # href -> (text, the mode it keeps)
    deletes: list[str] = field(default_factory=list)
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # href -> its row, but for the file's stat
    gone: list[str] = field(default_factory=list)  # rows to forget


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
    folder = _folder(folder)
    tell = report or (lambda what, who: None)
    listed, stale = _list(folder)
    by_href = {item.href: item for item in listed}
    rows = synced_cards(session, folder=str(folder))
    contacts = contact_fields(session)
    summary: dict[str, Any] = dict.fromkeys(
        ("added_here", "added_there", "updated_here", "updated_there", "archived", "deleted_there", "waiting_delete"),
        0,
    )
    conflicts: list[dict[str, Any]] = []
    unparsable: list[dict[str, str]] = []
    plan = Plan()

    def readable(item: Listed) -> bool:
        try:
            _read(item)
        except (NotACard, InvalidCard, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            unparsable.append({"card": item.href, "reason": reason})
            tell("unparsable", f"{item.href}: {reason}")
            return False
        return True

    def carry(item: Listed, cid: int, agreed: dict[str, Any] | None) -> None:
        """Merge one paired card with its contact; plan its file and its row."""
        here = {key: contacts[cid][key] for key in FIELDS}
        outcome = merge(item.fields or {}, here, agreed, prefer)
        name = here["name"]
        found = [(key, mine, theirs, "changed on both sides") for key, mine, theirs in outcome.conflicts]
        if outcome.here:
            try:
                update_from_card(session, contact_id=cid, changes=outcome.here, before=here)
            except NetcliError as exc:  # an address another contact holds: neither side changes
                found += [(key, here[key], outcome.here[key], exc.message) for key in outcome.here]
                for key in outcome.here:
                    outcome.agreed.pop(key, None)
                    outcome.there.pop(key, None)
            else:
                summary["updated_here"] += 1
                tell("updated here", f"{name} ({item.href}): {', '.join(outcome.here)}")
                contacts[cid].update(outcome.here)
        for key, mine, theirs, why in found:
            conflicts.append(
                {"card": item.href, "contact": name, "field": key, "here": mine, "there": theirs, "why": why}
            )
            tell("conflict", f"{name} ({item.href}): {key} is {_shown(mine)} here, {_shown(theirs)} there ({why})")
        if outcome.there:
            assert item.card is not None
            plan.writes[item.href] = (rewrite(item.card, outcome.there), _mode(item.path))
            summary["updated_there"] += 1
            tell("updated there", f"{item.href}: {', '.join(outcome.there)}")
        uid = item.card.uid if item.card is not None else rows[item.href].uid if item.href in rows else None
        plan.rows[item.href] = {"href": item.href, "contact_id": cid, "uid": uid, "agreed": _agreed(outcome.agreed)}

    # cards synced before: changed on either side, deleted on either side
    paired: set[int] = set()
    for href, row in rows.items():
        item = by_href.get(href)
        if row.contact_id is not None and row.contact_id in contacts:
            paired.add(row.contact_id)
        if item is None:  # the card was deleted there
            plan.gone.append(href)
            if row.contact_id in contacts and not contacts[row.contact_id]["archived"]:
                archive_contacts(session, [row.contact_id])
                summary["archived"] += 1
                tell("archived", f"{contacts[row.contact_id]['name']} (its card {href} is gone)")
            continue
        if row.contact_id not in contacts:  # the contact was deleted here
            if delete:
                plan.deletes.append(href)
                plan.gone.append(href)
                summary["deleted_there"] += 1
                tell("deleted there", href)
            else:
                summary["waiting_delete"] += 1
            continue
        agreed = json.loads(row.agreed)
        unchanged = row.size == item.size and row.mtime_ns == item.mtime_ns and set(agreed) == set(FIELDS)
        here = {key: contacts[row.contact_id][key] for key in FIELDS}
        if unchanged and here == agreed:
            continue  # neither side changed: nothing to read
        if readable(item):
            carry(item, row.contact_id, agreed)

    # cards met for the first time: pair them with contacts, or add them here
    fresh = [item for item in listed if item.href not in rows and readable(item)]
    index = _Index(contacts, paired, str(folder))
    new_ones: list[Listed] = []
    for item in fresh:
        assert item.fields is not None and item.card is not None
        cid = index.pair(item.card.uid, item.fields)
        if cid is not None:
            paired.add(cid)
            carry(item, cid, None)
        else:
            new_ones.append(item)
    records = []
    for item in new_ones:
        assert item.fields is not None
        record = dict(item.fields, emails=index.claim(item.fields["emails"]))
        records.append(record)
    for item, record, cid in zip(new_ones, records, add_card_contacts(session, records, today=today), strict=True):
        summary["added_here"] += 1
        tell("added here", f"{record['name']} ({item.href})")
        contacts[cid] = {**record, "archived": False, "name_key": name_key(record["name"])}
        uid = item.card.uid if item.card else None
        plan.rows[item.href] = {"href": item.href, "contact_id": cid, "uid": uid, "agreed": agreed_text(record, FIELDS)}
        index.taken.add(cid)
        paired.add(cid)

    # contacts without a card: a new card each
    for cid, values in sorted(contacts.items()):
        if cid in paired or values["archived"]:
            continue
        uid = contact_uid(str(folder), cid, values["name_key"])
        href = f"{uid}.vcf"
        if href in by_href or href in plan.writes:
            continue  # a card by that name already exists: it pairs (or is unparsable and listed)
        plan.writes[href] = (new_card(values, uid=uid, prodid=PRODID), None)
        plan.rows[href] = {"href": href, "contact_id": cid, "uid": uid, "agreed": agreed_text(values, FIELDS)}
        summary["added_there"] += 1
        tell("added there", f"{values['name']} ({href})")

    if not dry_run:
        _carry_out(folder, plan, by_href, stale)
        done = [
            {**kept, "size": by_href[href].size, "mtime_ns": by_href[href].mtime_ns, "digest": by_href[href].digest}
            for href, kept in plan.rows.items()
        ]
        save_cards(session, folder=str(folder), rows=done, gone=plan.gone)
    cards = len(set(by_href) - set(plan.deletes) | set(plan.writes))
    in_step = sum(1 for href, row in rows.items() if href not in plan.gone and row.contact_id in contacts)
    in_step += sum(1 for href in plan.rows if href not in rows)
    return {
        "folder": str(folder),
        "cards": cards,
        "contacts": in_step,
        **{key: summary[key] for key in ("added_here", "added_there", "updated_here", "updated_there")},
        "conflicts": len(conflicts),
        "archived": summary["archived"],
        "deleted_there": summary["deleted_there"],
        "unparsable": len(unparsable),
        "waiting_delete": summary["waiting_delete"],
        "conflict_list": conflicts,
        "unparsable_list": unparsable,
        "dry_run": dry_run,
    }


def contact_uid(folder: str, contact_id: int, key: str) -> str:
    """The UID a contact's card gets in a folder: the same in every sync, so
    that a card written by a sync that was stopped before it committed pairs
    with its contact again."""
    return str(uuid.uuid5(UID_SPACE, f"{folder}\x00{contact_id}\x00{key}"))


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

    def pair(self, uid: str | None, fields: dict[str, Any]) -> int | None:
        candidates = [self.uid.get(uid or "")]
        candidates += [self.email.get(address_key(a)) for a in fields["emails"]]
        candidates += self.name.get(fields["name"], [])
        for cid in candidates:
            if cid is not None and cid not in self.taken:
                self.taken.add(cid)
                return cid
        return None

    def claim(self, emails: list[str]) -> list[str]:
        """The addresses a new contact may hold: those nobody holds yet."""
        free = [a for a in emails if address_key(a) not in self.holders]
        for address in free:
            self.holders[address_key(address)] = -1
        return free


def _folder(given: Path) -> Path:
    path = Path(os.path.abspath(given.expanduser()))
    if not path.exists():
        raise Invalid(f"{given} does not exist; give {WHAT}")
    if not path.is_dir():
        raise Invalid(f"{given} is a file, not a folder; give {WHAT}")
    return path


def _list(folder: Path) -> tuple[list[Listed], list[Path]]:
    """The cards (`*.vcf` not starting with `.`), and temporary files a stopped sync left."""
    listed, stale, nested = [], [], []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        raise Invalid(f"cannot read {folder}: {exc.strerror or exc}") from None
    for entry in entries:
        if entry.name.startswith("."):
            if entry.name.endswith(TEMP_SUFFIX):
                stale.append(Path(entry.path))
            continue
        try:
            if entry.is_dir():
                nested.append(entry.name)
            elif entry.name.lower().endswith(".vcf") and entry.is_file():
                info = entry.stat()
                listed.append(Listed(entry.name, Path(entry.path), info.st_size, info.st_mtime_ns))
        except OSError:  # gone since the listing
            continue
    if not listed and any(any(Path(folder, name).glob("*.vcf")) for name in nested):
        holding = next(name for name in nested if any(Path(folder, name).glob("*.vcf")))
        raise Invalid(
            f"{folder} holds no cards, but its folder {holding} does: give one address book, e.g. {folder / holding}"
        )
    return listed, stale


def _read(item: Listed) -> None:
    if item.card is not None:
        return
    item.data = item.path.read_bytes()
    item.digest = hashlib.sha256(item.data).hexdigest()
    item.card = read_card(item.data)
    item.fields = clean_card_fields(item.card.fields())


def _mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


def _agreed(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "empty"
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _carry_out(folder: Path, plan: Plan, by_href: dict[str, Listed], stale: list[Path]) -> None:
    """Write and delete the planned files; each listed item then holds its file's stat and digest."""
    if (plan.writes or plan.deletes) and not writable(folder):
        raise Invalid(f"cannot write in {folder}: permission denied; netcli needs to write the cards it keeps in step")
    for path in stale:
        with contextlib.suppress(OSError):
            path.unlink()
    for href in plan.deletes:
        try:
            (folder / href).unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise NetcliError(f"cannot delete {folder / href}: {exc.strerror or exc}") from None
    for href, (text, mode) in plan.writes.items():
        path = folder / href
        data = text.encode("utf-8")
        write_private(path, data, mode=mode or 0o600)
        info = path.stat()
        by_href[href] = Listed(href, path, info.st_size, info.st_mtime_ns, data, hashlib.sha256(data).hexdigest())
