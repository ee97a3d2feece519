"""The Typer app and the one error boundary (its root group).

Every command module registers itself on `app`; so does `cli/root.py`, the
root callback, which shows the dashboard and so needs modules that import
this one. This module imports no module that imports it, and a command's
module only when the command is asked for (`COMMAND_MODULES`). Heavy modules
(SQLAlchemy, SQLModel, Alembic) are imported inside the commands that need
them, never at the top of a `cli` module: `netcli --help` must stay fast.
Modules that define commands do without `from __future__ import annotations`:
Typer reads every command's annotations on each run, and would evaluate
string annotations anew each time.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer._click.exceptions import UsageError

if TYPE_CHECKING:
    from typer._click import Context, HelpFormatter
from typer.core import TyperGroup

from netcli.cli.manpage import polish, polish_params, usage_problem
from netcli.cli.state import state
from netcli.errors import NetcliError

# The modules that register each command and command group on `app`, in the
# order of `netcli --help`. A command runs with only its own modules imported
# and built (Typer would build every command's parameters on every run); what
# lists every command (the help pages, a mistyped command's suggestions,
# completion) loads them all. tests/test_cli_modules.py holds this table to the
# registrations.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "add": ("contacts",),
    "list": ("contacts",),
    "show": ("contacts",),
    "edit": ("contacts",),
    "archive": ("contacts",),
    "unarchive": ("contacts",),
    "rm": ("contacts",),
    "merge": ("contacts",),
    "who": ("goal",),
    "log": ("log",),
    "history": ("log",),
    "unlog": ("log",),
    "nudge": ("nudges",),
    "done": ("nudges",),
    "snooze": ("nudges",),
    "dismiss": ("nudges",),
    "remind": ("remind",),
    "community": ("community",),
    "event": ("community",),
    "goal": ("goal",),
    "mentor": ("mentor",),
    "report": ("report",),
    "import": ("io",),
    "export": ("io",),
    "search": ("io",),
    "mcp": ("mcp",),
    "capture": ("capture",),
    "sync": ("sync", "sync_tasks"),
    "demo": ("db",),
    "db": ("db",),
    "config": ("db",),
}


def load_commands(*names: str) -> None:
    """Register the commands `names` on `app` (every command when none is named)."""
    for name in names or COMMAND_MODULES:
        for module in COMMAND_MODULES[name]:
            importlib.import_module(f"netcli.cli.{module}")


def _is_typer_control(exc: BaseException) -> bool:
    # Typer's own exits, aborts and usage errors carry their exit codes; let them pass.
    return type(exc).__module__.split(".")[0] == "typer"


class NetcliGroup(TyperGroup):
    """Root group: the one place where errors become a message and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # what Typer built already (every registered command, when all were loaded first)
        self._built = {id(info) for info in (*app.registered_commands, *app.registered_groups)}
        polish(self)

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMAND_MODULES)

    def get_command(self, ctx: Context, cmd_name: str) -> Any:
        if cmd_name not in self.commands:
            # a name that is no command loads them all, for Typer's "Did you mean"
            known = cmd_name in COMMAND_MODULES
            load_commands(*([cmd_name] if known else []))
            self._build_registered(cmd_name if known else None)
        return super().get_command(ctx, cmd_name)

    def _build_registered(self, name: str | None) -> None:
        """Build, as Typer would have, the command or group `name` (every one
        when None) of those registered on `app` since: a module registers
        several, and building each one's parameters is most of a start's work."""
        from typer.main import get_command_from_info, get_command_name, get_group_from_info

        for info in app.registered_commands:
            own = (info.name or get_command_name(info.callback.__name__)) if info.callback else None
            if id(info) not in self._built and name in (None, own):
                self._built.add(id(info))
                built = get_command_from_info(
                    info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
                )
                self._add_polished(built)
        for group in app.registered_groups:
            own = group.name or (group.typer_instance.info.name if group.typer_instance else None)
            if id(group) not in self._built and name in (None, own):
                self._built.add(id(group))
                built = get_group_from_info(
                    group,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    suggest_commands=app.suggest_commands,
                    rich_markup_mode=app.rich_markup_mode,
                )
                self._add_polished(built)

    def _add_polished(self, command: Any) -> None:
        polish(command, (command.name,))
        self.add_command(command)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if any(key.endswith("_COMPLETE") for key in os.environ):
            from netcli.cli.complete import use_our_zsh

            use_our_zsh()
        return super().main(*args, **kwargs)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        polish_params(self)  # Typer adds its completion options after __init__
        return super().format_help(ctx, formatter)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            _usage_exit(exc)

    def invoke(self, ctx: Context) -> Any:
        from netcli import render

        try:
            return super().invoke(ctx)
        except UsageError as exc:
            _usage_exit(exc)
        except NetcliError as exc:
            render.error(exc.message)
            raise typer.Exit(exc.exit_code) from None
        except EOFError:  # a prompt met the end of its input (Ctrl-D, a short pipe)
            _input_ended()
        except KeyboardInterrupt:  # Ctrl-C, at a prompt (Rich's) or while the command works
            _interrupted()
        except BrokenPipeError:
            # the reader went away (`netcli list --json | head`): stop quietly, as
            # a program killed by SIGPIPE would, and write nothing more to that pipe
            with contextlib.suppress(OSError, ValueError):  # stdout is not a file (tests capture it)
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(128 + 13) from None
        except Exception as exc:
            if isinstance(exc, typer.Abort):  # Typer's own prompts turn Ctrl-C and Ctrl-D into this
                _input_ended() if isinstance(exc.__context__, EOFError) else _interrupted()
            if _is_typer_control(exc):
                raise
            if os.environ.get("NETCLI_DEBUG") == "1":
                raise
            render.error(describe_unexpected(exc))
            raise typer.Exit(1) from None
        finally:
            state().close()  # a database this command made and wrote nothing to goes


def _input_ended() -> NoReturn:
    from netcli import render

    print(file=sys.stderr)  # off the prompt's line
    render.error("the input ended before every question was answered; nothing was changed")
    raise typer.Exit(1) from None


def _interrupted() -> NoReturn:
    """Ctrl-C, wherever it comes: off the prompt's line, one word, exit 130
    (128 + SIGINT, as a shell reports it). The transaction is rolled back and
    a database this command created is removed (`State.close`)."""
    print(file=sys.stderr)
    print("Aborted.", file=sys.stderr)
    raise typer.Exit(128 + 2) from None


def _usage_exit(exc: UsageError) -> NoReturn:
    """A usage error (unknown option, bad value) as one line, exit 2."""
    from netcli import render

    if not exc.format_message().strip() and getattr(exc, "param", None) is None:
        raise typer.Exit(exc.exit_code)  # a group given no command: its help is shown, and is the answer
    render.error(usage_problem(exc))
    raise typer.Exit(exc.exit_code)


def describe_unexpected(exc: BaseException) -> str:
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            from netcli.db import describe_error

            return describe_error(exc, state().location).message
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
    return f"unexpected {type(exc).__name__}; nothing was changed. Run again with NETCLI_DEBUG=1 for details"


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
