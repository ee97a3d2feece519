"""The one reader of files netcli did not just write: every import, both
captures, `sync vdir`'s cards, the settings file, the kept brief line and
sync state, the completion cache. Such a file may be anything a stranger
(or an accident) put there.

- It is opened without blocking, so a FIFO cannot hang the command, and
  checked on the opened descriptor (`fstat`, not the path: nothing can be
  swapped in between) to be a regular file: a FIFO, a device (a link to
  `/dev/zero`), a socket or a folder is refused with a line naming it.
- What is read is counted, not what `stat` says (a device says 0, a file may
  grow while it is read): past its cap a reader stops with `TooLarge`, a line
  naming the limit. A file read whole is read to its cap plus one byte, never
  more; a streamed file is refused once its position passes the cap.
- `follow_links=False` refuses a symbolic link (files netcli keeps for itself);
  `inside` tells whether a file found in a folder stays in it, links resolved.

LIMITS below are every size netcli accepts, in one place (the README's
"What netcli trusts" lists them; a test holds the two together). Memory stays
within a few hundred MB below each: files read whole have small caps, large
ones are streamed a record at a time.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from netcli.errors import Invalid, NotAFile, TooLarge, Unreadable

TYPE_CHECKING = False  # not `typing`'s: the fast paths read files here, and importing typing costs them
if TYPE_CHECKING:
    from typing import BinaryIO

KB = 1024
MB = 1024 * KB

# --- LIMITS -----------------------------------------------------------------------------------------
# (a file is refused whole past its file limit; a record past its record limit is a bad record, named)
IMPORT_FILE = 200 * MB  # import csv / interactions: streamed a row at a time
CSV_RECORD = 1 * MB  # one CSV row, a cell holding line breaks included
LINKEDIN_FILE = 32 * MB  # import linkedin: Connections.csv is read whole (30,000 connections are 3 MB)
TASK = 1 * MB  # one task of a CalDAV task list (sync tasks)
CARD = 4 * MB  # one vCard: a card of import vcard (skipped unread to its END), a card file of sync vdir
BACKUP_FILE = 16 * 1024 * MB  # import json: streamed a row at a time
BACKUP_DEPTH = 16  # how deep a backup's lists and objects nest (a row's values are 4 deep)
BACKUP_VALUE = 16 * MB  # one text or number in a backup
CALENDAR_FILE = 64 * MB  # one .ics file (capture calendar): read whole, parsed an event at a time
CALENDAR_EVENT = 4 * MB  # one event with its moved occurrences
CALENDAR_OCCURRENCES = 5_000  # occurrences of one event in the days a capture reads
CALENDAR_STEPS = 2_000_000  # a file's repeat rules, expanded: a day, week, month or year each, and each occurrence
MAIL_HEADER = 256 * KB  # one message's header block (capture mail: bodies are skipped, never kept)
MAIL_LINE = 64 * KB  # an mbox is read in pieces of at most this much, however long its lines
CHAT_FILE = 4 * 1024 * MB  # capture chat: a file or zip member of an export, streamed (Telegram's result.json)
CHAT_MEMBERS = 200_000  # files in an export's folder or members in its zip
CHAT_DEPTH = 12  # folders inside an export's folder
CHAT_ZIP_RATIO = 100  # a zip member over 1 MB unpacks to at most this many times its packed size
WHATSAPP_TEXT = 512 * MB  # a WhatsApp chat (WhatsApp exports at most some 100,000 messages: far below)
SLACK_FILE = 256 * MB  # one file of a Slack export: users.json, a channel list, one channel's day
GOOGLE_CHAT_INFO = 64 * MB  # Google Chat's group_info.json and messages.json are read whole
LINKEDIN_MESSAGES = 1024 * MB  # capture linkedin: messages.csv, streamed a row at a time
SETTINGS_FILE = 1 * MB  # config.toml
NOTE_FILE = 1 * MB  # a note written in $EDITOR
STATE_FILE = 4 * MB  # what netcli keeps for itself: the brief line, sync state, the completion cache

LIMITS: tuple[tuple[str, int], ...] = (  # as the README's table names them
    ("import csv / interactions file", IMPORT_FILE),
    ("one CSV row", CSV_RECORD),
    ("import linkedin file", LINKEDIN_FILE),
    ("one vCard", CARD),
    ("one task (sync tasks)", TASK),
    ("import json backup", BACKUP_FILE),
    ("one value in a backup", BACKUP_VALUE),
    ("one .ics file", CALENDAR_FILE),
    ("one calendar event", CALENDAR_EVENT),
    ("one message's headers", MAIL_HEADER),
    ("a chat export's file", CHAT_FILE),
    ("a WhatsApp chat", WHATSAPP_TEXT),
    ("a Slack export's file", SLACK_FILE),
    ("a Google Chat file", GOOGLE_CHAT_INFO),
    ("LinkedIn's messages.csv", LINKEDIN_MESSAGES),
    ("config.toml", SETTINGS_FILE),
    ("a note written in $EDITOR", NOTE_FILE),
)


def size_text(limit: int) -> str:
    """A limit as people say it: `200 MB`, `256 KB`, `16 GB`."""
    for unit, size in (("GB", 1024 * MB), ("MB", MB), ("KB", KB)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} bytes"


def too_large(name: object, limit: int, what: str, *, fix: str = "") -> TooLarge:
    """The one wording of a refusal past a limit."""
    return TooLarge(f"{name} is larger than {size_text(limit)}, the limit for {what}" + (f"; {fix}" if fix else ""))


_KINDS = (
    (stat.S_ISDIR, "a folder; give the file inside it"),
    (stat.S_ISFIFO, "a named pipe (FIFO), not a file"),
    (stat.S_ISCHR, "a device, not a file"),
    (stat.S_ISBLK, "a device, not a file"),
    (stat.S_ISSOCK, "a socket, not a file"),
)


def open_file(path: Path | str, *, follow_links: bool = True) -> BinaryIO:
    """A regular file opened for reading in binary; `NotAFile` for anything
    else, `Unreadable` (naming the file and why) when it cannot be opened."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Unreadable(f"{path} does not exist") from None
    except OSError as exc:
        if not follow_links and os.path.islink(path):
            raise NotAFile(f"{path} is a symbolic link; netcli reads its own files only where it wrote them") from None
        raise Unreadable(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            said = next((words for test, words in _KINDS if test(mode)), "not a regular file")
            raise NotAFile(f"{path} is {said}")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: Path | str, *, limit: int, what: str, fix: str = "", follow_links: bool = True) -> bytes:
    """A regular file's bytes, at most `limit` of them: `TooLarge` past it."""
    with open_file(path, follow_links=follow_links) as handle:
        data = _read_upto(handle, limit + 1)
    if len(data) > limit:
        raise too_large(path, limit, what, fix=fix)
    return data


def _read_upto(handle: BinaryIO, most: int) -> bytes:
    pieces, left = [], most
    while left > 0:
        piece = handle.read(min(left, 4 * MB))
        if not piece:
            break
        pieces.append(piece)
        left -= len(piece)
    return b"".join(pieces)


def read_kept(path: Path | str) -> bytes | None:
    """A file netcli keeps for itself (the brief line, sync state, the
    completion cache): its bytes, or None when it is missing, a link, not a
    regular file, past `STATE_FILE` or unreadable; the caller then works its
    answer out again (and writes the file anew)."""
    try:
        return read_bytes(path, limit=STATE_FILE, what="a file netcli keeps", follow_links=False)
    except (Invalid, OSError):
        return None


class Capped:
    """A regular file read as a stream whose position may not pass `limit`:
    `TooLarge` the moment it does. For the parsers that read a file piece
    by piece (csv, ijson): what they read is what is counted."""

    def __init__(self, path: Path | str, *, limit: int, what: str, fix: str = "") -> None:
        self.name, self.limit, self.what, self.fix = path, limit, what, fix
        self.handle = open_file(path)
        self.position = 0  # counted, not asked (`tell` costs a call per line of a million-line file)

    def _checked(self, data: bytes) -> bytes:
        self.position += len(data)
        if self.position > self.limit:
            raise too_large(self.name, self.limit, self.what, fix=self.fix)
        return data

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.limit + 1 - self.position
        return self._checked(self.handle.read(max(size, 0)))

    def readline(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.limit + 1 - self.position
        return self._checked(self.handle.readline(max(size, 1)))

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = self.handle.seek(offset, whence)
        return self.position

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        self.handle.close()

    def __enter__(self) -> Capped:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def inside(path: Path | str, folder: Path | str) -> bool:
    """Whether a file found in `folder` is the folder's own: links resolved,
    it lies inside the folder (resolved too). A link out of it is not."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))
