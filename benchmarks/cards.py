"""vCards in and out: time and peak memory of `import vcard`, `export vcard`
and `sync vdir` on an ordinary large address book and on oversized cards.

- an address book of about 20 MB (`--mb`) of ordinary cards in one file, as
  `benchmarks/sync_vdir.py` writes them (3.0 and 4.0, notes, photos on one
  card in ten): `import vcard` into a fresh database, then `export vcard`;
- one card of 200 MB (`--huge`) beside an ordinary one: `import vcard
  --skip-bad` of the file, and `sync vdir` of a folder holding the two;
- one card just under the limit per card (4 MB, a photo): `sync vdir`.

Each figure is one whole process (wall and CPU seconds, peak RSS). Issue 27 measured
151 s and 10.8 GB for `sync vdir` of a 200 MB card, and 118 s and 1.67 GB for
`import vcard` of 20 MB. Prints; asserts nothing.

    python benchmarks/cards.py
    python benchmarks/cards.py --mb 2 --huge 20   # quicker
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import PY, user_env
from sync_vdir import card

from netcli.formats.card import MAX_CARD_BYTES


def netcli(db: Path, *args: str) -> list[str]:
    return [PY, "-m", "netcli", "--db", str(db), *args]


def write_card(path: Path, size: int, name: str, mode: str = "w") -> None:
    """A card whose photo makes it `size` bytes, folded at 75 octets as phones write it; written a
    piece at a time, so that this process stays small (a child's peak counts what it was forked from)."""
    with path.open(mode, encoding="ascii", newline="") as out:
        out.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{name}\r\nFN:{name}\r\nPHOTO;ENCODING=b;TYPE=JPEG:")
        piece = "\r\n " + "A" * 74
        for _ in range(0, size // 77, 1000):
            out.write(piece * 1000)
        out.write("\r\nEND:VCARD\r\n")


def show(what: str, args: list[str], env: dict[str, str]) -> None:
    """Wall and CPU time (CPU says more on a shared machine), and peak memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall, cpu = time.perf_counter() - start, usage.ru_utime + usage.ru_stime
    code = os.waitstatus_to_exitcode(status)
    print(f"{what:<55} {wall:7.2f} s {cpu:7.2f} s {usage.ru_maxrss / 1024:7.0f} MB  exit {code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=20, help="size of the ordinary address book (MB)")
    parser.add_argument("--huge", type=int, default=200, help="size of the oversized card (MB)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = user_env(root)
        book, rng, count, size = root / "book.vcf", random.Random(20), 0, 0
        print(f"{'':<55} {'wall':>9} {'CPU':>9} {'peak RSS':>10}")
        with book.open("w", encoding="utf-8", newline="") as out:
            while size < options.mb * 2**20:
                text = card(count, rng)[1]
                out.write(text)
                size += len(text.encode())
                count += 1
        print(f"{count:,} ordinary cards, {size / 2**20:.1f} MB")
        show("import vcard (fresh database)", netcli(root / "a.db", "import", "vcard", str(book)), env)
        show("export vcard", netcli(root / "a.db", "export", "vcard", "--output", str(root / "out.vcf")), env)
        mixed = root / "mixed.vcf"  # under the file's limit (200 MB): the card is refused, not the file
        write_card(mixed, min(options.huge, 190) * 2**20, "Huge")
        write_card(mixed, 10_000, "Small", mode="a")
        what = f"import vcard --skip-bad: a {min(options.huge, 190)} MB card + 1"
        show(what, netcli(root / "b.db", "import", "vcard", str(mixed), "--skip-bad"), env)
        folder = root / "vdir"
        folder.mkdir()
        write_card(folder / "huge.vcf", options.huge * 2**20, "Huge")
        write_card(folder / "small.vcf", 10_000, "Small")
        show(f"sync vdir: a {options.huge} MB card + 1", netcli(root / "c.db", "sync", "vdir", str(folder)), env)
        (folder / "huge.vcf").unlink()
        write_card(folder / "limit.vcf", MAX_CARD_BYTES - 1000, "Limit")
        show(
            "sync vdir: a card just under the limit (4 MB) + 1", netcli(root / "d.db", "sync", "vdir", str(folder)), env
        )


if __name__ == "__main__":
    main()
