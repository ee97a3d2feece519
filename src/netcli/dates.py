"""Dates and spans as people type them, with `today` always passed in.

`parse_when("last friday", today=...)`, `parse_span("2w")`, `humanize(...)`.
Pure: no clock, no I/O, nothing from the rest of netcli (errors are plain
`ValueError`s whose message lists the accepted forms; the CLI maps them to a
usage error).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

WHEN_FORMS = (
    "2026-11-28, today, yesterday, tomorrow, 3 days ago (3d ago), 2 weeks ago (2w ago), "
    "1 month ago, 1 year ago, friday or last friday (the most recent past one), "
    "next friday, in 2 weeks"
)
SPAN_FORMS = "10d, 2w, 3m, 1y, 10 days, 2 weeks, 3 months, 1 year"

WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}

# A table, one unit per row with its spellings: the layout is kept by hand (fmt: skip).
_UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
}  # fmt: skip
_AMOUNT = r"(?P<n>\d{1,6}|an?|one)\s*(?P<unit>[a-z]+)"
_AGO = re.compile(rf"^{_AMOUNT}\s+ago$")
_IN = re.compile(rf"^in\s+{_AMOUNT}$")
_SPAN = re.compile(rf"^{_AMOUNT}$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Days in a month or a year when a span must be a whole number of days
# (a cadence, a snooze); calendar arithmetic is used for dates themselves.
DAYS_PER = {"days": 1, "weeks": 7, "months": 30, "years": 365}
MAX_SPAN_DAYS = 100 * 365


def _amount(match: re.Match[str]) -> tuple[int, str] | None:
    unit = _UNITS.get(match["unit"])
    if unit is None:
        return None
    raw = match["n"]
    return (1 if raw in ("a", "an", "one") else int(raw)), unit


def parse_when(text: str, *, today: date) -> date:
    """Turn what a user typed into a date, relative to `today`."""
    cleaned = " ".join(str(text).strip().lower().split())
    try:
        result = _parse_when(cleaned, today)
    except (OverflowError, ValueError):
        result = None
    if result is None:
        raise ValueError(f"cannot read the date {text!r}; use one of: {WHEN_FORMS}")
    return result


def _parse_when(text: str, today: date) -> date | None:
    if _ISO.match(text):
        return date.fromisoformat(text)
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    if text == "tomorrow":
        return today + timedelta(days=1)
    words = text.split(" ")
    if len(words) <= 2 and words[-1] in WEEKDAYS:
        target = WEEKDAYS[words[-1]]
        if len(words) == 1 or words[0] == "last":
            back = (today.weekday() - target) % 7 or 7
            return today - timedelta(days=back)
        if words[0] == "next":
            ahead = (target - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
        return None
    for pattern, sign in ((_AGO, -1), (_IN, 1)):
        match = pattern.match(text)
        if match and (amount := _amount(match)):
            n, unit = amount
            step: dict[str, Any] = {unit: sign * n}  # days=, weeks=, months= or years=
            return today + relativedelta(**step)
    return None


def parse_span(text: str) -> int:
    """A span such as `2w` or `3 months`, as a whole number of days (> 0)."""
    cleaned = " ".join(str(text).strip().lower().split())
    match = _SPAN.match(cleaned)
    amount = _amount(match) if match else None
    if amount is not None:
        n, unit = amount
        days = n * DAYS_PER[unit]
        if 0 < days <= MAX_SPAN_DAYS:
            return days
    raise ValueError(f"{text!r} is not a span; use one of: {SPAN_FORMS} (at most 100 years)")


def humanize(day: date | None, *, today: date) -> str:
    """'today', 'yesterday', '3 days ago', 'in 2 weeks', '5 months ago'."""
    if day is None:
        return "never"
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == -1:
        return "yesterday"
    if delta == 1:
        return "tomorrow"
    n = abs(delta)
    if n < 14:
        amount = f"{n} days"
    elif n < 60:
        amount = f"{n // 7} weeks"
    elif n < 730:
        amount = f"{n // 30} months"
    else:
        amount = f"{n // 365} years"
    return f"in {amount}" if delta > 0 else f"{amount} ago"


MONTH_FORMS = "YYYY-MM (e.g. 2026-11), this, last"


def parse_month(text: str, *, today: date) -> date:
    """The first day of the month named by `YYYY-MM`, `this` or `last`."""
    cleaned = str(text).strip().lower()
    if cleaned == "this":
        return today.replace(day=1)
    if cleaned == "last":
        return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    match = re.fullmatch(r"(\d{4})-(\d{2})", cleaned)
    if match and 1 <= int(match.group(2)) <= 12 and int(match.group(1)) >= 1:
        return date(int(match.group(1)), int(match.group(2)), 1)
    raise ValueError(f"cannot read the month {text!r}; use {MONTH_FORMS}")


def month_end(first: date) -> date:
    """The last day of the month that starts on `first`."""
    return first + relativedelta(months=1) - timedelta(days=1)


_MONTH_DAY = re.compile(r"^--(\d{2})-(\d{2})$")


def resolved(text: str, day: date) -> str:
    """How a message names a day it read from `text`: " is 2026-11-29," after
    'tomorrow', nothing more after a date written out ("'2099-01-01' is in the
    future", not "'2099-01-01' is 2099-01-01, in the future")."""
    return " is" if text.strip() == day.isoformat() else f" is {day.isoformat()},"


def parse_birthday(text: str, *, today: date) -> str:
    """A birthday as stored: `YYYY-MM-DD` from any WHEN, or `--MM-DD` when
    the year is not known (vCard's form; `--02-29` is allowed)."""
    cleaned = str(text).strip()
    match = _MONTH_DAY.match(cleaned)
    if match:
        try:
            date(2000, int(match[1]), int(match[2]))  # a leap year: every real month and day
        except ValueError:
            raise ValueError(
                f"cannot read the birthday {text!r}: no such month and day; use --MM-DD, e.g. --05-17"
            ) from None
        return cleaned
    try:
        born = parse_when(cleaned, today=today)
    except ValueError:
        raise ValueError(
            f"cannot read the birthday {text!r}; use a date (1990-05-17) or --MM-DD without the year"
        ) from None
    if born > today:
        when = resolved(cleaned, born)
        raise ValueError(f"the birthday {text!r}{when} in the future; give the year of birth, or --MM-DD")
    return born.isoformat()
