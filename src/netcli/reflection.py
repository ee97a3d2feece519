"""The monthly reflection: month facts in, a `Report` out. Pure.

The numbers are gathered by SQL aggregates in `store`; what needs the rules
(thank-yous owed at the month's end, who went quiet, focus) is worked out by
`rules` beforehand. This module only assembles, fills and orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from netcli.dates import month_end, parse_month

KIND_ORDER = (
    "met",
    "message",
    "call",
    "meeting",
    "event",
    "collab",
    "help-given",
    "help-received",
    "thanks",
    "intro",
    "mentor-session",
    "other",
)


@dataclass(frozen=True)
class MonthFacts:
    first: dt.date  # first day of the month
    end: dt.date  # last day counted: the month's end, or as-of inside the month
    counts: dict[str, Any]  # store.month_facts for first..end
    interactions_prev_month: int
    thanks_owed: int
    went_quiet: list[str]  # closest tiers first, then by name (rules.went_quiet)
    goals: list[dict[str, Any]]
    trend: list[tuple[str, int]] = field(default_factory=list)  # six months, oldest first
    focus: list[str] = field(default_factory=list)
    just_ended: bool = False  # chosen in place of a month only a few days old


@dataclass(frozen=True)
class Report:
    month: str
    start: dt.date
    end: dt.date
    days: int  # start..end
    partial: bool  # the month is not over: end is as-of
    just_ended: bool
    interactions: int
    interactions_prev_month: int  # over the first `prev_days` days of the month before
    prev_days: int
    people: int
    new_contacts: int
    new_by_channel: dict[str, int]
    by_kind: dict[str, int]
    thanks_sent: int
    thanks_owed: int
    help_given: int
    help_received: int
    mentor_sessions: int
    goals: list[dict[str, Any]]
    went_quiet: list[str]
    top_contacts: list[dict[str, Any]]
    active_days: int
    by_day: dict[str, int]
    trend: list[dict[str, Any]]
    focus: list[str]
    communities: list[dict[str, Any]] = field(default_factory=list)  # where you were active: {name, posts, events}

    @property
    def is_empty(self) -> bool:
        return self.interactions == 0 and self.new_contacts == 0

    @property
    def prev_start(self) -> dt.date:
        return (self.start - dt.timedelta(days=1)).replace(day=1)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


JUST_ENDED_DAYS = 3


def choose_month(month: str | None, *, today: dt.date) -> tuple[dt.date, bool]:
    """The first day of the month to report, and whether it is the month just
    ended chosen by default: unasked, the first `JUST_ENDED_DAYS` days of a
    month would make a one- to three-day report. Raises ValueError."""
    if month is None and today.day <= JUST_ENDED_DAYS:
        return parse_month("last", today=today), True
    return parse_month("this" if month is None else month, today=today), False


def previous_window(first: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The days of the month before to compare first..end with: like with
    like, the same first days while the month is under way (as many as it
    has), the whole month once it is over."""
    start = (first - dt.timedelta(days=1)).replace(day=1)
    last = month_end(start)
    if end >= month_end(first):
        return start, last
    return start, min(last, start + (end - first))


def build(facts: MonthFacts) -> Report:
    counts = facts.counts
    by_kind = {k: counts["by_kind"][k] for k in KIND_ORDER if counts["by_kind"].get(k)}
    by_kind |= {k: v for k, v in sorted(counts["by_kind"].items()) if k not in by_kind and v}
    last = month_end(facts.first)
    by_day = {}
    day = facts.first
    while day <= last:
        by_day[day.isoformat()] = int(counts["by_day"].get(day, 0)) if day <= facts.end else 0
        day += dt.timedelta(days=1)
    channels = dict(sorted(counts["new_by_channel"].items(), key=lambda kv: (-kv[1], kv[0])))
    prev_start, prev_end = previous_window(facts.first, facts.end)
    return Report(
        month=facts.first.strftime("%Y-%m"),
        start=facts.first,
        end=facts.end,
        days=(facts.end - facts.first).days + 1,
        partial=facts.end < last,
        just_ended=facts.just_ended,
        interactions=counts["interactions"],
        interactions_prev_month=facts.interactions_prev_month,
        prev_days=(prev_end - prev_start).days + 1,
        people=counts["people"],
        new_contacts=sum(channels.values()),
        new_by_channel=channels,
        by_kind=by_kind,
        thanks_sent=by_kind.get("thanks", 0),
        thanks_owed=facts.thanks_owed,
        help_given=by_kind.get("help-given", 0),
        help_received=by_kind.get("help-received", 0),
        mentor_sessions=by_kind.get("mentor-session", 0) + counts.get("mentor_meetings", 0),
        goals=[g | {"new": g["created_on"] >= facts.first} for g in facts.goals],
        went_quiet=facts.went_quiet,
        top_contacts=counts["top_contacts"],
        active_days=sum(1 for n in by_day.values() if n),
        by_day=by_day,
        trend=[_trend_month(m, n, end=facts.end) for m, n in facts.trend],
        focus=facts.focus,
        communities=list(counts.get("communities", [])),
    )


def _trend_month(month: str, interactions: int, *, end: dt.date) -> dict[str, Any]:
    """A month of the trend, with the days counted: the last may be under way."""
    first = dt.date.fromisoformat(f"{month}-01")
    days = (min(month_end(first), end) - first).days + 1
    return {"month": month, "interactions": interactions, "days": days, "partial": days < month_end(first).day}


def previous_months(first: dt.date, count: int) -> list[dt.date]:
    """The first days of `count` months ending with `first`'s, oldest first."""
    months = [first]
    while len(months) < count:
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    return months
