"""Usage errors, walked over the whole command tree: an empty value and a
malformed value on every option and argument exit 2 naming it, before
anything is read or written; nothing to change is a usage error; the rule
(a value the command line could not mean is 2, data wrong or missing is 1)
on the cases a new user hit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from netcli.cli import app
from netcli.cli.manpage import choices_of
from netcli.cli.values import EMPTY_CLEARS

pytestmark = pytest.mark.one_engine

ROOT = typer.main.get_command(app)
# required options a command cannot be parsed without (their values are good ones)
REQUIRED = {
    ("event", "add"): ["--on", "today"],
    ("community", "add"): ["--kind", "forum"],
    ("goal", "progress"): ["--note", "x"],
}


def _commands(group: Any = ROOT, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def _takes_value(param: Any) -> bool:
    return param.expose_value and not getattr(param, "is_flag", False) and not getattr(param, "hidden", False)


def _label(param: Any) -> str:
    if param.param_type_name == "argument":
        return str(param.metavar or param.name.upper()).strip("[]")
    return next(o for o in param.opts if o.startswith("--"))


def _with(path: tuple[str, ...], command: Any, param: Any, value: str) -> list[str]:
    """The command line giving `param` the `value`, good values for what comes before it."""
    before: list[str] = []
    for other in command.params:
        if other is param:
            break
        if other.param_type_name == "argument":
            before.append((choices_of(other) or ["x"])[0])
    given = [value] if param.param_type_name == "argument" else [_label(param), value]
    required = REQUIRED.get(path, [])
    return [*path, *before, *given, *(required if required[:1] != given[:1] else [])]


PARAMS = [
    (path, command, param) for path, command in _commands() for param in command.params if _takes_value(param)
] + [((), ROOT, p) for p in ROOT.params if _takes_value(p)]


def test_an_empty_value_is_a_usage_error_naming_it(cli):
    """Every option and argument of every command (one test: a pytest case each costs more than the run)."""
    cli("add", "x")  # the few an empty value clears run against it, not a new database each
    wrong = []
    for path, command, param in PARAMS:
        args = _with(path, command, param, "") if path else ["--db", "", "list"]
        result = cli.runner.invoke(app, args)
        if param.name in EMPTY_CLEARS.get(path, frozenset()):
            refused = "the value is empty" in result.stderr  # it means something here: it clears the field
        else:
            refused = result.exit_code == 2 and result.stderr.startswith(f"error: {_label(param)}: the value is empty")
            refused = refused and result.stdout == ""
            refused = not refused
        if refused:
            wrong.append(f"netcli {' '.join(args)} -> {result.exit_code}: {result.stderr.strip()}")
    assert len(PARAMS) > 150 and wrong == []


def test_every_option_an_empty_value_clears_exists():
    known = {path: {p.name for p in command.params} for path, command in _commands()}
    for path, names in EMPTY_CLEARS.items():
        assert names <= known[path], (path, names - known[path])


def _malformed(path: tuple[str, ...], param: Any) -> str | None:
    """A value this option cannot mean, by what it takes; None for free text."""
    metavar = str(param.metavar or "")
    if choices_of(param):
        return "zzz"
    if getattr(param.callback, "__qualname__", "").startswith("cleaned_by") and "email" in param.name:
        return "not-an-email"
    for marker, bad in (
        ("WHEN", "the day after whenever"),
        ("SPAN", "fortnightly"),
        ("HH:MM", "noon"),
        ("YYYY-MM", "13th month"),
        ("N|all", "some"),
        ("RULE", "hug"),
    ):
        if marker in metavar:
            return bad
    if metavar == "N":
        return "many"
    return None


MALFORMED = [(path, command, param) for path, command, param in PARAMS if path and _malformed(path, param)]


@pytest.mark.one_engine
def test_a_malformed_value_is_a_usage_error_before_anything_is_read(isolated):
    wrong = []
    runner = CliRunner()  # no database made beforehand: none may be made
    for path, command, param in MALFORMED:
        args = _with(path, command, param, _malformed(path, param) or "")
        result = runner.invoke(app, args)
        if result.exit_code != 2 or _label(param) not in result.stderr or result.stdout:
            wrong.append(f"netcli {' '.join(args)} -> {result.exit_code}: {result.stderr.strip()}")
    assert len(MALFORMED) > 40 and wrong == []
    assert not (isolated / "netcli.db").exists()  # each was refused before the database was opened


NOT_MEANT = [
    ["remind", "install", "--via", "anacron"],
    ["add", "Someone", "--email", "not-an-email"],
    ["add", "Someone", "--birthday", "13-05"],
    ["history", "--since", "today", "--until", "yesterday"],
    ["log", "", "--kind", "call"],
    ["config", "set", "rules.thank_due_days", "three"],
    ["config", "set", "rules.no_such_key", "3"],
    ["log", "lena", "--on", ""],
    ["--db", "", "list"],
    ["edit", "lena", "--add-email", "lena@"],
    ["edit", "lena", "--name", "x" * 300],
    ["goal", "progress", "rust", "--note", "x", "--percent", "101"],
    ["mentor", "add", "lena", "--prospect", "--since", "yesterday"],
]


def test_what_the_command_line_could_not_mean_exits_2_and_changes_nothing(cli):
    cli("add", "Lena Schmidt", "--email", "lena@example.org")
    cli("goal", "add", "Learn Rust")
    before = cli.json("history"), cli.json("list"), cli.json("goal", "show", "rust"), cli.json("mentor", "list")
    for args in NOT_MEANT:
        result = cli(*args, code=2)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    assert (
        cli.json("history"),
        cli.json("list"),
        cli.json("goal", "show", "rust"),
        cli.json("mentor", "list"),
    ) == before


def test_merge_off_a_terminal_needs_yes_and_data_problems_stay_1(cli):
    cli("add", "Lena Schmidt")
    cli("add", "Lena S.")
    assert "--yes" in cli("merge", "lena schmidt", "lena s.", code=2).stderr
    assert "same contact" in cli("merge", "lena schmidt", "#1", code=1).stderr  # said before asking to confirm
    assert len(cli.json("list")) == 2
    cli("log", "nobody", code=1)  # no such contact: the data, not the command line
    cli("log", "lena schmidt", "--on", "tomorrow", code=1)  # a good date, in the future: wrong data


def test_an_empty_value_on_the_kept_brief_line_is_refused_too(cli, monkeypatch, tmp_path):
    """`--db "" nudge --brief` is not answered from NETCLI_DB's kept line."""
    from netcli import brief

    assert brief.split_db_option(["--db", "", "nudge", "--brief"]) == (None, ["--db", "", "nudge", "--brief"])
    assert brief.split_db_option(["--db=", "sync", "vdir"]) == (None, ["--db=", "sync", "vdir"])
    assert brief.split_db_option(["--db", "x.db", "nudge"]) == ("x.db", ["nudge"])
    cli("--db", "", "nudge", "--brief", code=2)


def test_nothing_to_change_is_a_usage_error_listing_the_options(cli):
    cli("add", "Lena Schmidt")
    cli("event", "add", "Meetup", "--on", "today")
    cli("community", "add", "Rustaceans", "--kind", "forum")
    for args, listed in (
        (["edit", "lena"], "--name, --email"),
        (["edit", "lena", "--json"], "--tier"),
        (["event", "edit", "meetup"], "--online/--offline"),
        (["community", "edit", "rustaceans"], "--kind, --url"),
    ):
        result = cli(*args, code=2)
        assert "nothing to change" in result.stderr and listed in result.stderr
        assert result.stdout == ""
    assert cli.json("edit", "lena", "--tier", "B")["tier"] == "B"


def test_a_missing_choice_names_what_is_missing_and_what_it_takes(cli):
    """A required option or argument with choices, left out: said missing, with
    its choices on the one line (not "None is not one of")."""
    kinds = "forum, social, community, course, association, workplace"
    for args, said in (
        (["community", "add", "Rust Learners"], f"error: Missing option '--kind': give one of {kinds}"),
        (["export"], "error: Missing argument 'KIND': give one of json, vcard, csv, interactions, ics"),
        (["import"], "error: Missing argument 'KIND': give one of vcard, linkedin, csv, interactions, json"),
    ):
        stderr = cli(*args, code=2).stderr
        assert stderr.startswith(said) and stderr.count("\n") == 1 and "None" not in stderr, stderr
