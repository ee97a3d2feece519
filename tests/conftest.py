"""Every test gets its own database and config file under tmp_path."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from netcli.cli import app, load_commands

load_commands()  # every command registered before any test builds the tree (tests walk all of it)

# Typer's CliRunner rebuilds the whole Click command tree from the Typer app on
# every invoke: 0.16 s, about 60% of an in-process command. A shell builds it
# once per process and Click commands keep no state between invocations, so
# every runner in the suite (including test_hostile's) reuses one build per app.
_built: dict[int, Any] = {}  # id(app) -> (app, command): holding the app keeps its id from being reused


def _command_built_once(typer_app: typer.Typer) -> Any:
    if id(typer_app) not in _built:
        _built[id(typer_app)] = (typer_app, typer.main.get_command(typer_app))
    return _built[id(typer_app)][1]


# a private name of typer.testing: fail loudly, not slowly, if a Typer release renames it
assert hasattr(typer.testing, "_get_command"), "typer.testing no longer has _get_command: update conftest"
typer.testing._get_command = _command_built_once  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # a file named by NETCLI_DB must be in a folder that exists (only the default location gets one made)
    monkeypatch.setenv("NETCLI_DB", str(tmp_path / "netcli.db"))
    monkeypatch.setenv("NETCLI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("NETCLI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("NETCLI_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # piped output honours COLUMNS (and pytest-xdist's workers set COLUMNS=80): a test asks for a width itself
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    return tmp_path


class Cli:
    """Runs netcli in-process, like a user at a shell would."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0, input: str | None = None):  # type: ignore[no-untyped-def]
        result = self.runner.invoke(app, list(args), input=input)
        assert "Traceback" not in result.output and "Traceback" not in result.stderr, result.stderr
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, (
            f"netcli {' '.join(args)} exited {result.exit_code}, wanted {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result

    def json(self, *args: str, code: int = 0) -> Any:
        result = self(*args, "--json", code=code)
        return json.loads(result.stdout)


def _server_url() -> str | None:
    return os.environ.get("NETCLI_TEST_PG") or None


def _admin_conninfo(admin: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(admin).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template() -> Any:
    """One PostgreSQL database per worker, migrated to head once, that each
    test's database is copied from: the migration took 0.2-0.4 s of every
    PostgreSQL test; CREATE DATABASE ... TEMPLATE costs what a plain CREATE did."""
    admin = _server_url()
    if admin is None:
        yield None
        return
    import psycopg
    from sqlalchemy.engine import make_url

    from netcli.db import open_database, resolve

    name = f"netcli_tmpl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_conninfo(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    # the CLI's own migrate-on-open, so the copies are what a first command leaves
    open_database(resolve(make_url(admin).set(database=name).render_as_string(hide_password=False))).dispose()
    yield name
    with psycopg.connect(_admin_conninfo(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One empty netcli database, made by the CLI's own migrate-on-open, that
    each SQLite test starts from: a command that only reads needs a database
    to be there (it never makes one), and a copy costs less than a migration."""
    from netcli.db import open_database, resolve

    path = tmp_path_factory.mktemp("template") / "netcli.db"
    open_database(resolve(str(path))).dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, monkeypatch: pytest.MonkeyPatch):
    """Every CLI test runs on SQLite and on a fresh PostgreSQL database, each
    empty and migrated already (a copy of a template), or, for tests marked
    pg_empty, a PostgreSQL database without netcli's tables yet."""
    if request.param == "sqlite":
        target = Path(os.environ["NETCLI_DB"])
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        target.chmod(0o600)
        yield str(target)
        return
    if request.node.get_closest_marker("sqlite_only"):
        pytest.skip("SQLite-file behaviour")
    if request.node.get_closest_marker("one_engine"):
        pytest.skip("words and flow that no engine changes: run on SQLite")
    admin = _server_url()
    if admin is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but NETCLI_TEST_PG is not set: .ci/run starts the PostgreSQL server")
        pytest.skip("no PostgreSQL server: set NETCLI_TEST_PG (as .ci/run does) to run these")
    import psycopg
    from sqlalchemy.engine import make_url

    template = None if request.node.get_closest_marker("pg_empty") else request.getfixturevalue("pg_template")
    name = f"netcli_test_{uuid.uuid4().hex[:12]}"
    conninfo = _admin_conninfo(admin)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    target = make_url(admin).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setenv("NETCLI_DB", target)
    yield target
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def cli(database) -> Cli:
    return Cli()


@pytest.fixture
def today() -> date:
    return date.today()


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()
