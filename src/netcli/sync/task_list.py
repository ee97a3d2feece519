"""`netcli sync tasks`: the nudges kept in step with a CalDAV task list.

One sync: list the folder's `.ics` files (a file whose size and time are as
last synced is not read again), ask the nudges here (`Nudges`, the
pipeline), decide (`sync.task_plan`, pure), carry out what the phone asked
for here (done on its day, dismiss, snooze), and decide again with the
nudges as they are now, so that one sync does what two would. Then the
files are written, each whole (`sync.folder`), and the agreed state saved,
in the caller's one transaction. Files to take out of the folder are named
in the agreed state first and taken out only after the caller has
committed (`remove_files`): a sync stopped at any point leaves no
half-written file, never takes a task away that the database does not know
it took, and the next sync finishes the work. Knows nothing of a terminal:
each change goes to a callback, and into the summary.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from netcli.errors import NetcliError, NotFound
from netcli.formats.todo import MAX_BYTES, InvalidTask, Task, read_task, task_of, uid_for, write_task
from netcli.store.sync_tasks import save_tasks, synced_tasks
from netcli.sync import actions as act
from netcli.sync import folder as files
from netcli.sync.task_plan import Agreed, Nudged, There, decide, emptied
from netcli.text import plain_line  # names and titles another program chose, safe to show

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcli.models import SyncTask

WHAT = "a folder of .ics tasks (a vdir of a CalDAV task list, as vdirsyncer keeps one)"
Report = Callable[[str, str], None]  # (what happens, to which task)


class Nudges(Protocol):
    """The nudges here, as `sync tasks` asks them (`netcli.pipeline.Pipeline`)."""

    def for_tasks(self, *, limit: int, also: Collection[str] = ()) -> list[dict[str, Any]]: ...

    def mark(
        self,
        nudge_id: str,
        *,
        state: str,
        until: dt.date | None = None,
        note: str | None = None,
        on: dt.date | None = None,
    ) -> Any: ...


@dataclass
class Outcome:
    """A sync's summary (the contract's keys and the lists behind them), and
    the files to take out of the folder once the database has committed."""

    summary: dict[str, Any]
    removals: list[Path] = field(default_factory=list)


def sync_tasks(
    session: Session,
    folder: Path,
    *,
    nudges: Nudges,
    today: dt.date,
    limit: int,
    zone: dt.tzinfo | None = None,
    dry_run: bool = False,
    report: Report | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    """Keep the task list in `folder` in step with the nudges; the contract's summary."""
    resolved = files.resolve(folder, what=WHAT)
    return _Sync(session, resolved, nudges, today, limit, zone, report, now).run(dry_run)


def remove_files(paths: Collection[Path]) -> None:
    """Take out the tasks a committed sync decided to remove (a file already gone is fine)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class _Sync:
    def __init__(
        self,
        session: Session,
        folder: Path,
        nudges: Nudges,
        today: dt.date,
        limit: int,
        zone: dt.tzinfo | None,
        report: Report | None,
        now: dt.datetime | None,
    ) -> None:
        self.session, self.folder, self.nudges, self.today, self.limit = session, folder, nudges, today, limit
        self.zone, self.report = zone, report
        self.now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.listed, self.stale, misnamed = files.list_cards(
            folder, suffix=".ics", items="tasks", collection="task list"
        )
        self.rows = synced_tasks(session, folder=str(folder))
        self.by_href = {item.href: item for item in self.listed}
        self.data: dict[str, bytes] = {}  # href -> the bytes read, for a rewrite
        self.words: dict[str, str] = {}  # nudge id -> its action, for the messages
        self.changes: list[dict[str, str]] = []
        self.there = [There(name, None, why="its file name is not UTF-8 text; rename it") for name in misnamed]
        by_href = {row.href: row for row in self.rows.values()}
        read = [self.read(item, by_href.get(item.href)) for item in self.listed]
        self.there += [item for item in read if item is not None]
        self.agreed = {key: _agreed(row.href, row.agreed, row.removing) for key, row in self.rows.items()}

    def read(self, item: files.Listed, row: SyncTask | None) -> There | None:
        """One file as the decision sees it (None: gone since the listing, as vdirsyncer may
        delete it meanwhile); not read again when its size and time are as last synced."""
        if row is not None and (row.size, row.mtime_ns) == (item.size, item.mtime_ns):
            return There(item.href, _agreed(row.href, row.agreed, row.removing).there, row.nudge_id)
        try:
            with open(item.path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)  # no more than a task could hold: the reader refuses it
            found = read_task(data, zone=self.zone)
        except InvalidTask as exc:
            return There(item.href, None, why=exc.message)
        except FileNotFoundError:
            del self.by_href[item.href]
            return None
        except OSError as exc:
            return There(item.href, None, why=f"cannot be read: {exc.strerror or exc}")
        item.digest = hashlib.sha256(data).hexdigest()
        if found is None:  # an event, in a collection that holds both: another program's
            return There(item.href, Task(summary=""), None)
        self.data[item.href] = data
        return There(item.href, found.task, found.nudge_id)

    def tell(self, what: str, who: str) -> None:
        self.changes.append({"what": what, "task": who})
        if self.report:
            self.report(what, who)

    def here(self) -> dict[str, Nudged]:
        also = set(self.agreed) | {t.nudge_id for t in self.there if t.nudge_id is not None}
        found = self.nudges.for_tasks(limit=self.limit, also=also)
        self.words.update((n["id"], n["action"]) for n in found)
        return {
            n["id"]: Nudged(status=n["status"], task=task_of(n), listed=n["listed"], until=n["until"]) for n in found
        }

    def run(self, dry_run: bool) -> Outcome:
        done: list[act.Change] = []
        plan = decide(self.here(), self.there, self.agreed, today=self.today)
        for _ in range(3):  # a tick logs an interaction, which may start another nudge's new cycle
            changes = [a for a in act.of_kind(plan, act.Change) if self.change(a)]
            if not changes:
                break
            done += changes
            plan = decide(self.here(), self.there, self.agreed, today=self.today)
        if emptied(self.there, self.agreed):
            self.tell("kept", f"{self.folder} holds no file at all: nothing dismissed, the listed tasks written again")
        final: list[act.Action] = [a for a in plan if not isinstance(a, act.Change)]
        for action in final:
            self.describe(action)
        removals: list[Path] = []
        if not dry_run:
            removals = self.carry_out(final)
        return Outcome(self.summary(done, final, dry_run), removals)

    def change(self, action: act.Change) -> bool:
        """Carry out what the phone asked for here; False if the nudge cannot take it any more."""
        state = {"complete": "done", "dismiss": "dismissed", "snooze": "snoozed"}[action.verb]
        try:
            if action.verb == "complete":
                self.nudges.mark(action.key, state=state, on=action.day)
            else:
                self.nudges.mark(action.key, state=state, until=action.day)
        except NotFound:
            return False
        what = plain_line(self.words.get(action.key, action.key))
        if action.verb == "complete":
            self.tell("completed", f"{what} (ticked there on {action.day})")
        elif action.verb == "snooze":
            self.tell("snoozed", f"{what} (until {action.day}, its new due day there)")
        else:
            self.tell("dismissed", f"{what} (its task was {'cancelled' if action.href in self.by_href else 'deleted'})")
        return True

    def describe(self, action: act.Action) -> None:
        if isinstance(action, act.Write):
            what = f"{plain_line(action.content.summary)} ({plain_line(action.href)})"
            self.tell("written" if action.new else "rewritten", what)
        elif isinstance(action, act.Remove):
            what = self.words.get(action.key) or self.agreed[action.key].there.summary
            self.tell("removed", f"{plain_line(what)} ({plain_line(action.href)})")
        elif isinstance(action, act.Keep):
            self.tell("kept", f"{plain_line(action.href)}: {action.why}")
        elif isinstance(action, act.Unparsable):
            self.tell("unparsable", f"{plain_line(action.href)}: {action.why}")

    def carry_out(self, final: list[act.Action]) -> list[Path]:
        """Write the files, then save the agreed state; the files to take out after the commit."""
        writes: dict[str, tuple[str, int | None]] = {}
        for action in act.of_kind(final, act.Write):
            writes[action.href] = (self.text(action), files.mode_of(self.folder / action.href))
        written = files.carry_out(self.folder, writes, [], self.stale, items="tasks")
        self.by_href.update(written)
        rows: dict[str, dict[str, Any] | None] = {}
        for step in final:  # in order: a later Settle or Forget of a nudge wins
            if isinstance(step, act.Settle):  # of a file that is there, or was just written
                item = self.by_href[step.href]
                rows[step.key] = {
                    "nudge_id": step.key,
                    "href": step.href,
                    "uid": uid_for(step.key),
                    "size": item.size,
                    "mtime_ns": item.mtime_ns,
                    "digest": files.digest_of(item) or "",
                    "agreed": json.dumps(
                        {"there": step.agreed.there.to_json(), "here": step.agreed.here.to_json()},
                        sort_keys=True,
                        ensure_ascii=False,
                    ),
                    "removing": step.removing,
                }
            elif isinstance(step, act.Forget):
                rows[step.key] = None
        save_tasks(
            self.session,
            folder=str(self.folder),
            rows=[row for row in rows.values() if row is not None],
            gone=[key for key, row in rows.items() if row is None],
        )
        if act.of_kind(final, act.Remove) and not files.writable(self.folder):
            raise NetcliError(f"cannot write in {self.folder}: permission denied; netcli needs to remove its tasks")
        return [self.folder / action.href for action in act.of_kind(final, act.Remove)]

    def text(self, action: act.Write) -> str:
        nudge_id = action.key
        if action.new:
            data = write_task(action.content, uid=uid_for(nudge_id), nudge_id=nudge_id, now=self.now)
        else:
            # a file changed since it was read (vdirsyncer brought the phone's edit meanwhile) is not
            # overwritten: the whole sync stops, and the next one reads the edit
            listed, path = self.by_href[action.href], self.folder / action.href
            try:
                info = path.stat()
                base = self.data.get(action.href) or path.read_bytes()
            except OSError:
                info = None
            if info is None or (info.st_size, info.st_mtime_ns) != (listed.size, listed.mtime_ns):
                raise NetcliError(f"{path} changed while netcli synced the task list; run the sync again")
            current = read_task(base, zone=self.zone)
            assert current is not None
            data = write_task(
                action.content, uid=uid_for(nudge_id), nudge_id=nudge_id, now=self.now, base=base, current=current.task
            )
        return data.decode("utf-8")

    def summary(self, done: list[act.Change], final: list[act.Action], dry_run: bool) -> dict[str, Any]:
        counted = act.counts([*done, *final])
        ours = {key: row.href for key, row in self.agreed.items() if not row.removing and row.href in self.by_href}
        for action in final:
            if isinstance(action, act.Settle):
                if action.removing:
                    ours.pop(action.key, None)
                else:
                    ours[action.key] = action.href
            elif isinstance(action, act.Forget):
                ours.pop(action.key, None)
        return {
            "folder": str(self.folder),
            "tasks": len(ours),
            "written": counted["write"],
            "completed": counted["complete"],
            "dismissed": counted["dismiss"],
            "snoozed": counted["snooze"],
            "removed": counted["remove"],
            "kept": counted["keep"],
            "unparsable": counted["unparsable"],
            "kept_list": [{"task": plain_line(a.href), "why": a.why} for a in act.of_kind(final, act.Keep)],
            "unparsable_list": [
                {"task": plain_line(a.href), "reason": a.why} for a in act.of_kind(final, act.Unparsable)
            ],
            "changes": self.changes,
            "dry_run": dry_run,
        }


def _agreed(href: str, text: str, removing: bool) -> Agreed:
    """A row's agreed state: the task as it was left there, and as netcli wanted it."""
    values = json.loads(text)
    return Agreed(href, Task.from_json(values["there"]), Task.from_json(values["here"]), removing)
