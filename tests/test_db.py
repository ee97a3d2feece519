"""Where data lives, file modes, backup, check, and migrations."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from netcli import db, migrations


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_db_path_resolution(cli, tmp_path, monkeypatch):
    assert cli("db", "path").stdout.strip() == os.environ["NETCLI_DB"]
    assert cli("--db", "x.db", "db", "path").stdout.strip() == str(Path("x.db").absolute())
    monkeypatch.delenv("NETCLI_DB")
    assert cli("db", "path").stdout.strip().endswith("netcli.db")
    url = "postgresql+psycopg://me:s3cret@db.example/netcli"
    shown = cli("--db", url, "db", "path").stdout.strip()
    assert "s3cret" not in shown and shown == "postgresql+psycopg://me:***@db.example/netcli"


@pytest.mark.sqlite_only
def test_new_database_is_private_whatever_the_umask(cli, tmp_path):
    old = os.umask(0)
    try:
        cli("add", "Ana")
    finally:
        os.umask(old)
    path = Path(os.environ["NETCLI_DB"])
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    for suffix in ("-wal", "-shm"):
        extra = Path(str(path) + suffix)
        if extra.exists():
            assert mode(extra) & 0o077 == 0


@pytest.mark.sqlite_only
def test_sqlite_settings(cli):
    cli("add", "Ana")
    from netcli.db import open_database, resolve

    engine = open_database(resolve(None))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


@pytest.mark.sqlite_only
def test_backup_and_check(cli, tmp_path):
    cli("add", "Ana")
    target = tmp_path / "copy.db"
    r = cli("db", "backup", str(target))
    assert r.stdout.strip() == str(target)
    assert mode(target) == 0o600
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT name FROM contact").fetchall() == [("Ana",)]
    copy.close()
    default = Path(cli("db", "backup").stdout.strip())
    assert default.parent == Path(os.environ["NETCLI_DB"]).parent and default.exists()
    report = cli.json("db", "check")
    assert report["ok"] is True and report["contacts"] == 1 and report["revision"] == migrations.HEAD
    assert "integrity: ok" in cli("db", "check").stdout


@pytest.mark.sqlite_only
def test_check_reports_broken_links(cli):
    cli("add", "Ana")
    connection = sqlite3.connect(os.environ["NETCLI_DB"])
    connection.execute("INSERT INTO contact_tag (contact_id, tag) VALUES (42, 'orphan')")
    connection.commit()
    connection.close()
    r = cli("db", "check", code=1)
    assert "links: 1 row points" in r.stdout


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    return config


def test_head_constant_matches_the_scripts():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(_alembic_config()).get_current_head() == migrations.HEAD


def test_migrated_schema_matches_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    engine = db.open_database(db.resolve(str(tmp_path / "m.db")))
    with engine.connect() as conn:
        diff = [
            d
            for d in compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
            if not (d[0] == "remove_table" and d[1].name.startswith("search_index"))
        ]
        # SQLAlchemy's SQLite reflection misses ON DELETE on columns added by
        # ALTER TABLE ... REFERENCES; ask SQLite itself for those.
        unexplained = []
        for op, fk in diff:
            key = (fk.table.name, tuple(c.name for c in fk.columns))
            if op == "add_fk" and fk.ondelete:
                actions = {row[3]: row[6] for row in conn.exec_driver_sql(f"PRAGMA foreign_key_list({fk.table.name})")}
                if actions.get(key[1][0]) == fk.ondelete:
                    continue
            if op == "remove_fk" and any(
                o == "add_fk" and (f.table.name, tuple(c.name for c in f.columns)) == key for o, f in diff
            ):
                continue
            unexplained.append((op, key))
    engine.dispose()
    assert unexplained == []


def _revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


@pytest.mark.parametrize("revision", _revisions())
def test_every_earlier_revision_upgrades_without_loss(cli, tmp_path, revision):
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / f"old-{revision}.db"
    engine = create_engine(f"sqlite:///{path}")
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.exec_driver_sql(
            "INSERT INTO contact (id, name, name_key, email, tier, archived)"
            " VALUES (1, 'Ana Lima', 'ana lima', 'Ana@X.org', 'B', 0)"
        )
        conn.exec_driver_sql("INSERT INTO interaction (id, date, kind, note) VALUES (1, '2026-01-05', 'call', 'hi')")
        conn.exec_driver_sql(
            "INSERT INTO participant (interaction_id, contact_id, date, kind) VALUES (1, 1, '2026-01-05', 'call')"
        )
    engine.dispose()
    shown = cli.json("--db", str(path), "show", "ana")
    assert shown["tier"] == "B" and shown["last_contact"] == "2026-01-05"
    # the 0009 migration lists the one email; from 0009 on nothing fills the raw insert's
    assert shown["emails"] == ([] if revision >= "0009" else ["Ana@X.org"])
    # every row from before 0010 was typed in (or imported, untold): manual, no direction
    assert [(t["source"], t["direction"]) for t in shown["timeline"]] == [("manual", None)]
    assert cli.json("--db", str(path), "db", "check")["revision"] == migrations.HEAD
    if revision != migrations.HEAD:
        assert list(tmp_path.glob(f"old-{revision}.db.before-*.bak"))
