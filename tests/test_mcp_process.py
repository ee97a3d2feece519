"""`netcli mcp` as a process: stdout carries the protocol and nothing else,
the end of its input ends it cleanly, a database it cannot open is one line
before any serving, and without the SDK installed it says how to install it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mcp_types import LATEST_PROTOCOL_VERSION

from mcp_client import NETCLI, WAIT, server_env

pytestmark = pytest.mark.one_engine


def _messages(*calls: tuple[str, dict]) -> str:
    """JSON-RPC lines as a client writes them: initialise, then the calls."""
    lines = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {
                "protocolVersion": LATEST_PROTOCOL_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "test", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ]
    lines += [
        {"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": {"name": tool, "arguments": arguments}}
        for n, (tool, arguments) in enumerate(calls, start=1)
    ]
    return "".join(json.dumps(line) + "\n" for line in lines)


def test_the_end_of_input_ends_the_server_and_stdout_holds_only_the_protocol(tmp_path: Path) -> None:
    """A client's calls are each answered; when it closes the server's input
    the process leaves with 0; stdout held JSON-RPC lines only (the message
    that a new database was made went to stderr)."""
    calls = [("list_nudges", {}), ("add_person", {"name": "Ana Lima"}), ("get_person", {"who": "nobody"})]
    server = subprocess.Popen(
        [NETCLI, "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=server_env(tmp_path),
    )
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(_messages(*calls))
    server.stdin.flush()
    answers = [json.loads(server.stdout.readline()) for _ in range(len(calls) + 1)]
    rest, stderr = server.communicate(timeout=WAIT)  # closes the server's input: the assistant quits
    assert server.returncode == 0, stderr
    assert rest == "" and all(a["jsonrpc"] == "2.0" for a in answers)
    by_id = {a["id"]: a["result"] for a in answers}
    assert by_id[0]["serverInfo"]["name"] == "netcli"
    assert json.loads(by_id[1]["content"][0]["text"]) == []
    assert json.loads(by_id[2]["content"][0]["text"])["name"] == "Ana Lima"
    assert by_id[3]["isError"] and by_id[3]["content"][0]["text"].startswith("no contact matches 'nobody'")
    assert "Traceback" not in stderr and "created a new database" in stderr
    assert (tmp_path / "netcli.db").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("where", ["a shopping list", "postgresql+psycopg://nobody@127.0.0.1:1/netcli"])
def test_a_database_it_cannot_open_is_one_line_and_no_serving(tmp_path: Path, where: str) -> None:
    env = server_env(tmp_path)
    if where.startswith("postgresql"):
        env["NETCLI_DB"] = where  # a server that is not there
    else:
        (tmp_path / "netcli.db").write_text(f"not a database, {where}\n")
    done = subprocess.run([NETCLI, "mcp"], input=_messages(), capture_output=True, text=True, timeout=WAIT, env=env)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert ("netcli.db" if "list" in where else "cannot reach the database server") in done.stderr


def test_without_the_sdk_it_says_how_to_install_it(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in ("mcp", "mcp_types") or name.startswith("netcli.mcp."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mcp", None)  # as if the extra were not installed
    result = cli("mcp", code=1)
    assert result.stderr == "error: the MCP server needs the mcp package (2.3 or newer): pip install 'netcli[mcp]'\n"
    assert result.stdout == ""


def test_an_sdk_too_old_is_told_the_same(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """mcp 1.x has no `mcp.server.mcpserver`; the desk stays in this process (no fork inside the tests)."""
    monkeypatch.delattr("os.fork")
    for name in list(sys.modules):
        if name.startswith(("mcp.server", "netcli.mcp.server")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mcp.server.mcpserver", None)
    assert cli("mcp", code=1).stderr.startswith("error: the MCP server needs the mcp package (2.3 or newer)")
