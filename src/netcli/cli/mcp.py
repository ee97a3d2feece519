"""`netcli mcp`: the network served to the user's AI assistant over the Model
Context Protocol (stdio), with the database and settings of every command."""

from typing import TYPE_CHECKING, Annotated

import typer

from netcli.cli.app import app
from netcli.cli.state import state

if TYPE_CHECKING:
    from netcli.mcp.desk import Desk

INSTALL = "the MCP server needs the mcp package (2.3 or newer): pip install 'netcli[mcp]'"


@app.command("mcp", rich_help_panel="Data")
def serve_mcp(
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Let the assistant read and search; refuse every write.")
    ] = False,
) -> None:
    """Serve your network to your AI assistant (an MCP server on stdin/stdout).

    Your assistant starts it: add it to the assistant's MCP settings (see the
    README). Its tools find people, show a profile, list today's nudges, prepare
    a mentor session, list goals, report a month and search; and, unless
    --read-only, add a person, log an interaction, act on a nudge, set a goal.

    Examples:
      netcli mcp
      netcli --db ~/network.db mcp --read-only
    """
    import gc
    import importlib.util

    from netcli.errors import NetcliError
    from netcli.mcp import worker

    if importlib.util.find_spec("mcp") is None:
        raise NetcliError(INSTALL)
    desk = worker.start(lambda: _open_desk(read_only), state().close)  # the database opens while the SDK loads
    try:
        try:
            from netcli.mcp.server import build
        except ImportError as exc:
            if not (exc.name or "").startswith("mcp"):
                raise
            raise NetcliError(INSTALL) from None
        desk.ready()
        server = build(desk, read_only=read_only)
        gc.enable()  # a server runs for hours: its reference cycles must be collected (netcli's main turns gc off)
        server.run("stdio")  # until the assistant closes our stdin
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    finally:
        desk.stop()


def _open_desk(read_only: bool) -> "Desk":
    """The database and settings as every command resolves them; what goes wrong, in the CLI's words."""
    from netcli.cli.app import describe_unexpected
    from netcli.errors import NetcliError
    from netcli.mcp.desk import Desk

    current = state()
    try:
        return Desk(engine=current.engine(), config=current.config(), location=current.location, read_only=read_only)
    except NetcliError:
        raise
    except Exception as exc:
        raise NetcliError(describe_unexpected(exc)) from exc
