"""One capture from files to interactions: the one module that joins the
sources (`capture.calendar`, `scan`, `capture.match`) to the store
(`store.capture`). It takes the session, the config and the day as
arguments and knows nothing of a terminal: progress, warnings and the
changes a dry run lists go to callbacks."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session

from netcli.capture import calendar
from netcli.capture.match import SKIP_REASONS, Verdict, judge, seen_addresses
from netcli.config import Config
from netcli.errors import Invalid, NetcliError
from netcli.scan import Found, find
from netcli.store.capture import Capture, Kept, Report, address_holders, clean_note, context_digest

# how far ahead occurrences are read: the next session with a mentor, and the
# day a file must be read again because one of its occurrences came to pass
HORIZON_DAYS = 42
CALENDAR_FILES = "an .ics file or a folder of .ics files (a vdir, as vdirsyncer and khal keep one)"
# bumped when what a file's records are made of changes, so that every file is read again
CALENDAR_READER = "calendar-1"

Progress = Callable[[int, int, int], None]  # (bytes of files done, bytes in all, occurrences read so far)
Warn = Callable[[str], None]


class MissingMe(NetcliError):
    """`[me] emails` is not set: capture cannot tell the user from the others."""


def capture_calendar(
    session: Session,
    paths: Sequence[Path],
    *,
    config: Config,
    today: dt.date,
    since: dt.date | None,
    warn: Warn,
    report: Report | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Log every past occurrence, since `since`, of the meetings with
    contacts in the calendar files; the summary document of the contract."""
    found, folders = find(paths, suffix=".ics", what=CALENDAR_FILES)
    mine = config.my_addresses()
    zone = config.zone()
    start, end = since or calendar.EARLIEST, today + dt.timedelta(days=HORIZON_DAYS)
    holders = address_holders(session)
    if not mine:
        raise _missing_me(found, holders, start=start, end=today, zone=zone)
    max_attendees = config.capture["max_attendees"]
    # the zone decides the days: TZ, the config's, or the system's, whichever is in force
    zone_id = (os.environ.get("TZ"), config.me["timezone"], time.tzname)
    context = context_digest(holders, mine, max_attendees, zone_id, CALENDAR_READER)
    capture = Capture(session, source="calendar", today=today, since=since, report=report)
    skipped: Counter[str] = Counter({reason: 0 for reason in SKIP_REASONS})
    read = 0
    total_bytes = sum(item.size for item in found)
    verdicts: dict[tuple[Any, ...], Verdict] = {}
    wanted = capture.to_read(found, context)
    unchanged = len(found) - len(wanted)
    done_bytes = total_bytes - sum(item.size for item in wanted)
    for item in wanted:
        try:
            occurrences = _occurrences(item, start=start, end=end, zone=zone)
        except (calendar.NotACalendar, Invalid) as exc:
            if item.named:
                raise Invalid(str(exc)) from None
            warn(f"skipped bad file: {exc}")
            skipped["bad"] += 1
            continue
        file_id = capture.begin(item, context)
        due: dt.date | None = None
        sessions: dict[int, tuple[dt.date, str | None]] = {}
        for occurrence in occurrences:
            if isinstance(occurrence, calendar.BadEvent):
                warn(f"skipped bad event: {occurrence.where}: {occurrence.error}")
                skipped["bad"] += 1
                continue
            # a series' occurrences share their people (and so, mostly, their verdict)
            people = (occurrence.organizer, occurrence.attendees, occurrence.cancelled)
            verdict = verdicts.get(people)
            if verdict is None:
                verdict = verdicts[people] = judge(occurrence, mine=mine, holders=holders, max_attendees=max_attendees)
            note = clean_note(occurrence.summary)
            if occurrence.date > today:
                if verdict.reason is None:
                    due = min(due or occurrence.date, occurrence.date)
                    for cid in verdict.contacts:
                        if cid not in sessions or occurrence.date < sessions[cid][0]:
                            sessions[cid] = (occurrence.date, note)
                continue
            read += 1
            if verdict.reason is not None:
                skipped[verdict.reason] += 1
            else:
                kept = Kept(occurrence.key, occurrence.uid, occurrence.date, "meeting", note, verdict.contacts)
                capture.add(file_id, kept)
            if progress is not None and read % 1000 == 0:
                progress(done_bytes, total_bytes, read)
        capture.end(due_on=min(due or end, end), sessions=sessions)
        done_bytes += item.size
        if progress is not None:
            progress(done_bytes, total_bytes, read)
    capture.finish(folders=folders, present=[str(item.path) for item in found])
    counts = capture.counts
    return {
        "files": len(found),
        "unchanged": unchanged,
        "read": read,
        "logged": counts["logged"],
        "updated": counts["updated"],
        "removed": counts["removed"],
        "already": counts["already"],
        "skipped": dict(skipped),
        "suggestions": [],
    }


def _occurrences(
    item: Found, *, start: dt.date, end: dt.date, zone: dt.tzinfo | None
) -> Iterator[calendar.Occurrence | calendar.BadEvent]:
    """A file's occurrences as they are expanded (`NotACalendar` at once if it is not a calendar)."""
    from netcli.formats import open_import

    with open_import(item.path) as handle:
        data = handle.read()
    return calendar.read(data, name=str(item.path), start=start, end=end, zone=zone)


def _missing_me(
    found: list[Found], holders: Mapping[str, int], *, start: dt.date, end: dt.date, zone: dt.tzinfo | None
) -> MissingMe:
    """The error for a capture without `[me] emails`, naming the addresses
    seen most in the files that are no contact's (the user's own are in
    nearly every event)."""
    occurrences: list[calendar.Occurrence] = []
    for item in found:
        try:
            items = _occurrences(item, start=start, end=end, zone=zone)
            occurrences += [o for o in items if isinstance(o, calendar.Occurrence)]
        except (calendar.NotACalendar, Invalid):
            continue
    seen = seen_addresses(occurrences)
    likely = [address for address, _ in seen.most_common() if address not in holders][:3]
    command = f'netcli config set me.emails "{likely[0] if likely else "you@example.org"}"'
    seen_text = f"the addresses seen most in these files are {', '.join(likely)}; " if likely else ""
    return MissingMe(
        "capture needs your own email addresses to tell you from the people you meet; "
        f"{seen_text}set yours with: {command}"
    )
