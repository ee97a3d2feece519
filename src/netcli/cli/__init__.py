"""The command-line interface: one module per noun, all registered on `app`."""

from netcli.cli.app import app, main
from netcli.cli import community, contacts, db, goal, io, log, mentor, nudges, report  # noqa: F401,E402  (register commands)

__all__ = ["app", "main"]
