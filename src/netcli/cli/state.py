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

from netcli.errors import DatabaseProblem, NetcliError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

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
    written: bool = False  # ... and committed a write to it

    @property
    def location(self) -> Location:
        if self._location is None:
            from netcli.paths import resolve

            self._location = resolve(self.db_option)
        return self._location

    def has_database(self) -> bool:
        """Whether there is a database to read: a SQLite file that exists, or a server."""
        path = self.location.path
        return path is None or os.path.lexists(path)

    def engine(self, *, create: bool = False) -> Engine:
        """The database's engine, its schema brought up to date. Without
        `create` a command refuses when there is no database (a typo in --db
        must not leave an empty one behind): those that only read, and those
        that change what must be there already (edit, log, done...). A command
        that can start a network (add, import, demo...) passes `create`: it
        makes a new SQLite file, announced at its first write, before its
        result, and removed again when nothing was written (a dry run, a failure)."""
        if self._engine is None:
            from netcli.db import open_database

            if not create and not self.has_database():
                raise DatabaseProblem(no_database(self.location))
            engine = open_database(self.location, key_source=self.key, on_create=self._note_created)
            if self.created:
                from sqlalchemy import event

                event.listen(engine, "commit", self._on_commit)
            self._engine = engine
        return self._engine

    def _note_created(self) -> None:
        self.created = True

    def _on_commit(self, conn: Connection) -> None:
        if self.created and not self.written and conn.get_execution_options().get("netcli_write"):
            self.written = True
            from netcli import render

            render.message(f"created a new database at {self.location.display}")

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

    def close(self) -> None:
        """Let go of the database. A file this command created stays when a
        write to it was committed (and announced then), and is removed when
        none was: the command failed, or wrote nothing (a dry run)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self.created:
            self.created = False
            if not self.written and self.location.path is not None:
                from netcli.db import discard_new_database

                discard_new_database(self.location.path)
            self.written = False


_current = State()


def no_database(location: Location) -> str:
    named = f" (named by {location.named_by})" if location.named_by else ""
    return f"no database at {location.display}{named}; `netcli add` or `netcli demo` starts one"


def begin(db_option: str | None) -> State:
    """A fresh state for a new invocation (the root callback's `--db`)."""
    global _current
    _current = State(db_option=db_option)
    return _current


def state() -> State:
    """This invocation's state."""
    return _current
