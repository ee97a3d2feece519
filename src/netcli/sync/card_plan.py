"""The decision table of `sync vdir`, pure: three states in, actions out.

- here: every contact's synced fields (`FIELDS`, with `archived`,
  `name_key`), by id;
- there: the cards of the folder (`There`): read (`fields`, cleaned as
  netcli would hold them, and `unheld`, what netcli cannot hold), unread
  because neither its size nor its time changed since the last sync, or
  unreadable (`why`);
- agreed: what the last sync kept of each card (`Row`): its contact (None
  when the contact was deleted here), its UID and the fields both sides
  held then.

`decide` gives the `sync.actions` that bring them in step, as vdirsyncer's
`_get_actions` does for its two storages:
- a card both sides had: each side's changes since `agreed` go to the other
  (`sync.merge`), a field changed on both is a conflict (`Keep`, unless
  `prefer`); `Change("update")` here, `Write` there, `Settle` the new
  agreed state;
- a card renamed in the folder (the same UID, or a card written again under
  a new UID holding an address of the contact whose card went) stays paired;
- a card gone from the folder archives its contact (`Change("archive")`);
- the card of a contact deleted here is deleted with `delete`
  (`Remove`), unless it was edited there since (a conflict, unless
  `prefer` is netcli), else it waits (`Change("wait")`);
- a card met for the first time pairs with a contact (UID, email and name,
  email, name: the surest pairs first, across all cards) or becomes one
  (`Change("add")`, with any address another contact holds left out and
  listed as a conflict);
- a contact with no card (archived ones aside) gets one (`Write`, new);
- a card netcli cannot read is listed and left alone (`Unparsable`).
An address another contact holds never moves to this one: that change is
a conflict. No database, no files.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from netcli.addresses import address_key
from netcli.formats.card import FIELDS
from netcli.sync.actions import Action, Change, Forget, Keep, Remove, Settle, Unparsable, Write
from netcli.sync.merge import merge

UID_SPACE = uuid.UUID("8f2d3c1e-5b7a-4e2f-9c61-0d4b6a9e7f10")  # a contact's card UID in a folder derives from it


def contact_uid(folder: str, contact_id: int, key: str) -> str:
    """The UID a contact's card gets in a folder: the same in every sync, so
    that a card written by a sync that was stopped before it committed pairs
    with its contact again."""
    return str(uuid.uuid5(UID_SPACE, f"{folder}\x00{contact_id}\x00{key}"))


@dataclass(frozen=True, slots=True)
class There:
    """A card of the folder as the decision sees it."""

    href: str
    uid: str | None = None
    fields: Mapping[str, Any] | None = None  # None: not read (unchanged), or unreadable (`why`)
    why: str = ""
    edited: bool = False  # its bytes changed since the last sync (asked only of a deleted contact's card)

    @property
    def readable(self) -> bool:
        return self.fields is not None


@dataclass(frozen=True, slots=True)
class Row:
    """What the last sync kept of a card."""

    href: str
    contact_id: int | None
    uid: str | None
    agreed: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A `Keep`'s detail: which field, each side's value, and why."""

    contact: str | None
    field: str
    here: Any
    there: Any
    why: str


@dataclass(frozen=True, slots=True)
class Rewrite:
    """A `Write`'s content for a card kept: the fields it takes from here."""

    changes: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class NewCard:
    """A `Write`'s content for a new card: the contact's fields and the card's UID."""

    fields: Mapping[str, Any]
    uid: str


@dataclass
class _Plan:
    here: Mapping[int, Mapping[str, Any]]
    folder: str
    prefer: str | None
    delete: bool
    actions: list[Action] = field(default_factory=list)
    paired: set[int] = field(default_factory=set)
    holders: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for cid, values in self.here.items():
            for address in values["emails"]:
                self.holders.setdefault(address_key(address), []).append(cid)

    def holder(self, address: str, cid: int | None) -> int | None:
        """Another contact than `cid` holding an address."""
        return next((other for other in self.holders.get(address_key(address), []) if other != cid), None)

    def conflict(self, href: str, name: str | None, key: str, here: Any, there: Any, why: str) -> None:
        self.actions.append(Keep(str(key), href, why, Conflict(name, key, here, there, why)))

    def why(self, key: str, theirs: Any, agreed: Mapping[str, Any] | None, cid: int) -> str:
        if key == "emails":
            for address in theirs:
                holder = self.holder(address, cid)
                if holder is not None:
                    return f"{address} is held by #{holder} {self.here[holder]['name']}"
        if agreed is None:
            return "the two differ on the first sync"
        return "changed on both sides" if key in agreed else "not settled since an earlier sync"

    def carry(self, card: There, cid: int, agreed: Mapping[str, Any] | None, uid: str | None) -> None:
        """Merge one paired card with its contact."""
        here = {key: self.here[cid][key] for key in FIELDS}
        name = here["name"]
        if card.fields is None:  # unchanged since the last sync: it holds what was agreed
            there = dict(agreed or here)
            unheld: Mapping[str, str] = {}
        else:
            unheld = card.fields.get("unheld", {})
            for why in unheld.values():
                self.actions.append(Change("left", str(cid), card.href, value=(name, why)))
            # what netcli cannot hold stays on the card, and the contact's value stays the contact's
            there = {key: here[key] if key in unheld else card.fields[key] for key in FIELDS}
        outcome = merge(there, here, agreed, self.prefer)
        for key, mine, theirs in outcome.conflicts:
            self.conflict(card.href, name, key, mine, theirs, self.why(key, theirs, agreed, cid))
        taken = [a for a in outcome.here.get("emails", ()) if self.holder(a, cid) is not None]
        if taken:  # an address another contact holds: neither side changes
            holder = self.holder(taken[0], cid)
            assert holder is not None
            reason = f"#{holder} {self.here[holder]['name']} already has the email {taken[0]}"
            for key in outcome.here:
                self.conflict(card.href, name, key, here[key], outcome.here[key], reason)
                outcome.agreed.pop(key, None)
                outcome.there.pop(key, None)
            outcome.here.clear()
        if outcome.here:
            self.actions.append(Change("update", str(cid), card.href, value=dict(outcome.here)))
        if outcome.there:
            self.actions.append(Write(str(cid), card.href, Rewrite(dict(outcome.there)), new=False))
        self.actions.append(
            Settle(str(cid), card.href, {"contact_id": cid, "uid": card.uid or uid, "agreed": outcome.agreed})
        )


def decide(
    here: Mapping[int, Mapping[str, Any]],
    there: Mapping[str, There],
    rows: Mapping[str, Row],
    *,
    folder: str,
    prefer: str | None = None,
    delete: bool = False,
) -> list[Action]:
    """The actions that bring `here` and `there` in step (see the module's docstring)."""
    plan = _Plan(here, folder, prefer, delete)
    for card in there.values():
        if card.why:
            plan.actions.append(Unparsable(card.href, card.why))
    fresh = [card for href, card in there.items() if href not in rows and card.readable]
    moved = _moved(fresh, rows, there, here)
    plan.paired |= {row.contact_id for row in rows.values() if row.contact_id in here}  # type: ignore[misc]
    for href, row in rows.items():
        _synced_before(plan, there.get(href), row, moved, there)
    _met_first(plan, [card for card in fresh if card.href not in moved])
    for cid, values in sorted(here.items()):  # contacts without a card (archived ones aside): a new card each
        if cid in plan.paired or values["archived"]:
            continue
        uid = contact_uid(folder, cid, values["name_key"])
        href = f"{uid}.vcf"
        if href in there:
            continue  # a card by that name is there: it paired, or it is unparsable and listed
        fields = {key: values[key] for key in FIELDS}
        plan.actions.append(Write(str(cid), href, NewCard(fields, uid), new=True))
        plan.actions.append(Settle(str(cid), href, {"contact_id": cid, "uid": uid, "agreed": fields}))
    return plan.actions


def _moved(
    fresh: list[There], rows: Mapping[str, Row], there: Mapping[str, There], here: Mapping[int, Mapping[str, Any]]
) -> dict[str, str]:
    """Cards synced before that are now under another file name: by the
    same UID, else (a phone that wrote the card again under a new UID) by
    an address of the contact whose card is gone. New href -> old href."""
    gone = {href: row for href, row in rows.items() if href not in there}
    by_uid = {row.uid: href for href, row in gone.items() if row.uid}
    by_email = {
        address_key(address): href
        for href, row in gone.items()
        if row.contact_id in here
        for address in here[row.contact_id]["emails"]  # type: ignore[index]
    }
    found: dict[str, str] = {}
    for test in (
        lambda card: [by_uid.get(card.uid or "")],
        lambda card: [by_email.get(address_key(a)) for a in card.fields["emails"]],
    ):
        for card in fresh:
            old = next((h for h in test(card) if h is not None and h not in found.values()), None)
            if old is not None and card.href not in found:
                found[card.href] = old
    return found


def _synced_before(
    plan: _Plan, card: There | None, row: Row, moved: dict[str, str], there: Mapping[str, There]
) -> None:
    """A card synced before: changed on either side, renamed, or deleted on either side."""
    cid = row.contact_id
    if card is None:
        plan.actions.append(Forget(row.href))
        new_href = next((new for new, old in moved.items() if old == row.href), None)
        if new_href is not None and cid in plan.here:  # renamed, not deleted
            plan.carry(there[new_href], cid, row.agreed, row.uid)  # type: ignore[arg-type]
        elif new_href is not None:  # renamed, and its contact deleted here: it still waits for --delete
            plan.actions.append(Change("wait", new_href, new_href, value={"uid": row.uid, "agreed": row.agreed}))
        elif cid in plan.here and not plan.here[cid]["archived"]:  # type: ignore[index]
            plan.actions.append(Change("archive", str(cid), row.href))
        return
    if cid not in plan.here:  # its contact was deleted here
        if not plan.delete:
            plan.actions.append(Change("wait", row.href, row.href))
        elif card.edited and plan.prefer != "netcli":
            plan.conflict(row.href, None, "card", "deleted", "edited", "deleted here, edited there since")
        else:
            plan.actions.append(Remove(row.href, row.href))
            plan.actions.append(Forget(row.href))
        return
    assert cid is not None
    if card.why:
        return  # unreadable: listed, left alone; what was agreed stays
    here = {key: plan.here[cid][key] for key in FIELDS}
    if card.fields is None and set(row.agreed) == set(FIELDS) and here == dict(row.agreed):
        return  # neither side changed
    plan.carry(card, cid, row.agreed, row.uid)


def _met_first(plan: _Plan, fresh: list[There]) -> None:
    """Cards met for the first time: paired with a contact, or added here."""
    pairs = _pair_all(plan, fresh)
    for card, cid in pairs:
        if cid is not None:
            plan.paired.add(cid)
            plan.carry(card, cid, None, None)
    claimed: set[str] = set()
    for card, cid in pairs:
        if cid is not None:
            continue
        assert card.fields is not None
        for why in card.fields.get("unheld", {}).values():
            plan.actions.append(Change("left", card.href, card.href, value=(card.fields["name"], why)))
        free = []
        for address in card.fields["emails"]:
            holder = plan.holder(address, None)
            if holder is None and address_key(address) not in claimed:
                free.append(address)
                claimed.add(address_key(address))
            else:
                who = f"#{holder} {plan.here[holder]['name']}" if holder is not None else "another new card"
                plan.conflict(card.href, card.fields["name"], "emails", [], [address], f"{address} is held by {who}")
        record = dict(card.fields, emails=free, held=len(free) < len(card.fields["emails"]))
        plan.actions.append(Change("add", card.href, card.href, value=record))
        # an address held by another contact is not agreed: the card is looked at, and listed, each time
        keys = [key for key in FIELDS if key != "emails" or not record["held"]]
        plan.actions.append(
            Settle(card.href, card.href, {"contact_id": None, "uid": card.uid, "agreed": {k: record[k] for k in keys}})
        )


def _pair_all(plan: _Plan, cards: list[There]) -> list[tuple[There, int | None]]:
    """Each card's contact, or None: the surest matches first, across all
    cards (UID, then email and name, then email, then name alone)."""
    taken = set(plan.paired)
    by_uid: dict[str, int] = {}
    by_email: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for cid, values in sorted(plan.here.items()):
        if cid in taken:
            continue
        by_uid[contact_uid(plan.folder, cid, values["name_key"])] = cid
        for address in values["emails"]:
            by_email.setdefault(address_key(address), cid)
        by_name.setdefault(values["name"], []).append(cid)

    def email(card: There) -> list[int | None]:
        return [by_email.get(address_key(a)) for a in (card.fields or {}).get("emails", [])]

    def name(card: There) -> list[int | None]:
        return list(by_name.get((card.fields or {}).get("name", ""), []))

    def email_and_name(card: There) -> list[int | None]:
        named = set(name(card))
        return [cid for cid in email(card) if cid in named]

    found: dict[str, int] = {}
    for test in (lambda card: [by_uid.get(card.uid or "")], email_and_name, email, name):
        for card in cards:
            if card.href in found:
                continue
            match = next((c for c in test(card) if c is not None and c not in taken), None)
            if match is not None:
                taken.add(match)
                found[card.href] = match
    return [(card, found.get(card.href)) for card in cards]


def agreed_json(values: Mapping[str, Any]) -> str:
    """What `sync_card.agreed` keeps: the agreed fields as JSON."""
    return json.dumps(dict(values), sort_keys=True, ensure_ascii=False)


def conflicts_of(actions: Iterable[Action]) -> list[Conflict]:
    return [action.detail for action in actions if isinstance(action, Keep) and isinstance(action.detail, Conflict)]
