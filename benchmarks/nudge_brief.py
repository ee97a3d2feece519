"""`netcli nudge --brief` against its floors: with the database unchanged
since the line was worked out, the line is read with the standard library
alone; with it changed, the nudges are worked out as `nudge` does.

5,000 people and 20,000 interactions. Each figure is a whole process, the
median of --runs after a warm-up. Targets (issue 21): unchanged, at most
0.25x the stack's import floor (`python -c "import typer, rich.console,
sqlmodel"`) and within 2x of `python -c "import sqlite3"`; changed, no
slower than `nudge`. Prints; asserts nothing.

    python benchmarks/nudge_brief.py [--runs 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import PY, netcli, run_once, user_env, write_network


def median(command: list[str], env: dict[str, str], runs: int, before: object = None) -> float:
    walls = []
    for n in range(runs + 1):
        if callable(before):
            before()
        wall, _, code = run_once(command, env)
        if code != 0:
            raise SystemExit(f"{' '.join(command)} failed with exit code {code}")
        if n:
            walls.append(wall)
    return statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netcli-brief-bench-") as tmp:
        folder = Path(tmp)
        env = user_env(folder)
        people, history = write_network(folder, 5_000, 20_000, date.today())
        db = folder / "net.db"
        for step in (["import", "csv", str(people)], ["import", "interactions", str(history)]):
            if run_once(netcli(db, *step), env)[2] != 0:
                raise SystemExit(f"netcli {' '.join(step)} failed")
        brief = netcli(db, "nudge", "--brief", "--always")
        run_once(brief, env)

        def touch() -> None:  # a write from another program: the next brief works the nudges out again
            with sqlite3.connect(db) as conn:
                conn.execute("UPDATE contact SET note = note WHERE id = 1")

        kept = median(brief, env, args.runs)
        stack = median([PY, "-c", "import typer, rich.console, sqlmodel"], env, args.runs)
        bare = median([PY, "-c", "import sqlite3"], env, args.runs)
        changed = median(brief, env, args.runs, before=touch)
        nudge = median(netcli(db, "nudge"), env, args.runs)
        print("5,000 people, 20,000 interactions")
        print(f"{'run':40} {'seconds':>8} {'against':>8} {'ratio':>6}  target")
        print(f"{'brief, unchanged vs the import floor':40} {kept:8.3f} {stack:8.3f} {kept / stack:6.2f}  ≤0.25x")
        print(f"{'brief, unchanged vs import sqlite3':40} {kept:8.3f} {bare:8.3f} {kept / bare:6.2f}  ≤2x")
        print(f"{'brief, database changed vs nudge':40} {changed:8.3f} {nudge:8.3f} {changed / nudge:6.2f}  ≤1x")


if __name__ == "__main__":
    main()
