"""`netcli sync tasks` against the real programs: a Radicale server on
loopback holding a CalDAV task list, vdirsyncer carrying it to a vdir and
back, and the phone's side played through CalDAV itself with the `caldav`
client library (ticking a task, deleting one, moving a DUE, keeping a task
of its own). One server for the module; each test has its own task list.
Every task on the server and in the folder is read back with icalendar."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import Cli
from dav_harness import _PROXY_VARIABLES, PASSWORD, USER, radicale, vdirsyncer
from test_sync_tasks import TODAY, tasks_in, three_nudges

caldav = pytest.importorskip("caldav")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with radicale(tmp_path_factory.mktemp("caldav") / "radicale") as base:
        yield base


@dataclass
class TaskList:
    calendar: object  # caldav.Calendar: the phone's view of the list
    vdir: Path
    sync: object  # one `vdirsyncer sync`

    def todos(self) -> dict[str, object]:
        """The list's tasks on the server, by UID, each read by icalendar."""
        found = {}
        for todo in self.calendar.todos(include_completed=True):  # type: ignore[attr-defined]
            Calendar.from_ical(todo.data)
            found[str(todo.icalendar_component["uid"])] = todo
        return found


@pytest.fixture
def tasklist(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TaskList:
    for name in _PROXY_VARIABLES:  # the phone's client must reach loopback directly
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    client = caldav.DAVClient(url=server, username=USER, password=PASSWORD)
    name = f"tasks-{uuid.uuid4().hex[:8]}"
    calendar = client.principal().make_calendar(name="Tasks", cal_id=name, supported_calendar_component_set=["VTODO"])
    vdir = tmp_path / "tasks"
    sync = vdirsyncer(
        tmp_path,
        str(calendar.url),
        vdir=vdir,
        pair="tasks",
        remote="caldav",
        fileext=".ics",
        remote_options='item_types = ["VTODO"]\n',
    )
    return TaskList(calendar, vdir, sync)


def netcli_sync(cli: Cli, tasks: TaskList) -> dict:
    summary = cli.json("sync", "tasks", str(tasks.vdir))
    assert summary["unparsable"] == 0, summary
    for path in tasks.vdir.glob("*.ics"):
        Calendar.from_ical(path.read_bytes())
    return summary


def test_the_phone_ticks_deletes_and_moves_and_netcli_follows(cli: Cli, tasklist: TaskList):
    three_nudges(cli)
    tasklist.calendar.save_todo(uid="milk-1", summary="Buy milk", due=date(2026, 12, 24))  # the phone's own
    nudges = {n["action"].split(" ")[0] + " " + n["contact"]: n for n in cli.json("nudge")}
    assert set(nudges) == {"Thank Chidi Okafor", "Follow Carmen Ruiz", "Thank Maya Patel"}

    assert netcli_sync(cli, tasklist)["written"] == 3
    tasklist.sync()  # netcli's three up, the phone's own task down
    assert len(list(tasklist.vdir.glob("*.ics"))) == 4
    on_server = tasklist.todos()
    assert set(on_server) == {"milk-1"} | {f"nudge-{n['id']}@netcli" for n in nudges.values()}
    milk_before = on_server["milk-1"].data
    chidi = on_server[f"nudge-{nudges['Thank Chidi Okafor']['id']}@netcli"]
    assert str(chidi.icalendar_component["summary"]) == "Thank Chidi Okafor for the help."
    assert str(chidi.icalendar_component["X-NETCLI-NUDGE"]) == nudges["Thank Chidi Okafor"]["id"]

    # on the phone: Chidi ticked, Carmen deleted, Maya's DUE moved to next week
    chidi.complete()
    on_server[f"nudge-{nudges['Follow Carmen Ruiz']['id']}@netcli"].delete()
    maya = on_server[f"nudge-{nudges['Thank Maya Patel']['id']}@netcli"]
    later = TODAY + timedelta(days=7)
    maya.icalendar_component.pop("DUE")
    maya.icalendar_component.add("due", later)
    maya.save()

    tasklist.sync()
    summary = netcli_sync(cli, tasklist)
    assert (summary["completed"], summary["dismissed"], summary["snoozed"]) == (1, 1, 1), summary
    assert (cli.json("history", "Chidi")[0]["kind"], cli.json("history", "Chidi")[0]["date"]) == (
        "thanks",
        TODAY.isoformat(),
    )
    assert cli.json("nudge", "--all") == []
    assert [n["id"] for n in cli.json("nudge", "--as-of", later.isoformat())] == [nudges["Thank Maya Patel"]["id"]]
    tasklist.sync()
    on_server = tasklist.todos()
    assert on_server["milk-1"].data == milk_before  # the phone's own task, byte for byte
    assert str(on_server[chidi.icalendar_component["uid"]].icalendar_component["status"]) == "COMPLETED"
    assert on_server[maya.icalendar_component["uid"]].icalendar_component["due"].dt == later
    assert len(on_server) == 3

    # in step: netcli and vdirsyncer both find nothing to do
    again = netcli_sync(cli, tasklist)
    assert [again[k] for k in ("written", "completed", "dismissed", "snoozed", "removed", "kept")] == [0] * 6
    quiet = tasklist.sync()
    assert "Copying" not in quiet and "Deleting" not in quiet, quiet

    # Maya thanked here: her task leaves the phone; Chidi's tick stays there
    cli("log", "Maya", "--kind", "thanks")
    assert netcli_sync(cli, tasklist)["removed"] == 1
    tasklist.sync()
    assert set(tasklist.todos()) == {"milk-1", str(chidi.icalendar_component["uid"])}
    assert len(tasks_in(tasklist.vdir)) == 1
    assert [len(cli.json("history", who)) for who in ("Chidi", "Maya")] == [3, 3]  # one thanks each, no more
