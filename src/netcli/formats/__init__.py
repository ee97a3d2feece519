"""File formats: parse files into plain records, and write records out.

Each parser returns `Parsed` items (the record, or an error, with the line
it starts on) and never touches the database. Nothing here imports the CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from netcli.errors import Invalid

MAX_IMPORT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Parsed:
    """One record read from a file: either `record` or `error` is set."""

    source: str
    line: int
    record: dict[str, Any] | None = None
    error: str | None = None

    @property
    def where(self) -> str:
        return f"{self.source} line {self.line}"


def open_import(path: Path, *, limit: int = MAX_IMPORT_BYTES) -> BinaryIO:
    """An import file opened for reading, or Invalid saying why it cannot be."""
    try:
        if path.stat().st_size > limit:
            raise Invalid(f"{path} is larger than {limit // 2**20} MB; split it")
        return path.open("rb")
    except FileNotFoundError:
        raise Invalid(f"{path} does not exist") from None
    except IsADirectoryError:
        raise Invalid(f"{path} is a folder; give the file inside it") from None
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror or exc}") from None


def read_parsed(path: Path, parse: Callable[..., list[Parsed]]) -> list[Parsed]:
    """`parse(text, source=name)` over a file, or its one decoding error."""
    text, problem = read_text(path)
    if problem is not None:
        return [problem]
    assert text is not None
    return parse(text, source=path.name)


def read_text(path: Path) -> tuple[str | None, Parsed | None]:
    """A file's text (UTF-8, byte-order mark dropped), or a line-numbered error."""
    source = path.name
    with open_import(path) as handle:
        data = handle.read()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Parsed(source, line, error="not UTF-8 text; save the file as UTF-8 and import it again")
