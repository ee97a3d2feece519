"""LinkedIn's data export ("Get a copy of your data": a folder or `.zip` of
CSV files) as records: `messages.csv` (one row per message: conversation id,
sender and recipients' profile URLs, date), `Invitations.csv` (invitations
to connect, sent or received) and `Connections.csv` (read by
`netcli.formats.linkedin`, its "Notes:" preamble and all, with each
connection's current company and position).

A person is `linkedin:<profile URL>`, the URL as the export writes it
(matching compares `identity.url_key` of it). A message has no id in the
export: its key is a digest of the conversation, the time, the sender and
its ordinal among that
conversation's messages of the same time and sender (no text). Drafts are
not messages; the spam folder's are system lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from netcli import reading
from netcli.capture.chat.inputs import Input, shown
from netcli.capture.chat.records import (
    DIRECT,
    GROUP,
    BadItem,
    Chat,
    ChatMessage,
    Connection,
    Invitation,
    Person,
    Record,
)
from netcli.formats import linkedin as connections_csv

MAX_CSV = reading.LINKEDIN_MESSAGES
_FIELD_LIMIT = 16 * 2**20  # one message's text: longer is damage
MESSAGES, INVITATIONS, CONNECTIONS = "messages", "invitations", "connections"
_DATE_FORMATS = (
    "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d %b %Y", "%Y-%m-%d",
)  # fmt: skip


def sniff(head: bytes) -> str | None:
    """Which of LinkedIn's CSV files a file's first bytes are, if any."""
    text = head.decode("utf-8", "replace").removeprefix("\ufeff")
    for line in text.splitlines()[:12]:
        cells = [cell.strip().strip('"').strip().lower() for cell in line.split(",")]
        if "conversation id" in cells and "from" in cells and "date" in cells:
            return MESSAGES
        if "sent at" in cells and "direction" in cells:
            return INVITATIONS
        if cells[:2] == ["first name", "last name"] and ("connected on" in cells or "url" in cells):
            return CONNECTIONS
    return None


def read(source: Input, member: str, *, kind: str) -> Iterator[Record]:
    if kind == CONNECTIONS:
        yield from _connections(source, member)
    elif kind == INVITATIONS:
        yield from _invitations(source, member)
    else:
        yield from _messages(source, member)


def profile(url: str | None) -> str | None:
    """A profile URL as the export has it (`identity.url_key` is what
    matching compares), or None when it is no URL."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # "Invalid IPv6 URL": a bracket in it
        return None
    return text if parts.scheme and parts.netloc else None


def _rows(source: Input, member: str) -> Iterator[tuple[int, dict[str, str]] | BadItem]:
    """The rows of a CSV file with a header (case and spaces ignored), by line."""
    where = source.label(member)
    with source.open(member, cap=MAX_CSV) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.reader(text)
        try:
            header = [cell.strip().lower() for cell in next(reader)]
        except (StopIteration, csv.Error):
            return
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield BadItem(f"{where} line {line}", f"damaged CSV ({shown(str(exc), 80)})")
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header) or any(len(cell) > _FIELD_LIMIT for cell in row):
                yield BadItem(f"{where} line {line}", f"expected {len(header)} columns, found {len(row)}")
                continue
            yield line, dict(zip(header, (cell.strip() for cell in row), strict=True))


def _date(text: str) -> dt.datetime | None:
    value = text.strip()
    zone = None
    if value.upper().endswith(" UTC"):
        value, zone = value[:-4].strip(), dt.UTC
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo or zone is None else when.replace(tzinfo=zone)


def _person(name: str | None, url: str | None) -> Person:
    value = profile(url)
    return Person(handle=f"linkedin:{value}" if value else None, name=name or None)


def _messages(source: Input, member: str) -> Iterator[Record]:
    where = source.label(member)
    chats: dict[str, Chat] = {}
    seen: dict[tuple[str, dt.datetime, str], int] = {}
    persons: dict[tuple[str, str], Person] = {}
    for row in _rows(source, member):
        if isinstance(row, BadItem):
            yield row
            continue
        line, cells = row
        conversation = cells.get("conversation id", "")
        when = _date(cells.get("date", ""))
        if not conversation or when is None:
            yield BadItem(f"{where} line {line}", "no conversation id or no readable date")
            continue
        folder = cells.get("folder", "").upper()
        if cells.get("is message draft", "").lower() in ("yes", "true") or folder == "DRAFT":
            continue
        recipients = [u for u in re.split(r"[;,]\s*", cells.get("recipient profile urls", "")) if u.strip()]
        chat = chats.get(conversation)
        if chat is None:
            title = cells.get("conversation title") or None
            chat = chats[conversation] = Chat(
                id=f"linkedin:{conversation}",
                app="linkedin",
                name=title,
                kind=DIRECT if len(recipients) <= 1 else GROUP,
                participants=1 + len(recipients) if recipients else None,
            )
        name, url = cells.get("from", ""), cells.get("sender profile url", "")
        sender = persons.get((name, url))
        if sender is None:
            sender = persons[(name, url)] = _person(name, url)
        ident = sender.handle or sender.name or ""
        ordinal = seen.get((conversation, when, ident), 0)
        seen[(conversation, when, ident)] = ordinal + 1
        digest = hashlib.sha1(
            f"{conversation}\0{when.isoformat()}\0{ident}\0{ordinal}".encode(), usedforsecurity=False
        ).hexdigest()[:24]
        yield ChatMessage(
            key=f"linkedin:{digest}",
            chat=chat,
            sender=sender,
            when=when,
            system=folder == "SPAM",
        )


def _invitations(source: Input, member: str) -> Iterator[Record]:
    where = source.label(member)
    for row in _rows(source, member):
        if isinstance(row, BadItem):
            yield row
            continue
        line, cells = row
        when = _date(cells.get("sent at", ""))
        direction = cells.get("direction", "").lower()
        if when is None or direction not in ("incoming", "outgoing"):
            yield BadItem(f"{where} line {line}", "no readable Sent At or Direction")
            continue
        if direction == "outgoing":
            other = _person(cells.get("to"), cells.get("inviteeprofileurl"))
        else:
            other = _person(cells.get("from"), cells.get("inviterprofileurl"))
        yield Invitation(f"{where} line {line}", other, when, direction)


def _connections(source: Input, member: str) -> Iterator[Record]:
    where = source.label(member)
    raw = source.read(member, cap=MAX_CSV)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield BadItem(where, "not UTF-8 text")
        return
    for parsed in connections_csv.parse(text, source=where):
        if parsed.error is not None or parsed.record is None:
            yield BadItem(f"{where} line {parsed.line}", parsed.error or "unreadable")
            continue
        record = parsed.record
        yield Connection(
            where=f"{where} line {parsed.line}",
            name=record["name"],
            url=profile(record.get("url")),
            email=record.get("email"),
            company=record.get("org"),
            position=record.get("role"),
            connected_on=record.get("met_on"),
        )
