"""Everyday comfort: completion, dashboard, prompts, editor, plain output."""

from __future__ import annotations

import json
import stat
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import days_ago
from netcli import paths
from netcli.cli import complete, prompts

# words and flows that no engine changes: run on SQLite (the store's SQL is tried on
# PostgreSQL by the modules that exercise it: io, report, nudge, db, search, reliability...)
pytestmark = pytest.mark.one_engine


@pytest.mark.sqlite_only
def test_completion_of_names_goals_and_nudge_ids(cli):
    cli("add", "Ana Lima", "--tier", "A")
    cli("add", "Anabel Souza")
    cli("add", "Bo Ananias")
    cli("add", "José Núñez")
    cli("add", "Gone Ana")
    cli("archive", "gone ana")
    cli("goal", "add", "Learn Rust embedded")
    assert complete.contact_names(None, "an") == ["Ana Lima", "Anabel Souza", "Bo Ananias"]
    assert complete.contact_names(None, "nu") == ["José Núñez"]
    assert complete.contact_names(None, "100%_") == []
    assert complete.goal_titles(None, "rust") == ["Learn Rust embedded"]
    cli("log", "ana lima", "--kind", "help-received")
    shown = cli.json("nudge")
    ids = [nid for nid, _ in complete.nudge_ids("")]
    assert ids == [n["id"] for n in shown]
    assert stat.S_IMODE(paths.nudge_cache().stat().st_mode) == 0o600
    assert complete.nudge_ids(ids[0][:3])[0][0] == ids[0]


@pytest.mark.sqlite_only
def test_completion_through_the_shell_protocol(cli):
    cli("add", "Ana Lima")
    cli("add", "Bo Chen")
    result = cli.runner.invoke(
        __import__("netcli.cli", fromlist=["app"]).app,
        [],
        prog_name="netcli",
        env={"_NETCLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "netcli show An"},
    )
    assert "Ana Lima" in result.stdout and "Bo Chen" not in result.stdout
    result = cli.runner.invoke(
        __import__("netcli.cli", fromlist=["app"]).app,
        [],
        prog_name="netcli",
        env={"_NETCLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "netcli log bo --kind he"},
    )
    assert "help-given" in result.stdout and "help-received" in result.stdout


def _complete(cli, shell: str, line: str) -> list[str]:
    from netcli.cli import app

    if shell == "bash":
        words = line.split(" ")
        env = {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env = {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = cli.runner.invoke(app, [], prog_name="netcli", env={"_NETCLI_COMPLETE": f"complete_{shell}", **env})
    return result.stdout.splitlines()


@pytest.mark.sqlite_only
def test_completion_inserts_one_usable_word_in_every_shell(cli):
    """A two-word name must complete to one shell word: bash inserts what it
    is given, so netcli quotes there (in the quote the user opened); zsh and
    fish quote what they insert. Case-, accent- and word-insensitive matches
    reach the shell (Typer's own case-sensitive prefix filter would drop them)."""
    import shlex

    cli("add", "Marta Silva")
    cli("add", "Helen O'Brien")
    cli("add", "José Núñez")
    assert _complete(cli, "bash", "netcli show mar") == ["'Marta Silva'"]
    assert _complete(cli, "bash", "netcli show hel") == ['"Helen O\'Brien"']
    assert _complete(cli, "bash", "netcli show 'Hel") == ["'Helen O'\\''Brien'"]
    assert _complete(cli, "bash", 'netcli show "Hel') == ['"Helen O\'Brien"']
    assert _complete(cli, "bash", "netcli show nu") == ["'José Núñez'"]
    for word in ("'Marta Silva'", "'Helen O'\\''Brien'", '"Helen O\'Brien"'):
        assert len(shlex.split(f"netcli show {word}")) == 3
    assert _complete(cli, "fish", "netcli show nu") == ["José Núñez"]
    assert "Marta Silva" in _complete(cli, "zsh", "netcli show mar")[0]
    # zsh evaluates the line: a quote inside its single-quoted list is '\'' (Typer wrote '')
    assert _complete(cli, "zsh", "netcli show Hel") == ["_arguments '*: :((\"Helen O'\\''Brien\"))'"]


def test_completion_does_not_load_the_orm(tmp_path):
    import subprocess

    code = (
        "import os, sys\n"
        "os.environ['_NETCLI_COMPLETE'] = 'complete_zsh'\n"
        "os.environ['_TYPER_COMPLETE_ARGS'] = 'netcli show an'\n"
        "sys.argv = ['netcli']\n"
        "from netcli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY:' + ','.join(m for m in ('sqlalchemy', 'sqlmodel') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_dashboard(cli):
    empty = cli()
    assert "No one in your network yet" in empty.stdout and "netcli demo" in empty.stdout
    cli("demo")
    text = cli().stdout
    assert "30 people" in text and "overdue" in text and "thank-yous owed" in text and "goals active" in text
    assert "Next mentor session: Dana Novak" in text
    first = cli.json("nudge")[0]
    assert first["id"] in text and first["action"] in text
    assert "netcli --help" in text
    assert "nudge" in cli("--help").stdout and "mentor" in cli("--help").stdout


def test_add_asks_on_a_terminal_and_never_otherwise(cli, monkeypatch):
    result = cli("add", code=2)
    assert "needs a NAME" in result.stderr
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    answers = "\n".join(
        ["Rafa Costa", "event", "PyData Lisbon", "blursday", "yesterday", "B", "python, data", "", "Great talk"]
    )
    result = cli("add", "--json", input=answers + "\n")
    contact = json.loads(result.stdout)
    assert contact["name"] == "Rafa Costa" and contact["via"] == "event" and contact["tier"] == "B"
    assert contact["met_at"] == "PyData Lisbon" and contact["topics"] == ["data", "python"]
    assert contact["note"] == "Great talk" and contact["met_on"] == days_ago(1)
    assert "cannot read the date 'blursday'" in result.stderr


def test_long_notes_from_stdin_or_the_editor(cli, monkeypatch, tmp_path):
    cli("add", "Ana Lima")
    cli("log", "ana", "--note", "-", input="first line\nsecond line\n")
    assert cli.json("history", "ana", "--limit", "1")[0]["note"] == "first line\nsecond line"
    editor = tmp_path / "fake-editor"
    editor.write_text("#!/bin/sh\nprintf 'from the editor\\n# dropped comment\\n' >> \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    cli("log", "ana", "--edit", code=2)  # no terminal: no editor
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    cli("log", "ana", "--edit", "--kind", "call")
    assert cli.json("history", "ana", "--limit", "1")[0]["note"] == "from the editor"
    cli("edit", "ana", "--edit")
    assert cli.json("show", "ana")["note"] == "from the editor"
    monkeypatch.setenv("EDITOR", "false")
    assert "nothing was saved" in cli("log", "ana", "--edit", code=1).stderr


def test_piped_output_is_plain(cli):
    cli("demo")
    for args in (["list"], ["history", "--limit", "50"], ["nudge"], ["show", "ana"], ["report"], []):
        out = cli(*args).stdout
        assert "\x1b[" not in out, args
    plain = cli("nudge", "--plain", "--all").stdout.strip().splitlines()
    assert all(" " in line and ": " in line for line in plain)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_a_shell_word_reads_back_as_itself(text):
    import shlex

    from netcli.names import shell_word

    assert shlex.split(shell_word(text)) == [text]


def test_suggested_commands_can_be_pasted(cli):
    """Every command an error or hint suggests quotes the names in it."""
    import shlex

    cli("mentor", "add", "Helen O'Brien")
    error = cli("mentor", "meet", "helen", "--answered", "4", code=1).stderr
    assert 'netcli mentor prep "Helen O\'Brien" lists them' in error
    hint = cli("mentor", "prep", "helen").stdout
    suggested = hint[hint.index("netcli mentor ask") :].splitlines()[0]
    assert shlex.split(suggested)[:4] == ["netcli", "mentor", "ask", "Helen O'Brien"]
    cli("event", "add", "Rust & Friends' Night", "--on", "yesterday")
    shown = cli("event", "show", "rust").stdout
    line = shown[shown.index("netcli add") :].splitlines()[0]
    assert shlex.split(line)[-1] == "Rust & Friends' Night"
