"""How names compare (`netcli.names.name_key`): the ASCII fast path gives
what the full decomposition gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from netcli.names import name_key


def _decomposed(text: str) -> str:
    parts = unicodedata.normalize("NFKD", text)
    return " ".join("".join(ch for ch in parts if not unicodedata.combining(ch)).casefold().split())


@given(st.one_of(st.text(st.characters(max_codepoint=127)), st.text()))
def test_name_key_is_the_accent_free_casefolded_single_spaced_name(text: str) -> None:
    assert name_key(text) == _decomposed(text)


def test_name_key_examples() -> None:
    assert name_key("José  Núñez") == "jose nunez"
    assert name_key("  ANA\tLima ") == "ana lima"
