"""The monthly reflection: month facts in, a `Report` out. Pure.

The numbers are gathered by SQL aggregates in `store`; what needs the rules
(thank-yous owed at the month's end, who went quiet, focus) is worked out by
`rules` beforehand. This module only assembles, fills and orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from netcli.dates import month_end

KIND_ORDER = (
    "met", "message", "call", "meeting", "event", "collab", "help-given", "help-received",
    "thanks", "intro", "mentor-session", "other",
)  # fmt: skip


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


@dataclass(frozen=True)
class Report:
    month: str
    start: dt.date
    end: dt.date
    interactions: int
    interactions_prev_month: int
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

    @property
    def change(self) -> int:
        return self.interactions - self.interactions_prev_month

    @property
    def is_empty(self) -> bool:
        return self.interactions == 0 and self.new_contacts == 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    return Report(
        month=facts.first.strftime("%Y-%m"),
        start=facts.first,
        end=facts.end,
        interactions=counts["interactions"],
        interactions_prev_month=facts.interactions_prev_month,
        people=counts["people"],
        new_contacts=sum(channels.values()),
        new_by_channel=channels,
        by_kind=by_kind,
        thanks_sent=by_kind.get("thanks", 0),
        thanks_owed=facts.thanks_owed,
        help_given=by_kind.get("help-given", 0),
        help_received=by_kind.get("help-received", 0),
        mentor_sessions=by_kind.get("mentor-session", 0),
        goals=facts.goals,
        went_quiet=facts.went_quiet,
        top_contacts=counts["top_contacts"],
        active_days=sum(1 for n in by_day.values() if n),
        by_day=by_day,
        trend=[{"month": m, "interactions": n} for m, n in facts.trend],
        focus=facts.focus,
    )


def previous_months(first: dt.date, count: int) -> list[dt.date]:
    """The first days of `count` months ending with `first`'s, oldest first."""
    months = [first]
    while len(months) < count:
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    return months
