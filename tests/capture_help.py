"""Shared by the capture tests: the people of the calendar fixtures, the
user's addresses, the day the tests stand on, and a capture run."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conftest import Cli

CALENDARS = Path(__file__).parent / "fixtures" / "calendar"
AS_OF = "2026-11-30"
SUMMARY_KEYS = {"files", "read", "logged", "updated", "removed", "already", "skipped", "suggestions"}
SKIPPED_KEYS = {"no_contact", "list", "automated", "draft_spam_trash", "bad", "broadcast", "declined_cancelled"}


def network(cli: Cli) -> None:
    """The user (Ann Lee, two addresses) and the contacts the fixtures meet."""
    cli("config", "set", "me.emails", "ann@example.org, ann.lee@work.example")
    cli("add", "Dana Wu", "--email", "dana.wu@example.org", "--on", "2026-01-10")
    cli("add", "Chidi Okafor", "--email", "chidi.okafor@example.org", "--on", "2026-01-10")
    cli("add", "Maya Patel", "--email", "maya@example.org", "--email", "maya.patel@example.org", "--on", "2026-01-10")


def capture(cli: Cli, *paths: Path | str, code: int = 0, extra: tuple[str, ...] = ()) -> Any:
    result = cli("capture", "calendar", *map(str, paths), "--as-of", AS_OF, "--json", *extra, code=code)
    if code:
        return result
    import json

    return json.loads(result.stdout)


def meetings(cli: Cli) -> list[tuple[str, str, str]]:
    """(date, people, note) of every captured meeting, oldest first."""
    rows = cli.json("history")
    return sorted(
        (r["date"], ", ".join(sorted(r["contacts"])), r["note"] or "") for r in rows if r["source"] == "calendar"
    )


def copy(name: str, folder: Path, as_name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (as_name or name)
    shutil.copyfile(CALENDARS / name, target)
    return target


@contextmanager
def zone(name: str) -> Iterator[None]:
    """The process's TZ for the duration (the system's zone is what capture uses when TZ is set)."""
    import os

    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
