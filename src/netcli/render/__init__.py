"""Output: Rich on a terminal, plain aligned text when piped, JSON on request.

Data goes to stdout, every human message to stderr. Only `cli/` and
`render/` may import Rich or Typer. Every byte a person reads leaves through
here, and all of it through `netcli.defuse`: the consoles defuse what they
draw (a render hook on each), `listing` and `line` what they write, `error`
its line, and JSON is written with `defuse_json`. Nothing is read as Rich
markup or emoji codes: text prints as it is.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from itertools import islice
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

from netcli.defuse import defuse, defuse_json, plain

_out: Console | None = None
_err: Console | None = None


class _Defused:
    """A renderable drawn as it would be, its text defused: the styles are
    the console's own escape codes, every character of the text is shown."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            text = segment.text
            if segment.control or text == "\n" or plain(text):
                yield segment
            else:
                yield Segment(defuse(text), segment.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


class _DefuseHook:
    """rich.console.RenderHook: every renderable printed is drawn defused."""

    def process_renderables(self, renderables: list[RenderableType]) -> list[RenderableType]:
        return [_Defused(r) for r in renderables]


def console(**options: Any) -> Console:
    """A Rich console that shows text as it is: no markup, no emoji codes,
    no highlighting, and whatever it draws defused."""
    made = Console(markup=False, emoji=False, highlight=False, **options)
    made.push_render_hook(_DefuseHook())  # type: ignore[arg-type]  # a RenderHook by shape
    return made


def _columns() -> int | None:
    """COLUMNS when it is set to a width."""
    try:
        return int(os.environ.get("COLUMNS", "")) or None
    except ValueError:
        return None


def out() -> Console:
    """The stdout console (re-created per process; tests swap sys.stdout)."""
    global _out
    if _out is None or _out.file is not sys.stdout:
        piped = not sys.stdout.isatty()
        # piped output is read by programs: don't wrap it at an imagined 80 columns, unless COLUMNS says so
        width = (_columns() or 200) if piped else None
        _out = console(file=sys.stdout, width=width)
    return _out


def err() -> Console:
    global _err
    if _err is None or _err.file is not sys.stderr:
        _err = console(file=sys.stderr, soft_wrap=True)
    return _err


def message(text: str) -> None:
    """A human message (confirmation, hint) on stderr, defused before Rich
    sees it (it would drop a BEL or a CR where `defuse` shows them)."""
    err().print(defuse(text))


def conflict(conflict: Any, *, there: str, remedy: str, kept: bool = True) -> None:
    """One conflict (`results.Conflict`) on stderr: `there` names the side
    that said otherwise (with the conflict's `why`, when it has one), `remedy`
    how to take the other value; `kept` False: `there`'s value was taken."""
    why = f" ({conflict.why})" if conflict.why else ""
    message(
        f"conflict: {conflict.contact} has {conflict.field} {_shown(conflict.here)} here, "
        f"{there} says {_shown(conflict.there)}{why}; {'kept' if kept else 'taken'} ({remedy})"
    )


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "nothing"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def error(text: str) -> None:
    """The one error line: `error: ...` on stderr, plain, never wrapped."""
    print(f"error: {defuse(text)}", file=sys.stderr, flush=True)


def line(text: str, *, to_stderr: bool = False, one_line: bool = False) -> None:
    """Plain text and a newline, defused, on stdout (or stderr): for lines
    no console lays out (a dry run's list, a path, a file's text)."""
    print(defuse(text, one_line=one_line), file=sys.stderr if to_stderr else sys.stdout, flush=to_stderr)


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(document: Any, *, pretty: bool = True) -> str:
    if pretty:
        return defuse_json(json.dumps(document, ensure_ascii=False, indent=2, default=_default))
    # compact output uses the C encoder: many times faster on big listings
    return defuse_json(json.dumps(document, ensure_ascii=False, default=_default))


def emit_json_rows(rows: Any) -> None:
    """A JSON array written row by row, so a long listing is never one huge string."""
    if sys.stdout.isatty():
        emit_json(list(rows))
        return
    encode = json.JSONEncoder(ensure_ascii=False, default=_default).encode
    write = sys.stdout.write
    write("[")
    rows = iter(rows)
    first = True
    while chunk := list(islice(rows, 500)):  # encoded 500 at a time: the C encoder, few calls
        write(("" if first else ", ") + defuse_json(encode(chunk)[1:-1]))
        first = False
    write("]\n")
    sys.stdout.flush()


def emit_json(document: Any) -> None:
    """The single JSON document of a `--json` run, on stdout: indented for a
    person at a terminal, compact for the program reading a pipe."""
    sys.stdout.write(to_json(document, pretty=sys.stdout.isatty()) + "\n")
    sys.stdout.flush()


def emit(document: Any, *, json_out: bool, view: Callable[[Any], object] | str, empty: str | None = None) -> None:
    """A command's result in the shape most commands share: with `--json`
    the document alone on stdout; else, when the document is empty and
    `empty` is given, that hint on stderr ("No goals yet: ..."); else `view`:
    a function that draws the document on stdout, or one sentence on stderr
    saying what was done."""
    if json_out:
        emit_json(document)
    elif empty is not None and not document:
        message(empty)
    elif isinstance(view, str):
        message(view)
    else:
        view(document)


def _pages(rows: int) -> bool:
    """Whether `rows` lines go through a pager: on a terminal they do not fit
    ($PAGER, less -RFX by default; NETCLI_NO_PAGER=1 turns it off)."""
    console = out()
    if console.is_terminal and rows > console.size.height - 4 and not os.environ.get("NETCLI_NO_PAGER"):
        os.environ.setdefault("LESS", "-RFX")
        return True
    return False


def write_long(lines: Iterable[str], count: int) -> None:
    """Finished lines (escape codes and all) to stdout, through a pager on a
    terminal `count` lines do not fit (0: never); written in batches, never
    held as one text unless paged."""
    if _pages(count):
        import pydoc

        pydoc.pager("\n".join(lines) + "\n")
        return
    lines = iter(lines)
    while batch := list(islice(lines, 1_000)):
        sys.stdout.write("\n".join(batch) + "\n")
    sys.stdout.flush()
