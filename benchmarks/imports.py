"""`import interactions` at 100,000 rows over 20,000 contacts: rows per
second and peak memory, with people named by plain names and as
`Name <email>` (what `export interactions` writes for shared names), and
the ratio of the two (target: `Name <email>` at most 1.5x plain names, peak
at most 200 MB). Each run imports into a fresh copy of one database of the
contacts. Prints a table; asserts nothing (machines are noisy).

    python benchmarks/imports.py [--rows 100000] [--contacts 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import KINDS, netcli, person_name, run_once, user_env


def write_files(folder: Path, contacts: int, rows: int) -> tuple[Path, Path, Path]:
    import random

    rng = random.Random(7)
    today = date.today()
    people = folder / "people.csv"
    with people.open("w", encoding="utf-8") as out:
        out.write("name,email,met_on\n")
        for i in range(contacts):
            out.write(f"{person_name(i)},p{i}@example.org,{today - timedelta(days=400)}\n")
    plain, referenced = folder / "plain.csv", folder / "referenced.csv"
    with plain.open("w", encoding="utf-8") as one, referenced.open("w", encoding="utf-8") as other:
        for out in (one, other):
            out.write("date,kind,contacts,note,topics\n")
        for _ in range(rows):
            who = rng.randrange(contacts)
            day = today - timedelta(days=rng.randrange(365))
            kind = rng.choice(KINDS)
            one.write(f"{day},{kind},{person_name(who)},,\n")
            other.write(f"{day},{kind},{person_name(who)} <p{who}@example.org>,,\n")
    return people, plain, referenced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netcli-imports-") as tmp:
        folder = Path(tmp)
        env = user_env(folder, HOME=tmp)
        people, plain, referenced = write_files(folder, options.contacts, options.rows)
        base = folder / "base.db"
        if run_once(netcli(base, "import", "csv", str(people)), env)[2] != 0:
            raise SystemExit("import csv failed")
        results = {}
        for label, path in (("plain names", plain), ("Name <email>", referenced)):
            walls, peaks = [], []
            for number in range(options.runs):
                db = folder / f"run-{label[0]}-{number}.db"
                shutil.copy(base, db)
                wall, peak, code = run_once(netcli(db, "import", "interactions", str(path)), env)
                if code != 0:
                    raise SystemExit(f"import interactions ({label}) failed with exit code {code}")
                walls.append(wall)
                peaks.append(peak)
            results[label] = (statistics.median(walls), max(peaks))
        print(
            f"import interactions: {options.rows:,} rows over {options.contacts:,} contacts, median of {options.runs}"
        )
        for label, (wall, peak) in results.items():
            print(
                f"  {label:<14} {wall:6.2f} s  {options.rows / wall:9,.0f} rows/s  peak {peak:5.0f} MB (target <= 200)"
            )
        ratio = results["Name <email>"][0] / results["plain names"][0]
        print(f"  Name <email> / plain names: {ratio:.2f}x (target <= 1.5)")


if __name__ == "__main__":
    main()
