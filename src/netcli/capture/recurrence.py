"""Bounds on recurrence, for capture calendar.

A rule is expanded only over the days a capture reads: a series that began
decades before them starts again just before them (on its own grid of days,
weeks, months or years: the same occurrences), and no rule is followed past
the year after them. A series may give at most `CALENDAR_OCCURRENCES` in
those days; a file's rules may take at most `CALENDAR_STEPS` steps (a day,
week, month or year each, and one per occurrence) in all; a rule repeating
more than once a day is not a meeting series. Past any of these the event is
bad, and named. No database here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from netcli.reading import CALENDAR_OCCURRENCES, CALENDAR_STEPS

_SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")
_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 30, "YEARLY": 365}
_SLACK = dt.timedelta(days=3)  # a shifted start stays this far before the first day read: it is not one of them


class Budget:
    """What a file's recurring events may still cost (`CALENDAR_STEPS`)."""

    def __init__(self) -> None:
        self.left = CALENDAR_STEPS

    def spend(self, steps: int) -> bool:
        self.left -= steps
        return self.left >= 0


def bound_recurrence(calendar: Any, *, first: dt.date, last: dt.date, budget: Budget) -> str | None:
    """Check each recurring event of `calendar` (one series) and move the
    start of one that began long before `first` to just before it; why the
    series cannot be expanded, or None."""
    for component in calendar.walk("VEVENT"):
        rules = component.get("RRULE")
        if rules is None:
            continue
        rules = rules if isinstance(rules, list) else [rules]
        for rule in rules:
            freq = str((rule.get("FREQ") or [""])[0]).upper()
            if freq in _SUB_DAILY or _times_a_day(rule) > 1:
                shown = f"FREQ={freq}" if freq in _SUB_DAILY else "several times a day"
                return f"repeats more than once a day ({shown}); netcli logs meetings by the day"
            if freq not in _PERIOD_DAYS:
                return f"a repeat rule without a known FREQ ({freq or 'none'})"
        if "RECURRENCE-ID" not in component and len(rules) == 1 and "COUNT" not in rules[0]:
            _shift_start(component, rules[0], before=first - _SLACK)
        # from its start to the end of the year after the last day read, where `years_up_to` stops a rule
        days = max((dt.date(last.year + 1, 12, 31) - _as_date(component["DTSTART"].dt)).days, 0)
        for rule in rules:
            interval = max(int((rule.get("INTERVAL") or [1])[0]), 1)
            freq = str(rule["FREQ"][0]).upper()
            if not budget.spend(days // (_PERIOD_DAYS[freq] * interval) + 1):
                return (
                    f"the file's repeating events take more than {CALENDAR_STEPS:,} steps to expand over the days "
                    "read (the limit for one file); give --since to read fewer days"
                )
    return None


def _times_a_day(rule: Any) -> int:
    times = 1
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        times *= max(len(rule.get(part) or []), 1)
    return times


def _shift_start(component: Any, rule: Any, *, before: dt.date) -> None:
    """Move a series' DTSTART (and DTEND) forward by whole repeats of its rule,
    to the last such start on or before `before`: the occurrences from there
    on are those of the series as written, and none before has to be worked out."""
    value = component["DTSTART"].dt
    begun = _as_date(value)
    if begun >= before:
        return
    freq = str(rule["FREQ"][0]).upper()
    interval = max(int((rule.get("INTERVAL") or [1])[0]), 1)
    moved: dt.date | None = None
    if freq in ("DAILY", "WEEKLY"):
        step = interval * _PERIOD_DAYS[freq]
        moved = begun + dt.timedelta(days=(before - begun).days // step * step)
    else:
        unit = 12 if freq == "YEARLY" else 1
        months = (before.year - begun.year) * 12 + before.month - begun.month
        steps = months // (unit * interval)
        for back in range(12):  # the 31st or the 29th of February: the last month or year that has it
            total = (steps - back) * unit * interval
            if total <= 0:
                break
            year, month = divmod(begun.month - 1 + total, 12)
            try:
                moved = begun.replace(year=begun.year + year, month=month + 1)
            except ValueError:
                continue
            if moved <= before:
                break
            moved = None
    if moved is None or moved <= begun:
        return
    delta = (moved - begun) if not isinstance(value, dt.datetime) else None
    shifted = value + delta if delta is not None else _same_clock(value, moved)
    if "DTEND" in component:
        end = component["DTEND"].dt
        if isinstance(end, dt.datetime) == isinstance(value, dt.datetime):
            component["DTEND"].dt = shifted + (end - value)
    component["DTSTART"].dt = shifted


def _same_clock(value: dt.datetime, day: dt.date) -> dt.datetime:
    """`value` on another day at the same wall-clock time, in the same zone."""
    return dt.datetime.combine(day, value.time().replace(tzinfo=None), tzinfo=value.tzinfo)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def too_many(
    query: Any, span: tuple[dt.datetime, dt.datetime], *, first: dt.date, last: dt.date, budget: Budget
) -> str | None:
    """Why a series gives too many occurrences in the days read, or None:
    its starts are counted (dates only, no events built) up to the limit."""
    for series in query.series:
        count = 0
        for _ in series.rrule_between(*span):
            count += 1
            if count > CALENDAR_OCCURRENCES:
                return (
                    f"repeats more than {CALENDAR_OCCURRENCES:,} times from {first} to {last} (the limit for one "
                    "event); give --since to read fewer days"
                )
        if not budget.spend(count):
            return (
                f"the file's repeating events take more than {CALENDAR_STEPS:,} steps to expand over the days "
                "read (the limit for one file); give --since to read fewer days"
            )
    return None


@contextlib.contextmanager
def years_up_to(year: int) -> Iterator[None]:
    """dateutil follows a rule that never matches (BYMONTH=2;BYMONTHDAY=30)
    to the year 9999, day by day: while this holds, no rule is followed past
    `year` (dateutil reads its year limit from its `datetime` module at each
    step; capture runs in one thread)."""
    import types

    from dateutil import rrule

    real: Any = rrule.datetime  # type: ignore[attr-defined]
    bounded: Any = types.SimpleNamespace(**{key: getattr(real, key) for key in dir(real) if not key.startswith("__")})
    bounded.MAXYEAR = min(year, real.MAXYEAR)
    rrule.datetime = bounded  # type: ignore[attr-defined]
    try:
        yield
    finally:
        rrule.datetime = real  # type: ignore[attr-defined]
