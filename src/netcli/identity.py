"""The keys two spellings of one identity share, pure: a name (`name_key`),
an email address (`address_key`), a phone number (`phone_key`, E.164 with
Google's libphonenumber), a profile URL (`url_key`), a chat handle
(`handle_key`: `KIND:VALUE`, its value normalised per kind); and what kind
of identity a WHO a user typed is (`kind_of`). The resolver
(`store.resolve`) compares these keys, and nothing else does its own.

No database; `phonenumbers` is imported only when a phone is keyed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from netcli.addresses import address_key, is_address
from netcli.names import like_escape, name_key

__all__ = [
    "HANDLE_KINDS",
    "address_key",
    "handle_key",
    "kind_of",
    "name_key",
    "phone_key",
    "prefix_patterns",
    "url_key",
]

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


# the kinds of chat identity a contact may hold (contract section 12)
HANDLE_KINDS = (
    "telegram",
    "whatsapp",
    "signal",
    "slack",
    "discord",
    "linkedin",
    "mastodon",
    "matrix",
    "github",
    "other",
)
_HANDLE = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_TELEGRAM_NAME = re.compile(r"@?([A-Za-z][A-Za-z0-9_]{2,31})")
_SLACK = re.compile(r"(?:([TE][A-Z0-9]{2,20})/)?([UWB][A-Z0-9]{2,20})")
_GITHUB = re.compile(r"@?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})")
_MASTODON = re.compile(r"@?([A-Za-z0-9_.\-]{1,64})@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
_MATRIX = re.compile(r"@?([a-z0-9._=\-/+]{1,255}):([A-Za-z0-9.\-]+(?::\d{1,5})?)", re.IGNORECASE)
_SIGNAL_NAME = re.compile(r"@?([A-Za-z0-9_]{3,32}\.\d{2,10})")
HANDLE_EXAMPLES = (
    "telegram:@name or telegram:123456789, whatsapp:+491701234567, signal:+491701234567, slack:T0123/U0456, "
    "discord:80351110224678912, linkedin:https://www.linkedin.com/in/NAME, mastodon:@name@host, "
    "matrix:@name:host, github:name, other:TEXT"
)


def handle_key(handle: str, region: str | None = None) -> str:
    """A chat identity as `KIND:VALUE`, its value normalised per kind, which
    is also what matching compares: `telegram:@ana` (lowercase) or
    `telegram:123456789`; `whatsapp:+491701234567` (E.164; `region` reads a
    number without `+`); `signal:` a number so, or a username lowercase;
    `slack:T0123/U0456` or `slack:U0456`; `discord:` its numeric id;
    `linkedin:linkedin.com/in/ana-lima` (`url_key`); `mastodon:@ana@host`,
    `matrix:@ana:host`, `github:ana` lowercase; `other:` as written. Raises
    `ValueError` saying what is wrong. Text that may steer a terminal is the
    caller's to remove first (`store.clean.clean_handle`)."""
    found = _HANDLE.fullmatch(handle.strip())
    kind = found[1].lower() if found else ""
    if not found or kind not in HANDLE_KINDS:
        raise ValueError(f"{handle!r} is not a handle (expected KIND:VALUE, KIND one of {', '.join(HANDLE_KINDS)})")
    value = found[2].strip()
    normal = _HANDLE_VALUES[kind](value, region) if value else None
    if normal is None and kind in ("whatsapp", "signal") and _PHONE_LIKE.fullmatch(value) and not region:
        raise ValueError(
            f"{handle!r} is a number without its country: write it with + (e.g. {kind}:+491701234567), "
            "or set your country for such numbers: netcli config set me.region DE"
        )
    if normal is None:
        raise ValueError(f"{handle!r} is not a {kind} handle (expected e.g. {_example(kind)})")
    return f"{kind}:{normal}"


def _example(kind: str) -> str:
    return next(part for part in HANDLE_EXAMPLES.split(", ") if part.startswith(f"{kind}:"))


def _telegram(value: str, region: str | None) -> str | None:
    text = re.sub(r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/", "", value, flags=re.IGNORECASE)
    if text.isdigit() and len(text) <= 20:
        return str(int(text))
    found = _TELEGRAM_NAME.fullmatch(text)
    return f"@{found[1].lower()}" if found else None


def _number(value: str, region: str | None) -> str | None:
    if not _PHONE_LIKE.fullmatch(value) or not 7 <= sum(ch.isdigit() for ch in value) <= 15:
        return None
    key = phone_key(value, region)
    return key if key.startswith("+") else None


def _signal(value: str, region: str | None) -> str | None:
    number = _number(value, region)
    if number is not None:
        return number
    found = _SIGNAL_NAME.fullmatch(value)
    return found[1].lower() if found else None


def _slack(value: str, region: str | None) -> str | None:
    found = _SLACK.fullmatch(value.upper())
    if found is None:
        return None
    return f"{found[1]}/{found[2]}" if found[1] else found[2]


def _discord(value: str, region: str | None) -> str | None:
    return str(int(value)) if value.isdigit() and 15 <= len(value) <= 21 else None


def _linkedin(value: str, region: str | None) -> str | None:
    text = value if "/" in value else f"linkedin.com/in/{value}"
    key = url_key(text)
    host, _, path = key.partition("/")
    if not host.endswith("linkedin.com") or not re.fullmatch(r"(?:in|pub)/[^/\s]{1,200}(?:/.*)?", path):
        return None
    return "linkedin.com/" + path.split("/")[0] + "/" + path.split("/")[1]


def _mastodon(value: str, region: str | None) -> str | None:
    found = re.fullmatch(r"(?:https?://)?([A-Za-z0-9.\-]+\.[A-Za-z]{2,})/@([A-Za-z0-9_.\-]{1,64})/?", value)
    if found:
        return f"@{found[2]}@{found[1]}".lower()
    found = _MASTODON.fullmatch(value)
    return f"@{found[1]}@{found[2]}".lower() if found else None


def _matrix(value: str, region: str | None) -> str | None:
    found = _MATRIX.fullmatch(value)
    return f"@{found[1]}:{found[2]}".lower() if found else None


def _github(value: str, region: str | None) -> str | None:
    text = re.sub(r"^(?:https?://)?(?:www\.)?github\.com/", "", value, flags=re.IGNORECASE).rstrip("/")
    found = _GITHUB.fullmatch(text)
    return found[1].lower() if found else None


def _other(value: str, region: str | None) -> str | None:
    return " ".join(value.split()) or None


_HANDLE_VALUES = {
    "telegram": _telegram,
    "whatsapp": _number,
    "signal": _signal,
    "slack": _slack,
    "discord": _discord,
    "linkedin": _linkedin,
    "mastodon": _mastodon,
    "matrix": _matrix,
    "github": _github,
    "other": _other,
}


def is_handle(text: str) -> bool:
    """Whether text is written as a handle (`KIND:...`, KIND a handle kind)."""
    found = _HANDLE.match(text.strip())
    return found is not None and found[1].lower() in HANDLE_KINDS


def kind_of(who: str) -> tuple[str, str]:
    """What a typed WHO names, and the key to look it up by: `("id", "12")`,
    `("handle", key)`, `("email", key)`, `("phone", digits as typed)`,
    `("url", key)`, or `("name", key)`. A handle that cannot be read is a name."""
    text = who.strip()
    match = _ID.fullmatch(text)
    if match:
        return "id", match[1]
    if is_handle(text):
        try:
            return "handle", handle_key(text)
        except ValueError:
            pass
    if is_address(text.removeprefix("mailto:")) and not text.startswith("@"):
        return "email", address_key(text)
    if _PHONE_LIKE.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 6:
        return "phone", text
    if _URL_LIKE.fullmatch(text):
        return "url", url_key(text)
    return "name", name_key(text)
