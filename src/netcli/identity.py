"""The keys two spellings of one identity share, pure: a name (`name_key`),
an email address (`address_key`), a phone number (`phone_key`, E.164 with
Google's libphonenumber), a profile URL (`url_key`); and what kind of
identity a WHO a user typed is (`kind_of`). The resolver
(`store.resolve`) compares these keys, and nothing else does its own.

No database; `phonenumbers` is imported only when a phone is keyed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from netcli.addresses import address_key, is_address
from netcli.names import like_escape, name_key

__all__ = ["address_key", "kind_of", "name_key", "phone_key", "prefix_patterns", "url_key"]

_ID = re.compile(r"#(\d{1,18})")
_PHONE_LIKE = re.compile(r"(?:tel:)?\+?[\d\s().\-/]{6,}")
_URL_LIKE = re.compile(r"(?:[a-z][a-z0-9+.\-]*://|www\.)\S+|[\w.\-]+\.[a-z]{2,}/\S*", re.IGNORECASE)


def prefix_patterns(text: str) -> tuple[str, str]:
    """The two LIKE patterns (ESCAPE '\\') of "a name, or a word in it,
    starts with `text`" (compared as name keys): the rule the resolver's SQL
    and completion's both use."""
    pattern = like_escape(name_key(text))
    return f"{pattern}%", f"% {pattern}%"


@lru_cache(maxsize=4096)
def phone_key(number: str, region: str | None = None) -> str:
    """What matching compares: `+49 170 1234567`, `0170/1234567` (region DE)
    and `tel:+491701234567` all give `+491701234567`. A number that cannot be
    read as an international one (no `+` and no region, or no such number)
    keys as its digits alone."""
    text = number.strip()
    if text.lower().startswith("tel:"):
        text = text[4:].split(";", 1)[0]
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("00") and not region:
        text, digits = "+" + digits[2:], digits[2:]
    if text.startswith("+") or region:
        import phonenumbers

        try:
            parsed = phonenumbers.parse(text, (region or "").upper() or None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return ("+" if text.startswith("+") else "") + digits


def url_key(url: str) -> str:
    """`https://www.LinkedIn.com/in/ana-lima/` -> `linkedin.com/in/ana-lima`:
    no scheme, no `www.`, host lowercase, no trailing slash, query or fragment."""
    text = url.strip()
    text = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", text, flags=re.IGNORECASE)
    text = text.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    host, slash, path = text.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}{slash}{path}".lower() if host.endswith("linkedin.com") else f"{host}{slash}{path}"


def kind_of(who: str) -> tuple[str, str]:
    """What a typed WHO names, and the key to look it up by: `("id", "12")`,
    `("email", key)`, `("phone", digits as typed)`, `("url", key)`, or `("name", key)`."""
    text = who.strip()
    match = _ID.fullmatch(text)
    if match:
        return "id", match[1]
    if is_address(text.removeprefix("mailto:")) and not text.startswith("@"):
        return "email", address_key(text)
    if _PHONE_LIKE.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 6:
        return "phone", text
    if _URL_LIKE.fullmatch(text):
        return "url", url_key(text)
    return "name", name_key(text)
