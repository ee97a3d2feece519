"""The desk's process, spoken to over its pipe in this process (a thread
stands in for the fork): each call answered, netcli's errors as their class
and one line, a crash as its type, the end of the server's line as its end;
and the desk in the server's own process where there is no fork."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Pipe
from pathlib import Path

import pytest

from netcli.config import Config
from netcli.db import open_database, resolve
from netcli.errors import DatabaseProblem, NetcliError, NotFound
from netcli.mcp import worker
from netcli.mcp.desk import Desk, answer

pytestmark = pytest.mark.one_engine


def _opener(read_only: bool = False) -> Callable[[], Desk]:
    def open_desk() -> Desk:
        location = resolve(os.environ["NETCLI_DB"])
        return Desk(engine=open_database(location), config=Config(), location=location, read_only=read_only)

    return open_desk


def test_the_desk_process_answers_each_call_until_the_server_hangs_up(cli, capsys) -> None:
    cli("demo")
    server_end, desk_end = Pipe()
    ended: list[object] = []
    desk = threading.Thread(
        target=lambda: ended.append(worker.serve(desk_end, _opener(), lambda succeeded: ended.append(succeeded)))
    )
    desk.start()
    assert server_end.recv() == ("ready", None)
    server_end.send(("get_person", {"who": "dana"}))
    status, profile = server_end.recv()
    assert status == "ok" and profile["name"] == "Dana Novak"
    server_end.send(("get_person", {"who": "nobody"}))
    assert server_end.recv() == ("error", ("NotFound", cli("show", "nobody", code=1).stderr[7:].strip()))
    server_end.send(("add_person", {"name": "Ana Lima"}))  # a write, and its refusal: the same as the CLI's
    assert server_end.recv()[1][1] == cli("add", "Ana Lima", code=1).stderr[7:].strip()
    server_end.send(("no_such_tool", {}))
    assert server_end.recv() == ("crash", "AttributeError")
    assert "AttributeError" in capsys.readouterr().err  # the traceback goes to the server's log, not the model
    server_end.close()
    desk.join(timeout=60)
    assert ended == [True, 0]


def test_a_database_that_cannot_be_opened_is_said_once_and_ends_the_process(tmp_path: Path) -> None:
    server_end, desk_end = Pipe()
    ended: list[object] = []

    def cannot() -> Desk:
        raise DatabaseProblem(f"{tmp_path} is not a readable netcli database")

    assert worker.serve(desk_end, cannot, lambda succeeded: ended.append(succeeded)) == 1
    assert server_end.recv() == ("failed", f"{tmp_path} is not a readable netcli database")
    assert ended == [False]


def test_without_fork_the_desk_lives_in_the_servers_process(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("demo")
    monkeypatch.delattr(os, "fork")
    desk = worker.start(_opener(read_only=True), lambda succeeded: None)
    assert isinstance(desk, worker.Local)
    desk.ready()
    assert desk("mentor_prep", who="dana")["mentor"] == "Dana Novak"
    with pytest.raises(NotFound):
        desk("get_person", who="nobody")
    with pytest.raises(NetcliError, match="--read-only"):
        desk("add_goal", title="Learn Zig")
    desk.stop()


def test_a_database_damaged_while_serving_is_the_clis_sentence(cli) -> None:
    cli("add", "Ana Lima")
    desk = _opener()()
    desk.engine.dispose()
    Path(os.environ["NETCLI_DB"]).write_bytes(b"not a database any more" * 100)
    with pytest.raises(DatabaseProblem, match="is not a readable netcli database"):
        answer(desk, "search", {"text": "ana"})


def test_the_server_side_hears_each_answer_and_a_process_that_stopped(tmp_path: Path) -> None:
    """The test plays the desk's process: what it sends is what the server raises or returns."""
    server_end, desk_end = Pipe()
    desk = worker.Forked(server_end, pid=0)
    desk_end.send(("ready", None))
    desk.ready()
    for reply in [("ok", [1, 2]), ("error", ("NotFound", "no contact matches 'x'")), ("error", ("Nonsense", "odd"))]:
        desk_end.send(reply)
    assert desk("search", text="x") == [1, 2]
    with pytest.raises(NotFound, match="no contact matches 'x'"):
        desk("get_person", who="x")
    with pytest.raises(NetcliError, match="odd"):
        desk("get_person", who="x")
    assert [desk_end.recv() for _ in range(3)] == [("search", {"text": "x"}), *[("get_person", {"who": "x"})] * 2]
    desk_end.send(("crash", "KeyError"))
    with pytest.raises(RuntimeError, match="unexpected KeyError"):
        desk("search", text="x")
    desk_end.close()  # the process died
    with pytest.raises(NetcliError, match="has stopped"):
        desk("search", text="x")
    failed_end, failing = Pipe()
    failing.send(("failed", "cannot reach the database server"))
    with pytest.raises(NetcliError, match="cannot reach"):
        worker.Forked(failed_end, pid=0).ready()
