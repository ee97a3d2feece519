"""Option values as commands take them: today (or --as-of), dates, date
ranges, birthdays and spans, each turned into a usage error naming its option
when it cannot be read. Never imports `netcli.cli.app`."""

from __future__ import annotations

from datetime import date


def resolve_today(as_of: str | None) -> date:
    """Today's local date, or the --as-of date, resolved once per command."""
    today = date.today()
    if as_of is None:
        return today
    return parse_when(as_of, today=today, option="--as-of")


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
        from netcli.errors import Invalid

        raise Invalid(
            f"{option} {text!r} is {day.isoformat()}, in the future; give the day it happened (today at the latest)"
        )
    return day


def parse_range(since: str | None, until: str | None, *, today: date) -> tuple[date | None, date | None]:
    """--since and --until; a range that ends before it starts could match nothing."""
    start = parse_when(since, today=today, option="--since") if since else None
    end = parse_when(until, today=today, option="--until") if until else None
    if start is not None and end is not None and start > end:
        from netcli.errors import Invalid

        raise Invalid(
            f"--since {start.isoformat()} is after --until {end.isoformat()}, so nothing could match; swap them"
        )
    return start, end


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
