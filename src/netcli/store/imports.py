"""Imports: contact and interaction records in, validated, matched to who is
stored, and applied in bulk. One transaction per import; the caller commits
or not."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from netcli.addresses import address_key
from netcli.errors import Ambiguous, Invalid, NetcliError
from netcli.models import Contact, ContactEmail, ContactTag, ContactTopic, Interaction, Participant
from netcli.names import name_key
from netcli.store.bulk import allocate_ids, bulk_load, insert_contacts, insert_interactions
from netcli.store.clean import (
    MAX_CADENCE_DAYS,
    MAX_NOTE,
    PROFILE_FIELDS,
    clean_birthday,
    clean_date,
    clean_labels,
    clean_name,
    clean_text,
)
from netcli.store.contacts import find_contact
from netcli.store.emails import check_one_holder, clean_emails, emails_of, set_emails
from netcli.store.exports import REFERENCE, nth_without_address
from netcli.store.rows import add_labels, table_of
from netcli.vocab import CHANNELS, KINDS, TIERS

Progress = Callable[[int], None]
SHOWN_PROBLEMS = 200  # bad records an error lists; the rest are counted
CONTACT_BATCH = 2_000  # new contacts held before they are written: bounded memory, few statements


class ImportProblem(NetcliError):
    """Bad records in an import: nothing was written. `problems` lists them."""

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        super().__init__(
            f"{count} bad record{'s' if count != 1 else ''}, nothing imported "
            "(fix them, or pass --skip-bad to import the rest):\n  "
            + "\n  ".join(problems[:SHOWN_PROBLEMS])
            + (f"\n  ... and {count - SHOWN_PROBLEMS} more" if count > SHOWN_PROBLEMS else "")
        )
        self.problems = problems


def _not_future(day: dt.date | None, field: str, today: dt.date) -> None:
    if day is not None and day > today:
        raise Invalid(f"{field} {day.isoformat()} is in the future; give the day it happened")


def _choice(value: Any, field: str, allowed: Sequence[str]) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    match = next((a for a in allowed if a.lower() == text.lower()), None)
    if match is None:
        raise Invalid(f"{field} {text!r} is not one of {', '.join(allowed)}")
    return match


def _labels_of(value: Any, kind: str) -> list[str]:
    if value in (None, ""):
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(";")
    return clean_labels(kind, [i for i in items if str(i).strip()])


def clean_contact_record(raw: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """Validate one imported contact; raise Invalid naming the bad field."""
    record: dict[str, Any] = {"name": clean_name(raw.get("name") or "")}
    for key in PROFILE_FIELDS:
        record[key] = clean_text(key, raw.get(key))
    record["met_at"] = clean_text("met_at", raw.get("met_at"))
    record["note"] = clean_text("note", raw.get("note"), limit=MAX_NOTE)
    record["birthday"] = clean_birthday(raw.get("birthday"), today=today)
    record["via"] = _choice(raw.get("via"), "via", CHANNELS)
    record["tier"] = _choice(raw.get("tier"), "tier", TIERS)
    record["met_on"] = clean_date(raw.get("met_on"), "met_on")
    cadence = raw.get("cadence_days")
    if cadence not in (None, ""):
        try:
            record["cadence_days"] = int(str(cadence).strip())
        except ValueError:
            raise Invalid(f"cadence_days {cadence!r} is not a whole number of days") from None
        if not 0 < record["cadence_days"] <= MAX_CADENCE_DAYS:
            raise Invalid(f"cadence_days {cadence!r} must be between 1 and {MAX_CADENCE_DAYS}")
    archived = raw.get("archived")
    if archived not in (None, ""):
        text = str(archived).strip().lower()
        if text not in ("true", "false", "1", "0", "yes", "no"):
            raise Invalid(f"archived {archived!r} must be true or false")
        record["archived"] = text in ("true", "1", "yes")
    record["tags"] = _labels_of(raw.get("tags"), "tag")
    record["topics"] = _labels_of(raw.get("topics"), "topic")
    record["introduced_by"] = clean_text("introduced_by", raw.get("introduced_by"))
    # `email` is the first address; `emails` (a list, or `;`-joined as tags are) every one
    listed = raw.get("emails")
    more = listed if isinstance(listed, (list, tuple)) else str(listed or "").split(";")
    record["emails"] = clean_emails([record["email"], *(m for m in more if str(m).strip())])
    record["email"] = record["emails"][0] if record["emails"] else None
    return record


def _agrees(mine: str, theirs: str | None) -> bool:
    return not mine or not theirs or mine == theirs.lower()


def _agrees_email(mine: str, theirs: str | None) -> bool:
    return not mine or not theirs or address_key(mine) == address_key(theirs)


class _Index:
    """Contacts by email, URL and name, for matching imports: those stored
    before the import (positive ids) and those it adds (temporary negative ids)."""

    def __init__(self, session: Session) -> None:
        self.email: dict[str, int] = {}  # by address_key: every address of every contact
        self.url: dict[str, int] = {}
        self.name: dict[str, list[tuple[int, str | None, str | None]]] = defaultdict(list)
        query = select(col(Contact.id), col(Contact.email), col(Contact.url), col(Contact.name_key)).order_by(
            col(Contact.id)
        )
        for cid, email, url, key in session.exec(query).all():
            self.add(cid, [], url, key, email)
        keys = select(col(ContactEmail.contact_id), col(ContactEmail.address_key)).order_by(
            col(ContactEmail.contact_id), col(ContactEmail.position)
        )
        for cid, akey in session.connection().execute(keys):
            self.email.setdefault(akey, cid)

    def add(self, cid: int, emails: Sequence[str], url: str | None, key: str, first: str | None = None) -> None:
        for email in emails:
            self.email.setdefault(address_key(email), cid)
        first = first or (emails[0] if emails else None)
        if url:
            self.url.setdefault(url.lower(), cid)
        self.name[key].append((cid, first, url))

    def match(self, record: dict[str, Any]) -> tuple[int | None, list[int]]:
        """The contact a record updates, if any, else the contacts of its name.

        As `add` judges duplicates: the same email, else the same URL, else the
        one stored contact of the same name whose email and URL do not differ
        from the record's. Records of one import match each other by email
        or URL only: two rows of one name are two people (as `export csv`
        writes them)."""
        email, url = (record.get("email") or "").lower(), (record.get("url") or "").lower()
        for address in record.get("emails") or ([email] if email else []):
            if address_key(address) in self.email:
                return self.email[address_key(address)], []
        if url and url in self.url:
            return self.url[url], []
        same = self.name.get(name_key(record["name"]), [])
        stored = [(cid, e, u) for cid, e, u in same if cid > 0]
        if len(stored) == 1 and _agrees_email(email, stored[0][1]) and _agrees(url, stored[0][2]):
            return stored[0][0], []
        return None, [cid for cid, _, _ in same]

    def resolve(self, who: str) -> int | None:
        """The contact `who` names (`Name <email or URL>`, or an exact name),
        among the stored and the imported; None when nobody has it yet."""
        ref = REFERENCE.match(who)
        if ref:
            address = ref["address"].lower()
            found = self.email.get(address_key(address)) or self.url.get(address)
            if found:
                return found
            if address.isdigit():
                return nth_without_address(self.name.get(name_key(ref["name"]), []), int(address))
        same = self.name.get(name_key(who), [])
        if len(same) > 1:
            raise Ambiguous(f"{who!r} names {len(same)} contacts; write it as 'Name <email>' to say which")
        return same[0][0] if same else None


UPDATABLE = (*PROFILE_FIELDS, "via", "met_at", "met_on", "tier", "cadence_days", "note", "archived", "birthday")


def import_contacts(
    session: Session,
    *,
    records: Iterable[tuple[str, dict[str, Any]]],
    tags: Sequence[str],
    today: dt.date,
    skip_bad: bool,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Add or update contacts from (where, raw record) pairs; new ones in bulk.

    `introduced_by` may name someone on a later record: such records wait
    (only they are held) until the rest are in."""
    index = _Index(session)
    extra_tags = clean_labels("tag", tags)
    summary: dict[str, Any] = {"added": 0, "updated": 0, "skipped": 0, "bad": 0, "problems": [], "duplicates": []}
    # new contacts wait in small batches under temporary negative ids; a batch
    # gets real ids (from the table, or PostgreSQL's sequence) when it is written
    fresh: dict[int, dict[str, Any]] = {}
    fresh_labels: dict[int, tuple[list[str], list[str]]] = {}
    fresh_emails: dict[int, list[str]] = {}
    real_id: dict[int, int] = {}
    temp_ids = itertools.count(-1, -1)

    def flush() -> None:
        if not fresh:
            return
        ids = allocate_ids(session, table_of(Contact), len(fresh))
        for temp, real in zip(list(fresh), ids, strict=True):
            real_id[temp] = real
            fresh[temp]["id"] = real
        for row in fresh.values():
            row["introduced_by_id"] = real_id.get(row["introduced_by_id"], row["introduced_by_id"])
        with bulk_load(session) as bulk:
            insert_contacts(
                session,
                {real_id[t]: row for t, row in fresh.items()},
                {real_id[t]: labels for t, labels in fresh_labels.items()},
                {real_id[t]: emails for t, emails in fresh_emails.items()},
            )
            bulk.contacts = ids
        fresh.clear()
        fresh_labels.clear()
        fresh_emails.clear()

    def real(cid: int) -> int:
        if cid < 0 and cid in fresh:
            flush()
        return real_id.get(cid, cid)

    def bad(where: str, exc: NetcliError) -> None:
        summary["bad"] += 1
        # a field's complaint names its option (`--email 'x' is …`); in a file it is a column
        summary["problems"].append(f"{where}: {exc.message.removeprefix('--')}")

    def apply(where: str, record: dict[str, Any], introducer: int | None) -> int:
        labels = ([*record["tags"], *extra_tags], record["topics"])
        existing_id, alike = index.match(record)
        if existing_id is not None:
            existing_id = real(existing_id)  # the same person twice in one import
            changed = _update_existing(session, existing_id, record, real(introducer) if introducer else None, labels)
            summary["updated" if changed else "skipped"] += 1
            return existing_id
        if alike:
            others = f"{len(alike)} other contact{'s' if len(alike) > 1 else ''}"
            summary["duplicates"].append(
                f"{where}: {record['name']} added beside {others} of that name "
                "(the same person? 'netcli merge KEEP OTHER' folds them together)"
            )
        temp = next(temp_ids)
        row: dict[str, Any] = {key: record.get(key) for key in UPDATABLE}
        row.update(
            name=record["name"],
            name_key=name_key(record["name"]),
            tier=record["tier"] or "C",
            met_on=record["met_on"] or today,
            archived=bool(record.get("archived")),
            introduced_by_id=introducer,
        )
        fresh[temp] = row
        fresh_labels[temp] = labels
        fresh_emails[temp] = record["emails"]
        index.add(temp, record["emails"], row["url"], row["name_key"])
        summary["added"] += 1
        if len(fresh) >= CONTACT_BATCH:
            flush()
        return temp

    waiting: list[tuple[str, dict[str, Any]]] = []
    for where, raw in records:
        if progress:
            progress(1)
        try:
            record = clean_contact_record(raw, today=today)
            _not_future(record["met_on"], "met_on", today)
            check_one_holder(record["emails"], index.email)
            introducer = index.resolve(record["introduced_by"]) if record["introduced_by"] else None
        except NetcliError as exc:
            bad(where, exc)
            continue
        if record["introduced_by"] and introducer is None:
            waiting.append((where, record))
        else:
            apply(where, record, introducer)
    links = _apply_waiting(session, index, waiting, apply, bad, flush)
    if summary["problems"] and not skip_bad:
        raise ImportProblem(summary["problems"])
    flush()
    for where, cid, who in links:  # introducers in a cycle: set once all are in
        introducer = index.resolve(who)
        if introducer is None:
            summary["problems"].append(f"{where}: introduced_by {who!r} is a bad record; imported without it")
        elif real(introducer) != real(cid):
            link = update(Contact).where(col(Contact.id) == real(cid)).values(introduced_by_id=real(introducer))
            session.execute(link)
    return summary


def _apply_waiting(
    session: Session,
    index: _Index,
    waiting: list[tuple[str, dict[str, Any]]],
    apply: Callable[[str, dict[str, Any], int | None], int],
    bad: Callable[[str, NetcliError], None],
    flush: Callable[[], None],
) -> list[tuple[str, int, str]]:
    """The records whose introducer came later: in rounds while they resolve;
    then those naming each other (a cycle), linked afterwards; the rest by
    WHO (a prefix, #ID) or bad. Returns the links still to set."""
    while waiting:
        later = []
        for where, record in waiting:
            try:
                introducer = index.resolve(record["introduced_by"])
            except NetcliError as exc:
                bad(where, exc)
                continue
            if introducer is None:
                later.append((where, record))
            else:
                apply(where, record, introducer)
        if len(later) == len(waiting):
            break
        waiting = later
    names = {name_key(r["name"]) for _, r in waiting}
    addresses = {(r.get("url") or "").lower() for _, r in waiting} - {""}
    addresses |= {address_key(e) for _, r in waiting for e in r.get("emails") or ()}

    def in_cycle(who: str) -> bool:
        ref = REFERENCE.match(who)
        return name_key(who) in names or bool(
            ref and (ref["address"].lower() in addresses or address_key(ref["address"]) in addresses)
        )

    links = []
    for where, record in waiting:
        if in_cycle(record["introduced_by"]):
            links.append((where, apply(where, record, None), record["introduced_by"]))
            continue
        flush()  # so that WHO sees everyone imported
        try:
            introducer = find_contact(session, who=record["introduced_by"]).id
        except NetcliError as exc:
            bad(where, exc)
            continue
        apply(where, record, introducer)
    return links


def _update_existing(
    session: Session,
    contact_id: int,
    record: dict[str, Any],
    introducer_id: int | None,
    labels: tuple[list[str], list[str]],
) -> bool:
    contact = session.get_one(Contact, contact_id)
    changed = False
    if record.get("emails"):  # the record's addresses first (its email becomes the email), then the others
        held = emails_of(session, contact_ids=[contact_id]).get(contact_id, [])
        emails = clean_emails([*record["emails"], *held])
        if emails != held:
            set_emails(session, contact_id=contact_id, addresses=emails)
            changed = True
    for key in UPDATABLE:
        if key == "email":
            continue
        value = record.get(key)
        if value not in (None, "") and getattr(contact, key) != value:
            setattr(contact, key, value)
            changed = True
    if introducer_id is not None and contact.introduced_by_id != introducer_id and introducer_id != contact.id:
        contact.introduced_by_id = introducer_id
        changed = True
    have_tags, have_topics = _label_sets(session, contact.id)
    new_tags = [t for t in labels[0] if t not in have_tags]
    new_topics = [t for t in labels[1] if t not in have_topics]
    if new_tags or new_topics:
        add_labels(session, contact.id, tags=new_tags, topics=new_topics)
        changed = True
    session.add(contact)
    session.flush()
    return changed


def _label_sets(session: Session, contact_id: int) -> tuple[set[str], set[str]]:
    tags = set(session.scalars(select(col(ContactTag.tag)).where(col(ContactTag.contact_id) == contact_id)))
    topics = set(session.scalars(select(col(ContactTopic.topic)).where(col(ContactTopic.contact_id) == contact_id)))
    return tags, topics


def import_interactions(
    session: Session,
    *,
    rows: Iterable[tuple[str, dict[str, str]]],
    today: dt.date,
    skip_bad: bool,
    progress: Progress | None = None,
    batch: int = 5000,
) -> dict[str, Any]:
    """History from a spreadsheet, inserted in bulk. A row repeating an
    interaction stored before the import is skipped (each stored one once), so
    importing a file twice adds nothing, and a file holding two alike rows
    adds both. A row dated after `today` is a bad record."""
    summary: dict[str, Any] = {"added": 0, "updated": 0, "skipped": 0, "bad": 0, "problems": []}
    by_name: dict[str, list[int]] = defaultdict(list)
    same_name: dict[str, list[tuple[int, str | None, str | None]]] = defaultdict(list)
    for cid, key, email, url in session.exec(
        select(col(Contact.id), col(Contact.name_key), col(Contact.email), col(Contact.url)).order_by(col(Contact.id))
    ).all():
        by_name[key].append(cid)
        same_name[key].append((cid, email, url))
    resolved: dict[str, int] = {}  # as written in the file -> contact id

    def resolve(name: str) -> int:
        if name not in resolved:
            ref = REFERENCE.match(name)
            found = _by_address(session, ref["address"], ref["name"]) if ref else None
            if ref and found is None and ref["address"].isdigit():
                found = nth_without_address(same_name[name_key(ref["name"])], int(ref["address"]))
            exact = by_name.get(name_key(name), [])
            resolved[name] = found or (exact[0] if len(exact) == 1 else find_contact(session, who=name).id)
        return resolved[name]

    pending: list[tuple[dict[str, Any], list[int], list[str]]] = []
    stored = _existing_keys(session)
    with bulk_load(session) as bulk:
        for where, row in rows:
            if progress:
                progress(1)
            try:
                day = clean_date(row.get("date"), "date")
                if day is None:
                    raise Invalid("date is empty")
                _not_future(day, "date", today)
                kind = _choice(row.get("kind"), "kind", KINDS) or "message"
                names = [n.strip() for n in (row.get("contacts") or "").split(";") if n.strip()]
                if not names:
                    raise Invalid("contacts is empty: name at least one person")
                ids = sorted({resolve(n) for n in names})
                note = clean_text("note", row.get("note"), limit=MAX_NOTE)
                topics = _labels_of(row.get("topics"), "topic")
            except NetcliError as exc:
                summary["bad"] += 1
                summary["problems"].append(f"{where}: {exc.message.removeprefix('--')}")
                continue
            alike = hash((day, kind, note or "", tuple(ids)))
            if stored[alike] > 0:
                stored[alike] -= 1
                summary["skipped"] += 1
                continue
            if summary["problems"] and not skip_bad:
                continue  # the import will be refused: only look for more bad records
            pending.append(({"date": day, "kind": kind, "note": note, "source": "import"}, ids, topics))
            if len(pending) >= batch:
                bulk.interactions += insert_interactions(session, pending)
                summary["added"] += len(pending)
                pending = []
        if summary["problems"] and not skip_bad:
            raise ImportProblem(summary["problems"])
        if pending:
            bulk.interactions += insert_interactions(session, pending)
            summary["added"] += len(pending)
    return summary


def _by_address(session: Session, address: str, name: str) -> int | None:
    """The contact with this email or URL (of this name, when several have it)."""
    address = address.lower()
    holders = select(col(ContactEmail.contact_id)).where(col(ContactEmail.address_key) == address_key(address))
    rows = session.exec(
        select(col(Contact.id), col(Contact.name_key))
        .where(col(Contact.id).in_(holders) | (func.lower(col(Contact.url)) == address))
        .order_by(col(Contact.id))
    ).all()
    named = [cid for cid, key in rows if key == name_key(name)]
    found = named or [cid for cid, _ in rows]
    return found[0] if found else None


def _existing_keys(session: Session) -> Counter[int]:
    """How many interactions already stored have each hash of (date, kind, note, people)."""
    conn = session.connection()
    people: dict[int, list[int]] = defaultdict(list)
    for iid, cid in conn.execute(select(col(Participant.interaction_id), col(Participant.contact_id))):
        people[iid].append(cid)
    return Counter(
        hash((clean_date(day, "date"), kind, note or "", tuple(sorted(people.pop(iid, ())))))
        for iid, day, kind, note in conn.execute(
            select(col(Interaction.id), col(Interaction.date), col(Interaction.kind), col(Interaction.note))
        )
    )
