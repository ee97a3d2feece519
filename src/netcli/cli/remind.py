"""remind: the morning's nudges on a timer (systemd, cron or launchd)."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from netcli.cli.app import app
from netcli.cli.state import state
from netcli.remind import VIAS

remind_app = typer.Typer(
    help="Have `netcli nudge --notify` run each morning: a systemd user timer, else cron, else launchd.",
    no_args_is_help=True,
)
app.add_typer(remind_app, name="remind", rich_help_panel="Nudges")

Scheduler = Enum("Scheduler", {name: name for name in VIAS}, type=str)  # type: ignore[misc]

Via = Annotated[
    Scheduler | None,
    typer.Option(
        "--via",
        metavar="SCHEDULER",
        help="systemd, cron or launchd (default: the one your session has).",
        case_sensitive=False,
    ),
]


def _db() -> str:
    """The database to remind about: the one this command resolved, the
    default one too (the scheduler's environment may not place it alike)."""
    location = state().location
    return str(location.path) if location.path is not None else location.url


@remind_app.command("install")
def install(
    at: Annotated[str, typer.Option("--at", metavar="HH:MM", help="When, each day (24-hour clock).")] = "08:30",
    via: Via = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be written; write nothing.")] = False,
) -> None:
    """Run `netcli nudge --notify` each morning. Installing again changes nothing.

    Examples:
      netcli remind install
      netcli remind install --at 07:45 --dry-run
    """
    from netcli import remind, render
    from netcli.errors import Invalid, UsageError

    try:
        when = remind.parse_at(at)
    except Invalid as exc:
        raise UsageError(str(exc)) from None
    home = Path.home()
    chosen = remind.plan(
        remind.choose(via.value if via else None, home=home), at=when, run=remind.command(_db()), home=home
    )
    if dry_run:
        if chosen.cron_line is not None:
            render.line(f"would add to your crontab:\n{chosen.cron_line}")
        for path, text in chosen.files.items():
            render.line(f"would write {path}:\n{text}")
        return
    changed = remind.install(chosen)
    where = chosen.cron_line if chosen.cron_line is not None else ", ".join(map(str, chosen.files))
    render.message(f"{'installed' if changed else 'already installed'} ({chosen.via}): {where}")


@remind_app.command("status")
def status() -> None:
    """Say whether, and how, the morning reminder is installed.

    Examples:
      netcli remind status
      netcli --db ~/work-network.db remind status
    """
    from netcli import remind, render

    found = remind.status(home=Path.home())
    render.line("\n".join(found) if found else "not installed: netcli remind install")


@remind_app.command("remove")
def remove(via: Via = None) -> None:
    """Take the morning reminder away, leaving nothing behind.

    Examples:
      netcli remind remove
      netcli remind remove --via cron
    """
    from netcli import remind, render

    removed = [v for v in ([via.value] if via else remind.VIAS) if remind.remove(v, home=Path.home())]
    render.message(f"removed ({', '.join(removed)})" if removed else "nothing to remove: not installed")
