"""Values as a person types them for a command's option or an assistant
for an MCP tool's argument: today (or the as-of date), dates, birthdays and
spans. A value that cannot be read is a usage error naming the option or
argument (`option`); a date in the future where something that happened is
asked for is an invalid value. Pure but for `date.today()`."""

from __future__ import annotations

from datetime import date


def resolve_today(as_of: str | None, *, option: str = "--as-of") -> date:
    """Today's local date, or the --as-of date, resolved once per command."""
    today = date.today()
    if as_of is None:
        return today
    return parse_when(as_of, today=today, option=option)


def parse_when(text: str, *, today: date, option: str) -> date:
    from netcli.dates import parse_when as parse
    from netcli.errors import UsageError

    try:
        return parse(text, today=today)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def parse_past(text: str, *, today: date, option: str) -> date:
    """A WHEN for something that happened: today at the latest."""
    day = parse_when(text, today=today, option=option)
    if day > today:
        from netcli.dates import resolved
        from netcli.errors import Invalid

        raise Invalid(
            f"{option} {text!r}{resolved(text, day)} in the future; give the day it happened (today at the latest)"
        )
    return day


def parse_birthday(text: str, *, today: date, option: str = "--birthday") -> str:
    from netcli.dates import parse_birthday as parse
    from netcli.errors import UsageError

    try:
        return parse(text, today=today)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def parse_span(text: str, *, option: str) -> int:
    from netcli.dates import parse_span as parse
    from netcli.errors import UsageError

    try:
        return parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
