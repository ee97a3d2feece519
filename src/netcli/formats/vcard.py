"""vCard 2.1, 3.0 and 4.0 in (with vobject), vCard 3.0 out.

Cards are split by hand first so that each gets its own line number and a
broken card (no END:VCARD, a line vobject cannot read) is one bad record, not
a failed file. Photos and unknown properties are skipped. A card vobject
cannot read whole is read again property by property: what netcli uses and
vobject can read is kept, the rest dropped, so only a card without a name is
bad.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from netcli.formats import Parsed, read_parsed

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and newline stay: notes hold them
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
_BEGIN = re.compile(r"^begin:vcard\s*$", re.IGNORECASE)
_END = re.compile(r"^end:vcard\s*$", re.IGNORECASE)
X_FIELDS = {  # netcli's own fields, so that an exported card comes back whole
    "x-netcli-tier": "tier",
    "x-netcli-via": "via",
    "x-netcli-met-at": "met_at",
    "x-netcli-met-on": "met_on",
    "x-netcli-every": "cadence_days",
    "x-netcli-introduced-by": "introduced_by",
    "x-netcli-archived": "archived",
}


def read(path: Path) -> list[Parsed]:
    return read_parsed(path, parse)


def split_cards(text: str) -> Iterable[tuple[int, str | None, str | None]]:
    """(line, card text, error) for each BEGIN:VCARD ... END:VCARD."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start: int | None = None
    body: list[str] = []
    for number, line in enumerate(lines, 1):
        if _BEGIN.match(line.strip()):
            if start is not None:
                yield start, None, "card has no END:VCARD before the next BEGIN:VCARD"
            start, body = number, [line]
        elif start is not None:
            body.append(line)
            if _END.match(line.strip()):
                yield start, "\r\n".join(body) + "\r\n", None
                start, body = None, []
        elif line.strip():
            yield number, None, "text outside a BEGIN:VCARD ... END:VCARD card"
    if start is not None:
        yield start, None, "card has no END:VCARD"


def parse(text: str, *, source: str) -> list[Parsed]:
    parsed: list[Parsed] = []
    log = logging.getLogger("vobject")
    level, log.level = log.level, logging.CRITICAL  # vobject logs each line it skips; we say it once
    try:
        for line, card, error in split_cards(text):
            if card is None:
                parsed.append(Parsed(source, line, error=error))
                continue
            try:
                record = _read_card(card)
            except Exception as exc:  # vobject raises many kinds on malformed input
                parsed.append(Parsed(source, line, error=f"unreadable card: {_short(exc)}"))
                continue
            if not record.get("name"):
                parsed.append(Parsed(source, line, error="card has no name (FN or N)"))
                continue
            parsed.append(Parsed(source, line, record=record))
    finally:
        log.level = level
    if not parsed:
        parsed.append(Parsed(source, 1, error="no BEGIN:VCARD found: is this a vCard file?"))
    return parsed


_WANTED = {
    "FN",
    "N",
    "EMAIL",
    "TEL",
    "URL",
    "ORG",
    "TITLE",
    "ROLE",
    "NOTE",
    "CATEGORIES",
    "ADR",
    "BDAY",
    *(key.upper() for key in X_FIELDS),
    "X-NETCLI-TOPIC",
    "X-NETCLI-TOPICS",
}
_PROPERTY = re.compile(r"^(?:[\w-]+\.)?([\w-]+)")


def _read_card(card: str) -> dict[str, Any]:
    import vobject

    try:
        return _record(vobject.readOne(card))
    except Exception:  # a photo that is not base64, a charset nobody knows, a line with broken parameters...
        pass
    properties = _properties(card)
    version = next((p for p in properties if _name_of(p) == "VERSION"), "VERSION:3.0")
    kept = [good for p in properties if _name_of(p) in _WANTED and (good := _readable(version, p)) is not None]
    return _record(vobject.readOne(_card(version, kept), ignoreUnreadable=True))


def _properties(card: str) -> list[str]:
    """The card's properties, each with its folded lines (and 2.1's
    quoted-printable soft breaks) kept as written."""
    found: list[str] = []
    for line in card.split("\r\n"):
        soft_break = found and found[-1].endswith("=") and "QUOTED-PRINTABLE" in found[-1].split(":", 1)[0].upper()
        if found and (line[:1] in (" ", "\t") or soft_break):
            found[-1] += "\r\n" + line
        elif line.strip() and _name_of(line) not in ("BEGIN", "END"):
            found.append(line)
    return found


def _name_of(prop: str) -> str:
    match = _PROPERTY.match(prop)
    return match.group(1).upper() if match else ""


def _property_name(head: str) -> str:
    """A property's group and name without its parameters (`item1.TEL;TYPE=cell` -> `item1.TEL`).
    Only wanted properties get here, and their names match."""
    match = _PROPERTY.match(head)
    return match.group(0) if match else head


def _card(version: str, properties: list[str]) -> str:
    return "\r\n".join(["BEGIN:VCARD", version, *properties, "END:VCARD"]) + "\r\n"


def _readable(version: str, prop: str) -> str | None:
    """The property as written, else without its charset, else without any
    parameter: the first that vobject reads, or None."""
    import vobject

    head, _, value = prop.partition(":")
    for variant in (
        prop,
        re.sub(r";CHARSET=[^;:]*", "", head, flags=re.IGNORECASE) + ":" + value,
        _property_name(head) + ":" + value,
    ):
        try:
            _record(vobject.readOne(_card(version, [variant])))
            return variant
        except Exception:
            continue
    return None


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__


def _values(component: Any, name: str) -> list[Any]:
    return list(component.contents.get(name, []))


def _str(value: Any) -> str:
    """A property's value as text: base64 turned into bytes by vobject is
    decoded, control characters become spaces (netcli refuses them)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return _CONTROL.sub(" ", str(value))


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_str(v) for v in value if _str(v).strip())
    return _str(value)


def _preferred(lines: list[Any]) -> list[Any]:
    """PREF-marked values first (TYPE=PREF in 2.1/3.0, PREF=1 in 4.0)."""

    def rank(item: Any) -> int:
        params = {k.upper(): [str(v).upper() for v in vs] for k, vs in item.params.items()}
        return 0 if "PREF" in params.get("TYPE", []) or "PREF" in params or "1" in params.get("PREF", []) else 1

    return sorted(lines, key=rank)


def _name(component: Any) -> str:
    for item in _values(component, "fn"):
        if _str(item.value).strip():
            return " ".join(_str(item.value).split())
    for item in _values(component, "n"):
        n = item.value
        parts = [
            getattr(n, "prefix", ""),
            getattr(n, "given", ""),
            getattr(n, "additional", ""),
            getattr(n, "family", ""),
            getattr(n, "suffix", ""),
        ]
        name = " ".join(_text(p) for p in parts if _text(p).strip())
        if name.strip():
            return " ".join(name.split())
    return ""


def _record(component: Any) -> dict[str, Any]:
    found = [_str(e.value).strip() for e in _preferred(_values(component, "email")) if _str(e.value).strip()]
    emails = [e for e in found if _ADDRESS.fullmatch(e)] + [e for e in found if not _ADDRESS.fullmatch(e)]
    phones = [
        re.sub(r"^tel:", "", _str(t.value).strip(), flags=re.IGNORECASE)
        for t in _preferred(_values(component, "tel"))
        if _str(t.value).strip()
    ]
    urls = [_str(u.value).strip() for u in _values(component, "url") if _str(u.value).strip()]
    orgs = [_text(o.value) for o in _values(component, "org") if _text(o.value).strip()]
    roles = [" ".join(_str(t.value).split()) for t in _values(component, "title") + _values(component, "role")]
    notes = [_str(n.value).strip() for n in _values(component, "note") if _str(n.value).strip()]
    tags: list[str] = []
    for item in _values(component, "categories"):
        values = item.value if isinstance(item.value, list) else _str(item.value).split(",")
        tags += [_str(v).strip() for v in values if _str(v).strip()]
    location = None
    for item in _values(component, "adr"):
        adr = item.value
        place = ", ".join(p for p in (_text(getattr(adr, "city", "")), _text(getattr(adr, "country", ""))) if p.strip())
        if place:
            location = place
            break
    extra = []
    addresses = [e for e in emails if _ADDRESS.fullmatch(e)]  # every one is the contact's, in the card's order
    others = [e for e in emails if not _ADDRESS.fullmatch(e)]  # not addresses: kept where a person can read them
    if others:
        extra.append("Other emails: " + ", ".join(others))
    if len(phones) > 1:
        extra.append("Other phones: " + ", ".join(phones[1:]))
    record: dict[str, Any] = {
        "name": _name(component),
        "email": addresses[0] if addresses else None,
        "emails": addresses,
        "phone": phones[0] if phones else None,
        "org": orgs[0] if orgs else None,
        "role": next((r for r in roles if r), None),
        "location": location,
        "url": urls[0] if urls else None,
        "note": "\n\n".join(notes + extra) or None,
        "tags": tags,
        "birthday": _birthday(component),
    }
    for key, field in X_FIELDS.items():
        items = _values(component, key)
        if items and _str(items[0].value).strip():
            record[field] = _str(items[0].value).strip()
    # one X-NETCLI-TOPIC each (a topic may hold a comma); X-NETCLI-TOPICS is how older exports joined them
    topics = [_str(t.value).strip() for t in _values(component, "x-netcli-topic")]
    for joined in _values(component, "x-netcli-topics")[:1]:
        topics += [t.strip() for t in _str(joined.value).split(",")]
    if any(topics):
        record["topics"] = [t for t in topics if t]
    return record


def _birthday(component: Any) -> str | None:
    items = _values(component, "bday")
    if not items:
        return None
    raw = " ".join(_str(items[0].value).split())
    digits = raw.replace("-", "")
    if re.fullmatch(r"\d{8}", digits):
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    if re.fullmatch(r"--\d{2}-?\d{2}", raw):  # no year: --MMDD or --MM-DD
        return f"--{digits[:2]}-{digits[2:]}"
    return raw[:40] or None


def write(contacts: Iterable[dict[str, Any]]) -> Iterator[str]:
    """vCard 3.0, one card per contact (written as each is read), netcli's
    own fields as X- properties."""
    import vobject

    for c in contacts:
        card = vobject.vCard()
        card.add("fn").value = c["name"]
        given, _, family = c["name"].rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        for address in c.get("emails") or ([c["email"]] if c.get("email") else []):
            card.add("email").value = address
        for key, prop in (("phone", "tel"), ("url", "url"), ("role", "title"), ("note", "note")):
            if c.get(key):
                card.add(prop).value = c[key]
        if c.get("org"):
            card.add("org").value = [c["org"]]
        if c.get("location"):
            card.add("adr").value = vobject.vcard.Address(city=c["location"])
        if c.get("tags"):
            card.add("categories").value = list(c["tags"])
        if c.get("birthday"):
            card.add("bday").value = c["birthday"]
        for key, field in X_FIELDS.items():
            value = c.get(field if field != "cadence_days" else "own_cadence_days")
            if value not in (None, "", False):
                card.add(key).value = (
                    value.isoformat()
                    if isinstance(value, date)
                    else str(value).lower()
                    if value is True
                    else str(value)
                )
        for topic in c.get("topics") or ():
            card.add("x-netcli-topic").value = topic
        yield card.serialize()
