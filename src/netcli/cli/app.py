"""The Typer app, its root options, and the one error boundary.

Every command module registers itself on `app`. Heavy modules (SQLAlchemy,
SQLModel, Alembic) are imported inside the commands that need them, never at
the top of a `cli` module: `netcli --help` must stay fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer
from typer._click.exceptions import UsageError
from typer.core import TyperGroup

from netcli import __version__
from netcli.cli.manpage import polish, polish_params, usage_problem
from netcli.errors import NetcliError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from netcli.config import Config
    from netcli.db import Location


@dataclass
class State:
    """What the root callback resolved for this one invocation."""

    db_option: str | None = None
    _location: "Location | None" = None
    _engine: "Engine | None" = None
    _config: "Config | None" = None
    _key: str | None = None
    created: bool = False  # this command made a new SQLite file

    @property
    def location(self) -> "Location":
        if self._location is None:
            from netcli.db import resolve

            self._location = resolve(self.db_option)
        return self._location

    def engine(self) -> "Engine":
        if self._engine is None:
            from netcli.db import open_database

            self._engine = open_database(self.location, key_source=self.key, on_create=self._note_created)
        return self._engine

    def _note_created(self) -> None:
        self.created = True

    def key(self, *, confirm: bool = False) -> str | None:
        """The encryption key: NETCLI_KEY, else a hidden prompt on a terminal."""
        if self._key is None:
            self._key = os.environ.get("NETCLI_KEY") or None
            if self._key is None and sys.stdin.isatty():
                self._key = typer.prompt("Database key", hide_input=True, confirmation_prompt=confirm, err=True)
        return self._key

    def config(self) -> "Config":
        if self._config is None:
            from netcli.config import ConfigError, load

            try:
                self._config = load(config_path())
            except ConfigError as exc:
                raise NetcliError(str(exc)) from None
        return self._config

    def close(self, *, succeeded: bool = True) -> None:
        """Let go of the database. A file this command created is announced
        when it succeeded, and removed when it failed: nothing was written."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self.created:
            self.created = False
            if succeeded:
                from netcli import render

                render.message(f"created a new database at {self.location.display}")
            elif self.location.path is not None:
                from netcli.db import discard_new_database

                discard_new_database(self.location.path)


STATE = State()


def config_path():  # type: ignore[no-untyped-def]
    from pathlib import Path

    env = os.environ.get("NETCLI_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("netcli", appauthor=False)) / "config.toml"


def _is_typer_control(exc: BaseException) -> bool:
    # Typer's own exits, aborts and usage errors carry their exit codes; let them pass.
    return type(exc).__module__.split(".")[0] == "typer"


class NetcliGroup(TyperGroup):
    """Root group: the one place where errors become a message and an exit code."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        polish(self)

    def main(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any(key.endswith("_COMPLETE") for key in os.environ):
            from netcli.cli.complete import use_our_zsh

            use_our_zsh()
        return super().main(*args, **kwargs)

    def format_help(self, ctx, formatter):  # type: ignore[no-untyped-def]
        polish_params(self)  # Typer adds its completion options after __init__
        return super().format_help(ctx, formatter)

    def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            _usage_exit(exc)

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        from netcli import render

        succeeded = False
        try:
            result = super().invoke(ctx)
            succeeded = True
            return result
        except UsageError as exc:
            _usage_exit(exc)
        except NetcliError as exc:
            render.error(exc.message)
            raise typer.Exit(exc.exit_code) from None
        except EOFError:  # a prompt met the end of its input (Ctrl-D, a short pipe)
            print(file=sys.stderr)  # off the prompt's line
            render.error("the input ended before every question was answered; nothing was changed")
            raise typer.Exit(1) from None
        except BrokenPipeError:
            # the reader went away (`netcli list --json | head`): stop quietly, as
            # a program killed by SIGPIPE would, and write nothing more to that pipe
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass  # stdout is not a file (tests capture it)
            raise typer.Exit(128 + 13) from None
        except Exception as exc:
            if _is_typer_control(exc):
                succeeded = getattr(exc, "exit_code", 1) == 0
                raise
            if os.environ.get("NETCLI_DEBUG") == "1":
                raise
            render.error(describe_unexpected(exc))
            raise typer.Exit(1) from None
        finally:
            STATE.close(succeeded=succeeded)


def _usage_exit(exc: UsageError) -> NoReturn:
    """A usage error (unknown option, bad value) as one line, exit 2."""
    from netcli import render

    render.error(usage_problem(exc))
    raise typer.Exit(exc.exit_code)


def describe_unexpected(exc: BaseException) -> str:
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            from netcli.db import describe_error

            return describe_error(exc, STATE.location).message
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
    return (
        f"unexpected {type(exc).__name__}; nothing was changed. "
        "Run again with NETCLI_DEBUG=1 for details"
    )


app = typer.Typer(
    cls=NetcliGroup,
    name="netcli",
    help="Keep your learning network alive: who you met, what you exchanged, what to do today.",
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


DB_HELP = "Database file or SQLAlchemy URL (default: $NETCLI_DB, else your data folder)."
VERSION_HELP = "Show the version and exit."


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[str],
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
    global STATE
    STATE = State(db_option=db)
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        from netcli.cli.dashboard import show_dashboard

        show_dashboard()


def state() -> State:
    return STATE


# `main(exits_hard=True)` is the console script, which leaves with os._exit
# once the command is done: what a command hands to `keep_until_exit` is then
# never freed object by object (100,000 people's facts and nudges: 0.06 s of a
# report). Anywhere else (tests, a program that imports netcli) it is a no-op.
_KEPT: list[object] | None = None


def keep_until_exit(*objects: object) -> None:
    if _KEPT is not None:
        _KEPT.extend(objects)


def resolve_today(as_of: str | None) -> date:
    """Today's local date, or the --as-of date, resolved once per command."""
    today = date.today()
    if as_of is None:
        return today
    return parse_when(as_of, today=today, option="--as-of")


def parse_when(text: str, *, today: date, option: str) -> date:
    from netcli.dates import parse_when as parse
    from netcli.errors import UsageError

    try:
        return parse(text, today=today)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def parse_past(text: str, *, today: date, option: str) -> date:
    """A WHEN for something that happened: today at the latest."""
    day = parse_when(text, today=today, option=option)
    if day > today:
        from netcli.errors import Invalid

        raise Invalid(
            f"{option} {text!r} is {day.isoformat()}, in the future; give the day it happened (today at the latest)"
        )
    return day


def parse_range(since: str | None, until: str | None, *, today: date) -> tuple[date | None, date | None]:
    """--since and --until; a range that ends before it starts could match nothing."""
    start = parse_when(since, today=today, option="--since") if since else None
    end = parse_when(until, today=today, option="--until") if until else None
    if start is not None and end is not None and start > end:
        from netcli.errors import Invalid

        raise Invalid(
            f"--since {start.isoformat()} is after --until {end.isoformat()}, so nothing could match; swap them"
        )
    return start, end


def parse_birthday(text: str, *, today: date, option: str = "--birthday") -> str:
    from netcli.dates import parse_birthday as parse
    from netcli.errors import UsageError

    try:
        return parse(text, today=today)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def parse_span(text: str, *, option: str) -> int:
    from netcli.dates import parse_span as parse
    from netcli.errors import UsageError

    try:
        return parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _command_named(args: list[str]) -> str | None:
    """The command or group `args` invoke, past the root options; None for the
    root itself (dashboard, --help, --version, completion)."""
    rest = iter(args)
    for arg in rest:
        if arg == "--db":
            next(rest, None)
        elif not arg.startswith("--db="):
            return None if arg.startswith("-") else arg
    return None


def main(*, exits_hard: bool = False) -> None:
    """Run the CLI (see `netcli.__main__.run`, the console script, which
    says it `exits_hard`).

    Typer inspects every command's signature to build the command tree, which
    costs more than many commands' own work: `netcli --help` is drawn without
    it (see `roothelp`), and when the arguments name one command exactly,
    only that one is built. Anything else (no command, a typo, options before
    --help, shell completion) gets the whole tree."""
    global _KEPT
    if exits_hard:
        _KEPT = []
    if sys.argv[1:] in (["--help"], ["-h"]):
        from netcli.cli.roothelp import root_help

        sys.stdout.write(root_help())
        return
    import copy

    from typer.main import get_command_name

    name = _command_named(sys.argv[1:])
    chosen = app
    if name is not None and not any(key.endswith("_COMPLETE") for key in os.environ):
        commands = [c for c in app.registered_commands if (c.name or get_command_name(c.callback.__name__)) == name]
        groups = [g for g in app.registered_groups if g.name == name]
        if commands or groups:
            chosen = copy.copy(app)
            chosen.registered_commands, chosen.registered_groups = commands, groups
    chosen(prog_name="netcli")
