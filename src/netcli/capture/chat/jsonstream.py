"""JSON exports read a value at a time, with nesting bounded.

ijson's C parser builds the prefix of every level it is in: a document
nested 100,000 deep (a crafted "export") takes gigabytes before a single
value comes out. `careful` reads ijson's basic events (which build no
prefix), keeps the path itself and refuses nesting past `DEPTH`: what
DiscordChatExporter, Google Takeout and Telegram Desktop write is at most a
dozen deep. It is Python, event by event; Telegram's fast reader uses ijson's
own generator and counts the brackets it hands it (`OPENS` since the last
message at most, so a bomb is stopped a few MB in), then hands over to
`careful`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson
from ijson.common import ObjectBuilder

from netcli.capture.chat.inputs import shown
from netcli.errors import TooDeep

DEPTH = 64  # lists and objects inside one another: exports nest a dozen deep
OPENS = 4096  # brackets read since the last message before Telegram's reader turns careful
JSON_ERRORS = (ijson.JSONError, ijson.IncompleteJSONError, ValueError, RecursionError, TooDeep)


def damage(exc: BaseException) -> str:
    """What a JSON error says, in one line: its first (ijson's next lines
    quote the file around the error, and the file is stranger-written)."""
    lines = str(exc).strip().splitlines()
    return f"damaged JSON, the rest is not read ({shown(lines[0] if lines else type(exc).__name__, 100)})"


Path = tuple[str, ...]


def careful(handle: BinaryIO, *, items: frozenset[Path], heads: int = 0) -> Iterator[tuple[str, Path, Any]]:
    """The values at the paths in `items` (an array's elements are `item`),
    built one at a time: `("item", path, value)`; with `heads`, up to that
    depth every key `("key", path, key)`, scalar `("scalar", path, value)`
    and start of an object `("start", path, None)`, for what surrounds the
    items (a chat's name before its messages). `TooDeep` past `DEPTH`."""
    path: list[str] = []
    builder: ObjectBuilder | None = None
    level = 0  # depth inside the value being built
    for event, value in ijson.basic_parse(handle, use_float=True):
        if builder is not None:
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                level += 1
                if len(path) + level > DEPTH:
                    raise TooDeep(f"lists and objects nested more than {DEPTH} deep, which no chat app writes")
            elif event in ("end_map", "end_array"):
                level -= 1
            if level == 0:
                yield "item", tuple(path), builder.value
                builder = None
            continue
        if event == "map_key":
            path[-1] = value
            if heads and len(path) <= heads:
                yield "key", tuple(path[:-1]), value
            continue
        if event in ("end_map", "end_array"):
            path.pop()
            continue
        here = tuple(path)
        if here in items:
            builder = ObjectBuilder()
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                level = 1
            else:
                yield "item", here, builder.value
                builder = None
            continue
        if event in ("start_map", "start_array"):
            if heads and event == "start_map" and len(path) <= heads:
                yield "start", here, None
            path.append("item" if event == "start_array" else "")
            if len(path) > DEPTH:
                raise TooDeep(f"lists and objects nested more than {DEPTH} deep, which no chat app writes")
            continue
        if heads and len(path) <= heads:
            yield "scalar", here, value


class Tripped(Exception):
    """More brackets than a message holds came without a message: read on carefully."""


def top_level(head: bytes, *, most: int = 16) -> tuple[list[str], dict[str, Any]]:
    """The first keys of the object a file's first bytes open, and their
    values where they are scalars: what tells one export from another.
    Whatever the bytes (cut short, not JSON, nested deep), no error."""
    keys: list[str] = []
    values: dict[str, Any] = {}
    try:
        for kind, path, value in careful(io.BytesIO(head), items=frozenset(), heads=1):
            if kind == "key" and not path:
                keys.append(value)
                if len(keys) >= most:
                    break
            elif kind == "scalar" and len(path) == 1:
                values[path[0]] = value
    except JSON_ERRORS:
        pass
    return keys, values


def first_value(head: bytes, key: str) -> Any:
    """The value of a top-level key in a file's first bytes; None when it is
    not there whole."""
    try:
        for _kind, _path, value in careful(io.BytesIO(head), items=frozenset({(key,)})):
            return value
    except JSON_ERRORS:
        pass
    return None
