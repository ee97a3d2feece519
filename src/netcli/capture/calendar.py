"""iCalendar files as plain records: every occurrence of every event in a
window of days, with a key that stays the same when the occurrence moves.

icalendar parses (it reads Outlook's Windows zone names and keeps a damaged
property as an error on its event); x-wr-timezone repairs Google's exports,
whose times are UTC with the calendar's zone beside them; recurring-ical-events
expands RRULE, RDATE and EXDATE and puts moved occurrences (RECURRENCE-ID
overrides) in their new place. No database here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from netcli.capture.recurrence import Budget, bound_recurrence, too_many, years_up_to
from netcli.reading import CALENDAR_EVENT, size_text

# properties without which an event's dates cannot be known: one broken makes the event bad
_DATE_PROPERTIES = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"})
EARLIEST = dt.date(1900, 1, 1)


class NotACalendar(ValueError):
    """The bytes are not an iCalendar file at all."""


class Person(NamedTuple):
    """An organizer or attendee: the address without `mailto:`, the name
    (CN), and their answer (PARTSTAT, upper case; "" when the file gives none)."""

    address: str
    name: str | None
    answer: str = ""

    @property
    def declined(self) -> bool:
        """Not coming: declined, or sent someone else in their place."""
        return self.answer in ("DECLINED", "DELEGATED")

    @property
    def unanswered(self) -> bool:
        """Invited and not (yet) answered. A file that gives no answer at all
        (Outlook's exports, a calendar written by hand) lists what its owner attends."""
        return self.answer == "NEEDS-ACTION"


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


# C0 controls but tab, CR and LF, and DEL: no property value may hold them (RFC 5545 3.1), and a
# parameter holding one makes the whole line unreadable to the parser (an ATTENDEE lost unseen)
_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# an organizer or attendee line the parser could not read: the event's people are not known
_UNREAD_PERSON = re.compile(r"parsed into parts: '(ATTENDEE|ORGANIZER)[;:]", re.IGNORECASE)
# how an mbox or a message file starts: given to `capture calendar`, it is named for what it is
_MAIL = re.compile(rb"From |(?:from|date|received|return-path|message-id|delivered-to)[ \t]*:", re.IGNORECASE)
_UID = re.compile(rb"^UID[;:][^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", re.IGNORECASE | re.MULTILINE)
_TZID = re.compile(rb"^TZID[;:]([^\r\n]*)", re.IGNORECASE | re.MULTILINE)


def _split(data: bytes, *, name: str) -> list[_Part]:
    text = data.removeprefix(b"\xef\xbb\xbf")
    if not text.lstrip(b" \t\r\n")[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        mail = " it is mail (capture mail reads it);" if _MAIL.match(text.lstrip(b"\r\n")) else ""
        raise NotACalendar(f"{name} is not an iCalendar file;{mail} expected one starting BEGIN:VCALENDAR (an .ics)")
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
        block = _CONTROLS.sub(b"", block)
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
    budget = Budget()
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
            problem = bound_recurrence(calendar, first=start, last=last, budget=budget)
            if problem is None:
                with years_up_to(last.year + 1):
                    try:
                        query = recurring_ical_events.of(calendar, skip_bad_series=True)
                        problem = too_many(query, span, first=start, last=end, budget=budget)
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
        broken += [
            f"an {found[1].upper()} line cannot be read"
            for prop, text in component.errors
            if prop is None and (found := _UNREAD_PERSON.search(text))
        ]
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
    answer = str(params.get("PARTSTAT", "")).strip().upper()
    return Person(text, str(name).strip() or None if name else None, answer)


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
