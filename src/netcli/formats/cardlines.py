"""One line of a vCard: a property as written (`Prop`), its parameters,
its value decoded (quoted-printable, base64, a charset) and unescaped as the
card's version escapes, and a value encoded, escaped and folded the way that
version writes it. `formats.card` builds cards of these lines. No I/O.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_NAME = re.compile(r"(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)")
_HEAD = re.compile(r'(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)((?:;(?:[^";:]|"[^"]*")*)*):')
_ESCAPE = re.compile(r"\\([\\,;nN])")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and newline are text; the rest is not
FOLD = 75  # octets per line, as RFC 6350 and 2426 ask
NO_PREF = 101  # PREF runs from 1 (most preferred) to 100


@dataclass(slots=True)
class Prop:
    """One property as written: `raw` holds its physical lines (folds kept)
    without the final line ending. A line that is no property has no name:
    it is kept as written and read as nothing."""

    raw: str
    group: str
    name: str  # upper case
    params: str  # as written, from the first ';' (or ""), unfolded
    value: str  # as written, unfolded, still escaped and encoded
    text: str | None = field(default=None, compare=False)  # the value as read, once read (`Card.read`)
    _params: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def param_values(self, key: str) -> list[str]:
        """The values of a parameter (upper case); a bare 2.1 `;PREF` counts as TYPE=PREF."""
        if self._params is None:
            self._params = {}
            for part in split_params(self.params):
                name, eq, value = part.partition("=")
                if not eq:
                    name, value = "TYPE", name
                values = [v.strip().strip('"').upper() for v in value.split(",")]
                self._params.setdefault(name.strip().upper(), []).extend(values)
        return self._params.get(key, [])

    @property
    def rank(self) -> int:
        """1 for the most preferred value (TYPE=PREF, PREF=1) up to 100; 101 without PREF."""
        if "PREF" in self.param_values("TYPE"):
            return 1
        ranks = [int(v) for v in self.param_values("PREF") if v.isdigit()]
        return min(ranks) if ranks else (1 if self.param_values("PREF") else NO_PREF)

    @property
    def preferred(self) -> bool:
        return self.rank < NO_PREF


def logical_lines(text: str) -> tuple[str, list[list[str]], str]:
    """A card's line ending, its properties' physical lines (folds and 2.1's
    quoted-printable soft breaks joined to the line they continue), and what
    follows its last line."""
    newline = "\r\n" if "\r\n" in text else "\n"
    logical: list[list[str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        previous = logical[-1] if logical else None
        if previous and line[:1] in (" ", "\t"):
            previous.append(line)
        elif previous and previous[-1].endswith("=") and quoted_printable(previous[0]):
            previous.append(line)  # a 2.1 quoted-printable soft break
        else:
            logical.append([line])
    while logical and not "".join(logical[-1]).strip():
        logical.pop()
    return newline, logical, newline if text.endswith(("\n", "\r")) else ""


def prop_of(lines: list[str], newline: str) -> Prop:
    soft_breaks = quoted_printable(lines[0])
    parts = [lines[0]]
    for line in lines[1:]:
        if soft_breaks and parts[-1].endswith("="):
            parts[-1] = parts[-1][:-1]  # a soft break
            parts.append(line)
        else:
            parts.append(line[1:])  # a fold: the line ending and one space or tab
    unfolded = "".join(parts)
    raw = newline.join(lines)
    match = _HEAD.match(unfolded)
    if match:
        return Prop(raw, match[1] or "", match[2].upper(), match[3], unfolded[match.end() :])
    name = _NAME.match(unfolded)  # a quote left open in the parameters: the value starts at the first ':'
    colon = unfolded.find(":", name.end()) if name else -1
    if name and colon > 0 and unfolded[name.end() : name.end() + 1] == ";":
        return Prop(raw, name[1] or "", name[2].upper(), unfolded[name.end() : colon], unfolded[colon + 1 :])
    return Prop(raw, "", "", "", "")


def split_params(params: str) -> list[str]:
    if '"' not in params:
        return [part for part in params.split(";") if part]
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


def quoted_printable(first_line: str) -> bool:
    return "QUOTED-PRINTABLE" in first_line.split(":", 1)[0].upper()


def decoded(prop: Prop) -> str:
    """The value with a quoted-printable or base64 encoding undone."""
    if not prop.params:
        return prop.value
    encoding = prop.param_values("ENCODING") + prop.param_values("TYPE")
    if "QUOTED-PRINTABLE" in encoding or "QP" in encoding:
        raw = quopri.decodestring(prop.value.encode("utf-8"))
        for charset in (*prop.param_values("CHARSET")[:1], "UTF-8"):
            try:
                return raw.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
        return raw.decode("latin-1")
    if "B" in encoding or "BASE64" in encoding:
        try:
            return base64.b64decode(prop.value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return prop.value
    return prop.value


def unescape(text: str) -> str:
    """`\\n` is a line break, `\\\\` `\\,` `\\;` are the character; any other
    backslash (`C:\\temp`, a lone one at the end) is itself, as vCard says."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def components(text: str, separator: str) -> list[str]:
    """Split on unescaped separators, then unescape each part."""
    if "\\" not in text:
        return text.split(separator)
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
    return [unescape(p) for p in parts]


def as_text(value: str) -> str:
    """A value as read: line breaks as `\\n`, other control characters as spaces."""
    return CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    return " ".join(text.split())


def made(
    old: Prop | None,
    name: str,
    wire: str,
    version: str,
    newline: str,
    *,
    drop_pref: bool = False,
    drop: Iterable[str] = (),
    add: str = "",
) -> Prop:
    """A property holding `wire` (the value as written), with the old one's
    group and parameters but for its encoding, which the new value sets, and
    those in `drop`. In a 2.1 card, text that is not plain ASCII on one line
    is quoted-printable."""
    group = old.group if old else ""
    dropped = {"ENCODING", "CHARSET", *drop}
    kept = []
    for part in split_params(old.params if old else ""):
        key, eq, values = part.partition("=")
        key = key.strip().upper()
        if key in dropped or (not eq and key in ("QUOTED-PRINTABLE", "BASE64", "8BIT")):
            continue
        if drop_pref and key == "PREF":  # 4.0's PREF=1, or 2.1's bare PREF
            continue
        if drop_pref and eq and key == "TYPE":
            rest = [v for v in values.split(",") if v.strip().strip('"').upper() != "PREF"]
            if not rest:
                continue
            part = f"{part.partition('=')[0]}={','.join(rest)}"
        kept.append(";" + part)
    params = "".join(kept) + add
    head = f"{group}.{name}" if group else name
    if version == "2.1" and (not wire.isascii() or "\n" in wire):
        encoded = quopri.encodestring(wire.encode("utf-8"), quotetabs=True).decode("ascii")
        encoded = encoded.replace("=\n", "").replace("\n", "=0D=0A")
        params += ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE"
        # one long line: soft line breaks are what vobject (and so khard) reads only when asked to
        return Prop(f"{head}{params}:{encoded}", group, name, params, encoded)
    return Prop(fold(f"{head}{params}:{wire}", newline), group, name, params, wire)


def _writable(text: str) -> str:
    """What a card's value may hold: line breaks as `\\n`, tabs, no other control character."""
    return CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def clean_url(text: str) -> str:
    """A URI (or a phone) as written: on one line, no control character."""
    return CONTROL.sub("", str(text).replace("\n", ""))


def escape(text: str, version: str) -> str:
    """Escaped as 3.0 and 4.0 ask; a 2.1 card too but for its line breaks
    (quoted-printable carries them), since vobject, and so khard, reads
    every version's commas and semicolons the 3.0 way."""
    text = _writable(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text if version == "2.1" else text.replace("\n", "\\n")


def fold(line: str, newline: str) -> str:
    """Lines of at most 75 octets, each continuation starting with a space,
    never splitting a character."""
    if len(line) <= FOLD and line.isascii():
        return line
    if line.isascii():
        return newline.join([line[:FOLD]] + [" " + line[i : i + FOLD - 1] for i in range(FOLD, len(line), FOLD - 1)])
    if len(line.encode("utf-8")) <= FOLD:
        return line
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > FOLD:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return newline.join(pieces)


def without_orphan_labels(before: list[Prop], after: list[Prop]) -> list[Prop]:
    """Apple's `itemN.X-ABLabel` lines go with the last property of their group."""
    labelled = {p.group for p in before if p.group and p.name != "X-ABLABEL"}
    left = {p.group for p in after if p.group and p.name != "X-ABLABEL"}
    return [p for p in after if not (p.name == "X-ABLABEL" and p.group in labelled - left)]
