"""Every command has a purpose line and examples; the README's commands are real."""

from __future__ import annotations

import re
from pathlib import Path

from netcli.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands():
    import typer.main

    root = typer.main.get_command(app)

    def walk(group, prefix):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])
            else:
                yield [*prefix, name], command

    return list(walk(root, []))


def test_every_command_has_a_purpose_and_examples():
    missing = []
    for path, command in _commands():
        lines = (command.help or "").strip().splitlines()
        examples = [line for line in lines if re.match(r"\s+([A-Z_]+=.* )?netcli ", line)]
        if not lines or not lines[0].strip().endswith(".") or len(examples) < 2:
            missing.append(" ".join(path))
    assert missing == []


def test_readme_starts_with_the_two_commands():
    text = README.read_text()
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, re.S)
    assert "netcli demo" in blocks[0] and "netcli nudge" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (README.parent / ".ci" / "run").read_text()
    assert blocks[1].strip() in ci


def test_readme_tour_commands_run(cli, tmp_path, monkeypatch):
    """Each `$ netcli ...` line of the README's tour runs without error."""
    import shlex

    monkeypatch.chdir(tmp_path)  # the tour writes report files
    cli("demo")
    for line in README.read_text().splitlines():
        if line.startswith("$ netcli "):
            args = shlex.split(line[len("$ netcli "):])
            if args[0] in ("demo", "rm", "merge", "done", "snooze", "dismiss"):
                continue
            cli(*args)
