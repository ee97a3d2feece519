"""WhatsApp's chat export (`_chat.txt` in the iOS `.zip`, `WhatsApp Chat
with NAME.txt` on Android, alone or zipped with the media) as records.

A message starts a line with its date and time: Android `06/12/26, 9:14 am -
Name: text`, iOS `[06/12/2026, 09:14:03] Name: text`; the clock is 12- or
24-hour (with U+202F or a no-break space before `am`, `a. m.`, `PM`), the
date day-first, month-first or year-first, decided once from the WHOLE file
(a day over 12 in one place; else the order that keeps the messages in
time; else the writer's convention) and never line by line. Lines that do
not start so continue the message above. System lines (encryption notices,
joins, subject changes, calls) have no sender on Android; iOS gives them a
sender (the group, or the person) and starts their text with U+200E. A
sender the phone knows is shown by the user's saved name, others by their
number or as `~ Name` (the name they chose). Two people writing make a
direct chat; more, or a group's system lines, a group.

Times are the phone's local time, naive here. The key of a line is a digest
of the chat, its time, its sender and its ordinal among that chat's lines of
the same time and sender: no text goes into it, so an export with or without
media, or after an edit, keeps its keys. The text is read only for mentions
(`@⁨Name⁩`, `@491701234567`) and system lines, and dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import NamedTuple

from netcli.capture.chat.inputs import Input
from netcli.capture.chat.records import DIRECT, GROUP, BadItem, Chat, ChatMessage, Person, Record

MAX_TEXT = 512 * 2**20  # WhatsApp exports at most some 100,000 messages: far below
MAX_LINE = 64 * 1024  # a longer line is read in pieces (only its first piece can start a message)
_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_DATE = r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})"
_TIME = r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
_AMPM = r"(?:\s?([aApP])\.?\s?[mM]\.?)?"
IOS = re.compile(rf"\[{_DATE},?\s*{_TIME}{_AMPM}\.?\]\s?(.*)", re.DOTALL)
ANDROID = re.compile(rf"{_DATE},?\s+{_TIME}{_AMPM}\.?\s+[-–]\s(.*)", re.DOTALL)
_PHONE = re.compile(r"\+?[\d\s().\-]{7,24}")
_MENTION = re.compile(r"@\u2068([^\u2069\n]{1,100})\u2069|@(\d{7,15})\b")
# app-written texts: encryption notices, calls, what happened to the user (English and German exports)
_NOTICE = re.compile(
    r"(?:messages and calls are end-to-end encrypted|messages (?:to|you send to) this (?:group|chat)"
    r"|nachrichten und anrufe sind ende-zu-ende-verschlüsselt|nachrichten, die du an diese"
    r"|this chat is with a business account|dieser chat ist mit einem geschäftskonto"
    r"|(?:missed )?(?:voice|video|group voice|group video) call|verpasster (?:sprach|video)anruf|(?:sprach|video)anruf"
    r"|you (?:were added|created group|joined|left|changed|added|removed)|du (?:wurdest|hast)"
    r"|(?:your )?security code (?:with .* )?changed|dein sicherheitscode|sicherheitsnummer"
    r"|disappearing messages|selbstlöschende nachrichten|.{1,80} (?:turned (?:on|off) disappearing))",
    re.IGNORECASE,
)
_ENCRYPTED = re.compile(
    r"messages and calls are end-to-end encrypted|messages (?:to|you send to) this (?:group|chat) are now secured"
    r"|nachrichten und anrufe sind ende-zu-ende-verschlüsselt",
    re.IGNORECASE,
)
_NOTICE_STARTS = ("Messages", "messages", "Nachrichten", "nachrichten")
# what makes a chat a group, in its system lines
_GROUP = re.compile(
    r"created group|\badded\b|\bremoved\b|\bleft$|joined using|changed the subject|this group|group's|"
    r"gruppe|hinzugefügt|entfernt|verlassen|beigetreten|betreff",
    re.IGNORECASE,
)
# media and deletions: a person's message, even with WhatsApp's mark before it
_PLACEHOLDER = re.compile(
    r"(?:image|video|audio|sticker|gif|document|contact card|bild|audio|kontaktkarte|dokument) "
    r"(?:omitted|weggelassen)|<attached: |<anhang: |this message was deleted|you deleted this message|"
    r"diese nachricht wurde gelöscht|du hast diese nachricht gelöscht|<media omitted>|<medien ausgeschlossen>",
    re.IGNORECASE,
)
_FILE_NAME = re.compile(
    r"^whatsapp[- ]chat\s*(?:with|mit|-|–|con|avec|com|met|z|\u0441)\s+(.+?)(?:\s*\(\d+\))?$", re.IGNORECASE
)
DMY, MDY, YMD = "dmy", "mdy", "ymd"


class _Line(NamedTuple):
    """A message's header as read (its fields as written: the file's date
    order is not known yet), with its sender and whether it is a system
    line. Kept for every message until the file is read: no text in it."""

    number: int
    first: str
    second: str
    third: str
    hour: str
    minute: str
    second_of: str | None
    half: str | None  # "a"/"A", "p"/"P", or None on a 24-hour clock
    head: str  # the line up to the sender, as written: equal heads, equal times
    sender: str  # "" for a system line without one
    system: bool


def sniff(head: bytes) -> bool:
    """Whether a file's first bytes are a WhatsApp chat: one of its first
    lines starts like a message."""
    text = head.decode("utf-8", "replace").removeprefix("\ufeff")
    return any(_header(line.lstrip(_MARKS)) is not None for line in text.splitlines()[:8] if line.strip())


def _header(line: str) -> re.Match[str] | None:
    return IOS.match(line) if line[:1] == "[" else ANDROID.match(line)


def chat_name(member: str, container: str | None) -> str | None:
    """The chat's name as WhatsApp names its export (`WhatsApp Chat with
    Alice.txt`, `WhatsApp Chat - Alice.zip` holding `_chat.txt`)."""
    for name in (PurePosixPath(member).stem, container):
        if name:
            found = _FILE_NAME.match(name.strip())
            if found:
                return found.group(1).strip()
    return None


def read(source: Input, member: str, *, name: str | None = None) -> Iterator[Record]:
    """The records of one chat file; `name` is the chat's (from the file's
    name), else the content tells it."""
    where = source.label(member)
    lines, bad, group_seen, mentions, notice_sender, upper_ampm = _scan(source, member, where)
    yield from bad
    if not lines:
        return
    order = decide_order(lines, upper_ampm=upper_ampm)
    title = name or notice_sender or None
    people = {line.sender for line in lines if not line.system and line.sender}
    kind = GROUP if group_seen or len(people) > 2 else DIRECT
    chat = Chat(
        id=f"whatsapp:{title or 'chat'}",
        app="whatsapp",
        name=title,
        kind=kind,
        participants=max(2, len(people)) if kind == DIRECT else len(people),
    )
    chat_tag = _tag(chat.id)
    persons: dict[str, tuple[Person | None, str]] = {"": (None, "-")}  # sender -> (person, tag)
    seen: dict[str, int] = {}
    last_head, when, stamp = "", None, 0
    for index, line in enumerate(lines):
        if line.head != last_head:  # lines in the same minute as the one before: the same time
            last_head, when = line.head, to_datetime(line, order)
            if when is not None:
                stamp = when.toordinal() * 86400 + when.hour * 3600 + when.minute * 60 + when.second
        if when is None:
            yield BadItem(f"{where} line {line.number}", "a date or time that does not exist")
            continue
        shown_as, system = line.sender, line.system
        known = persons.get(shown_as)
        if known is None:
            known = persons[shown_as] = (person(shown_as), _tag(shown_as))
        # the key: the chat, the time, the sender, and the ordinal among the lines with all three alike
        base = f"whatsapp:{chat_tag}/{stamp}/{known[1]}/"
        ordinal = seen.get(base, 0)
        seen[base] = ordinal + 1
        found = mentions.get(index)
        yield ChatMessage(
            f"{base}{ordinal}", chat, None if system else known[0], when, None, tuple(found or ()), None, system
        )


def _tag(text: str) -> str:
    """A short stable digest: names go into no key."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def _scan(
    source: Input, member: str, where: str
) -> tuple[list[_Line], list[BadItem], bool, dict[int, list[Person]], str | None, bool]:
    """One pass over the file: each message's header fields, the damaged
    lines, whether system lines show a group, the mentions per
    message, the sender of an iOS encryption notice (the group's name, or
    the other person's) and whether the clock says AM/PM in capitals."""
    lines: list[_Line] = []
    bad: list[BadItem] = []
    mentions: dict[int, list[Person]] = {}
    names: dict[str, str] = {"": ""}
    group_seen = False
    notice_sender: str | None = None
    upper = False
    pattern: re.Pattern[str] | None = None
    junk_from = 0
    new = tuple.__new__  # a _Line without NamedTuple's __new__ in Python: a third of the time
    with source.open(member, cap=MAX_TEXT) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline=None)
        number = 0
        readline = text.readline
        while True:
            line = readline(MAX_LINE)
            if not line:
                break
            number += 1
            start = line[:1]
            if start in _MARKS:
                line = line.lstrip(_MARKS)
                start = line[:1]
            found = None
            if start == "[":
                found = (pattern or IOS).match(line)
            elif "0" <= start <= "9":
                found = (pattern or ANDROID).match(line)
            if found is None:
                if not lines:
                    if line.strip() and not junk_from:
                        junk_from = number
                elif "@" in line:
                    _mentions(line, mentions.setdefault(len(lines) - 1, []))
                continue
            if pattern is None:
                pattern = found.re
            if junk_from:
                bad.append(BadItem(f"{where} line {junk_from}", "not a WhatsApp message line"))
                junk_from = 0
            a, _sep, b, c, hour, minute, second, half, rest = found.groups()
            name, colon, body = rest.partition(": ")
            if colon and body[:1] not in _MARKS and '"' not in name and "“" not in name and "\n" not in name:
                system = body.startswith(_NOTICE_STARTS) and bool(_ENCRYPTED.match(body))
                sender = name
            else:  # Android's system lines have no sender; iOS marks the app's texts
                sender, system, group = _sender(rest)
                if system:
                    group_seen = group_seen or group
                    if notice_sender is None and sender and _ENCRYPTED.match(rest[len(sender) + 2 :].lstrip(_MARKS)):
                        notice_sender = _clean_name(sender)
            clean = names.get(sender)
            if clean is None:
                clean = names[sender] = _clean_name(sender)
            if half and not upper:
                upper = half.isupper()
            head = line[: found.start(9)]
            lines.append(new(_Line, (number, a, b, c, hour, minute, second, half, head, clean, system)))
            if "@" in rest:
                _mentions(rest, mentions.setdefault(len(lines) - 1, []))
    if junk_from:
        bad.append(BadItem(f"{where} line {junk_from}", "not a WhatsApp message line"))
    return lines, bad, group_seen, mentions, notice_sender, upper


def _sender(rest: str) -> tuple[str, bool, bool]:
    """(sender, system, shows a group) of a line's text after its time."""
    name, colon, text = rest.partition(": ")
    if not colon or '"' in name or "“" in name or "\n" in name:
        return ("", True, bool(_GROUP.search(rest)))  # Android's system lines have no sender
    body = text.lstrip(_MARKS)
    if body is not text:  # iOS marks the app's texts
        if _PLACEHOLDER.match(body):
            return (name, False, False)
        return (name, True, bool(_GROUP.search(body)))
    if _ENCRYPTED.match(body):  # an old export's notice, given a sender
        return (name, True, False)
    return (name, False, False)


def _clean_name(name: str) -> str:
    return name.strip().strip(_MARKS).strip()


def person(shown_as: str) -> Person:
    """A sender as WhatsApp shows them: a saved name, a number, `~ Name`."""
    name = "".join(ch for ch in shown_as if ch not in _MARKS).strip()
    if name.startswith("~"):
        return Person(name=name[1:].strip(" \u00a0\u202f") or None)
    if _PHONE.fullmatch(name):
        digits = "".join(ch for ch in name if ch.isdigit())
        if 7 <= len(digits) <= 15:
            phone = f"+{digits}" if name.startswith("+") else digits
            handle = f"whatsapp:{phone}" if phone.startswith("+") else None
            return Person(handle=handle, phone=phone)
    return Person(name=name, own_name=True)


def _mentions(text: str, into: list[Person]) -> None:
    for found in _MENTION.finditer(text):
        name, digits = found.groups()
        mentioned = person(name) if name else Person(handle=f"whatsapp:+{digits}", phone=f"+{digits}")
        if mentioned not in into:
            into.append(mentioned)


# --- dates -------------------------------------------------------------------------


def decide_order(lines: list[_Line], *, upper_ampm: bool = False) -> str:
    """`dmy`, `mdy` or `ymd` for the whole file: a year first where a first
    field has four digits or is over 31; else a day over 12 in the first or
    second field (the more frequent, should both occur); else the order in
    which the messages run forward in time; else month-first for a 12-hour
    clock in capitals (the US), day-first otherwise."""
    firsts = [int(line.first) for line in lines]
    if any(len(line.first) == 4 for line in lines) or max(firsts) > 31:
        return YMD
    seconds = [int(line.second) for line in lines]
    day_first = sum(1 for value in firsts if value > 12)
    month_first = sum(1 for value in seconds if value > 12)
    if day_first or month_first:
        return DMY if day_first >= month_first else MDY
    forward = {order: _forward(lines, order) for order in (DMY, MDY)}
    if forward[DMY] != forward[MDY]:
        return DMY if forward[DMY] > forward[MDY] else MDY
    return MDY if upper_ampm else DMY


def _forward(lines: list[_Line], order: str) -> int:
    """How many neighbouring messages run forward in time read so."""
    count, last = 0, None
    for line in lines:
        when = to_datetime(line, order)
        if when is not None:
            if last is not None and when >= last:
                count += 1
            last = when
    return count


def to_datetime(line: _Line, order: str) -> dt.datetime | None:
    """A header's local time under the file's date order; None when no such
    time exists (a 13th month, 25 o'clock)."""
    if order == DMY:
        day, month, year = line[1], line[2], line[3]
    elif order == MDY:
        month, day, year = line[1], line[2], line[3]
    else:
        year, month, day = line[1], line[2], line[3]
    hour = int(line[4])
    half = line[7]
    if half is not None:
        if half in "pP":
            if hour < 12:
                hour += 12
        elif hour == 12:
            hour = 0
    try:
        return _datetime(
            int(year) + (2000 if len(year) <= 2 else 0), int(month), int(day), hour, int(line[5]), int(line[6] or 0)
        )
    except ValueError:
        return None


_datetime = dt.datetime
