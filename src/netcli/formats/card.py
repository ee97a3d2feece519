"""The one vCard class: every card netcli reads, edits or writes.

`Card.parse` splits one card (2.1, 3.0 or 4.0) into its lines as written
(`formats.cardlines`). `Card.fields()` reads what netcli models into one
plain record, whichever command reads the card: name (FN, else N), every
address and every phone in PREF order (a `tel:` URI read as its number),
org, role (TITLE, else ROLE), url, note, birthday (`YYYY-MM-DD`, `--MM-DD`
without a year), tags (CATEGORIES), uid, location (ADR's city and country),
netcli's `X-NETCLI-…`. Each field's setter sits beside its getter:
`Card.edited(changes)` rewrites the lines of the fields given and keeps every
other line byte for byte (PHOTO, a second TEL, a line nobody can read), each
value written as the card's version writes it; `new_card` writes a new card.
Values come out as the card holds them: judging them and merging is the
caller's. One parser, no vobject, no file, no database; at most 4 MB a card."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from netcli import __version__
from netcli.errors import NotACard
from netcli.formats.cardlines import (
    Prop,
    as_text,
    clean_url,
    components,
    decoded,
    escape,
    fold,
    logical_lines,
    made,
    one_line,
    prop_of,
    unescape,
    without_orphan_labels,
)
from netcli.reading import CARD

MAX_CARD_BYTES = CARD  # one card (netcli.reading holds every limit)
PRODID = f"-//netcli//netcli {__version__}//EN"
FIELDS = ("name", "emails", "phone", "org", "role", "url", "note", "birthday", "tags")  # what sync keeps in step
X_FIELDS = {  # netcli's own fields, so that an exported card comes back whole
    "X-NETCLI-TIER": "tier",
    "X-NETCLI-VIA": "via",
    "X-NETCLI-MET-AT": "met_at",
    "X-NETCLI-MET-ON": "met_on",
    "X-NETCLI-EVERY": "cadence_days",
    "X-NETCLI-INTRODUCED-BY": "introduced_by",
    "X-NETCLI-ARCHIVED": "archived",
}
OMIT_YEAR = "1604"  # Apple's year for "no year": a leap year, so --02-29 is a day too
_SINGLE = {"ORG": "org", "URL": "url", "BDAY": "birthday"}  # property -> field: the first one that holds text
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
_DAY = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?")
_MONTH_DAY = re.compile(r"--(\d{2})-?(\d{2})(?:T.*)?")


@dataclass(slots=True)
class CardFields:
    """What a card says about a person, as the card holds it (not yet judged)."""

    name: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    org: str | None = None
    role: str | None = None
    url: str | None = None
    note: str | None = None
    birthday: str | None = None
    tags: list[str] = field(default_factory=list)
    uid: str | None = None
    location: str | None = None
    netcli: dict[str, str] = field(default_factory=dict)  # X_FIELDS' fields an exported card carries
    topics: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)

    @property
    def phone(self) -> str | None:
        return self.phones[0] if self.phones else None

    def record(self) -> dict[str, Any]:
        """The fields as a contact record: `email` and `phone` are the first of each."""
        found: dict[str, Any] = {
            "name": self.name,
            "email": self.emails[0] if self.emails else None,
            "emails": list(self.emails),
            "phone": self.phone,
            "phones": list(self.phones),
            "org": self.org,
            "role": self.role,
            "location": self.location,
            "url": self.url,
            "note": self.note,
            "birthday": self.birthday,
            "tags": list(self.tags),
            "uid": self.uid,
            **self.netcli,
        }
        return found | {key: list(getattr(self, key)) for key in _REPEATED if getattr(self, key)}  # held ones only


class Card:
    """One vCard: its properties as written, its fields, and its edits."""

    __slots__ = ("_where", "begin", "end", "newline", "props", "trailer", "version")

    def __init__(self, version: str, newline: str, begin: str, end: str, props: list[Prop], trailer: str = "") -> None:
        self.version = version  # "2.1", "3.0" or "4.0"
        self.newline = newline
        self.begin, self.end = begin, end  # the BEGIN and END lines as written
        self.props = props
        self.trailer = trailer  # what followed END:VCARD (a final line ending, blank lines)
        self._where: dict[str, list[int]] | None = None

    @classmethod
    def parse(cls, data: bytes | str) -> Card:
        """One card from its bytes (UTF-8, a byte-order mark allowed) or text; `NotACard` saying why not."""
        if len(data) > MAX_CARD_BYTES:
            raise NotACard(too_big())
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise NotACard("is not UTF-8 text; save it as UTF-8") from None
        return _parse(data.removeprefix("\ufeff"))

    def text(self) -> str:
        lines = [self.begin, *(p.raw for p in self.props), self.end]
        return self.newline.join(lines) + self.trailer

    @property
    def uid(self) -> str | None:
        uids = [one_line(self.read(p)) for p in self.props if p.name == "UID"]
        return uids[0] or None if uids else None

    def read(self, prop: Prop) -> str:
        """A text property's value: decoded, unescaped as this card's version
        escapes, line breaks as `\\n`, other control characters as spaces."""
        if prop.text is None:
            value = decoded(prop)
            if self.version != "2.1" or "\\" in value:  # 2.1 escapes little; a backslash says it did
                value = unescape(value)
            prop.text = as_text(value)
        return prop.text

    def parts(self, prop: Prop, separator: str) -> list[str]:
        """A structured (`;`) or listed (`,`) value's parts, each unescaped."""
        return [as_text(part) for part in components(decoded(prop), separator)]

    @property
    def where(self) -> dict[str, list[int]]:
        """Field -> the indexes of the properties that hold it, in the order they are read."""
        if self._where is None:
            self._where = _where(self)
        return self._where

    def fields(self) -> CardFields:
        found = CardFields()
        for key, getter in _GETTERS.items():
            setattr(found, key, getter(self))
        return found

    def edited(self, changes: Mapping[str, Any]) -> str:
        """The card's text with `changes` (field -> value, None or empty to
        remove) written in; every other line as it was."""
        edit = _Edit(self)
        for key, value in changes.items():
            _SETTERS[key](self, edit, value)  # KeyError: no such field
        return edit.text()


def too_big() -> str:
    return f"is larger than {MAX_CARD_BYTES // 2**20} MB, netcli's limit for one card"


# ---- reading a card --------------------------------------------------------


def _parse(text: str) -> Card:
    newline, logical, trailer = logical_lines(text)
    if not logical or logical[0][0].strip().upper() != "BEGIN:VCARD":
        raise NotACard("does not start with BEGIN:VCARD")
    if len(logical) < 2 or logical[-1][0].strip().upper() != "END:VCARD":
        raise NotACard("does not end with END:VCARD")
    props = [prop_of(lines, newline) for lines in logical[1:-1]]
    if any(p.name in ("BEGIN", "END") for p in props):
        raise NotACard("holds more than one card (one card per file, as a vdir keeps them)")
    versions = [p.value.strip() for p in props if p.name == "VERSION"]
    version = versions[0] if versions else "3.0"
    if version not in ("2.1", "3.0", "4.0"):
        raise NotACard(f"has VERSION:{version[:10]} (netcli reads vCard 2.1, 3.0 and 4.0)")
    return Card(version, newline, logical[0][0], logical[-1][0], props, trailer)


def _where(card: Card) -> dict[str, list[int]]:
    by_name: dict[str, list[int]] = {}
    for index, prop in enumerate(card.props):
        by_name.setdefault(prop.name, []).append(index)

    def filled(name: str) -> list[int]:
        return [i for i in by_name.get(name, []) if card.read(card.props[i]).strip()]

    def by_rank(indexes: list[int]) -> list[int]:
        return sorted(indexes, key=lambda i: card.props[i].rank)

    where = {"fn": filled("FN")[:1], "n": by_name.get("N", [])[:1]}
    where["name"] = where["fn"] or where["n"]
    # every EMAIL is read (the email cleaner names one that is no address); a
    # rewrite puts addresses only where addresses were: the rest stays as it was
    where["given_emails"] = by_rank(filled("EMAIL"))
    where["emails"] = [i for i in where["given_emails"] if _ADDRESS.fullmatch(card.read(card.props[i]).strip())]
    where["phones"] = by_rank([i for i in filled("TEL") if _number(card, card.props[i])])
    where["phone"] = where["phones"][:1]
    where["role"] = (filled("TITLE") or filled("ROLE"))[:1]
    where["note"] = filled("NOTE")
    where["tags"] = by_name.get("CATEGORIES", [])
    where["location"] = by_name.get("ADR", [])[:1]
    where |= {key: by_name.get(name, []) for key, (name, _) in _REPEATED.items()}
    for name, key in {**_SINGLE, **X_FIELDS}.items():
        where[key] = filled(name)[:1]
    return where


def _number(card: Card, prop: Prop) -> str:
    return re.sub(r"^tel:", "", card.read(prop).strip(), flags=re.IGNORECASE)


# ---- the fields: each one's getter, then its setter -------------------------


def _get_name(card: Card) -> str | None:
    where = card.where
    if where["fn"]:
        return one_line(card.read(card.props[where["fn"][0]])) or None
    if where["n"]:
        family, given, additional, prefix, suffix = (card.parts(card.props[where["n"][0]], ";") + [""] * 5)[:5]
        return one_line(" ".join((prefix, given, additional, family, suffix))) or None
    return None


def _set_name(card: Card, edit: _Edit, name: str | None) -> None:
    version = card.version
    name = one_line(name or "")
    given, _, family = name.rpartition(" ")
    structured = ";".join([escape(family, version), escape(given, version), "", "", ""]) if name else None
    every_fn = [i for i, p in enumerate(card.props) if p.name == "FN"]
    edit.put("FN", card.where["fn"] or every_fn[:1], escape(name, version))
    if card.where["n"] or version != "4.0":  # N is required before 4.0
        edit.put("N", card.where["n"], structured)


def _get_emails(card: Card) -> list[str]:
    return [card.read(card.props[i]).strip() for i in card.where["given_emails"]]


def _set_all(card: Card, edit: _Edit, given: Iterable[str] | None, *, name: str = "EMAIL", key: str = "emails") -> None:
    """The addresses (or a new card's numbers) in this order, in the first one's place. A kept one keeps its
    line; a new one takes the group and TYPE of one that goes (an address corrected keeps its label); PREF
    stays only on the first, so that the card reads back in this order."""
    order = [one_line(e) for e in given or () if one_line(e)]
    spots = card.where[key]
    held = {card.read(card.props[i]).strip(): card.props[i] for i in spots}
    leaving = [card.props[i] for i in sorted(spots) if card.read(card.props[i]).strip() not in order]
    wanted = []
    for position, value in enumerate(order):
        wire = escape(value, card.version)
        prop = held.get(value) or edit.line(leaving.pop(0) if leaving else None, name, wire)
        wanted.append(edit.line(prop, name, wire, drop_pref=True) if position and prop.preferred else prop)
    edit.place(spots, wanted)


def _get_phones(card: Card) -> list[str]:
    return [_number(card, card.props[i]) for i in card.where["phones"]]


def _set_phone(card: Card, edit: _Edit, phone: str | None) -> None:
    """The first phone; clearing it leaves the card's next TEL first."""
    spots = card.where["phone"]
    old = card.props[spots[0]] if spots else None
    text = clean_url(phone or "").strip()
    if text and old is not None and old.value.strip().lower().startswith("tel:"):
        wire = "tel:" + "-".join(text.split())  # a URI holds no spaces (RFC 3966 separates with -)
    else:
        wire = escape(text, card.version)
    edit.put("TEL", spots, wire)


def _get_org(card: Card) -> str | None:
    if not card.where["org"]:
        return None
    return ", ".join(p.strip() for p in card.parts(card.props[card.where["org"][0]], ";") if p.strip()) or None


def _set_text(name: str, key: str) -> Callable[[Card, _Edit, Any], None]:
    """The setter of a text field (ORG, TITLE, NOTE, X-NETCLI-…)."""

    def setter(card: Card, edit: _Edit, value: Any) -> None:
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = "true" if value else None
        text = "" if value is None else str(value).strip()
        edit.put(name, card.where[key], escape(text, card.version))

    return setter


def _get_role(card: Card) -> str | None:
    return one_line(card.read(card.props[card.where["role"][0]])) if card.where["role"] else None


def _get_url(card: Card) -> str | None:
    return card.read(card.props[card.where["url"][0]]).strip() if card.where["url"] else None


def _set_url(card: Card, edit: _Edit, url: str | None) -> None:
    edit.put("URL", card.where["url"], clean_url(url or "").strip())  # a URI: written as it is, not escaped


def _get_note(card: Card) -> str | None:
    """Every NOTE, a blank line between two (a rewrite writes them as one)."""
    return "\n\n".join(card.read(card.props[i]).strip() for i in card.where["note"]) or None


def _get_birthday(card: Card) -> str | None:
    """`YYYY-MM-DD`, `--MM-DD` without a year (4.0's `--MMDD`, Apple's year
    1604 or the year its `X-APPLE-OMIT-YEAR` names), else the text as written."""
    if not card.where["birthday"]:
        return None
    prop = card.props[card.where["birthday"][0]]
    raw = one_line(card.read(prop))
    day = _DAY.fullmatch(raw)
    if day and day[1] in (OMIT_YEAR, *prop.param_values("X-APPLE-OMIT-YEAR")):
        return f"--{day[2]}-{day[3]}"
    if day:
        return f"{day[1]}-{day[2]}-{day[3]}"
    month_day = _MONTH_DAY.fullmatch(raw)
    return f"--{month_day[1]}-{month_day[2]}" if month_day else raw


def _set_birthday(card: Card, edit: _Edit, birthday: str | None) -> None:
    """A day as this version writes it: 4.0 `19850315` and `--0315`; before
    4.0, which has no year-less form, a year-less day in Apple's year with
    `X-APPLE-OMIT-YEAR` (vobject and khard read it as a date; Apple as no year)."""
    text = one_line(birthday or "")
    day, month_day = _DAY.fullmatch(text), _MONTH_DAY.fullmatch(text)
    drop = {"X-APPLE-OMIT-YEAR", "VALUE"}
    if card.version == "4.0" and (day or month_day):
        wire = f"{day[1]}{day[2]}{day[3]}" if day else f"--{month_day[1]}{month_day[2]}"  # type: ignore[index]
        edit.put("BDAY", card.where["birthday"], wire, drop=drop)
    elif day:
        edit.put("BDAY", card.where["birthday"], f"{day[1]}-{day[2]}-{day[3]}", drop=drop)
    elif month_day:
        wire = f"{OMIT_YEAR}-{month_day[1]}-{month_day[2]}"
        edit.put("BDAY", card.where["birthday"], wire, drop=drop, add=f";X-APPLE-OMIT-YEAR={OMIT_YEAR}")
    else:  # text that names no day: as text (4.0 says so)
        add = ";VALUE=text" if card.version == "4.0" else ""
        edit.put("BDAY", card.where["birthday"], escape(text, card.version), drop=drop, add=add)


def _get_tags(card: Card) -> list[str]:
    return [t.strip() for i in card.where["tags"] for t in card.parts(card.props[i], ",") if t.strip()]


def _set_tags(card: Card, edit: _Edit, tags: Iterable[str] | None) -> None:
    wire = ",".join(escape(t.strip(), card.version) for t in tags or () if t.strip())
    edit.put("CATEGORIES", card.where["tags"], wire)


def _get_location(card: Card) -> str | None:
    """ADR's city and country (the first address that names either)."""
    for prop in (p for p in card.props if p.name == "ADR"):
        parts = [*card.parts(prop, ";"), *[""] * 7]
        place = ", ".join(p for p in (one_line(parts[3]), one_line(parts[6])) if p)
        if place:
            return place
    return None


def _set_location(card: Card, edit: _Edit, location: str | None) -> None:
    """The location as the first address's city (its country cleared, since
    the location reads as city and country); the street and the rest kept."""
    spots = card.where["location"]
    parts = [*card.parts(card.props[spots[0]], ";"), *[""] * 7][:7] if spots else [""] * 7
    parts[3], parts[6] = one_line(location or ""), ""
    wire = ";".join(escape(p, card.version) for p in parts) if any(parts) else None
    edit.put("ADR", spots, wire)


def _get_netcli(card: Card) -> dict[str, str]:
    return {key: one_line(card.read(card.props[card.where[key][0]])) for key in X_FIELDS.values() if card.where[key]}


# lists of netcli's own, one property per item (a topic may hold a comma): (property, how older exports joined them)
_REPEATED = {"topics": ("X-NETCLI-TOPIC", "X-NETCLI-TOPICS"), "handles": ("X-NETCLI-HANDLE", "")}


def _get_repeated(card: Card, *, key: str) -> list[str]:
    items = [card.read(card.props[i]).strip() for i in card.where[key]]
    for prop in [p for p in card.props if p.name == _REPEATED[key][1]][:1]:
        items += [t.strip() for t in card.read(prop).split(",")]
    return [t for t in items if t]


def _set_repeated(card: Card, edit: _Edit, items: Iterable[str] | None, *, key: str) -> None:
    spots = card.where[key] + [i for i, p in enumerate(card.props) if p.name == _REPEATED[key][1]]
    edit.place(spots, [edit.line(None, _REPEATED[key][0], escape(t.strip(), card.version)) for t in items or ()])


_GETTERS: dict[str, Callable[[Card], Any]] = {
    "name": _get_name,
    "emails": _get_emails,
    "phones": _get_phones,
    "org": _get_org,
    "role": _get_role,
    "url": _get_url,
    "note": _get_note,
    "birthday": _get_birthday,
    "tags": _get_tags,
    "uid": lambda card: card.uid,
    "location": _get_location,
    "netcli": _get_netcli,
    **{key: partial(_get_repeated, key=key) for key in _REPEATED},
}


_SETTERS: dict[str, Callable[[Card, _Edit, Any], None]] = {
    "name": _set_name,
    "emails": _set_all,
    "phone": _set_phone,  # sync keeps the first number in step; a new card (`export vcard`) takes every one
    "phones": partial(_set_all, name="TEL", key="phones"),
    "org": _set_text("ORG", "org"),
    "role": _set_text("TITLE", "role"),
    "url": _set_url,
    "note": _set_text("NOTE", "note"),
    "birthday": _set_birthday,
    "tags": _set_tags,
    "location": _set_location,
    **{key: partial(_set_repeated, key=key) for key in _REPEATED},
    **{key: _set_text(name, key) for name, key in X_FIELDS.items()},
}


# ---- writing ------------------------------------------------------------------


class _Edit:
    """The card's properties as they will be written: each old property's
    place holds itself, nothing, or its replacements; new ones go last."""

    def __init__(self, card: Card) -> None:
        self.card = card
        self.slots: list[list[Prop]] = [[prop] for prop in card.props]
        self.added: list[Prop] = []

    def put(self, name: str, spots: list[int], wire: str | None, **options: Any) -> None:
        """The property at the first spot (or a new one) holds `wire`; the
        other spots are emptied; None or "" removes them all."""
        card = self.card
        old = card.props[spots[0]] if spots else None
        for index in spots:
            self.slots[index] = []
        if not wire:
            return
        self.place(spots[:1], [self.line(old, old.name if old else name, wire, **options)])

    def place(self, spots: list[int], props: list[Prop]) -> None:
        """`props` in the first spot (or last, when there is none); the other spots emptied."""
        for index in spots:
            self.slots[index] = []
        if spots:
            self.slots[min(spots)] = props
        else:
            self.added.extend(props)

    def line(self, old: Prop | None, name: str, wire: str, **options: Any) -> Prop:
        return made(old, name, wire, self.card.version, self.card.newline, **options)

    def text(self) -> str:
        card = self.card
        props = without_orphan_labels(card.props, [p for slot in self.slots for p in slot] + self.added)
        return Card(card.version, card.newline, card.begin, card.end, props, card.trailer or card.newline).text()


def new_card(values: Mapping[str, Any], *, uid: str | None, prodid: str | None, version: str = "3.0") -> str:
    """A card for fields (CRLF line endings, folded at 75 octets): VERSION,
    PRODID and UID first, then each field with a value, in `values`' order."""
    head = [Prop(f"VERSION:{version}", "", "VERSION", "", version)]
    if prodid:
        head.append(Prop(fold(f"PRODID:{escape(prodid, version)}", "\r\n"), "", "PRODID", "", prodid))
    if uid:
        head.append(Prop(fold(f"UID:{escape(uid, version)}", "\r\n"), "", "UID", "", uid))
    empty = Card(version, "\r\n", "BEGIN:VCARD", "END:VCARD", head, "\r\n")
    return empty.edited({key: value for key, value in values.items() if value not in (None, "", [], (), False)})
