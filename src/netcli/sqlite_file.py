"""SQLite file care: creating the file for its owner only, telling a plain,
encrypted, empty or still-being-created file apart, the pragmas and
transaction start of every connection, SQLCipher keys, consistent backup
copies, and converting a file's encryption in place.

Paths in, plain `DatabaseProblem`s out; nothing here knows URLs, SQLAlchemy
or the schema (see `db`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netcli.errors import DatabaseProblem, Invalid
from netcli.reading import open_file

if TYPE_CHECKING:  # annotations only: this module is used before SQLAlchemy is imported
    from sqlalchemy.engine import Connection
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

# A date handed to the driver itself (`store.rows.insert_many` does, past
# SQLAlchemy's per-row conversion) is stored as the ISO text SQLAlchemy's
# `Date` writes; Python 3.12 deprecates the driver's own default adapter.
# (SQLCipher's driver gets the same in `cipher_module`.)
sqlite3.register_adapter(dt.date, dt.date.isoformat)

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"
# a file this young and still empty is being created by another netcli
CREATING_GRACE_S = 2.0


def prepare_file(path: Path, *, named_by: str | None) -> bool:
    """Create the file (0600, in a 0700 folder) if missing; True when it was
    created. Only the default location (`named_by` None) gets its folders
    made: a path the user named in a folder that does not exist is much
    likelier a typo."""
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder, not a database file; give --db a file path")
    if path.exists():
        if path.stat().st_size == 0 and not _wait_for_creator(path):
            raise DatabaseProblem(
                f"{path} is an empty file, not a netcli database; remove it or point --db at another file"
            )
        return False
    if named_by is not None and not path.parent.exists():
        raise DatabaseProblem(
            f"the folder {path.parent} does not exist, so there is no database at {path}; "
            f"check the path given by {named_by} (or create the folder to start a new database there)"
        )
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        return False
    except OSError as exc:
        raise DatabaseProblem(
            f"cannot create the database {path}: {exc.strerror or exc}; choose a writable place with --db or NETCLI_DB"
        ) from None
    return True


def _wait_for_creator(path: Path) -> bool:
    """True once a just-created empty file gets its first page from the netcli
    that created it; False at once for an old empty file."""
    while time.time() - path.stat().st_mtime < CREATING_GRACE_S:
        time.sleep(0.05)
        if path.stat().st_size > 0:
            return True
    return path.stat().st_size > 0


def key_pragma(key: str) -> str:
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def cipher_module() -> Any:  # sqlcipher3 ships no types
    try:
        import sqlcipher3.dbapi2 as module
    except ImportError:
        raise DatabaseProblem(
            "encryption needs the optional SQLCipher support: pip install 'netcli[encrypt]'"
        ) from None
    module.register_adapter(dt.date, dt.date.isoformat)  # as for sqlite3, above
    return module


def open_cipher(path: Path, key: str) -> Any:  # a sqlcipher3 connection (untyped)
    """A raw SQLCipher connection, checked: the key must decrypt the file."""
    module = cipher_module()
    conn = module.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(key_pragma(key))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except module.DatabaseError:
        conn.close()
        raise DatabaseProblem(f"cannot decrypt {path}: wrong key (NETCLI_KEY), or not a netcli database") from None
    return conn


def set_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry, key: str | None = None) -> None:
    cursor = dbapi_connection.cursor()
    if key is not None:
        cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute(key_pragma(key))
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA cache_size=-32000")  # 32 MB of pages: big imports and reports stay in memory
    cursor.execute("PRAGMA temp_store=MEMORY")
    mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()
    if mode and str(mode[0]).lower() == "wal":
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def begin_transaction(conn: Connection) -> None:
    # pysqlite runs in autocommit mode (isolation_level=None) so that we decide
    # how a transaction starts: writers take the write lock up front, which
    # lets the busy timeout work instead of failing on a lock upgrade.
    immediate = conn.get_execution_options().get("netcli_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_plain_sqlite(path: Path) -> bool:
    """Does the file start like an unencrypted SQLite database?"""
    try:
        with open_file(path) as handle:  # a regular file, never blocking
            return handle.read(16) == SQLITE_HEADER
    except Invalid as exc:
        raise DatabaseProblem(f"{exc}; give --db a database file") from None
    except OSError as exc:
        raise DatabaseProblem(f"cannot read the database {path}: {exc.strerror or exc}") from None


def remove_quietly(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()


def backup_sqlite(source: Path, target: Path, *, key: str | None = None) -> None:
    """A consistent copy of a live SQLite database (online backup API), 0600.
    An encrypted database is copied encrypted, with the same key."""
    tmp = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        if key is None:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
            dst = sqlite3.connect(tmp)
        else:
            src = open_cipher(source, key)
            dst = cipher_module().connect(str(tmp))
            dst.execute("PRAGMA cipher_log_level = NONE")
            dst.execute(key_pragma(key))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        remove_quietly(tmp)
        raise DatabaseProblem(f"cannot write the backup {target}: {exc}") from None
    except BaseException:
        remove_quietly(tmp)
        raise


def convert_file_encryption(path: Path, *, key: str, encrypt: bool) -> None:
    """Encrypt a plain SQLite file in place, or decrypt an encrypted one.

    The converted copy is written beside the original, checked (integrity and
    row counts), and only then renamed over it; the original is untouched if
    anything fails or another process wrote to it meanwhile."""
    module = cipher_module()
    plain = is_plain_sqlite(path)
    if encrypt and not plain:
        raise DatabaseProblem(f"{path} is already encrypted")
    if not encrypt and plain:
        raise DatabaseProblem(f"{path} is not encrypted")
    tmp = path.with_name(path.name + (".encrypting" if encrypt else ".decrypting"))
    remove_quietly(tmp)
    if encrypt:
        conn = module.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    else:
        conn = open_cipher(path, key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _fingerprint(path)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        target_key = key.replace("'", "''") if encrypt else ""
        conn.execute(f"ATTACH DATABASE ? AS converted KEY '{target_key}'", (str(tmp),))
        conn.execute("SELECT sqlcipher_export('converted')")
        conn.execute("DETACH DATABASE converted")
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in _user_tables(conn)}
        if _fingerprint(path) != before:
            raise DatabaseProblem("the database changed while it was being converted; run the command again")
    except module.DatabaseError as exc:
        remove_quietly(tmp)
        raise DatabaseProblem(f"cannot convert {path}: {exc}") from None
    except BaseException:
        remove_quietly(tmp)
        raise
    finally:
        conn.close()
    check = open_cipher(tmp, key) if encrypt else sqlite3.connect(tmp)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and all(
            check.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] == n for t, n in counts.items()
        )
    finally:
        check.close()
    if not ok:
        remove_quietly(tmp)
        raise DatabaseProblem(f"the converted copy of {path} did not check out; the original is unchanged")
    os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
    for suffix in ("-wal", "-shm"):
        remove_quietly(Path(str(path) + suffix))
    os.replace(tmp, path)


def _fingerprint(path: Path) -> tuple[int, int, int]:
    wal = Path(str(path) + "-wal")
    st = path.stat()
    return st.st_size, st.st_mtime_ns, wal.stat().st_size if wal.exists() else 0


def _user_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_index_%'"
    ).fetchall()
    return [r[0] for r in rows]
