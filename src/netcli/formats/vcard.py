"""Files of vCards: `import vcard` reads them, `export vcard` writes them,
`sync vdir` reads one card per file; every card through the one card class
(`formats.card`).

A file is read a line at a time, so that a big address book costs the
memory of its biggest card. Each card is one record or one bad record with
the line it starts on: no END:VCARD, not UTF-8, larger than the limit per
card (`card.MAX_CARD_BYTES`, 4 MB; skipped unread to its END), no name. A
file is capped by `formats.MAX_IMPORT_BYTES`, counted on what is read, not
on what the file system says. Every file is opened by `formats.open_import`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from netcli.errors import NotACard
from netcli.formats import MAX_IMPORT_BYTES, Parsed, open_import
from netcli.formats.card import MAX_CARD_BYTES, PRODID, X_FIELDS, Card, new_card, too_big

NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, as surrogateescape keeps them
_NEWLINE = re.compile(r"\r\n|\r|\n")


def read_card_file(path: Path) -> bytes:
    """One card file of a vdir, read up to the limit per card (checked on
    what is read, not on what the file system says)."""
    with open_import(path, limit=MAX_CARD_BYTES) as handle:
        data = handle.read(MAX_CARD_BYTES + 1)
    if len(data) > MAX_CARD_BYTES:
        raise NotACard(too_big())
    return data


def read_cards(path: Path) -> Iterator[Parsed]:
    """Every card of a file (import vcard): a record each, or a bad record
    with the line it starts on. Read a line at a time, so that a big file
    costs the memory of its biggest card."""
    with open_import(path) as handle:
        yield from parse_cards(handle, source=path.name)


def parse_cards(handle: Lines, *, source: str) -> Iterator[Parsed]:
    """`read_cards` over an open binary file (BOM, CRLF, LF and CR line endings alike)."""
    found = False  # a BEGIN:VCARD seen: a vCard file, whose text outside cards is bad records
    before: list[Parsed] = []
    for line, card, error in _split(_pieces(handle)):
        if error == OUTSIDE and not found:
            before.append(Parsed(source, line, error=error))
            continue
        if not found:
            found = True
            yield from before
        if card is None:
            yield Parsed(source, line, error=error)
            continue
        try:
            fields = Card.parse(card).fields()
        except NotACard as exc:
            yield Parsed(source, line, error=f"card {exc}")
            continue
        if not fields.name:
            yield Parsed(source, line, error="card has no name (FN or N)")
        else:
            yield Parsed(source, line, record=fields.record())
    if not found:
        yield Parsed(source, 1, error="no BEGIN:VCARD found: is this a vCard file?", whole=True)


class Lines(Protocol):
    """What a file of cards is read through: a line at a time, at most `size` bytes of it."""

    def readline(self, size: int = -1, /) -> bytes: ...


def _pieces(handle: Lines) -> Iterator[tuple[str, bool]]:
    """The file's text in pieces of at most a card's limit, each with whether
    it ends its line (CRLF, LF or CR); bytes that are not UTF-8 kept as
    surrogates, so that the card holding them is named."""
    first = True
    while chunk := handle.readline(MAX_CARD_BYTES + 1):
        text = chunk.decode("utf-8", "surrogateescape")
        if first:
            text, first = text.removeprefix("\ufeff"), False
        *lines, rest = _NEWLINE.split(text)
        yield from ((line, True) for line in lines)
        if rest:
            yield rest, False


OUTSIDE = "text outside a BEGIN:VCARD ... END:VCARD card"


def _split(pieces: Iterator[tuple[str, bool]]) -> Iterator[tuple[int, str | None, str | None]]:
    """(line, card text, error) for each BEGIN:VCARD ... END:VCARD. A card
    that is too big, or not UTF-8, is skipped to its END unkept."""
    start: int | None = None
    body: list[str] = []
    bad: str | None = None
    size = total = number = 0
    whole, outside = True, False  # `whole`: the last piece read ended its line
    for line, ends in pieces:
        total += len(line) + ends
        if total > MAX_IMPORT_BYTES:
            yield number + 1, None, f"the file is larger than {MAX_IMPORT_BYTES // 2**20} MB, netcli's limit; split it"
            return
        begins_line, whole = whole, ends
        number += begins_line
        keyword = line.strip().upper() if begins_line and len(line) < 40 else ""
        if keyword == "BEGIN:VCARD":
            if start is not None:
                yield start, None, bad or "card has no END:VCARD before the next BEGIN:VCARD"
            start, body, size, bad, outside = number, [line], len(line), None, False
            continue
        if start is None:
            if line.strip() and not outside:
                outside = True  # said once for each stretch of text between cards
                yield number, None, OUTSIDE
            continue
        size += len(line) + 1
        if bad is None and size > MAX_CARD_BYTES:
            bad, body = f"card {too_big()}", []
        elif bad is None:
            body.append(line)
        if keyword == "END:VCARD":
            card = "\n".join(body) + "\n"
            if bad is None and (not_utf8 := NOT_UTF8.search(card)):
                start += card.count("\n", 0, not_utf8.start())
                bad = "not UTF-8 text; save the file as UTF-8 and import it again"
            yield (start, None, bad) if bad else (start, card, None)
            start, body, bad = None, [], None
    if start is not None:
        yield start, None, bad or "card has no END:VCARD"


def write_cards(contacts: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """vCard 3.0, one card per contact (written as each is read), netcli's
    own fields as X-NETCLI-… properties."""
    for c in contacts:
        values: dict[str, Any] = {
            "name": c["name"],
            "emails": c.get("emails") or ([c["email"]] if c.get("email") else []),
            "phones": c.get("phones") or ([c["phone"]] if c.get("phone") else []),
            "org": c.get("org"),
            "role": c.get("role"),
            "url": c.get("url"),
            "note": c.get("note"),
            "birthday": c.get("birthday"),
            "tags": c.get("tags"),
            "location": c.get("location"),
        }
        for key in X_FIELDS.values():
            values[key] = c.get("own_cadence_days" if key == "cadence_days" else key)
        values["topics"] = c.get("topics")
        values["handles"] = c.get("handles")
        yield new_card(values, uid=None, prodid=PRODID)
