"""Nudge commands: nudge (and its --brief line), done, snooze, dismiss."""

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from netcli.cli import complete
from netcli.cli import options as opt
from netcli.cli.app import app
from netcli.cli.common import pipeline
from netcli.cli.state import state
from netcli.cli.values import parse_span, resolve_today
from netcli.documents import act_on_nudge
from netcli.rules import RULES

if TYPE_CHECKING:
    from netcli.rules import Nudge

NudgeId = Annotated[
    str,
    typer.Argument(metavar="ID", help="The nudge's id, as 'netcli nudge' shows it.", autocompletion=complete.nudge_ids),
]


@app.command(rich_help_panel="Nudges")
def nudge(
    as_of: opt.AsOf = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Show at most N (default 10).")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every nudge.")] = False,
    rule: Annotated[
        str | None,
        typer.Option(
            "--rule", metavar="RULE", help=f"Only this rule: {', '.join(RULES)}.", autocompletion=complete.rule_names
        ),
    ] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show each rule's inputs and thresholds.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="One plain line per nudge (for cron mail).")] = False,
    brief: Annotated[
        bool,
        typer.Option(
            "--brief", help="One line for your shell's startup file, once a day; nothing when nothing is due."
        ),
    ] = False,
    always: Annotated[
        bool, typer.Option("--always", help="With --brief: print the line even if it was today.")
    ] = False,
    notify: Annotated[
        bool, typer.Option("--notify", help="A desktop notification with the top three (else the --brief line).")
    ] = False,
    json_out: opt.JsonOut = False,
) -> None:
    """What to do for your network today, most important first, each with its reason.

    Examples:
      netcli nudge
      netcli nudge --rule thank --explain
      netcli nudge --as-of "next friday" --json
      netcli nudge --brief        # in ~/.bashrc, ~/.zshrc or fish's config.fish
    """
    from netcli import render, rules
    from netcli.db import session_scope
    from netcli.errors import UsageError
    from netcli.render.nudges import nudge_lines, nudge_table

    if rule is not None and rule not in RULES:
        raise UsageError(f"--rule: unknown rule '{rule}'; choose one of {', '.join(RULES)}")
    today = resolve_today(as_of)
    if notify:
        _notify(today)
        return
    if brief or always:
        views = {"--all": show_all, "--rule": rule, "--explain": explain, "--plain": plain, "--json": json_out}
        given = [name for name, on in views.items() if on] + (["--limit"] if limit else [])
        if not brief:
            raise UsageError("--always goes with --brief: netcli nudge --brief --always")
        if given:
            raise UsageError(f"--brief prints one line and takes no {', '.join(given)}: drop it")
        _brief(today, always=always)
        return
    cap = None if show_all else (limit or state().config().nudge["limit"])
    with session_scope(state().engine()) as session:
        nudges = pipeline(session, today=today)
        # everyone is ranked without their topics; only what is shown is worded with them
        found = nudges.open(nudges.fire(nudges.gather(topics=cap is None)))
        others = len(found)
        if rule is not None:
            found = [n for n in found if n.rule == rule]
        others -= len(found)
        ranked = rules.order(found, limit=None if cap is None else max(cap, complete.REMEMBERED_NUDGES))
        if cap is not None:
            ranked = nudges.word(ranked)
    shown = ranked if cap is None else ranked[:cap]
    if as_of is None:
        complete.remember_nudges([(n.id, n.action) for n in ranked[: complete.REMEMBERED_NUDGES]])
    hidden = len(found) - len(shown)
    if json_out:
        rows = [n.as_dict() | ({"inputs": n.inputs} if explain else {}) for n in shown]
        render.emit_json(rows)
        return
    if plain:
        nudge_lines(shown)
    elif shown:
        nudge_table(shown, today=today, explain=explain)
    elif rule is not None and not state().config().enabled.get(rule, True):
        render.message(f"The {rule} rule is turned off: netcli config set enabled.{rule} true")
    elif others:  # the filter found nothing, the rest did
        when = "today" if as_of is None else f"as of {today.isoformat()}"
        render.message(
            f"No {rule} nudges {when}; {others} other nudge{'s' if others != 1 else ''}: netcli nudge"
            + (f" --as-of {today.isoformat()}" if as_of is not None else "")
        )
    else:
        render.message("Nothing to do today: your network is in good shape.")
    if hidden:
        render.message(f"... and {hidden} more (netcli nudge --all)")


def _notify(today: date) -> None:
    """The top three nudges as a desktop notification (notify-send, osascript); the brief line where there is none."""
    import shutil
    import subprocess
    import sys

    from netcli import brief, rules
    from netcli.cli.sync_tasks import refresh_quietly

    refresh_quietly(today)  # first: a task ticked on the phone is no nudge of this morning's
    total, top = _top(today, 3)
    if not total:
        return
    title = f"netcli: {total} today"
    body = "\n".join(n.action for n in top)
    sent = None
    if shutil.which("notify-send"):
        sent = subprocess.run(["notify-send", "--app-name=netcli", title, body], capture_output=True, check=False)
    elif sys.platform == "darwin" and shutil.which("osascript"):
        script = f"display notification {_quoted(body)} with title {_quoted(title)}"
        sent = subprocess.run(["osascript", "-e", script], capture_output=True, check=False)
    if sent is None or sent.returncode != 0:
        typer.echo(brief.line(total, [rules.brief_words(n) for n in top[:2]]))


def _top(today: date, n: int) -> "tuple[int, list[Nudge]]":
    """How many nudges are open today, and the first `n`, worded."""
    from netcli import rules
    from netcli.db import session_scope

    with session_scope(state().engine()) as session:
        nudges = pipeline(session, today=today)
        found = nudges.open(nudges.fire(nudges.gather(topics=False)))
        return len(found), nudges.word(rules.order(found, limit=n))


def _quoted(text: str) -> str:
    """A string as AppleScript reads it."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _brief(today: date, *, always: bool) -> None:
    """Work the brief line out, keep it beside the database with the key of
    the database's state once it is closed, and print it once a day."""
    from netcli import brief, rules
    from netcli.cli.state import config_path

    total, top = _top(today, 2)
    text = brief.line(total, [rules.brief_words(n) for n in top])
    location = state().location
    state().engine().dispose()  # the log checkpointed and closed: the files are as the next shell will find them
    path = brief.state_file(location.path, location.url)
    kept = brief.read_state(path)
    printed = kept.get("printed") if kept.get("day") == today.isoformat() else None
    key = brief.state_key(location.path, config_path())
    brief.show(path, {"line": text, "printed": printed}, key=key, day=today, always=always)


@app.command(rich_help_panel="Nudges")
def done(
    nudge_id: NudgeId,
    note: opt.Note = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Mark a nudge done; logs what it asked for (a thanks, a message, a session).

    Examples:
      netcli done 3fa92c1
      netcli done 3fa92c1 --note "sent a thank-you card"
    """
    from netcli import render
    from netcli.db import session_scope

    today = resolve_today(None)
    with session_scope(state().engine(), write=True) as session:
        result = act_on_nudge(
            session, nudge_id=nudge_id, action="done", today=today, config=state().config(), note=note
        )
    logged = result["logged"]
    said = f"Done: logged {logged['kind']} with {', '.join(logged['contacts'])} today." if logged else None
    render.emit(result, json_out=json_out, view=said or f"Done: {result['nudge']['action']}")


@app.command(rich_help_panel="Nudges")
def snooze(
    nudge_id: NudgeId,
    for_: Annotated[str, typer.Option("--for", metavar="SPAN", help="How long.")] = "1w",
    json_out: opt.JsonOut = False,
) -> None:
    """Hide a nudge for a while; it comes back when the time is up.

    Examples:
      netcli snooze 3fa92c1 --for 3d
      netcli snooze 3fa92c1    (one week)
    """
    from datetime import timedelta

    from netcli import render
    from netcli.db import session_scope

    days = parse_span(for_, option="--for")
    today = resolve_today(None)
    until = today + timedelta(days=days)
    with session_scope(state().engine(), write=True) as session:
        result = act_on_nudge(
            session, nudge_id=nudge_id, action="snooze", today=today, config=state().config(), until=until
        )
    render.emit(result, json_out=json_out, view=f"Snoozed until {until.isoformat()}: {result['nudge']['action']}")


@app.command(rich_help_panel="Nudges")
def dismiss(nudge_id: NudgeId, json_out: opt.JsonOut = False) -> None:
    """Dismiss a nudge for this cycle; it returns only when the facts change.

    Examples:
      netcli dismiss 3fa92c1
      netcli nudge --all    (to find the id)
    """
    from netcli import render
    from netcli.db import session_scope

    today = resolve_today(None)
    with session_scope(state().engine(), write=True) as session:
        result = act_on_nudge(session, nudge_id=nudge_id, action="dismiss", today=today, config=state().config())
    render.emit(result, json_out=json_out, view=f"Dismissed: {result['nudge']['action']}")
