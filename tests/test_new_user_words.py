"""What a new user's trial read wrong (issue 16): each message as a person reads it."""

from __future__ import annotations

import shlex

import pytest
from typer.testing import CliRunner

from netcli.cli import app

pytestmark = pytest.mark.one_engine  # words a person reads, not queries


def test_words_found_wrong_in_a_new_users_trial(cli):
    cli("add", "Lee Wong")
    cli("add", "Lee Wong", "--force")
    same = cli("show", "Lee Wong", code=1).stderr
    assert same.rstrip().endswith("they share the name: use the #ID")
    assert cli("show", "lee", code=1).stderr.rstrip().endswith("use the full name or the #ID")

    said = cli("event", "add", "PyCon", "--on", "yesterday").stderr
    assert said.startswith("Added the event #1 'PyCon'")  # kind other: not "the other #1"

    cli("add", "Ana Lima", "--introduced-by", "#1")
    thank = next(n for n in cli.json("nudge", "--all") if n["rule"] == "thank")
    assert "(today)" in thank["reason"] and "0 days ago" not in thank["reason"]
    explained = cli("nudge", "--all", "--explain").stdout
    assert "=None" not in explained

    cli("community", "add", "Rust & Friends' Night", "--kind", "community")
    shown = cli("community", "show", "rust").stdout
    hint = shown[shown.index("netcli community join") :].split(",")[0]
    assert shlex.split(hint)[3] == "Rust & Friends' Night"


def test_help_states_each_default_once():
    page = CliRunner().invoke(app, ["snooze", "--help"], env={"COLUMNS": "200"}).stdout
    assert page.count("1w") == 1
