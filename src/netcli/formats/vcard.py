"""vCard 2.1, 3.0 and 4.0 in (with vobject), vCard 3.0 out.

Cards are split by hand first so that each gets its own line number and a
broken card (no END:VCARD, a line vobject cannot read) is one bad record, not
a failed file. Photos and unknown properties are skipped.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

from netcli.formats import Parsed, read_parsed

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
    import vobject

    parsed: list[Parsed] = []
    for line, card, error in split_cards(text):
        if card is None:
            parsed.append(Parsed(source, line, error=error))
            continue
        try:
            component = vobject.readOne(card, ignoreUnreadable=True)
            record = _record(component)
        except Exception as exc:  # vobject raises many kinds on malformed input
            parsed.append(Parsed(source, line, error=f"unreadable card: {_short(exc)}"))
            continue
        if not record.get("name"):
            parsed.append(Parsed(source, line, error="card has no name (FN or N)"))
            continue
        parsed.append(Parsed(source, line, record=record))
    if not parsed:
        parsed.append(Parsed(source, 1, error="no BEGIN:VCARD found: is this a vCard file?"))
    return parsed


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__


def _values(component: Any, name: str) -> list[Any]:
    return list(component.contents.get(name, []))


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value if str(v).strip())
    return str(value)


def _preferred(lines: list[Any]) -> list[Any]:
    """PREF-marked values first (TYPE=PREF in 2.1/3.0, PREF=1 in 4.0)."""

    def rank(item: Any) -> int:
        params = {k.upper(): [str(v).upper() for v in vs] for k, vs in item.params.items()}
        return 0 if "PREF" in params.get("TYPE", []) or "PREF" in params or "1" in params.get("PREF", []) else 1

    return sorted(lines, key=rank)


def _name(component: Any) -> str:
    for item in _values(component, "fn"):
        if str(item.value).strip():
            return " ".join(str(item.value).split())
    for item in _values(component, "n"):
        n = item.value
        parts = [getattr(n, "prefix", ""), getattr(n, "given", ""), getattr(n, "additional", ""),
                 getattr(n, "family", ""), getattr(n, "suffix", "")]  # fmt: skip
        name = " ".join(_text(p) for p in parts if _text(p).strip())
        if name.strip():
            return " ".join(name.split())
    return ""


def _record(component: Any) -> dict[str, Any]:
    emails = [str(e.value).strip() for e in _preferred(_values(component, "email")) if str(e.value).strip()]
    phones = [re.sub(r"^tel:", "", str(t.value).strip(), flags=re.IGNORECASE)
              for t in _preferred(_values(component, "tel")) if str(t.value).strip()]  # fmt: skip
    urls = [str(u.value).strip() for u in _values(component, "url") if str(u.value).strip()]
    orgs = [_text(o.value) for o in _values(component, "org") if _text(o.value).strip()]
    roles = [str(t.value).strip() for t in _values(component, "title") + _values(component, "role")]
    notes = [str(n.value).strip() for n in _values(component, "note") if str(n.value).strip()]
    tags: list[str] = []
    for item in _values(component, "categories"):
        values = item.value if isinstance(item.value, list) else str(item.value).split(",")
        tags += [str(v).strip() for v in values if str(v).strip()]
    location = None
    for item in _values(component, "adr"):
        adr = item.value
        place = ", ".join(p for p in (_text(getattr(adr, "city", "")), _text(getattr(adr, "country", ""))) if p.strip())
        if place:
            location = place
            break
    extra = []
    if len(emails) > 1:
        extra.append("Other emails: " + ", ".join(emails[1:]))
    if len(phones) > 1:
        extra.append("Other phones: " + ", ".join(phones[1:]))
    record: dict[str, Any] = {
        "name": _name(component),
        "email": emails[0] if emails else None,
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
        if items and str(items[0].value).strip():
            record[field] = str(items[0].value).strip()
    topics = _values(component, "x-netcli-topics")
    if topics:
        record["topics"] = [t.strip() for t in str(topics[0].value).split(",") if t.strip()]
    return record


def _birthday(component: Any) -> str | None:
    items = _values(component, "bday")
    if not items:
        return None
    raw = str(items[0].value).strip()
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
        for key, prop in (("email", "email"), ("phone", "tel"), ("url", "url"), ("role", "title"), ("note", "note")):
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
                card.add(key).value = value.isoformat() if isinstance(value, date) else str(value).lower() if value is True else str(value)
        if c.get("topics"):
            card.add("x-netcli-topics").value = ",".join(c["topics"])
        yield card.serialize()
