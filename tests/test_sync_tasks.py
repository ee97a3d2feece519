"""`netcli sync tasks` on a task list folder written by hand, as vdirsyncer
leaves one and as phones rewrite their tasks (tasks.org through DAVx5,
Apple Reminders through iCloud): every file netcli writes is read back with
icalendar; ticks, deletions and new due days come back; foreign tasks stay
byte for byte; a dry run is exact; bad input is one line. The server and
vdirsyncer themselves: tests/test_sync_tasks_dav.py."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import Cli

TODAY = date.today()
FOREIGN = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:+//IDN tasks.org//android-130804//EN\r\nBEGIN:VTODO\r\n"
    "UID:shopping-1\r\nSUMMARY:Buy milk\r\nDUE;VALUE=DATE:20261201\r\nX-APPLE-SORT-ORDER:12\r\n"
    "END:VTODO\r\nEND:VCALENDAR\r\n"
)


def todo_of(path: Path):
    calendar = Calendar.from_ical(path.read_bytes())
    (todo,) = calendar.walk("VTODO")
    return todo


def tasks_in(folder: Path) -> dict[str, Path]:
    """netcli's tasks in the folder, by the nudge they stand for."""
    found = {}
    for path in sorted(folder.glob("*.ics")):
        marker = todo_of(path).get("X-NETCLI-NUDGE")
        if marker:
            assert str(marker) not in found, f"two tasks for the nudge {marker}"
            found[str(marker)] = path
    return found


def save_as_phone(path: Path, change) -> None:
    """The task as a phone saves it: read, changed, written as a new file put in place."""
    calendar = Calendar.from_ical(path.read_bytes())
    (todo,) = calendar.walk("VTODO")
    change(todo)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(calendar.to_ical())
    os.replace(temporary, path)


def tick(on: date):
    def change(todo) -> None:
        for key in ("status", "completed", "percent-complete"):
            todo.pop(key, None)
        todo.add("status", "COMPLETED")
        todo.add("completed", datetime(on.year, on.month, on.day, 9, 30))
        todo.add("percent-complete", 100)

    return change


def move_due(to: date):
    def change(todo) -> None:
        todo.pop("due")
        todo.add("due", to)

    return change


def sync(cli: Cli, folder: Path, *args: str) -> dict:
    summary = cli.json("sync", "tasks", str(folder), *args)
    assert set(summary) >= {"tasks", "written", "completed", "dismissed", "snoozed", "removed", "kept", "unparsable"}
    return summary


def three_nudges(cli: Cli) -> Cli:
    """Three nudges: thank Chidi (help received), follow up Carmen (met), thank Maya."""
    cli("add", "Chidi Okafor", "--on", "20 days ago")
    cli("log", "Chidi", "--kind", "help-received", "--on", "4 days ago")
    cli("add", "Carmen Ruiz", "--on", "3 days ago")
    cli("add", "Maya Patel", "--on", "30 days ago")
    cli("log", "Maya", "--kind", "help-received", "--on", "5 days ago")
    return cli


@pytest.fixture(scope="module")
def network_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The network made once for the module (a new database and five commands took 2 s a test)."""
    folder = tmp_path_factory.mktemp("network")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NETCLI_DB", str(folder / "netcli.db"))
        env.setenv("NETCLI_CONFIG", str(folder / "config.toml"))
        three_nudges(Cli())
    return folder / "netcli.db"


@pytest.fixture
def network(network_file: Path, isolated: Path) -> Cli:
    """A copy of the module's network, on SQLite: these tests are about the sync's flow, which no
    engine changes (the engines: test_each_nudge_becomes_a_task_as_the_contract_says, the DAV tests)."""
    shutil.copyfile(network_file, os.environ["NETCLI_DB"])
    return Cli()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "tasks"
    path.mkdir()
    (path / "shopping-1.ics").write_bytes(FOREIGN.encode())
    return path


def nudge_named(cli: Cli, words: str) -> dict:
    (found,) = [n for n in cli.json("nudge", "--all") if words in n["action"]]
    return found


def test_each_nudge_becomes_a_task_as_the_contract_says(cli: Cli, folder: Path):
    network = three_nudges(cli)
    summary = sync(network, folder)
    assert (summary["tasks"], summary["written"]) == (3, 3), summary
    nudges = network.json("nudge")
    tasks = tasks_in(folder)
    assert set(tasks) == {n["id"] for n in nudges}
    for rank, nudge in enumerate(nudges):
        path = tasks[nudge["id"]]
        assert path.stat().st_mode & 0o777 == 0o600
        todo = todo_of(path)
        assert str(todo["uid"]) == f"nudge-{nudge['id']}@netcli"
        assert str(todo["summary"]) == nudge["action"]
        assert str(todo["description"]) == nudge["reason"]
        assert todo["due"].dt == date.fromisoformat(nudge["due"])
        assert int(todo["priority"]) == (1 if rank < 3 else 5)
        assert [str(c) for c in todo["categories"].cats] == ["netcli", nudge["rule"]]
        assert str(todo["status"]) == "NEEDS-ACTION" and todo.get("dtstamp")
    assert (folder / "shopping-1.ics").read_bytes() == FOREIGN.encode()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_second_sync_changes_nothing(network: Cli, folder: Path):
    sync(network, folder)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    summary = sync(network, folder)
    assert [summary[k] for k in ("written", "completed", "dismissed", "snoozed", "removed", "kept")] == [0] * 6
    assert summary["tasks"] == 3
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before


def test_ticked_on_the_phone_is_done_here_on_that_day_once(network: Cli, folder: Path):
    sync(network, folder)
    thank = nudge_named(network, "Thank Chidi")
    ticked_on = TODAY - timedelta(days=1)
    save_as_phone(tasks_in(folder)[thank["id"]], tick(ticked_on))
    summary = sync(network, folder)
    assert summary["completed"] == 1, summary
    history = network.json("history", "Chidi")
    assert (history[0]["kind"], history[0]["date"]) == ("thanks", ticked_on.isoformat())
    assert thank["id"] not in {n["id"] for n in network.json("nudge", "--all")}
    # the tick stays on the phone; syncing again logs nothing twice
    assert str(todo_of(tasks_in(folder)[thank["id"]])["status"]) == "COMPLETED"
    again = sync(network, folder)
    assert (again["completed"], again["written"], again["removed"]) == (0, 0, 0), again
    assert len(network.json("history", "Chidi")) == len(history)
    network("done", thank["id"], code=1)  # closed already: nothing to do twice


def test_deleted_on_the_phone_is_dismissed_for_the_cycle(network: Cli, folder: Path):
    sync(network, folder)
    follow = nudge_named(network, "Carmen")
    tasks_in(folder)[follow["id"]].unlink()
    summary = sync(network, folder)
    assert (summary["dismissed"], summary["written"], summary["tasks"]) == (1, 0, 2), summary
    assert follow["id"] not in {n["id"] for n in network.json("nudge", "--all")}
    assert follow["id"] not in tasks_in(folder)  # not written again
    assert sync(network, folder)["dismissed"] == 0


def test_due_moved_later_on_the_phone_snoozes_here_to_that_day(network: Cli, folder: Path):
    sync(network, folder)
    follow = nudge_named(network, "Carmen")
    later = TODAY + timedelta(days=4)
    save_as_phone(tasks_in(folder)[follow["id"]], move_due(later))
    summary = sync(network, folder)
    assert (summary["snoozed"], summary["written"]) == (1, 1), summary  # its PRIORITY: low, now it waits
    assert follow["id"] not in {n["id"] for n in network.json("nudge", "--all")}
    assert follow["id"] in {n["id"] for n in network.json("nudge", "--all", "--as-of", later.isoformat())}
    assert todo_of(tasks_in(folder)[follow["id"]])["due"].dt == later  # the task stays, on its new day
    assert sync(network, folder)["snoozed"] == 0


def test_a_snooze_here_moves_the_due_there(network: Cli, folder: Path):
    sync(network, folder)
    follow = nudge_named(network, "Carmen")
    network("snooze", follow["id"], "--for", "3d")
    assert sync(network, folder)["written"] == 1
    assert todo_of(tasks_in(folder)[follow["id"]])["due"].dt == TODAY + timedelta(days=3)


def test_a_nudge_acted_on_here_has_its_task_removed(network: Cli, folder: Path):
    sync(network, folder)
    follow = nudge_named(network, "Carmen")
    network("log", "Carmen", "--note", "coffee")
    summary = sync(network, folder)
    assert (summary["removed"], summary["tasks"]) == (1, 2), summary
    assert follow["id"] not in tasks_in(folder)
    again = sync(network, folder)
    assert (again["removed"], again["dismissed"]) == (0, 0), again


def test_a_task_changed_there_is_kept_when_its_nudge_goes(network: Cli, folder: Path):
    sync(network, folder)
    follow = nudge_named(network, "Carmen")
    path = tasks_in(folder)[follow["id"]]

    def note(todo) -> None:
        todo.pop("description")
        todo.add("description", "bring the slides")

    save_as_phone(path, note)
    network("done", follow["id"])
    result = network("sync", "tasks", str(folder), "--json")
    summary = json.loads(result.stdout)
    assert (summary["kept"], summary["removed"]) == (1, 0) and path.exists(), summary
    assert summary["kept_list"][0]["task"] == path.name
    assert f"kept: {path.name}" in result.stderr


def test_foreign_tasks_are_never_touched(network: Cli, folder: Path):
    other = folder / "event.ics"
    other.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:e1\r\nSUMMARY:Lunch\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    stamps = {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.iterdir()}
    sync(network, folder)
    network("log", "Carmen")
    network("log", "Chidi", "--kind", "thanks")
    sync(network, folder)
    for name, stamp in stamps.items():
        path = folder / name
        assert (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino) == stamp


def test_a_file_netcli_cannot_read_is_listed_and_left_alone(network: Cli, folder: Path):
    broken = folder / "broken.ics"
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMMARY:half\r\n")
    binary = folder / "\x1b[31mred.ics"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = network("sync", "tasks", str(folder), "--json")
    summary = json.loads(result.stdout)
    assert (summary["unparsable"], summary["written"]) == (2, 3), summary
    assert {u["task"] for u in summary["unparsable_list"]} == {"broken.ics", "[31mred.ics"}
    assert "\x1b" not in result.stderr and "\x1b" not in result.stdout
    assert broken.read_bytes() == b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMMARY:half\r\n"


def test_a_dry_run_lists_what_a_sync_would_do_and_changes_nothing(network: Cli, folder: Path):
    sync(network, folder)
    thank = nudge_named(network, "Thank Chidi")
    save_as_phone(tasks_in(folder)[thank["id"]], tick(TODAY))
    tasks_in(folder)[nudge_named(network, "Carmen")["id"]].unlink()
    network("add", "Nia New", "--on", "2 days ago")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    history = network.json("history")
    plain = network("sync", "tasks", str(folder), "--dry-run")
    assert "would be completed: Thank Chidi Okafor for the help." in plain.stdout
    assert "dry run, nothing written" in plain.stderr
    dry = sync(network, folder, "--dry-run")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert network.json("history") == history
    real = sync(network, folder)
    counts = ("tasks", "written", "completed", "dismissed", "snoozed", "removed", "kept", "unparsable")
    assert [dry[k] for k in counts] == [real[k] for k in counts]
    assert (real["completed"], real["dismissed"], real["written"]) == (1, 1, 1), real
    assert dry["changes"] == real["changes"] and dry["dry_run"] and not real["dry_run"]


def test_limit_and_the_configured_folder(network: Cli, folder: Path):
    assert sync(network, folder, "--limit", "1")["tasks"] == 1
    network("config", "set", "sync.tasks", str(folder))
    summary = network.json("sync", "tasks")
    assert (summary["tasks"], summary["written"]) == (3, 2)
    assert sync(network, folder, "--limit", "2")["removed"] == 1


@pytest.mark.one_engine
def test_bad_input_is_one_line(cli: Cli, tmp_path: Path):
    assert "netcli config set sync.tasks" in cli("sync", "tasks", code=2).stderr
    assert "error: the folder is empty text" in cli("sync", "tasks", " ", code=2).stderr
    missing = cli("sync", "tasks", str(tmp_path / "nowhere"), code=1).stderr
    assert missing.startswith("error:") and "does not exist" in missing and missing.count("\n") == 1
    (tmp_path / "file.ics").write_text("x")
    assert "is a file, not a folder" in cli("sync", "tasks", str(tmp_path / "file.ics"), code=1).stderr
    (tmp_path / "calendars" / "tasks").mkdir(parents=True)
    (tmp_path / "calendars" / "tasks" / "a.ics").write_bytes(FOREIGN.encode())
    nested = cli("sync", "tasks", str(tmp_path / "calendars"), code=1).stderr
    assert "give one task list" in nested
    cli("sync", "tasks", str(tmp_path), "--limit", "0", code=2)
    assert "sync.tasks" in cli("config", "set", "sync.tasks", "a\x00b", code=1).stderr


def test_a_folder_netcli_cannot_write_changes_nothing(network: Cli, folder: Path):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder.chmod(0o500)
    try:
        assert "permission denied" in network("sync", "tasks", str(folder), code=1).stderr
    finally:
        folder.chmod(0o700)
    assert network.json("history", "Chidi")[0]["kind"] == "help-received"


def test_apple_reminders_style_rewrites_pair_by_uid(network: Cli, folder: Path):
    """iCloud rewrites a task whole: its own PRODID, no X-NETCLI-NUDGE, DUE as a time of day with a TZID
    and a DTSTART; the UID is all that is left, and enough."""
    sync(network, folder)
    follow = nudge_named(network, "Carmen")
    path = tasks_in(folder)[follow["id"]]
    later = TODAY + timedelta(days=6)
    stamp = later.strftime("%Y%m%d")
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//iOS 18.1//EN\r\nBEGIN:VTODO\r\n"
        f"UID:nudge-{follow['id']}@netcli\r\nSUMMARY:{follow['action']}\r\n"
        f"DTSTART;TZID=Europe/Lisbon:{stamp}T090000\r\nDUE;TZID=Europe/Lisbon:{stamp}T090000\r\n"
        "X-APPLE-SORT-ORDER:714650\r\nSTATUS:NEEDS-ACTION\r\nSEQUENCE:3\r\nPRIORITY:1\r\n"
        "END:VTODO\r\nEND:VCALENDAR\r\n"
    )
    summary = sync(network, folder)
    assert (summary["snoozed"], summary["written"], summary["tasks"]) == (1, 1, 3), summary
    todo = todo_of(path)  # rewritten with what netcli holds (a low PRIORITY: it waits), the phone's DUE kept
    assert str(todo["X-NETCLI-NUDGE"]) == follow["id"] and str(todo["X-APPLE-SORT-ORDER"]) == "714650"
    assert todo["due"].dt.date() == later and int(todo["sequence"]) == 4 and int(todo["priority"]) == 9
    assert len(tasks_in(folder)) == 3


def test_nudge_notify_refreshes_the_task_list_quietly(network: Cli, folder: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(folder))  # no notifier: the brief line on stdout
    network("config", "set", "sync.tasks", str(folder))
    result = network("nudge", "--notify")
    assert result.stdout.startswith("netcli: 3 today") and result.stderr == ""
    assert len(tasks_in(folder)) == 3
    thank = nudge_named(network, "Thank Chidi")
    save_as_phone(tasks_in(folder)[thank["id"]], tick(TODAY))
    assert network("nudge", "--notify").stdout.startswith("netcli: 2 today")  # the tick came in first
    network("config", "set", "sync.tasks", str(folder / "gone"))
    result = network("nudge", "--notify")
    assert result.stdout.startswith("netcli: 2 today")
    assert result.stderr.startswith("netcli: the task list was not refreshed:") and result.stderr.count("\n") == 1


# A netcli killed (SIGKILL) at a chosen step of a sync: right after it put a task file in place (the
# database not committed yet), or right when it takes a file out (committed). Python's own calls are
# wrapped, so the kill comes at that point and no other, without timing.
KILLED = """
import os, pathlib, signal, sys
step, nth = sys.argv[1], int(sys.argv[2])
seen = []
def kill_at(name):
    seen.append(name)
    if len(seen) == nth:
        os.kill(os.getpid(), signal.SIGKILL)
if step == "placed":
    real_replace = os.replace
    def replace(source, target, *args, **kwargs):
        real_replace(source, target, *args, **kwargs)
        if str(target).endswith(".ics"):
            kill_at(target)
    os.replace = replace
else:
    real_unlink = pathlib.Path.unlink
    def unlink(self, *args, **kwargs):
        if self.suffix == ".ics":
            kill_at(self)
        real_unlink(self, *args, **kwargs)
    pathlib.Path.unlink = unlink
sys.argv = ["netcli", *sys.argv[3:]]
from netcli.__main__ import run
run()
"""


def killed_sync(folder: Path, step: str, nth: int, *args: str) -> None:
    import signal
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", KILLED, step, str(nth), "sync", "tasks", str(folder), *args],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_a_sync_killed_at_any_step_is_finished_by_the_next(network: Cli, folder: Path):
    sync(network, folder)
    thank = nudge_named(network, "Thank Chidi")
    save_as_phone(tasks_in(folder)[thank["id"]], tick(TODAY))
    network("add", "Nia New", "--on", "2 days ago")
    network("add", "Olu Obi", "--on", "1 day ago")
    # killed once the first new task is in place: the tick and the rows were never committed
    killed_sync(folder, "placed", 1)
    assert len(tasks_in(folder)) == 4 and not [p for p in folder.iterdir() if p.name.startswith(".")]
    assert network.json("history", "Chidi")[0]["kind"] == "help-received"
    summary = sync(network, folder)
    assert (summary["completed"], summary["written"], summary["tasks"]) == (1, 1, 5), summary
    assert len(tasks_in(folder)) == 5  # the task written before the kill paired again: one per nudge
    assert [h["kind"] for h in network.json("history", "Chidi")].count("thanks") == 1
    # killed as it takes out the tasks beyond a new limit, after the commit: taken out by the next
    killed_sync(folder, "removed", 1, "--limit", "2")
    again = sync(network, folder, "--limit", "2")
    assert (again["removed"], again["dismissed"], again["tasks"]) == (2, 0, 3), again  # and the tick
    assert len(tasks_in(folder)) == 3  # two listed, and Chidi's tick, which stays the phone's
    assert sync(network, folder)["written"] == 2  # nothing was dismissed: back with the usual limit
    idle = sync(network, folder)
    assert [idle[k] for k in ("written", "completed", "dismissed", "snoozed", "removed", "kept")] == [0] * 6


def test_the_calendar_export_carries_sessions_events_and_birthdays_with_stable_uids(network: Cli, tmp_path: Path):
    network("edit", "Maya", "--birthday", "--02-29")
    network("edit", "Carmen", "--birthday", "1990-07-04")
    network("mentor", "add", "Dana Novak", "--every", "2w")
    network("event", "add", "Rust Meetup", "--on", (TODAY + timedelta(days=5)).isoformat())
    first, second = tmp_path / "one.ics", tmp_path / "two.ics"
    network("export", "ics", "--output", str(first))
    network("export", "ics", "--output", str(second))
    calendar = Calendar.from_ical(first.read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    todos = {str(t["uid"]) for t in calendar.walk("VTODO")}
    again = Calendar.from_ical(second.read_bytes())
    assert set(events) | todos == {str(c["uid"]) for c in [*again.walk("VEVENT"), *again.walk("VTODO")]}
    assert todos == {f"nudge-{n['id']}@netcli" for n in network.json("nudge", "--all")}  # as `sync tasks` names them
    maya = next(e for e in events.values() if str(e["summary"]) == "Birthday: Maya Patel")
    assert maya["dtstart"].dt == date(2000, 2, 29) and maya["rrule"]["FREQ"] == ["YEARLY"]
    assert maya["rrule"]["BYMONTHDAY"] == [-1]  # Feb 28 in a common year, as the birthday rule has it
    carmen = next(e for e in events.values() if str(e["summary"]) == "Birthday: Carmen Ruiz")
    assert carmen["dtstart"].dt == date(1990, 7, 4) and str(carmen["transp"]) == "TRANSPARENT"
    assert any(str(e["summary"]) == "Rust Meetup" for e in events.values())
    assert any(str(e["summary"]).startswith("Mentor session with Dana Novak") for e in events.values())
    assert str(calendar["x-published-ttl"]) == "PT12H"


def test_files_vdirsyncer_changes_while_netcli_syncs(network: Cli, folder: Path, monkeypatch: pytest.MonkeyPatch):
    """vdirsyncer writes the same folder: a task it deletes after netcli listed the folder counts as
    deleted; a task it rewrites after netcli read it is never overwritten (the sync stops, whole)."""
    from netcli.sync import folder as files
    from netcli.sync import task_list

    sync(network, folder)
    follow, thank = nudge_named(network, "Carmen"), nudge_named(network, "Thank Chidi")
    listing = files.list_cards

    def deleted_after_listing(*args, **kwargs):
        found = listing(*args, **kwargs)
        tasks_in(folder)[follow["id"]].unlink()
        return found

    save_as_phone(tasks_in(folder)[follow["id"]], move_due(TODAY - timedelta(days=1)))  # read again, not skipped
    monkeypatch.setattr(files, "list_cards", deleted_after_listing)
    assert sync(network, folder)["dismissed"] == 1
    monkeypatch.setattr(files, "list_cards", listing)

    network("snooze", thank["id"], "--for", "2d")  # netcli will rewrite its DUE
    path = tasks_in(folder)[thank["id"]]
    decide = task_list.decide

    def edited_meanwhile(*args, **kwargs):
        found = decide(*args, **kwargs)
        save_as_phone(path, tick(TODAY))
        return found

    monkeypatch.setattr(task_list, "decide", edited_meanwhile)
    stopped = network("sync", "tasks", str(folder), code=1).stderr
    assert "changed while netcli synced the task list; run the sync again" in stopped
    assert str(todo_of(path)["status"]) == "COMPLETED"  # the phone's tick is there still
    monkeypatch.setattr(task_list, "decide", decide)
    assert sync(network, folder)["completed"] == 1
    # and one it deletes after netcli read it: the same
    maya = nudge_named(network, "Thank Maya")
    network("snooze", maya["id"], "--for", "2d")

    def deleted_meanwhile(*args, **kwargs):
        found = decide(*args, **kwargs)
        tasks_in(folder)[maya["id"]].unlink()
        return found

    monkeypatch.setattr(task_list, "decide", deleted_meanwhile)
    assert "run the sync again" in network("sync", "tasks", str(folder), code=1).stderr


def test_an_emptied_folder_dismisses_nothing(network: Cli, folder: Path):
    sync(network, folder)
    for path in folder.iterdir():
        path.unlink()
    result = network("sync", "tasks", str(folder), "--json")
    summary = json.loads(result.stdout)
    assert (summary["dismissed"], summary["written"], summary["tasks"]) == (0, 3, 3), summary
    assert "holds no file at all: nothing dismissed" in result.stderr
    assert len(network.json("nudge")) == 3


def test_two_ticks_for_one_person_log_what_each_asks_once(cli: Cli, tmp_path: Path):
    """Thanking someone you are also overdue to reconnect with: both ticked on the phone. Whichever
    is carried first, its interaction may start the other's new cycle: never a second thanks."""
    folder = tmp_path / "tasks"
    folder.mkdir()
    cli("add", "Ines Ito", "--on", "200 days ago")
    cli("log", "Ines", "--kind", "help-received", "--on", "120 days ago")
    assert {n["rule"] for n in cli.json("nudge")} == {"thank", "reconnect"}
    sync(cli, folder)
    for path in tasks_in(folder).values():
        save_as_phone(path, tick(TODAY))
    summary = sync(cli, folder)
    kinds = [h["kind"] for h in cli.json("history", "Ines")]
    assert kinds.count("thanks") == 1 and kinds.count("message") <= 1, kinds
    assert summary["completed"] == len(kinds) - 2, summary  # one per interaction logged
    assert cli.json("nudge") == []
    assert sync(cli, folder)["completed"] == 0
