"""What stored text may hold, decided once for every door (typing, imports,
capture, sync, merge, backups): pure, importing nothing.

Text comes from strangers (a mail's From and Subject, a calendar's SUMMARY,
a shared card's NOTE, a chat export). None of it may carry what steers a
terminal or hides what a line says:

- no C0 control characters (ESC, BEL, CR...) and no DEL, but a tab and a
  newline in multi-line text (a note); a CR or CRLF there becomes a newline;
- no C1 control characters (U+0080-U+009F: a lone U+009B is a CSI);
- no bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F,
  U+061C), which reorder what a line appears to say;
- no invisible format characters (zero-width space, word joiner, BOM, soft
  hyphen, ...) but the zero-width joiner and non-joiner, which emoji and
  several scripts need between visible characters.

What is removed is removed, not refused: a stray control character in a
name from a card or a mail header says nothing the person meant. The
renderers (`netcli.render`) defuse anything that reaches a terminal anyway.
"""

from __future__ import annotations

import re
import unicodedata

# joiners kept: emoji sequences, Persian and Indic scripts need them
_KEPT_FORMAT = frozenset("\u200c\u200d")
_CONTROL_OR_FORMAT = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")


def _is_removed(ch: str) -> bool:
    if ch in _KEPT_FORMAT:
        return False
    category = unicodedata.category(ch)
    return category == "Cc" or category == "Cf"


def plain_line(text: str) -> str:
    """One line of text as it may be stored: every control and invisible
    format character gone, tabs and line breaks as single spaces, runs of
    white space as one, trimmed."""
    text = _LINE_BREAKS.sub(" ", str(text)).replace("\t", " ")
    if _needs_cleaning(text):
        text = "".join(ch for ch in text if not _is_removed(ch))
    return " ".join(text.split())


def plain_lines(text: str) -> str:
    """Multi-line text (a note) as it may be stored: line breaks as `\\n`
    (CRLF and lone CR included), tabs kept, every other control and
    invisible format character gone, white space around the whole trimmed."""
    text = _LINE_BREAKS.sub("\n", str(text))
    if _needs_cleaning(text.replace("\n", "").replace("\t", "")):
        text = "".join(ch for ch in text if ch in "\n\t" or not _is_removed(ch))
    return text.strip()


def _needs_cleaning(text: str) -> bool:
    """A fast test (one regex scan) before the slow one (a category per character)."""
    if _CONTROL_OR_FORMAT.search(text):
        return True
    return not text.isascii() and any(_is_removed(ch) for ch in text)


def hidden(text: str, *, lines: bool = False) -> bool:
    """Whether `text` holds a character a door removes (what `db check` looks
    for in stored text): a control or invisible format character, or, in one
    line, a line break or tab."""
    if lines:
        text = _LINE_BREAKS.sub("", text).replace("\n", "").replace("\t", "")
    return _needs_cleaning(text)
