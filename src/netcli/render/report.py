"""The monthly report, four ways: terminal (Rich), plain text, Markdown, HTML.

All four show the same facts from one `Report`; HTML is a single
self-contained file with inline SVG charts and no external resource.
"""

from __future__ import annotations

import html as htmlmod
import io
import re
from datetime import date, timedelta
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from netcli import render
from netcli.dates import month_end
from netcli.defuse import defuse
from netcli.reflection import Report
from netcli.render.tables import hanging
from netcli.wording import count

SHADES = "·░▒▓█"
GREENS = ("grey35", "green4", "green3", "green1", "bright_green")
SVG_GREENS = ("#ebedf0", "#c6e48b", "#7bc96f", "#239a3b", "#196127")
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
QUIET_NAMED = 20  # a month may quieten thousands: the views name the closest few


def _quiet(r: Report) -> tuple[str, list[str], str]:
    """Who went quiet, as a view shows it: a heading's count, the names (the
    closest first) and what is said of the rest."""
    named = r.went_quiet[:QUIET_NAMED]
    rest = len(r.went_quiet) - len(named)
    more = f"and {rest:,} more (netcli report --json lists everyone)" if rest else ""
    return f"{len(r.went_quiet):,}", named, more


def level(count: int) -> int:
    return 0 if count <= 0 else 1 if count == 1 else 2 if count <= 3 else 3 if count <= 5 else 4


def _weeks(report: Report) -> list[list[tuple[date, int] | None]]:
    """The month as calendar weeks (Monday first); None pads outside days."""
    days = [(date.fromisoformat(d), n) for d, n in report.by_day.items()]
    weeks: list[list[tuple[date, int] | None]] = [[None] * days[0][0].weekday()]
    for day, n in days:
        if len(weeks[-1]) == 7:
            weeks.append([])
        weeks[-1].append((day, n))
    weeks[-1] += [None] * (7 - len(weeks[-1]))
    return weeks


def _change(r: Report) -> str:
    """The month against the month before, naming the days compared and
    saying so when their numbers differ."""
    name = r.prev_start.strftime("%B")
    if r.prev_days == month_end(r.prev_start).day:
        window = f"in {name}"
    else:
        window = f"on 1 {name}" if r.prev_days == 1 else f"on 1–{r.prev_days} {name}"
    prev = r.interactions_prev_month
    if prev == 0:
        return f"none {window}"
    diff = r.interactions - prev
    said = f"{diff:,} more than" if diff > 0 else f"{-diff:,} fewer than" if diff < 0 else "as many as"
    days = "" if r.prev_days == r.days else f", in {r.prev_days} days against {r.days}"
    return f"{said} {window} ({prev:,}{days})"


def summary_lines(r: Report) -> list[str]:
    owed = f", {r.thanks_owed} still owed" if r.thanks_owed else ", none owed"
    people = count(r.people, "person")
    return [
        f"{count(r.interactions, 'interaction')} with {people} on {count(r.active_days, 'day')}; {_change(r)}",
        count(r.new_contacts, "new person") + (f": {_pairs(r.new_by_channel)}" if r.new_by_channel else ""),
        f"{count(r.thanks_sent, 'thank-you')} sent{owed}",
        f"help given {r.help_given}, received {r.help_received}; {count(r.mentor_sessions, 'mentor session')}",
    ]


def _notes(r: Report) -> list[str]:
    """What the report covers, when it is not simply a whole month asked for."""
    notes = []
    if r.partial:
        notes.append(f"So far: {r.start} to {r.end}, {r.days} of {month_end(r.start).day} days.")
    if r.just_ended:
        notes.append(just_ended_note(r))
    return notes


def just_ended_note(r: Report) -> str:
    return f"{r.start:%B} has just ended; for {r.end + timedelta(days=1):%B} so far: netcli report --month this"


def _empty(r: Report) -> str:
    if r.partial:
        return "A quiet month: nothing logged yet. One message today is a fine start."
    return "A quiet month: nothing logged." + (" One message today is a fine start." if r.just_ended else "")


def _trend_label(t: dict[str, Any]) -> str:
    return f"{t['month']} ({count(t['days'], 'day')} so far)" if t["partial"] else t["month"]


def _day_numbers(week: list[tuple[date, int] | None]) -> str:
    """A calendar week's day numbers, each right-aligned under its weekday."""
    return " ".join("  " if c is None else f"{c[0].day:>2}" for c in week)


def _pairs(mapping: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in mapping.items())


def _bar_lines(mapping: dict[str, int], width: int = 28) -> list[tuple[str, str, int]]:
    top = max(mapping.values(), default=0) or 1
    return [(k, "█" * max(1, round(v / top * width)), v) for k, v in mapping.items()]


GOALS_KEY = "new: set this month; –: no percent recorded yet"
GOALS_MOVED = "this month"  # the linked exchanges and progress notes


def _goal_cells(g: dict[str, Any]) -> tuple[str, str, str]:
    """A goal's percent on the month's first day and on its last counted, and
    what moved it in the month (linked exchanges, progress notes)."""
    start = "new" if g["new"] else "–" if g["progress_start"] is None else f"{g['progress_start']}%"
    end = "–" if g["progress_end"] is None else f"{g['progress_end']}%"
    moved = [count(n, word) for n, word in ((g.get("interactions", 0), "exchange"), (g.get("updates", 0), "note")) if n]
    return start, end, ", ".join(moved) or "–"


def _goals_key_needed(r: Report) -> bool:
    return any("new" in cells[:2] or "–" in cells[:2] for cells in map(_goal_cells, r.goals))


def _goal_days(r: Report) -> tuple[str, str]:
    return f"{r.start.day} {r.start:%b}", f"{r.end.day} {r.end:%b}"


def _goal_line(g: dict[str, Any]) -> str:
    start, end, moved = _goal_cells(g)
    return f"{g['title']} ({g['status']}): {start} → {end}" + ("" if moved == "–" else f"; {moved}")


# ----------------------------------------------------------------- terminal


def terminal(r: Report, console: Console | None = None) -> None:
    console = console or render.out()
    console.print(Text(f"Your learning network in {_month_name(r)}", style="bold"))
    for note in _notes(r):
        console.print(Text(f"  {note}", style="dim"))
    if r.is_empty:
        console.print(Text(f"  {_empty(r)}", style="yellow"))
    for line in summary_lines(r):
        hanging(Text("  "), line, console=console)
    console.print(Text("\nCalendar", style="bold"))
    console.print(Text("       " + " ".join(WEEKDAYS), style="dim"))
    for week in _weeks(r):
        first = next(d for d in week if d is not None)[0]
        console.print(Text(f"  W{first.isocalendar().week:02d}  " + _day_numbers(week), style="dim"))
        row = Text("       ")
        for cell in week:
            if cell is None or cell[0] > r.end:  # after as-of: not yet, not empty
                row.append("   ")
            else:
                lvl = level(cell[1])
                row.append(SHADES[lvl] * 2, style=GREENS[lvl] if console.is_terminal else "")
                row.append(" ")
        console.print(row)
    console.print(Text("  less " + SHADES + " more", style="dim"))
    for title, mapping in (("By kind", r.by_kind), ("New people by channel", r.new_by_channel)):
        if mapping:
            console.print(Text(f"\n{title}", style="bold"))
            label = max(len(k) for k in mapping)
            for key, bar, value in _bar_lines(mapping):
                console.print(Text(f"  {key:<{label}}  ").append(bar, style="cyan").append(f" {value}"))
    console.print(Text("\nSix months", style="bold"))
    trend = {_trend_label(t): t["interactions"] for t in r.trend}
    label = max(map(len, trend), default=0)
    for key, bar, value in _bar_lines(trend):
        console.print(Text(f"  {key:<{label}}  ").append(bar if value else "", style="magenta").append(f" {value}"))
    if r.top_contacts:
        console.print(Text("\nMost in touch with", style="bold"))
        hanging(Text("  "), ", ".join(f"{t['name']} ({t['interactions']})" for t in r.top_contacts), console=console)
    if r.communities:
        console.print(Text("\nWhere you were active", style="bold"))
        hanging(Text("  "), ", ".join(_active(c) for c in r.communities), console=console)
    if r.goals:
        console.print(Text("\nGoals", style="bold"))
        for g in r.goals:
            hanging(Text("  "), _goal_line(g), console=console)
    if r.went_quiet:
        count, named, more = _quiet(r)
        console.print(Text(f"\nWent quiet in {r.start:%B} ({count})", style="bold"))
        names = Text(", ".join(named), style="yellow").append(f", {more}" if more else "")
        console.print(Padding(names, (0, 0, 0, 2), expand=False))  # wrapped lines indented too
    if r.focus:
        console.print(Text("\nFocus for next month", style="bold"))
        for item in r.focus:
            hanging(Text("  • "), item, console=console)


def _active(c: dict[str, Any]) -> str:
    """`Rust Learners (12 posts, 1 event)`."""
    parts = [count(n, word) for n, word in ((c["posts"], "post"), (c["events"], "event")) if n]
    return f"{c['name']} ({', '.join(parts)})"


def _month_name(r: Report) -> str:
    return r.start.strftime("%B %Y")


def plain(r: Report) -> str:
    buffer = io.StringIO()
    terminal(r, render.console(file=buffer, width=100, no_color=True, force_terminal=False))
    return buffer.getvalue()


# ----------------------------------------------------------------- markdown


_MD_ACTIVE = re.compile(r"([\\`*_{}\[\]|~])")  # inline Markdown: emphasis, code, links, tables, strikeout
_MD_BLOCK = re.compile(r"^(\d*)([#+=.)-])")  # a heading, list item or underline at the start of a line


def _md(text: str) -> str:
    """Someone else's text as Markdown shows it and does nothing else: one
    line, defused, no HTML (Markdown viewers render it: `<script>`,
    `onerror=`), no emphasis, links, code or table cells, no heading or
    list at the start of a line."""
    flat = defuse(" ".join(str(text).split()), one_line=True)
    flat = htmlmod.escape(_MD_ACTIVE.sub(r"\\\1", flat), quote=False)
    return _MD_BLOCK.sub(r"\1\\\2", flat)


def markdown(r: Report) -> str:
    lines = [f"# Learning network: {_month_name(r)}", ""]
    lines += [line for note in _notes(r) for line in (f"_{_md(note)}_", "")]
    if r.is_empty:
        lines += [_empty(r), ""]
    lines += [f"- {_md(line)}" for line in summary_lines(r)] + [""]  # channels are names someone gave
    lines += ["## Calendar", "", "```", "      " + " ".join(WEEKDAYS)]
    for week in _weeks(r):
        first = next(d for d in week if d is not None)[0]
        cells = ["  " if c is None or c[0] > r.end else SHADES[level(c[1])] * 2 for c in week]
        lines += [f"W{first.isocalendar().week:02d}   " + _day_numbers(week), "      " + " ".join(cells)]
    lines += ["less " + SHADES + " more", "```", ""]
    for title, mapping in (("By kind", r.by_kind), ("New people by channel", r.new_by_channel)):
        if mapping:
            lines += [f"## {title}", "", "| | count | |", "|---|---:|---|"]
            lines += [f"| {_md(k)} | {v} | `{bar}` |" for k, bar, v in _bar_lines(mapping, 20)] + [""]
    lines += ["## Six months", "", "| month | interactions | |", "|---|---:|---|"]
    trend = {_trend_label(t): t["interactions"] for t in r.trend}
    lines += [f"| {k} | {v} | {f'`{bar}`' if v else ''} |" for k, bar, v in _bar_lines(trend, 20)] + [""]
    if r.top_contacts:
        lines += (
            ["## Most in touch with", ""] + [f"- {_md(t['name'])}: {t['interactions']}" for t in r.top_contacts] + [""]
        )
    if r.communities:
        lines += ["## Where you were active", ""] + [f"- {_md(_active(c))}" for c in r.communities] + [""]
    if r.goals:
        first_day, last_day = _goal_days(r)
        lines += [
            "## Goals",
            "",
            f"| goal | status | {first_day} | {last_day} | {GOALS_MOVED} |",
            "|---|---|---:|---:|---|",
        ]
        for g in r.goals:
            start, end, moved = _goal_cells(g)
            lines.append(f"| {_md(g['title'])} | {g['status']} | {start} | {end} | {moved} |")
        lines += ["", GOALS_KEY, ""] if _goals_key_needed(r) else [""]
    if r.went_quiet:
        count, named, more = _quiet(r)
        lines += [
            f"## Went quiet in {r.start:%B} ({count})",
            "",
            ", ".join([*map(_md, named), *([more] if more else [])]),
            "",
        ]
    if r.focus:
        lines += ["## Focus for next month", ""] + [f"- {_md(f)}" for f in r.focus] + [""]
    return "\n".join(lines)


# ----------------------------------------------------------------- html


def _e(text: Any) -> str:
    return htmlmod.escape(defuse(str(text)), quote=True)


def _svg_calendar(r: Report) -> str:
    size, gap, left, top = 24, 4, 40, 18
    weeks = _weeks(r)
    width = left + 7 * (size + gap)
    height = top + len(weeks) * (size + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="Interactions per day in {_e(_month_name(r))}">'
    ]
    for i, name in enumerate(WEEKDAYS):
        parts.append(
            f'<text x="{left + i * (size + gap) + size / 2}" y="12" text-anchor="middle" class="axis">{name}</text>'
        )
    for row, week in enumerate(weeks):
        y = top + row * (size + gap)
        first = next(d for d in week if d is not None)[0]
        parts.append(f'<text x="0" y="{y + 15}" class="axis">W{first.isocalendar().week:02d}</text>')
        for col, cell in enumerate(week):
            if cell is None:
                continue
            day, n = cell
            x, shade = left + col * (size + gap), level(n)
            if day > r.end:  # after as-of: not yet, not empty
                said, fill, style = "not yet", 'fill="none" stroke="#d0d7de" stroke-dasharray="2 2"', "day later"
            else:
                said, fill, style = (
                    count(n, "interaction"),
                    f'fill="{SVG_GREENS[shade]}"',
                    "day dark" if shade >= 3 else "day",
                )
            parts.append(
                f"<g><title>{day.isoformat()}: {said}</title>"
                f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="3" {fill}/>'
                f'<text x="{x + size / 2}" y="{y + 16}" text-anchor="middle" class="{style}">{day.day}</text></g>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _svg_bars(mapping: dict[str, int], colour: str, label: str) -> str:
    if not mapping:
        return '<p class="muted">None this month.</p>'
    row, name_w, bar_w = 22, 130, 260
    top = max(mapping.values()) or 1
    height = row * len(mapping)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{name_w + bar_w + 50}" height="{height}" role="img" '
        f'aria-label="{_e(label)}">'
    ]
    for i, (key, value) in enumerate(mapping.items()):
        y = i * row
        w = max(2, round(value / top * bar_w)) if value else 0
        parts.append(f'<text x="0" y="{y + 15}" class="label">{_e(key)}</text>')
        parts.append(
            f'<rect x="{name_w}" y="{y + 3}" width="{w}" height="{row - 8}" rx="2" fill="{colour}">'
            f"<title>{_e(key)}: {value}</title></rect>"
        )
        parts.append(f'<text x="{name_w + w + 6}" y="{y + 15}" class="label">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_trend(r: Report) -> str:
    col, chart_h = 60, 120
    top = max((t["interactions"] for t in r.trend), default=0) or 1
    width = col * len(r.trend)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{chart_h + 52}" role="img" '
        'aria-label="Interactions over six months">'
    ]
    for i, t in enumerate(r.trend):
        h = round(t["interactions"] / top * chart_h)
        x = i * col + 10
        parts.append(
            f'<rect x="{x}" y="{chart_h - h + 14}" width="{col - 20}" height="{h}" rx="2" fill="#6f42c1">'
            f"<title>{t['month']}: {t['interactions']}</title></rect>"
        )
        parts.append(
            f'<text x="{x + (col - 20) / 2}" y="{chart_h - h + 10}" text-anchor="middle" class="label">'
            f"{t['interactions']}</text>"
        )
        parts.append(
            f'<text x="{x + (col - 20) / 2}" y="{chart_h + 32}" text-anchor="middle" class="axis">{t["month"]}</text>'
        )
        if t["partial"]:
            parts.append(
                f'<text x="{x + (col - 20) / 2}" y="{chart_h + 46}" text-anchor="middle" class="axis">so far</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #1f2328; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.muted, .axis { color: #656d76; fill: #656d76; font-size: 11px; } .label { font-size: 12px; fill: #1f2328; }
ul.summary li { margin: .2rem 0; } table { border-collapse: collapse; } \
td, th { padding: .2rem .8rem .2rem 0; text-align: left; }
.quiet { background: #fff8c5; padding: .5rem .8rem; border-radius: 6px; }
.day { font-size: 11px; fill: #1f2328; pointer-events: none; } \
.day.dark { fill: #ffffff; } .day.later { fill: #8c959f; }
"""


def html(r: Report) -> str:
    goals = "".join(
        f"<tr><td>{_e(g['title'])}</td><td>{_e(g['status'])}</td>"
        + "".join(f"<td>{c}</td>" for c in _goal_cells(g))
        + "</tr>"
        for g in r.goals
    )
    sections = [
        f"<h1>Learning network: {_e(_month_name(r))}</h1>",
        "".join(
            f'<p class="muted">{_e(note)}</p>' for note in ([] if r.partial else [f"{r.start} to {r.end}"]) + _notes(r)
        ),
        f'<p class="quiet">{_e(_empty(r))}</p>' if r.is_empty else "",
        '<ul class="summary">' + "".join(f"<li>{_e(line)}</li>" for line in summary_lines(r)) + "</ul>",
        "<h2>Calendar</h2>",
        _svg_calendar(r),
        "<h2>By kind</h2>",
        _svg_bars(r.by_kind, "#0969da", "Interactions by kind"),
        "<h2>New people by channel</h2>",
        _svg_bars(r.new_by_channel, "#1a7f37", "New people by channel"),
        "<h2>Six months</h2>",
        _svg_trend(r),
    ]
    if r.top_contacts:
        sections += [
            "<h2>Most in touch with</h2><ul>"
            + "".join(f"<li>{_e(t['name'])}: {t['interactions']}</li>" for t in r.top_contacts)
            + "</ul>"
        ]
    if r.communities:
        sections += [
            "<h2>Where you were active</h2><ul>"
            + "".join(f"<li>{_e(_active(c))}</li>" for c in r.communities)
            + "</ul>"
        ]
    if r.goals:
        first, last = _goal_days(r)
        sections += [
            f"<h2>Goals</h2><table><tr><th>goal</th><th>status</th><th>{first}</th><th>{last}</th>"
            f"<th>{GOALS_MOVED}</th></tr>"
            + goals
            + "</table>"
            + (f'<p class="muted">{_e(GOALS_KEY)}</p>' if _goals_key_needed(r) else "")
        ]
    if r.went_quiet:
        count, named, more = _quiet(r)
        sections += [
            f"<h2>Went quiet in {r.start:%B} ({count})</h2><p>"
            + _e(", ".join([*named, *([more] if more else [])]))
            + "</p>"
        ]
    if r.focus:
        sections += ["<h2>Focus for next month</h2><ul>" + "".join(f"<li>{_e(f)}</li>" for f in r.focus) + "</ul>"]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>netcli report {_e(r.month)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{STYLE}</style></head><body>\n" + "\n".join(s for s in sections if s) + "\n</body></html>\n"
    )
