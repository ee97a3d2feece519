"""Where the database lives, how it is opened, and migrating it on open.

Makes the engine for a location (`paths.resolve` reads `--db` / `NETCLI_DB` /
the platform default into one), brings the schema to the newest revision, opens sessions,
and says what went wrong in plain words. Alembic is imported only when the
schema is behind. The care of SQLite files themselves (permissions, pragmas,
encryption, backups) lives in `sqlite_file`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from netcli import migrations
from netcli.errors import DatabaseProblem
from netcli.paths import Location, hide_password, resolve  # noqa: F401  (resolve: a netcli.db name before paths)
from netcli.sqlite_file import (
    BUSY_TIMEOUT_MS,
    CREATING_GRACE_S,  # noqa: F401  (a netcli.db name before the split)
    SQLITE_HEADER,  # noqa: F401  (likewise)
    backup_sqlite,
    begin_transaction,
    cipher_module,
    convert_file_encryption,
    is_plain_sqlite,
    open_cipher,
    prepare_file,
    remove_quietly,
    set_pragmas,
)
from netcli.wording import count

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

KeySource = Callable[[], "str | None"]
OUR_TABLES = {"contact", "interaction", "participant"}


def create_engine_for(location: Location, *, key: str | None = None) -> Engine:
    from functools import partial

    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    if location.url.lower().startswith("sqlite"):
        extra = {"module": cipher_module()} if key is not None else {}
        engine = create_engine(
            location.url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
            poolclass=NullPool,
            **extra,
        )
        event.listen(engine, "connect", partial(set_pragmas, key=key))
        event.listen(engine, "begin", begin_transaction)
        return engine
    try:
        return create_engine(location.url, pool_pre_ping=True, connect_args=_server_args(location.url))
    except ModuleNotFoundError as exc:
        raise describe_error(exc, location) from None
    except Exception as exc:  # unknown dialect, malformed URL
        raise DatabaseProblem(
            f"cannot use the database URL {location.display}: {type(exc).__name__}: {hide_password(str(exc))}"
        ) from None


def _server_args(url: str) -> dict:
    # fail fast on an unreachable server instead of hanging for minutes
    return {"connect_timeout": 10} if url.lower().startswith("postgresql") else {}


def open_database(
    location: Location, *, key_source: KeySource | None = None, on_create: Callable[[], None] | None = None
) -> Engine:
    """An engine for `location` with the schema at the newest revision.

    An encrypted SQLite file is opened with the key `key_source` gives
    (NETCLI_KEY, or a prompt); a new file is created encrypted when
    NETCLI_KEY is set. `on_create` is called once a new SQLite file is
    ready, so that the user hears of it."""
    created = False
    key = None
    if location.path is not None:
        created = prepare_file(location.path, named_by=location.named_by)
        if created:
            key = os.environ.get("NETCLI_KEY") or None
        elif not is_plain_sqlite(location.path):
            key = key_source() if key_source else os.environ.get("NETCLI_KEY")
            if not key:
                raise describe_error(Exception("file is not a database"), location)
            open_cipher(location.path, key).close()
        else:
            _inspect_sqlite_file(location)
    engine = create_engine_for(location, key=key)
    try:
        ensure_schema(engine, location)
    except BaseException:
        engine.dispose()
        if created and location.path is not None:
            remove_quietly(location.path)
        raise
    if created and on_create is not None:
        on_create()
    return engine


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
        f"{location.display} holds another program's tables, not a netcli database; point --db at a new file"
    )


def discard_new_database(path: Path) -> None:
    """Remove a database file (and its WAL) that a failed command had just created."""
    remove_quietly(path)


def current_revision(engine: Engine, location: Location) -> str | None:
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


def ensure_schema(engine: Engine, location: Location) -> None:
    revision = current_revision(engine, location)
    if revision == migrations.HEAD:
        return
    upgrade(engine, location, revision)


def upgrade(engine: Engine, location: Location, revision: str | None) -> None:
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
                _raw_pragma(conn, "PRAGMA foreign_keys=OFF")
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise DatabaseProblem(
                        f"upgrading {location.display} would break links between records; nothing was changed"
                    )
            if sqlite:
                _raw_pragma(conn, "PRAGMA foreign_keys=ON")
    except DatabaseProblem:
        raise
    except Exception as exc:
        raise describe_error(exc, location) from None


def _raw_pragma(conn: Connection, sql: str) -> None:
    """A PRAGMA on the DBAPI connection itself, outside SQLAlchemy's transaction."""
    raw = conn.connection.dbapi_connection
    assert raw is not None  # an open Connection always holds its DBAPI connection
    raw.execute(sql)


def backup_before_upgrade(location: Location, revision: str) -> Path | None:
    """Copy an older SQLite database aside before its schema changes."""
    if location.path is None:
        return None
    target = location.path.with_name(f"{location.path.name}.before-{migrations.HEAD}.bak")
    backup_sqlite(location.path, target)
    return target


def convert_encryption(location: Location, *, key: str, encrypt: bool) -> None:
    """Encrypt a plain SQLite database in place, or decrypt an encrypted one
    (see `sqlite_file.convert_file_encryption`)."""
    if location.path is None:
        raise DatabaseProblem("encryption applies to SQLite files; a server has its own")
    convert_file_encryption(location.path, key=key, encrypt=encrypt)


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
        return DatabaseProblem(f"{where} is busy: another netcli is writing to it; try again in a moment")
    if "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
        return DatabaseProblem(
            f"cannot open the database {where} for writing; check the file's permissions "
            "or choose another place with --db"
        )
    if "no module named 'psycopg" in lowered or "no module named 'psycopg2'" in lowered:
        return DatabaseProblem(
            "PostgreSQL support is not installed: pip install 'netcli[postgres]', and use a postgresql+psycopg:// URL"
        )
    if "password authentication failed" in lowered:
        return DatabaseProblem(f"the server at {where} refused the password for that user")
    if "does not exist" in lowered and "database" in lowered:
        return DatabaseProblem(f"{where}: that database does not exist on the server; create it first (createdb)")
    if any(
        s in lowered
        for s in (
            "connection refused",
            "could not connect",
            "connection failed",
            "no such file or directory",
            "could not translate host",
            "timeout expired",
        )
    ):
        return DatabaseProblem(f"cannot reach the database server at {where}: is it running, and is the address right?")
    if "disk" in lowered and ("full" in lowered or "i/o" in lowered):
        return DatabaseProblem(f"cannot write to {where}: {message}")
    return DatabaseProblem(f"database error on {where}: {hide_password(message)}")


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
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


def check_database(engine: Engine, location: Location) -> dict:
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
                messages.append(
                    f"links: {count(len(broken), 'row')} {'points' if len(broken) == 1 else 'point'} "
                    f"at missing records (first in table {broken[0][0]})"
                )
            else:
                messages.append("links: ok")
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        contacts = conn.execute(text("SELECT COUNT(*) FROM contact")).scalar_one()
        interactions = conn.execute(text("SELECT COUNT(*) FROM interaction")).scalar_one()
    messages.append(f"schema: revision {revision} (newest this netcli knows: {migrations.HEAD})")
    messages.append(f"contents: {count(contacts, 'contact')}, {count(interactions, 'interaction')}")
    messages.insert(0, f"database: {location.display}")
    return {"ok": ok, "revision": revision, "contacts": contacts, "interactions": interactions, "messages": messages}
