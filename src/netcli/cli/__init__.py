"""The command-line interface: one module per noun, all registered on `app`,
and `main`, the console script's way in."""

from __future__ import annotations

import sys

from netcli.cli import (  # noqa: F401  (register commands)
    capture,
    community,
    contacts,
    db,
    goal,
    io,
    log,
    mcp,
    mentor,
    nudges,
    remind,
    report,
    root,
    sync,
    sync_tasks,
)
from netcli.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the CLI (see `netcli.__main__.run`, the console script)."""
    if sys.argv[1:] in (["--help"], ["-h"]):
        from netcli.cli.roothelp import root_help

        # Typer's own page would first build every command and import Rich's help (see roothelp)
        sys.stdout.write(root_help())
        return
    app(prog_name="netcli")
