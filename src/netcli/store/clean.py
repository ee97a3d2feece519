"""Validation of what people type: names, free text, labels and dates, with
the limits (`MAX_*`) every store module applies. No database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from netcli.dates import parse_birthday
from netcli.errors import Invalid

PROFILE_FIELDS = ("email", "phone", "org", "role", "location", "url")
MAX_NAME = 200
MAX_FIELD = 500
MAX_NOTE = 10_000
MAX_LABEL = 100
MAX_CADENCE_DAYS = 36_500  # a hundred years, as config's day counts allow
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise Invalid('a name cannot be empty; give the person\'s name, e.g. "Ana Lima"')
    if len(cleaned) > MAX_NAME:
        raise Invalid(f"a name can be at most {MAX_NAME} characters (this one has {len(cleaned)})")
    if _CONTROL.search(cleaned):
        raise Invalid("a name cannot contain control characters")
    return cleaned


def clean_text(label: str, value: str | None, *, limit: int = MAX_FIELD) -> str | None:
    """Trimmed text or None; rejects what no field should hold."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if len(text) > limit:
        raise Invalid(f"--{label} can be at most {limit:,} characters (this one has {len(text):,}); shorten it")
    if "\x00" in text or (label != "note" and _CONTROL.search(text)):
        raise Invalid(f"--{label} cannot contain control characters")
    if label == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+", text):
        raise Invalid(f"--email {text!r} is not an email address (expected name@example.org)")
    return text


def clean_labels(kind: str, values: Iterable[str] | None) -> list[str]:
    """Tags and topics: lowercase, single-spaced, unique, in the order given."""
    result: list[str] = []
    for value in values or ():
        label = " ".join(str(value).lower().split())
        if not label:
            raise Invalid(f"a {kind} cannot be empty")
        if len(label) > MAX_LABEL or _CONTROL.search(label):
            raise Invalid(f"a {kind} must be at most {MAX_LABEL} plain characters: {label[:40]!r}")
        if label not in result:
            result.append(label)
    return result


def clean_birthday(value: Any, *, today: dt.date) -> str | None:
    """A birthday as stored (`YYYY-MM-DD`, or `--MM-DD` without a year) or
    None, judged by the one judge every door uses (`dates.parse_birthday`);
    Invalid with its words."""
    if value is None or not str(value).strip():
        return None
    try:
        return parse_birthday(str(value), today=today)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


def clean_date(value: Any, field: str) -> dt.date | None:
    """A date from a record (ISO text or a date) or None; Invalid naming `field`."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(f"{field} {value!r} is not a date like 2026-11-28") from None
