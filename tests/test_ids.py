"""Ids never come back: a deleted contact's, interaction's, event's or
community's id is not handed out again (typed in, imported or captured), so
`unlog 76` run again from the shell's history cannot delete another row; and
migration 0018, which gives SQLite tables that promise, keeps everything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from netcli import migrations

TABLES = ("contact", "interaction", "goal", "event", "community")


def test_an_unlogged_id_is_never_given_again(cli):
    cli("add", "Lena Schmidt")
    first = cli.json("log", "lena", "--kind", "call")["id"]
    last = cli.json("log", "lena", "--kind", "call")["id"]
    cli("unlog", str(last))
    again = cli.json("log", "lena", "--kind", "message")["id"]
    assert again > last > first
    cli("unlog", str(last), code=1)  # from the shell's history: nothing, not the new one
    assert [i["id"] for i in cli.json("history", "--kind", "message")] == [again]


def test_deleted_contacts_events_and_communities_keep_their_ids(cli, tmp_path):
    cli("add", "Ana Lima")
    gone = cli.json("add", "Bo Chen")["id"]
    cli("rm", "bo", "--yes")
    assert cli.json("add", "Cy Diaz")["id"] > gone
    event = cli.json("event", "add", "Meetup", "--on", "today")["id"]
    cli("event", "rm", "meetup", "--yes")
    assert cli.json("event", "add", "Meetup", "--on", "today")["id"] > event
    community = cli.json("community", "add", "Rustaceans", "--kind", "forum")["id"]
    cli("community", "rm", "rustaceans", "--yes")
    assert cli.json("community", "add", "Rustaceans", "--kind", "forum")["id"] > community
    # imports pick their ids in bulk: past the largest ever too
    rows = tmp_path / "people.csv"
    rows.write_text("name\nDee Evans\n")
    latest = max(c["id"] for c in cli.json("list"))
    cli("rm", "cy", "--yes")
    cli("import", "csv", str(rows))
    assert cli.json("show", "dee")["id"] > latest
    history = tmp_path / "history.csv"
    history.write_text(f"date,kind,contacts,note,topics\n{_today()},call,Dee Evans,,\n")
    newest = cli.json("log", "dee")["id"]
    cli("unlog", str(newest))
    cli("import", "interactions", str(history))
    assert cli.json("history", "dee", "--kind", "call")[0]["id"] > newest


def _today() -> str:
    from datetime import date

    return date.today().isoformat()


def _schema(path: Path) -> dict:
    """What the rebuild must keep: rows, indexes, foreign keys, triggers and views."""
    with sqlite3.connect(path) as conn:
        kept: dict = {
            "objects": sorted(
                conn.execute(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view')"
                )
            )
        }
        for table in TABLES:
            kept[table] = conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            kept[f"{table} keys"] = sorted(
                conn.execute(f"PRAGMA foreign_key_list({table})").fetchall(), key=lambda k: k[3]
            )
            kept[f"{table} keys"] = [k[2:] for k in kept[f"{table} keys"]]
    return kept


def _assert_kept(before: dict, after: dict) -> None:
    """Everything `before` is still there after the upgrade to HEAD: later
    revisions may add indexes, tables and columns (at the end of a row)."""
    assert set(before["objects"]) <= set(after["objects"])
    for table in TABLES:
        assert [row[: len(old)] for row, old in zip(after[table], before[table], strict=True)] == before[table]
        assert after[f"{table} keys"] == before[f"{table} keys"]


@pytest.mark.sqlite_only
def test_the_migration_keeps_rows_indexes_keys_triggers_and_views(cli, tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    path = tmp_path / "old.db"
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # the database as the revision before 0018 leaves it, written as netcli writes it
        config.attributes["connection"] = conn
        command.upgrade(config, "0018-1")
        for sql in (
            "INSERT INTO community (id, name, name_key, kind) VALUES (1, 'Rustaceans', 'rustaceans', 'forum')",
            "INSERT INTO event (id, name, name_key, date, kind, online, community_id)"
            " VALUES (1, 'Meetup', 'meetup', '2026-01-04', 'meetup', 0, 1)",
            "INSERT INTO contact (id, name, name_key, tier, archived, met_at, met_event_id, met_community_id)"
            " VALUES (1, 'Ana Lima', 'ana lima', 'B', 0, 'Meetup', 1, NULL)",
            "INSERT INTO contact (id, name, name_key, tier, archived, introduced_by_id)"
            " VALUES (2, 'Bo Chen', 'bo chen', 'C', 0, 1)",
            "INSERT INTO contact_topic (contact_id, topic) VALUES (1, 'rust')",
            "INSERT INTO goal (id, title, status, created_on) VALUES (1, 'Ship a crate', 'active', '2026-01-01')",
            "INSERT INTO interaction (id, date, kind, note, goal_id) VALUES (1, '2026-01-05', 'call', 'crate plan', 1)",
            "INSERT INTO interaction (id, date, kind) VALUES (2, '2026-01-06', 'thanks')",
            "INSERT INTO participant (interaction_id, contact_id, date, kind) VALUES (1, 1, '2026-01-05', 'call')",
            "INSERT INTO participant (interaction_id, contact_id, date, kind) VALUES (1, 2, '2026-01-05', 'call')",
            "INSERT INTO interaction (id, date, kind) VALUES (3, '2026-01-07', 'message')",
            "DELETE FROM interaction WHERE id = 3",  # before 0018, the next interaction would be #3 again
        ):
            conn.exec_driver_sql(sql)
        assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'").scalar() == 0
    engine.dispose()
    old = str(path)
    before = _schema(path)
    assert cli.json("--db", old, "db", "check")["revision"] == migrations.HEAD
    _assert_kept(before, _schema(path))
    with sqlite3.connect(path) as conn:
        rebuilt = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'interaction'").fetchone()[0]
        assert "AUTOINCREMENT" in rebuilt
        assert dict(conn.execute("SELECT name, seq FROM sqlite_sequence")) == {
            "community": 1,
            "event": 1,
            "contact": 2,
            "goal": 1,
            "interaction": 2,
        }
    # the triggers still keep the search index and the statistics in step
    cli("--db", old, "log", "bo", "--kind", "help-received", "--note", "reviewed the borrow checker chapter")
    assert [r["kind"] for r in cli.json("--db", old, "search", "borrow")] == ["interaction"]
    assert cli.json("--db", old, "show", "bo")["last_contact"] == _today()
    assert [r["title"] for r in cli.json("--db", old, "search", "crate plan")] == [
        "2026-01-05 call with Ana Lima, Bo Chen"
    ]
    cli("--db", old, "unlog", "3")
    assert cli.json("--db", old, "log", "ana")["id"] == 4  # from here on, a deleted id stays gone
    cli("--db", old, "event", "rm", "meetup", "--yes")  # ON DELETE SET NULL, kept
    assert cli.json("--db", old, "show", "ana")["met_at"] == "Meetup"
