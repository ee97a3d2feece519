"""Whole-database backup: every table's rows out (JSON-ready, read as they are
wanted) and back into an empty database, ids kept; or merged into one that
holds something, as every import fills (`merge_backup`)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, SQLModel, select

from netcli.errors import ImportProblem, Invalid, NetcliError
from netcli.identity import name_key
from netcli.models import Contact
from netcli.results import ImportSummary
from netcli.store.bulk import bulk_load, insert_interactions
from netcli.store.check import clean_row
from netcli.store.clean import clean_date, clean_day, clean_kind, clean_labels, clean_note
from netcli.store.contacts import update_contact
from netcli.store.emails import check_one_holder
from netcli.store.imports import ContactImport, Meetings, existing_keys
from netcli.store.meetings import intro_note
from netcli.store.proposal import Proposal, propose
from netcli.store.rows import READ_BATCH, col
from netcli.wording import plural

RESTORE_BATCH = 5_000  # rows inserted per statement: few statements, bounded memory
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
    query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=READ_BATCH)
    for row in session.connection().execute(query).mappings():
        yield {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}


def is_empty(session: Session) -> bool:
    return all(session.scalars(select(func.count()).select_from(table)).one() == 0 for table in _tables())


def restore_tables(
    session: Session, tables: Mapping[str, Iterable[dict[str, Any]]], *, today: dt.date | None = None
) -> dict[str, int]:
    """Insert every table's rows (lists, or read as they come: `iter_tables`,
    a backup file) into an empty database, ids kept, a few thousand rows at a
    time; given `today` (a backup restored), a day after it is refused as
    every door refuses it."""
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
        while batch := [
            _restored_row(table, number, row, today) for number, row in itertools.islice(rows, RESTORE_BATCH)
        ]:
            later += [
                {"pk": row["id"], **{c: row[c] for c in self_refs}} for row in batch if any(row[c] for c in self_refs)
            ]
            session.execute(insert(table), [row | {c: None for c in self_refs} for row in batch])
            counts[table.name] += len(batch)
        if later:
            from sqlalchemy import bindparam, update

            statement = update(table).where(table.c.id == bindparam("pk")).values({c: bindparam(c) for c in self_refs})
            session.execute(statement, later)
    session.flush()
    _participants_as_their_interactions(session)
    from netcli.store.emails import EMAILS, PHONES, fill_missing_listed

    for kind, table in ((EMAILS, "contact_email"), (PHONES, "contact_phone")):
        if counts.get(table) == 0:
            fill_missing_listed(session, kind)  # a backup from before contacts held several
    _reset_sequences(session)
    return counts


def _participants_as_their_interactions(session: Session) -> None:
    """A participant's date and kind copy its interaction's (for speed): worked
    out again, never taken from a backup edited by hand."""
    from sqlalchemy import update

    from netcli.models import Interaction, Participant

    def of_interaction(column: Any) -> Any:
        return select(column).where(col(Interaction.id) == col(Participant.interaction_id)).scalar_subquery()

    copied = {"date": of_interaction(col(Interaction.date)), "kind": of_interaction(col(Interaction.kind))}
    session.execute(update(Participant).values(copied))


def _restored_row(table: Any, number: int, row: dict[str, Any], today: dt.date | None) -> dict[str, Any]:
    """A backup's row as `table`'s column values, or Invalid naming what is wrong."""
    from sqlalchemy import Boolean, Date

    extra = set(row) - set(table.columns.keys())
    if extra:
        raise Invalid(f"{table.name} row {number}: unknown {plural('field', len(extra))} {', '.join(sorted(extra))}")
    values = {}
    for column in table.columns:
        # a key missing from a backup written before its column (interaction.source):
        # what the migration gave such rows
        value = row.get(column.name, column.server_default.arg if column.server_default is not None else None)
        if value is not None and isinstance(column.type, Date):
            value = clean_date(value, f"{table.name}.{column.name}")
        elif value is not None and isinstance(column.type, Boolean):
            value = bool(value)
        values[column.name] = value
    try:  # through the cleaners of every other door
        return clean_row(table.name, values, today=today)
    except NetcliError as exc:
        raise Invalid(f"{table.name} row {number}: {exc.message}") from None


def _reset_sequences(session: Session) -> None:
    """After explicit ids, PostgreSQL's sequences must move past them."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    for table in _tables():
        column = table.columns.get("id")
        if column is not None and column.primary_key and column.autoincrement in (True, "auto"):
            session.connection().execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


# what `import json` into a database that holds something takes from a backup
MERGED_TABLES = (
    "contact",
    "contact_email",
    "contact_phone",
    "contact_handle",
    "contact_tag",
    "contact_topic",
    "interaction",
    "participant",
    "interaction_topic",
    "community",
    "community_member",
    "event",
    "goal",
    "goal_topic",
    "goal_contact",
)
_CONTACT_KEYS = (
    *("name", "org", "role", "location", "url", "via", "met_at", "met_on", "tier", "cadence_days"),
    *("note", "birthday", "archived"),
)


def merge_backup(
    session: Session,
    *,
    tables: Mapping[str, Iterable[dict[str, Any]]],
    today: dt.date,
    skip_bad: bool,
    prefer: bool = False,
    region: str | None = None,
) -> ImportSummary:
    """A backup into a database that holds something: its people through
    the one writer (matched, filling, conflicts listed, as every import),
    their history added where it is not there yet, its communities, events
    and goals added where none of that name is. The rest of a backup
    (mentorships, progress notes, nudge states, capture and sync state) is
    restored only into an empty database: `skipped_tables` names it."""
    run = ContactImport(session, tags=(), today=today, prefer=prefer, region=region)
    listed = {name: _grouped(tables.get(name, []), key) for name, key in _LISTED.items()}
    ours: dict[int, int] = {}  # the backup's contact id -> ours (temporary until written)
    introducers: dict[int, int] = {}
    intros: dict[tuple[str, int], int] = {}  # (an intro's note, the introducer) -> who it introduced, the backup's ids
    for number, row in enumerate(tables.get("contact", []), 1):
        run.summary.read += 1
        raw = {key: row.get(key) for key in _CONTACT_KEYS}
        for name, field in (
            ("contact_email", "emails"),
            ("contact_phone", "phones"),
            ("contact_handle", "handles"),
            ("contact_tag", "tags"),
        ):
            raw[field] = listed[name].get(row.get("id"), [])
        raw["topics"] = listed["contact_topic"].get(row.get("id"), [])
        try:
            proposal = propose(raw, today=today, region=region)
            check_one_holder(proposal.emails or [], run.people.email)
        except NetcliError as exc:
            run.bad(f"contact row {number}", exc)
            continue
        ours[row["id"]] = run.apply(f"contact row {number}", proposal, None)
        if row.get("introduced_by_id") is not None:
            introducers[row["id"]] = row["introduced_by_id"]
            intros[(intro_note(proposal.name or ""), row["introduced_by_id"])] = row["id"]
    if run.summary.problems and not skip_bad:
        raise ImportProblem(run.summary.problems)
    run.flush()
    ours = {theirs: run.real(cid) for theirs, cid in ours.items()}
    for theirs, introducer in introducers.items():
        if introducer in ours and ours[introducer] != ours[theirs]:
            written = update_contact(
                session,
                contact=session.get_one(Contact, ours[theirs]),
                proposal=Proposal(introduced_by_id=ours[introducer]),
                policy=run.policy,
                region=region,
            )
            run.summary.conflicts += written.conflicts
    _merge_history(session, tables, ours, run.summary, today, intros)
    _merge_places_and_goals(session, tables, ours)
    run.summary.skipped_tables = sorted(name for name in tables if name not in MERGED_TABLES and tables[name])
    return run.summary


_LISTED = {
    "contact_email": "address",
    "contact_phone": "number",
    "contact_handle": "handle",
    "contact_tag": "tag",
    "contact_topic": "topic",
}


def _grouped(rows: Iterable[dict[str, Any]], column: str, owner: str = "contact_id") -> dict[Any, list[Any]]:
    found: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
    for row in rows:
        found[row.get(owner)].append((row.get("position", 0), row.get(column)))
    return {key: [value for _, value in sorted(values, key=lambda p: p[0])] for key, values in found.items()}


def _merge_history(
    session: Session,
    tables: Mapping[str, Iterable[dict[str, Any]]],
    ours: dict[int, int],
    summary: ImportSummary,
    today: dt.date,
    intros: Mapping[tuple[str, int], int],
) -> None:
    """The backup's interactions with people now here, each one once: one
    already stored (the same day, kind, note and people) is not added again;
    a `met` with someone met already, or the `intro` of an introducer not
    theirs here (a conflict kept), is not added at all."""
    people = _grouped(tables.get("participant", []), "contact_id", owner="interaction_id")
    introduced = {(note, ours[by]): ours[cid] for (note, by), cid in intros.items() if by in ours and cid in ours}
    introducer_here = dict(
        session.connection()
        .execute(
            select(col(Contact.id), col(Contact.introduced_by_id)).where(col(Contact.id).in_(set(introduced.values())))
        )
        .all()
    )
    topics = _grouped(tables.get("interaction_topic", []), "topic", owner="interaction_id")
    stored = existing_keys(session)
    pending: list[tuple[dict[str, Any], list[int], list[str]]] = []
    meetings: Meetings | None = None
    with bulk_load(session) as bulk:
        for number, row in enumerate(tables.get("interaction", []), 1):
            ids = sorted({ours[c] for c in people.get(row.get("id"), []) if c in ours})
            try:
                day = clean_day(row.get("date"), field="date")
                kind = clean_kind(row.get("kind")) or "message"
                note = clean_note(row.get("note"))
                labels = clean_labels("topic", topics.get(row.get("id"), []))
            except NetcliError as exc:
                summary.bad += 1
                summary.problems.append(f"interaction row {number}: {exc.message}")
                continue
            if not ids or day is None:
                continue
            alike = hash((day, kind, note or "", tuple(ids)))
            if stored[alike] > 0:
                stored[alike] -= 1
                continue
            intro_of = introduced.get((note or "", ids[0])) if kind == "intro" and len(ids) == 1 else None
            if intro_of is not None and introducer_here.get(intro_of) != ids[0]:
                continue  # the introducer here differs: a conflict listed already
            if kind == "met":  # a person is met once: a differing day is the met_on conflict listed already
                meetings = meetings or Meetings(session, prefer=False)
                ids = meetings.of(ids, day, [])
                if not ids:
                    continue
            values = {"date": day, "kind": kind, "note": note, "source": row.get("source") or "import"}
            values["direction"] = row.get("direction")
            pending.append((values, ids, labels))
        if pending:
            bulk.interactions += insert_interactions(session, pending)
    if meetings is not None:
        meetings.write()


def _merge_places_and_goals(
    session: Session, tables: Mapping[str, Iterable[dict[str, Any]]], ours: dict[int, int]
) -> None:
    """Communities, events and goals that are not here by name (and day) yet,
    with who belongs to them."""
    from netcli.models import Community, CommunityMember, Event, Goal, GoalContact, GoalTopic

    communities = {c.name_key: c.id for c in session.scalars(select(Community))}
    community_ids: dict[int, int] = {}
    for row in tables.get("community", []):
        cleaned = clean_row("community", {k: v for k, v in row.items() if k != "id"})
        if cleaned["name_key"] not in communities:
            community = Community(**cleaned)
            session.add(community)
            session.flush()
            communities[cleaned["name_key"]] = community.id
        community_ids[row["id"]] = communities[cleaned["name_key"]]
    members = {(m.community_id, m.contact_id) for m in session.scalars(select(CommunityMember))}
    for row in tables.get("community_member", []):
        group, person = community_ids.get(row["community_id"]), ours.get(row["contact_id"])
        if group is not None and person is not None and (group, person) not in members:
            session.add(CommunityMember(community_id=group, contact_id=person))
            members.add((group, person))
    events = {(e.name_key, e.date) for e in session.scalars(select(Event))}
    for row in tables.get("event", []):
        cleaned = clean_row("event", {k: v for k, v in row.items() if k != "id"})
        cleaned["date"] = clean_day(cleaned["date"], field="date")
        cleaned["community_id"] = community_ids.get(cleaned.get("community_id") or 0)
        if (cleaned["name_key"], cleaned["date"]) not in events:
            session.add(Event(**cleaned))
            events.add((cleaned["name_key"], cleaned["date"]))
    goals = {name_key(g.title): g.id for g in session.scalars(select(Goal))}
    goal_ids: dict[int, int] = {}
    for row in tables.get("goal", []):
        cleaned = clean_row("goal", {k: v for k, v in row.items() if k != "id"})
        for day in ("target_on", "created_on", "closed_on"):
            cleaned[day] = clean_day(cleaned.get(day), field=day)
        key = name_key(cleaned["title"])
        if key not in goals:
            goal = Goal(**cleaned)
            session.add(goal)
            session.flush()
            goals[key] = goal.id
            goal_ids[row["id"]] = goal.id
    for row in tables.get("goal_topic", []):
        if row["goal_id"] in goal_ids:
            session.add(GoalTopic(goal_id=goal_ids[row["goal_id"]], topic=clean_labels("topic", [row["topic"]])[0]))
    for row in tables.get("goal_contact", []):
        if row["goal_id"] in goal_ids and row["contact_id"] in ours:
            session.add(GoalContact(goal_id=goal_ids[row["goal_id"]], contact_id=ours[row["contact_id"]]))
    session.flush()
