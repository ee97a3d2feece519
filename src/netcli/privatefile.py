"""Writing files that hold personal data: readable by their owner only
(whatever the umask), and whole or not at all (temporary file, then rename)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from netcli.errors import NetcliError


def write_private(path: Path, data: str | bytes | Iterable[str], *, mode: int = 0o600) -> None:
    """`data`, or its pieces in turn, to `path`: nothing is left behind if
    writing or making the pieces fails. `mode` is for a file that replaces
    one the user (or another program) made readable by others."""
    target = Path(path).expanduser()
    tmp = target.with_name(f".{target.name}.netcli-tmp")
    pieces = [data] if isinstance(data, (str, bytes)) else data
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:  # a piece may fail to be made (a database error), or the user interrupts
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise NetcliError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
