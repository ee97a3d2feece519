"""Option values as commands take them. The values an MCP tool takes too
(today or --as-of, dates, birthdays, spans) live in `netcli.values`, and are
re-exported here for the command modules; what only the command line has
(a --since/--until range) is here. Never imports `netcli.cli.app`."""

from __future__ import annotations

from datetime import date

from netcli.values import parse_birthday, parse_past, parse_span, parse_when, resolve_today

__all__ = ["parse_birthday", "parse_past", "parse_range", "parse_span", "parse_when", "resolve_today"]


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
