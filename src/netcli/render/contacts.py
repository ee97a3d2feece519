"""How contacts and interactions look in a terminal (or piped as plain text)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from sys import intern
from typing import Any

from rich.text import Text

from netcli.dates import humanize
from netcli.render import out
from netcli.render.tables import KIND_STYLE, STATUS_STYLE, TIER_STYLE, hanging, listing
from netcli.vocab import CAPTURED
from netcli.wording import count

STATUS_LABEL = {"ok": "ok", "due": "due", "overdue": "overdue", "never": "-"}


def contact_rows(rows: Iterable[dict[str, Any]], *, today: date) -> list[tuple[str, ...]]:
    """What `contact_table` shows of each person (read within the session;
    the people's dicts are let go one by one)."""
    return [
        (
            f"#{r['id']}",
            r["name"],
            r["tier"],
            r["via"] or "",
            humanize(r["last_contact"], today=today) if r["last_contact"] else "never",
            r["next_due"].isoformat() if r["next_due"] else "",
            STATUS_LABEL[r["status"]],
            ", ".join(r["tags"]),
        )
        for r in rows
    ]


def contact_table(rows: Sequence[tuple[str, ...]]) -> None:
    listing(
        ("ID", "Name", "Tier", "Via", "Last contact", "Next due", "State", "Tags"),
        rows,
        styles=("dim", "bold", TIER_STYLE, "", "", "", {STATUS_LABEL[k]: v for k, v in STATUS_STYLE.items()}, ""),
        cut=(7, 3, 1),
        drop=(7, 3),
    )  # tags, then via; rather than cut the name, leave them out


def interaction_rows(rows: Iterable[dict[str, Any]], *, full: bool = False) -> list[tuple[str, ...]]:
    """What `interaction_table` shows of each interaction (dates and kinds
    shared: a history may be a million lines): notes cut at `NOTE_MOST`
    characters, or `full`."""
    limit = None if full else NOTE_MOST
    return [
        (str(r["id"]), intern(r["date"]), intern(r["kind"]), ", ".join(r["contacts"]), _noted(r, limit)) for r in rows
    ]


NOTE_MOST = 80  # a history line's note, unless --full


def _noted(row: dict[str, Any], limit: int | None) -> str:
    """The note, after a plain `(mail)` / `(calendar)` on captured rows: first, so
    that cutting the note keeps it."""
    note = _one_line(row["note"], limit)
    if row.get("source") not in CAPTURED:
        return note
    return f"({row['source']}) {note}".rstrip()


def interaction_table(rows: Sequence[tuple[str, ...]], *, page: bool = True, wrap: bool = False) -> None:
    """One line per interaction, the note cut to fit (then who); with `wrap`,
    the note wraps under itself instead."""
    listing(
        ("ID", "Date", "Kind", "With", "Note"),
        rows,
        styles=("dim", "", KIND_STYLE, "", ""),
        cut=(4, 3),
        page=page,
        wrap=wrap,
    )


def _one_line(text: str | None, limit: int | None) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 1] + "…"


def contact_detail(d: dict[str, Any], *, today: date) -> None:
    console = out()
    title = Text(d["name"], style="bold")
    title.append(f"  #{d['id']}  tier {d['tier']}", style="dim")
    if d["archived"]:
        title.append("  (archived)", style="yellow")
    console.print(title)
    fields = [
        ("email", d["email"]),
        ("other emails", ", ".join(d.get("emails", [])[1:])),
        ("phone", d["phone"]),
        ("other phones", ", ".join(d.get("phones", [])[1:])),
        ("org", d["org"]),
        ("role", d["role"]),
        ("location", d["location"]),
        ("url", d["url"]),
        ("handles", ", ".join(d.get("handles", []))),
        ("met", _met(d)),
        ("introduced by", d["introduced_by"]),
        ("introduced you to", ", ".join(d["introduced"])),
        ("tags", ", ".join(d["tags"])),
        ("topics", ", ".join(d["topics"])),
        ("birthday", d["birthday"]),
        ("cadence", f"every {count(d['cadence_days'], 'day')} ({d['cadence_source']})"),
        ("last contact", _last(d, today)),
        ("next due", d["next_due"].isoformat() if d["next_due"] else None),
        (
            "give and take",
            f"help given {d['help_given']}, received {d['help_received']}, thanks sent {d['thanks_sent']}",
        ),
        ("note", d["note"]),
    ]
    mentor = d.get("mentorship")
    if mentor:
        said = f"{mentor['status']}, sessions every {count(mentor['cadence_days'], 'day')}"
        if mentor["last_session"]:
            said += f", last {mentor['last_session'].isoformat()}"
        if mentor["questions"]:
            said += f", {count(len(mentor['questions']), 'question')} ready"
        fields.append(("mentor", said))
    fields += [("goal", f"#{goal['id']} {goal['title']} ({goal['status']})") for goal in d.get("goals", [])]
    for label, value in fields:
        if value:
            hanging(f"  {label:<18}", str(value))  # a long note wraps under itself
    if d["nudges"]:
        console.print(Text("\nTo do", style="bold"))
        for n in d["nudges"]:
            hanging(Text(f"  [{n['id']}] "), f"{n['action']}  ({n['reason']})")
    if d["timeline"]:
        console.print(Text("\nTimeline", style="bold"))
        interaction_table(interaction_rows(d["timeline"][:20], full=True), page=False, wrap=True)  # part of a page
        if len(d["timeline"]) > 20:
            console.print(Text(f"  … and {len(d['timeline']) - 20} older: netcli history '#{d['id']}'", style="dim"))


def _met(d: dict[str, Any]) -> str | None:
    parts = [d["met_on"].isoformat() if d["met_on"] else None, d["via"], d["met_at"]]
    text = ", ".join(p for p in parts if p)
    return text or None


def _last(d: dict[str, Any], today: date) -> str | None:
    if not d["last_contact"]:
        return None
    return f"{d['last_contact'].isoformat()} ({humanize(d['last_contact'], today=today)}, {d['status']})"


def expert_table(rows: Sequence[dict[str, Any]], *, today: date) -> None:
    listing(
        ("Name", "Tier", "Topics", "Org", "Last contact", "Exchanges"),
        [
            (
                r["name"],
                r["tier"],
                ", ".join(r["topics"]),
                r["org"] or "",
                humanize(r["last_contact"], today=today) if r["last_contact"] else "never",
                str(r["interactions"]),
            )
            for r in rows
        ],
        styles=("bold", TIER_STYLE, "", "", "", ""),
        cut=(3, 2, 0),  # org, topics; rather than cut the name, leave them out
        drop=(3, 2),
    )
