"""With `--json`, stdout holds one JSON document and nothing else, on every
command that takes it, with every flag it takes (`--dry-run` and the rest):
the commands are found by walking the Typer app, so a new one, or a new
flag, fails here until it is given arguments below."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer.main

from conftest import Cli

pytestmark = pytest.mark.one_engine
FIXTURES = Path(__file__).parent / "fixtures"

# flags not run here, and why (each is a command's own test's business)
NOT_RUN = {
    "--edit": "opens $EDITOR",
    "--notify": "sends a desktop notification",
    "--always": "only changes when --brief prints",
}
# a flag that takes no --json: a usage error, and stdout stays empty
REFUSED = {("nudge", "--brief")}


def _json_commands() -> dict[str, set[str]]:
    """Every command taking --json (as `capture mail`) -> its flags."""
    from netcli.cli import app

    found: dict[str, set[str]] = {}

    def walk(command: Any, path: list[str]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
            return
        options = [p for p in command.params if p.param_type_name == "option"]
        if any("--json" in o.opts for o in options):
            flags = {o.opts[0] for o in options if getattr(o, "is_flag", False)} - {"--json", "--help"}
            found[" ".join(path)] = flags

    walk(typer.main.get_command(app), [])
    return found


def test_every_json_command_with_every_flag_prints_one_document(cli: Cli, tmp_path: Path):
    cli("demo")
    cli("config", "set", "me.emails", "ann@example.org, ann.lee@work.example")
    cli("add", "Dana Wu", "--email", "dana@example.org", "--email", "dana.wu@example.org")
    mail = shutil.copyfile(FIXTURES / "mail" / "mutt.mbox", tmp_path / "mutt.mbox")
    ics = shutil.copyfile(FIXTURES / "calendar" / "google.ics", tmp_path / "google.ics")
    linkedin = shutil.copytree(FIXTURES / "chat" / "linkedin", tmp_path / "linkedin")
    chat = shutil.copyfile(FIXTURES / "chat" / "whatsapp" / "_chat.txt", tmp_path / "_chat.txt")
    table = tmp_path / "people.csv"
    table.write_text("name,email\nJo Import,jo@example.org\n")
    vdir = tmp_path / "vdir"
    vdir.mkdir()
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    ids = [n["id"] for n in cli.json("nudge", "--all")]
    assert len(ids) >= 3
    logged = cli.json("log", "ana", "--kind", "call", "--note", "about JSON")
    interaction = str(logged["id"] if isinstance(logged, dict) else logged[0]["id"])
    cli("add", "Zed Other", "--email", "zed.other@example.org")

    # command -> (its arguments, the flag sets it is also run with), in an order that works on one database
    runs: dict[str, tuple[list[str], list[list[str]]]] = {
        "add": (["Zed Json"], [["--force"]]),
        "list": ([], [["--overdue"], ["--archived"]]),
        "show": (["ana"], []),
        "edit": (["zed json", "--tier", "B"], []),
        "merge": (["Zed Json", "Zed Other", "--yes"], []),
        "who": (["rust"], []),
        "import": (["csv", str(table)], [["--dry-run"], ["--skip-bad"]]),
        "search": (["rust"], []),
        "log": (["bo", "--kind", "message"], []),
        "history": ([], [["--full"]]),
        "unlog": ([interaction], []),
        "nudge": ([], [["--all"], ["--explain"], ["--plain"], ["--brief"]]),
        "done": ([ids[0]], []),
        "snooze": ([ids[1]], []),
        "dismiss": ([ids[2]], []),
        "report": ([], []),
        "capture calendar": ([str(ics)], [["--dry-run"]]),
        "capture mail": ([str(mail)], [["--dry-run"], ["--dry-run", "--lists"], ["--lists"]]),
        "capture chat": ([str(chat)], [["--dry-run"], ["--groups"]]),
        "capture linkedin": ([str(linkedin)], [["--dry-run"]]),
        "community add": (["Json Club", "--kind", "community"], [["--force"]]),
        "community list": ([], []),
        "community show": (["json club"], []),
        "community edit": (["json club", "--kind", "forum"], []),
        "community join": (["json club", "ana"], []),
        "event add": (["Json Conf", "--on", "in 2 weeks"], [["--online"], ["--force"]]),
        "event list": ([], [["--upcoming"]]),
        "event show": (["json conf"], []),
        "event edit": (["json conf", "--kind", "meetup"], [["--online"]]),
        "db check": ([], []),
        "db copy": (["--to", str(tmp_path / "copy.db")], []),
        "config show": ([], []),
        "goal add": (["Ship the JSON test"], []),
        "goal list": ([], [["--all"]]),
        "goal show": (["json"], []),
        "goal progress": (["json", "--note", "walked every command"], []),
        "mentor add": (["bo"], [["--prospect"]]),
        "mentor list": ([], []),
        "mentor ask": (["bo", "How do you review?"], []),
        "mentor prep": (["bo"], []),
        "mentor meet": (["bo"], []),
        "sync vdir": ([str(vdir)], [["--dry-run"], ["--delete"]]),
        "sync tasks": ([str(tasks)], [["--dry-run"]]),
    }
    commands = _json_commands()
    assert set(runs) == set(commands), "give every command taking --json its arguments here"
    for name, flags in commands.items():
        covered = {flag for extra in runs[name][1] for flag in extra} | set(runs[name][0])
        assert flags - covered - set(NOT_RUN) == set(), f"run {name} with {sorted(flags - covered - set(NOT_RUN))}"

    names = {"add": 0, "community add": 0, "event add": 0, "mentor add": 0}
    for name, (args, flag_sets) in runs.items():
        for extra in [*flag_sets, []]:  # a dry run first, while it has something to do
            words = list(args)
            if name in names and extra:  # a second one of a kind: another name
                names[name] += 1
                words[0] = "cy" if name == "mentor add" else f"{words[0]} {names[name]}"
            refused = any((name, flag) in REFUSED for flag in extra)
            result = cli(*name.split(), *words, *extra, "--json", code=2 if refused else 0)
            if refused:
                assert result.stdout == ""
                continue
            try:
                json.loads(result.stdout)
            except ValueError:
                pytest.fail(
                    f"netcli {name} {' '.join(extra)} --json: stdout is not one JSON document:\n{result.stdout}"
                )
