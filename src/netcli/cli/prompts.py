"""Interactive entry, only ever on a terminal: prompts for `add`, and
$EDITOR for long notes. With stdin not a terminal nothing here asks anything:
a missing value is a usage error instead."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from netcli.errors import NetcliError, UsageError

EDITOR_HEADER = "# Write the note below. Lines starting with '# ' are dropped; save and quit to keep it.\n"


def interactive() -> bool:
    return sys.stdin.isatty()


def ask_new_contact(
    *,
    today: date,
    check_place: Callable[[str, date], tuple[str | None, bool]] | None = None,
    near_places: Callable[[str], Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Ask for a new contact's fields with Rich prompts (on stderr).
    `check_place` says which event or community a place links, and raises
    when it names several;
    a place that names none but comes close to one (`near_places`) is
    offered, so the contact is linked to it."""
    from rich.prompt import Prompt

    from netcli.cli.values import parse_past
    from netcli.render import err
    from netcli.vocab import CHANNELS, TIERS

    console = err()
    name = ""
    while not name.strip():
        name = Prompt.ask("Name", console=console)
    via = Prompt.ask("How did you meet", choices=CHANNELS, default="other", case_sensitive=False, console=console)
    met_at = Prompt.ask("Where (event or community, optional)", default="", console=console)
    # whether a name fits one place or several does not hang on the day (editions
    # of one event are one name): settle it now, while the user is on it
    met_at, link = _settle_place(met_at, today, check_place, near_places, console)
    while True:
        when = Prompt.ask("When (today, yesterday, last friday, 2026-11-20...)", default="today", console=console)
        try:
            met_on = parse_past(when, today=today, option="When")
            break
        except NetcliError as exc:
            console.print(exc.message, style="red")
    tier = Prompt.ask("Closeness, A (closest) to D", choices=TIERS, default="C", case_sensitive=False, console=console)
    topics = Prompt.ask("What they know (comma-separated, optional)", default="", console=console)
    email = Prompt.ask("Email (optional)", default="", console=console)
    note = Prompt.ask("Note (optional; type - to open your editor)", default="", console=console)
    return {
        "name": name.strip(),
        "via": via,
        "met_at": met_at or None,
        "link": link,
        "met_on": met_on,
        "tier": tier,
        "topics": [t.strip() for t in topics.split(",") if t.strip()],
        "email": email or None,
        "note": note or None,
    }


def _settle_place(
    text: str,
    on: date,
    check_place: Callable[[str, date], tuple[str | None, bool]] | None,
    near_places: Callable[[str], Sequence[str]] | None,
    console: Any,
) -> tuple[str, bool]:
    """The place the user means, and whether to link it: a name that fits
    several is asked again; one that links a record by a part of its name,
    or links none but comes close to some, is offered ("Did you mean …?").
    Declined, the text is kept as typed and linked to nothing."""
    from rich.prompt import Confirm, Prompt
    from rich.text import Text

    while text.strip() and check_place is not None:
        try:
            linked, exact = check_place(text, on)
        except NetcliError as exc:
            console.print(exc.message, style="red")
            text = Prompt.ask("Where (more of its name, its #ID, or nothing)", default="", console=console)
            continue
        if exact:
            break
        offers = [linked] if linked is not None else list(near_places(text) if near_places else ())[:3]
        for place in offers:
            if Confirm.ask(Text(f"Did you mean '{place}'?"), default=True, console=console):  # a name, not markup
                return place, True
        return text, linked is None
    return text, True


def edit_text(initial: str = "") -> str:
    """Open $VISUAL / $EDITOR on a private temporary file and return what was saved."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, name = tempfile.mkstemp(prefix="netcli-note-", suffix=".md")  # 0600
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(EDITOR_HEADER + initial)
        try:
            code = subprocess.call([*shlex.split(editor), str(path)])
        except OSError as exc:
            raise NetcliError(f"cannot start the editor {editor!r}: {exc.strerror or exc}; set EDITOR") from None
        if code != 0:
            raise NetcliError(f"the editor {editor!r} exited with status {code}; nothing was saved")
        from netcli.reading import NOTE_FILE, read_bytes

        try:
            text = read_bytes(path, limit=NOTE_FILE, what="a note").decode("utf-8")
        except UnicodeDecodeError:
            raise NetcliError("the note is not UTF-8 text; save it as UTF-8; nothing was saved") from None
    finally:
        path.unlink(missing_ok=True)
    kept = [line for line in text.splitlines() if not line.startswith("# ")]
    return "\n".join(kept).strip()


def resolve_note(note: str | None, *, edit: bool, initial: str = "") -> str | None:
    """`--note -` reads stdin when piped, or opens the editor on a terminal;
    `--edit` always opens the editor."""
    if edit or note == "-":
        if not edit and not interactive():
            return sys.stdin.read().strip() or None
        if not interactive():
            raise UsageError("--edit needs a terminal; pipe the note in with --note - instead")
        return edit_text(initial) or None
    return note
