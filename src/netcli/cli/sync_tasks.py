"""`netcli sync tasks`: the nudges kept in step with a CalDAV task list, and
the quiet refresh `nudge --notify` runs each morning."""

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from netcli.cli import options as opt
from netcli.cli.state import state
from netcli.cli.sync import configured_folder, sync_app
from netcli.cli.values import resolve_today
from netcli.wording import count

EXAMPLE = "~/.calendars/tasks"


@sync_app.command("tasks")
def tasks(
    path: Annotated[
        str | None,
        typer.Argument(
            metavar="[PATH]",
            help="The folder of .ics tasks (one CalDAV task list); default: the config's sync.tasks.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List each change; write nothing.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most N nudges as tasks (default: nudge.limit, 10).")
    ] = None,
    json_out: opt.JsonOut = False,
) -> None:
    """Keep your nudges in step with a task list on your phone (CalDAV, vdirsyncer).

    Each of the first nudges (as 'netcli nudge' lists them) becomes a task:
    SUMMARY the action, DESCRIPTION the reason, DUE its day, PRIORITY its
    place. On the next sync, a task ticked there is done here on the day it
    was ticked (logging what 'netcli done' logs); a task deleted (or
    cancelled) there dismisses its nudge; a DUE moved later snoozes it to
    that day. A nudge that went away here has its task removed, unless the
    task was changed there since (then it is kept and listed). Tasks netcli
    did not write are never touched. Examples:
      netcli sync tasks ~/.calendars/tasks --dry-run
      netcli config set sync.tasks ~/.calendars/tasks && netcli sync tasks
    """
    from netcli import render
    from netcli.errors import UsageError

    folder = Path(path) if path else configured_folder("tasks")
    if folder is None:
        raise UsageError(f"give the folder of .ics tasks, or set one: netcli config set sync.tasks {EXAMPLE}")
    changes: list[tuple[str, str]] = []
    summary = refresh(
        folder,
        today=resolve_today(None),
        limit=limit,
        dry_run=dry_run,
        report=lambda what, who: changes.append((what, who)),
    )
    messages = []
    for what, who in changes:
        if what in ("kept", "unparsable"):
            messages.append(f"{what}: {who}")
        elif dry_run and json_out:  # the document lists them too: stdout holds it alone
            messages.append(f"would be {what}: {who}")
        elif dry_run:
            render.line(f"would be {what}: {who}")
        else:
            messages.append(f"{what}: {who}")
    messages.append(_summary_line(summary))
    for line in messages:
        render.message(line)
    if json_out:
        render.emit_json(summary)


def refresh(
    folder: Path, *, today: date, limit: int | None = None, dry_run: bool = False, report: Any = None
) -> dict[str, Any]:
    """One sync of the task list in `folder`, in one transaction; the files
    netcli took out of it are taken out once that transaction committed."""
    from netcli.cli.common import pipeline
    from netcli.db import session_scope
    from netcli.sync.task_list import remove_files, sync_tasks

    config = state().config()
    with session_scope(state().engine(), write=True) as session:
        outcome = sync_tasks(
            session,
            folder,
            nudges=pipeline(session, today=today),
            today=today,
            limit=limit or config.nudge["limit"],
            zone=config.zone(),
            dry_run=dry_run,
            report=report,
        )
        if dry_run:
            session.rollback()
    remove_files(outcome.removals)
    return outcome.summary


def refresh_quietly(today: date) -> None:
    """`nudge --notify`'s refresh of the task list of `[sync] tasks`, when one
    is set: silent when it works, one line on stderr when it cannot."""
    from netcli import render
    from netcli.errors import NetcliError

    folder = configured_folder("tasks")
    if folder is None:
        return
    try:
        refresh(folder, today=today)
    except NetcliError as exc:
        render.line(f"netcli: the task list was not refreshed: {exc.message}", to_stderr=True)
    except OSError as exc:  # the folder went away between its listing and a read: the notification still comes
        render.line(f"netcli: the task list was not refreshed: {exc.strerror or exc}", to_stderr=True)


def _summary_line(summary: dict[str, Any]) -> str:
    prefix = "dry run, nothing written: would have " if summary["dry_run"] else ""
    line = (
        f"{prefix}written {summary['written']:,}, completed {summary['completed']:,}, "
        f"dismissed {summary['dismissed']:,}, snoozed {summary['snoozed']:,}, removed {summary['removed']:,}"
    )
    tail = f"; {count(summary['kept'], 'task')} changed there kept" if summary["kept"] else ""
    if summary["unparsable"]:
        tail += f"; {count(summary['unparsable'], 'file')} netcli cannot read, left alone"
    return f"{line} ({count(summary['tasks'], 'task')} of netcli's in the list){tail}"
