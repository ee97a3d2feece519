"""Where an interaction came from (`source`) and who wrote it (`direction`):
the JSON keys, `import` for imported rows, `manual` for rows from before
migration 0010 and older backups, and the mark `history` gives captured rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures"
KEYS = ["id", "date", "kind", "contacts", "note", "topics", "goal", "source", "direction"]


def _capture(kind: str, note: str | None, *, source: str, direction: str | None) -> int:
    """A captured row written through the store, as mail and calendar capture will."""
    from netcli import store
    from netcli.db import open_database, resolve, session_scope

    engine = open_database(resolve(None))
    try:
        with session_scope(engine, write=True) as session:
            ana = store.find_contact(session, who="ana")
            row = store.log_interaction(session, contacts=[ana], kind=kind, on=ana.met_on, note=note)
            row.source, row.direction = source, direction
            session.add(row)
            session.flush()
            return row.id
    finally:
        engine.dispose()


def test_every_interaction_object_ends_with_source_and_direction(cli: Cli):
    added = cli.json("add", "Ana", "--on", "2026-01-05")
    logged = cli.json("log", "ana", "--kind", "call", "--on", "2026-01-06", "--note", "hi")
    assert list(logged) == KEYS and (logged["source"], logged["direction"]) == ("manual", None)
    history = cli.json("history")
    assert [list(r) for r in history] == [KEYS, KEYS]
    assert {(r["kind"], r["source"], r["direction"]) for r in history} == {
        ("met", "manual", None),
        ("call", "manual", None),
    }
    timeline = cli.json("show", "ana")["timeline"]
    assert [(r["source"], r["direction"]) for r in timeline] == [("manual", None)] * 2
    assert added["id"] == cli.json("show", "ana")["id"]


def test_done_logs_a_manual_interaction(cli: Cli):
    cli("add", "Ana", "--tier", "A", "--on", "2025-01-05")
    nudge = cli.json("nudge")[0]
    logged = cli.json("done", nudge["id"])["logged"]
    assert list(logged) == KEYS and (logged["source"], logged["direction"]) == ("manual", None)


def test_imported_interactions_say_import(cli: Cli):
    for name in ("Grace Kim", "Jamal Wright"):
        cli("add", name, "--on", "2026-09-01")
    cli.json("import", "interactions", str(FIXTURES / "history.csv"), "--skip-bad")
    sources = {(r["kind"], r["source"]) for r in cli.json("history")}
    assert ("met", "manual") in sources and ("call", "import") in sources and ("meeting", "import") in sources
    assert {r["source"] for r in cli.json("history") if r["kind"] != "met"} == {"import"}


def test_history_marks_captured_rows_in_plain_ascii(cli: Cli):
    cli("add", "Ana", "--on", "2026-01-05")
    _capture("message", "Re: the talk", source="mail", direction="received")
    _capture("meeting", None, source="calendar", direction=None)
    _capture("call", "typed", source="import", direction=None)
    shown = cli("history").stdout
    assert "(mail) Re: the talk" in shown and "(calendar)" in shown
    assert "(import)" not in shown and "(manual)" not in shown
    assert shown.isascii() or "…" in shown  # the mark itself is ASCII
    rows = {r["kind"]: (r["source"], r["direction"]) for r in cli.json("history")}
    assert rows == {
        "met": ("manual", None),
        "message": ("mail", "received"),
        "meeting": ("calendar", None),
        "call": ("import", None),
    }


def test_backup_keeps_both_and_an_older_backup_restores_as_manual(cli: Cli, tmp_path):
    cli("add", "Ana", "--on", "2026-01-05")
    _capture("message", "Re: hi", source="mail", direction="sent")
    backup = json.loads(cli("export", "json").stdout)
    assert [(r["source"], r["direction"]) for r in backup["tables"]["interaction"]] == [
        ("manual", None),
        ("mail", "sent"),
    ]
    restored = str(tmp_path / "restored.db")
    whole = tmp_path / "whole.json"
    whole.write_text(json.dumps(backup))
    cli("--db", restored, "import", "json", str(whole))
    assert cli("--db", restored, "export", "json").stdout == cli("export", "json").stdout
    for row in backup["tables"]["interaction"]:  # as a backup written before 0010 holds them
        del row["source"], row["direction"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(backup))
    again = str(tmp_path / "again.db")
    cli("--db", again, "import", "json", str(older))
    assert [(r["source"], r["direction"]) for r in cli.json("--db", again, "history")] == [("manual", None)] * 2


def test_interactions_csv_keeps_its_columns(cli: Cli):
    cli("add", "Ana", "--on", "2026-01-05")
    _capture("message", "Re: hi", source="mail", direction="sent")
    lines = cli("export", "interactions").stdout.splitlines()
    assert lines[0] == "date,kind,contacts,note,topics" and len(lines) == 3


@pytest.mark.pg_empty
def test_migration_0010_makes_older_rows_manual(cli: Cli, database):
    from alembic import command
    from sqlalchemy import create_engine

    from netcli.db import resolve
    from test_db import _alembic_config

    engine = create_engine(resolve(database).url)
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0009")
        conn.exec_driver_sql(
            "INSERT INTO contact (id, name, name_key, tier, archived) VALUES (1, 'Ana Lima', 'ana lima', 'B', false)"
        )
        conn.exec_driver_sql("INSERT INTO interaction (id, date, kind, note) VALUES (1, '2026-01-05', 'call', 'hi')")
        conn.exec_driver_sql(
            "INSERT INTO participant (interaction_id, contact_id, date, kind) VALUES (1, 1, '2026-01-05', 'call')"
        )
    engine.dispose()
    rows = cli.json("history")
    assert [(r["id"], r["note"], r["source"], r["direction"]) for r in rows] == [(1, "hi", "manual", None)]
