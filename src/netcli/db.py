"""Where the database lives, how it is opened, and migrating it on open.

Resolves `--db` / `NETCLI_DB` / the platform default into a SQLAlchemy URL,
creates a SQLite file readable by its owner only, sets the pragmas (foreign
keys, WAL, busy timeout), and brings the schema to the newest revision.
Alembic is imported only when the schema is behind.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from netcli import migrations
from netcli.errors import DatabaseProblem
from netcli.wording import count

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"
# a file this young and still empty is being created by another netcli
CREATING_GRACE_S = 2.0
KeySource = Callable[[], "str | None"]
_URL = re.compile(r"^[a-z][a-z0-9+]*://", re.IGNORECASE)
OUR_TABLES = {"contact", "interaction", "participant"}


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("netcli", appauthor=False)) / "netcli.db"


@dataclass(frozen=True)
class Location:
    """A resolved database location: the URL to open, and a SQLite path if it is one."""

    url: str
    path: Path | None  # the file, for SQLite files; None for servers and :memory:
    # where it came from when the user named it ("--db" or "NETCLI_DB"); None: the default file
    named_by: str | None = None

    @property
    def display(self) -> str:
        """What to show a user: the file path, or the URL with its password hidden."""
        if self.path is not None:
            return str(self.path)
        return hide_password(self.url)


def hide_password(url: str) -> str:
    # user:secret@host -> user:***@host, without parsing the rest of the URL
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def resolve(value: str | None) -> Location:
    """`--db` value, else `NETCLI_DB`, else the per-user default file."""
    raw = value or os.environ.get("NETCLI_DB") or ""
    if not raw.strip():
        path = default_path()
        return Location(url=f"sqlite:///{path}", path=path)
    raw = raw.strip()
    named_by = "--db" if value and value.strip() else "NETCLI_DB"
    if _URL.match(raw):
        if raw.lower().startswith("sqlite"):
            match = re.match(r"^sqlite[a-z0-9+]*:///(.+)$", raw, re.IGNORECASE)
            if match and match.group(1) != ":memory:" and not match.group(1).startswith("file:"):
                return Location(url=raw, path=Path(match.group(1)).expanduser().absolute(), named_by=named_by)
        return Location(url=raw, path=None, named_by=named_by)
    path = Path(raw).expanduser().absolute()
    return Location(url=f"sqlite:///{path}", path=path, named_by=named_by)


def _prepare_sqlite_file(location: Location) -> bool:
    """Create the file (0600, in a 0700 folder) if missing; True when it was
    created. Only the default location gets its folders made: a path the
    user named in a folder that does not exist is much likelier a typo."""
    path = location.path
    assert path is not None
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder, not a database file; give --db a file path")
    if path.exists():
        if path.stat().st_size == 0 and not _wait_for_creator(path):
            raise DatabaseProblem(
                f"{path} is an empty file, not a netcli database; "
                "remove it or point --db at another file"
            )
        return False
    if location.named_by is not None and not path.parent.exists():
        raise DatabaseProblem(
            f"the folder {path.parent} does not exist, so there is no database at {path}; "
            f"check the path given by {location.named_by} (or create the folder to start a new database there)"
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
            f"cannot create the database {path}: {exc.strerror or exc}; "
            "choose a writable place with --db or NETCLI_DB"
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


def _key_pragma(key: str) -> str:
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def _cipher_module():  # type: ignore[no-untyped-def]
    try:
        import sqlcipher3.dbapi2 as module
    except ImportError:
        raise DatabaseProblem(
            "encryption needs the optional SQLCipher support: pip install 'netcli[encrypt]'"
        ) from None
    return module


def _open_cipher(path: Path, key: str):  # type: ignore[no-untyped-def]
    """A raw SQLCipher connection, checked: the key must decrypt the file."""
    module = _cipher_module()
    conn = module.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(_key_pragma(key))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except module.DatabaseError:
        conn.close()
        raise DatabaseProblem(
            f"cannot decrypt {path}: wrong key (NETCLI_KEY), or not a netcli database"
        ) from None
    return conn


def _sqlite_pragmas(dbapi_connection, _record, key: str | None = None) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    if key is not None:
        cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute(_key_pragma(key))
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA cache_size=-32000")  # 32 MB of pages: big imports and reports stay in memory
    cursor.execute("PRAGMA temp_store=MEMORY")
    mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()
    if mode and str(mode[0]).lower() == "wal":
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(conn) -> None:  # type: ignore[no-untyped-def]
    # pysqlite runs in autocommit mode (isolation_level=None) so that we decide
    # how a transaction starts: writers take the write lock up front, which
    # lets the busy timeout work instead of failing on a lock upgrade.
    immediate = conn.get_execution_options().get("netcli_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine_for(location: Location, *, key: str | None = None) -> "Engine":
    from functools import partial

    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    if location.url.lower().startswith("sqlite"):
        extra = {"module": _cipher_module()} if key is not None else {}
        engine = create_engine(
            location.url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
            poolclass=NullPool,
            **extra,
        )
        event.listen(engine, "connect", partial(_sqlite_pragmas, key=key))
        event.listen(engine, "begin", _begin)
        return engine
    try:
        return create_engine(location.url, pool_pre_ping=True, connect_args=_server_args(location.url))
    except ModuleNotFoundError as exc:
        raise describe_error(exc, location) from None
    except Exception as exc:  # unknown dialect, malformed URL
        raise DatabaseProblem(
            f"cannot use the database URL {location.display}: {type(exc).__name__}: "
            f"{hide_password(str(exc))}"
        ) from None


def _server_args(url: str) -> dict:
    # fail fast on an unreachable server instead of hanging for minutes
    return {"connect_timeout": 10} if url.lower().startswith("postgresql") else {}


def open_database(
    location: Location, *, key_source: KeySource | None = None, on_create: Callable[[], None] | None = None
) -> "Engine":
    """An engine for `location` with the schema at the newest revision.

    An encrypted SQLite file is opened with the key `key_source` gives
    (NETCLI_KEY, or a prompt); a new file is created encrypted when
    NETCLI_KEY is set. `on_create` is called once a new SQLite file is
    ready, so that the user hears of it."""
    created = False
    key = None
    if location.path is not None:
        created = _prepare_sqlite_file(location)
        if created:
            key = os.environ.get("NETCLI_KEY") or None
        elif not is_plain_sqlite(location.path):
            key = key_source() if key_source else os.environ.get("NETCLI_KEY")
            if not key:
                raise describe_error(Exception("file is not a database"), location)
            _open_cipher(location.path, key).close()
        else:
            _inspect_sqlite_file(location)
    engine = create_engine_for(location, key=key)
    try:
        ensure_schema(engine, location)
    except BaseException:
        engine.dispose()
        if created and location.path is not None:
            _remove_quietly(location.path)
        raise
    if created and on_create is not None:
        on_create()
    return engine


def is_plain_sqlite(path: Path) -> bool:
    """Does the file start like an unencrypted SQLite database?"""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError as exc:
        raise DatabaseProblem(f"cannot read the database {path}: {exc.strerror or exc}") from None


def _inspect_sqlite_file(location: Location) -> None:
    """Refuse a file that is not ours before anything (even WAL mode) is written to it."""
    assert location.path is not None
    try:
        conn = sqlite3.connect(f"file:{location.path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise describe_error(exc, location) from None
    if "alembic_version" not in tables and tables - {"sqlite_sequence"}:
        raise _foreign(location)


def _foreign(location: Location) -> DatabaseProblem:
    return DatabaseProblem(
        f"{location.display} holds another program's tables, not a netcli database; "
        "point --db at a new file"
    )


def discard_new_database(path: Path) -> None:
    """Remove a database file (and its WAL) that a failed command had just created."""
    _remove_quietly(path)


def _remove_quietly(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            Path(str(path) + suffix).unlink()
        except OSError:
            pass


def current_revision(engine: "Engine", location: Location) -> str | None:
    """The schema revision stored in the database; None for an empty database."""
    from sqlalchemy import inspect, text

    try:
        with engine.connect() as conn:
            try:  # the usual case, in one query
                row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            except Exception:
                conn.rollback()
                row = None
            if row is not None:
                return str(row[0])
            tables = set(inspect(conn).get_table_names())
            if "alembic_version" in tables:
                row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
                if row is not None:
                    return str(row[0])
    except Exception as exc:
        raise describe_error(exc, location) from None
    if tables - {"alembic_version", "sqlite_sequence"}:
        raise _foreign(location)
    return None


def ensure_schema(engine: "Engine", location: Location) -> None:
    revision = current_revision(engine, location)
    if revision == migrations.HEAD:
        return
    upgrade(engine, location, revision)


def upgrade(engine: "Engine", location: Location, revision: str | None) -> None:
    """Run the Alembic migrations from `revision` to head, in one transaction."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    script = ScriptDirectory.from_config(config)
    if revision is not None:
        try:
            script.get_revision(revision)
        except Exception:
            raise DatabaseProblem(
                f"{location.display} was written by a newer netcli (schema {revision}); "
                "upgrade netcli (pip install -U netcli) to use it"
            ) from None
        backup_before_upgrade(location, revision)
    try:
        with engine.connect().execution_options(netcli_write=True) as conn:
            sqlite = engine.dialect.name == "sqlite"
            if sqlite:
                # off while tables are reshaped (a copied table must not cascade);
                # checked below before anything is committed
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise DatabaseProblem(
                        f"upgrading {location.display} would break links between records; "
                        "nothing was changed"
                    )
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
    except DatabaseProblem:
        raise
    except Exception as exc:
        raise describe_error(exc, location) from None


def backup_before_upgrade(location: Location, revision: str) -> Path | None:
    """Copy an older SQLite database aside before its schema changes."""
    if location.path is None:
        return None
    target = location.path.with_name(f"{location.path.name}.before-{migrations.HEAD}.bak")
    backup_sqlite(location.path, target)
    return target


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
            src = _open_cipher(source, key)
            dst = _cipher_module().connect(str(tmp))
            dst.execute("PRAGMA cipher_log_level = NONE")
            dst.execute(_key_pragma(key))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        _remove_quietly(tmp)
        raise DatabaseProblem(f"cannot write the backup {target}: {exc}") from None
    except BaseException:
        _remove_quietly(tmp)
        raise


def convert_encryption(location: Location, *, key: str, encrypt: bool) -> None:
    """Encrypt a plain SQLite database in place, or decrypt an encrypted one.

    The converted copy is written beside the original, checked (integrity and
    row counts), and only then renamed over it; the original is untouched if
    anything fails or another process wrote to it meanwhile."""
    path = location.path
    if path is None:
        raise DatabaseProblem("encryption applies to SQLite files; a server has its own")
    module = _cipher_module()
    plain = is_plain_sqlite(path)
    if encrypt and not plain:
        raise DatabaseProblem(f"{path} is already encrypted")
    if not encrypt and plain:
        raise DatabaseProblem(f"{path} is not encrypted")
    tmp = path.with_name(path.name + (".encrypting" if encrypt else ".decrypting"))
    _remove_quietly(tmp)
    if encrypt:
        conn = module.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    else:
        conn = _open_cipher(path, key)
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
        _remove_quietly(tmp)
        raise DatabaseProblem(f"cannot convert {path}: {exc}") from None
    except BaseException:
        _remove_quietly(tmp)
        raise
    finally:
        conn.close()
    check = _open_cipher(tmp, key) if encrypt else sqlite3.connect(tmp)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and all(
            check.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] == n for t, n in counts.items()
        )
    finally:
        check.close()
    if not ok:
        _remove_quietly(tmp)
        raise DatabaseProblem(f"the converted copy of {path} did not check out; the original is unchanged")
    os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
    for suffix in ("-wal", "-shm"):
        _remove_quietly(Path(str(path) + suffix))
    os.replace(tmp, path)


def _fingerprint(path: Path) -> tuple[int, int, int]:
    wal = Path(str(path) + "-wal")
    st = path.stat()
    return st.st_size, st.st_mtime_ns, wal.stat().st_size if wal.exists() else 0


def _user_tables(conn) -> list[str]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_index_%'"
    ).fetchall()
    return [r[0] for r in rows]


def describe_error(exc: BaseException, location: Location) -> DatabaseProblem:
    """Turn a driver error into one plain sentence (no SQL, no password)."""
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc) else ""
    lowered = message.lower()
    where = location.display
    if "file is not a database" in lowered or "malformed" in lowered:
        return DatabaseProblem(
            f"{where} is not a readable netcli database (damaged, another kind of file, or "
            "encrypted: then set NETCLI_KEY); restore a copy made by 'netcli db backup' "
            "or point --db elsewhere"
        )
    if "locked" in lowered or "busy" in lowered:
        return DatabaseProblem(
            f"{where} is busy: another netcli is writing to it; try again in a moment"
        )
    if "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
        return DatabaseProblem(
            f"cannot open the database {where} for writing; check the file's permissions "
            "or choose another place with --db"
        )
    if "no module named 'psycopg" in lowered or "no module named 'psycopg2'" in lowered:
        return DatabaseProblem(
            "PostgreSQL support is not installed: pip install 'netcli[postgres]', "
            "and use a postgresql+psycopg:// URL"
        )
    if "password authentication failed" in lowered:
        return DatabaseProblem(f"the server at {where} refused the password for that user")
    if "does not exist" in lowered and "database" in lowered:
        return DatabaseProblem(f"{where}: that database does not exist on the server; create it first (createdb)")
    if any(s in lowered for s in ("connection refused", "could not connect", "connection failed",
                                  "no such file or directory", "could not translate host", "timeout expired")):
        return DatabaseProblem(f"cannot reach the database server at {where}: is it running, and is the address right?")
    if "disk" in lowered and ("full" in lowered or "i/o" in lowered):
        return DatabaseProblem(f"cannot write to {where}: {message}")
    return DatabaseProblem(f"database error on {where}: {hide_password(message)}")


@contextmanager
def session_scope(engine: "Engine", *, write: bool = False) -> Iterator["Session"]:
    """One transaction: commit on success, roll back on any error."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        if write:
            session.info["netcli_write"] = True  # derived statistics are refreshed before commit
            session.connection(execution_options={"netcli_write": True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def check_database(engine: "Engine", location: Location) -> dict:
    """SQLite's integrity and foreign-key checks, in plain words."""
    from sqlalchemy import text

    messages: list[str] = []
    ok = True
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            if integrity == ["ok"]:
                messages.append("integrity: ok")
            else:
                ok = False
                messages.append(f"integrity: {count(len(integrity), 'problem')}, first: {integrity[0]}")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                ok = False
                messages.append(f"links: {count(len(broken), 'row')} {'points' if len(broken) == 1 else 'point'} at missing records (first in table {broken[0][0]})")
            else:
                messages.append("links: ok")
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        contacts = conn.execute(text("SELECT COUNT(*) FROM contact")).scalar()
        interactions = conn.execute(text("SELECT COUNT(*) FROM interaction")).scalar()
    messages.append(f"schema: revision {revision} (newest this netcli knows: {migrations.HEAD})")
    messages.append(f"contents: {count(contacts, 'contact')}, {count(interactions, 'interaction')}")
    messages.insert(0, f"database: {location.display}")
    return {"ok": ok, "revision": revision, "contacts": contacts, "interactions": interactions, "messages": messages}
