"""The errors netcli's own code raises.

Domain code raises a `NetcliError`; the CLI's one error boundary
(`netcli.cli.app`) turns it into a single `error: ...` line on stderr and the
error's exit code. Nothing here may import the rest of netcli.
"""

from __future__ import annotations


class NetcliError(Exception):
    """A problem with the user's data or request: exit 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(NetcliError):
    """Nothing matches what the user named."""


class Ambiguous(NetcliError):
    """Several records match what the user named."""


class Invalid(NetcliError):
    """A value is not acceptable (empty name, bad config value...)."""


class BadValue(Invalid):
    """A value a field cannot hold, from any door: `field` names it as stored
    (`met_on`), `problem` says what is wrong and how to fix it. The CLI words
    the field as its option (`--met-on`), a file import as its column."""

    def __init__(self, field: str, problem: str, *, names_field: bool = False) -> None:
        # `names_field`: the problem's words name the field already ("cannot read the birthday ...")
        super().__init__(problem if names_field else f"{field} {problem}")
        self.field = field
        self.problem = problem


class Duplicate(NetcliError):
    """The record already exists."""


class ReadOnly(NetcliError):
    """A write asked of what was opened to read only (`netcli mcp --read-only`)."""


class DatabaseProblem(NetcliError):
    """The database cannot be opened, read or written."""


class UsageError(NetcliError):
    """Malformed command-line input (a date, a span): exit 2."""

    exit_code = 2
