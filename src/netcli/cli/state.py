"""What one invocation resolved at the root: the database location, its
engine, the config and the encryption key, each worked out on first use.

The root callback starts a fresh `State` per run (`begin`); commands reach
it through `state()`. This module never imports `netcli.cli.app`, so every
command module can use it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from netcli.errors import NetcliError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from netcli.config import Config
    from netcli.paths import Location


@dataclass
class State:
    """What the root callback resolved for this one invocation."""

    db_option: str | None = None
    _location: Location | None = None
    _engine: Engine | None = None
    _config: Config | None = None
    _key: str | None = None
    created: bool = False  # this command made a new SQLite file

    @property
    def location(self) -> Location:
        if self._location is None:
            from netcli.paths import resolve

            self._location = resolve(self.db_option)
        return self._location

    def engine(self) -> Engine:
        if self._engine is None:
            from netcli.db import open_database

            self._engine = open_database(self.location, key_source=self.key, on_create=self._note_created)
        return self._engine

    def _note_created(self) -> None:
        self.created = True

    def key(self, *, confirm: bool = False) -> str | None:
        """The encryption key: NETCLI_KEY, else a hidden prompt on a terminal."""
        if self._key is None:
            self._key = os.environ.get("NETCLI_KEY") or None
            if self._key is None and sys.stdin.isatty():
                self._key = typer.prompt("Database key", hide_input=True, confirmation_prompt=confirm, err=True)
        return self._key

    def config(self) -> Config:
        if self._config is None:
            from netcli.config import ConfigError, load
            from netcli.paths import config_file

            try:
                self._config = load(config_file())
            except ConfigError as exc:
                raise NetcliError(str(exc)) from None
        return self._config

    def close(self, *, succeeded: bool = True) -> None:
        """Let go of the database. A file this command created is announced
        when it succeeded, and removed when it failed: nothing was written."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self.created:
            self.created = False
            if succeeded:
                from netcli import render

                render.message(f"created a new database at {self.location.display}")
            elif self.location.path is not None:
                from netcli.db import discard_new_database

                discard_new_database(self.location.path)


_current = State()


def begin(db_option: str | None) -> State:
    """A fresh state for a new invocation (the root callback's `--db`)."""
    global _current
    _current = State(db_option=db_option)
    return _current


def state() -> State:
    """This invocation's state."""
    return _current
