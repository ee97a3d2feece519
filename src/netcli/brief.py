"""`netcli nudge --brief`: one line for a shell's startup file, at most once
a day, answered with the standard library alone when nothing has changed.

After working the nudges out, `nudge --brief` keeps its line in a small
file beside the database (0600), with the day and a key that any write to
the database changes: the SQLite header's file change counter and page
count, the database file's size and inode, and its write-ahead log's size,
inode and salts (every commit appends to the log or, once it is
checkpointed, bumps the header). The settings file's size and time and
netcli's version are in the key too. A later `nudge --brief` reads that
file and the key, both with `os` alone: the same key on the same day
answers at once; anything else, and any database that is not a plain SQLite
file (an encrypted one, PostgreSQL), works the nudges out again. No
database module is imported here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

from netcli import paths
from netcli.errors import Invalid, NetcliError, UsageError
from netcli.reading import open_file, read_kept

STATE_VERSION = 1


def state_key(db_path: Path | None, config: Path) -> list[object] | None:
    """What changes whenever the database or the settings do; None when it
    cannot be read from the files alone (not a plain SQLite file)."""
    from netcli import __version__

    if db_path is None:
        return None
    try:  # regular files only (a FIFO put there must not hang a shell's start), not blocking
        with open_file(db_path) as handle:
            head = handle.read(100)
            info = os.fstat(handle.fileno())
    except (Invalid, OSError):
        return None
    if not head.startswith(b"SQLite format 3\x00"):
        return None
    wal_path = f"{db_path}-wal"
    try:
        with open_file(wal_path) as handle:
            wal_head = handle.read(32)
            wal_info = os.fstat(handle.fileno())
        wal: list[object] | None = [wal_info.st_size, wal_info.st_ino, wal_info.st_mtime_ns, wal_head[8:32].hex()]
    except (Invalid, OSError):
        if os.path.lexists(wal_path):
            return None
        wal = None
    try:
        settings = os.stat(config)
        kept: list[int] | None = [settings.st_size, settings.st_mtime_ns, settings.st_ino]
    except OSError:
        kept = None
    counters = head[24:32].hex()  # file change counter, database size in pages
    return [__version__, counters, info.st_size, info.st_ino, info.st_mtime_ns, wal, kept]


def read_state(path: Path) -> dict[str, object]:
    """The kept line and its key; empty when there is none netcli wrote: a
    link, a FIFO, a huge or garbled file there is worked out again and replaced."""
    data = read_kept(path)
    try:
        kept = json.loads(data) if data is not None else None
    except (ValueError, RecursionError):
        return {}
    return kept if isinstance(kept, dict) and kept.get("v") == STATE_VERSION else {}


def write_state(path: Path, *, key: list[object] | None, day: dt.date, line: str, printed: str | None) -> None:
    from netcli.privatefile import write_private

    state = {"v": STATE_VERSION, "key": key, "day": day.isoformat(), "line": line, "printed": printed}
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(path, json.dumps(state))
    except (OSError, NetcliError):  # cannot write it (a read-only folder): a convenience, never fail for it
        pass


def line(total: int, words: list[str]) -> str:
    """`netcli: 3 today: reply to Dana Wu, meet Maya Patel, +1 (netcli nudge)`; empty when nothing is due."""
    if not total:
        return ""
    shown = words[:2]
    more = f", +{total - len(shown)}" if total > len(shown) else ""
    return f"netcli: {total} today: {', '.join(shown)}{more} (netcli nudge)"


def show(state_path: Path, kept: dict[str, object], *, key: list[object] | None, day: dt.date, always: bool) -> None:
    """Print the line unless it was printed already that day (or `always`), and remember it."""
    text = str(kept.get("line") or "")
    printed = str(kept["printed"]) if kept.get("printed") else None
    if text and (always or printed != day.isoformat()):
        from netcli.defuse import defuse  # once a day: a new shell that prints nothing does not compile its pattern

        print(defuse(text, one_line=True))
        printed = day.isoformat()
    elif kept.get("key") == key and kept.get("day") == day.isoformat():
        return  # nothing to remember that is not kept already
    write_state(state_path, key=key, day=day, line=text, printed=printed)


def fast(argv: list[str]) -> bool:
    """Answer `netcli [--db X] nudge --brief [--always] [--as-of YYYY-MM-DD]`
    from the kept line when the database has not changed since it was
    worked out that day, and with nothing when there is no database file
    (a new user's shell: nothing is due); False when the full command must run."""
    db_option, rest = split_db_option(argv)
    if rest[:1] != ["nudge"] or "--brief" not in rest:
        return False
    flags = rest[1:]
    always = "--always" in flags
    day = dt.date.today()
    if "--as-of" in flags:
        at = flags.index("--as-of")
        try:
            day = dt.date.fromisoformat(flags[at + 1])
        except (IndexError, ValueError):
            return False
        del flags[at : at + 2]
    if set(flags) - {"--brief", "--always"}:
        return False
    try:
        location = paths.resolve(db_option)
    except UsageError:  # a database no command can use: the full command says why
        return False
    if location.path is None:  # a server: only the full command can tell whether it changed
        return False
    if not os.path.lexists(location.path):  # no database: nothing is due, and the full command would say so
        return True
    state_path = paths.brief_file(location)
    kept = read_state(state_path)
    key = state_key(location.path, paths.config_file())
    if key is None or kept.get("key") != key or kept.get("day") != day.isoformat():
        return False
    show(state_path, kept, key=key, day=day, always=always)
    sys.stdout.flush()
    return True


def split_db_option(argv: list[str]) -> tuple[str | None, list[str]]:
    """A leading `--db X` (or `--db=X`), and the arguments after it. An
    empty X is left in the arguments, so that no kept answer is given: the
    full command refuses it."""
    if argv[:1] == ["--db"] and len(argv) > 1 and argv[1].strip():
        return argv[1], argv[2:]
    if argv[:1] and argv[0].startswith("--db=") and argv[0][len("--db=") :].strip():
        return argv[0][len("--db=") :], argv[1:]
    return None, list(argv)
