"""netcli's speed and memory, as ratios to the floor its own stack sets.

Builds synthetic learning networks through netcli's own import commands,
then times each command as a whole process (median of several runs after a
warm-up) and divides by the floor, measured in the same run between the
command's own runs so that the machine's drift moves both alike:
`python -c "import typer, rich.console, sqlmodel"` for database commands,
`python -c "import typer"` for --help and --version. Peak memory is each
process's max RSS. Prints a table; asserts nothing (machines are noisy).

    python benchmarks/bench.py                 # 5k/50k, then 100k/1M, then the curve
    python benchmarks/bench.py --quick         # 5k/50k only
    python benchmarks/bench.py --instructions  # 5k/50k, counted in instructions

`--instructions` counts the CPU instructions each process runs under
valgrind's callgrind (one run after a warm-up: a count is the same for the
same program and input, whatever else the shared machine does) and prints
them as the same ratios to the same floors. Not a time: a process that
waits for the disk or for memory costs more time than its count says, and
the floor (loading ~500 modules from disk) more than a command's own work.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PY = sys.executable
CHANNELS = [
    "forum",
    "social",
    "event",
    "virtual-event",
    "course",
    "community",
    "mentoring",
    "shadowing",
    "project",
    "association",
    "work",
    "intro",
    "other",
]
KINDS = (
    ["message"] * 40
    + ["call"] * 12
    + ["meeting"] * 12
    + ["event"] * 5
    + ["collab"] * 6
    + ["help-given"] * 6
    + ["help-received"] * 6
    + ["thanks"] * 7
    + ["intro"] * 2
    + ["mentor-session"] * 2
    + ["other"] * 2
)
TOPICS = ["rust", "python", "sql", "sre", "design", "ml", "career", "writing", "leadership", "data", "security", "go"]
FIRST = [
    "Ana",
    "Bo",
    "Chidi",
    "Dana",
    "Elif",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jamal",
    "Keiko",
    "Liam",
    "Maya",
    "Nikolai",
    "Olivia",
    "Pedro",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Xavier",
    "Yara",
    "Zoe",
]


def person_name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} Person{i:06d}"


def write_network(folder: Path, contacts: int, interactions: int, today: date, seed: int = 1) -> tuple[Path, Path]:
    rng = random.Random(seed)
    people = folder / f"contacts-{contacts}.csv"
    history = folder / f"interactions-{interactions}.csv"
    with people.open("w", encoding="utf-8") as out:
        out.write("name,email,org,tier,via,met_on,tags,topics,note\n")
        for i in range(contacts):
            tier = rng.choices("ABCD", weights=(5, 15, 50, 30))[0]
            met = today - timedelta(days=rng.randint(0, 3 * 365))
            topics = ";".join(rng.sample(TOPICS, rng.randint(0, 3)))
            note = "met at a meetup" if rng.random() < 0.2 else ""
            out.write(
                f"{person_name(i)},p{i}@example.org,Org {i % 500},{tier},{rng.choice(CHANNELS)},{met},"
                f"t{i % 7},{topics},{note}\n"
            )
    weights = [rng.paretovariate(1.2) for _ in range(contacts)]  # a few close people, a long tail
    with history.open("w", encoding="utf-8") as out:
        out.write("date,kind,contacts,note,topics\n")
        chosen = rng.choices(range(contacts), weights=weights, k=interactions)
        for who in chosen:
            day = today - timedelta(days=int(rng.triangular(0, 730, 0)))
            names = person_name(who)
            if rng.random() < 0.1:
                names += ";" + person_name(rng.randrange(contacts))
            note = f"talked about {rng.choice(TOPICS)}" if rng.random() < 0.3 else ""
            out.write(f"{day},{rng.choice(KINDS)},{names},{note},\n")
    return people, history


def user_env(folder: Path, **settings: str) -> dict[str, str]:
    """The environment of a user's netcli, for the processes a benchmark times:
    no NETCLI_ variable of the caller's, NETCLI_CONFIG in `folder`, no colour,
    and bytecode cached as an installed netcli has it (in `folder`), even where
    the caller's environment says PYTHONDONTWRITEBYTECODE: otherwise every timed
    run would compile netcli's ~140 modules afresh, about 0.2 s that no user pays.
    The warm-up run writes the bytecode; the timed runs read it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETCLI_") and k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"NETCLI_CONFIG": str(folder / "config.toml"), "NO_COLOR": "1"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env | settings


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def timed(
    args: list[str], env: dict[str, str], runs: int, floor: list[str] | None = None
) -> tuple[float, float, float]:
    """(median wall, peak MB, median wall of `floor`) over `runs` runs after a
    warm-up; the floor is run between the command's runs, so that a machine
    that slows down or speeds up during the benchmark moves both alike."""
    run_once(args, env)  # warm-up: page cache, .pyc files
    if floor:
        run_once(floor, env)
    samples, floors = [], []
    for _ in range(runs):
        if floor:
            floors.append(run_once(floor, env)[0])
        samples.append(run_once(args, env))
    failed = [code for _, _, code in samples if code != 0]
    if failed:
        raise SystemExit(f"{' '.join(args)} failed with exit code {failed[0]}")
    walls = [s[0] for s in samples]
    return statistics.median(walls), max(s[1] for s in samples), statistics.median(floors) if floors else 0.0


def instructions(args: list[str], env: dict[str, str], warm_up: list[str] | None = None) -> int:
    """The instructions one run of `args` executes, counted by callgrind (after
    a warm-up run, of `warm_up` if given, that caches bytecode and pages)."""
    run_once(warm_up or args, env)
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"{' '.join(args)} failed under valgrind (exit {proc.returncode})")
    return int(found.group(1))


def count_commands(db: Path, env: dict[str, str]) -> None:
    """Each command's instructions as a ratio to its floor's."""
    typer_floor, db_floor = instructions(TYPER_FLOOR, env), instructions(DB_FLOOR, env)
    print(f"floors: {db_floor / 1e9:.3f} G instructions (database), {typer_floor / 1e9:.3f} G (typer)")
    for label, args in (("--help", ["--help"]), ("--version", ["--version"])):
        count = instructions([PY, "-m", "netcli", *args], env)
        print(f"  {label:<20} {count / 1e9:6.3f} G  {count / typer_floor:5.2f}x typer floor")
    for label, command in COMMANDS:
        if command is None:  # a new name each run
            counted, warm_up = (netcli(db, "add", f"Bench {what} {time.time_ns()}") for what in ("Counted", "Warm-up"))
            count = instructions(counted, env, warm_up)
        else:
            count = instructions(netcli(db, *command), env)
        print(f"  {label:<20} {count / 1e9:6.3f} G  {count / db_floor:5.2f}x floor")


def netcli(db: Path, *args: str) -> list[str]:
    return [PY, "-m", "netcli", "--db", str(db), *args]


def build(folder: Path, contacts: int, interactions: int, env: dict[str, str]) -> tuple[Path, dict[str, float]]:
    today = date.today()
    db = folder / f"net-{contacts}.db"
    people, history = write_network(folder, contacts, interactions, today)
    stats = {}
    for kind, path, rows in (("csv", people, contacts), ("interactions", history, interactions)):
        wall, rss, code = run_once(netcli(db, "import", kind, str(path)), env)
        if code != 0:
            raise SystemExit(f"import {kind} failed (exit {code})")
        stats[f"import {kind} rows/s"] = rows / wall
        stats[f"import {kind} peak MB"] = rss
    return db, stats


COMMANDS = [
    ("nudge", ["nudge"]),
    ("list --json", ["list", "--json"]),
    ("list", ["list"]),
    ("search rust", ["search", "rust"]),
    ("show", ["show", "Ana Person000000"]),
    ("add", None),
    ("log", ["log", "Bo Person000001", "--kind", "call", "--note", "benchmark"]),
    ("history --limit 20", ["history", "--limit", "20"]),
    ("report", ["report"]),
]


DB_FLOOR = [PY, "-c", "import typer, rich.console, sqlmodel"]
TYPER_FLOOR = [PY, "-c", "import typer"]


def measure(db: Path, env: dict[str, str], runs: int) -> dict[str, tuple[float, float, float]]:
    """Per command: (median wall, peak MB, median wall of the floor run alongside)."""
    results = {}
    counter = iter(range(10**6))
    for label, args in COMMANDS:
        if args is None:  # a new name every run
            samples, floors = [], []
            for number in range(runs + 1):
                floor = run_once(DB_FLOOR, env)[0]
                sample = run_once(netcli(db, "add", f"Bench Newcomer {next(counter)}"), env)
                if number:  # the first is the warm-up
                    floors.append(floor)
                    samples.append(sample)
            results[label] = (
                statistics.median(s[0] for s in samples),
                max(s[1] for s in samples),
                statistics.median(floors),
            )
        else:
            results[label] = timed(netcli(db, *args), env, runs, DB_FLOOR)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only the 5,000 / 50,000 network")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median)")
    parser.add_argument("--keep", type=Path, help="build the networks in this folder and keep them")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under valgrind (5,000 / 50,000 only)"
    )
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="netcli-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = user_env(folder)
    try:
        if options.instructions:
            db = folder / "net-5000.db"
            if not db.exists():
                db, _ = build(folder, 5_000, 50_000, env)
            print("5,000 contacts / 50,000 interactions, in instructions (targets as for time: <= 1.3x)")
            count_commands(db, env)
            return
        for label, args in (("--help", ["--help"]), ("--version", ["--version"])):
            wall, rss, floor = timed([PY, "-m", "netcli", *args], env, options.runs, TYPER_FLOOR)
            print(
                f"{label:<20} {wall:6.3f}s  {wall / floor:5.2f}x typer floor {floor:.3f}s (target <= 1.3)  "
                f"{rss:6.1f} MB"
            )
        sizes = [(5_000, 50_000)] if options.quick else [(5_000, 50_000), (100_000, 1_000_000)]
        base: dict[str, float] = {}
        for contacts, interactions in sizes:
            db, stats = build(folder, contacts, interactions, env)
            print(f"\n{contacts:,} contacts / {interactions:,} interactions")
            for key, value in stats.items():
                unit = "" if "MB" in key else " (target >= 20,000 at 1M)" if "interactions rows" in key else ""
                print(f"  {key:<28} {value:10,.0f}{unit}")
            for label, (wall, rss, floor) in measure(db, env, options.runs).items():
                ratio = wall / floor
                line = f"  {label:<20} {wall:6.3f}s  {ratio:5.2f}x floor ({floor:.3f}s)  {rss:6.1f} MB"
                if contacts == 5_000:
                    base[label] = ratio
                    line += "   (targets: <= 1.3x, <= 120 MB)"
                elif label in ("nudge", "report"):
                    # compared through the floor run beside each, so the machine's drift cancels
                    line += f"   {ratio / base[label]:4.2f}x its 5k time (target <= 3, <= 300 MB)"
                print(line)
        if not options.quick:
            print("\ncurve (interactions = 10 x contacts)")
            for contacts in (1_000, 10_000, 100_000):
                db = folder / f"net-{contacts}.db"
                if not db.exists():
                    db, _ = build(folder, contacts, contacts * 10, env)
                row = [f"{contacts:>7,}"]
                for label in ("nudge", "list --json", "report"):
                    args = dict(COMMANDS)[label]
                    wall, rss, _ = timed(netcli(db, *args), env, max(3, options.runs // 2))
                    row.append(f"{label} {wall:.3f}s/{rss:.0f}MB")
                print("  " + "   ".join(row))
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
