"""How names are compared: casefolded, accent-free, single-spaced.

Pure text, importing nothing heavy, so shell completion can use it."""

from __future__ import annotations

import unicodedata


def name_key(text: str) -> str:
    """'José  Núñez' -> 'jose nunez'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def like_escape(text: str) -> str:
    """Text matched literally by `LIKE ... ESCAPE '\\'` (no wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")


def shell_word(text: str) -> str:
    """`text` as one word a shell reads back as `text`, as a person would
    quote it: `Ana`, `'Ana Lima'`, `"Helen O'Brien"`, `'#12'`."""
    if text and all(ch in _SAFE for ch in text):
        return text
    if "'" not in text:
        return f"'{text}'"
    if not any(ch in text for ch in '"\\$`!'):
        return f'"{text}"'
    return "'" + text.replace("'", "'\"'\"'") + "'"


def command(*words: str) -> str:
    """A netcli command line to copy and paste: `netcli mentor prep "Helen O'Brien"`."""
    return " ".join(["netcli", *words[:1], *(shell_word(w) for w in words[1:])])
