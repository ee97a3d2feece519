"""The root callback: the options before any command (`--db`, `--version`)
and, when no command is named, the dashboard.

It lives apart from `cli/app.py` because the dashboard needs modules that
register commands on `app`: registered from here, `app` imports none of them.
"""

from typing import Annotated

import typer

from netcli import __version__
from netcli.cli.app import app
from netcli.cli.dashboard import show_dashboard
from netcli.cli.state import begin

DB_HELP = "Database file or SQLAlchemy URL (default: $NETCLI_DB, else your data folder)."
VERSION_HELP = "Show the version and exit."


def _version(value: bool) -> None:
    if value:
        print(f"netcli {__version__}")  # our own words: nothing to defuse
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            help=DB_HELP,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=VERSION_HELP),
    ] = False,
) -> None:
    """Keep your learning network alive: who you met, what you exchanged, what to do today."""
    begin(db)
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        show_dashboard()
