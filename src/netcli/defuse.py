"""What a terminal is shown of text someone else wrote: `defuse`.

A mail subject, a calendar title, a shared card or an edited backup may hold
characters a terminal obeys rather than shows: ESC and the other C0
controls (colours, titles, OSC 8 links, clearing the screen, answerback
requests), C1 controls (U+009B is a CSI of its own), bidi controls that
reorder what is read (U+202A-202E, U+2066-2069, the marks U+200E, U+200F,
U+061C), and invisible format characters (zero-width spaces, soft hyphens,
tag characters, Hangul fillers) that make one name look like another. The
doors (`netcli.text`) keep them out of what is stored; this is the exit,
and holds whatever the database holds: every human line netcli writes
passes through `defuse`, each such character is shown as a visible escape
(`\\x1b`, `\\u202e`) and none reaches the terminal. It escapes at least
what the doors remove (a test holds the two together). Text that holds none
comes back unchanged. JSON keeps every character (`defuse_json` writes them
as `\\u` escapes, which read back the same). The joiners ZWJ and ZWNJ
(emoji, Indic and Persian scripts) stay: they shape text, they do not steer
the terminal.

Pure text, importing nothing heavy: the fast paths (`--brief`, a kept
sync) use it without Rich.
"""

from __future__ import annotations

import re

# C0 but tab and newline, DEL and C1, surrogates (a file name's undecodable
# bytes), format characters (Cf) but the joiners, the line and paragraph
# separators, and the Hangul fillers (letters that draw nothing).
_HIDDEN = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
    "\u200b\u200e-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ud800-\udfff\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_LINES = re.compile(f"[{_HIDDEN}]")
_ONE_LINE = re.compile(f"[{_HIDDEN}\t\n]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_FILLERS = re.compile("[\u115f\u1160\u3164\uffa0]")  # letters to Python (printable) that draw nothing


def plain(text: str) -> bool:
    """Whether `defuse` would give `text` back unchanged, told fast (a pass
    in C): nearly every name and note is plain."""
    return text.isprintable() and (text.isascii() or not _FILLERS.search(text))


def _visible(match: re.Match[str]) -> str:
    """`\\x1b`, `\\u202e`, `\\U000e0041`: the character as Python would write it."""
    ch = match.group()
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def defuse(text: str, *, one_line: bool = False) -> str:
    """`text` as a terminal may be given it: every control, bidi override or
    isolate and invisible format character written as a visible escape.
    `one_line`: tabs and line breaks too (a table cell, a one-line list, a
    name)."""
    if plain(text):
        return text
    return (_ONE_LINE if one_line else _LINES).sub(_visible, text)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def defuse_json(encoded: str) -> str:
    """A JSON text with the characters `defuse` would escape written as
    `\\u` escapes: the same document to any JSON reader, nothing a terminal
    obeys. (The encoder escapes C0 itself; outside strings JSON holds ASCII
    only, so every one found is inside a string.)"""
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded
    # indented JSON breaks lines between values, never inside strings
    if all(map(str.isprintable, encoded.split("\n"))) and not _FILLERS.search(encoded):
        return encoded
    return _LINES.sub(_json_escape, encoded)
