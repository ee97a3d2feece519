"""The table of which module registers which command (`cli.app.COMMAND_MODULES`),
held to the registrations themselves, and each command run with only its own
modules loaded, as a fresh process runs it."""

import json
import subprocess
import sys

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


def test_a_command_loads_only_its_own_modules(tmp_path):
    code = (
        "import sys\n"
        "from netcli.cli import app\n"
        "try:\n"
        "    app(['--db', sys.argv[1], 'history', '--limit', '1'], prog_name='netcli')\n"
        "except SystemExit:\n"
        "    pass\n"
        "import json\n"
        "print(json.dumps([m for m in sys.modules if m.startswith('netcli.cli.')]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "n.db")], capture_output=True, text=True, check=True
    ).stdout
    loaded = {m.removeprefix("netcli.cli.") for m in json.loads(out.splitlines()[-1])}
    commands = {m for modules in COMMAND_MODULES.values() for m in modules}
    assert loaded & commands == {"log"}


def test_a_command_builds_only_itself_of_its_modules_commands(tmp_path):
    """`log` registers `log`, `unlog` and `history`: running `history` builds
    the parameters of `history` alone (building each is most of a start's work)."""
    code = (
        "import sys, json, typer.main\n"
        "built = []\n"
        "real = typer.main.get_command_from_info\n"
        "def spy(info, **kw):\n"
        "    command = real(info, **kw)\n"
        "    built.append(command.name)\n"
        "    return command\n"
        "typer.main.get_command_from_info = spy\n"
        "from netcli.cli import app\n"
        "try:\n"
        "    app(['--db', sys.argv[1], 'history', '--limit', '1'], prog_name='netcli')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(built))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "n.db")], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.splitlines()[-1]) == ["history"]


def test_the_morning_reads_compile_as_core_and_configure_no_mapper(tmp_path):
    """`nudge`, `list` and `report` over the demo's network (mentors, goals,
    events, communities, mail) read through Core statements alone (`store.rows.col`):
    one ORM statement would configure every mapper first, ~5% of a start."""
    import os

    db = str(tmp_path / "n.db")
    env = {**os.environ, "NETCLI_CONFIG": str(tmp_path / "config.toml")}
    subprocess.run([sys.executable, "-m", "netcli", "--db", db, "demo"], env=env, capture_output=True, check=True)
    code = (
        "import sys\n"
        "from netcli.cli import app\n"
        "for args in (['nudge'], ['nudge', '--json'], ['list', '--json'], ['list'], ['report', '--json']):\n"
        "    try:\n"
        "        app(['--db', sys.argv[1], *args], prog_name='netcli')\n"
        "    except SystemExit as done:\n"
        "        assert done.code in (0, None), (args, done.code)\n"
        "from netcli.models import Contact\n"
        "print('configured' if Contact.__mapper__.configured else 'not configured')\n"
    )
    out = subprocess.run([sys.executable, "-c", code, db], env=env, capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "not configured"


def test_a_write_in_a_fresh_process_leaves_no_statistics_dirty(tmp_path):
    """The statistics are refreshed before a write commits, whichever store
    modules the command loaded (a command that loads only its own modules
    once left them dirty, and every later read computed them live)."""
    import os
    import sqlite3

    db = tmp_path / "n.db"
    env = {**os.environ, "NETCLI_CONFIG": str(tmp_path / "config.toml"), "NETCLI_DB": str(db)}
    for args in (["add", "Ana Lima"], ["log", "Ana Lima", "--kind", "call"], ["edit", "Ana Lima", "--org", "Acme"]):
        subprocess.run([sys.executable, "-m", "netcli", *args], env=env, capture_output=True, check=True)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM stats_dirty").fetchone() == (0,), args
            assert conn.execute("SELECT interactions FROM contact_stats").fetchall() != [], args
