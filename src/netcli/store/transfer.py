"""Imports and backups: records in (validated, matched, applied in bulk) and
whole tables out. One transaction per import; the caller commits or not."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import func, insert, select
from sqlmodel import Session, SQLModel

from netcli.errors import Invalid, NetcliError
from netcli.models import Contact, ContactTag, ContactTopic, Interaction, InteractionTopic, Participant
from netcli.store.people import (
    MAX_NOTE,
    PROFILE_FIELDS,
    _add_labels,
    clean_labels,
    clean_name,
    clean_text,
    find_contact,
    name_key,
)
from netcli.vocab import CHANNELS, KINDS, TIERS

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


class _Index:
    """Existing contacts by email, URL and name, for matching imports."""

    def __init__(self, session: Session) -> None:
        self.email: dict[str, int] = {}
        self.url: dict[str, int] = {}
        self.name: dict[str, list[int]] = defaultdict(list)
        for cid, email, url, key in session.exec(select(Contact.id, Contact.email, Contact.url, Contact.name_key)).all():
            self.add(cid, email, url, key)

    def add(self, cid: int, email: str | None, url: str | None, key: str) -> None:
        if email:
            self.email.setdefault(email.lower(), cid)
        if url:
            self.url.setdefault(url.lower(), cid)
        if cid not in self.name[key]:
            self.name[key].append(cid)

    def match(self, record: dict[str, Any]) -> int | None:
        if record.get("email") and record["email"].lower() in self.email:
            return self.email[record["email"].lower()]
        if record.get("url") and record["url"].lower() in self.url:
            return self.url[record["url"].lower()]
        if not record.get("email") and not record.get("url"):
            same = self.name.get(name_key(record["name"]), [])
            if len(same) == 1:
                return same[0]
        return None


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
    """Add or update contacts from (where, raw record) pairs."""
    index = _Index(session)
    extra_tags = clean_labels("tag", tags)
    summary: dict[str, Any] = {"added": 0, "updated": 0, "skipped": 0, "bad": 0, "problems": []}
    for where, raw in records:
        if progress:
            progress(1)
        try:
            record = clean_contact_record(raw)
            introducer = find_contact(session, who=record["introduced_by"]) if record["introduced_by"] else None
        except NetcliError as exc:
            summary["bad"] += 1
            summary["problems"].append(f"{where}: {exc.message}")
            continue
        existing_id = index.match(record)
        if existing_id is None:
            contact = Contact(
                name=record["name"],
                name_key=name_key(record["name"]),
                tier=record["tier"] or "C",
                introduced_by_id=introducer.id if introducer else None,
                **{k: record.get(k) for k in UPDATABLE if k != "tier" and record.get(k) is not None},
            )
            if contact.met_on is None:
                contact.met_on = today
            session.add(contact)
            session.flush()
            index.add(contact.id, contact.email, contact.url, contact.name_key)
            _add_labels(session, contact.id, tags=[*record["tags"], *extra_tags], topics=record["topics"])
            summary["added"] += 1
            continue
        contact = session.get(Contact, existing_id)
        changed = False
        for key in UPDATABLE:
            value = record.get(key)
            if value not in (None, "") and getattr(contact, key) != value:
                setattr(contact, key, value)
                changed = True
        if introducer is not None and contact.introduced_by_id != introducer.id and introducer.id != contact.id:
            contact.introduced_by_id = introducer.id
            changed = True
        if contact.name != record["name"] and name_key(contact.name) == name_key(record["name"]):
            pass  # same person, other spelling of case or accents: keep ours
        have = _label_sets(session, contact.id)
        new_tags = [t for t in [*record["tags"], *extra_tags] if t not in have[0]]
        new_topics = [t for t in record["topics"] if t not in have[1]]
        if new_tags or new_topics:
            _add_labels(session, contact.id, tags=new_tags, topics=new_topics)
            changed = True
        session.add(contact)
        summary["updated" if changed else "skipped"] += 1
    session.flush()
    if summary["problems"] and not skip_bad:
        raise ImportProblem(summary["problems"])
    return summary


def _label_sets(session: Session, contact_id: int) -> tuple[set[str], set[str]]:
    tags = set(session.exec(select(ContactTag.tag).where(ContactTag.contact_id == contact_id)).scalars())
    topics = set(session.exec(select(ContactTopic.topic).where(ContactTopic.contact_id == contact_id)).scalars())
    return tags, topics


def import_interactions(
    session: Session,
    *,
    rows: Iterable[tuple[str, dict[str, str]]],
    skip_bad: bool,
    progress: Progress | None = None,
    batch: int = 5000,
) -> dict[str, Any]:
    """History from a spreadsheet, inserted in bulk; exact repeats are skipped."""
    summary: dict[str, Any] = {"added": 0, "updated": 0, "skipped": 0, "bad": 0, "problems": []}
    by_name: dict[str, list[int]] = defaultdict(list)
    for cid, key in session.exec(select(Contact.id, Contact.name_key)).all():
        by_name[key].append(cid)
    resolved: dict[str, int] = {}

    def resolve(name: str) -> int:
        key = name_key(name)
        if key not in resolved:
            exact = by_name.get(key, [])
            if len(exact) == 1:
                resolved[key] = exact[0]
            else:
                resolved[key] = find_contact(session, who=name).id
        return resolved[key]

    pending: list[tuple[dict[str, Any], list[int], list[str]]] = []
    seen = _existing_keys(session)
    for where, row in rows:
        if progress:
            progress(1)
        try:
            day = _date(row.get("date"), "date")
            if day is None:
                raise Invalid("date is empty")
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
        key = (day, kind, note or "", tuple(ids))
        if key in seen:
            summary["skipped"] += 1
            continue
        seen.add(key)
        pending.append(({"date": day, "kind": kind, "note": note}, ids, topics))
        if len(pending) >= batch:
            _insert_interactions(session, pending)
            summary["added"] += len(pending)
            pending = []
    if summary["problems"] and not skip_bad:
        raise ImportProblem(summary["problems"])
    if pending:
        _insert_interactions(session, pending)
        summary["added"] += len(pending)
    return summary


def _existing_keys(session: Session) -> set[tuple[Any, ...]]:
    people: dict[int, list[int]] = defaultdict(list)
    for iid, cid in session.exec(select(Participant.interaction_id, Participant.contact_id)).all():
        people[iid].append(cid)
    return {
        (_date(day, "date"), kind, note or "", tuple(sorted(people[iid])))
        for iid, day, kind, note in session.exec(
            select(Interaction.id, Interaction.date, Interaction.kind, Interaction.note)
        ).all()
    }


def _insert_interactions(session: Session, pending: list[tuple[dict[str, Any], list[int], list[str]]]) -> None:
    # executemany with RETURNING: SQLAlchemy batches it and keeps the order
    ids = session.execute(
        insert(Interaction).returning(Interaction.id, sort_by_parameter_order=True),
        [p[0] for p in pending],
    ).scalars().all()
    participants = [
        {"interaction_id": iid, "contact_id": cid, "date": values["date"], "kind": values["kind"]}
        for iid, (values, cids, _) in zip(ids, pending)
        for cid in cids
    ]
    session.execute(insert(Participant), participants)
    topics = [{"interaction_id": iid, "topic": t} for iid, (_, _, ts) in zip(ids, pending) for t in ts]
    if topics:
        session.execute(insert(InteractionTopic), topics)


# ----------------------------------------------------------------- whole-database backup


DERIVED_TABLES = ("contact_stats", "stats_dirty")  # rebuilt from the rest, never backed up


def _tables() -> list[Any]:
    from netcli import models  # noqa: F401  (registers every table)

    return [t for t in SQLModel.metadata.sorted_tables if t.name not in DERIVED_TABLES]


def dump_tables(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every row of every netcli table, ordered by primary key, JSON-ready."""
    document: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        order = list(table.primary_key.columns)
        rows = session.exec(select(table).order_by(*order)).mappings().all()
        document[table.name] = [
            {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()} for row in rows
        ]
    return document


def is_empty(session: Session) -> bool:
    return all(
        session.exec(select(func.count()).select_from(table)).scalar_one() == 0 for table in _tables()
    )


def restore_tables(session: Session, tables: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Insert a `dump_tables` document into an empty database, ids kept."""
    from sqlalchemy import Boolean, Date

    known = {t.name: t for t in _tables()}
    unknown = set(tables) - set(known)
    if unknown:
        raise Invalid(f"the backup has tables this netcli does not know: {', '.join(sorted(unknown))}")
    counts = {}
    for table in _tables():
        rows = tables.get(table.name, [])
        converted = []
        for number, row in enumerate(rows, 1):
            extra = set(row) - set(table.columns.keys())
            if extra:
                raise Invalid(f"{table.name} row {number}: unknown field(s) {', '.join(sorted(extra))}")
            values = {}
            for column in table.columns:
                value = row.get(column.name)
                if value is not None and isinstance(column.type, Date):
                    value = _date(value, f"{table.name}.{column.name}")
                elif value is not None and isinstance(column.type, Boolean):
                    value = bool(value)
                values[column.name] = value
            converted.append(values)
        # a row may point at a later row of its own table (introduced_by):
        # insert without those links, then set them
        self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        later = [{"pk": row["id"], **{c: row[c] for c in self_refs}} for row in converted if any(row[c] for c in self_refs)]
        if converted:
            session.execute(insert(table), [row | {c: None for c in self_refs} for row in converted])
        if later:
            from sqlalchemy import bindparam, update

            statement = update(table).where(table.c.id == bindparam("pk")).values({c: bindparam(c) for c in self_refs})
            session.execute(statement, later)
        counts[table.name] = len(converted)
    session.flush()
    _reset_sequences(session)
    return counts


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
