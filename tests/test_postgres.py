"""PostgreSQL as the shared store: copying networks over and back, and the
errors a server can give. The rest of the suite runs on both engines."""

from __future__ import annotations

import pytest

# what a server database that netcli has never seen does (migrate on first use,
# refuse another program's tables) is the subject here
pytestmark = pytest.mark.pg_empty


@pytest.fixture
def server(database):
    if not database.startswith("postgresql"):
        pytest.skip("PostgreSQL-only")
    return database


def test_copy_sqlite_to_postgresql_and_back(cli, server, tmp_path):
    laptop = str(tmp_path / "laptop.db")
    cli("--db", laptop, "demo")
    cli("--db", laptop, "snooze", cli.json("--db", laptop, "nudge")[0]["id"])
    before = cli("--db", laptop, "export", "json").stdout
    result = cli.json("--db", laptop, "db", "copy", "--to", server)
    assert result["rows"]["contact"] == 30
    assert cli("--db", server, "export", "json").stdout == before
    assert cli.json("--db", server, "nudge", "--all") == cli.json("--db", laptop, "nudge", "--all")
    assert cli.json("--db", server, "report", "--month", "last") == cli.json(
        "--db", laptop, "report", "--month", "last"
    )
    back = str(tmp_path / "back.db")
    cli("--db", back, "db", "copy", "--from", server)
    assert cli("--db", back, "export", "json").stdout == before
    r = cli("--db", laptop, "db", "copy", "--to", server, code=1)
    assert "already holds data" in r.stderr
    assert cli("db", "copy", code=2).stderr


def test_new_rows_after_a_copy_get_fresh_ids(cli, server, tmp_path):
    laptop = str(tmp_path / "laptop.db")
    cli("--db", laptop, "demo")
    cli("--db", laptop, "db", "copy", "--to", server)
    added = cli.json("--db", server, "add", "Newcomer After Copy")
    assert added["id"] == 31
    assert cli.json("--db", server, "log", "newcomer", "--kind", "call")["id"] > 100


def test_server_errors_are_one_clear_line(cli, server):
    from sqlalchemy.engine import make_url

    url = make_url(server)
    missing = url.set(database="netcli_no_such_db").render_as_string(hide_password=False)
    r = cli("--db", missing, "list", code=1)
    assert "does not exist" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    unreachable = "postgresql+psycopg://me:hunter2@127.0.0.1:1/netcli"
    r = cli("--db", unreachable, "list", code=1)
    assert "cannot reach the database server" in r.stderr and "hunter2" not in r.stderr
    assert cli("--db", unreachable, "db", "path").stdout.strip() == "postgresql+psycopg://me:***@127.0.0.1:1/netcli"


def test_a_database_of_another_program(cli, server):
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id serial primary key, total numeric)")
    r = cli("list", code=1)
    assert "another program's tables" in r.stderr
