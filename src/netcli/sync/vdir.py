"""`netcli sync vdir`: one sync of a folder of vCards with the contacts, in
three steps, as vdirsyncer syncs:

1. gather: the folder is listed (names, sizes and times; a card whose size
   and time are as last synced, and whose contact did not change either,
   is not read again), the rest read, the contacts and what the last sync
   agreed of each card loaded;
2. decide: the pure decision table (`sync.card_plan.decide`) turns the
   three states into typed actions (`sync.actions`);
3. apply: the database is changed in the caller's one transaction, then
   the files are written, each whole (`sync.folder`), then the agreed
   state kept.

A sync stopped at any point leaves both sides readable, and the next one
finishes the work: a card written for a contact whose row was never
committed carries the UID that contact always gets in this folder, so it
pairs again instead of being added twice. Knows nothing of a terminal: each
change goes to a callback, and into the summary.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netcli.errors import NetcliError
from netcli.formats.card import FIELDS, PRODID, Card, NotACard, new_card
from netcli.names import name_key
from netcli.results import SyncSummary
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
from netcli.sync.actions import Action, Change, Forget, Keep, Remove, Settle, Unparsable, Write
from netcli.sync.card_plan import Conflict, NewCard, Rewrite, Row, There, agreed_json, contact_uid, decide
from netcli.sync.folder import Listed
from netcli.sync.merge import same

if TYPE_CHECKING:
    from sqlmodel import Session

__all__ = ["COUNTS", "contact_uid", "sync_vdir"]

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
) -> SyncSummary:
    """Keep the cards of `folder` and the contacts in step; the contract's summary."""
    sync = _Sync(session, files.resolve(folder), today, report)
    there, rows = sync.gather(delete=delete)
    actions = decide(sync.contacts, there, rows, folder=str(sync.folder), prefer=prefer, delete=delete)
    return sync.apply(actions, dry_run=dry_run)


class _Sync:
    def __init__(self, session: Session, folder: Path, today: dt.date, report: Report | None) -> None:
        self.session, self.folder, self.today, self.report = session, folder, today, report
        self.listed, self.stale, self.misnamed = files.list_cards(folder)
        self.by_href = {item.href: item for item in self.listed}
        self.stored = synced_cards(session, folder=str(folder))
        self.contacts = contact_fields(session)
        self.summary = SyncSummary(folder=str(folder))
        # what is done to the folder, last: href -> (text, the mode it keeps); hrefs deleted
        self.writes: dict[str, tuple[str, int | None]] = {}
        self.deletes: list[str] = []
        self.kept: dict[str, dict[str, Any]] = {}  # href -> its new row, but for the file's stat
        self.forget: list[str] = []  # rows to drop

    def tell(self, what: str, who: str) -> None:
        self.summary.changes.append({"what": what, "who": who})
        if self.report:
            self.report(what, who)

    # 1. gather

    def gather(self, *, delete: bool) -> tuple[dict[str, There], dict[str, Row]]:
        """Each card as the decision sees it (read only when it may have
        changed), and what the last sync kept of each."""
        rows = {
            href: Row(
                href, row.contact_id if row.contact_id in self.contacts else None, row.uid, json.loads(row.agreed)
            )
            for href, row in self.stored.items()
        }
        there = {name: There(name, why="its file name is not UTF-8 text; rename it") for name in self.misnamed}
        for item in self.listed:
            row = rows.get(item.href)
            stored = self.stored.get(item.href)
            if row is not None and stored is not None and row.contact_id is None:  # its contact was deleted here
                edited = delete and (item.size, item.mtime_ns) != (stored.size, stored.mtime_ns)
                there[item.href] = There(
                    item.href, stored.uid, edited=edited and files.digest_of(item) != stored.digest
                )
                continue
            if row is not None and stored is not None and self._unchanged(item, row, stored):
                there[item.href] = There(item.href, stored.uid)  # neither side changed: nothing to read
                continue
            there[item.href] = self._read(item)
        return there, rows

    def _unchanged(self, item: Listed, row: Row, stored: Any) -> bool:
        assert row.contact_id is not None
        here = {key: self.contacts[row.contact_id][key] for key in FIELDS}
        return (stored.size, stored.mtime_ns) == (item.size, item.mtime_ns) and dict(row.agreed) == here

    def _read(self, item: Listed) -> There:
        try:
            files.read(item, today=self.today)
        except (NotACard, NetcliError, OSError) as exc:
            return There(item.href, why=exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc))
        assert item.fields is not None
        return There(item.href, item.uid, item.fields)

    # 3. apply

    def apply(self, actions: list[Action], *, dry_run: bool) -> SyncSummary:
        """Carry the actions out: the database first, in the caller's
        transaction; then, unless a dry run, the files and the agreed state."""
        settles = {action.href: action for action in actions if isinstance(action, Settle)}
        adds: list[tuple[str, dict[str, Any]]] = []
        for action in actions:
            if isinstance(action, Unparsable):
                self.summary.unparsable_list.append({"card": action.href, "reason": action.why})
                self.tell("unparsable", f"{action.href}: {action.why}")
            elif isinstance(action, Keep) and isinstance(action.detail, Conflict):
                self._conflict(action.href, action.detail)
            elif isinstance(action, Change):
                self._change(action, settles, adds)
            elif isinstance(action, Write):
                self._write(action, settles)
            elif isinstance(action, Remove):
                self.deletes.append(action.href)
                self.summary.deleted_there += 1
                self.tell("deleted there", action.href)
            elif isinstance(action, Forget):
                self.forget.append(action.key)  # a card's row is keyed by its file name
        self._add_here(adds, settles)
        for href, settle in settles.items():
            if settle.agreed["contact_id"] is not None:
                self.kept[href] = {
                    "href": href,
                    "contact_id": settle.agreed["contact_id"],
                    "uid": settle.agreed["uid"],
                    "agreed": agreed_json(settle.agreed["agreed"]),
                }
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
        return self._summary(dry_run)

    def _conflict(self, href: str, conflict: Conflict) -> None:
        self.summary.conflict_list.append({"card": href, **dataclasses.asdict(conflict)})
        self.tell(
            "conflict",
            f"{conflict.contact or 'the card'} ({href}): {conflict.field} is {_shown(conflict.here)} here, "
            f"{_shown(conflict.there)} there ({conflict.why})",
        )

    def _change(self, action: Change, settles: dict[str, Settle], adds: list[tuple[str, dict[str, Any]]]) -> None:
        href = action.href or ""
        if action.verb == "left":
            name, why = action.value
            self.tell("left on the card", f"{name} ({href}): {why}")
        elif action.verb == "update":
            self._update_here(int(action.key), href, dict(action.value), settles[href])
        elif action.verb == "archive":
            cid = int(action.key)
            archive_contacts(self.session, [cid])
            self.summary.archived += 1
            self.tell("archived", f"{self.contacts[cid]['name']} (its card {href} is gone)")
        elif action.verb == "wait":
            self.summary.waiting_delete += 1
            if action.value is not None:  # renamed, its contact deleted here: the row follows the new name
                self.kept[href] = {"href": href, "contact_id": None, **action.value}
                self.kept[href]["agreed"] = agreed_json(action.value["agreed"])
        elif action.verb == "add":
            adds.append((href, action.value))

    def _update_here(self, cid: int, href: str, changes: dict[str, Any], settle: Settle) -> None:
        here = {key: self.contacts[cid][key] for key in FIELDS}
        try:
            update_from_card(self.session, contact_id=cid, changes=changes, before=here)
        except NetcliError as exc:  # held by another contact after all: neither side changes
            for key in changes:
                self._conflict(href, Conflict(here["name"], key, here[key], changes[key], exc.message))
                settle.agreed["agreed"].pop(key, None)
            return
        self.summary.updated_here += 1
        self.tell("updated here", f"{here['name']} ({href}): {', '.join(changes)}")
        self.contacts[cid].update(changes)

    def _write(self, action: Write, settles: dict[str, Settle]) -> None:
        cid = int(action.key)
        name = self.contacts[cid]["name"]
        if isinstance(action.content, NewCard):
            self.writes[action.href] = (
                new_card(dict(action.content.fields), uid=action.content.uid, prodid=PRODID),
                None,
            )
            self.summary.added_there += 1
            self.tell("added there", f"{name} ({action.href})")
            return
        assert isinstance(action.content, Rewrite)
        item = self.by_href[action.href]
        if item.card is None:
            files.read(item, today=self.today)
        assert item.card is not None
        text = item.card.edited(dict(action.content.changes))
        self.writes[action.href] = (text, files.mode_of(item.path))
        self.summary.updated_there += 1
        self.tell("updated there", f"{name} ({action.href}): {', '.join(action.content.changes)}")
        self._settle(action.href, cid, text, dict(action.content.changes), settles[action.href].agreed["agreed"])
        item.card = None  # its text is planned: what is left of a card is its row

    def _settle(self, href: str, cid: int, text: str, written: dict[str, Any], agreed: dict[str, Any]) -> None:
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

    def _add_here(self, adds: list[tuple[str, dict[str, Any]]], settles: dict[str, Settle]) -> None:
        """The cards met for the first time that paired with nobody: contacts, in bulk."""
        ids = add_card_contacts(self.session, [record for _, record in adds], today=self.today)
        for (href, record), cid in zip(adds, ids, strict=True):
            self.summary.added_here += 1
            self.tell("added here", f"{record['name']} ({href})")
            self.contacts[cid] = {**record, "archived": False, "name_key": name_key(record["name"])}
            settles[href].agreed["contact_id"] = cid

    def _summary(self, dry_run: bool) -> SyncSummary:
        summary = self.summary
        summary.cards = len((set(self.by_href) - set(self.deletes)) | set(self.writes))
        kept = {h for h, row in self.stored.items() if h not in self.forget and row.contact_id in self.contacts}
        summary.contacts = len(kept | set(self.kept))
        summary.conflicts = len(summary.conflict_list)
        summary.unparsable = len(summary.unparsable_list)
        summary.dry_run = dry_run
        return summary


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "empty"
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")
