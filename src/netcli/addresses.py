"""Email addresses, pure: the key two spellings of one address share
(lowercase, any `+tag` in the local part dropped), whether text looks like an
address, and whether an address is one of the user's own (`[me] emails`).
No database, no I/O: the store, the config and the coming capture all use it."""

from __future__ import annotations

import re
from collections.abc import Iterable

_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")


def is_address(text: str) -> bool:
    """Whether `text` has the shape of an email address (name@example.org)."""
    return bool(_ADDRESS.fullmatch(text))


def address_key(address: str) -> str:
    """What matching compares: `Ann.Lee+work@Example.org` -> `ann.lee@example.org`.

    Only the last `@` splits local part from domain (a quoted local part may
    hold one); a `+` at the very start of the local part is kept, as there is
    nothing before it to be the address."""
    text = address.strip().lower()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    base, plus, _tag = local.partition("+")
    return f"{base if base else local}@{domain}" if plus else text


class MyAddresses:
    """The user's own addresses, for telling them apart from everyone else's."""

    def __init__(self, addresses: Iterable[str]) -> None:
        self.keys = frozenset(address_key(a) for a in addresses if a.strip())

    def __bool__(self) -> bool:
        return bool(self.keys)

    def __contains__(self, address: object) -> bool:
        return isinstance(address, str) and address_key(address) in self.keys


def is_me(address: str, mine: Iterable[str]) -> bool:
    """Whether `address` is one of `mine`, case-insensitively, ignoring a `+tag`."""
    return address in MyAddresses(mine)
