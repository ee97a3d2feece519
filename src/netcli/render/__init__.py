"""Output: Rich on a terminal, plain aligned text when piped, JSON on request.

Data goes to stdout, every human message to stderr. Only `cli/` and
`render/` may import Rich or Typer.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from itertools import islice
from typing import Any

from rich.console import Console
from rich.markup import escape

_out: Console | None = None
_err: Console | None = None


def out() -> Console:
    """The stdout console (re-created per process; tests swap sys.stdout)."""
    global _out
    if _out is None or _out.file is not sys.stdout:
        piped = not sys.stdout.isatty()
        # piped output is read by programs: don't wrap it at an imagined 80 columns
        width = max(int(os.environ.get("COLUMNS", "0") or 0), 200) if piped else None
        _out = Console(file=sys.stdout, highlight=False, width=width)
    return _out


def err() -> Console:
    global _err
    if _err is None or _err.file is not sys.stderr:
        _err = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    return _err


def message(text: str) -> None:
    """A human message (confirmation, hint) on stderr."""
    err().print(escape(text))


def error(text: str) -> None:
    """The one error line: `error: ...` on stderr, plain, never wrapped."""
    print(f"error: {text}", file=sys.stderr, flush=True)


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(document: Any, *, pretty: bool = True) -> str:
    if pretty:
        return json.dumps(document, ensure_ascii=False, indent=2, default=_default)
    # compact output uses the C encoder: many times faster on big listings
    return json.dumps(document, ensure_ascii=False, default=_default)


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
        write(("" if first else ", ") + encode(chunk)[1:-1])
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
