"""How mentors, goals, communities and events look in a terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from netcli.dates import humanize
from netcli.defuse import defuse
from netcli.names import command, shell_word
from netcli.render import out
from netcli.render.nudges import when_due
from netcli.render.tables import TIER_STYLE, cell, hanging, make_table
from netcli.wording import count

STATUS_STYLE = {"active": "green", "prospect": "cyan", "past": "dim", "done": "green", "dropped": "dim"}


def _padded(name: str, width: int) -> str:
    """A name (defused) padded to `width` cells, so that what follows lines up."""
    shown = defuse(name, one_line=True)
    return shown + " " * (width - cell_len(shown))


def _day(value: date | None, today: date) -> str:
    return f"{value.isoformat()} ({humanize(value, today=today)})" if value else ""


def mentor_table(rows: Sequence[dict[str, Any]], *, today: date) -> None:
    table = make_table("Mentor", "Status", "Since", "Every", "Last session", "Next due", "Questions")
    for r in rows:
        due = r["next_due"]
        style = "bold red" if due and due < today else ("yellow" if due and (due - today).days <= 3 else "")
        table.add_row(
            cell(r["name"], "bold"),
            cell(r["status"], STATUS_STYLE.get(r["status"], "")),
            cell(r["started_on"].isoformat() if r["started_on"] else "-"),
            cell(f"{r['cadence_days']}d"),
            cell(_day(r["last_session"], today) or "none yet"),
            cell(f"{due.isoformat()} ({when_due(due, today)})" if due else "", style),
            cell(r["open_questions"]),
        )
    out().print(table)


def prep_view(prep: dict[str, Any], *, today: date) -> None:
    console = out()
    console.print(Text(f"Session with {prep['mentor']}", style="bold"))
    if prep["next_due"]:
        console.print(Text(f"  due {prep['next_due'].isoformat()} ({when_due(prep['next_due'], today)})", style="dim"))
    if prep["last_session"]:
        console.print(
            Text(f"  last session {prep['last_session']['date'].isoformat()} ({count(prep['days_since'], 'day')} ago)")
        )
        if prep["last_session"]["note"]:
            hanging(Text("  notes: "), prep["last_session"]["note"])
    console.print(Text("\nQuestions to bring", style="bold"))
    if prep["questions"]:
        for q in prep["questions"]:
            hanging(Text(f"  {q['number']}. "), q["text"])
    else:
        console.print(Text(f'  none yet: {command("mentor", "ask", prep["mentor"])} "..."', style="yellow"))
    if prep["goals"]:
        console.print(Text("\nGoals they can help with", style="bold"))
        for g in prep["goals"]:
            console.print(Text(f"  #{g['id']} {g['title']}"))


def _bar(percent: int | None, width: int = 10) -> str:
    if percent is None:
        return ""
    filled = round(percent / 100 * width)
    return "█" * filled + "░" * (width - filled) + f" {percent}%"


def goal_table(rows: Sequence[dict[str, Any]], *, today: date) -> None:
    table = make_table("ID", "Goal", "Status", "By", "Progress", "Last activity", "People")
    for r in rows:
        table.add_row(
            cell(f"#{r['id']}", "dim"),
            cell(r["title"], "bold"),
            cell(r["status"], STATUS_STYLE.get(r["status"], "")),
            cell(r["by"].isoformat() if r["by"] else ""),
            cell(_bar(r["percent"])),
            cell(humanize(r["last_activity"], today=today)),
            cell(", ".join(r["contacts"])),
        )
    out().print(table)


def goal_story(d: dict[str, Any], *, today: date) -> None:
    console = out()
    console.print(
        Text.assemble((f"#{d['id']} {d['title']}", "bold"), "  ", (d["status"], STATUS_STYLE.get(d["status"], "")))
    )
    for label, value in (
        ("why", d["why"]),
        ("by", d["by"]),
        ("topics", ", ".join(d["topics"])),
        ("linked", ", ".join(d["contacts"])),
        ("started", d["created_on"]),
    ):
        if value:
            hanging(Text(f"  {label:<10}"), str(value))
    if d["progress"]:
        console.print(Text("\nProgress", style="bold"))
        for p in d["progress"]:
            hanging(Text(f"  {p['date'].isoformat()}  {_bar(p['percent']):<15} "), p["note"])
    if d["helpers"]:
        console.print(Text("\nWho helped", style="bold"))
        for h in d["helpers"]:
            console.print(
                Text(f"  {h['name']}: {count(h['interactions'], 'interaction')}, last {h['last'].isoformat()}")
            )


def community_table(rows: Sequence[dict[str, Any]]) -> None:
    table = make_table("ID", "Community", "Kind", "People", "Events", "URL")
    for r in rows:
        table.add_row(
            cell(f"#{r['id']}", "dim"),
            cell(r["name"], "bold"),
            cell(r["kind"]),
            cell(r["members"]),
            cell(r["events"]),
            cell(r["url"] or ""),
        )
    out().print(table)


def community_view(d: dict[str, Any]) -> None:
    console = out()
    console.print(Text.assemble((f"#{d['id']} {d['name']}", "bold"), f"  {d['kind']}", f"  {d['url'] or ''}"))
    console.print(Text("\nPeople", style="bold"))
    place = shell_word(d["name"])
    empty = f"nobody linked yet (netcli community join {place} WHO, or netcli add NAME --met-at {place})"
    width = max((cell_len(defuse(m["name"])) for m in d["members"]), default=0)
    for m in d["members"] or [{"name": empty, "tier": ""}]:
        line = Text(f"  {_padded(m['name'], width)}  ").append(m["tier"], style=TIER_STYLE.get(m["tier"], ""))
        console.print(line)
    if d["events"]:
        console.print(Text("\nEvents", style="bold"))
        for e in d["events"]:
            console.print(
                Text(f"  {e['date'].isoformat()}  {e['name']} ({e['kind']}{', online' if e['online'] else ''})")
            )
    if d.get("chats") or d.get("every_days"):
        every = f"every {d['every_days']} days" if d.get("every_days") else "no cadence (community edit --every 2w)"
        console.print(Text("\nTaking part", style="bold"))
        console.print(Text(f"  {every}; chats: {', '.join(d.get('chats') or []) or 'none'}"))
    for a in d.get("activity") or []:
        console.print(Text(f"  {a['month']}  {count(a['posts'], 'post')}, {count(a['events'], 'event')}"))


def event_table(rows: Sequence[dict[str, Any]], *, today: date) -> None:
    table = make_table("ID", "Date", "Event", "Kind", "Community", "Met")
    for r in rows:
        style = "bold" if r["date"] >= today else "dim"
        table.add_row(
            cell(f"#{r['id']}", "dim"),
            cell(r["date"].isoformat(), style),
            cell(r["name"] + (" (online)" if r["online"] else ""), style),
            cell(r["kind"]),
            cell(r["community"] or ""),
            cell(r["met"]),
        )
    out().print(table)


def event_view(d: dict[str, Any], *, today: date) -> None:
    console = out()
    console.print(
        Text.assemble(
            (f"#{d['id']} {d['name']}", "bold"),
            f"  {d['date'].isoformat()} ({humanize(d['date'], today=today)}), {d['kind']}",
        )
    )
    if d["community"]:
        console.print(Text(f"  run by {d['community']}"))
    console.print(Text("\nWho you met there", style="bold"))
    if not d["people"]:
        console.print(Text(f"  nobody recorded: netcli add NAME --met-at {shell_word(d['name'])}", style="dim"))
    width = max((cell_len(defuse(p["name"])) for p in d["people"]), default=0)
    for p in d["people"]:
        mark = Text("followed up", style="green") if p["followed_up"] else Text("not followed up yet", style="yellow")
        console.print(Text(f"  {_padded(p['name'], width)}  ").append(mark))
