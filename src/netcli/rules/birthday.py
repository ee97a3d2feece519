"""The birthday rule, and the one reading of a stored birthday."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from netcli.rules.facts import BirthdayFacts, Nudge, Words
from netcli.rules.registry import Day, rule
from netcli.wording import count

_BIRTHDAY = re.compile(r"^(?:(\d{4})-?|--)(\d{2})-?(\d{2})$")
# a year before 1901 is a placeholder: Apple Contacts writes 1604 for "no year", khard asks for 1900
FIRST_REAL_YEAR = 1901


def birthday_in(text: str, year: int) -> dt.date | None:
    """The day a stored birthday falls on in `year` (Feb 29 on Feb 28 in a
    common year); None when the text names no month and day."""
    match = _BIRTHDAY.match(text.strip())
    if match is None:
        return None
    month, day = int(match[2]), int(match[3])
    if month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def birth_year(text: str) -> int | None:
    """The year a stored birthday names, if it is a real one."""
    match = _BIRTHDAY.match(text.strip())
    year = int(match[1]) if match is not None and match[1] else None
    return year if year is not None and year >= FIRST_REAL_YEAR else None


@rule(
    name="birthday",
    brief="wish a happy birthday to",
    subject="birthdays",
    style="green",
    settings={"birthday_days": 3},
    limits={"birthday_days": (31, "days before a birthday")},
    done_logs="message",
    summary="""Someone's birthday (`add`/`edit --birthday 1990-05-17`, or `--05-17` without the year; vCard
    imports bring it) is within 3 days (`rules.birthday_days`, at most 31): "Wish Ana Lima a happy birthday
    (Friday)." It lapses after the day; a Feb 29 birthday falls on Feb 28 in a common year. `done` logs a
    `message`.""",
)
def birthday(b: BirthdayFacts, day: Day) -> Nudge | None:
    today, window = day.today, day.setting("birthday_days")
    this_year = birthday_in(b.birthday, today.year)
    if this_year is None:
        return None
    when = this_year if this_year >= today else birthday_in(b.birthday, today.year + 1)
    if when is None or (when - today).days > window:
        return None
    ahead = (when - today).days

    def words() -> Words:
        weekday = "today" if ahead == 0 else when.strftime("%A")
        born = birth_year(b.birthday)
        turns = f"; they turn {when.year - born}" if born is not None and born < when.year else ""
        return (
            f"Wish {b.name} a happy birthday ({weekday}).",
            f"{b.name}'s birthday is {'today' if ahead == 0 else 'in ' + count(ahead, 'day')} "
            f"({when.strftime('%A')} {when.isoformat()}){turns}",
            {"birthday": b.birthday, "date": when, "days_ahead": ahead, "window_days": window},
        )

    return Nudge(
        rule="birthday",
        subject=b.contact_id,
        cycle=when,
        contact=b.name,
        contact_id=b.contact_id,
        due=when,
        priority=round(65.0 + (window - ahead), 1),
        words=words,
    )
