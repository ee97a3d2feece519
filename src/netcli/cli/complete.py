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

import typer

LIMIT = 50


def _database(ctx: typer.Context | None) -> Path | None:
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
    offered: list[tuple[str, str]] = [
        (Offered(nid), action) for nid, action in shown if nid.startswith(incomplete.lower())
    ]
    return offered[:LIMIT]


def rule_names(incomplete: str) -> list[str]:
    """The rules `nudge --rule` takes."""
    from netcli.rules import RULES

    return [name for name in RULES if name.startswith(incomplete.strip().lower())]
