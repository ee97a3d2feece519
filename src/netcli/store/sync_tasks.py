"""The database side of `sync tasks`: the tasks a folder was last synced
with (`sync_task`), one row per nudge. Nothing here reads a file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from netcli.models import SyncTask
from netcli.store.rows import table_of


def synced_tasks(session: Session, *, folder: str) -> dict[str, SyncTask]:
    """The rows of a folder, by nudge id."""
    return {row.nudge_id: row for row in session.scalars(select(SyncTask).where(col(SyncTask.folder) == folder))}


def save_tasks(session: Session, *, folder: str, rows: Iterable[Mapping[str, Any]], gone: Sequence[str]) -> None:
    """Write the rows (nudge_id, href, uid, size, mtime_ns, digest, agreed, removing)
    of tasks synced now, replacing what was kept of them, and forget the `gone` nudges'."""
    table = table_of(SyncTask)
    rows = [dict(row, folder=folder) for row in rows]
    keys = [*gone, *(row["nudge_id"] for row in rows)]
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        session.execute(delete(table).where(table.c.folder == folder, table.c.nudge_id.in_(chunk)))
    if rows:
        session.execute(insert(table), rows)
