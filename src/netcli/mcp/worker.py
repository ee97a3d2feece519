"""The desk in a process of its own, so that starting `netcli mcp` costs the
slower of its two halves rather than their sum.

The MCP SDK, which the server imports, costs about as much as a whole
`netcli nudge`. So the server forks first: the child imports the database
stack, opens the database and readies the pipeline on one core while the
parent imports the SDK on the other (benchmarks/mcp.py). Then the child
answers the server's calls, one at a time, over a pipe: (method, arguments)
in; ("ok", the document), ("error", (netcli's error class, its one line))
or ("crash", the exception's type) out. It ends when the server hangs up. It never writes to
stdout (the protocol's) nor reads stdin. Where there is no fork (Windows) the
desk lives in the server's process, answering the same way.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from netcli import errors
from netcli.errors import NetcliError
from netcli.mcp.desk import answer

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from netcli.mcp.desk import Desk

OpenDesk = Callable[[], "Desk"]  # opens the database and settings; raises NetcliError when it cannot
Close = Callable[..., None]  # close(succeeded=...): lets go of the database (the CLI's state)


class Local:
    """The desk in this process."""

    def __init__(self, open_desk: OpenDesk) -> None:
        self._open = open_desk
        self._desk: Desk | None = None

    def ready(self) -> None:
        self._desk = self._open()

    def __call__(self, method: str, **arguments: Any) -> Any:
        assert self._desk is not None, "ready() first"
        return answer(self._desk, method, arguments)

    def stop(self) -> None:
        """Nothing to stop: the command lets go of the database."""


class Forked:
    """The desk in the child process `pid`, over `connection`."""

    def __init__(self, connection: Connection, pid: int) -> None:
        self._connection, self._pid = connection, pid

    def _receive(self) -> tuple[str, Any]:
        try:
            return self._connection.recv()
        except (EOFError, OSError):
            raise NetcliError(
                "netcli's database process has stopped (see the server's log); restart the MCP server"
            ) from None

    def ready(self) -> None:
        """Wait until the database is open; its problem, if it could not be, as netcli words it."""
        status, value = self._receive()
        if status != "ready":
            raise NetcliError(value)

    def __call__(self, method: str, **arguments: Any) -> Any:
        try:
            self._connection.send((method, arguments))
        except OSError:
            self._receive()  # says the process stopped
        status, value = self._receive()
        if status == "ok":
            return value
        if status == "error":
            kind, message = value
            raised = getattr(errors, kind, NetcliError)  # NotFound stays NotFound: a resource says so
            raise (raised if isinstance(raised, type) and issubclass(raised, NetcliError) else NetcliError)(message)
        raise RuntimeError(f"unexpected {value} in netcli's database process")

    def stop(self) -> None:
        """Hang up, and wait for the child to let go of the database."""
        self._connection.close()
        os.waitpid(self._pid, 0)


def start(open_desk: OpenDesk, close: Close) -> Local | Forked:
    """The desk, opening in a child process where the system can fork (else
    in this one, on `ready()`)."""
    if not hasattr(os, "fork"):
        return Local(open_desk)
    from multiprocessing.connection import Pipe

    server_end, desk_end = Pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid:
        desk_end.close()
        return Forked(server_end, pid)
    code = 1
    try:  # the child: never returns into the command that forked it
        server_end.close()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C ends the server; the hang-up then ends this
        nothing = os.open(os.devnull, os.O_RDONLY)
        os.dup2(nothing, 0)
        os.dup2(2, 1)  # a stray print lands in the server's log, never in the protocol
        code = serve(desk_end, open_desk, close)
    finally:
        sys.stderr.flush()
        os._exit(code)


def serve(connection: Connection, open_desk: OpenDesk, close: Close) -> int:
    """Open the desk and say so, then answer each call until the server hangs up; the exit code."""
    try:
        desk = open_desk()
        desk.warm()
    except NetcliError as exc:
        connection.send(("failed", exc.message))
        close(succeeded=False)
        return 1
    connection.send(("ready", None))
    gc.enable()  # this process lives as long as the server: its reference cycles must be collected
    while True:
        try:
            method, arguments = connection.recv()
        except (EOFError, OSError):
            break
        try:
            connection.send(("ok", answer(desk, method, arguments)))
        except NetcliError as exc:
            connection.send(("error", (type(exc).__name__, exc.message)))
        except Exception as exc:
            traceback.print_exc()  # the server's log; the assistant hears only that something unexpected happened
            connection.send(("crash", type(exc).__name__))
    close(succeeded=True)
    return 0
