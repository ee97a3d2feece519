"""Bulk writes for imports: fresh ids without RETURNING, executemany
inserts, and `bulk_load`, which quiets the per-row triggers and catches up
statistics and the search index in a few statements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, text
from sqlmodel import Session, select

from netcli.models import Contact, ContactTag, ContactTopic, Interaction, InteractionTopic, Participant
from netcli.store.rows import col, insert_many, insert_records, table_of

if TYPE_CHECKING:
    from sqlalchemy import Connection

SEARCH_INDEX_CHUNK = 20_000  # contact ids per statement: well under any SQL length limit
SET_ASIDE_AFTER = 50_000  # interactions an import adds before indexes are set aside (see bulk_load)
INTERACTION_TABLES = ("interaction", "participant", "interaction_topic")


class bulk_load:
    """Within an import's transaction: quiet the per-row triggers, then index
    and mark for statistics everything the import added, in a few statements.

    On SQLite, once an import has added as many interactions as the table
    held when it began (and at least `SET_ASIDE_AFTER`), the secondary
    indexes and the triggers of the interaction tables are set aside for the
    rest of it and made again at its end from their own SQL: an index built
    once from all its rows costs a fraction of one grown a row at a time in
    random order, and a trigger set aside is not asked a question per row.
    The import's transaction holds them, so a rollback (a dry run, a refused
    file) brings them back as they were."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.contacts: list[int] = []
        self.interactions = _IdRanges()
        self._held: int | None = None  # interactions stored when the import began
        self._set_aside: list[str] = []  # the SQL that makes again what was set aside

    def __enter__(self) -> bulk_load:
        from netcli.models import BulkLoad

        self.session.connection().execute(insert(BulkLoad), {"active": 1})
        return self

    def add_interactions(self, pending: list[tuple[dict[str, Any], list[int], list[str]]]) -> list[int]:
        """`insert_interactions`, counted towards setting the indexes aside."""
        conn = self.session.connection()
        if self._held is None:
            self._held = conn.execute(select(func.count()).select_from(table_of(Interaction))).scalar_one()
        ids = insert_interactions(self.session, pending)
        self.interactions += ids
        large = self.interactions.count >= max(SET_ASIDE_AFTER, self._held)
        if large and not self._set_aside and conn.dialect.name == "sqlite":
            self._set_aside = _set_aside(conn, INTERACTION_TABLES)
        return ids

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        from sqlalchemy import delete, inspect

        from netcli.models import BulkLoad, StatsDirty

        conn = self.session.connection()
        conn.execute(delete(BulkLoad))
        if kind is not None:
            return  # the transaction is rolled back, what was set aside with it
        for sql in self._set_aside:
            conn.exec_driver_sql(sql)
        for low, high in self.interactions.ranges:
            people = (
                select(col(Participant.contact_id)).where(col(Participant.interaction_id).between(low, high)).distinct()
            )
            existing = select(col(StatsDirty.contact_id))
            conn.execute(
                insert(StatsDirty).from_select(
                    ["contact_id"], people.where(col(Participant.contact_id).not_in(existing))
                )
            )
        if conn.dialect.name == "sqlite" and inspect(conn).has_table("search_index"):
            for start in range(0, len(self.contacts), SEARCH_INDEX_CHUNK):
                chunk = ",".join(map(str, self.contacts[start : start + SEARCH_INDEX_CHUNK]))
                conn.execute(
                    text(
                        f"INSERT INTO search_index (rowid, name, body) SELECT rowid, name, body "
                        f"FROM search_contact_doc WHERE ref IN ({chunk})"
                    )
                )
            for low, high in self.interactions.ranges:
                conn.execute(
                    text(
                        "INSERT INTO search_index (rowid, name, body) SELECT rowid, name, body "
                        "FROM search_interaction_doc WHERE ref BETWEEN :low AND :high"
                    ),
                    {"low": low, "high": high},
                )


def _set_aside(conn: Connection, tables: Sequence[str]) -> list[str]:
    """Drop the indexes (other than primary keys and UNIQUE constraints) and
    triggers of SQLite `tables`; the SQL that makes each again, in order."""
    marks = ", ".join("?" * len(tables))
    found = conn.exec_driver_sql(
        f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY type, name",
        tuple(tables),
    ).all()
    for kind, name, _ in found:
        conn.exec_driver_sql(f"DROP {kind.upper()} {conn.dialect.identifier_preparer.quote(name)}")
    return [sql for _, _, sql in found]


class _IdRanges:
    """Inserted ids kept as (low, high) runs: a million ids in a few tuples."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []
        self.count = 0

    def __iadd__(self, ids: Sequence[int]) -> _IdRanges:
        self.count += len(ids)
        for i in ids:
            if self.ranges and self.ranges[-1][1] == i - 1:
                self.ranges[-1] = (self.ranges[-1][0], i)
            else:
                self.ranges.append((i, i))
        return self


def allocate_ids(session: Session, table: Any, count: int) -> list[int]:
    """`count` fresh primary keys for a bulk insert without RETURNING.

    SQLite: after the largest id the table has ever held (AUTOINCREMENT's
    `sqlite_sequence`: an id deleted is never handed out again; safe, as
    imports hold the write lock from their first statement). PostgreSQL:
    from the table's own sequence."""
    if count == 0:
        return []
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, :n)"),
            {"n": count},
        )
        return [int(r[0]) for r in rows]
    largest = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    ever = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table.name}).scalar()
    start = max(int(largest), int(ever or 0)) + 1
    return list(range(start, start + count))


def insert_interactions(session: Session, pending: list[tuple[dict[str, Any], list[int], list[str]]]) -> list[int]:
    """Interactions (values keyed by column, the same keys in each), their
    people and topics, a statement per table; their fresh ids, in order."""
    conn = session.connection()
    ids = allocate_ids(session, table_of(Interaction), len(pending))
    keys = list(pending[0][0]) if pending else []
    interactions = [(iid, *map(values.__getitem__, keys)) for iid, (values, _, _) in zip(ids, pending, strict=True)]
    insert_many(conn, table_of(Interaction), ["id", *keys], interactions)
    participants = [
        (iid, cid, values["date"], values["kind"])
        for iid, (values, cids, _) in zip(ids, pending, strict=True)
        for cid in cids
    ]
    insert_many(conn, table_of(Participant), ["interaction_id", "contact_id", "date", "kind"], participants)
    topics = [(iid, t) for iid, (_, _, ts) in zip(ids, pending, strict=True) for t in ts]
    insert_many(conn, table_of(InteractionTopic), ["interaction_id", "topic"], topics)
    return ids


def insert_contacts(
    session: Session,
    fresh: dict[int, dict[str, Any]],
    labels: dict[int, tuple[list[str], list[str]]],
    emails: dict[int, list[str]] | None = None,
    phones: dict[int, list[str]] | None = None,
    handles: dict[int, list[str]] | None = None,
    *,
    region: str | None = None,
) -> None:
    """New contacts (ids already allocated), their labels, addresses, numbers
    and handles, a statement per table."""
    if not fresh:
        return
    conn = session.connection()
    insert_records(conn, table_of(Contact), list(fresh.values()))
    tag_rows = [(cid, t) for cid, (tags, _) in labels.items() for t in dict.fromkeys(tags)]
    topic_rows = [(cid, t) for cid, (_, topics) in labels.items() for t in dict.fromkeys(topics)]
    insert_many(conn, table_of(ContactTag), ["contact_id", "tag"], tag_rows)
    insert_many(conn, table_of(ContactTopic), ["contact_id", "topic"], topic_rows)
    from netcli.store.emails import EMAILS, HANDLES, PHONES, insert_listed

    insert_listed(session, EMAILS, emails or {})
    insert_listed(session, PHONES, phones or {}, region=region)
    insert_listed(session, HANDLES, handles or {}, region=region)
