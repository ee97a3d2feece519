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

Times are the phone's local time, naive here. The key of a line is made of
the chat and the sender (digested: no name goes into a key), the time, and
the ordinal among the lines of that time and sender: no text goes into it, so
an export with or without media, or after an edit, keeps its keys (a later
export holds the earlier one whole). The text is read only for mentions
(`@⁨Name⁩`, `@491701234567`) and system lines, and dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from netcli import reading
from netcli.capture.chat.inputs import Input
from netcli.capture.chat.records import DIRECT, GROUP, BadItem, Chat, ChatMessage, Person, Record

MAX_TEXT = reading.WHATSAPP_TEXT
MAX_LINE = 64 * 1024  # a longer line is read in pieces (only its first piece can start a message)
_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_DATE = r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})"
_TIME = r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
_AMPM = r"(?:\s?([aApP])\.?\s?[mM]\.?)?"
IOS = re.compile(rf"\[{_DATE},?\s*{_TIME}{_AMPM}\.?\]\s?(.*)", re.DOTALL)
ANDROID = re.compile(rf"{_DATE},?\s+{_TIME}{_AMPM}\.?\s+[-–]\s(.*)", re.DOTALL)
_PHONE = re.compile(r"\+?[\d\s().\-]{7,24}")
_MENTION = re.compile(r"@\u2068([^\u2069\n]{1,100})\u2069|@(\d{7,15})\b")
# the encryption notice, which an old iOS export gives a sender without the mark before it
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


# A message as one pass over the file keeps it until the file's date order is known: (its line, its head
# (the line up to the sender, as written: equal heads, equal times), its sender, whether it is a system
# line). No text. A plain tuple: a million are made.
_Line = tuple[int, str, str, bool]


class _Read:
    """What one pass over a chat file found."""

    def __init__(self) -> None:
        self.lines: list[_Line] = []
        self.bad: list[BadItem] = []
        self.mentions: dict[int, list[Person]] = {}  # message index -> mentioned
        self.group_seen = False  # a system line showed a group
        self.notice_sender: str | None = None  # the sender of an iOS encryption notice: the group's name
        self.upper = False  # the clock says AM/PM in capitals
        self.pattern: re.Pattern[str] = ANDROID
        self.years = 0  # heads whose first field is a year (four digits, or over 31)
        self.days_first = 0  # heads whose first field is over 12
        self.days_second = 0  # heads whose second field is over 12


def sniff(head: bytes) -> bool:
    """Whether a file's first bytes are a WhatsApp chat: one of its first
    lines starts like a message."""
    text = head.decode("utf-8", "replace").removeprefix("\ufeff")
    return any(_header(line.lstrip(_MARKS)) is not None for line in text.splitlines()[:8] if line.strip())


def _header(line: str) -> re.Match[str] | None:
    return IOS.match(line) if line[:1] == "[" else ANDROID.match(line)


def chat_name(member: str, container: str | None) -> str | None:
    """The chat's name as WhatsApp names its export (`WhatsApp Chat with
    Alice.txt`, `WhatsApp Chat - Alice.zip` holding `_chat.txt`, or the
    folder it was unpacked into)."""
    path = PurePosixPath(member)
    for candidate in (path.stem, path.parent.name, container):
        if candidate:
            found = _FILE_NAME.match(candidate.strip())
            if found:
                return found.group(1).strip()
    return None


def file_name(member: str, container: str | None) -> str:
    """A chat's name when nothing better tells it: the file's own (for
    `_chat.txt`, its folder's, or its zip's)."""
    path = PurePosixPath(member)
    if path.stem.lower() not in ("_chat", "chat", ""):
        return path.stem
    return path.parent.name or container or path.stem or "chat"


def read(source: Input, member: str, *, name: str | None = None, fallback: str = "chat") -> Iterator[Record]:
    """The records of one chat file. The chat is named by `name` (WhatsApp's
    name for the file: `chat_name`), else the sender of an iOS encryption
    notice (the group, or the other person), else `fallback` (`file_name`).
    The name is the chat's id: an export again later must come so named."""
    where = source.label(member)
    found = _scan(source, member, where)
    yield from found.bad
    lines = found.lines
    if not lines:
        return
    order = decide_order(found)
    title = name or found.notice_sender or fallback
    people = {sender for _number, _head, sender, system in lines if not system and sender}
    kind = GROUP if found.group_seen or len(people) > 2 else DIRECT
    chat = Chat(
        id=f"whatsapp:{title}",
        app="whatsapp",
        name=title,
        kind=kind,
        participants=max(2, len(people)) if kind == DIRECT else len(people),
    )
    chat_tag = _tag(chat.id)
    persons: dict[str, tuple[Person | None, str]] = {"": (None, "-")}  # sender -> (person, tag)
    seen: dict[str, int] = {}  # a sender's lines under one head so far (the file runs forward in time)
    last_head, when, prefix = "", None, ""
    match, mentions = found.pattern.match, {index: tuple(people) for index, people in found.mentions.items()}
    for index, (number, head, shown_as, system) in enumerate(lines):
        if head != last_head:  # a head as the line before: the same time
            last_head, seen = head, {}
            when = to_datetime(_fields(match(head)), order)
            if when is not None:
                stamp = when.toordinal() * 86400 + when.hour * 3600 + when.minute * 60 + when.second
                prefix = f"whatsapp:{chat_tag}/{stamp}/"
        if when is None:
            yield BadItem(f"{where} line {number}", "a date or time that does not exist")
            continue
        known = persons.get(shown_as)
        if known is None:
            known = persons[shown_as] = (person(shown_as), _tag(shown_as))
        # the key: the chat, the time, the sender, and the ordinal among the lines with all three alike
        ordinal = seen.get(shown_as, 0)
        seen[shown_as] = ordinal + 1
        yield ChatMessage(
            f"{prefix}{known[1]}/{ordinal}",
            chat,
            None if system else known[0],
            when,
            None,
            mentions.get(index, ()),
            None,
            system,
        )


def _fields(found: re.Match[str] | None) -> Fields:
    """A head's date and time fields, as written."""
    assert found is not None  # a head was matched before it was kept
    first, _sep, second, third, hour, minute, seconds, half, _rest = found.groups()
    return first, second, third, hour, minute, seconds, half


def _tag(text: str) -> str:
    """A short stable digest: names go into no key."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def _scan(source: Input, member: str, where: str) -> _Read:
    """One pass over the file: each message's head, sender and kind, what
    tells the date order, the damaged lines, the mentions, the group."""
    read = _Read()
    lines, mentions = read.lines, read.mentions
    names: dict[str, str] = {"": ""}
    heads: dict[str, str] = {}  # one string for each head: a chat of a million lines holds few
    pattern: re.Pattern[str] | None = None
    junk_from = 0
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
                pattern = read.pattern = found.re
            if junk_from:
                read.bad.append(BadItem(f"{where} line {junk_from}", "not a WhatsApp message line"))
                junk_from = 0
            cut = found.start(9)
            head, rest = line[:cut], line[cut:]
            name, colon, body = rest.partition(": ")
            if colon and body[:1] not in _MARKS and '"' not in name and "“" not in name and "\n" not in name:
                system = body.startswith(_NOTICE_STARTS) and bool(_ENCRYPTED.match(body))
                sender = name
            else:  # Android's system lines have no sender; iOS marks the app's texts
                sender, system, group = _sender(rest)
                if system:
                    read.group_seen = read.group_seen or group
                    if (
                        read.notice_sender is None
                        and sender
                        and _ENCRYPTED.match(rest[len(sender) + 2 :].lstrip(_MARKS))
                    ):
                        read.notice_sender = _clean_name(sender)
            clean = names.get(sender)
            if clean is None:
                clean = names[sender] = _clean_name(sender)
            kept = heads.get(head)
            if kept is None:  # a new minute: what its fields tell of the date order
                kept = heads[head] = head
                first, second, half = found.group(1, 3, 8)
                if len(first) > 2 or (len(first) == 2 and first > "31"):  # strings: "9" > "31"
                    read.years += 1
                elif len(first) == 2 and first > "12":
                    read.days_first += 1
                if len(second) == 2 and second > "12":
                    read.days_second += 1
                if half and not read.upper:
                    read.upper = half.isupper()
            lines.append((number, kept, clean, system))
            if "@" in rest:
                _mentions(rest, mentions.setdefault(len(lines) - 1, []))
    if junk_from:
        read.bad.append(BadItem(f"{where} line {junk_from}", "not a WhatsApp message line"))
    return read


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


def decide_order(read: _Read) -> str:
    """`dmy`, `mdy` or `ymd` for the whole file: a year first where a first
    field has four digits or is over 31; else a day over 12 in the first or
    second field (the more frequent, should both occur); else the order in
    which the messages run forward in time; else month-first for a 12-hour
    clock in capitals (the US), day-first otherwise."""
    if read.years:
        return YMD
    if read.days_first or read.days_second:
        return DMY if read.days_first >= read.days_second else MDY
    forward = {order: _forward(read, order) for order in (DMY, MDY)}
    if forward[DMY] != forward[MDY]:
        return DMY if forward[DMY] > forward[MDY] else MDY
    return MDY if read.upper else DMY


def _forward(read: _Read, order: str) -> int:
    """How many neighbouring messages run forward in time read so."""
    count, last = 0, None
    for head in dict.fromkeys(line[1] for line in read.lines):
        when = to_datetime(_fields(read.pattern.match(head)), order)
        if when is not None:
            if last is not None and when >= last:
                count += 1
            last = when
    return count


Fields = tuple[str, str, str, str, str, str | None, str | None]  # date (three), hour, minute, second, am/pm


def to_datetime(fields: Fields, order: str) -> dt.datetime | None:
    """A head's local time under the file's date order; None when no such
    time exists (a 13th month, 25 o'clock)."""
    first, second, third, hour_text, minute, seconds, half = fields
    if order == DMY:
        day, month, year = first, second, third
    elif order == MDY:
        month, day, year = first, second, third
    else:
        year, month, day = first, second, third
    hour = int(hour_text)
    if half is not None:
        if half in "pP":
            if hour < 12:
                hour += 12
        elif hour == 12:
            hour = 0
    try:
        return _datetime(
            int(year) + (2000 if len(year) <= 2 else 0), int(month), int(day), hour, int(minute), int(seconds or 0)
        )
    except ValueError:
        return None


_datetime = dt.datetime
