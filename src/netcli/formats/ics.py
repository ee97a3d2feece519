"""A calendar feed (with icalendar): due nudges as to-dos; mentor sessions (the
logged ones and each mentor's next), events and birthdays (each year, from
its day) as all-day events. UIDs are stable so a calendar that subscribes to
the file updates, not duplicates, at each new export."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

PRODID = "-//netcli//learning network//EN"


def build(
    *,
    nudges: Iterable[dict[str, Any]],  # ranked, first first
    sessions: Iterable[dict[str, Any]],
    events: Iterable[dict[str, Any]],
    birthdays: Iterable[dict[str, Any]] = (),
    now: datetime | None = None,
) -> bytes:
    from icalendar import Calendar, Event

    from netcli.formats import todo

    stamp = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "netcli")
    # a subscribed calendar asks for the file again twice a day (Apple and Google read these two)
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for rank, n in enumerate(nudges):  # each as `sync tasks` writes it, with the same UID
        task = todo.task_of(n | {"rank": rank})
        calendar.add_component(todo.new_todo(task, uid=todo.uid_for(n["id"]), nudge_id=n["id"], now=stamp))
    for item in [*sessions, *events, *birthdays]:
        event = Event()
        event.add("uid", f"{item['uid']}@netcli")
        event.add("dtstamp", stamp)
        event.add("summary", item["summary"])
        event.add("dtstart", item["date"])
        event.add("dtend", item["date"] + timedelta(days=1))
        if item.get("description"):
            event.add("description", item["description"])
        if item.get("yearly"):
            leap_day = (item["date"].month, item["date"].day) == (2, 29)  # on Feb 28 in a common year
            event.add("rrule", {"freq": "yearly", **({"bymonth": 2, "bymonthday": -1} if leap_day else {})})
            event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def session_items(sessions: Iterable[dict[str, Any]], due: Iterable[tuple[str, int, date]]) -> list[dict[str, Any]]:
    """Logged mentor sessions, and each active mentor's next one."""
    items = [
        {
            "uid": f"interaction-{s['id']}",
            "summary": f"Mentor session with {', '.join(s['contacts'])}",
            "date": date.fromisoformat(s["date"]),
            "description": s.get("note"),
        }
        for s in sessions
    ]
    items += [
        {"uid": f"mentor-{cid}-next", "summary": f"Mentor session with {name} (due)", "date": day}
        for name, cid, day in due
    ]
    return items


def event_items(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "uid": f"event-{e['id']}",
            "summary": e["name"] + (" (online)" if e["online"] else ""),
            "date": e["date"],
            "description": f"{e['kind']}" + (f", {e['community']}" if e.get("community") else ""),
        }
        for e in events
    ]


def birthday_items(birthdays: Iterable[tuple[int, str, date]]) -> list[dict[str, Any]]:
    """Each contact's birthday (contact id, name, a day it fell on) as an event of every year."""
    return [
        {"uid": f"birthday-{cid}", "summary": f"Birthday: {name}", "date": day, "yearly": True}
        for cid, name, day in birthdays
    ]
