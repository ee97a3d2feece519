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
from datetime import date
from pathlib import Path
from typing import Any

import typer

LIMIT = 50


def _database(ctx: typer.Context | None) -> Path | None:
    """The SQLite file the command line names, when it is a plain (not
    encrypted) one that exists: a server, an encrypted file or none offers nothing."""
    from netcli.errors import NetcliError
    from netcli.paths import resolve
    from netcli.reading import open_file

    root = ctx.find_root() if ctx is not None else None
    option = root.params.get("db") if root is not None else None
    try:
        path = resolve(option).path
        if path is None:
            return None
        with open_file(path) as handle:  # a regular file, never blocking
            plain = handle.read(16) == b"SQLite format 3\x00"
    except (NetcliError, OSError):  # no usable database named: nothing to offer
        return None
    return path if plain else None


def _query(ctx: typer.Context | None, sql: str, *args: object) -> list[str]:
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


def _open_quote(line: str) -> str | None:
    """The quote left open at the end of a command line, if any."""
    quote, escaped = None, False
    for ch in line:
        if escaped:
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
    return quote


def _quoted(value: str, quote: str) -> str:
    if quote == "'":
        return "'" + value.replace("'", "'\\''") + "'"
    return '"' + "".join("\\" + ch if ch in '"\\$`' else ch for ch in value) + '"'


class Offered(str):
    """A completion netcli has already matched (case-, accent- and
    word-insensitively). Typer then keeps only values that start with the
    typed text, case-sensitively, which would drop `José Núñez` for `nu` and
    every quoted name: an offered value passes that test."""

    def startswith(self, *_args: object) -> bool:
        return True


def for_shell(values: list[str]) -> list[str]:
    """Values a shell can insert as one word. zsh and fish quote what they
    insert; bash inserts a completion as given, so `Marta Silva` would become
    two words: there each is quoted, in the quote the user opened if any."""
    if os.environ.get("_NETCLI_COMPLETE") != "complete_bash":
        return [Offered(v) for v in values]
    from netcli.names import shell_word

    quote = _open_quote(os.environ.get("COMP_WORDS", ""))
    if quote is not None:
        return [Offered(_quoted(v, quote)) for v in values]
    return [Offered(shell_word(v)) for v in values]


def use_our_zsh() -> None:
    """Typer's zsh completion doubles a `'` inside the single-quoted line that
    zsh evaluates, which zsh reads as nothing: `Helen O'Brien` would insert
    `Helen\\ OBrien`. This one writes it as `'\\''`, as zsh reads it."""
    from typer._click.shell_completion import CompletionItem, add_completion_class
    from typer._completion_classes import ZshComplete

    class NetcliZsh(ZshComplete):
        def format_completion(self, item: CompletionItem) -> str:
            line = super().format_completion(item)
            return line.replace("''", "'\\''")

    add_completion_class(NetcliZsh, "zsh")


def contact_names(ctx: typer.Context, incomplete: str) -> list[str]:
    from netcli.identity import prefix_patterns

    whole, word = prefix_patterns(incomplete)  # the resolver's own rule of a prefix
    return for_shell(
        _query(
            ctx,
            "SELECT name FROM contact WHERE archived = 0 "
            "AND (name_key LIKE ? ESCAPE '\\' OR name_key LIKE ? ESCAPE '\\') "
            "ORDER BY tier, name_key LIMIT ?",
            whole,
            word,
            LIMIT,
        )
    )


def goal_titles(ctx: typer.Context, incomplete: str) -> list[str]:
    from netcli.names import like_escape

    key = like_escape(incomplete.lower())
    return for_shell(
        _query(
            ctx,
            "SELECT title FROM goal WHERE status = 'active' AND lower(title) LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
            f"%{key}%",
            LIMIT,
        )
    )


REMEMBERED_NUDGES = 200  # the first this many of `netcli nudge`'s order are offered
REMEMBERED_TODAY = 1000  # a day's listings, merged (`nudge --rule R`, then `nudge`)


def _listing() -> dict[str, Any]:
    """What the cache holds: the day, the database and the nudges listed (as `nudge --json` showed them)."""
    from netcli.paths import nudge_cache
    from netcli.reading import read_kept

    data = read_kept(nudge_cache())
    try:
        kept = json.loads(data) if data is not None else {}
    except (ValueError, RecursionError):
        return {}
    return kept if isinstance(kept, dict) and isinstance(kept.get("nudges"), list) else {}


def remember_nudges(nudges: list[dict[str, Any]], *, day: date, database: str) -> None:
    """Keep the nudges `netcli nudge` listed today on `database`, for
    completion and for `done` (a nudge cleared since it was listed is said
    to be, not unknown); one file, 0600, merged with the day's earlier listings."""
    from netcli.errors import NetcliError
    from netcli.paths import nudge_cache
    from netcli.privatefile import write_private

    kept = _listing()
    earlier = kept["nudges"] if (kept.get("day"), kept.get("database")) == (day.isoformat(), database) else []
    fresh = {n["id"] for n in nudges}
    merged = [*nudges, *(n for n in earlier if n.get("id") not in fresh)][:REMEMBERED_TODAY]
    path = nudge_cache()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(path, json.dumps({"day": day.isoformat(), "database": database, "nudges": merged}, default=str))
    except (OSError, NetcliError):
        pass  # cannot write it (a read-only folder): completion is a convenience; never fail a command for it


def listed_today(*, day: date, database: str) -> list[dict[str, Any]]:
    """The nudges `netcli nudge` listed on `day` for `database` (none from another day or database)."""
    kept = _listing()
    if (kept.get("day"), kept.get("database")) != (day.isoformat(), database):
        return []
    return [n for n in kept["nudges"] if isinstance(n, dict) and isinstance(n.get("id"), str)]


def nudge_ids(incomplete: str) -> list[tuple[str, str]]:
    from netcli.defuse import defuse

    shown = _listing().get("nudges", [])
    offered: list[tuple[str, str]] = [  # the shell prints each action beside its id
        (Offered(n["id"]), defuse(str(n.get("action", "")), one_line=True))
        for n in shown[:REMEMBERED_NUDGES]
        if isinstance(n, dict)
        and isinstance(n.get("id"), str)
        and n["id"].isalnum()
        and n["id"].startswith(incomplete.lower())
    ]
    return offered[:LIMIT]


def rule_names(incomplete: str) -> list[str]:
    """The rules `nudge --rule` takes."""
    from netcli.rules import RULES

    return [name for name in RULES if name.startswith(incomplete.strip().lower())]
