"""The Typer app and the one error boundary (its root group).

Every command module registers itself on `app`; so does `cli/root.py`, the
root callback, which shows the dashboard and so needs modules that import
this one. This module imports no module that imports it. Heavy modules
(SQLAlchemy, SQLModel, Alembic) are imported inside the commands that need
them, never at the top of a `cli` module: `netcli --help` must stay fast.
Modules that define commands do without `from __future__ import annotations`:
Typer reads every command's annotations on each run, and would evaluate
string annotations anew each time.
"""

from __future__ import annotations

import contextlib
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


def _is_typer_control(exc: BaseException) -> bool:
    # Typer's own exits, aborts and usage errors carry their exit codes; let them pass.
    return type(exc).__module__.split(".")[0] == "typer"


class NetcliGroup(TyperGroup):
    """Root group: the one place where errors become a message and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        polish(self)

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
