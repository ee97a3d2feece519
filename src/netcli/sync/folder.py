"""The folder side of a vdir sync: finding the items (`*.vcf` cards for
`sync vdir`, `*.ics` tasks for `sync tasks`; names starting with `.` are
ignored), reading a card (its bytes' digest, its properties, its fields as
netcli would hold them), and writing and deleting items, each whole: a
temporary file in the folder, then a rename, as the vdir spec asks."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netcli.errors import Invalid, NetcliError
from netcli.formats.card import MAX_CARD_BYTES, Card, NotACard, too_big
from netcli.formats.vcard import read_card_file
from netcli.privatefile import write_private
from netcli.store.sync import clean_card_fields

TEMP_SUFFIX = ".netcli-tmp"  # what `write_private` names its temporary file
WHAT = "a folder of .vcf cards (a vdir, as vdirsyncer and khard keep one)"


@dataclass(slots=True)
class Listed:
    href: str  # the file's name in the folder
    path: Path
    size: int
    mtime_ns: int
    digest: str | None = None
    card: Card | None = None  # let go once what it holds is planned (5,000 cards would hold 40 MB)
    fields: dict[str, Any] | None = None
    uid: str | None = None


def resolve(given: Path, *, what: str = WHAT) -> Path:
    """The folder, with its links resolved: one address book reached by two
    paths is one folder to the sync's memory."""
    path = Path(os.path.realpath(given.expanduser()))
    if not path.exists():
        raise Invalid(f"{given} does not exist; give {what}")
    if not path.is_dir():
        raise Invalid(f"{given} is a file, not a folder; give {what}")
    return path


def list_cards(
    folder: Path, *, suffix: str = ".vcf", items: str = "cards", collection: str = "address book"
) -> tuple[list[Listed], list[Path], list[str]]:
    """The items (`suffix` files: cards, tasks), the temporary files a stopped
    sync left, and the items whose names are not UTF-8 (as they can be
    shown), which are left alone."""
    listed, stale, nested, misnamed = [], [], [], []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        raise Invalid(f"cannot read {folder}: {exc.strerror or exc}") from None
    for entry in entries:
        if entry.name.startswith("."):
            if entry.name.endswith(TEMP_SUFFIX):
                stale.append(Path(entry.path))
            continue
        if not _utf8(entry.name):
            if entry.name.lower().endswith(suffix):
                misnamed.append(entry.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
            continue
        try:
            if entry.is_dir():
                nested.append(entry.name)
            elif entry.name.lower().endswith(suffix) and entry.is_file():
                info = entry.stat()
                listed.append(Listed(entry.name, Path(entry.path), info.st_size, info.st_mtime_ns))
        except OSError:  # gone since the listing
            continue
    holding = [name for name in nested if any(Path(folder, name).glob(f"*{suffix}"))] if not listed else []
    if holding:
        raise Invalid(
            f"{folder} holds no {items}, but its folder {holding[0]} does: give one {collection}, "
            f"e.g. {folder / holding[0]}"
        )
    return listed, stale, misnamed


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes the file system holds that are not UTF-8, escaped by Python
        return False
    return True


def read(item: Listed, *, today: dt.date) -> None:
    """Fill the item's digest, card and fields; `NotACard`, `NetcliError`
    (`InvalidCard`) or `OSError`. A card past the limit is not opened."""
    if item.card is not None:
        return
    if item.size > MAX_CARD_BYTES:
        raise NotACard(too_big())
    data = read_card_file(item.path)
    item.digest = hashlib.sha256(data).hexdigest()
    item.card = Card.parse(data)
    item.fields = clean_card_fields(item.card.fields().record(), today=today)
    item.uid = item.card.uid


def digest_of(item: Listed) -> str | None:
    if item.digest is None:
        try:
            item.digest = hashlib.sha256(read_card_file(item.path)).hexdigest()
        except (OSError, NotACard, NetcliError):
            return None
    return item.digest


def mode_of(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


def writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def carry_out(
    folder: Path,
    writes: dict[str, tuple[str, int | None]],
    deletes: list[str],
    stale: list[Path],
    *,
    items: str = "cards",
) -> dict[str, Listed]:
    """Write and delete the items; the written ones' stat and digest."""
    if (writes or deletes) and not writable(folder):
        raise Invalid(
            f"cannot write in {folder}: permission denied; netcli needs to write the {items} it keeps in step"
        )
    for path in stale:
        with contextlib.suppress(OSError):
            path.unlink()
    for href in deletes:
        try:
            (folder / href).unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise NetcliError(f"cannot delete {folder / href}: {exc.strerror or exc}") from None
    written = {}
    for href, (text, mode) in writes.items():
        path = folder / href
        data = text.encode("utf-8")
        write_private(path, data, mode=mode or 0o600)  # a new card is its owner's alone
        info = path.stat()
        written[href] = Listed(href, path, info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())
    return written
