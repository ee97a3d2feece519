"""Mail archives as plain records: each message's headers (never its body),
with the thread it belongs to and what makes it not a conversation.

Read with the standard library: an mbox is cut into messages at `From `
lines that follow a blank line (as mutt and Thunderbird write them, with
`>From ` escaped in bodies) and only the header block of each is kept, so an
archive of any size is read in bounded memory, from any byte offset (an mbox
that grew is read from where the last capture stopped). Maildir files and
`.eml` files are read up to their first blank line. Headers are parsed with
`BytesHeaderParser`, encoded words decoded, addresses split with
`email.utils.getaddresses`. No database here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from email.header import Header, decode_header
from email.message import Message as EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple

from netcli.errors import Invalid, NotMail
from netcli.reading import MAIL_HEADER, MAIL_LINE, inside, open_file, size_text
from netcli.scan import Found
from netcli.text import plain_line

MAIL_FILES = "an mbox file, a Maildir folder, a folder of .eml files, or one .eml file"
# folders whose mail is not a conversation: drafts, spam and trash, as mail programs name them
_NOT_SENT_FOLDERS = frozenset(
    {"drafts", "draft", "trash", "deleted", "deleted items", "deleted messages", "bin", "spam", "junk", "junk e-mail"}
)
_NOT_SENT_LABELS = frozenset({"draft", "drafts", "spam", "trash"})
_NO_REPLY = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?|notifications?)(?:[-+._].*)?$"
)
_ID = re.compile(r"<([^<>\s]+)>")
_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|tr|rif|odp|enc)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
# a message file has at least one of these among its first headers (a calendar, a card, notes do not)
_MAIL_FIELD = re.compile(
    rb"^(?:from|to|cc|date|subject|message-id|received|return-path|delivered-to|mime-version|reply-to"
    rb"|in-reply-to|references|sender|x-[!-9;-~]*)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)


class Address(NamedTuple):
    address: str
    name: str | None


class Message(NamedTuple):
    """One message's headers as capture reads them. `skip` is why it is not
    a conversation, as far as its headers, labels and folder tell
    (`draft_spam_trash`, `automated`), and `listy` whether it is list or
    bulk mail (kept only with `--lists`)."""

    where: str
    key: str
    thread: str
    when: dt.datetime  # with a zone
    subject: str | None
    sender: Address | None
    recipients: tuple[Address, ...]
    skip: str | None
    listy: bool


class BadMessage(NamedTuple):
    where: str
    error: str


# --- what a path is, and the files a folder holds --------------------------------


class Item(NamedTuple):
    """A file to read: an mbox, or one message (Maildir or .eml) with what its
    place says (`trash`: in a drafts/spam/trash folder or flagged so)."""

    path: Path
    mbox: bool
    trash: bool


def kind_of(path: Path) -> str:
    """`mbox` or `message` for a file, by its first bytes; `NotMail` otherwise."""
    try:
        with open_file(path) as handle:
            start = handle.read(4096)
    except Invalid as exc:
        raise NotMail(f"{exc}; give {MAIL_FILES}") from None
    except OSError as exc:
        raise NotMail(f"cannot read {path}: {exc.strerror or exc}") from None
    text = start.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
    if not text or text.startswith(b"From "):  # an empty mbox, as mutt and Thunderbird leave an emptied folder
        return "mbox"
    found = text[:15].upper()
    if found.startswith(b"BEGIN:VCALENDAR"):
        raise NotMail(f"{path} is an iCalendar file, not mail (capture calendar reads it); give {MAIL_FILES}")
    if found.startswith(b"BEGIN:VCARD"):
        raise NotMail(f"{path} is a vCard file, not mail; give {MAIL_FILES}")
    if _HEADER_LINE.match(text) and _MAIL_FIELD.search(re.split(rb"\r?\n\r?\n", text, maxsplit=1)[0]):
        return "message"
    raise NotMail(f"{path} is not a mail archive; give {MAIL_FILES}")


def folder_items(folder: Path) -> list[tuple[Found, Item]]:
    """The messages a folder holds, with their size and modification time:
    the `cur` and `new` files of every Maildir in it (Maildir++ subfolders
    such as `.Sent` included), and `.eml` files; anything else (a `tmp`
    folder, notmuch's index, dot files) is left alone. One listing and one
    `stat` per file: a Maildir of 50,000 messages is walked in a blink."""
    items: list[tuple[Found, Item]] = []
    stack = [folder]
    while stack:
        here = stack.pop()
        in_maildir = here.name in ("cur", "new") and here != folder
        trash_folder = _folder_is_trash(here.parent if in_maildir else here, folder)
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name not in ("tmp", ".notmuch", ".git") and not in_maildir:
                        stack.append(here / name)
                    continue
                if name.startswith(".") or not (in_maildir or name.lower().endswith(".eml")):
                    continue
                if entry.is_symlink() and not inside(entry.path, folder):
                    continue  # a link out of the folder: nothing outside what was named is read
                info = entry.stat()
            except OSError:  # gone since the listing
                continue
            path = here / name  # a child of a Path: cheaper than parsing entry.path whole
            trash = trash_folder or (in_maildir and _flagged_trash(name))
            items.append((Found(path, info.st_size, info.st_mtime_ns, False), Item(path, False, trash)))
    items.sort(key=lambda pair: str(pair[0].path))  # comparing strings, not Paths: a tenth of the time
    return items


def folder_fingerprint(folder: Path) -> str | None:
    """What changes whenever a message is added to, removed from or renamed
    in a Maildir tree: every folder's modification time and inode (a Maildir
    file is never changed in place, only created, renamed or removed). None
    when the tree holds `.eml` files, which may be edited in place: then
    every file is looked at."""
    import hashlib

    digest = hashlib.sha1(usedforsecurity=False)
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            info = os.stat(here)
            digest.update(f"{here}|{info.st_mtime_ns}|{info.st_ino}\n".encode())
            if here.name in ("cur", "new") and here != folder:
                continue  # a Maildir's messages: their folder's time says enough
            entries = list(os.scandir(here))
        except OSError:
            return None
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in ("tmp", ".notmuch", ".git"):
                    stack.append(here / entry.name)
            elif entry.name.lower().endswith(".eml") and not entry.name.startswith("."):
                return None
    return digest.hexdigest()


def _folder_is_trash(box: Path, top: Path) -> bool:
    try:
        parts = box.relative_to(top).parts
    except ValueError:
        parts = ()
    names = [box.name, *parts]
    for name in names:
        last = name.rsplit(".", 1)[-1] if name.startswith(".") or "." in name else name
        if last.strip("[]").lower() in _NOT_SENT_FOLDERS or name.lstrip(".").lower() in _NOT_SENT_FOLDERS:
            return True
    return False


def _flagged_trash(name: str) -> bool:
    """Maildir flags in a file name (`…:2,DS`): D is a draft, T trashed."""
    for mark in (":2,", "!2,", ";2,"):
        if mark in name:
            flags = name.rsplit(mark, 1)[1]
            return "D" in flags or "T" in flags
    return False


# --- reading --------------------------------------------------------------------


def mbox_heads(handle: BinaryIO, *, start: int = 0) -> Iterator[tuple[int, int, bytes | None]]:
    """Each message of an mbox from byte `start` (a message's `From ` line):
    (its offset, the offset after it, its header block, or None when that is
    larger than `MAIL_HEADER`). Read in pieces of at most `MAIL_LINE` bytes,
    however long a line is; bodies are skipped piece by piece, never kept."""
    handle.seek(start)
    offset = start
    head: list[bytes] | None = None
    head_size = 0
    begun = -1
    in_head = False
    previous_blank = True
    line_start = True  # the piece starts a line (a longer line comes in several pieces)
    envelope = False  # the piece goes on a `From ` line
    while piece := handle.readline(MAIL_LINE):
        blank = line_start and piece in (b"\n", b"\r\n")
        if line_start and previous_blank and piece.startswith(b"From "):
            if head is not None:
                yield begun, offset, _whole(head, head_size)
            head, head_size, begun, in_head, envelope = [], 0, offset, True, True
        elif envelope:
            pass  # the rest of a long `From ` line
        elif in_head and head is not None:
            if blank:
                in_head = False
            else:
                head_size += len(piece)
                if head_size <= MAIL_HEADER:
                    head.append(piece)
                else:
                    head.clear()  # too large: what was kept is let go at once
        previous_blank = blank
        line_start = piece.endswith(b"\n")
        envelope = envelope and not line_start
        offset += len(piece)
    if head is not None:
        yield begun, offset, _whole(head, head_size)


def _whole(head: list[bytes], size: int) -> bytes | None:
    return b"".join(head) if size <= MAIL_HEADER else None


def file_head(path: Path) -> bytes | None:
    """A message file's header block (up to its first blank line); None when
    it is larger than `MAIL_HEADER`. `Invalid` for what is not a regular file."""
    lines: list[bytes] = []
    size = 0
    line_start = True
    with open_file(path) as handle:
        while piece := handle.readline(MAIL_LINE):
            if line_start and piece in (b"\n", b"\r\n"):
                break
            size += len(piece)
            if size > MAIL_HEADER:
                return None
            lines.append(piece)
            line_start = piece.endswith(b"\n")
    return b"".join(lines)


_PARSER = BytesHeaderParser()


TOO_LARGE = f"headers larger than {size_text(MAIL_HEADER)}, the limit for one message's headers"


def parse(head: bytes | None, *, where: str, trash: bool = False) -> Message | BadMessage:
    """One header block as a `Message`, or `BadMessage` when it has no
    readable date or was too large to be read (None)."""
    if head is None:
        return BadMessage(where, TOO_LARGE)
    headers = _PARSER.parsebytes(head)
    when = _date(headers.get("Date"))
    if when is None:
        return BadMessage(_named(where, headers), f"no readable date (Date: {_shown(headers.get('Date'), 60)})")
    message_id = _first_id(headers.get("Message-ID"))
    sender = _addresses(headers.get_all("From"))
    recipients = _addresses([*headers.get_all("To", []), *headers.get_all("Cc", []), *headers.get_all("Bcc", [])])
    subject = _text(headers.get("Subject"))
    key = message_id or _digest_key(headers, when, sender, subject)
    thread = (
        _text(headers.get("X-GM-THRID"))
        or _first_id(headers.get("References"))
        or _first_id(headers.get("In-Reply-To"))
        or key
    )
    skip = None
    labels = {label.strip().lower() for label in (_text(headers.get("X-Gmail-Labels")) or "").split(",")}
    if trash or labels & _NOT_SENT_LABELS or headers.get("X-Mozilla-Draft-Info"):
        skip = "draft_spam_trash"
    elif _automated(headers, sender):
        skip = "automated"
    precedence = (_text(headers.get("Precedence")) or "").strip().lower()
    listy = bool(headers.get("List-Id") or headers.get("List-Post")) or precedence in ("bulk", "list", "junk")
    return Message(
        where, key, thread.strip(), when, _clean_subject(subject), sender[0] if sender else None,
        tuple(recipients), skip, listy,
    )  # fmt: skip


def _named(where: str, headers: EmailMessage) -> str:
    """Where a message is, and which it is, by the headers a person finds it
    by in their mail program (never its body)."""
    found = []
    for name, shown in (("Message-ID", "Message-ID {}"), ("From", "from {}"), ("Subject", 'subject "{}"')):
        if headers.get(name) is not None:
            found.append(shown.format(_shown(headers.get(name), 80)))
    return f"{where} ({', '.join(found)})" if found else where


def _shown(value: object, limit: int) -> str:
    """A header as one line that steers no terminal: what does not print as
    itself (escapes, controls, bidi overrides) dropped, cut to `limit`."""
    text = plain_line(_text(value) or "")
    return (text[: limit - 1] + "…" if len(text) > limit else text) or "none"


def _automated(headers: EmailMessage, sender: list[Address]) -> bool:
    auto = (_text(headers.get("Auto-Submitted")) or "no").strip().lower()
    if auto != "no":
        return True
    if not sender:
        return False
    local = sender[0].address.rpartition("@")[0].lower()
    return bool(_NO_REPLY.match(local))


def _text(value: object) -> str | None:
    """A header's value as text: encoded words decoded, raw 8-bit read as
    UTF-8 (else Latin-1), folding undone."""
    if value is None:
        return None
    if isinstance(value, Header):  # what compat32 makes of raw 8-bit bytes: read them as UTF-8, else Latin-1
        value = "".join(_decoded(part, charset) for part, charset in decode_header(value))
    raw = str(value)
    if "=?" in raw:
        with contextlib.suppress(ValueError, LookupError, UnicodeError):
            # decode_header hands back the text between encoded words as raw-unicode-escape bytes
            raw = "".join(
                part.decode("raw-unicode-escape")
                if isinstance(part, bytes) and charset is None
                else _decoded(part, charset)
                for part, charset in decode_header(raw)
            )
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        data = raw.encode("utf-8", "surrogateescape")
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError:
            raw = data.decode("latin-1")
    return " ".join(raw.split()) or None


def _raw_text(value: object) -> str:
    """A header's value with raw 8-bit bytes read (UTF-8, else Latin-1) but
    encoded words left as written, for splitting into addresses first."""
    if isinstance(value, Header):
        return "".join(_decoded(part, charset) for part, charset in decode_header(value))
    return str(value)


def _decoded(part: bytes | str, charset: str | None) -> str:
    if isinstance(part, str):
        return part
    for name in (charset if charset and charset != "unknown-8bit" else "utf-8", "utf-8", "latin-1"):
        try:
            return part.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return part.decode("latin-1")  # pragma: no cover  (latin-1 reads any bytes)


def _addresses(values: list[str] | None) -> list[Address]:
    found: list[Address] = []
    for name, address in getaddresses([_raw_text(v) for v in values or []]):
        address = (_text(address) or "").strip()
        if "@" not in address:
            continue
        found.append(Address(address, _text(name) if name else None))
    return found


def _date(value: object) -> dt.datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # -0000: the zone is unknown; UTC is what it was written in
        when = when.replace(tzinfo=dt.UTC)
    return when


def _first_id(value: object) -> str | None:
    text = _text(value)
    if not text:
        return None
    match = _ID.search(text)
    if match:
        return match[1]
    token = text.split()[0] if text.split() else ""
    return token.strip("<>") or None


def _digest_key(headers: EmailMessage, when: dt.datetime, sender: list[Address], subject: str | None) -> str:
    """A key for a message without a Message-ID: what stays the same in every copy of it."""
    who = sender[0].address.lower() if sender else ""
    text = f"{when.astimezone(dt.UTC).isoformat()}|{who}|{subject or ''}"
    return "no-id-" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]


def _clean_subject(subject: str | None) -> str | None:
    if not subject:
        return None
    return _PREFIX.sub("", subject).strip() or None


def local_date(when: dt.datetime, zone: dt.tzinfo | None) -> dt.date:
    """The day a message was written on for the user (None: the system's zone)."""
    return when.astimezone(zone).date()
