"""`sync vdir` again when nothing changed, with the standard library alone.

A sync that found nothing to do on either side keeps what it printed in a
small file beside the database (0600), with the database's key (`brief`:
any write to the database changes it) and a digest of the folder's listing
(every entry's name, size, time and inode, and the folder's own time). The
next `netcli sync vdir [PATH] [--json]` reads both with `os` alone: the same
key and the same listing mean a full sync would find nothing to do again,
so it prints the same and stops, without importing the database stack (a
third of a second, against a first sync's two or three). Anything else,
any other option, or a database that is not a plain SQLite file, and the
full sync runs. No database module is imported here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from netcli import brief, paths
from netcli.defuse import defuse, defuse_json
from netcli.errors import Invalid, NetcliError, UsageError
from netcli.reading import SETTINGS_FILE, read_bytes, read_kept

STATE_VERSION = 1


def listing(folder: Path) -> str | None:
    """A digest of every entry of the folder, and of the folder itself."""
    digest = hashlib.sha256()
    try:
        info = os.stat(folder)
        digest.update(f"{info.st_mtime_ns} {info.st_ino}\n".encode())
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            stat = entry.stat(follow_symlinks=True)
            digest.update(f"{entry.name}\x00{stat.st_size} {stat.st_mtime_ns} {stat.st_ino}\n".encode())
    except OSError:
        return None
    return digest.hexdigest()


def remember(db_path: Path, config: Path, folder: Path, *, document: dict[str, object], messages: list[str]) -> None:
    """Keep what a sync that changed nothing printed (call it once the database is closed)."""
    from netcli.privatefile import write_private

    key, seen = brief.state_key(db_path, config), listing(folder)
    if key is None or seen is None:
        return
    path = paths.sync_file(db_path)
    state = _read(path)
    folders = state.setdefault("folders", {})
    folders[str(folder)] = {
        "key": key,
        "listing": seen,
        "document": document,
        "messages": messages,
    }
    with contextlib.suppress(NetcliError):  # cannot write it (a full disk): a shortcut only, never fail a sync for it
        write_private(path, json.dumps(state))


def fast(argv: list[str]) -> bool:
    """Answer `netcli [--db X] sync vdir [PATH] [--json]` from what was kept,
    when neither the database nor the folder changed; False otherwise."""
    db_option, rest = brief.split_db_option(argv)
    if rest[:2] != ["sync", "vdir"]:
        return False
    json_out = "--json" in rest[2:]
    given = [arg for arg in rest[2:] if arg != "--json"]
    if len(given) > 1 or any(arg.startswith("-") for arg in given):
        return False
    try:
        db_path = paths.resolve(db_option).path
    except UsageError:  # a database no command can use: the full sync says why
        return False
    if db_path is None:  # a server: only the full sync can tell whether it changed
        return False
    config = paths.config_file()
    folder_text = given[0] if given else _configured_folder(config)
    if not folder_text:
        return False
    folder = Path(os.path.realpath(os.path.expanduser(folder_text)))
    entry = _read(paths.sync_file(db_path)).get("folders", {}).get(str(folder))
    if not isinstance(entry, dict) or entry.get("key") != brief.state_key(db_path, config):
        return False
    if entry.get("listing") != listing(folder):
        return False
    document, messages = entry.get("document"), entry.get("messages")
    if not (isinstance(document, dict) and isinstance(messages, list) and all(isinstance(m, str) for m in messages)):
        return False  # not as `remember` wrote it: the full sync answers, and keeps it anew
    for line in messages:
        print(defuse(line), file=sys.stderr)
    if json_out:  # as `render.emit_json` writes it
        print(defuse_json(json.dumps(document, ensure_ascii=False, indent=2 if sys.stdout.isatty() else None)))
    sys.stdout.flush()
    return True


def _settings(config: Path) -> bytes | None:
    """The settings file's bytes; None when there is none to read (missing,
    not a regular file, too large): the full sync then says what is wrong."""
    try:
        return read_bytes(config, limit=SETTINGS_FILE, what="the settings file")
    except (Invalid, OSError):
        return None


def _configured_folder(config: Path) -> str | None:
    import tomllib

    data = _settings(config)
    try:
        value = tomllib.loads(data.decode("utf-8")).get("sync", {}).get("vdir") if data is not None else None
    except (ValueError, AttributeError):  # not TOML, not UTF-8, [sync] not a table: the full sync says what is wrong
        return None
    return value if isinstance(value, str) and value.strip() else None


def _read(path: Path) -> dict[str, Any]:
    data = read_kept(path)
    try:
        state = json.loads(data) if data is not None else None
    except (ValueError, RecursionError):  # not as `remember` wrote it
        return {"v": STATE_VERSION}
    return state if isinstance(state, dict) and state.get("v") == STATE_VERSION else {"v": STATE_VERSION}
