"""The three-way merge of one card with its contact, field by field. Pure.

Each side's fields are compared with `agreed`, what both held after the
last sync: a field only one side changed goes to the other; a field both
changed, differently, is a conflict, left alone on both sides (and out of
`agreed`, so that it stays one) unless `prefer` names the side that wins.
Cards met for the first time have nothing agreed: a field one side lacks is
filled from the other, emails and tags are joined, and differing values
are conflicts. Emails compare as a set: a card's programs reorder them
(khard writes home before work) and netcli's first address is its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from netcli.addresses import address_key
from netcli.formats.card import FIELDS


@dataclass
class Merge:
    here: dict[str, Any] = field(default_factory=dict)  # what the contact takes from the card
    there: dict[str, Any] = field(default_factory=dict)  # what the card takes from the contact
    conflicts: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, here, there)
    agreed: dict[str, Any] = field(default_factory=dict)


def _empty(value: Any) -> bool:
    return value in (None, "", [])


def _joined(key: str, here: list[str], there: list[str]) -> list[str]:
    if key == "tags":
        return sorted({*here, *there})
    held = {address_key(a) for a in here}
    return [*here, *(a for a in there if address_key(a) not in held)]


def same(key: str, one: Any, other: Any) -> bool:
    if key == "emails":
        return set(one) == set(other)
    return bool(one == other)


def _taken(key: str, here: Any, there: Any) -> Any:
    """The card's value as the contact takes it: its emails in the contact's order, new ones last."""
    if key != "emails":
        return there
    return [a for a in here if a in there] + [a for a in there if a not in here]


def merge(
    card: Mapping[str, Any], contact: Mapping[str, Any], agreed: Mapping[str, Any] | None, prefer: str | None
) -> Merge:
    """`card` and `contact` hold FIELDS; `agreed` is None for a first meeting."""
    result = Merge()
    for key in FIELDS:
        there, here = card[key], contact[key]
        if same(key, there, here):
            result.agreed[key] = here
            continue
        if agreed is None and (_empty(here) or _empty(there) or key in ("emails", "tags")):
            value = there if _empty(here) else here if _empty(there) else _joined(key, here, there)
        elif agreed is not None and key in agreed and same(key, there, agreed[key]):
            value = here  # changed here only
        elif agreed is not None and key in agreed and same(key, here, agreed[key]):
            value = _taken(key, here, there)  # changed there only
        elif prefer == "netcli":
            value = here
        elif prefer == "vdir":
            value = _taken(key, here, there)
        else:
            result.conflicts.append((key, here, there))
            continue
        if value != here:  # emails too: the contact takes a joined list's order
            result.here[key] = value
        if not same(key, value, there):
            result.there[key] = value
        result.agreed[key] = value
    return result
