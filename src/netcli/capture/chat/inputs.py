"""What a chat reader reads: one file, a folder, or a `.zip`, seen alike as
a set of members (relative paths) opened for bounded reading.

Everything here is read as untrusted: a file must be a regular file (opened
without blocking, so a FIFO cannot hang the read, and checked on the open
descriptor), links are not followed out of a folder (a link inside one is
left alone), at most the caps below are read whatever the file claims, and a
zip member is refused when its name leaves the archive (absolute, `..`), when
it is a link, when it is larger than the cap, or when it unpacks to more than
`ZIP_RATIO` times its packed size (a zip bomb). Names of members are
stranger-written: `shown` makes them safe to print.

LIMITS live with every other in `netcli.reading` (`CHAT_FILE`: a file or
member is read up to 4 GB, a reader may ask for less; `CHAT_MEMBERS` in a
folder or zip, `CHAT_DEPTH` folders deep; a zip member over 1 MB unpacks to
at most `CHAT_ZIP_RATIO` times its packed size). A file is opened by the one
opener, `reading.open_file` (without blocking, a regular file checked on
the open descriptor).
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from netcli import reading
from netcli.defuse import defuse
from netcli.errors import Invalid

MAX_FILE = reading.CHAT_FILE
MAX_MEMBERS = reading.CHAT_MEMBERS
MAX_DEPTH = reading.CHAT_DEPTH
ZIP_RATIO = reading.CHAT_ZIP_RATIO  # unpacked / packed, for members over ZIP_RATIO_FROM bytes
ZIP_RATIO_FROM = reading.MB


size_text = reading.size_text


def shown(text: str, limit: int = 80) -> str:
    """Stranger-written text (a member's name, a value) safe to print in one
    line, as every terminal writer shows it (`netcli.defuse`), cut at `limit`."""
    return defuse(text if len(text) <= limit else text[: limit - 1] + "…", one_line=True)


class _Capped(io.RawIOBase):
    """A binary stream that refuses to give more than `cap` bytes."""

    def __init__(self, raw: BinaryIO, cap: int, name: str) -> None:
        self._raw = raw
        self._left = cap
        self._cap = cap
        self.name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        want = min(len(view), self._left + 1)
        data = self._raw.read(want)
        if len(data) > self._left:
            raise reading.too_large(self.name, self._cap, "one file of a chat export")
        view[: len(data)] = data
        self._left -= len(data)
        return len(data)

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def open_regular(path: Path, *, cap: int = MAX_FILE, follow: bool = True, seekable: bool = False) -> BinaryIO:
    """A regular file opened for bounded, buffered reading; `Invalid` saying
    why it cannot be (missing, a folder, a FIFO or device, unreadable).
    `seekable`: a plain file object, for a zip (whose members are capped)."""
    try:
        handle = reading.open_file(path, follow_links=follow)
    except Invalid as exc:  # reading's wording, the stranger-named path made safe to print
        raise Invalid(_reworded(exc, path)) from None
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle.fileno(), True)
    except BaseException:
        handle.close()
        raise
    if seekable:
        return handle
    raw = handle.detach()  # type: ignore[attr-defined]  # the unbuffered file under it: capped, buffered once
    return io.BufferedReader(_Capped(raw, cap, shown(str(path), 200)), buffer_size=256 * 1024)


def _reworded(exc: Invalid, path: Path) -> str:
    said = str(exc)
    if str(path) in said:
        return said.replace(str(path), shown(str(path), 200))
    return shown(said, 300)


class Input:
    """A file, a folder or a zip as members: `names` (posix paths relative to
    it; for a single file, its own name), `open(name)`, `size(name)`.
    `label(name)` says where a member is, safe to print."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._files: dict[str, Path] = {}
        self._names: list[str] | None = None
        self.kind = "file"

    # --- building ------------------------------------------------------------------

    @classmethod
    def of(cls, path: Path) -> Input:
        """The input a path names; `Invalid` when it cannot be read."""
        made = cls(path)
        try:
            info = path.stat()
        except FileNotFoundError:
            raise Invalid(f"{shown(str(path), 200)} does not exist") from None
        except OSError as exc:
            raise Invalid(f"cannot read {shown(str(path), 200)}: {exc.strerror or shown(str(exc), 120)}") from None
        if stat.S_ISDIR(info.st_mode):
            made.kind = "folder"
            made._walk()
        elif is_zip(path):
            made.kind = "zip"
            made._open_zip()
        else:
            if not stat.S_ISREG(info.st_mode):
                raise Invalid(f"{shown(str(path), 200)} is not a regular file")
            made._files[path.name] = path
        return made

    def _walk(self) -> None:
        stack: list[tuple[Path, str, int]] = [(self.path, "", 0)]
        while stack:
            folder, prefix, depth = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                name = f"{prefix}{entry.name}"
                try:
                    if entry.is_symlink():
                        continue  # a link may lead out of the folder: left alone
                    if entry.is_dir(follow_symlinks=False):
                        if depth < MAX_DEPTH:
                            stack.append((Path(entry.path), name + "/", depth + 1))
                        continue
                    if not entry.is_file(follow_symlinks=False):
                        continue  # FIFOs, sockets, devices
                except OSError:
                    continue
                self._files[name] = Path(entry.path)
                if len(self._files) > MAX_MEMBERS:
                    raise Invalid(f"{shown(str(self.path), 200)} holds more than {MAX_MEMBERS:,} files")

    def _open_zip(self) -> None:
        handle = open_regular(self.path, seekable=True)
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            handle.close()
            raise Invalid(f"{shown(str(self.path), 200)} is a damaged zip file ({shown(str(exc), 120)})") from None
        self._zip = archive
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise Invalid(f"{shown(str(self.path), 200)} holds more than {MAX_MEMBERS:,} files")
        for info in infos:
            if info.is_dir():
                continue
            name = _safe_member(info.filename)
            if name is None or stat.S_ISLNK(info.external_attr >> 16):
                continue
            if any(part.startswith(".") or part == "__MACOSX" for part in name.split("/")):
                continue
            self._infos.setdefault(name, info)

    def close(self) -> None:
        if self._zip is not None:
            fp = self._zip.fp
            self._zip.close()
            if fp is not None:
                fp.close()

    # --- reading -------------------------------------------------------------------

    def names(self) -> list[str]:
        if self._names is None:
            self._names = sorted(self._infos) if self._zip is not None else sorted(self._files)
        return self._names

    def has(self, name: str) -> bool:
        return name in (self._infos if self._zip is not None else self._files)

    def label(self, name: str) -> str:
        """Where a member is, to name it in messages."""
        if self.kind == "file" or name in ("", "."):
            return shown(str(self.path), 200)
        return f"{shown(str(self.path), 200)}: {shown(name.rstrip('/'), 160)}"

    def open(self, name: str, *, cap: int = MAX_FILE) -> BinaryIO:
        """A member opened for bounded reading; `Invalid` naming it when it
        cannot be read or is too large."""
        if self._zip is None:
            return open_regular(self._files[name], cap=cap, follow=self.kind == "file")
        info = self._infos[name]
        if info.file_size > cap:
            raise Invalid(f"{self.label(name)} is larger than {size_text(cap)}")
        if info.file_size > ZIP_RATIO_FROM and info.file_size > ZIP_RATIO * max(info.compress_size, 1):
            raise Invalid(f"{self.label(name)} unpacks to over {ZIP_RATIO} times its packed size (a zip bomb?)")
        try:
            member = self._zip.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as exc:
            raise Invalid(f"cannot read {self.label(name)}: {shown(str(exc), 120)}") from None
        capped = _Capped(member, min(cap, info.file_size), self.label(name))  # type: ignore[arg-type]
        return io.BufferedReader(capped, buffer_size=256 * 1024)

    def read(self, name: str, *, cap: int) -> bytes:
        """A small member's bytes (an index such as Slack's `users.json`)."""
        with self.open(name, cap=cap) as handle:
            return handle.read()

    def head(self, name: str, size: int = 64 * 1024) -> bytes:
        """A member's first bytes, to tell what it is; b"" when unreadable."""
        try:
            with self.open(name) as handle:
                return handle.read(size)
        except (Invalid, OSError, zipfile.BadZipFile, EOFError):
            return b""


def is_zip(path: Path) -> bool:
    try:
        with open_regular(path) as handle:
            return handle.read(4) == b"PK\x03\x04"
    except (Invalid, OSError):
        return False


def _safe_member(name: str) -> str | None:
    """A zip member's name as a relative posix path inside the archive, or
    None when it would leave it (absolute, `..`, a drive, NUL)."""
    if "\x00" in name:
        return None
    clean = name.replace("\\", "/")
    if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":"):
        return None
    parts = [part for part in PurePosixPath(clean).parts if part not in ("", ".")]
    if not parts or any(part == ".." for part in parts):
        return None
    return "/".join(parts)
