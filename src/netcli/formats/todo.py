"""A task of a CalDAV task list: one VTODO in one `.ics` file, as
vdirsyncer keeps them in a vdir and phones (tasks.org, jtx Board, Apple
Reminders, Nextcloud Tasks, Thunderbird) write them. Read and written with
icalendar.

`read_task` gives the fields a sync compares (`Task`) and, for a task netcli
wrote, the nudge it stands for (`X-NETCLI-NUDGE`, else the UID netcli gives
it). `write_task` writes a new task, or sets the given fields on a task as
another program left it, keeping every other property (alarms, the phone's
own X- properties, its sort order) as it was. No database, no folder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from netcli import __version__
from netcli.errors import NetcliError

MARKER = "X-NETCLI-NUDGE"
PRODID = f"-//netcli//netcli {__version__}//EN"
MAX_BYTES = 1_000_000  # a task is a few hundred bytes; anything this large is not one netcli should parse
_OUR_UID = re.compile(r"nudge-([0-9a-f]{4,40})@netcli")
FIELDS = ("summary", "description", "due", "priority", "categories", "status", "completed_on")


class InvalidTask(NetcliError):
    """A file of the task list that cannot be read as a task; it is left alone."""


@dataclass(frozen=True, slots=True)
class Task:
    """What a sync compares of a task."""

    summary: str
    description: str | None = None
    due: dt.date | None = None
    priority: int | None = None
    categories: tuple[str, ...] = ()
    status: str = "NEEDS-ACTION"  # COMPLETED, CANCELLED, IN-PROCESS as the task says; COMPLETED also when 100 %
    completed_on: dt.date | None = None

    @property
    def done(self) -> bool:
        return self.status == "COMPLETED"

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"

    def to_json(self) -> dict[str, Any]:
        values = asdict(self)
        for key in ("due", "completed_on"):
            values[key] = values[key].isoformat() if values[key] else None
        values["categories"] = list(self.categories)
        return values

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> Task:
        known: dict[str, Any] = {key: values[key] for key in FIELDS if key in values}
        for key in ("due", "completed_on"):
            if known.get(key):
                known[key] = dt.date.fromisoformat(str(known[key]))
        known["categories"] = tuple(known.get("categories") or ())
        return replace(cls(summary=""), **known)


@dataclass(frozen=True, slots=True)
class TaskFile:
    """One file of the task list, read."""

    uid: str | None
    nudge_id: str | None  # the nudge netcli wrote it for; None: another program's task
    task: Task


def uid_for(nudge_id: str) -> str:
    """The UID of a nudge's task: the same for the nudge's whole cycle, and the
    same as in `netcli export ics`, so a calendar updates it instead of adding one."""
    return f"nudge-{nudge_id}@netcli"


def nudge_of_uid(uid: str | None) -> str | None:
    found = _OUR_UID.fullmatch(uid or "")
    return found.group(1) if found else None


def read_task(data: bytes, *, zone: dt.tzinfo | None = None) -> TaskFile | None:
    """The task of one file; None for a calendar item that is no task (an
    event in a mixed collection). `InvalidTask` when it cannot be read.
    Days are taken in `zone` (None: the system's)."""
    from icalendar import Calendar

    if len(data) > MAX_BYTES:
        raise InvalidTask(f"is larger than {MAX_BYTES // 1_000_000} MB; a task is a few hundred bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidTask("is not UTF-8 text") from None
    try:
        calendar = Calendar.from_ical(text)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError... on broken input
        raise InvalidTask(f"is not an iCalendar file ({_first_line(exc)})") from None
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise InvalidTask("is not an iCalendar file (no VCALENDAR)")
    todos = [c for c in calendar.subcomponents if c.name == "VTODO"]
    if not todos:
        if any(c.name in ("VEVENT", "VJOURNAL") for c in calendar.subcomponents):
            return None
        raise InvalidTask("holds no VTODO")
    uids = {str(_one(todo, "uid") or "") for todo in todos}
    if len(uids) > 1:
        raise InvalidTask("holds several tasks; a task list keeps one a file")
    todo = next((t for t in todos if "recurrence-id" not in t), todos[0])
    uid = str(_one(todo, "uid")) if todo.get("uid") else None
    marker = _one(todo, MARKER)
    nudge_id = str(marker).strip().lower() if marker else nudge_of_uid(uid)
    if nudge_id is not None and not re.fullmatch(r"[0-9a-f]{4,40}", nudge_id):
        nudge_id = None  # not a nudge id netcli makes: someone else's property
    return TaskFile(uid=uid, nudge_id=nudge_id, task=_fields(todo, zone))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0][:80] if text else type(exc).__name__).replace("\x1b", "?")


def _one(todo: Any, key: str) -> Any:
    """A property that may appear once; the last, where a program wrote it twice."""
    value = todo.get(key)
    return value[-1] if isinstance(value, list) and value else value


def _number(value: Any) -> int | None:
    return int(value) if value is not None else None  # icalendar read it as a number, or refused the file


def _fields(todo: Any, zone: dt.tzinfo | None) -> Task:
    status = str(_one(todo, "status") or "").strip().upper()
    percent = _number(_one(todo, "percent-complete")) or 0
    completed_on = _day(_one(todo, "completed"), zone)
    if not status:
        status = "COMPLETED" if completed_on is not None or percent >= 100 else "NEEDS-ACTION"
    description = _one(todo, "description")
    return Task(
        summary=str(_one(todo, "summary") or ""),
        description=str(description) if description is not None else None,
        due=_day(_one(todo, "due"), zone),
        priority=_number(_one(todo, "priority")),
        categories=tuple(_categories(todo)),
        status=status,
        completed_on=completed_on if status == "COMPLETED" else None,
    )


def _categories(todo: Any) -> list[str]:
    found = todo.get("categories")
    if found is None:
        return []
    found = found if isinstance(found, list) else [found]
    names: list[str] = []
    for item in found:
        values = getattr(item, "cats", None)
        names += [str(v) for v in values] if values is not None else str(item).split(",")
    return names


def _day(value: Any, zone: dt.tzinfo | None) -> dt.date | None:
    """A DATE, or a DATE-TIME's day in `zone` (a floating time's own day)."""
    when = getattr(value, "dt", None)
    if isinstance(when, dt.datetime):
        return (when.astimezone(zone) if when.tzinfo is not None else when).date()
    if isinstance(when, dt.date):
        return when
    return None


def priority_of(rank: int | None) -> int:
    """iCalendar's PRIORITY (1 highest, 9 lowest) of a nudge's place in the
    list: the first three high, the next three medium, the rest low (as
    Apple Reminders, tasks.org and Thunderbird group them)."""
    if rank is None or rank >= 6:
        return 9
    return 1 if rank < 3 else 5


def task_of(nudge: dict[str, Any]) -> Task:
    """What a nudge's task holds: the action, the reason, its due day (the
    day it was snoozed to, when later), its place, netcli's and the rule's categories."""
    due = nudge["due"]
    if nudge.get("until") is not None and nudge["until"] > due:
        due = nudge["until"]
    return Task(
        summary=nudge["action"],
        description=nudge["reason"] or None,
        due=due,
        priority=priority_of(nudge.get("rank")),
        categories=("netcli", nudge["rule"]),
    )


def write_task(
    target: Task,
    *,
    uid: str,
    nudge_id: str,
    now: dt.datetime,
    base: bytes | None = None,
    current: Task | None = None,
) -> bytes:
    """A new task holding `target`; or, with `base` (the file as it is) and
    `current` (what it reads as), the same task with the fields that differ
    set to `target`'s and everything else kept."""
    from icalendar import Calendar

    calendar = Calendar()
    if base is None:
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add_component(new_todo(target, uid=uid, nudge_id=nudge_id, now=now))
        return bytes(calendar.to_ical())
    calendar = Calendar.from_ical(base.decode("utf-8-sig"))
    todo = next(c for c in calendar.subcomponents if c.name == "VTODO" and "recurrence-id" not in c)
    _set(todo, "sequence", (_number(_one(todo, "sequence")) or 0) + 1)
    _fill(todo, target, [key for key in FIELDS if current is None or getattr(current, key) != getattr(target, key)])
    _set(todo, "dtstamp", now)
    _set(todo, "last-modified", now)
    _set(todo, MARKER, nudge_id)
    return bytes(calendar.to_ical())


def new_todo(task: Task, *, uid: str, nudge_id: str, now: dt.datetime) -> Any:
    """A nudge's task as a VTODO component (for a file of its own, or for `export ics`)."""
    from icalendar import Todo

    todo = Todo()
    todo.add("uid", uid)
    todo.add("created", now)
    _fill(todo, task, FIELDS)
    todo.add("dtstamp", now)
    todo.add("last-modified", now)
    todo.add(MARKER, nudge_id)
    return todo


def _fill(todo: Any, target: Task, keys: Iterable[str]) -> None:
    """Set these fields of the VTODO to `target`'s."""
    for key in keys:
        value = getattr(target, key)
        if key == "due":
            start = todo.get("dtstart")
            if start is not None and value is not None and _day(start, None) != value:
                del todo["dtstart"]  # a start after the new due, or of another type, would make the task invalid
            _set(todo, "due", value)
        elif key == "categories":
            _set(todo, "categories", list(value) or None)
        elif key == "completed_on":
            _set(todo, "completed", None if value is None else dt.datetime.combine(value, dt.time(12), dt.UTC))
        else:
            _set(todo, key, value)


def _set(todo: Any, key: str, value: Any) -> None:
    if key in todo:
        del todo[key]
    if value is not None:
        todo.add(key, value)
