"""Imports and backups: records in (validated, matched, applied in bulk) and
whole tables out. One transaction per import; the caller commits or not."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from sqlalchemy import func, insert, select, update
from sqlmodel import Session, SQLModel

from netcli.errors import Ambiguous, Invalid, NetcliError
from netcli.models import Contact, ContactTag, ContactTopic, Interaction, InteractionTopic, Participant
from netcli.store.people import (
    MAX_NOTE,
    PROFILE_FIELDS,
    _add_labels,
    clean_labels,
    clean_name,
    clean_text,
    find_contact,
    iter_interactions,
    name_key,
)
from netcli.vocab import CHANNELS, KINDS, TIERS
from netcli.wording import plural

Progress = Callable[[int], None]


class ImportProblem(NetcliError):
    """Bad records in an import: nothing was written. `problems` lists them."""

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        super().__init__(
            f"{count} bad record{'s' if count != 1 else ''}, nothing imported "
            "(fix them, or pass --skip-bad to import the rest):\n  " + "\n  ".join(problems[:200])
            + (f"\n  ... and {count - 200} more" if count > 200 else "")
        )
        self.problems = problems


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(f"{field} {value!r} is not a date like 2026-11-28") from None


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


def clean_contact_record(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate one imported contact; raise Invalid naming the bad field."""
    record: dict[str, Any] = {"name": clean_name(raw.get("name") or "")}
    for key in PROFILE_FIELDS:
        record[key] = clean_text(key, raw.get(key))
    record["met_at"] = clean_text("met_at", raw.get("met_at"))
    record["note"] = clean_text("note", raw.get("note"), limit=MAX_NOTE)
    record["birthday"] = clean_text("birthday", raw.get("birthday"), limit=40)
    record["via"] = _choice(raw.get("via"), "via", CHANNELS)
    record["tier"] = _choice(raw.get("tier"), "tier", TIERS)
    record["met_on"] = _date(raw.get("met_on"), "met_on")
    cadence = raw.get("cadence_days")
    if cadence not in (None, ""):
        try:
            record["cadence_days"] = int(str(cadence).strip())
        except ValueError:
            raise Invalid(f"cadence_days {cadence!r} is not a whole number of days") from None
        if not 0 < record["cadence_days"] <= 36500:
            raise Invalid(f"cadence_days {cadence!r} must be between 1 and 36500")
    archived = raw.get("archived")
    if archived not in (None, ""):
        text = str(archived).strip().lower()
        if text not in ("true", "false", "1", "0", "yes", "no"):
            raise Invalid(f"archived {archived!r} must be true or false")
        record["archived"] = text in ("true", "1", "yes")
    record["tags"] = _labels_of(raw.get("tags"), "tag")
    record["topics"] = _labels_of(raw.get("topics"), "topic")
    record["introduced_by"] = clean_text("introduced_by", raw.get("introduced_by"))
    return record


_REFERENCE = re.compile(r"^(?P<name>.*?)\s*<(?P<address>[^<>\s]+)>$")


def _agrees(mine: str, theirs: str | None) -> bool:
    return not mine or not theirs or mine == theirs.lower()


class _Index:
    """Contacts by email, URL and name, for matching imports: those stored
    before the import (positive ids) and those it adds (temporary negative ids)."""

    def __init__(self, session: Session) -> None:
        self.email: dict[str, int] = {}
        self.url: dict[str, int] = {}
        self.name: dict[str, list[tuple[int, str | None, str | None]]] = defaultdict(list)
        query = select(Contact.id, Contact.email, Contact.url, Contact.name_key).order_by(Contact.id)
        for cid, email, url, key in session.exec(query).all():
            self.add(cid, email, url, key)

    def add(self, cid: int, email: str | None, url: str | None, key: str) -> None:
        if email:
            self.email.setdefault(email.lower(), cid)
        if url:
            self.url.setdefault(url.lower(), cid)
        self.name[key].append((cid, email, url))

    def match(self, record: dict[str, Any]) -> tuple[int | None, list[int]]:
        """The contact a record updates, if any, else the contacts of its name.

        As `add` judges duplicates: the same email, else the same URL, else the
        one stored contact of the same name whose email and URL do not differ
        from the record's. Records of one import match each other by email
        or URL only: two rows of one name are two people (as `export csv`
        writes them)."""
        email, url = (record.get("email") or "").lower(), (record.get("url") or "").lower()
        if email and email in self.email:
            return self.email[email], []
        if url and url in self.url:
            return self.url[url], []
        same = self.name.get(name_key(record["name"]), [])
        stored = [(cid, e, u) for cid, e, u in same if cid > 0]
        if len(stored) == 1 and _agrees(email, stored[0][1]) and _agrees(url, stored[0][2]):
            return stored[0][0], []
        return None, [cid for cid, _, _ in same]

    def resolve(self, who: str) -> int | None:
        """The contact `who` names (`Name <email or URL>`, or an exact name),
        among the stored and the imported; None when nobody has it yet."""
        ref = _REFERENCE.match(who)
        if ref:
            address = ref["address"].lower()
            found = self.email.get(address) or self.url.get(address)
            if found:
                return found
            if address.isdigit():
                return _nth_without_address(self.name.get(name_key(ref["name"]), []), int(address))
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
    real_id: dict[int, int] = {}
    temp_ids = itertools.count(-1, -1)

    def flush() -> None:
        if not fresh:
            return
        ids = allocate_ids(session, Contact.__table__, len(fresh))
        for temp, real in zip(list(fresh), ids):
            real_id[temp] = real
            fresh[temp]["id"] = real
        for row in fresh.values():
            row["introduced_by_id"] = real_id.get(row["introduced_by_id"], row["introduced_by_id"])
        with bulk_load(session) as bulk:
            _insert_contacts(session, {real_id[t]: row for t, row in fresh.items()},
                             {real_id[t]: labels for t, labels in fresh_labels.items()})  # fmt: skip
            bulk.contacts = ids
        fresh.clear()
        fresh_labels.clear()

    def real(cid: int) -> int:
        if cid < 0 and cid in fresh:
            flush()
        return real_id.get(cid, cid)

    def bad(where: str, exc: NetcliError) -> None:
        summary["bad"] += 1
        summary["problems"].append(f"{where}: {exc.message}")

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
            summary["duplicates"].append(f"{where}: {record['name']} added beside {others} of that name "
                                         "(the same person? 'netcli merge KEEP OTHER' folds them together)")  # fmt: skip
        temp = next(temp_ids)
        row = {key: record.get(key) for key in UPDATABLE}
        row.update(name=record["name"], name_key=name_key(record["name"]), tier=record["tier"] or "C",
                   met_on=record["met_on"] or today, archived=bool(record.get("archived")),
                   introduced_by_id=introducer)  # fmt: skip
        fresh[temp] = row
        fresh_labels[temp] = labels
        index.add(temp, row["email"], row["url"], row["name_key"])
        summary["added"] += 1
        if len(fresh) >= 2_000:
            flush()
        return temp

    waiting: list[tuple[str, dict[str, Any]]] = []
    for where, raw in records:
        if progress:
            progress(1)
        try:
            record = clean_contact_record(raw)
            _not_future(record["met_on"], "met_on", today)
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
            session.execute(update(Contact).where(Contact.id == real(cid)).values(introduced_by_id=real(introducer)))
    return summary


def _apply_waiting(session, index, waiting, apply, bad, flush) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
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
    addresses = {(r.get(k) or "").lower() for _, r in waiting for k in ("email", "url")} - {""}

    def in_cycle(who: str) -> bool:
        ref = _REFERENCE.match(who)
        return name_key(who) in names or bool(ref and ref["address"].lower() in addresses)

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
    session: Session, contact_id: int, record: dict[str, Any], introducer_id: int | None,
    labels: tuple[list[str], list[str]],
) -> bool:  # fmt: skip
    contact = session.get(Contact, contact_id)
    changed = False
    for key in UPDATABLE:
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
        _add_labels(session, contact.id, tags=new_tags, topics=new_topics)
        changed = True
    session.add(contact)
    session.flush()
    return changed


def _insert_contacts(
    session: Session, fresh: dict[int, dict[str, Any]], labels: dict[int, tuple[list[str], list[str]]]
) -> None:
    if not fresh:
        return
    conn = session.connection()
    conn.execute(insert(Contact), list(fresh.values()))
    tag_rows = [{"contact_id": cid, "tag": t} for cid, (tags, _) in labels.items() for t in dict.fromkeys(tags)]
    topic_rows = [{"contact_id": cid, "topic": t} for cid, (_, topics) in labels.items() for t in dict.fromkeys(topics)]
    if tag_rows:
        conn.execute(insert(ContactTag), tag_rows)
    if topic_rows:
        conn.execute(insert(ContactTopic), topic_rows)


def _label_sets(session: Session, contact_id: int) -> tuple[set[str], set[str]]:
    tags = set(session.exec(select(ContactTag.tag).where(ContactTag.contact_id == contact_id)).scalars())
    topics = set(session.exec(select(ContactTopic.topic).where(ContactTopic.contact_id == contact_id)).scalars())
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
    for cid, key, email, url in session.exec(select(Contact.id, Contact.name_key, Contact.email, Contact.url).order_by(Contact.id)).all():
        by_name[key].append(cid)
        same_name[key].append((cid, email, url))
    resolved: dict[str, int] = {}  # as written in the file -> contact id

    def resolve(name: str) -> int:
        if name not in resolved:
            ref = _REFERENCE.match(name)
            found = _by_address(session, ref["address"], ref["name"]) if ref else None
            if ref and found is None and ref["address"].isdigit():
                found = _nth_without_address(same_name[name_key(ref["name"])], int(ref["address"]))
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
                day = _date(row.get("date"), "date")
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
                summary["problems"].append(f"{where}: {exc.message}")
                continue
            key = hash((day, kind, note or "", tuple(ids)))
            if stored[key] > 0:
                stored[key] -= 1
                summary["skipped"] += 1
                continue
            if summary["problems"] and not skip_bad:
                continue  # the import will be refused: only look for more bad records
            pending.append(({"date": day, "kind": kind, "note": note}, ids, topics))
            if len(pending) >= batch:
                bulk.interactions += _insert_interactions(session, pending)
                summary["added"] += len(pending)
                pending = []
        if summary["problems"] and not skip_bad:
            raise ImportProblem(summary["problems"])
        if pending:
            bulk.interactions += _insert_interactions(session, pending)
            summary["added"] += len(pending)
    return summary


def _by_address(session: Session, address: str, name: str) -> int | None:
    """The contact with this email or URL (of this name, when several have it)."""
    address = address.lower()
    rows = session.exec(
        select(Contact.id, Contact.name_key)
        .where((func.lower(Contact.email) == address) | (func.lower(Contact.url) == address))
        .order_by(Contact.id)
    ).all()
    named = [cid for cid, key in rows if key == name_key(name)]
    return (named or [cid for cid, _ in rows] or [None])[0]


def _existing_keys(session: Session) -> Counter[int]:
    """How many interactions already stored have each hash of (date, kind, note, people)."""
    conn = session.connection()
    people: dict[int, list[int]] = defaultdict(list)
    for iid, cid in conn.execute(select(Participant.interaction_id, Participant.contact_id)):
        people[iid].append(cid)
    return Counter(
        hash((_date(day, "date"), kind, note or "", tuple(sorted(people.pop(iid, ())))))
        for iid, day, kind, note in conn.execute(
            select(Interaction.id, Interaction.date, Interaction.kind, Interaction.note)
        )
    )


def _shared_names() -> Any:
    return select(Contact.name_key).group_by(Contact.name_key).having(func.count() > 1)


def _nth_without_address(same_name: Sequence[tuple[int, str | None, str | None]], n: int) -> int | None:
    """The `n`th (from 1, in the order they were added) of the contacts of one
    name that have neither email nor URL: what `Name <2>` refers to."""
    bare = [cid for cid, email, url in same_name if not email and not url]
    return bare[n - 1] if 1 <= n <= len(bare) else None


def shared_name_labels(session: Session) -> dict[int, tuple[str, str]]:
    """(name, label) of each contact whose name another shares: how exports
    write them so that an import into an empty database (where ids differ)
    can tell them apart: `Name <email or URL>`, else `Name <N>`, the Nth of
    that name with neither, in the order they were added (which is the order
    an export lists them, and so the order its import adds them)."""
    query = (
        select(Contact.id, Contact.name, Contact.name_key, Contact.email, Contact.url)
        .where(Contact.name_key.in_(_shared_names()))
        .order_by(Contact.id)
    )
    labels, bare = {}, Counter()
    for cid, name, key, email, url in session.exec(query):
        if email or url:
            labels[cid] = (name, f"{name} <{email or url}>")
        else:
            bare[key] += 1
            labels[cid] = (name, f"{name} <{bare[key]}>")
    return labels


def iter_history(session: Session) -> Iterator[dict[str, Any]]:
    """Every interaction, oldest first, as `import interactions` reads it:
    contacts by name, `Name <email>` where several share the name."""
    labels = shared_name_labels(session)
    shared: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if labels:
        query = (
            select(Participant.interaction_id, Participant.contact_id)
            .join(Contact, Contact.id == Participant.contact_id)
            .where(Contact.name_key.in_(_shared_names()))
            .order_by(Participant.interaction_id, Participant.contact_id)
        )
        for iid, cid in session.connection().execute(query):
            name, label = labels[cid]
            shared[iid][name].append(label)
    for row in iter_interactions(session, oldest_first=True):
        people = shared.pop(row["id"], None)
        if people:
            row["contacts"] = [people[name].pop(0) if people.get(name) else name for name in row["contacts"]]
        yield row


class bulk_load:
    """Within an import's transaction: quiet the per-row triggers, then index
    and mark for statistics everything the import added, in a few statements."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.contacts: list[int] = []
        self.interactions = _IdRanges()

    def __enter__(self) -> "bulk_load":
        from netcli.models import BulkLoad

        self.session.connection().execute(insert(BulkLoad), {"active": 1})
        return self

    def __exit__(self, kind, *rest) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy import delete, inspect, text

        from netcli.models import BulkLoad, StatsDirty

        conn = self.session.connection()
        conn.execute(delete(BulkLoad))
        if kind is not None:
            return
        for low, high in self.interactions.ranges:
            people = select(Participant.contact_id).where(Participant.interaction_id.between(low, high)).distinct()
            existing = select(StatsDirty.contact_id)
            conn.execute(insert(StatsDirty).from_select(["contact_id"], people.where(Participant.contact_id.not_in(existing))))
        if conn.dialect.name == "sqlite" and inspect(conn).has_table("search_index"):
            for start in range(0, len(self.contacts), 20_000):
                chunk = ",".join(map(str, self.contacts[start : start + 20_000]))
                conn.execute(text(f"INSERT INTO search_index (rowid, name, body) SELECT rowid, name, body "
                                  f"FROM search_contact_doc WHERE ref IN ({chunk})"))  # fmt: skip
            for low, high in self.interactions.ranges:
                conn.execute(
                    text("INSERT INTO search_index (rowid, name, body) SELECT rowid, name, body "
                         "FROM search_interaction_doc WHERE ref BETWEEN :low AND :high"),
                    {"low": low, "high": high},
                )  # fmt: skip


class _IdRanges:
    """Inserted ids kept as (low, high) runs: a million ids in a few tuples."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []

    def __iadd__(self, ids: Sequence[int]) -> "_IdRanges":
        for i in ids:
            if self.ranges and self.ranges[-1][1] == i - 1:
                self.ranges[-1] = (self.ranges[-1][0], i)
            else:
                self.ranges.append((i, i))
        return self


def allocate_ids(session: Session, table: Any, count: int) -> list[int]:
    """`count` fresh primary keys for a bulk insert without RETURNING.

    SQLite: after the largest id (safe: imports hold the write lock from their
    first statement). PostgreSQL: from the table's own sequence."""
    if count == 0:
        return []
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        from sqlalchemy import text

        rows = conn.execute(
            text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, :n)"),
            {"n": count},
        )
        return [int(r[0]) for r in rows]
    start = int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1
    return list(range(start, start + count))


def _insert_interactions(session: Session, pending: list[tuple[dict[str, Any], list[int], list[str]]]) -> list[int]:
    conn = session.connection()  # Core executemany: no ORM bookkeeping per row
    ids = allocate_ids(session, Interaction.__table__, len(pending))
    conn.execute(insert(Interaction), [{"id": iid, **values} for iid, (values, _, _) in zip(ids, pending)])
    participants = [
        {"interaction_id": iid, "contact_id": cid, "date": values["date"], "kind": values["kind"]}
        for iid, (values, cids, _) in zip(ids, pending)
        for cid in cids
    ]
    conn.execute(insert(Participant), participants)
    topics = [{"interaction_id": iid, "topic": t} for iid, (_, _, ts) in zip(ids, pending) for t in ts]
    if topics:
        conn.execute(insert(InteractionTopic), topics)
    return ids


# ----------------------------------------------------------------- whole-database backup


DERIVED_TABLES = ("contact_stats", "stats_dirty", "bulk_load")  # rebuilt from the rest, never backed up


def _tables() -> list[Any]:
    from netcli import models  # noqa: F401  (registers every table)

    return [t for t in SQLModel.metadata.sorted_tables if t.name not in DERIVED_TABLES]


def iter_tables(session: Session) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Every row of every netcli table, ordered by primary key, JSON-ready:
    each table's name and its rows, read as they are wanted."""
    for table in _tables():
        yield table.name, _table_rows(session, table)


def same_tables(
    first: Iterable[tuple[str, Iterable[dict[str, Any]]]], second: Iterable[tuple[str, Iterable[dict[str, Any]]]]
) -> bool:
    """Whether two `iter_tables` hold the same tables and rows, compared a
    row at a time."""
    missing = ("", ())
    for (name, rows), (other_name, other_rows) in itertools.zip_longest(first, second, fillvalue=missing):
        if name != other_name or any(a != b for a, b in itertools.zip_longest(rows, other_rows)):
            return False
    return True


def _table_rows(session: Session, table: Any) -> Iterator[dict[str, Any]]:
    query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=1_000)
    for row in session.connection().execute(query).mappings():
        yield {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}


def is_empty(session: Session) -> bool:
    return all(
        session.exec(select(func.count()).select_from(table)).scalar_one() == 0 for table in _tables()
    )


def restore_tables(session: Session, tables: Mapping[str, Iterable[dict[str, Any]]]) -> dict[str, int]:
    """Insert every table's rows (lists, or read as they come: `iter_tables`,
    a backup file) into an empty database, ids kept, a few thousand rows at a
    time."""
    known = {t.name: t for t in _tables()}
    unknown = set(tables) - set(known)
    if unknown:
        raise Invalid(f"the backup has tables this netcli does not know: {', '.join(sorted(unknown))}")
    counts = {}
    for table in _tables():
        rows = enumerate(tables.get(table.name, []), 1)
        # a row may point at a later row of its own table (introduced_by):
        # insert without those links, then set them
        self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        later: list[dict[str, Any]] = []
        counts[table.name] = 0
        while batch := [_restored_row(table, number, row) for number, row in itertools.islice(rows, 5_000)]:
            later += [{"pk": row["id"], **{c: row[c] for c in self_refs}} for row in batch if any(row[c] for c in self_refs)]
            session.execute(insert(table), [row | {c: None for c in self_refs} for row in batch])
            counts[table.name] += len(batch)
        if later:
            from sqlalchemy import bindparam, update

            statement = update(table).where(table.c.id == bindparam("pk")).values({c: bindparam(c) for c in self_refs})
            session.execute(statement, later)
    session.flush()
    _reset_sequences(session)
    return counts


def _restored_row(table: Any, number: int, row: dict[str, Any]) -> dict[str, Any]:
    """A backup's row as `table`'s column values, or Invalid naming what is wrong."""
    from sqlalchemy import Boolean, Date

    extra = set(row) - set(table.columns.keys())
    if extra:
        raise Invalid(f"{table.name} row {number}: unknown {plural('field', len(extra))} {', '.join(sorted(extra))}")
    values = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is not None and isinstance(column.type, Date):
            value = _date(value, f"{table.name}.{column.name}")
        elif value is not None and isinstance(column.type, Boolean):
            value = bool(value)
        values[column.name] = value
    return values


def _reset_sequences(session: Session) -> None:
    """After explicit ids, PostgreSQL's sequences must move past them."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    for table in _tables():
        column = table.columns.get("id")
        if column is not None and column.primary_key and column.autoincrement in (True, "auto"):
            session.exec(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )
