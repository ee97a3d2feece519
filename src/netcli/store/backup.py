"""Whole-database backup: every table's rows out (JSON-ready, read as they are
wanted) and back into an empty database, ids kept."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, SQLModel, col, select

from netcli.errors import Invalid
from netcli.store.clean import clean_birthday, clean_date
from netcli.store.rows import READ_BATCH
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
    time. With `today` (a backup file, from outside), a contact's birthday is
    judged as every door judges it; `db copy` copies what is stored."""
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
    if counts.get("contact_email") == 0:
        from netcli.store.emails import fill_missing_emails

        fill_missing_emails(session)  # a backup from before contacts held several emails
    _reset_sequences(session)
    return counts


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
        elif today is not None and (table.name, column.name) == ("contact", "birthday"):
            try:
                value = clean_birthday(value, today=today)
            except Invalid as exc:
                raise Invalid(f"{table.name} row {number}: {exc.message}") from None
        values[column.name] = value
    return values


def refused_birthdays(session: Session, *, today: dt.date) -> list[str]:
    """Stored birthdays the one judge would refuse now (kept by an older
    netcli), each as `#ID Name 'value': why`."""
    from netcli.models import Contact

    found = []
    query = select(col(Contact.id), col(Contact.name), col(Contact.birthday)).where(col(Contact.birthday).is_not(None))
    for cid, name, birthday in session.connection().execute(query.order_by(col(Contact.id))):
        try:
            judged = clean_birthday(birthday, today=today)
        except Invalid as exc:
            found.append(f"#{cid} {name} {birthday!r}: {exc.message}")
            continue
        if judged != birthday:
            found.append(f"#{cid} {name} {birthday!r}: stored as {judged!r} now")
    return found


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
