"""The decision table of `sync tasks` (`netcli.sync.task_plan.decide`), pure:
each row of the table by example, then a model of netcli and a phone in
memory under Hypothesis: any sequence of syncs, stops and edits on either
side never gives one nudge two tasks, never ticks one nudge done twice,
never touches another program's task, and a sync run twice does nothing
the second time."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from netcli.formats.todo import Task, priority_of, task_of
from netcli.sync import actions as act
from netcli.sync.task_plan import Agreed, Both, Nudged, There, decide

pytestmark = pytest.mark.one_engine

TODAY = dt.date(2026, 12, 6)


def task(n: str = "a", **changes) -> Task:
    base = Task(summary=f"Thank {n}.", description="why", due=TODAY, priority=1, categories=("netcli", "thank"))
    return replace(base, **changes)


def nudged(n: str = "a", status: str = "open", listed: bool = True, **changes) -> Nudged:
    return Nudged(status=status, task=task(n, **changes), listed=listed)


def agreed(href: str, there: Task, here: Task | None = None, removing: bool = False) -> Agreed:
    return Agreed(href, there, here or there, removing)


def kinds(actions) -> list[str]:
    return [a.verb if isinstance(a, act.Change) else type(a).__name__ for a in actions]


# --- the table, row by row ------------------------------------------------------------------------------


def test_a_listed_nudge_without_a_task_gets_one():
    actions = decide({"a": nudged()}, [], {}, today=TODAY)
    assert actions == [
        act.Write("a", "nudge-a.ics", task(), new=True),
        act.Settle("a", "nudge-a.ics", Both(task(), task())),
    ]


def test_a_nudge_in_step_with_its_task_does_nothing():
    assert (
        decide({"a": nudged()}, [There("nudge-a.ics", task(), "a")], {"a": agreed("nudge-a.ics", task())}, today=TODAY)
        == []
    )


def test_ticked_there_completes_here_on_its_day_and_stays_there():
    ticked = task(status="COMPLETED", completed_on=TODAY - dt.timedelta(days=2))
    actions = decide(
        {"a": nudged()}, [There("nudge-a.ics", ticked, "a")], {"a": agreed("nudge-a.ics", task())}, today=TODAY
    )
    assert actions == [
        act.Change("complete", "a", "nudge-a.ics", day=TODAY - dt.timedelta(days=2)),
        act.Settle("a", "nudge-a.ics", Both(ticked, task())),
    ]


def test_a_tick_dated_in_the_future_counts_today():
    ticked = task(status="COMPLETED", completed_on=TODAY + dt.timedelta(days=1))
    actions = decide({"a": nudged()}, [There("x.ics", ticked, "a")], {"a": agreed("x.ics", task())}, today=TODAY)
    assert actions[0] == act.Change("complete", "a", "x.ics", day=TODAY)


def test_a_tick_of_a_nudge_done_here_already_is_not_done_twice():
    ticked = task(status="COMPLETED", completed_on=TODAY)
    actions = decide(
        {"a": nudged(status="closed", listed=False)},
        [There("x.ics", ticked, "a")],
        {"a": agreed("x.ics", task())},
        today=TODAY,
    )
    assert kinds(actions) == ["Settle"]


def test_deleted_there_dismisses_here():
    actions = decide({"a": nudged()}, [], {"a": agreed("nudge-a.ics", task())}, today=TODAY)
    assert actions == [act.Change("dismiss", "a", "nudge-a.ics"), act.Forget("a")]


def test_cancelled_there_dismisses_here():
    cancelled = task(status="CANCELLED")
    actions = decide({"a": nudged()}, [There("x.ics", cancelled, "a")], {"a": agreed("x.ics", task())}, today=TODAY)
    assert kinds(actions) == ["dismiss", "Settle"]


def test_deleted_there_when_gone_here_only_forgets():
    assert decide({}, [], {"a": agreed("x.ics", task())}, today=TODAY) == [act.Forget("a")]


def test_due_moved_later_snoozes_to_that_day_and_the_task_keeps_it():
    later = task(due=TODAY + dt.timedelta(days=5))
    actions = decide({"a": nudged()}, [There("x.ics", later, "a")], {"a": agreed("x.ics", task())}, today=TODAY)
    assert actions == [
        act.Change("snooze", "a", "x.ics", day=TODAY + dt.timedelta(days=5)),
        act.Settle("a", "x.ics", Both(later, task())),
    ]


def test_due_moved_earlier_or_still_past_snoozes_nothing():
    past = TODAY - dt.timedelta(days=10)
    for due in (past - dt.timedelta(days=1), past + dt.timedelta(days=3), TODAY):
        moved = task(due=due)
        actions = decide(
            {"a": nudged(due=past)}, [There("x.ics", moved, "a")], {"a": agreed("x.ics", task(due=past))}, today=TODAY
        )
        assert "snooze" not in kinds(actions), due


def test_a_snooze_already_there_is_not_repeated():
    later = TODAY + dt.timedelta(days=5)
    here = {"a": Nudged(status="snoozed", task=task(due=later), until=later)}
    actions = decide(here, [There("x.ics", task(due=later), "a")], {"a": agreed("x.ics", task())}, today=TODAY)
    assert kinds(actions) == ["Settle"]


def test_a_snooze_here_moves_the_due_there():
    later = TODAY + dt.timedelta(days=7)
    here = {"a": Nudged(status="snoozed", task=task(due=later), until=later)}
    actions = decide(here, [There("x.ics", task(), "a")], {"a": agreed("x.ics", task())}, today=TODAY)
    assert kinds(actions) == ["Write", "Settle"] and actions[0].content.due == later


def test_netcli_rewrites_its_fields_and_keeps_the_ones_the_phone_changed():
    renamed = task(summary="Thank Ann (card!)")
    here = {"a": nudged(priority=5, description="new reason")}
    actions = decide(here, [There("x.ics", renamed, "a")], {"a": agreed("x.ics", task())}, today=TODAY)
    merged = task(summary="Thank Ann (card!)", priority=5, description="new reason")
    assert actions == [
        act.Write("a", "x.ics", merged, new=False),
        act.Settle("a", "x.ics", Both(merged, here["a"].task)),
    ]


def test_gone_here_removes_the_task_after_the_commit_then_forgets_it():
    actions = decide({}, [There("x.ics", task(), "a")], {"a": agreed("x.ics", task())}, today=TODAY)
    assert actions == [act.Remove("a", "x.ics"), act.Settle("a", "x.ics", Both(task(), task()), removing=True)]
    # the next sync: the file is gone as planned, nothing dismissed
    removing = {"a": agreed("x.ics", task(), removing=True)}
    assert decide({"a": nudged(listed=False)}, [], removing, today=TODAY) == [act.Forget("a")]
    # or a stop came before the file was taken out: it is taken out now
    assert decide({}, [There("x.ics", task(), "a")], removing, today=TODAY) == [act.Remove("a", "x.ics")]
    # unless its nudge is listed again by then: it stays, or it is written again
    assert decide({"a": nudged()}, [There("x.ics", task(), "a")], removing, today=TODAY) == [
        act.Settle("a", "x.ics", Both(task(), task()))
    ]
    assert kinds(decide({"a": nudged()}, [], removing, today=TODAY)) == ["Forget", "Write", "Settle"]


def test_gone_here_but_changed_there_is_kept_and_listed():
    edited = task(summary="Thank Ann, and ask about the talk")
    for here in ({}, {"a": nudged(status="closed", listed=False)}, {"a": nudged(listed=False)}):
        actions = decide(here, [There("x.ics", edited, "a")], {"a": agreed("x.ics", task())}, today=TODAY)
        assert kinds(actions) == ["Keep"], here


def test_a_kept_task_renamed_there_stays_kept_under_its_new_name():
    edited = task(summary="mine now")
    actions = decide({}, [There("y.ics", edited, "a")], {"a": agreed("x.ics", task())}, today=TODAY)
    assert kinds(actions) == ["Keep", "Settle"] and actions[1] == act.Settle("a", "y.ics", Both(task(), task()))


def test_a_finished_task_stays_there_as_the_phones_record():
    ticked = task(status="COMPLETED", completed_on=TODAY)
    assert decide({}, [There("x.ics", ticked, "a")], {"a": agreed("x.ics", ticked)}, today=TODAY) == []


def test_foreign_tasks_are_never_touched():
    foreign = [There("shopping.ics", Task(summary="Milk")), There("event.ics", Task(summary=""))]
    assert decide({}, foreign, {}, today=TODAY) == []
    assert kinds(decide({"a": nudged()}, foreign, {}, today=TODAY)) == ["Write", "Settle"]


def test_a_file_by_the_tasks_name_that_is_not_netclis_is_left_alone():
    actions = decide({"a": nudged()}, [There("nudge-a.ics", Task(summary="Mine"))], {}, today=TODAY)
    assert kinds(actions) == ["Keep"]


def test_unparsable_files_are_listed_and_left_alone_even_netclis():
    broken = There("nudge-a.ics", None, why="is not an iCalendar file")
    actions = decide({"a": nudged()}, [broken], {"a": agreed("nudge-a.ics", task())}, today=TODAY)
    assert actions == [act.Unparsable("nudge-a.ics", "is not an iCalendar file")]


def test_a_task_without_agreed_state_pairs_again_instead_of_doubling():
    # a sync stopped after writing the file, before the database committed
    actions = decide({"a": nudged()}, [There("nudge-a.ics", task(), "a")], {}, today=TODAY)
    assert actions == [act.Settle("a", "nudge-a.ics", Both(task(), task()))]
    ticked = task(status="COMPLETED", completed_on=TODAY)
    assert kinds(decide({"a": nudged()}, [There("nudge-a.ics", ticked, "a")], {}, today=TODAY)) == [
        "complete",
        "Settle",
    ]
    # and of a nudge that is over: the phone's record
    assert decide({}, [There("nudge-a.ics", ticked, "a")], {}, today=TODAY) == []


def test_a_task_renamed_there_stays_paired():
    actions = decide(
        {"a": nudged()}, [There("server-name.ics", task(), "a")], {"a": agreed("nudge-a.ics", task())}, today=TODAY
    )
    assert actions == [act.Settle("a", "server-name.ics", Both(task(), task()))]


def test_an_emptied_folder_dismisses_nothing():
    rows = {"a": agreed("nudge-a.ics", task("a")), "b": agreed("nudge-b.ics", task("b"))}
    actions = decide({"a": nudged("a"), "b": nudged("b")}, [], rows, today=TODAY)
    assert "dismiss" not in kinds(actions)
    assert kinds(actions).count("Write") == 2


def test_priority_follows_the_place_in_the_list():
    assert [priority_of(rank) for rank in (0, 2, 3, 5, 6, 9, None)] == [1, 1, 5, 5, 9, 9, 9]
    nudge = {"id": "a", "rule": "thank", "action": "Thank A.", "reason": "r", "due": TODAY, "rank": 0, "until": None}
    assert task_of(nudge) == Task("Thank A.", "r", TODAY, 1, ("netcli", "thank"))
    assert task_of(nudge | {"until": TODAY + dt.timedelta(days=3)}).due == TODAY + dt.timedelta(days=3)


# --- the model: netcli and a phone in memory -------------------------------------------------------------


@dataclass
class World:
    today: dt.date = TODAY
    fires: dict[str, int] = field(default_factory=dict)  # nudge id -> rank weight (lower first)
    marks: dict[str, tuple[str, dt.date | None]] = field(default_factory=dict)
    folder: dict[str, tuple[str | None, Task]] = field(default_factory=dict)  # href -> (nudge id, task)
    rows: dict[str, Agreed] = field(default_factory=dict)
    done: Counter[str] = field(default_factory=Counter)
    limit: int = 3
    next_id: int = 0

    def status(self, key: str) -> tuple[str, dt.date | None]:
        state, until = self.marks.get(key, ("open", None))
        if state == "snoozed":
            return ("snoozed" if until and until > self.today else "open"), until
        return ("closed" if state in ("done", "dismissed") else "open"), until

    def here(self, also: set[str]) -> dict[str, Nudged]:
        opened = sorted((w, k) for k, w in self.fires.items() if self.status(k)[0] == "open")
        listed = [k for _, k in opened[: self.limit]]
        found = {}
        for key in set(listed) | (also & set(self.fires)):
            status, until = self.status(key)
            rank = listed.index(key) if key in listed else None
            found[key] = Nudged(
                status=status,
                task=task_of(
                    {
                        "id": key,
                        "rule": "thank",
                        "action": f"Do {key}.",
                        "reason": "r",
                        "due": self.today - dt.timedelta(days=3),
                        "rank": rank,
                        "until": until,
                    }
                ),
                listed=key in listed,
                until=until,
            )
        return found

    def there(self) -> list[There]:
        return [There(href, t, key) for href, (key, t) in sorted(self.folder.items())]

    def sync(self, stop: str | None = None) -> list[act.Action]:
        """One sync as `sync.task_list` runs it; `stop`: killed after the files are written
        ("before-commit") or after the commit, before the files are taken out ("after-commit")."""
        saved = (dict(self.marks), Counter(self.done), dict(self.rows))
        there = self.there()
        also = set(self.rows) | {t.nudge_id for t in there if t.nudge_id}
        plan = decide(self.here(also), there, self.rows, today=self.today)
        done = []
        for _ in range(3):
            changes = [c for c in act.of_kind(plan, act.Change) if self.change(c)]
            if not changes:
                break
            done += changes
            plan = decide(self.here(also), there, self.rows, today=self.today)
        final = [a for a in plan if not isinstance(a, act.Change)]
        for write in act.of_kind(final, act.Write):
            self.folder[write.href] = (write.key, write.content)
        if stop == "before-commit":
            self.marks, self.done, self.rows = saved
            return done + final
        for step in final:
            if isinstance(step, act.Settle):
                self.rows[step.key] = Agreed(step.href, step.agreed.there, step.agreed.here, step.removing)
            elif isinstance(step, act.Forget):
                self.rows.pop(step.key, None)
        if stop != "after-commit":
            for remove in act.of_kind(final, act.Remove):
                self.folder.pop(remove.href, None)
        return done + final

    def change(self, change: act.Change) -> bool:
        if change.key not in self.fires or self.status(change.key)[0] == "closed":
            return False
        if change.verb == "complete":
            self.done[change.key] += 1
            self.marks[change.key] = ("done", None)
        elif change.verb == "dismiss":
            self.marks[change.key] = ("dismissed", None)
        else:
            self.marks[change.key] = ("snoozed", change.day)
        return True

    def ours(self) -> list[str]:
        return [key for key, _ in self.folder.values() if key is not None]


def _pick(data, items):
    return data.draw(st.sampled_from(sorted(items))) if items else None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    steps=st.lists(
        st.sampled_from(
            [
                "sync",
                "sync-stop-before",
                "sync-stop-after",
                "tick",
                "delete",
                "later",
                "rename",
                "cancel",
                "new",
                "gone",
                "done-here",
                "snooze-here",
                "rerank",
                "day",
                "foreign",
                "untick",
            ]
        ),
        min_size=1,
        max_size=25,
    ),
)
def test_any_sequence_of_syncs_and_edits_keeps_one_task_per_nudge_and_one_done_per_tick(data, steps):
    world = World()
    for _ in range(4):
        world.fires[f"n{world.next_id}"] = world.next_id
        world.next_id += 1
    foreign = {"shop.ics": (None, Task(summary="Milk"))}
    world.folder.update(foreign)
    for step in steps:
        ours = sorted(href for href, (key, _) in world.folder.items() if key is not None)
        if step.startswith("sync"):
            world.sync({"sync": None, "sync-stop-before": "before-commit", "sync-stop-after": "after-commit"}[step])
        elif step in ("tick", "delete", "later", "rename", "cancel", "untick") and ours:
            href = _pick(data, ours)
            key, t = world.folder[href]
            if step == "tick":
                world.folder[href] = (key, replace(t, status="COMPLETED", completed_on=world.today))
            elif step == "untick":
                world.folder[href] = (key, replace(t, status="NEEDS-ACTION", completed_on=None))
            elif step == "cancel":
                world.folder[href] = (key, replace(t, status="CANCELLED"))
            elif step == "delete":
                del world.folder[href]
            elif step == "later":
                days = data.draw(st.integers(-3, 9))
                world.folder[href] = (key, replace(t, due=(t.due or world.today) + dt.timedelta(days=days)))
            else:
                world.folder[href] = (key, replace(t, summary=t.summary + " (mine)"))
        elif step == "new":
            world.fires[f"n{world.next_id}"] = data.draw(st.integers(0, 20))
            world.next_id += 1
        elif step == "gone" and world.fires:
            del world.fires[_pick(data, world.fires)]
        elif step in ("done-here", "snooze-here") and world.fires:
            key = _pick(data, world.fires)
            if world.status(key)[0] != "closed":
                if step == "done-here":
                    world.done[key] += 1
                    world.marks[key] = ("done", None)
                else:
                    world.marks[key] = ("snoozed", world.today + dt.timedelta(days=data.draw(st.integers(1, 5))))
        elif step == "rerank" and world.fires:
            world.fires[_pick(data, world.fires)] = data.draw(st.integers(0, 20))
        elif step == "day":
            world.today += dt.timedelta(days=data.draw(st.integers(1, 4)))
        elif step == "foreign":
            href = f"f{len(foreign)}.ics"
            world.folder[href] = foreign[href] = (None, Task(summary="Call the plumber"))
        # never two tasks for one nudge, never two dones for one nudge (one tick), foreign tasks untouched
        counted = Counter(world.ours())
        assert all(n == 1 for n in counted.values()), world.folder
        assert all(n == 1 for n in world.done.values()), world.done
        assert all(world.folder.get(href) == value for href, value in foreign.items())
    # a full sync, then another: the second has nothing to do
    world.sync()
    again = world.sync()
    assert [a for a in again if isinstance(a, (act.Write, act.Remove, act.Change))] == []
    # every listed nudge has its task
    listed = {k for k, n in world.here(set()).items() if n.listed}
    assert listed <= set(world.ours())


# --- reading and writing one task (formats.todo) ----------------------------------------------------------


def ics(*lines: str) -> bytes:
    body = "".join(f"{line}\r\n" for line in lines)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n".encode()


def test_tasks_as_phones_write_them_read_as_the_sync_compares_them():
    from netcli.formats.todo import read_task

    ticked = read_task(ics("BEGIN:VTODO", "UID:nudge-ab12cd@netcli", "SUMMARY:x", "PERCENT-COMPLETE:100", "END:VTODO"))
    assert ticked is not None and ticked.nudge_id == "ab12cd" and ticked.task.done and ticked.task.completed_on is None
    utc = read_task(
        ics("BEGIN:VTODO", "UID:u", "SUMMARY:x", "STATUS:COMPLETED", "COMPLETED:20261205T233000Z", "END:VTODO"),
        zone=dt.timezone(dt.timedelta(hours=2)),
    )
    assert utc is not None and utc.task.completed_on == dt.date(2026, 12, 6) and utc.nudge_id is None  # the day there
    twice = read_task(ics("BEGIN:VTODO", "UID:u", "SUMMARY:x", "STATUS:NEEDS-ACTION", "STATUS:CANCELLED", "END:VTODO"))
    assert twice is not None and twice.task.cancelled
    lines = read_task(
        ics(
            "BEGIN:VTODO",
            "UID:u",
            "SUMMARY:x",
            "CATEGORIES:a,b",
            "CATEGORIES:c",
            "END:VTODO",
        )
    )
    assert lines is not None and lines.task.categories == ("a", "b", "c") and lines.task.priority is None
    assert lines.task.due is None
    marker = read_task(ics("BEGIN:VTODO", "UID:u", "SUMMARY:x", "X-NETCLI-NUDGE:not a nudge", "END:VTODO"))
    assert marker is not None and marker.nudge_id is None
    assert read_task(b"\xef\xbb\xbf" + ics("BEGIN:VTODO", "UID:u", "SUMMARY:bom", "END:VTODO")) is not None
    assert read_task(ics("BEGIN:VEVENT", "UID:e", "SUMMARY:lunch", "END:VEVENT")) is None  # an event: not a task


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\xff\xfe garbage", "is not UTF-8 text"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\n", "is not an iCalendar file"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEND:VCARD\r\n", "is not an iCalendar file"),
        (ics("BEGIN:VFREEBUSY", "UID:f", "END:VFREEBUSY"), "holds no VTODO"),
        (ics("BEGIN:VTODO", "UID:a", "END:VTODO", "BEGIN:VTODO", "UID:b", "END:VTODO"), "holds several tasks"),
        (b"BEGIN:VCALENDAR\r\n" + b"X" * 1_000_001, "is larger than 1 MB"),
    ],
)
def test_a_file_that_is_no_task_is_named_for_what_it_is(data: bytes, why: str):
    from netcli.formats.todo import InvalidTask, read_task

    with pytest.raises(InvalidTask, match=why):
        read_task(data)


def test_a_rewrite_keeps_what_netcli_does_not_write_and_a_due_stays_valid():
    from netcli.formats.todo import read_task, write_task

    now = dt.datetime(2026, 12, 6, 8, tzinfo=dt.UTC)
    base = ics(
        "BEGIN:VTODO", "UID:nudge-ab12@netcli", "SUMMARY:Thank A.", "DTSTART;VALUE=DATE:20261201",
        "DUE;VALUE=DATE:20261203", "X-APPLE-SORT-ORDER:7", "SEQUENCE:2", "BEGIN:VALARM", "ACTION:DISPLAY",
        "TRIGGER:-PT15M", "END:VALARM", "END:VTODO",
    )  # fmt: skip
    current = read_task(base)
    assert current is not None
    target = replace(current.task, due=dt.date(2026, 12, 9), priority=5)
    back = write_task(target, uid="nudge-ab12@netcli", nudge_id="ab12", now=now, base=base, current=current.task)
    todo = Calendar.from_ical(back).walk("VTODO")[0]
    assert todo["due"].dt == dt.date(2026, 12, 9) and "DTSTART" not in todo  # a start of another day would not fit
    assert str(todo["X-APPLE-SORT-ORDER"]) == "7" and todo.walk("VALARM") and int(todo["sequence"]) == 3
    assert str(todo["X-NETCLI-NUDGE"]) == "ab12" and read_task(back).task == target  # type: ignore[union-attr]
