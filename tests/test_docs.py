"""Every command has a purpose line and examples; the README's commands are real."""

from __future__ import annotations

import re
import shutil
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
            args = shlex.split(line[len("$ netcli ") :])
            if args[0] in ("demo", "rm", "merge", "done", "snooze", "dismiss"):
                continue
            if (
                args[0] == "remind" and args[1] != "status"
            ):  # the user's scheduler: tests/test_remind.py, in a HOME of its own
                continue
            if args[0] == "capture":  # the user's own files: the test's calendars and mail stand in for them
                files = str(README.parent / "tests" / "fixtures" / args[1])
                args = shlex.split(line[len("$ netcli ") :], comments=True)
                args = [files if a.startswith(("~", "/")) else a for a in args]
            if args[0] == "sync" or (
                args[:2] == ["config", "set"] and args[2].startswith("sync.")
            ):  # the user's folders
                book = tmp_path / "vdir"
                if not book.exists():
                    shutil.copytree(README.parent / "tests" / "fixtures" / "vdir", book)
                args = [str(book) if a.startswith(("~", "/")) else a for a in args]
            cli(*args)


PYTHON_WORDS = re.compile(
    r"<(str|bool|int|float|path|list\[[^>]*\])[^>]*>|\blist\[|x>=|x<=|Value error|Input should be"
)


def test_help_reads_like_a_man_page():
    """No help page shows Python types: values are TEXT, WHEN, N, FILE, KIND…,
    flags show nothing, choices appear as they are typed (tiers upper-case)."""
    from typer.testing import CliRunner

    runner = CliRunner()
    offenders = {}
    for path, _ in [([], None), *_commands()]:
        page = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"}).stdout
        if PYTHON_WORDS.search(page):
            offenders[" ".join(path)] = PYTHON_WORDS.findall(page)
    assert offenders == {}
    add = runner.invoke(app, ["add", "--help"], env={"COLUMNS": "200"}).stdout
    assert re.search(r"--tier\s+A\|B\|C\|D", add)
    assert re.search(r"--via\s+CHANNEL\s+How you met: one of forum, social", add)
    assert re.search(r"--email\s+TEXT", add) and re.search(r"--force\s+Add even", add)
    nudge = runner.invoke(app, ["nudge", "--help"], env={"COLUMNS": "200"}).stdout
    assert re.search(r"--limit\s+N\s+Show at most N \(default 10; at least 1\)\.", nudge)


def test_usage_errors_are_one_plain_line(cli):
    cases = {
        ("log", "ana", "--kind", "coffee"): "error: --kind: 'coffee' is not one of met, message, call,",
        ("list", "--tier", "x"): "error: --tier: 'x' is not one of A, B, C, D (see 'netcli list --help')",
        ("nudge", "--limit", "0"): "error: --limit: 0 is too small: at least 1 (see 'netcli nudge --help')",
        ("nudge", "--limit", "many"): "error: --limit: 'many' is not a whole number",
        ("--bogus",): "error: No such option: --bogus (see 'netcli --help')",
        ("show",): "error: Missing argument 'WHO' (see 'netcli show --help')",
        ("import", "pdf", "x.pdf"): "error: KIND: 'pdf' is not one of vcard, linkedin, csv, interactions, json",
    }
    for args, start in cases.items():
        stderr = cli(*args, code=2).stderr
        assert stderr.startswith(start), stderr
        assert stderr.count("\n") == 1 and "Traceback" not in stderr and "╭" not in stderr


def test_a_group_without_its_command_shows_its_help_and_no_empty_error(cli):
    for group in ("sync", "capture", "mentor", "remind"):
        result = cli(group, code=2)
        assert "Commands" in result.stdout and result.stderr == "", group
