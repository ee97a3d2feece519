"""Bad input: one clear line, the right exit code, and the data untouched."""

from __future__ import annotations

import os
import sqlite3

import pytest

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine


def dump() -> dict:
    """Every row of every table, on SQLite or PostgreSQL."""
    from sqlalchemy import select
    from sqlmodel import Session, SQLModel

    from netcli.db import open_database, resolve

    engine = open_database(resolve(os.environ["NETCLI_DB"]))
    try:
        with Session(engine) as session:
            return {
                t.name: [tuple(r) for r in session.connection().execute(select(t).order_by(*t.primary_key.columns))]
                for t in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def seeded(cli):
    cli("add", "Ana Lima", "--email", "ana@example.org")
    cli("add", "Ana Souza")
    cli("add", "Bo Chen", "--tag", "x")
    cli("log", "bo", "ana lima", "--kind", "call")
    return cli


BAD = [
    (["show", "nobody"], 1),
    (["show", "ana"], 1),
    (["show", ""], 2),
    (["add", ""], 2),
    (["add", "   "], 2),
    (["add", "Bo Chen"], 1),
    (["add", "Someone", "--email", "ANA@example.org"], 1),
    (["add", "Someone", "--email", "not-an-email"], 2),
    (["add", "Someone", "--on", "the day after"], 2),
    (["add", "Someone", "--on", "2026-02-30"], 2),
    (["add", "Someone", "--every", "fortnightly"], 2),
    (["add", "Someone", "--every", "0d"], 2),
    (["add", "Someone", "--tier", "Z"], 2),
    (["add", "Someone", "--via", "pigeon"], 2),
    (["add", "Someone", "--introduced-by", "nobody"], 1),
    (["add", "Someone", "--note", "x" * 100_000], 2),
    (["add", "x" * 300], 2),
    (["log", "bo", "nobody"], 1),
    (["log", "bo", "--kind", "hug"], 2),
    (["log", "bo", "--on", "someday"], 2),
    (["log", "bo", "--note", "y" * 100_000], 2),
    (["edit", "bo", "--name", "ana lima"], 1),
    (["edit", "bo", "--email", "ana@example.org"], 1),
    (["edit", "bo", "--introduced-by", "bo"], 1),
    (["edit", "bo", "--every", "sometimes"], 2),
    (["history", "--since", "whenever"], 2),
    (["history", "--limit", "0"], 2),
    (["unlog", "999"], 1),
    (["unlog", "abc"], 2),
    (["rm", "bo"], 2),
    (["merge", "bo", "bo chen", "--yes"], 1),
    (["list", "--sort", "age"], 2),
    (["list", "--as-of", "later"], 2),
    (["nudge", "--rule", "hug"], 2),
    (["done", "zzzzzzz"], 1),
    (["snooze", "zzzzzzz", "--for", "forever"], 2),
    (["frobnicate"], 2),
    (["add", "Someone", "--bogus"], 2),
]


@pytest.mark.parametrize("args,code", BAD, ids=[" ".join(a)[:40] for a, _ in BAD])
def test_bad_input_is_one_clean_error_and_changes_nothing(seeded, args, code):
    before = dump()
    result = seeded(*args, code=code)
    assert result.stdout.strip() == "" or code == 2
    if code == 1:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert dump() == before


@pytest.mark.parametrize(
    "name",
    ["Zoë Ångström", "🦀 Crab Person", 'O\'Brien "Bob"', "Robert'); DROP TABLE contact;--", "名前 テスト"],
)
def test_unusual_names_are_stored_verbatim(cli, name):
    c = cli.json("add", name)
    assert c["name"] == name
    assert cli.json("show", name)["name"] == name
    assert [x["name"] for x in cli.json("list")] == [name]


@pytest.mark.sqlite_only
def test_database_in_unwritable_place(cli, tmp_path, monkeypatch):
    from netcli import paths

    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = cli("--db", str(blocker / "sub" / "n.db"), "add", "Ana", code=1)
    assert r.stderr.startswith("error: the folder") and "does not exist" in r.stderr  # a named path: never made
    monkeypatch.delenv("NETCLI_DB")
    monkeypatch.setattr(paths, "default_database", lambda: blocker / "sub" / "n.db")  # the default: made, if it can be
    r = cli("add", "Ana", code=1)
    assert r.stderr.startswith("error: cannot create the database")
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.sqlite_only
def test_file_that_is_not_a_database(cli, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is a shopping list, not a database\n" * 50)
    before = junk.read_bytes()
    r = cli("--db", str(junk), "list", code=1)
    assert "not a readable netcli database" in r.stderr
    assert junk.read_bytes() == before


@pytest.mark.sqlite_only
def test_empty_file_and_foreign_sqlite(cli, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    os.utime(empty, (1_700_000_000, 1_700_000_000))  # not one another netcli is creating right now
    r = cli("--db", str(empty), "list", code=1)
    assert "empty file" in r.stderr and empty.stat().st_size == 0
    foreign = tmp_path / "other.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()
    before = foreign.read_bytes()
    r = cli("--db", str(foreign), "add", "Ana", code=1)
    assert "another program" in r.stderr
    assert foreign.read_bytes() == before


@pytest.mark.sqlite_only
def test_database_from_a_newer_netcli(cli, tmp_path):
    cli("add", "Ana")
    connection = sqlite3.connect(os.environ["NETCLI_DB"])
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    r = cli("list", code=1)
    assert "newer netcli" in r.stderr


def test_unexpected_errors_do_not_show_a_traceback(cli, monkeypatch):
    from netcli import store

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(store, "iter_contacts", boom)
    r = cli("list", code=1)
    assert "unexpected RuntimeError" in r.stderr and "NETCLI_DEBUG" in r.stderr


@pytest.mark.one_engine
@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"])
def test_an_in_memory_database_is_refused_before_anything_is_written(cli, url):
    """Each command opens its own connection: an in-memory database would be
    empty each time (it printed half a JSON array, then 'no such table')."""
    result = cli("--db", url, "list", "--json", code=2)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "in-memory" in result.stderr and "give a file" in result.stderr


@pytest.mark.one_engine
def test_a_bad_cell_in_an_import_is_named_by_its_column_not_an_option(cli, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("name,email\nBad Mail,nope\n")
    result = cli("import", "csv", str(people), code=1)
    assert "line 2: email 'nope' is not an email address" in result.stderr and "--email" not in result.stderr
