"""iCalendar files as plain records: every occurrence of every event in a
window of days, with a key that stays the same when the occurrence moves.

icalendar parses (it reads Outlook's Windows zone names and keeps a damaged
property as an error on its event); x-wr-timezone repairs Google's exports,
whose times are UTC with the calendar's zone beside them; recurring-ical-events
expands RRULE, RDATE and EXDATE and puts moved occurrences (RECURRENCE-ID
overrides) in their new place. No database here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from netcli.reading import CALENDAR_EVENT, CALENDAR_OCCURRENCES, CALENDAR_STEPS, size_text

# properties without which an event's dates cannot be known: one broken makes the event bad
_DATE_PROPERTIES = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"})
EARLIEST = dt.date(1900, 1, 1)


class NotACalendar(ValueError):
    """The bytes are not an iCalendar file at all."""


class Person(NamedTuple):
    """An organizer or attendee: the address without `mailto:`, the name (CN)."""

    address: str
    name: str | None
    declined: bool


class Occurrence(NamedTuple):
    """One occurrence of one event. `key` is the event's UID, and for a
    recurring event its original start too (RECURRENCE-ID): a moved
    occurrence keeps its key. `date` is the local date the user lives it."""

    key: str
    uid: str
    date: dt.date
    summary: str
    organizer: Person | None
    attendees: tuple[Person, ...]
    cancelled: bool


class BadEvent(NamedTuple):
    where: str
    error: str


def read(
    data: bytes, *, name: str, start: dt.date, end: dt.date, zone: dt.tzinfo | None
) -> Iterator[Occurrence | BadEvent]:
    """Each occurrence starting between `start` and `end` (inclusive, local
    dates), and each event too damaged to place as a `BadEvent`. `zone` is
    the user's (None: the system's, which honours `TZ`).

    Raises `NotACalendar`, before yielding anything, when `data` is not an
    iCalendar file."""
    return _expand(_split(data, name=name), name=name, start=start, end=end, zone=zone)


class _Part(NamedTuple):
    """One VCALENDAR of a file, cut in text: its own property lines, its
    time zones (TZID -> block) and its events grouped by UID (a series with
    its overrides), each group parsed and expanded on its own: a calendar of
    any size is held as text, never as one tree of components."""

    head: bytes
    zones: dict[bytes, bytes]
    series: list[tuple[str, list[bytes]]]


_UID = re.compile(rb"^UID[;:][^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", re.IGNORECASE | re.MULTILINE)
_TZID = re.compile(rb"^TZID[;:]([^\r\n]*)", re.IGNORECASE | re.MULTILINE)


def _split(data: bytes, *, name: str) -> list[_Part]:
    text = data.removeprefix(b"\xef\xbb\xbf")
    if not text.lstrip(b" \t\r\n")[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise NotACalendar(f"{name} is not an iCalendar file (expected one starting BEGIN:VCALENDAR, an .ics)")
    parts: list[_Part] = []
    head: list[bytes] = []
    zones: dict[bytes, bytes] = {}
    series: dict[str, list[bytes]] = {}
    block: list[bytes] = []
    depth, kind = 0, b""
    for line in text.splitlines(keepends=True):
        word = line.rstrip(b"\r\n").upper()
        if word.startswith(b"BEGIN:"):
            depth += 1
            if depth == 2:
                kind, block = word[6:].strip(), []
        if depth >= 2:
            block.append(line)
        elif depth == 1 and not word.startswith((b"BEGIN:VCALENDAR", b"END:VCALENDAR")):
            head.append(line)
        if word.startswith(b"END:"):
            if depth == 2:
                _keep(kind, b"".join(block), zones, series)
            elif depth == 1:
                parts.append(_Part(b"".join(head), zones, list(series.items())))
                head, zones, series = [], {}, {}
            depth -= 1
            if depth < 0:
                raise NotACalendar(f"{name} is a damaged iCalendar file ({line.strip()[:40]!r} ends nothing)")
    if depth != 0 or not parts:
        raise NotACalendar(f"{name} is a damaged iCalendar file (cut short: no END:VCALENDAR)")
    return parts


def _keep(kind: bytes, block: bytes, zones: dict[bytes, bytes], series: dict[str, list[bytes]]) -> None:
    if kind == b"VTIMEZONE":
        found = _TZID.search(block)
        if found:
            zones[found.group(1).strip()] = block
    elif kind == b"VEVENT":
        uid = _UID.search(block)
        key = re.sub(rb"\r?\n[ \t]", b"", uid.group(0)).partition(b":")[2].strip() if uid else b""
        # events without a UID stand alone (each gets its own stand-in key)
        series.setdefault(key.decode("utf-8", "replace") if key else f"\0{len(series)}", []).append(block)


def _expand(
    parts: list[_Part], *, name: str, start: dt.date, end: dt.date, zone: dt.tzinfo | None
) -> Iterator[Occurrence | BadEvent]:
    import recurring_ical_events
    from icalendar import Calendar

    last = end + dt.timedelta(days=2)
    # a day of slack each side: the window is in the user's days, the library's in the events' own
    span = (dt.datetime.combine(start - dt.timedelta(days=1), dt.time()), dt.datetime.combine(last, dt.time()))
    budget = _Budget()
    for part in parts:
        repair = b"X-WR-TIMEZONE" in part.head.upper()
        for uid, blocks in part.series:
            label = f"{name}: event {uid if not uid.startswith(chr(0)) else '(no UID)'}"
            body = b"".join(blocks)
            if len(body) > CALENDAR_EVENT:
                yield BadEvent(label, f"larger than {size_text(CALENDAR_EVENT)}, the limit for one event")
                continue
            zones = [block for tzid, block in part.zones.items() if tzid in body]
            source = b"".join([b"BEGIN:VCALENDAR\r\n", part.head, *zones, body, b"END:VCALENDAR\r\n"])
            try:
                calendar = Calendar.from_ical(source)
                if repair:
                    import x_wr_timezone

                    calendar = x_wr_timezone.to_standard(calendar)
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                yield BadEvent(label, _first_line(exc))
                continue
            bad, recurring, people = _check_events(calendar, name=name)
            yield from bad
            problem = _bound_recurrence(calendar, first=start, last=last, budget=budget)
            if problem is None:
                with _years_up_to(last.year + 1):
                    try:
                        query = recurring_ical_events.of(calendar, skip_bad_series=True)
                        problem = _count(query, span, first=start, last=end, budget=budget)
                        found = (
                            []
                            if problem
                            else list(_occurrences(query, span, recurring=recurring, people=people, zone=zone))
                        )
                    except (ValueError, TypeError, OverflowError) as exc:  # a rule dateutil cannot follow
                        problem, found = _first_line(exc), []
            if problem is not None:
                yield BadEvent(label, problem)
                continue
            yield from (occurrence for occurrence in found if start <= occurrence.date <= end)


# --- bounds on recurrence ---------------------------------------------------------------------------
# A rule is expanded only over the days a capture reads: a series that began decades before them starts
# again just before them (on its own grid of days, weeks, months or years: the same occurrences), and no
# rule is followed past the year after them. A series may give at most `CALENDAR_OCCURRENCES` in those
# days; a file's rules may take at most `CALENDAR_STEPS` steps (a day, week, month or year each, and one
# per occurrence) in all; a rule repeating more than once a day is not a meeting series. Past any of
# these the event is bad, and named.

_SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")
_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 30, "YEARLY": 365}
_SLACK = dt.timedelta(days=3)  # a shifted start stays this far before the first day read: it is not one of them


class _Budget:
    """What a file's recurring events may still cost (`CALENDAR_STEPS`)."""

    def __init__(self) -> None:
        self.left = CALENDAR_STEPS

    def spend(self, steps: int) -> bool:
        self.left -= steps
        return self.left >= 0


def _bound_recurrence(calendar: Any, *, first: dt.date, last: dt.date, budget: _Budget) -> str | None:
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
        # from its start to the end of the year after the last day read, where `_years_up_to` stops a rule
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


def _count(
    query: Any, span: tuple[dt.datetime, dt.datetime], *, first: dt.date, last: dt.date, budget: _Budget
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
def _years_up_to(year: int) -> Iterator[None]:
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


def _check_events(calendar: Any, *, name: str) -> tuple[list[BadEvent], set[str], dict[str, _People]]:
    """Take the events whose dates cannot be read out of `calendar` (returned
    as bad), give a UID to events without one, and note which UIDs recur and
    each series' organizer and attendees (an override may leave them out)."""
    bad: list[BadEvent] = []
    recurring: set[str] = set()
    people: dict[str, _People] = {}
    kept = []
    for component in calendar.subcomponents:
        if component.name != "VEVENT":
            kept.append(component)
            continue
        uid = str(component.get("UID") or "").strip()
        summary = str(component.get("SUMMARY") or "").strip()
        broken = [f"{prop}: {text}" for prop, text in component.errors if prop in _DATE_PROPERTIES]
        if "DTSTART" not in component:
            broken.append("no DTSTART")
        if broken:
            label = f"event {uid or summary or '(no UID)'}"
            bad.append(BadEvent(f"{name}: {label}", "; ".join(broken)))
            continue
        if not uid:  # a stable stand-in, so that capturing the file again finds the same key
            seed = f"{component['DTSTART'].to_ical()!r}|{summary}".encode()
            uid = "no-uid-" + hashlib.sha256(seed).hexdigest()[:16]
            component["UID"] = uid
        if "RRULE" in component or "RDATE" in component or "RECURRENCE-ID" in component:
            recurring.add(uid)
        if "RECURRENCE-ID" not in component:
            people[uid] = _people(component.get("ORGANIZER"), component.get("ATTENDEE"))
        kept.append(component)
    calendar.subcomponents[:] = kept
    return bad, recurring, people


class _People(NamedTuple):
    """A series' ORGANIZER and ATTENDEE as parsed, with the properties they
    were parsed from: an occurrence holds the very same objects (the library
    copies components shallowly), so a series' people are read once."""

    organizer_property: Any
    attendees_property: Any
    organizer: Person | None
    attendees: tuple[Person, ...]


def _people(organizer: Any, attendees: Any) -> _People:
    listed = [] if attendees is None else attendees if isinstance(attendees, list) else [attendees]
    return _People(
        organizer,
        attendees,
        _person(organizer) if organizer is not None else None,
        tuple(p for p in map(_person, listed) if p is not None),
    )


class _Source(NamedTuple):
    """What every occurrence taken from one component (a series' own, or a
    moved occurrence's) shares: read once, not once per occurrence."""

    component: Any  # held, so that its id is not reused while the series is read
    uid: str
    original: dt.date | dt.datetime | None  # RECURRENCE-ID: the start it had before it moved
    summary: str
    people: _People
    cancelled: bool


def _source(component: Any, *, people: dict[str, _People]) -> _Source:
    uid = str(component["UID"]).strip()
    organizer, attendees = component.get("ORGANIZER"), component.get("ATTENDEE")
    series = people.get(uid)
    if series is None or not (
        (organizer is series.organizer_property and attendees is series.attendees_property)
        or (organizer is None and attendees is None)  # an override that did not repeat them
    ):
        series = _people(organizer, attendees)
    moved = component.get("RECURRENCE-ID")
    return _Source(
        component,
        uid,
        moved.dt if moved is not None else None,
        str(component.get("SUMMARY") or "").strip(),
        series,
        str(component.get("STATUS") or "").upper() == "CANCELLED",
    )


def _occurrences(
    query: Any,
    span: tuple[dt.datetime, dt.datetime],
    *,
    recurring: set[str],
    people: dict[str, _People],
    zone: dt.tzinfo | None,
) -> Iterator[Occurrence]:
    """The series' occurrences in `span`, each read from the component it
    comes from and its start. The library's public `between` copies the
    component for every occurrence, three quarters of the time of a capture:
    its occurrences are taken before that copy (`_occurrences_between`)."""
    sources: dict[int, _Source] = {}
    for found in query._occurrences_between(*span):
        component = found._adapter._component
        source = sources.get(id(component))
        if source is None:
            source = sources[id(component)] = _source(component, people=people)
        start = found.start
        key = source.uid
        if source.uid in recurring:
            key = f"{source.uid}/{_stamp(source.original if source.original is not None else start)}"
        yield Occurrence(
            key=key,
            uid=source.uid,
            date=local_date(start, zone),
            summary=source.summary,
            organizer=source.people.organizer,
            attendees=source.people.attendees,
            cancelled=source.cancelled,
        )


def _person(prop: Any) -> Person | None:
    text = str(prop).strip()
    params = getattr(prop, "params", {})
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    elif "EMAIL" in params:  # Apple: ORGANIZER;EMAIL=ann@example.org:urn:uuid:...
        text = str(params["EMAIL"]).strip()
    if "@" not in text:  # urn:uuid:... without EMAIL, a room's name: nobody to match
        return None
    name = params.get("CN")
    declined = str(params.get("PARTSTAT", "")).upper() == "DECLINED"
    return Person(text, str(name).strip() or None if name else None, declined)


def local_date(value: dt.date | dt.datetime, zone: dt.tzinfo | None) -> dt.date:
    """The day an event's start falls on for the user: all-day and floating
    times as written, times with a zone turned into the user's."""
    if not isinstance(value, dt.datetime):
        return value
    if value.tzinfo is None:
        return value.date()
    return value.astimezone(zone).date()


def _stamp(value: dt.date | dt.datetime) -> str:
    """An original start as text that does not depend on the zone it was written in."""
    if not isinstance(value, dt.datetime):
        return value.strftime("%Y%m%d")
    if value.tzinfo is None:
        return value.strftime("%Y%m%dT%H%M%S")
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
