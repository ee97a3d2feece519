"""Row pieces every store module shares: a model's Core table, rows inserted
past SQLAlchemy's per-row conversion, dates as either engine returns them,
labels aggregated in SQL and split again, labels grouped per key, and labels
added to a contact once. Imports nothing of the store: everything else may
import it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast, overload

from sqlalchemy import Connection, Table, delete, insert
from sqlalchemy.orm import InstrumentedAttribute, Mapped
from sqlmodel import Session, SQLModel, select
from sqlmodel import col as sqlmodel_col

from netcli.models import ContactTag, ContactTopic

SEPARATOR = "\x1f"  # between labels aggregated in SQL; never inside one (control characters are refused)
NAME_MARK = "\x1e"  # between a name key and its name, aggregated: sorts each key before any longer one
READ_BATCH = 1_000  # rows fetched at a time by readers that yield one row at a time: memory stays flat


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table, typed (what `Contact.__table__` is at runtime)."""
    return model.__table__  # type: ignore[attr-defined]  # SQLModel's metaclass sets it; its types do not declare it


_T = TypeVar("_T")


def col(attribute: _T) -> Mapped[_T]:
    """The Core column behind a table model's attribute (`col(Contact.name)`),
    typed as SQLModel's `col` types it. Every store module takes `col` from
    here: SQLModel's returns the ORM attribute, and one ORM attribute in a
    statement compiles it through the ORM, which first configures every mapper
    (with the ORM's compiling, about 5% of a command's start in instructions).
    A statement of Core columns and tables compiles as Core, and reads the
    same rows. An attribute of an `aliased()` model stays as it is (its alias
    is the ORM's)."""
    parent = getattr(attribute, "parent", None)
    if isinstance(attribute, InstrumentedAttribute) and parent is not None and not parent.is_aliased_class:
        return cast("Mapped[_T]", parent.local_table.c[attribute.key])
    return sqlmodel_col(attribute)


def insert_many(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """`rows` (values in the order of `columns`, as the driver takes them: a
    date as a date, see `sqlite_file`) inserted with one DB-API executemany.
    SQLAlchemy's own executemany converts each row's parameters in Python, a
    third of a large import's time."""
    if not rows:
        return
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) VALUES ({marks})", rows)


def insert_records(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows given as dicts with the same keys (the first row's), through `insert_many`."""
    if rows:
        columns = list(rows[0])
        insert_many(conn, table, columns, [tuple(map(row.__getitem__, columns)) for row in rows])


def replace_synced(
    session: Session,
    model: type[SQLModel],
    *,
    folder: str,
    key: str,
    rows: Iterable[Mapping[str, Any]],
    gone: Sequence[str],
) -> None:
    """A sync's kept state of `folder` (`sync_card`, `sync_task`): the rows
    synced now replace those with the same `key`, and the `gone` keys' are forgotten."""
    table = table_of(model)
    fresh = [dict(row, folder=folder) for row in rows]
    keys = [*gone, *(row[key] for row in fresh)]
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        session.execute(delete(table).where(table.c.folder == folder, table.c[key].in_(chunk)))
    if fresh:
        session.execute(insert(table), fresh)


def table_by_name(name: str) -> Table:
    """A netcli table (backed up or derived) by its name."""
    return SQLModel.metadata.tables[name]


def split_labels(joined: str | None) -> list[str]:
    """Labels aggregated in SQL (any order), sorted."""
    return sorted(joined.split(SEPARATOR)) if joined else []


@overload
def as_date(value: None) -> None: ...
@overload
def as_date(value: dt.date | str) -> dt.date: ...
def as_date(value: Any) -> dt.date | None:
    """A date as SQLite returns it from an expression (text) or PostgreSQL (a date)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def grouped_labels(
    session: Session, key_col: Any, label_col: Any, wanted: Sequence[int] | None
) -> dict[int, list[str]]:
    """Labels (`label_col`) per key (`key_col`), sorted; only `wanted` keys when given."""
    query = select(key_col, label_col).order_by(key_col, label_col)
    if wanted is not None:
        query = query.where(key_col.in_(wanted))
    result: dict[int, list[str]] = defaultdict(list)
    for cid, label in session.connection().execute(query):
        result[cid].append(label)
    return result


def add_labels(session: Session, contact_id: int, *, tags: Iterable[str], topics: Iterable[str]) -> None:
    """Give a contact these (cleaned) tags and topics, skipping those it has."""
    have_tags = set(session.scalars(select(col(ContactTag.tag)).where(col(ContactTag.contact_id) == contact_id)))
    have_topics = set(
        session.scalars(select(col(ContactTopic.topic)).where(col(ContactTopic.contact_id) == contact_id))
    )
    session.add_all(ContactTag(contact_id=contact_id, tag=t) for t in tags if t not in have_tags)
    session.add_all(ContactTopic(contact_id=contact_id, topic=t) for t in topics if t not in have_topics)
    session.flush()


def labels_of(session: Session, *, contact_id: int, kind: str) -> list[str]:
    """A contact's tags or topics (`kind`), sorted."""
    column = col(ContactTag.tag) if kind == "tags" else col(ContactTopic.topic)
    owner = col(ContactTag.contact_id) if kind == "tags" else col(ContactTopic.contact_id)
    return sorted(session.scalars(select(column).where(owner == contact_id)))
