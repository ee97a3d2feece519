"""What a sync decides, as typed actions: decide first, act afterwards.

A sync compares three states of each item: what netcli holds here, what the
folder holds there, and what the last sync agreed (vdirsyncer's
`sync/__init__.py` `_get_actions` has the same shape). A pure function turns
them into a list of these actions; a separate step carries them out: the
changes here in the database first, then the files (`sync.folder`), then the
agreed state. Each action names its item by `key` (netcli's own id for it,
such as a nudge id or a contact id) and, where a file is concerned, by
`href` (its name in the folder). Nothing here reads or writes anything.

- `Write`: a file written whole into the folder (`new`, or a rewrite).
- `Remove`: a file taken out of the folder.
- `Change`: a change here, named by its `verb` ("complete", "dismiss",
  "snooze", "update", "archive", ...), with the day or value it needs.
- `Keep`: an item changed where it may not be followed; left as it is on
  both sides, and listed with why.
- `Unparsable`: a file that cannot be read; listed, left alone.
- `Settle`: what both sides hold once the actions are carried out: the
  agreed state kept for the next sync (`removing`: its file is taken out
  after the database has committed, and the next sync forgets it).
- `Forget`: the agreed state of an item that is on neither side any more.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Write:
    key: str
    href: str
    content: Any  # the item as it is to be written (the decision's own record of it)
    new: bool


@dataclass(frozen=True, slots=True)
class Remove:
    key: str
    href: str


@dataclass(frozen=True, slots=True)
class Change:
    verb: str
    key: str
    href: str | None = None
    day: dt.date | None = None
    value: Any = None


@dataclass(frozen=True, slots=True)
class Keep:
    key: str | None
    href: str
    why: str


@dataclass(frozen=True, slots=True)
class Unparsable:
    href: str
    why: str


@dataclass(frozen=True, slots=True)
class Settle:
    key: str
    href: str
    agreed: Any
    removing: bool = False


@dataclass(frozen=True, slots=True)
class Forget:
    key: str


Action = Write | Remove | Change | Keep | Unparsable | Settle | Forget


def of_kind(actions: Iterable[Any], kind: type[T]) -> list[T]:
    """The actions of one kind, in order."""
    return [action for action in actions if isinstance(action, kind)]


def counts(actions: Iterable[Any]) -> Counter[str]:
    """How many of each: `Change`s by verb, the others by their class's name in lower case."""
    return Counter(action.verb if isinstance(action, Change) else type(action).__name__.lower() for action in actions)
