"""Shell completion for contact names, goal titles and nudge ids.

Completion runs on every Tab press, so it never imports SQLAlchemy: it reads
the SQLite file directly (read-only) and the nudge ids `netcli nudge` last
showed from a small cache file. Kinds, channels and tiers complete from
their option choices.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

LIMIT = 50


def _database(ctx) -> Path | None:  # type: ignore[no-untyped-def]
    from netcli.db import is_plain_sqlite, resolve

    root = ctx.find_root() if ctx is not None else None
    option = root.params.get("db") if root is not None else None
    try:
        location = resolve(option)
        if location.path is None or not location.path.exists() or not is_plain_sqlite(location.path):
            return None
    except Exception:
        return None
    return location.path


def _query(ctx, sql: str, *args: object) -> list[str]:  # type: ignore[no-untyped-def]
    path = _database(ctx)
    if path is None:
        return []
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)
        try:
            return [row[0] for row in conn.execute(sql, args)]
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _prefix(incomplete: str) -> str:
    from netcli.names import like_escape, name_key

    return like_escape(name_key(incomplete))


def contact_names(ctx, incomplete: str) -> list[str]:  # type: ignore[no-untyped-def]
    key = _prefix(incomplete)
    return _query(
        ctx,
        "SELECT name FROM contact WHERE archived = 0 AND (name_key LIKE ? ESCAPE '\\' OR name_key LIKE ? ESCAPE '\\') "
        "ORDER BY tier, name_key LIMIT ?",
        f"{key}%", f"% {key}%", LIMIT,
    )  # fmt: skip


def goal_titles(ctx, incomplete: str) -> list[str]:  # type: ignore[no-untyped-def]
    from netcli.names import like_escape

    key = like_escape(incomplete.lower())
    return _query(
        ctx, "SELECT title FROM goal WHERE status = 'active' AND lower(title) LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
        f"%{key}%", LIMIT,
    )  # fmt: skip


def nudge_cache() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("NETCLI_CACHE") or user_cache_dir("netcli", appauthor=False)) / "nudges.json"


REMEMBERED_NUDGES = 200  # the first this many of `netcli nudge`'s order are offered


def remember_nudges(nudges: list[tuple[str, str]]) -> None:
    """Keep the ids (and actions) `netcli nudge` showed, for completion; 0600."""
    from netcli.privatefile import write_private

    path = nudge_cache()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(path, json.dumps(nudges))
    except Exception:
        pass  # completion is a convenience; never fail a command for it


def nudge_ids(incomplete: str) -> list[tuple[str, str]]:
    try:
        shown = json.loads(nudge_cache().read_text())
    except (OSError, ValueError):
        return []
    return [(nid, action) for nid, action in shown if nid.startswith(incomplete.lower())][:LIMIT]


def rule_names(incomplete: str) -> list[str]:
    """The rules `nudge --rule` takes."""
    from netcli.config import RULE_NAMES

    return [name for name in RULE_NAMES if name.startswith(incomplete.strip().lower())]
