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
