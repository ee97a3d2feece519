"""Option values as commands take them. The values an MCP tool takes too
(today or --as-of, dates, birthdays, spans) live in `netcli.values`, and are
re-exported here for the command modules; what only the command line has is
here: a --since/--until range; values a store cleaner judges (emails, names,
tags…), judged by that cleaner before anything is read or written; and which
options an empty value may be given to. Never imports `netcli.cli.app`.

The rule for exit codes (README, "When something is wrong"): a value the
command line could not mean is a usage error, exit 2; data that is wrong or
missing (nobody of that name, a day in the future for what happened) is 1.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from typer._click.exceptions import BadParameter

from netcli.values import parse_birthday, parse_past, parse_span, parse_when, resolve_today

__all__ = [
    "EMPTY_CLEARS",
    "Refused",
    "cleaned_by",
    "empty_refused",
    "is_blank",
    "parse_birthday",
    "parse_past",
    "parse_range",
    "parse_span",
    "parse_when",
    "refuse_empty",
    "resolve_today",
]

# Options (and arguments) an empty value means something to: it clears the
# field. Every other one refuses "" as a usage error naming it (`manpage.polish`).
EMPTY_CLEARS: dict[tuple[str, ...], frozenset[str]] = {
    ("edit",): frozenset(
        {"email", "phone", "org", "role", "location", "url", "met_at", "note", "introduced_by", "every", "birthday"}
    ),
    ("event", "edit"): frozenset({"community"}),
    ("community", "edit"): frozenset({"url"}),
    ("config", "set"): frozenset({"value"}),  # `me.emails ""` clears the list, `sync.vdir ""` the folder
}


class Refused(BadParameter):
    """A value the command line could not mean, said in netcli's words (the
    usage error line puts the option's name before it)."""


def is_blank(value: Any) -> bool:
    """An empty (or all-space) value, or a repeated option with one."""
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (tuple, list)):
        return any(isinstance(v, str) and not v.strip() for v in value)
    return False


def empty_refused(command: tuple[str, ...], name: str | None) -> bool:
    """Whether the parameter `name` of `command` refuses an empty value."""
    return name not in EMPTY_CLEARS.get(command, frozenset())


def refuse_empty(what: str, *, option: bool) -> Refused:
    hint = f"leave the option out, or give {what}" if option else f"give {what}"
    return Refused(f"the value is empty; {hint}")


def _cleaner(field: str) -> Callable[[str], Any]:
    """The store's one cleaner of `field` (a contact field, or `tag` and `topic`)."""
    from netcli.store import clean

    if field in ("tag", "topic"):
        return lambda value: clean.clean_labels(field, [value])
    return clean.FIELD_CLEANERS[field]


def cleaned_by(field: str) -> Callable[[Any], Any]:
    """A Typer callback: each value of the option judged by the store's
    cleaner of `field`, what it refuses a usage error naming the option. The
    value goes on as typed: the store cleans it again when it writes."""

    def check(value: Any) -> Any:
        if value is None or is_blank(value):
            return value  # nothing given, or an empty value: refused (or meant) by `manpage.polish`
        from netcli.errors import BadValue

        cleaner = _cleaner(field)
        for each in value if isinstance(value, (list, tuple)) else [value]:
            try:
                cleaner(each)
            except BadValue as exc:  # "org can be at most…": the usage line names the option instead
                raise Refused(exc.problem) from None
        return value

    return check


def parse_range(since: str | None, until: str | None, *, today: date) -> tuple[date | None, date | None]:
    """--since and --until; a range that ends before it starts could match nothing."""
    start = parse_when(since, today=today, option="--since") if since else None
    end = parse_when(until, today=today, option="--until") if until else None
    if start is not None and end is not None and start > end:
        from netcli.errors import UsageError

        raise UsageError(
            f"--since {start.isoformat()} is after --until {end.isoformat()}, so nothing could match; swap them"
        )
    return start, end
