"""`netcli capture calendar` against its floor: the same files parsed and
their recurrences expanded with the same libraries, and nothing else.

A calendar of 20,000 events (2,000 of them weekly over five years, the rest
single, some declined, cancelled or with strangers only) against 5,000
contacts, both as one `.ics` export and as a vdir of one file per event.
Each figure is a whole process, timed as a whole (median of --runs after a
warm-up, the floor run between the command's own runs). Targets (issue 18):
capture at most 2x the floor, peak at most 250 MB, a repeat over the
unchanged vdir at most 0.2x the first capture. Prints; asserts nothing.

    python benchmarks/capture_calendar.py            # 20,000 events
    python benchmarks/capture_calendar.py --quick    # a tenth of it
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import PY, netcli, run_once, user_env, write_network

ME = "me@example.org"
FLOOR = r"""
import datetime as dt, os, sys
import icalendar, recurring_ical_events, x_wr_timezone
start, end = dt.date(1900, 1, 1), dt.date.today() + dt.timedelta(days=44)
paths = []
for given in sys.argv[1:]:
    if os.path.isdir(given):
        paths += sorted(os.path.join(given, n) for n in os.listdir(given) if n.endswith(".ics"))
    else:
        paths.append(given)
n = 0
for path in paths:
    with open(path, "rb") as handle:
        for cal in icalendar.Calendar.from_ical(handle.read(), multiple=True):
            if "X-WR-TIMEZONE" in cal:
                cal = x_wr_timezone.to_standard(cal)
            for event in recurring_ical_events.of(cal, skip_bad_series=True).after(start):
                day = event["DTSTART"].dt
                if (day.date() if isinstance(day, dt.datetime) else day) > end:
                    break
                n += 1
print(n)
"""


def event_lines(i: int, rng: random.Random, today: date, contacts: int, weekly: bool) -> list[str]:
    first = today - timedelta(days=5 * 365) + timedelta(days=rng.randrange(7))
    day = first if weekly else today - timedelta(days=rng.randrange(5 * 365))
    hour = rng.randrange(8, 19)
    zoned = rng.random() < 0.5
    when = f"{day:%Y%m%d}T{hour:02d}0000"
    start = f"DTSTART;TZID=Europe/Berlin:{when}" if zoned else f"DTSTART:{when}Z"
    summary = f"SUMMARY:{'Weekly sync' if weekly else 'Meeting'} {i}"
    lines = ["BEGIN:VEVENT", f"UID:bench-{i}@example.org", start, summary]
    if weekly:
        lines.append("RRULE:FREQ=WEEKLY;COUNT=260")
    lines.append(f"ORGANIZER:mailto:{ME}")
    lines.append(f"ATTENDEE;PARTSTAT={'DECLINED' if rng.random() < 0.03 else 'ACCEPTED'}:mailto:{ME}")
    for _ in range(rng.randint(1, 3)):
        who = rng.randrange(contacts) if rng.random() < 0.8 else None
        address = f"p{who}@example.org" if who is not None else f"stranger{rng.randrange(10**6)}@elsewhere.example"
        lines.append(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{address}")
    if rng.random() < 0.02:
        lines.append("STATUS:CANCELLED")
    return [*lines, "END:VEVENT"]


TIMEZONE = [
    "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
    "BEGIN:STANDARD", "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT", "END:VTIMEZONE",
]  # fmt: skip


def write_calendars(folder: Path, events: int, weekly: int, contacts: int, today: date) -> tuple[Path, Path]:
    rng = random.Random(18)
    export, vdir = folder / "export.ics", folder / "vdir"
    vdir.mkdir()
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netcli benchmark//EN", *TIMEZONE]
    with export.open("w", encoding="utf-8", newline="") as out:
        out.write("\r\n".join(head) + "\r\n")
        for i in range(events):
            lines = event_lines(i, rng, today, contacts, weekly=i < weekly)
            out.write("\r\n".join(lines) + "\r\n")
            (vdir / f"bench-{i}.ics").write_text("\r\n".join([*head, *lines, "END:VCALENDAR"]) + "\r\n", newline="")
        out.write("END:VCALENDAR\r\n")
    return export, vdir


def timed(make: list[str], env: dict[str, str], runs: int, fresh: Path, db: Path, floor: list[str]) -> tuple:
    """Median wall and peak MB of `make` on a fresh copy of the contacts-only database each run, and the floor's."""
    walls, peaks, floors = [], [], []
    for n in range(runs + 1):  # the first of each is a warm-up
        shutil.copyfile(fresh, db)
        wall, peak, code = run_once(make, env)
        if code != 0:
            raise SystemExit(f"{' '.join(make)} failed with exit code {code}")
        floor_wall = run_once(floor, env)[0]
        if n:
            walls.append(wall)
            peaks.append(peak)
            floors.append(floor_wall)
    return statistics.median(walls), max(peaks), statistics.median(floors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 events, 200 weekly, 500 contacts")
    parser.add_argument("--runs", type=int, default=1, help="timed runs per figure (median)")
    args = parser.parse_args()
    events, weekly, contacts = (2_000, 200, 500) if args.quick else (20_000, 2_000, 5_000)
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="netcli-capture-bench-") as tmp:
        folder = Path(tmp)
        env = user_env(folder, TZ="Europe/Berlin")
        people, _ = write_network(folder, contacts, 0, today)
        fresh, db = folder / "contacts.db", folder / "net.db"
        for step in (["import", "csv", str(people)], ["config", "set", "me.emails", ME]):
            if run_once(netcli(fresh, *step), env)[2] != 0:
                raise SystemExit(f"netcli {' '.join(step)} failed")
        export, vdir = write_calendars(folder, events, weekly, contacts, today)
        floor_script = folder / "floor.py"
        floor_script.write_text(FLOOR)
        print(f"{events:,} events ({weekly:,} weekly over five years), {contacts:,} contacts")
        print(f"{'run':34} {'seconds':>8} {'floor':>8} {'ratio':>6} {'peak MB':>8}  target")
        for label, path in (("one .ics export", export), ("a vdir of one file per event", vdir)):
            floor = [PY, str(floor_script), str(path)]
            command = netcli(db, "capture", "calendar", str(path))
            wall, peak, floor_wall = timed(command, env, args.runs, fresh, db, floor)
            ratio = wall / floor_wall
            print(f"{'capture, ' + label:34} {wall:8.2f} {floor_wall:8.2f} {ratio:6.2f} {peak:8.0f}  ≤2x, ≤250 MB")
        repeat = [run_once(netcli(db, "capture", "calendar", str(vdir)), env) for _ in range(args.runs + 1)][1:]
        again, most = statistics.median(r[0] for r in repeat), max(r[1] for r in repeat)
        label = "repeat over the unchanged vdir"
        print(f"{label:34} {again:8.2f} {wall:8.2f} {again / wall:6.2f} {most:8.0f}  ≤0.2x the first")


if __name__ == "__main__":
    main()
