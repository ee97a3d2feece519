"""The command-line interface: one module per noun, each registering its
commands on `app` when loaded (`app.COMMAND_MODULES`), and `main`, the
console script's way in."""

from __future__ import annotations

import sys

from netcli.cli import root  # noqa: F401  (the root callback: --db, --version, the dashboard)
from netcli.cli.app import app, load_commands

__all__ = ["app", "load_commands", "main"]


def main() -> None:
    """Run the CLI (see `netcli.__main__.run`, the console script)."""
    if sys.argv[1:] in (["--help"], ["-h"]):
        from netcli.cli.roothelp import root_help

        # Typer's own page would first build every command and import Rich's help (see roothelp)
        sys.stdout.write(root_help())
        return
    app(prog_name="netcli")
