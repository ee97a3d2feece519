"""The table of which module registers which command (`cli.app.COMMAND_MODULES`),
held to the registrations themselves, and each command run with only its own
modules loaded, as a fresh process runs it."""

import json
import os
import subprocess
import sys

import pytest
from typer.main import get_command_name

from netcli.cli.app import COMMAND_MODULES, app


def _registered() -> dict[str, set[str]]:
    """name -> the modules whose functions it registers (a group: its commands' and callback's)."""
    found: dict[str, set[str]] = {}
    for command in app.registered_commands:
        assert command.callback is not None
        name = command.name or get_command_name(command.callback.__name__)
        found.setdefault(name, set()).add(command.callback.__module__)
    for group in app.registered_groups:
        assert group.name is not None and group.typer_instance is not None
        instance = group.typer_instance
        callbacks = [c.callback for c in instance.registered_commands]
        callbacks += [
            sub.typer_instance.registered_callback.callback
            for sub in instance.registered_groups
            if sub.typer_instance and sub.typer_instance.registered_callback
        ]
        found.setdefault(group.name, set()).update(f.__module__ for f in callbacks if f is not None)
    return found


def test_the_table_names_every_command_and_the_modules_that_register_it():
    registered = _registered()  # conftest loaded every command
    assert set(COMMAND_MODULES) == set(registered)
    for name, modules in COMMAND_MODULES.items():
        assert {f"netcli.cli.{m}" for m in modules} == registered[name], name


def _fresh_process(db: str, runs: list[list[str]], *, after: str, before: str = "", env=None) -> str:  # type: ignore[no-untyped-def]
    """The last line printed by a fresh Python process that runs `before`, then
    netcli with each of `runs` (each must succeed) on the database `db`, then `after`."""
    code = "\n".join(
        [
            "import json, sys",
            before,
            "from netcli.cli import app",
            f"for args in {runs!r}:",
            "    try:",
            "        app(['--db', sys.argv[1], *args], prog_name='netcli')",
            "    except SystemExit as done:",
            "        assert done.code in (0, None), (args, done.code)",
            after,
        ]
    )
    done = subprocess.run([sys.executable, "-c", code, db], env=env, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()[-1]


@pytest.fixture
def network(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A database of one person, made by another process."""
    db = str(tmp_path / "n.db")
    env = {**os.environ, "NETCLI_CONFIG": str(tmp_path / "config.toml")}
    subprocess.run(
        [sys.executable, "-m", "netcli", "--db", db, "add", "Ana Lima"], env=env, capture_output=True, check=True
    )
    return db


def test_a_command_loads_only_its_own_modules(network):
    out = _fresh_process(
        network,
        [["history", "--limit", "1"]],
        after="print(json.dumps([m for m in sys.modules if m.startswith('netcli.cli.')]))",
    )
    loaded = {m.removeprefix("netcli.cli.") for m in json.loads(out)}
    commands = {m for modules in COMMAND_MODULES.values() for m in modules}
    assert loaded & commands == {"log"}


def test_a_command_builds_only_itself_of_its_modules_commands(network):
    """`log` registers `log`, `unlog` and `history`: running `history` builds
    the parameters of `history` alone (building each is most of a start's work)."""
    spy = (
        "import typer.main\n"
        "built = []\n"
        "real = typer.main.get_command_from_info\n"
        "def spy(info, **kw):\n"
        "    command = real(info, **kw)\n"
        "    built.append(command.name)\n"
        "    return command\n"
        "typer.main.get_command_from_info = spy"
    )
    out = _fresh_process(network, [["history", "--limit", "1"]], before=spy, after="print(json.dumps(built))")
    assert json.loads(out) == ["history"]


def test_the_morning_reads_compile_as_core_and_configure_no_mapper(tmp_path):
    """`nudge`, `list` and `report` over the demo's network (mentors, goals,
    events, communities, mail) read through Core statements alone (`store.rows.col`):
    one ORM statement would configure every mapper first, ~5% of a start."""
    db = str(tmp_path / "n.db")
    env = {**os.environ, "NETCLI_CONFIG": str(tmp_path / "config.toml")}
    subprocess.run([sys.executable, "-m", "netcli", "--db", db, "demo"], env=env, capture_output=True, check=True)
    reads = [["nudge"], ["nudge", "--json"], ["list", "--json"], ["list"], ["report", "--json"]]
    configured = "from netcli.models import Contact\nprint(Contact.__mapper__.configured)"
    assert _fresh_process(db, reads, after=configured, env=env) == "False"


def test_a_write_in_a_fresh_process_leaves_no_statistics_dirty(tmp_path):
    """The statistics are refreshed before a write commits, whichever store
    modules the command loaded (a command that loads only its own modules
    once left them dirty, and every later read computed them live)."""
    import sqlite3

    db = tmp_path / "n.db"
    env = {**os.environ, "NETCLI_CONFIG": str(tmp_path / "config.toml"), "NETCLI_DB": str(db)}
    for args in (["add", "Ana Lima"], ["log", "Ana Lima", "--kind", "call"], ["edit", "Ana Lima", "--org", "Acme"]):
        subprocess.run([sys.executable, "-m", "netcli", *args], env=env, capture_output=True, check=True)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM stats_dirty").fetchone() == (0,), args
            assert conn.execute("SELECT interactions FROM contact_stats").fetchall() != [], args
