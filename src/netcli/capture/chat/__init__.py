"""Chat exports as plain records: what apps give their users (WhatsApp,
Telegram Desktop, Slack, DiscordChatExporter, Google Takeout's Google Chat,
LinkedIn's data export), read on the user's machine with no database.

`open_export(path)` tells what a file, folder or `.zip` holds from its
content (never its name; a folder's or zip's index files are found by name
and checked by content) and reads it: `records()` yields `ChatMessage`
(one per message, keyed), `BadItem` (damage, named and counted), `Account`
(whose export it is, where it says) and LinkedIn's `Connection` and
`Invitation`. Nothing here stores or shows a message's text. A path that
holds no export raises `Invalid` naming it and the formats read.

One module per app (`whatsapp`, `telegram`, `slack`, `discord`,
`googlechat`, `linkedin`); `inputs` is the bounded, untrusted reading of
files, folders and zips they all go through; `jsonstream` JSON read a value
at a time with its nesting bounded; `records` the types.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from netcli.capture.chat import discord, googlechat, linkedin, slack, telegram, whatsapp
from netcli.capture.chat.inputs import Input, shown
from netcli.capture.chat.records import (
    APPS,
    CHANNEL,
    DIRECT,
    GROUP,
    Account,
    BadItem,
    Chat,
    ChatMessage,
    Connection,
    Invitation,
    Person,
    Record,
)
from netcli.errors import Invalid

__all__ = [
    "APPS",
    "CHANNEL",
    "CHAT_FILES",
    "DIRECT",
    "GROUP",
    "Account",
    "BadItem",
    "Chat",
    "ChatMessage",
    "Connection",
    "Export",
    "Invitation",
    "Person",
    "Record",
    "open_export",
    "read",
]

CHAT_FILES = (
    "a WhatsApp chat (.txt, or the .zip WhatsApp exports), Telegram Desktop's result.json, "
    "a Slack export (folder or .zip), a DiscordChatExporter .json, Google Takeout's Google Chat "
    "(its Groups folder) or LinkedIn's data export (folder or .zip)"
)
_SNIFFED = (".json", ".txt", ".csv")


@dataclass(frozen=True)
class Part:
    """One thing in an export to read: its app, and how."""

    app: str
    where: str
    read: Callable[[], Iterator[Record]]


class Export:
    """An export opened for reading (a context manager): `apps` it holds,
    `records()` to read them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.source = Input.of(path)
        try:
            self.parts = _detect(self.source)
        except BaseException:
            self.source.close()
            raise
        if not self.apps:
            self.source.close()
            raise Invalid(f"{shown(str(path), 200)} is not a chat export netcli reads; give {CHAT_FILES}")

    @property
    def apps(self) -> list[str]:
        return list(dict.fromkeys(part.app for part in self.parts if part.app))

    def records(self, *, close: bool = False) -> Iterator[Record]:
        """Every record of every part (`close`: the export is closed after the
        last). A member of a folder or zip that cannot be read is a `BadItem`;
        a file named alone that cannot be read raises `Invalid`."""
        try:
            for part in self.parts:
                try:
                    yield from part.read()
                except (Invalid, OSError, zipfile.BadZipFile, EOFError) as exc:
                    problem = _problem(exc)
                    if self.source.kind == "file":
                        raise Invalid(problem if isinstance(exc, Invalid) else f"{part.where}: {problem}") from None
                    yield BadItem(part.where, problem)
        finally:
            if close:
                self.close()

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_export(path: Path) -> Export:
    """The export at `path`; `Invalid` when it holds none."""
    return Export(path)


def read(path: Path) -> Iterator[Record]:
    """Every record of the export at `path`; `Invalid` at once when it holds
    none. (One generator less between the reader and its caller than a
    `with` around `records()`: a tenth of what Telegram's reader adds to
    the floor.)"""
    return open_export(path).records(close=True)


def _problem(exc: BaseException) -> str:
    if isinstance(exc, Invalid):  # worded here (TooLarge, TooDeep too), names made safe
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read it: {exc.strerror}"
    return f"cannot read it: {shown(str(exc), 120) or type(exc).__name__}"


def _detect(source: Input) -> list[Part]:
    names = source.names()
    parts: list[Part] = []
    claimed: set[str] = set()
    for root in slack.roots(names):
        if slack.sniff(source.head(f"{root}users.json", 8192)):
            parts.append(Part("slack", source.label(root or "."), partial(slack.read, source, root)))
            claimed.update(name for name in names if name.startswith(root))
    loose = [name for name in names if name not in claimed]
    single = source.kind == "file"
    chat_groups = [] if single else googlechat.groups([n for n in loose if n.endswith("messages.json")], source)
    if chat_groups:
        owners = [n for n in loose if PurePosixPath(n).name == "user_info.json"]
        parts.append(Part("googlechat", source.label("."), partial(googlechat.owners, owners, source)))
        for folder in chat_groups:
            parts.append(Part("googlechat", source.label(folder or "."), partial(googlechat.read, source, folder)))
            claimed.update(name for name in loose if name.startswith(folder) and "/" not in name[len(folder) :])
        claimed.update(owners)
    container = source.path.stem if source.kind == "zip" else source.path.name  # a zip's, or a folder's, name
    for name in names:
        if name in claimed or not (single or name.lower().endswith(_SNIFFED)):
            continue
        part = _sniff(source, name, container=container)
        if part is not None:
            parts.append(part)
    return parts


def _sniff(source: Input, name: str, *, container: str | None) -> Part | None:
    where = source.label(name)
    try:
        with source.open(name) as handle:
            head = handle.read(64 * 1024)
    except (Invalid, OSError, zipfile.BadZipFile, EOFError) as exc:
        if source.kind == "file":
            raise Invalid(_problem(exc) if isinstance(exc, Invalid) else f"{where}: {_problem(exc)}") from None
        damage = BadItem(where, _problem(exc))
        return Part("", where, partial(iter, [damage]))
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{":
        shape = telegram.sniff(head)
        if shape is not None:
            return Part("telegram", where, lambda: telegram.read(source, name, shape=shape))
        if discord.sniff(head):
            return Part("discord", where, lambda: discord.read(source, name))
        if googlechat.sniff(head):  # a messages.json named alone: its group_info.json is beside it
            beside = source.path.parent
            return Part("googlechat", where, lambda: googlechat.read(source, "", member=name, beside=beside))
        return None
    kind = linkedin.sniff(head)
    if kind is not None:
        return Part("linkedin", where, lambda: linkedin.read(source, name, kind=kind))
    if whatsapp.sniff(head):
        outer = None if source.kind == "file" else container
        title, fallback = whatsapp.chat_name(name, outer), whatsapp.file_name(name, outer)
        return Part("whatsapp", where, lambda: whatsapp.read(source, name, name=title, fallback=fallback))
    return None
