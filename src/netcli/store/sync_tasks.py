"""The database side of `sync tasks`: the tasks a folder was last synced
with (`sync_task`), one row per nudge. Nothing here reads a file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlmodel import Session, select

from netcli.models import SyncTask
from netcli.store.rows import col, replace_synced


def synced_tasks(session: Session, *, folder: str) -> dict[str, SyncTask]:
    """The rows of a folder, by nudge id."""
    return {row.nudge_id: row for row in session.scalars(select(SyncTask).where(col(SyncTask.folder) == folder))}


def save_tasks(session: Session, *, folder: str, rows: Iterable[Mapping[str, Any]], gone: Sequence[str]) -> None:
    """Write the rows (nudge_id, href, uid, size, mtime_ns, digest, agreed, removing)
    of tasks synced now, replacing what was kept of them, and forget the `gone` nudges'."""
    replace_synced(session, SyncTask, folder=folder, key="nudge_id", rows=rows, gone=gone)
