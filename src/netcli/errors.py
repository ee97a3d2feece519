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


class Unreadable(Invalid):
    """A file cannot be opened: it does not exist, or may not be read."""


class NotAFile(Invalid):
    """A path names a FIFO, a device, a socket or a folder where a file was wanted."""


class TooLarge(Invalid):
    """A file or one record in it is past its documented limit (`netcli.reading`)."""


class NotItsKind(Invalid):
    """A file given to an import or a capture is not the kind it reads: refused whole."""


class BadValue(Invalid):
    """A value a field cannot hold, from any door: `field` names it as stored
    (`met_on`), `problem` says what is wrong and how to fix it. The CLI words
    the field as its option (`--met-on`), a file import as its column."""

    def __init__(self, field: str, problem: str, *, names_field: bool = False) -> None:
        # `names_field`: the problem's words name the field already ("cannot read the birthday ...")
        super().__init__(problem if names_field else f"{field} {problem}")
        self.field = field
        self.problem = problem


class ConfigError(Invalid):
    """The configuration file, or a value given for it, is not acceptable."""


class NotACard(Invalid):
    """The text is not one vCard netcli can read; the message says why."""


class InvalidCard(Invalid):
    """A card holds a value netcli cannot keep (sync vdir); the card is left alone."""


class InvalidTask(Invalid):
    """A file of the task list that cannot be read as a task (sync tasks); it is left alone."""


class NotACalendar(Invalid):
    """The bytes are not an iCalendar file at all (capture calendar)."""


class NotMail(Invalid):
    """A file that is not an mbox or a message at all (capture mail)."""


class TooDeep(Invalid):
    """A file's lists and objects nest deeper than any program that writes it would."""


class MissingMe(NetcliError):
    """`[me] emails` is not set: capture cannot tell the user from the others."""


class MissingChatMe(NetcliError):
    """Nothing says which messages of a chat export are the user's own."""


class ImportProblem(NetcliError):
    """Bad records in an import: nothing was written. `problems` lists them
    (the first `SHOWN` in the message, the rest counted)."""

    SHOWN = 200

    def __init__(self, problems: list[str]) -> None:
        count, shown = len(problems), self.SHOWN
        super().__init__(
            f"{count} bad record{'s' if count != 1 else ''}, nothing imported "
            "(fix them, or pass --skip-bad to import the rest):\n  "
            + "\n  ".join(problems[:shown])
            + (f"\n  ... and {count - shown} more" if count > shown else "")
        )
        self.problems = problems


class Duplicate(NetcliError):
    """The record already exists."""


class ReadOnly(NetcliError):
    """A write asked of what was opened to read only (`netcli mcp --read-only`)."""


class DatabaseProblem(NetcliError):
    """The database cannot be opened, read or written."""


class UsageError(NetcliError):
    """Malformed command-line input (a date, a span): exit 2."""

    exit_code = 2
