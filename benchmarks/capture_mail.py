"""`netcli capture mail` against its floor: a bare loop over the same mbox
that parses every message's headers and addresses with the standard library
(`mailbox.mbox`, `BytesHeaderParser`, `getaddresses`), and nothing else.

A 50,000-message mbox (threads of replies, a fifth sent by the user, some
lists, automated senders and strangers) against 5,000 contacts, and the same
messages as a Maildir of 50,000 files. Each figure is a whole process, timed
as a whole (median of --runs after a warm-up). Targets (issue 19): capture
at most 3x the floor, peak at most 200 MB; a repeat over the unchanged
Maildir at most 0.1x the first. Prints; asserts nothing.

    python benchmarks/capture_mail.py            # 50,000 messages
    python benchmarks/capture_mail.py --quick    # a tenth of it
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import PY, netcli, run_once, user_env, write_network

ME = "me@example.org"
FLOOR = r"""
import mailbox, sys
from email.parser import BytesHeaderParser
from email.utils import getaddresses
parser = BytesHeaderParser()
n = 0
box = mailbox.mbox(sys.argv[1], create=False)
for key in box.iterkeys():
    headers = parser.parsebytes(box.get_bytes(key))
    getaddresses(headers.get_all("From", []) + headers.get_all("To", []) + headers.get_all("Cc", []))
    n += 1
print(n)
"""
BODY = "Thanks for the notes from the meetup.\n" * 20


def message(i: int, rng: random.Random, today: date, contacts: int) -> tuple[str, str]:
    """(the `From ` line, the message) of message i."""
    when = datetime.combine(today - timedelta(days=rng.randrange(3 * 365)), datetime.min.time(), UTC)
    when += timedelta(minutes=rng.randrange(24 * 60))
    other = f"p{rng.randrange(contacts)}@example.org" if rng.random() < 0.7 else f"s{rng.randrange(20000)}@else.example"
    sent = rng.random() < 0.2
    frm, to = (ME, other) if sent else (other, ME)
    thread = rng.randrange(max(1, i)) if i and rng.random() < 0.5 else None
    lines = [
        f"From: Person <{frm}>",
        f"To: {to}",
        f"Subject: {'Re: ' if thread is not None else ''}Topic {thread or i}",
    ]
    lines += [f"Date: {format_datetime(when)}", f"Message-ID: <m{i}@bench.example>"]
    if thread is not None:
        lines.append(f"References: <m{thread}@bench.example>")
    if rng.random() < 0.05:
        lines.append("List-Id: <learners.lists.example>")
    if rng.random() < 0.03:
        lines[0] = "From: Service <noreply@service.example>"
    return f"From {frm} {when:%a %b %d %H:%M:%S %Y}", "\n".join(lines) + "\n\n" + BODY


def write_mail(folder: Path, messages: int, contacts: int, today: date) -> tuple[Path, Path]:
    rng = random.Random(19)
    box, maildir = folder / "archive.mbox", folder / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    with box.open("w", encoding="utf-8") as out:
        for i in range(messages):
            line, text = message(i, rng, today, contacts)
            out.write(f"{line}\n{text}\n")
            (maildir / "cur" / f"{1700000000 + i}.M{i}P1.bench:2,S").write_text(text)
    return box, maildir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="5,000 messages, 500 contacts")
    parser.add_argument("--runs", type=int, default=1, help="timed runs per figure (median)")
    args = parser.parse_args()
    messages, contacts = (5_000, 500) if args.quick else (50_000, 5_000)
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="netcli-mail-bench-") as tmp:
        folder = Path(tmp)
        env = user_env(folder, TZ="UTC")
        people, _ = write_network(folder, contacts, 0, today)
        fresh, db = folder / "contacts.db", folder / "net.db"
        for step in (["import", "csv", str(people)], ["config", "set", "me.emails", ME]):
            if run_once(netcli(fresh, *step), env)[2] != 0:
                raise SystemExit(f"netcli {' '.join(step)} failed")
        box, maildir = write_mail(folder, messages, contacts, today)
        floor_script = folder / "floor.py"
        floor_script.write_text(FLOOR)
        print(f"{messages:,} messages, {contacts:,} contacts")
        print(f"{'run':34} {'seconds':>8} {'floor':>8} {'ratio':>6} {'peak MB':>8}  target")
        walls, peaks, floors = [], [], []
        for n in range(args.runs + 1):
            shutil.copyfile(fresh, db)
            wall, peak, code = run_once(netcli(db, "capture", "mail", str(box)), env)
            if code != 0:
                raise SystemExit(f"capture mail failed with exit code {code}")
            floor_wall = run_once([PY, str(floor_script), str(box)], env)[0]
            if n:
                walls.append(wall), peaks.append(peak), floors.append(floor_wall)
        wall, floor_wall = statistics.median(walls), statistics.median(floors)
        print(
            f"{'capture, one mbox':34} {wall:8.2f} {floor_wall:8.2f} {wall / floor_wall:6.2f} {max(peaks):8.0f}"
            "  ≤3x, ≤200 MB"
        )
        shutil.copyfile(fresh, db)
        first, peak, code = run_once(netcli(db, "capture", "mail", str(maildir)), env)
        if code != 0:
            raise SystemExit(f"capture mail failed with exit code {code}")
        repeat = [run_once(netcli(db, "capture", "mail", str(maildir)), env) for _ in range(args.runs + 1)][1:]
        again = statistics.median(r[0] for r in repeat)
        print(f"{'capture, the Maildir':34} {first:8.2f} {'':>8} {'':>6} {peak:8.0f}")
        print(
            f"{'repeat over the unchanged Maildir':34} {again:8.2f} {first:8.2f} {again / first:6.2f} {'':>8}"
            "  ≤0.1x the first"
        )


if __name__ == "__main__":
    main()
