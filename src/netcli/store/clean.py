"""One cleaner per field: what every door (typing, imports, capture, sync,
merge, a restored backup) stores for a value, or the one error it gives.

A cleaner takes what a source proposes (text as typed or read, a date, a
number) and returns the value as netcli keeps it, or None for nothing; a
value it cannot keep raises `BadValue` naming the field, with the same words
whichever door brought it (the CLI words the field as its option). Text
loses what may steer a terminal (`netcli.text`). `FIELD_CLEANERS` lists the
contact's cleaners by field, so a door with a whole record, and `db check`,
walk the same list. No database.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from netcli.addresses import is_address
from netcli.dates import parse_birthday, parse_span
from netcli.errors import BadValue
from netcli.identity import handle_key
from netcli.text import plain_line, plain_lines
from netcli.vocab import CHANNELS, KINDS, TIERS

PROFILE_FIELDS = ("email", "phone", "org", "role", "location", "url")
MAX_NAME = 200
MAX_FIELD = 500
MAX_NOTE = 10_000
MAX_LABEL = 100
MAX_PHONE = 60
MAX_CADENCE_DAYS = 36_500  # a hundred years, as config's day counts allow
FIRST_DAY = dt.date(1900, 1, 1)  # nothing netcli records happened before


def clean_name(value: Any, *, field: str = "name") -> str:
    """A person's, event's, community's or goal's name: one line, never empty."""
    cleaned = plain_line(_text(value))
    if not cleaned:
        raise BadValue(field, 'cannot be empty; give a name, e.g. "Ana Lima"')
    if len(cleaned) > MAX_NAME:
        raise BadValue(field, f"can be at most {MAX_NAME} characters (this one has {len(cleaned)})")
    return cleaned


def clean_line(field: str, value: Any, *, limit: int = MAX_FIELD) -> str | None:
    """One line of text (org, role, location, met_at...), or None when empty."""
    if value is None:
        return None
    text = plain_line(_text(value))
    if not text:
        return None
    if len(text) > limit:
        raise BadValue(field, f"can be at most {limit:,} characters (this one has {len(text):,}); shorten it")
    return text


def clean_note(value: Any, *, field: str = "note") -> str | None:
    """Free text on several lines (a note, a question, a why), or None when empty."""
    if value is None or value == "":  # most rows of a history file: at once
        return None
    text = plain_lines(_text(value))
    if not text:
        return None
    if len(text) > MAX_NOTE:
        raise BadValue(field, f"can be at most {MAX_NOTE:,} characters (this one has {len(text):,}); shorten it")
    return text


def clean_email(value: Any, *, field: str = "email") -> str | None:
    text = clean_line(field, value)
    if text is None:
        return None
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    if not is_address(text):
        raise BadValue(field, f"{text!r} is not an email address (expected name@example.org)")
    return text


def clean_phone(value: Any, *, field: str = "phone") -> str | None:
    """A phone number as written (`+49 170 1234567`, `tel:+1-415-555-0100`):
    digits, at most one leading `+`, and the separators people type."""
    text = clean_line(field, value, limit=MAX_PHONE)
    if text is None:
        return None
    if text.lower().startswith("tel:"):
        text = text[4:].split(";", 1)[0].strip()
    digits = sum(ch.isdigit() for ch in text)
    if digits < 3 or not _PHONE.fullmatch(text):
        raise BadValue(field, f"{text!r} is not a phone number (expected digits, e.g. +49 170 1234567)")
    return text


_PHONE = re.compile(r"\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?|#)\s*\d+)?", re.IGNORECASE)


def clean_url(value: Any, *, field: str = "url") -> str | None:
    """A profile page or handle (`https://…`, `linkedin.com/in/ana`, `@ana@mastodon.social`): one line, no spaces."""
    text = clean_line(field, value)
    if text is None:
        return None
    if any(ch.isspace() for ch in text):
        raise BadValue(field, f"{text!r} is not a link or handle (it holds a space)")
    return text


def clean_handle(value: Any, *, field: str = "handle", region: str | None = None) -> str | None:
    """A chat identity, `KIND:VALUE` (`telegram:@ana`, `whatsapp:+491701234567`,
    `slack:T0123/U0456`...), its value normalised per kind as
    `identity.handle_key` says (which matching compares too); None when empty."""
    text = clean_line(field, value)
    if text is None:
        return None
    try:
        return handle_key(text, region)
    except ValueError as exc:
        raise BadValue(field, str(exc), names_field=True) from None


def clean_choice(field: str, value: Any, allowed: Iterable[str]) -> str | None:
    """One of a vocabulary, any case; None when empty."""
    if value is None:
        return None
    text = plain_line(_text(value))
    if not text:
        return None
    choices = list(allowed)
    match = next((a for a in choices if a.lower() == text.lower()), None)
    if match is None:
        raise BadValue(field, f"{text!r} is not one of {', '.join(choices)}")
    return match


def clean_tier(value: Any) -> str | None:
    return clean_choice("tier", value, TIERS)


def clean_via(value: Any) -> str | None:
    return clean_choice("via", value, CHANNELS)


def clean_kind(value: Any) -> str | None:
    return clean_choice("kind", value, KINDS)


def clean_cadence(value: Any, *, field: str = "cadence_days") -> int | None:
    """A cadence in days, 1 to a hundred years (a number of days, or a span
    as `--every` takes it: 2w, 3 months); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and not re.fullmatch(r"\s*[+-]?\d+\s*", value):
        try:
            return parse_span(value)
        except ValueError as exc:
            raise BadValue(field, str(exc)) from None
    number = _whole(field, value, "a whole number of days")
    if not 0 < number <= MAX_CADENCE_DAYS:
        raise BadValue(field, f"'{number}' must be between 1 and {MAX_CADENCE_DAYS} days")
    return number


def clean_day(value: Any, *, field: str, today: dt.date | None = None) -> dt.date | None:
    """A date (ISO text or a date), on or after 1900 and, given `today`, not after it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(plain_line(_text(value)))
        except ValueError:
            raise BadValue(field, f"{value!r} is not a date like 2026-11-28") from None
    if day < FIRST_DAY:
        raise BadValue(field, f"{day.isoformat()} is before 1900; give the real day")
    if today is not None and day > today:
        raise BadValue(field, f"'{day.isoformat()}' is in the future; give the day it happened (today at the latest)")
    return day


def clean_flag(field: str, value: Any) -> bool | None:
    """true/false, yes/no, 1/0 (a spreadsheet's or a backup's); None when empty."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = plain_line(_text(value)).lower()
    if not text:
        return None
    if text not in ("true", "false", "1", "0", "yes", "no"):
        raise BadValue(field, f"{value!r} must be true or false")
    return text in ("true", "1", "yes")


def clean_birthday(value: Any, *, field: str = "birthday", today: dt.date | None = None) -> str | None:
    """A birthday as stored (`YYYY-MM-DD`, or `--MM-DD` without a year) or
    None, judged by the one judge every door uses (`dates.parse_birthday`:
    any WHEN, `--MM-DD`, never a day after `today`)."""
    text = clean_line(field, value, limit=40)
    if text is None:
        return None
    try:
        return parse_birthday(text, today=today or dt.date.max)
    except ValueError as exc:
        raise BadValue(field, str(exc), names_field=True) from None


def clean_labels(kind: str, values: Iterable[Any] | None) -> list[str]:
    """Tags and topics: lowercase, one line, single-spaced, unique, in the order given."""
    result: list[str] = []
    for value in values or ():
        label = plain_line(_text(value)).lower()
        if not label:
            raise BadValue(kind, "cannot be empty")
        if len(label) > MAX_LABEL:
            raise BadValue(kind, f"can be at most {MAX_LABEL} characters: {label[:40]!r}…")
        if label not in result:
            result.append(label)
    return result


def split_labels(kind: str, value: Any) -> list[str]:
    """Labels from a list, or from one cell separated by `;` (a spreadsheet's)."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(";")
    return clean_labels(kind, [i for i in items if str(i).strip()])


def _text(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return value if isinstance(value, str) else str(value)


def _whole(field: str, value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise BadValue(field, f"{value!r} is not {what}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        raise BadValue(field, f"{value!r} is not {what}") from None


# The contact's scalar fields, each with its one cleaner (what `db check` walks too).
FIELD_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": clean_name,
    "email": clean_email,
    "phone": clean_phone,
    "org": lambda v: clean_line("org", v),
    "role": lambda v: clean_line("role", v),
    "location": lambda v: clean_line("location", v),
    "url": clean_url,
    "via": clean_via,
    "met_at": lambda v: clean_line("met_at", v),
    "met_on": lambda v: clean_day(v, field="met_on"),
    "tier": clean_tier,
    "cadence_days": clean_cadence,
    "note": clean_note,
    "birthday": clean_birthday,
    "archived": lambda v: clean_flag("archived", v),
}


def clean_text(label: str, value: Any, *, limit: int = MAX_FIELD) -> str | None:
    """Free text by its field's name: a note-like field keeps its lines."""
    if label in ("note", "why", "question"):
        return clean_note(value, field=label)
    return clean_line(label, value, limit=limit)


def clean_date(value: Any, field: str) -> dt.date | None:
    """A date from a record (ISO text or a date) or None."""
    return clean_day(value, field=field)
