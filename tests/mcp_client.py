"""An MCP client for the tests: the SDK's own stdio client spawning the
installed `netcli mcp`, one session kept open for a whole test module.

The session lives in one task of an event loop on a thread of its own (the
SDK's task groups must be entered and left by the same task); tests hand it
calls and wait for their answers, so a module pays for one server start."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

NETCLI = shutil.which("netcli", path=str(Path(sys.executable).parent)) or "netcli"
WAIT = 120  # seconds: a loaded machine starts a server slowly; a hang still ends the test


def server_env(folder: Path) -> dict[str, str]:
    """The environment of a `netcli mcp` over `folder`'s database and config, as a client would start it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETCLI_")}
    return env | {
        "NETCLI_DB": str(folder / "netcli.db"),
        "NETCLI_CONFIG": str(folder / "config.toml"),
        "NETCLI_CACHE": str(folder / "cache"),
    }


class Served:
    """A `netcli mcp` server and the SDK client session talking to it."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.params = StdioServerParameters(command=NETCLI, args=["mcp", *args], env=server_env(folder))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.jobs: asyncio.Queue[Any] = asyncio.Queue()
        self.ready: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.ended = asyncio.run_coroutine_threadsafe(self._session(), self.loop)
        self.initialized = self.ready.result(timeout=WAIT)

    async def _session(self) -> None:
        try:
            async with stdio_client(self.params) as (read, write), ClientSession(read, write) as session:
                self.ready.set_result(await session.initialize())
                while (job := await self.jobs.get()) is not None:
                    work, answer = job
                    try:
                        answer.set_result(await work(session))
                    except Exception as exc:
                        answer.set_exception(exc)
        except Exception as exc:
            if not self.ready.done():
                self.ready.set_exception(exc)
            raise

    def run(self, work: Callable[[ClientSession], Awaitable[Any]]) -> Any:
        answer: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.loop.call_soon_threadsafe(self.jobs.put_nowait, (work, answer))
        return answer.result(timeout=WAIT)

    def call(self, tool: str, arguments: dict[str, Any] | None = None) -> Any:
        """The tool's CallToolResult."""
        return self.run(lambda session: session.call_tool(tool, arguments or {}))

    def answer(self, tool: str, arguments: dict[str, Any] | None = None) -> Any:
        """The document a tool returned (its JSON text), failing the test on an error result."""
        result = self.call(tool, arguments)
        assert not result.is_error, result.content[0].text
        return json.loads(result.content[0].text)

    def error(self, tool: str, arguments: dict[str, Any] | None = None) -> str:
        """The text of the error a tool call returned, failing the test when it succeeded."""
        result = self.call(tool, arguments)
        assert result.is_error, result.content
        assert len(result.content) == 1
        return result.content[0].text

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.jobs.put_nowait, None)
        try:
            self.ended.result(timeout=WAIT)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=WAIT)
            self.loop.close()
