"""The user's configuration: a TOML file, defaults, validation.

Missing file = defaults. Unknown keys or values of the wrong type or range
raise `ConfigError` naming the key. Pure apart from reading and writing the
one file. The [rules] and [enabled] keys come from the rule registry
(`netcli.rules`), which reads settings through a protocol and never imports
this module; the CLI wraps `ConfigError` into its own error type.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netcli.addresses import MyAddresses, address_key, is_address
from netcli.rules import CADENCE_SETTINGS, RULES, rule_settings

# Every key a config file may hold, with its default. The type of the default
# is the type a value must have; numbers must be positive; a list default
# holds email addresses. The [rules] keys are the cadence's and each rule's
# own (`rules.RULES`); [me] says who the user is (capture's own addresses,
# and the zone whose days meetings fall on; "" = the system's); [capture]
# holds capture's settings; [sync] vdir is the folder `sync vdir` keeps in
# step when none is given, and tasks the task list `sync tasks` (and
# `nudge --notify`) keeps in step ("" = none).
DEFAULTS: dict[str, dict[str, Any]] = {
    "tiers": {"A": 14, "B": 30, "C": 90, "D": 180},
    "rules": {**rule_settings(), **CADENCE_SETTINGS},
    "enabled": {name: True for name in RULES},
    "nudge": {"limit": 10},
    "me": {"emails": [], "timezone": "", "region": ""},
    "capture": {"max_attendees": 12},
    "sync": {"vdir": "", "tasks": ""},
}

# Keys whose sensible range is narrower than 1..36500: (most, what it counts).
MAXIMA = {f"rules.{key}": limit for declared in RULES.values() for key, limit in declared.limits.items()}
MAXIMA["capture.max_attendees"] = (10_000, "people at one event")


class ConfigError(Exception):
    """The configuration file or a value given for it is not acceptable."""


@dataclass(frozen=True)
class Config:
    """Validated settings; attribute access for the rules, dicts for display."""

    tiers: dict[str, int] = field(default_factory=lambda: dict(DEFAULTS["tiers"]))
    rules: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS["rules"]))
    enabled: dict[str, bool] = field(default_factory=lambda: dict(DEFAULTS["enabled"]))
    nudge: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS["nudge"]))
    me: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS["me"]))
    capture: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS["capture"]))
    sync: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS["sync"]))

    def tier_cadence(self, tier: str) -> int:
        return self.tiers.get(tier, self.tiers["C"])

    def rule(self, key: str) -> Any:
        return self.rules[key]

    def my_addresses(self) -> MyAddresses:
        """The user's own addresses (`[me] emails`): `address in config.my_addresses()`."""
        return MyAddresses(self.me["emails"])

    def zone(self) -> dt.tzinfo | None:
        """The zone the user's days are in: None (the system's) when `TZ` is
        set, as the system honours it, or when `[me] timezone` is empty."""
        if os.environ.get("TZ") or not self.me["timezone"]:
            return None
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.me["timezone"])

    def region(self) -> str | None:
        """The country phone numbers without a `+` are read in (`[me] region`, e.g. "DE"), or None."""
        return self.me["region"] or None

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return {
            "tiers": dict(self.tiers),
            "rules": dict(self.rules),
            "enabled": dict(self.enabled),
            "nudge": dict(self.nudge),
            "me": {"emails": list(self.me["emails"]), "timezone": self.me["timezone"], "region": self.me["region"]},
            "capture": dict(self.capture),
            "sync": dict(self.sync),
        }


def _check_emails(key: str, value: Any) -> list[str]:
    """A list of email addresses, each once (by matching key), as written."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"config key '{key}' must be a list of email addresses, not {value!r}")
    result: dict[str, str] = {}
    for address in (v.strip() for v in value):
        if not is_address(address):
            raise ConfigError(f"config key '{key}': {address!r} is not an email address (expected ann@example.org)")
        result.setdefault(address_key(address), address)
    return list(result.values())


def _check_zone(key: str, value: Any) -> str:
    """An IANA zone name (Europe/Berlin), or "" for the system's zone."""
    if not isinstance(value, str):
        raise ConfigError(f"config key '{key}' must be a time zone name such as Europe/Berlin, not {value!r}")
    name = value.strip()
    if name:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"config key '{key}': {name!r} is not a time zone this machine knows (expected a name such as "
                "Europe/Berlin or America/New_York)"
            ) from None
    return name


def _check_folder(key: str, value: Any) -> str:
    """A folder's path as the user wrote it (`~` allowed), or "" for none."""
    if not isinstance(value, str) or "\x00" in value:
        example = "~/.calendars/tasks" if key == "sync.tasks" else "~/.contacts/default"
        raise ConfigError(f"config key '{key}' must be a folder's path such as {example}, not {value!r}")
    return value.strip()


def _check_region(key: str, value: Any) -> str:
    """A country's two-letter code (DE, US, GB), as phone numbers use it, or "" for none."""
    code = value.strip().upper() if isinstance(value, str) else None
    if code:
        from phonenumbers import SUPPORTED_REGIONS

        if code not in SUPPORTED_REGIONS:
            code = None
    if code is None:
        raise ConfigError(
            f"config key '{key}' must be a country's two-letter code such as DE, US or GB "
            f"(the country of phone numbers written without +), not {value!r}"
        )
    return code


def _check_value(key: str, value: Any, default: Any) -> Any:
    if isinstance(default, list):
        return _check_emails(key, value)
    if key.startswith("sync."):
        return _check_folder(key, value)
    if key == "me.region":
        return _check_region(key, value)
    if isinstance(default, str):
        return _check_zone(key, value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"config key '{key}' must be true or false, not {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"config key '{key}' must be a whole number, not {value!r}")
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"config key '{key}' must be a number, not {value!r}")
        value = float(value)
    most, meaning = MAXIMA.get(key, (36500, ""))
    if value <= 0 or value > most:
        what = f" ({meaning})" if meaning else ""
        raise ConfigError(f"config key '{key}' must be between 1 and {most}{what}, not {value!r}")
    return value


def validate(raw: dict[str, Any]) -> Config:
    """Build a `Config` from a parsed TOML document, or raise `ConfigError`."""
    merged = {section: dict(values) for section, values in DEFAULTS.items()}
    for section, values in raw.items():
        if section not in DEFAULTS:
            raise ConfigError(f"unknown config section '{section}'; known: {', '.join(DEFAULTS)}")
        if not isinstance(values, dict):
            raise ConfigError(f"config key '{section}' must be a table of settings")
        for key, value in values.items():
            name = f"{section}.{key}"
            if key not in DEFAULTS[section]:
                raise ConfigError(f"unknown config key '{name}'; known in [{section}]: {', '.join(DEFAULTS[section])}")
            merged[section][key] = _check_value(name, value, DEFAULTS[section][key])
    tiers = merged["tiers"]
    if not tiers["A"] <= tiers["B"] <= tiers["C"] <= tiers["D"]:
        raise ConfigError("config keys 'tiers.A' to 'tiers.D' must not decrease from A to D")
    return Config(**merged)


def load(path: Path) -> Config:
    """Read and validate the config file; a missing file means the defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the config file {path} is not valid TOML: {exc}") from None
    return validate(raw)


def parse_setting(key: str, text: str) -> tuple[str, str, Any]:
    """Split `section.key` and convert the text to the key's type."""
    section, _, name = key.partition(".")
    if section not in DEFAULTS or name not in DEFAULTS[section]:
        known = ", ".join(f"{s}.{k}" for s, keys in DEFAULTS.items() for k in keys)
        raise ConfigError(f"unknown config key '{key}'; known keys: {known}")
    default = DEFAULTS[section][name]
    value: Any
    lowered = text.strip().lower()
    if isinstance(default, bool):
        truth = {
            "true": True,
            "yes": True,
            "on": True,
            "1": True,
            "false": False,
            "no": False,
            "off": False,
            "0": False,
        }
        if lowered not in truth:
            raise ConfigError(f"config key '{key}' must be true or false, not {text!r}")
        value = truth[lowered]
    elif isinstance(default, list):  # "a@x, b@y": commas (or spaces) between addresses; "" clears
        value = [part for part in text.replace(",", " ").split() if part]
    elif isinstance(default, str):
        value = text
    else:
        try:
            value = int(lowered) if isinstance(default, int) else float(lowered)
        except ValueError:
            raise ConfigError(f"config key '{key}' must be a number, not {text!r}") from None
    return section, name, _check_value(key, value, default)


def set_value(path: Path, key: str, text: str) -> Config:
    """Set one key in the config file (created 0600 if missing); returns the new config."""
    import tomli_w

    section, name, value = parse_setting(key, text)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc}") from None
    raw.setdefault(section, {})[name] = value
    config = validate(raw)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            tomli_w.dump(raw, handle)
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"cannot write the config file {path}: {exc}") from None
    return config
