"""A calendar feed (with icalendar): due nudges as to-dos, mentor sessions and
events as all-day events. UIDs are stable so calendar apps update, not duplicate."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

PRODID = "-//netcli//learning network//EN"


def build(
    *,
    nudges: Iterable[dict[str, Any]],
    sessions: Iterable[dict[str, Any]],
    events: Iterable[dict[str, Any]],
    now: datetime | None = None,
) -> bytes:
    from icalendar import Calendar, Event, Todo

    stamp = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "netcli")
    for n in nudges:
        todo = Todo()
        todo.add("uid", f"nudge-{n['id']}@netcli")
        todo.add("dtstamp", stamp)
        todo.add("summary", n["action"])
        todo.add("description", n["reason"])
        todo.add("due", n["due"])
        todo.add("priority", 1 if n["priority"] >= 75 else 5 if n["priority"] >= 40 else 9)
        todo.add("categories", [n["rule"]])
        calendar.add_component(todo)
    for item in [*sessions, *events]:
        event = Event()
        event.add("uid", f"{item['uid']}@netcli")
        event.add("dtstamp", stamp)
        event.add("summary", item["summary"])
        event.add("dtstart", item["date"])
        event.add("dtend", item["date"] + timedelta(days=1))
        if item.get("description"):
            event.add("description", item["description"])
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
