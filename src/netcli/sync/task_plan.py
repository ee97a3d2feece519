"""The decision table of `sync tasks`, pure: three states in, actions out.

- here: the nudges that concern the task list (`Nudged`, by nudge id): the
  first `limit` open ones (`listed`), and those of the other tasks that still
  fire, open, snoozed or closed (done, dismissed). A nudge not there is gone
  (acted on, lapsed).
- there: the files of the folder (`There`): a task netcli wrote carries its
  nudge id; another program's task carries none and is never touched.
- agreed: what the last sync left in each of netcli's tasks, and what
  netcli wanted in it then (`Agreed`): a field that differs from the one is
  the phone's edit, from the other netcli's.

`decide` gives the `sync.actions` that bring them in step:
- a task completed there completes its nudge here on its completion day; one
  cancelled or deleted there dismisses it; a DUE moved later (past today)
  snoozes it to that day;
- a listed nudge without a task gets one; a task whose fields netcli changed
  is rewritten, keeping each field the phone changed (field by field);
- the task of a nudge that is no longer listed is removed, unless it was
  changed there since (then it is kept and listed); a completed or cancelled
  task stays there as the phone's own record;
- a file netcli cannot read is listed and left alone; a task list that
  suddenly holds no file at all dismisses nothing (its tasks are written again).
A task found in the folder without an agreed state (a sync stopped before
it committed) pairs with its nudge again, so a nudge never gets two tasks.
No database, no files, no clock: `today` is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from netcli.formats.todo import Task
from netcli.sync.actions import Action, Change, Forget, Keep, Remove, Settle, Unparsable, Write

COMPARED = ("summary", "description", "due", "priority", "categories")  # netcli's fields, merged field by field
ALIVE = ("open", "snoozed")  # a nudge that the phone's tick, deletion or new DUE can still act on


@dataclass(frozen=True, slots=True)
class Nudged:
    """A nudge here, as the task list sees it."""

    status: str  # "open", "snoozed" or "closed" (done, dismissed)
    task: Task  # what its task holds
    listed: bool = False  # open and among the first `limit`: it has a task
    until: dt.date | None = None  # the day it is snoozed until


@dataclass(frozen=True, slots=True)
class There:
    """A file of the folder: a task (netcli's, when `nudge_id`), or unreadable (`task` None, `why`)."""

    href: str
    task: Task | None
    nudge_id: str | None = None
    why: str = ""


@dataclass(frozen=True, slots=True)
class Both:
    """What the last sync left in a task (`there`), and what netcli wanted it
    to hold (`here`): a field either side changed since is that side's edit."""

    there: Task
    here: Task


@dataclass(frozen=True, slots=True)
class Agreed:
    """What the last sync agreed of a task of netcli's, and its file's name."""

    href: str
    there: Task
    here: Task
    removing: bool = False  # to be taken out of the folder once the database committed

    @property
    def both(self) -> Both:
        return Both(self.there, self.here)


def href_for(nudge_id: str) -> str:
    """The file a nudge's task is written to."""
    return f"nudge-{nudge_id}.ics"


def emptied(there: Iterable[There], agreed: Mapping[str, Agreed]) -> bool:
    """A task list that held several of netcli's tasks and now holds no file
    at all: a folder swapped or wiped (vdirsyncer calls it an empty storage),
    not a phone's deletions, so nothing is dismissed for it."""
    return not any(True for _ in there) and sum(1 for row in agreed.values() if not row.removing) > 1


def decide(
    here: Mapping[str, Nudged], there: Iterable[There], agreed: Mapping[str, Agreed], *, today: dt.date
) -> list[Action]:
    """The actions that bring the nudges and the task list in step."""
    files = list(there)
    by_href = {item.href: item for item in files}
    owner = {row.href: key for key, row in agreed.items()}
    claimed: dict[str, list[There]] = {}
    actions: list[Action] = [Unparsable(item.href, item.why) for item in files if item.task is None]
    for item in files:
        if item.task is not None and item.nudge_id is not None and owner.get(item.href, item.nudge_id) == item.nudge_id:
            claimed.setdefault(item.nudge_id, []).append(item)
    wiped = emptied(files, agreed)
    for key in sorted(set(agreed) | set(claimed) | set(here)):
        row = agreed.get(key)
        if row is not None and wiped and not row.removing:
            actions.append(Forget(key))
            row = None  # written again where listed; nothing dismissed
        actions += _one(key, here.get(key), _file(key, row, claimed, by_href), row, by_href, today)
    return actions


def _file(key: str, row: Agreed | None, claimed: dict[str, list[There]], by_href: dict[str, There]) -> There | None:
    """The file of a nudge's task: the one last synced, else one that carries the nudge
    (the file netcli names, first)."""
    if row is not None and row.href in by_href:
        item = by_href[row.href]
        if item.task is None or item.nudge_id in (None, key):
            return item
    candidates = claimed.get(key, [])
    return next((i for i in candidates if i.href == href_for(key)), candidates[0] if candidates else None)


def _one(
    key: str, h: Nudged | None, item: There | None, row: Agreed | None, by_href: dict[str, There], today: dt.date
) -> Sequence[Action]:
    alive = h is not None and h.status in ALIVE
    if item is not None and item.task is None:
        return []  # unreadable: listed already, and left as it is (its agreed state too)
    if item is None:
        if row is not None and not row.removing:  # deleted there
            return ([Change("dismiss", key, row.href)] if alive else []) + [Forget(key)]
        gone: list[Action] = [Forget(key)] if row is not None else []  # taken out as planned
        if h is None or not h.listed:
            return gone
        href = href_for(key)
        if href in by_href:
            return [*gone, Keep(key, href, "a file of that name is there already; netcli leaves it alone")]
        return [*gone, Write(key, href, h.task, new=True), Settle(key, href, Both(h.task, h.task))]
    task = item.task
    assert task is not None
    if row is None:
        return _adopt(key, h, item, task, today)
    keeps = h is not None and (h.listed or h.status == "snoozed")  # its nudge is to have a task
    if row.removing and task == row.there and not keeps:
        return [Remove(key, item.href)]  # the removal a stopped sync did not finish
    before = row.there
    moved = item.href != row.href or row.removing  # the row changes even if the task does not
    if task.done or task.cancelled:
        verb = "complete" if task.done else "dismiss"
        acted = (task.done and not before.done) or (task.cancelled and not before.cancelled)
        found: list[Action] = [_finish(verb, key, item.href, task, today)] if acted and alive else []
        if task != before or moved:
            found.append(Settle(key, item.href, Both(task, row.here)))
        return found
    found = []
    status = h.status if h is not None else None
    later = task.due is not None and task.due > today and (before.due is None or task.due > before.due)
    if later and alive and h is not None and h.until != task.due:
        found.append(Change("snooze", key, item.href, day=task.due))
        status = "snoozed"
    if h is not None and (keeps or status == "snoozed"):
        theirs = {f for f in COMPARED if getattr(task, f) != getattr(before, f)}  # the phone's edits stay
        mine = {f for f in COMPARED if getattr(h.task, f) != getattr(row.here, f)}
        merged = replace(task, **{f: getattr(h.task, f) for f in mine - theirs})
        if merged != task:
            found.append(Write(key, item.href, merged, new=False))
        if merged != before or h.task != row.here or moved:
            found.append(Settle(key, item.href, Both(merged, h.task)))
        return found
    if task != before:
        found.append(Keep(key, item.href, _why_kept(h)))
        if moved:
            found.append(Settle(key, item.href, row.both))
        return found
    return [Remove(key, item.href), Settle(key, item.href, row.both, removing=True)]


def _adopt(key: str, h: Nudged | None, item: There, task: Task, today: dt.date) -> Sequence[Action]:
    """A task of netcli's with no agreed state (written by a sync that was stopped before it committed,
    or put back by vdirsyncer after netcli removed it): its tick counts; its other fields are netcli's."""
    if h is None or (h.status not in ALIVE and not h.listed):
        return []  # a task of a nudge that is over: the phone's record now, not netcli's to touch
    if task.done or task.cancelled:
        verb = "complete" if task.done else "dismiss"
        return [_finish(verb, key, item.href, task, today), Settle(key, item.href, Both(task, h.task))]
    if not (h.listed or h.status == "snoozed"):
        return []
    target = replace(task, **{f: getattr(h.task, f) for f in COMPARED})
    written = [Write(key, item.href, target, new=False)] if target != task else []
    return [*written, Settle(key, item.href, Both(target, h.task))]


def _finish(verb: str, key: str, href: str, task: Task, today: dt.date) -> Change:
    """Complete on the day the task was completed (never after today), or dismiss."""
    day = min(task.completed_on or today, today) if verb == "complete" else None
    return Change(verb, key, href, day=day)


def _why_kept(h: Nudged | None) -> str:
    if h is None:
        return "its nudge went away here (acted on, or lapsed), and the task was changed there since"
    if h.status == "closed":
        return "its nudge is done or dismissed here, and the task was changed there since"
    return "its nudge is no longer among the first listed, and the task was changed there since"
