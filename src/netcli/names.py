"""How names are compared: casefolded, accent-free, single-spaced.

Pure text, importing nothing heavy, so shell completion can use it."""

from __future__ import annotations

import unicodedata


def name_key(text: str) -> str:
    """'José  Núñez' -> 'jose nunez'."""
    if text.isascii():  # nothing to decompose (most names): one pass in C, not one call a character
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def like_escape(text: str) -> str:
    """Text matched literally by `LIKE ... ESCAPE '\\'` (no wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")
_UNSAFE_IN_DOUBLE = frozenset('"\\$`!')  # what a shell still reads inside "...": quotes, escapes, expansions, history


def shell_word(text: str, *, quote: str = "'") -> str:
    """`text` as one word every POSIX shell (bash, zsh, dash) reads back as
    exactly `text`, quoted as a person would: `Ana`, `'Ana Lima'`,
    `"Helen O'Brien"`, `'#12'`; with `quote='"'`, double quotes where they
    are as safe (`"Ana Lima"`). Nothing in it is ever run or expanded: `$`,
    backticks, `!`, `|`, `;`, newlines and control characters stay inside
    single quotes, or inside double quotes only when none of `" \\ $ ` !`
    is there (shlex.quote's guarantee, in a friendlier spelling)."""
    if text and text[0] != "=" and all(ch in _SAFE for ch in text):  # zsh expands a leading =
        return text
    plain = all(ch.isprintable() for ch in text)  # a control character is never left to "...": one rule, one quote
    if plain and (quote == '"' or "'" in text) and not any(ch in _UNSAFE_IN_DOUBLE for ch in text):
        return f'"{text}"'
    return "'" + text.replace("'", "'\"'\"'") + "'"


def command(*words: str) -> str:
    """A netcli command line to copy and paste: `netcli mentor prep "Helen O'Brien"`.
    The first word is the command (netcli's own word); every other word is quoted."""
    return " ".join(["netcli", *words[:1], *(shell_word(w, quote='"') for w in words[1:])])
