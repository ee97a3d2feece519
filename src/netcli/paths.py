"""Where netcli's files live: the database, the settings, the cache, and the
small state files kept beside the database. The one home of these answers:
the CLI, `remind`, completion and the fast paths (`brief`, `sync.kept`,
`__main__`) all ask here, so they cannot disagree.

- the database: `--db`, else `NETCLI_DB`, else `<user data folder>/netcli.db`;
  a plain path is a SQLite file, a URL is used as given (`resolve`, the one
  reader of the URL grammar);
- the settings: `NETCLI_CONFIG`, else `<user config folder>/config.toml`;
- the cache (nudge ids for completion, a server database's brief line):
  `NETCLI_CACHE`, else the user cache folder;
- beside a SQLite file `X`: `X.brief.json` (the `--brief` line) and
  `X.sync.json` (what a sync with nothing to do printed).

Imports nothing of netcli but `errors` (a leaf); platformdirs only when a
default is needed, so the fast paths stay fast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from netcli.errors import UsageError

APP = "netcli"
DATABASE_NAME = "netcli.db"
CONFIG_NAME = "config.toml"
_URL = re.compile(r"^[a-z][a-z0-9+]*://", re.IGNORECASE)
_SQLITE_FILE_URL = re.compile(r"^sqlite[a-z0-9+]*:///(.+)$", re.IGNORECASE)


def default_database() -> Path:
    """The database file when none is named: in the user's data folder."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False)) / DATABASE_NAME


def config_file() -> Path:
    """The settings file: `NETCLI_CONFIG`, else in the user's config folder."""
    env = os.environ.get("NETCLI_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False)) / CONFIG_NAME


def cache_folder() -> Path:
    """`NETCLI_CACHE`, else the user's cache folder."""
    env = os.environ.get("NETCLI_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


def nudge_cache() -> Path:
    """The ids (and actions) `netcli nudge` last showed, for completion."""
    return cache_folder() / "nudges.json"


class Location:
    """A resolved database location: the URL to open, the SQLite file if it
    is one (None for servers), and where it came from when the user named it
    (`--db` or `NETCLI_DB`; None: the default file). A plain class, not a
    dataclass: importing `dataclasses` would cost the fast paths a third of their time."""

    __slots__ = ("named_by", "path", "url")

    def __init__(self, url: str, path: Path | None, named_by: str | None = None) -> None:
        self.url, self.path, self.named_by = url, path, named_by

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Location) and (self.url, self.path, self.named_by) == (
            other.url,
            other.path,
            other.named_by,
        )

    def __hash__(self) -> int:
        return hash((self.url, self.path, self.named_by))

    def __repr__(self) -> str:
        return f"Location(url={hide_password(self.url)!r}, path={self.path!r}, named_by={self.named_by!r})"

    @property
    def display(self) -> str:
        """What to show a user: the file path, or the URL with its password hidden."""
        if self.path is not None:
            return str(self.path)
        return hide_password(self.url)


def hide_password(url: str) -> str:
    # user:secret@host -> user:***@host, without parsing the rest of the URL
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def resolve(value: str | None) -> Location:
    """`--db` value, else `NETCLI_DB`, else the per-user default file.
    `UsageError` for an in-memory SQLite database (gone after each command)."""
    raw = value or os.environ.get("NETCLI_DB") or ""
    if not raw.strip():
        path = default_database()
        return Location(url=f"sqlite:///{path}", path=path)
    raw = raw.strip()
    named_by = "--db" if value and value.strip() else "NETCLI_DB"
    if not _URL.match(raw):
        path = Path(raw).expanduser().absolute()
        return Location(url=f"sqlite:///{path}", path=path, named_by=named_by)
    if raw.lower().startswith("sqlite"):
        lowered = raw.lower()
        in_memory = "mode=memory" in lowered or "file::memory:" in lowered
        if in_memory or re.match(r"^sqlite[a-z0-9+]*://(/:memory:.*)?$", raw, re.IGNORECASE):
            # every command opens its own connection: an in-memory database would be gone, and empty, each time
            raise UsageError(f"{named_by}: an in-memory SQLite database lasts one connection; give a file instead")
        return Location(url=raw, path=_sqlite_url_path(raw), named_by=named_by)
    return Location(url=raw, path=None, named_by=named_by)


def _sqlite_url_path(url: str) -> Path | None:
    """The file a `sqlite:///…` URL opens: `sqlite:///notes.db`, with query
    options (`?timeout=5`) or as a SQLite URI (`sqlite:///file:notes.db?mode=rwc&uri=true`)."""
    match = _SQLITE_FILE_URL.match(url)
    if match is None:
        return None
    from urllib.parse import parse_qs, unquote

    database, _, query = match.group(1).partition("?")
    if "true" in (v.lower() for v in parse_qs(query).get("uri", [])) and database.startswith("file:"):
        # a SQLite URI: file:PATH or file:///PATH, percent-encoded
        database = unquote(database[len("file:") :])
        if database.startswith("//"):
            host, _, rest = database[2:].partition("/")
            if host not in ("", "localhost"):
                return None
            database = "/" + rest
    elif database.startswith("file:"):
        return None
    if not database:
        return None
    return Path(database).expanduser().absolute()


def brief_file(location: Location) -> Path:
    """Where the `--brief` line is kept: beside a SQLite file; for a server,
    in the cache folder, under a digest of the URL."""
    if location.path is not None:
        return location.path.with_name(location.path.name + ".brief.json")
    import hashlib

    return cache_folder() / f"brief-{hashlib.sha256(location.url.encode()).hexdigest()[:16]}.json"


def sync_file(db_path: Path) -> Path:
    """Where a sync that found nothing to do keeps what it printed (beside the SQLite file)."""
    return db_path.with_name(db_path.name + ".sync.json")
