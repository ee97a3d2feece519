"""One capture from files to interactions: the one module that joins the
sources (`capture.calendar`, `scan`, `capture.match`) to the store
(`store.capture`). It takes the session, the config and the day as
arguments and knows nothing of a terminal: progress, warnings and the
changes a dry run lists go to callbacks."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session

from netcli.addresses import MyAddresses, address_key
from netcli.capture import calendar, mail
from netcli.capture.match import SKIP_REASONS, Verdict, judge, seen_addresses
from netcli.config import Config
from netcli.errors import Invalid, NetcliError
from netcli.names import command
from netcli.reading import CALENDAR_FILE, open_file, read_bytes
from netcli.results import CaptureSummary, Suggestion
from netcli.scan import Found, find, named
from netcli.store.capture import Capture, Kept, Report, address_holders, clean_note, context_digest
from netcli.store.capture_mail import MailCapture, Mailed, Party
from netcli.store.clean import clean_email, clean_name

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
) -> CaptureSummary:
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
    # a meeting with a mentor the user logged as a session by hand (`mentor meet`) is that session
    capture = Capture(session, source="calendar", today=today, since=since, report=report, joins=("mentor-session",))
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
    return _summary(capture, files=len(found), unchanged=unchanged, read=read, skipped=skipped, suggestions=[])


def _summary(
    capture: Capture, *, files: int, unchanged: int, read: int, skipped: Counter[str], suggestions: list[Suggestion]
) -> CaptureSummary:
    counts = capture.counts
    return CaptureSummary(
        files=files,
        unchanged=unchanged,
        read=read,
        logged=counts["logged"],
        updated=counts["updated"],
        removed=counts["removed"],
        already=counts["already"],
        skipped={reason: skipped[reason] for reason in SKIP_REASONS},
        suggestions=suggestions,
    )


def _occurrences(
    item: Found, *, start: dt.date, end: dt.date, zone: dt.tzinfo | None
) -> Iterator[calendar.Occurrence | calendar.BadEvent]:
    """A file's occurrences as they are expanded (`NotACalendar` at once if it is not a calendar)."""
    data = read_bytes(item.path, limit=CALENDAR_FILE, what="a calendar file", fix="export a shorter span")
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
    return missing_me([address for address, _ in seen.most_common() if address not in holders], whom="meet")


def missing_me(likely: Sequence[str], *, whom: str) -> MissingMe:
    """The error for a capture without `[me] emails`: the three likeliest of
    the user's addresses (those that could be set), and the command setting the first."""
    likely = [address for address in likely if _settable(address)][:3]
    seen_text = f"the addresses seen most in these files are {', '.join(likely)}; " if likely else ""
    setting = command("config", "set", "me.emails", likely[0] if likely else "you@example.org")
    return MissingMe(
        f"capture needs your own email addresses to tell you from the people you {whom}; "
        f"{seen_text}set yours with: {setting}"
    )


def _settable(address: str) -> bool:
    """Whether an address seen in a file is one `add --email` and `me.emails` take as it is."""
    try:
        return clean_email(address) == address and all(ch.isprintable() for ch in address)
    except Invalid:
        return False


def suggested_name(name: str | None, address: str) -> str:
    """The name a suggestion offers: the one a message gave, single-spaced,
    else (none, or one `add` would refuse or that would not show as itself)
    one made from the address."""
    try:
        name = clean_name(name or "")
    except Invalid:
        return _name_from(address)
    return name if all(ch.isprintable() for ch in name) else _name_from(address)


def add_command(name: str, address: str) -> str:
    """The ready `netcli add "Name" --email addr` line of a suggestion: every
    word quoted, so that nothing a stranger wrote runs when it is pasted; a
    name that looks like an option goes after `--`."""
    if name.startswith("-"):
        return command("add", "--email", address, "--", name)
    return command("add", name, "--email", address)


MAIL_READER = "mail-2"  # 2: every message of a conversation kept, with its people
SUGGESTIONS = 10
SUGGEST_MESSAGES = 3  # at least this many messages exchanged, one of them sent


def capture_mail(
    session: Session,
    paths: Sequence[Path],
    *,
    config: Config,
    today: dt.date,
    since: dt.date | None,
    lists: bool,
    warn: Warn,
    report: Report | None = None,
    progress: Progress | None = None,
) -> CaptureSummary:
    """Log one `message` per thread and day with contacts from mail archives
    (headers only), since `since`; the summary document of the contract."""

    mine = config.my_addresses()
    holders = address_holders(session)
    if not mine:
        raise _missing_me_mail(_mail_items(paths), holders)
    zone = config.zone()
    zone_id = (os.environ.get("TZ"), config.me["timezone"], time.tzname)
    # not the address book: mail keeps who was in each thread-day, and matches them again when it changes
    context = context_digest(None, mine, lists, zone_id, MAIL_READER)
    capture = MailCapture(session, holders=holders, today=today, since=since, report=report)
    capture.rematch(holders)
    # a Maildir tree whose folders are as they were when it was last read is not listed again
    kept: list[str] = []  # the folders' own rows
    known_files = 0  # the files under the trees not listed, all still there
    to_list: list[Path] = []
    for given in paths:
        folder = Path(os.path.abspath(given.expanduser()))
        fingerprint = mail.folder_fingerprint(folder) if folder.is_dir() else None
        known = capture.folder_unchanged(folder, fingerprint, context)
        if known is None:
            to_list.append(given)
        else:
            known_files += known
        if folder.is_dir():
            kept.append(capture.remember_folder(folder, fingerprint, context))
    items = _mail_items(to_list)
    skipped: Counter[str] = Counter({reason: 0 for reason in SKIP_REASONS})
    by_path = {str(found.path): item for found, item in items}
    wanted = capture.to_read_from([found for found, _ in items], context, fingerprint=_fingerprint)
    unchanged = len(items) - len(wanted) + known_files
    total_bytes = sum(found.size for found, _ in items)
    done_bytes = total_bytes - sum(found.size - start for found, start in wanted)
    read = 0
    for found, start in wanted:
        item = by_path[str(found.path)]
        try:
            heads = None if item.mbox else [(str(found.path), mail.file_head(found.path))]
        except OSError as exc:
            warn(f"skipped bad file: cannot read {found.path}: {exc.strerror or exc}")
            skipped["bad"] += 1
            continue
        except Invalid as exc:  # not a regular file (a FIFO, a link to a device)
            warn(f"skipped bad file: {exc}")
            skipped["bad"] += 1
            continue
        file_id = capture.begin(found, context)
        reached = [start]  # where an mbox was read to: it may have grown since it was listed
        for where, head in heads if heads is not None else _mbox(found.path, start, reached):
            parsed = mail.parse(head, where=where, trash=item.trash)
            read += 1
            if isinstance(parsed, mail.BadMessage):
                warn(f"skipped bad message: {parsed.where}: {parsed.error}")
                skipped["bad"] += 1
                continue
            day = mail.local_date(parsed.when, zone)
            if day > today or (since is not None and day < since):
                read -= 1
                continue
            reason = parsed.skip or ("list" if parsed.listy and not lists else None)
            if reason is not None:
                skipped[reason] += 1
                continue
            sent = parsed.sender is not None and parsed.sender.address in mine
            parties = _parties(parsed, mine, sent=sent)
            if not any(party.key in holders for party in parties):
                skipped["no_contact"] += 1  # kept all the same: its people may become contacts
            stamp = int(parsed.when.timestamp())
            direction = "sent" if sent else "received"
            capture.add_message(
                file_id, Mailed(parsed.key, parsed.thread, day, clean_note(parsed.subject), parties, direction, stamp)
            )
            if progress is not None and read % 1000 == 0:
                progress(done_bytes, total_bytes, read)
        end = reached[0] if item.mbox else found.size
        capture.read_to(end, _fingerprint(found, end) if item.mbox else None)
        capture.end(due_on=None, sessions={})
        done_bytes += found.size - start
        if progress is not None:
            progress(done_bytes, total_bytes, read)
    # a file gone from a folder (a Maildir file renamed when its flags changed) is forgotten; its mail stays logged
    folders = [Path(os.path.abspath(given.expanduser())) for given in to_list if given.is_dir()]
    capture.finish(folders=folders, present=[*by_path, *kept])
    suggestions = [
        Suggestion(
            name := suggested_name(person.name, person.address),
            person.address,
            person.messages,
            person.sent,
            person.last,
            add_command(name, person.address),
        )
        for person in capture.suggestions(mine, least=SUGGEST_MESSAGES, limit=SUGGESTIONS, settable=_settable)
    ]
    files = len(items) + known_files
    return _summary(capture, files=files, unchanged=unchanged, read=read, skipped=skipped, suggestions=suggestions)


def _mail_items(paths: Sequence[Path]) -> list[tuple[Found, mail.Item]]:
    """Every file to read, with its place: named files must be mail; a
    folder must hold some."""
    items: dict[str, tuple[Found, mail.Item]] = {}  # by the path as text: hashing a Path costs more
    for given in paths:
        path, info = named(given, what=mail.MAIL_FILES)
        if path.is_dir():
            inside = mail.folder_items(path)
            if not inside:
                raise Invalid(
                    f"{given} holds no mail (no Maildir cur/new files, no .eml files); give {mail.MAIL_FILES}"
                )
            for found, item in inside:
                items.setdefault(str(found.path), (found, item))
            continue
        try:
            kind = mail.kind_of(path)
        except mail.NotMail as exc:
            raise Invalid(str(exc)) from None
        items[str(path)] = (Found(path, info.st_size, info.st_mtime_ns, True), mail.Item(path, kind == "mbox", False))
    return [items[key] for key in sorted(items)]


def _mbox(path: Path, start: int, reached: list[int] | None = None) -> Iterator[tuple[str, bytes | None]]:
    """An mbox's header blocks from byte `start`; `reached[0]` follows the end of the last one."""
    with open_file(path) as handle:
        for begun, end, head in mail.mbox_heads(handle, start=start):
            if reached is not None:
                reached[0] = end
            yield f"{path} at byte {begun}", head


def _fingerprint(found: Found, upto: int) -> str:
    """What tells that the first `upto` bytes of a file are still those read: its first and last 4 KiB."""
    import hashlib

    with open_file(found.path) as handle:
        first = handle.read(min(4096, upto))
        handle.seek(max(0, upto - 4096))
        last = handle.read(min(4096, upto))
    return hashlib.sha1(first + b"|" + last, usedforsecurity=False).hexdigest()[:20]


def _parties(message: mail.Message, mine: MyAddresses, *, sent: bool) -> tuple[Party, ...]:
    """The people in a message but the user, each once: who wrote it, and
    what counts as mail exchanged with them (a received message for its
    sender, a sent one for each recipient)."""
    found: dict[str, Party] = {}
    if message.sender is not None and not sent:
        key = address_key(message.sender.address)
        found[key] = Party(key, message.sender.address, message.sender.name, True, True)
    for person in message.recipients:
        key = address_key(person.address)
        if person.address in mine or key in found:
            continue
        found[key] = Party(key, person.address, person.name, False, sent)
    return tuple(found.values())


def _name_from(address: str) -> str:
    """`lee.park+x@x.org` -> `Lee Park`; else the address (what of it shows as itself)."""
    local = address.rpartition("@")[0].partition("+")[0]
    words = [w for w in re.split(r"[._-]+", "".join(ch for ch in local if ch.isprintable())) if w.strip()]
    return " ".join(w.capitalize() for w in words) or "".join(ch for ch in address if ch.isprintable())


def _missing_me_mail(items: Sequence[tuple[Found, mail.Item]], holders: Mapping[str, int]) -> MissingMe:
    """The error for a mail capture without `[me] emails`: the user's own
    addresses are those in most messages."""
    seen: Counter[str] = Counter()
    shown: dict[str, str] = {}
    looked = 0
    for found, item in items:
        try:
            heads = _mbox(found.path, 0) if item.mbox else iter([(str(found.path), mail.file_head(found.path))])
            for where, head in heads:
                parsed = mail.parse(head, where=where)
                if isinstance(parsed, mail.Message):
                    for person in {a.address.lower(): a for a in (parsed.sender, *parsed.recipients) if a}.values():
                        seen[address_key(person.address)] += 1
                        shown.setdefault(address_key(person.address), person.address)
                looked += 1
                if looked >= 5000:
                    break
        except (OSError, Invalid):
            continue
        if looked >= 5000:
            break
    return missing_me([shown[key] for key, _ in seen.most_common() if key not in holders], whom="write with")
