"""One vCard file of a vdir, read and edited line by line, for `netcli sync vdir`.

`read_card` splits a card into its properties as written (folded lines,
parameters, groups, line endings) and reads the fields netcli models: name
(FN, else N), emails, the first phone, org, role (TITLE), url, note,
birthday and tags (CATEGORIES). `rewrite` changes only the lines of the
fields it is given; every other line (PHOTO, ADR, X-..., UID, VERSION, a
second TEL) stays byte for byte, and the card keeps its version (2.1, 3.0
or 4.0): new values are written the way that version writes them.
`new_card` writes a vCard 3.0 for a contact that has none. No vobject: a
card is never parsed whole into objects and serialised again, which is what
would lose or reorder what netcli does not model. No database here.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FIELDS = ("name", "emails", "phone", "org", "role", "url", "note", "birthday", "tags")
_SINGLE = {"phone": "TEL", "org": "ORG", "role": "TITLE", "url": "URL", "note": "NOTE", "birthday": "BDAY"}
_NAME = re.compile(r"^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)")
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_FOLD = 75  # octets per line, as RFC 6350 and 2426 ask


class NotACard(ValueError):
    """The file is not one vCard this module can read; the message says why."""


@dataclass(slots=True)
class Prop:
    """One property as written: `raw` holds its physical lines (folds kept)
    without the final line ending."""

    raw: str
    group: str
    name: str  # upper case
    params: str  # as written, from the first ';' (or ""), unfolded
    value: str  # as written, unfolded, still escaped

    def param_values(self, key: str) -> list[str]:
        """The values of a parameter (upper case); a bare 2.1 `;PREF` counts as TYPE=PREF."""
        found: list[str] = []
        for part in _split_params(self.params):
            name, eq, value = part.partition("=")
            if not eq:
                name, value = "TYPE", name
            if name.strip().upper() == key:
                found += [v.strip().strip('"').upper() for v in value.split(",")]
        return found

    @property
    def preferred(self) -> bool:
        return "PREF" in self.param_values("TYPE") or bool(self.param_values("PREF"))


@dataclass(slots=True)
class Card:
    version: str  # "2.1", "3.0" or "4.0"
    newline: str
    begin: str  # the BEGIN and END lines as written
    end: str
    props: list[Prop]
    trailer: str = ""  # what followed END:VCARD (a final line ending, blank lines)
    uid: str | None = None
    where: dict[str, list[int]] = field(default_factory=dict)  # field -> the props that hold it

    def fields(self) -> dict[str, Any]:
        """The modelled fields as the card holds them, before netcli's cleaning."""
        return read_fields(self)

    def text(self) -> str:
        lines = [self.begin, *(p.raw for p in self.props), self.end]
        return self.newline.join(lines) + self.trailer


def read_card(data: bytes) -> Card:
    """Split one card into its properties; `NotACard` when it cannot be."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotACard("not UTF-8 text") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    physical = text.replace("\r\n", "\n").split("\n")
    logical: list[list[str]] = []
    for line in physical:
        previous = logical[-1] if logical else None
        if previous and line[:1] in (" ", "\t"):
            previous.append(line)
        elif previous and previous[-1].endswith("=") and _quoted_printable(previous[0]):
            previous.append(line)  # a 2.1 quoted-printable soft break
        else:
            logical.append([line])
    while logical and not "".join(logical[-1]).strip():
        logical.pop()
    trailer = newline if text.endswith(("\n", "\r")) else ""
    if not logical or logical[0][0].strip().upper() != "BEGIN:VCARD":
        raise NotACard("does not start with BEGIN:VCARD")
    if logical[-1][0].strip().upper() != "END:VCARD" or len(logical) < 2:
        raise NotACard("does not end with END:VCARD")
    props: list[Prop] = []
    for number, lines in enumerate(logical[1:-1], 2):
        prop = _prop(lines, newline)
        if prop is None:
            if not "".join(lines).strip():
                raise NotACard(f"has a blank line inside the card (line {number})")
            raise NotACard(f"property {number} is not NAME:VALUE: {lines[0][:40]!r}")
        if prop.name in ("BEGIN", "END"):
            raise NotACard("holds more than one card (a vdir keeps one card per file)")
        props.append(prop)
    versions = [p.value.strip() for p in props if p.name == "VERSION"]
    version = versions[0] if versions else "3.0"
    if version not in ("2.1", "3.0", "4.0"):
        raise NotACard(f"has VERSION:{version[:10]} (netcli reads vCard 2.1, 3.0 and 4.0)")
    card = Card(version, newline, logical[0][0], logical[-1][0], props, trailer)
    uids = [text_value(p, version) for p in props if p.name == "UID"]
    card.uid = uids[0].strip() or None if uids else None
    card.where = _where(card)
    return card


def _prop(lines: list[str], newline: str) -> Prop | None:
    quoted_printable = _quoted_printable(lines[0])
    parts = [lines[0]]
    for line in lines[1:]:
        if quoted_printable and parts[-1].endswith("="):
            parts[-1] = parts[-1][:-1]  # a soft break
            parts.append(line)
        else:
            parts.append(line[1:])  # a fold: the line ending and one space or tab
    unfolded = "".join(parts)
    match = _NAME.match(unfolded)
    if not match:
        return None
    colon = _value_start(unfolded, match.end())
    if colon < 0:
        return None
    head = unfolded[match.end() : colon]
    if head and not head.startswith(";"):
        return None
    return Prop(newline.join(lines), match.group(1) or "", match.group(2).upper(), head, unfolded[colon + 1 :])


def _value_start(line: str, start: int) -> int:
    """Where the value's ':' is: the first one outside a quoted parameter value."""
    quoted = False
    for index in range(start, len(line)):
        char = line[index]
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return index
    return -1


def _split_params(params: str) -> list[str]:
    parts, current, quoted = [], "", False
    for char in params:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            if current:
                parts.append(current)
            current = ""
        else:
            current += char
    if current:
        parts.append(current)
    return parts


def _quoted_printable(first_line: str) -> bool:
    head = first_line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def _decoded(prop: Prop) -> str:
    """The value with a 2.1 quoted-printable or base64 encoding undone."""
    encoding = prop.param_values("ENCODING")
    if "QUOTED-PRINTABLE" in encoding or "QP" in encoding:
        charset = (prop.param_values("CHARSET") or ["UTF-8"])[0]
        raw = quopri.decodestring(prop.value.encode("ascii", "replace"))
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return raw.decode("latin-1")
    return prop.value


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _components(text: str, separator: str) -> list[str]:
    """Split on unescaped separators, then unescape each part."""
    parts, current, escaped = [], "", False
    for char in text:
        if escaped:
            current += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current + ("\\" if escaped else ""))
    return [_unescape(p) for p in parts]


def text_value(prop: Prop, version: str) -> str:
    value = _decoded(prop).replace("\r\n", "\n")
    return value if version == "2.1" and "\\" not in value else _unescape(value)


def _where(card: Card) -> dict[str, list[int]]:
    version = card.version
    where: dict[str, list[int]] = {name: [] for name in (*FIELDS, "fn", "n")}
    by_name: dict[str, list[int]] = {}
    for index, prop in enumerate(card.props):
        by_name.setdefault(prop.name, []).append(index)
    where["fn"] = [i for i in by_name.get("FN", []) if text_value(card.props[i], version).strip()][:1]
    where["n"] = by_name.get("N", [])[:1]
    where["name"] = where["fn"] or where["n"]
    emails = [i for i in by_name.get("EMAIL", []) if _ADDRESS.fullmatch(text_value(card.props[i], version).strip())]
    where["emails"] = sorted(emails, key=lambda i: not card.props[i].preferred)
    phones = [i for i in by_name.get("TEL", []) if _phone(card.props[i], card.version)]
    where["phone"] = sorted(phones, key=lambda i: not card.props[i].preferred)[:1]
    for key, name in _SINGLE.items():
        if key != "phone":
            where[key] = [i for i in by_name.get(name, []) if text_value(card.props[i], version).strip()][:1]
    where["tags"] = by_name.get("CATEGORIES", [])
    return where


def _phone(prop: Prop, version: str) -> str:
    return re.sub(r"^tel:", "", text_value(prop, version).strip(), flags=re.IGNORECASE)


def read_fields(card: Card) -> dict[str, Any]:
    props, version, where = card.props, card.version, card.where

    def first(key: str) -> str | None:
        return " ".join(text_value(props[where[key][0]], version).split()) if where[key] else None

    if where["fn"]:
        name = first("fn")
    elif where["n"]:
        parts = _components(_decoded(props[where["n"][0]]), ";") + [""] * 5
        family, given, additional, prefix, suffix = parts[:5]
        name = " ".join(" ".join(p for p in (prefix, given, additional, family, suffix) if p.strip()).split())
    else:
        name = None
    org = None
    if where["org"]:
        org = ", ".join(p.strip() for p in _components(_decoded(props[where["org"][0]]), ";") if p.strip())
    tags: list[str] = []
    for index in where["tags"]:
        tags += [t.strip() for t in _components(_decoded(props[index]), ",") if t.strip()]
    note = text_value(props[where["note"][0]], version).strip() if where["note"] else None
    return {
        "name": name or None,
        "emails": [text_value(props[i], version).strip() for i in where["emails"]],
        "phone": _phone(props[where["phone"][0]], version) if where["phone"] else None,
        "org": org or None,
        "role": first("role"),
        "url": text_value(props[where["url"][0]], version).strip() if where["url"] else None,
        "note": note or None,
        "birthday": birthday_of(first("birthday")),
        "tags": tags,
    }


def birthday_of(raw: str | None) -> str | None:
    """YYYY-MM-DD, --MM-DD without a year, else the text as written."""
    if not raw:
        return None
    digits = raw.split("T")[0].replace("-", "")
    if re.fullmatch(r"\d{8}", digits) and not raw.startswith("--"):
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    if re.fullmatch(r"--\d{2}-?\d{2}", raw):
        return f"--{digits[:2]}-{digits[2:]}"
    return raw


# ---- writing ---------------------------------------------------------------


def rewrite(card: Card, changes: Mapping[str, Any]) -> str:
    """The card's text with `changes` (field -> netcli's value) written in;
    the lines of every other field and property as they were."""
    # each property's place holds what is written there: itself, nothing, or new lines
    slots: list[list[Prop]] = [[prop] for prop in card.props]
    added: list[Prop] = []
    for key, value in changes.items():
        if key == "name":
            _set_name(card, slots, added, value)
        elif key == "emails":
            _set_emails(card, slots, added, list(value))
        elif key == "tags":
            _set_one(
                card, slots, added, "CATEGORIES", card.where["tags"], ",".join(_escape(t, card.version) for t in value)
            )
        elif key in _SINGLE:
            old = card.props[card.where[key][0]] if card.where[key] else None
            wire = _wire(key, value, old, card.version) if value not in (None, "") else None
            _set_one(card, slots, added, _SINGLE[key], card.where[key], wire)
        else:
            raise KeyError(key)
    props = _without_orphan_labels(card.props, [prop for slot in slots for prop in slot] + added)
    return Card(card.version, card.newline, card.begin, card.end, props, card.trailer or card.newline).text()


def _without_orphan_labels(before: list[Prop], after: list[Prop]) -> list[Prop]:
    """Apple's `itemN.X-ABLabel` lines go with the last property of their group."""
    labelled = {p.group for p in before if p.group and p.name != "X-ABLABEL"}
    left = {p.group for p in after if p.group and p.name != "X-ABLABEL"}
    return [p for p in after if not (p.name == "X-ABLABEL" and p.group in labelled - left)]


def _set_one(
    card: Card,
    slots: list[list[Prop]],
    added: list[Prop],
    name: str,
    spots: list[int],
    wire: str | None,
) -> None:
    """The property at the first spot (or a new one) holds `wire`; the other
    spots are emptied; None or "" removes them all."""
    old = card.props[spots[0]] if spots else None
    for index in spots:
        slots[index] = []
    if not wire:
        return
    new = _made(old, name, wire, card)
    if spots:
        slots[spots[0]] = [new]
    else:
        added.append(new)


def _wire(key: str, value: Any, old: Prop | None, version: str) -> str:
    """A field's value as its property writes it in this card's version."""
    text = str(value)
    if key == "phone" and old is not None and old.value.strip().lower().startswith("tel:"):
        return "tel:" + "-".join(text.split())  # a URI holds no spaces (RFC 3966 separates with -)
    if key == "birthday" and re.fullmatch(r"(\d{4}|-)-\d{2}-\d{2}", text):
        return text[:2] + text[2:].replace("-", "") if version == "4.0" else text
    if key == "url":
        return text
    return _escape(text, version)


def _set_name(card: Card, slots: list[list[Prop]], added: list[Prop], name: str) -> None:
    version = card.version
    given, _, family = name.rpartition(" ")
    structured = ";".join([_escape(family, version), _escape(given, version), "", "", ""])
    every_fn = [i for i, p in enumerate(card.props) if p.name == "FN"]
    _set_one(card, slots, added, "FN", card.where["fn"] or every_fn[:1], _escape(name, version))
    if card.where["n"] or version != "4.0":  # N is required before 4.0
        _set_one(card, slots, added, "N", card.where["n"], structured)


def _set_emails(card: Card, slots: list[list[Prop]], added: list[Prop], emails: list[str]) -> None:
    """The addresses in netcli's order, in the first one's place. A kept
    address keeps its line; a new one takes the group and TYPE of one that
    goes (an address corrected keeps its label); PREF stays only on the
    first, so that the card reads back in this order."""
    version, spots = card.version, card.where["emails"]
    held = {text_value(card.props[i], version).strip(): card.props[i] for i in spots}
    leaving = [card.props[i] for i in sorted(spots) if text_value(card.props[i], version).strip() not in emails]
    wanted = []
    for position, address in enumerate(emails):
        prop = held.get(address) or _made(leaving.pop(0) if leaving else None, "EMAIL", address, card)
        if position and prop.preferred:
            prop = _made(prop, "EMAIL", prop.value, card, drop_pref=True)
        wanted.append(prop)
    for index in spots:
        slots[index] = []
    if spots:
        slots[min(spots)] = wanted
    else:
        added.extend(wanted)


def _made(old: Prop | None, name: str, wire: str, card: Card, drop_pref: bool = False) -> Prop:
    """A property holding `wire` (the value as written), with the old one's
    group and parameters but for its encoding, which the new value sets. In
    a 2.1 card, text that is not plain ASCII on one line is quoted-printable."""
    group = old.group if old else ""
    kept = []
    for part in _split_params(old.params if old else ""):
        key, _, values = part.partition("=")
        if key.strip().upper() in ("ENCODING", "CHARSET") or part.strip().upper() in ("QUOTED-PRINTABLE", "BASE64"):
            continue
        if drop_pref and (part.strip().upper() == "PREF" or key.strip().upper() == "PREF"):
            continue
        if drop_pref and key.strip().upper() == "TYPE":
            rest = [v for v in values.split(",") if v.strip().upper() != "PREF"]
            if not rest:
                continue
            part = f"{key}={','.join(rest)}"
        kept.append(";" + part)
    params = "".join(kept)
    head = f"{group}.{name}" if group else name
    if card.version == "2.1" and (not wire.isascii() or "\n" in wire):
        encoded = quopri.encodestring(wire.encode("utf-8"), quotetabs=True).decode("ascii")
        encoded = encoded.replace("=\n", "").replace("\n", "=0D=0A")
        params += ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE"
        # one long line: soft line breaks are what vobject (and so khard) reads only when asked to
        return Prop(f"{head}{params}:{encoded}", group, name, params, encoded)
    return Prop(_fold(f"{head}{params}:{wire}", card.newline), group, name, params, wire)


def _escape(text: str, version: str) -> str:
    """Escaped as 3.0 and 4.0 ask; a 2.1 card too but for its line breaks
    (quoted-printable carries them), since vobject, and so khard, reads
    every version's commas and semicolons the 3.0 way."""
    if version == "2.1":
        return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str, newline: str) -> str:
    """Lines of at most 75 octets, each continuation starting with a space,
    never splitting a character."""
    if len(line.encode("utf-8")) <= _FOLD:
        return line
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > _FOLD:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return newline.join(pieces)


def new_card(values: Mapping[str, Any], *, uid: str, prodid: str) -> str:
    """A vCard 3.0 for a contact (CRLF line endings, folded at 75 octets)."""
    head = [Prop("VERSION:3.0", "", "VERSION", "", "3.0"), Prop(f"PRODID:{prodid}", "", "PRODID", "", prodid)]
    head.append(Prop(_fold(f"UID:{uid}", "\r\n"), "", "UID", "", uid))
    empty = Card(
        "3.0", "\r\n", "BEGIN:VCARD", "END:VCARD", head, "\r\n", where={key: [] for key in (*FIELDS, "fn", "n")}
    )
    return rewrite(empty, {key: values[key] for key in FIELDS if values.get(key) not in (None, "", [])})
