"""`netcli sync vdir` against its floor: `netcli import vcard` of the same
cards concatenated into one .vcf file, into a fresh database.

A vdir of 5,000 cards, one per file, written the way real programs write
them: mostly vCard 3.0 (khard, vdirsyncer, Nextcloud: UID, FN, N,
EMAIL;TYPE=INTERNET, TEL;TYPE=CELL, ORG, TITLE, CATEGORIES, a folded NOTE,
ADR, X- properties, item1.X-ABLabel groups, some with a base64 PHOTO folded
at 75 octets) and some vCard 4.0 (TEL;VALUE=uri:tel:..., BDAY:19850315),
CRLF line endings, unique emails, seeded. Each figure is a whole process
(median of --runs after a warm-up, which also writes the bytecode to a
cache in the temp folder, so that netcli's modules load as installed ones
do even under PYTHONDONTWRITEBYTECODE): the import and the first sync each into
a fresh database (and a fresh copy of the vdir, copied outside the timing);
a repeat with nothing changed (after one that found nothing to do, which
keeps its answer: `netcli.sync.kept`); a repeat after 50 cards were edited in the
folder and 20 contacts in netcli (`netcli edit`, outside the timing).
Targets (issue 20): first sync at most 1.5x the import, a repeat with
nothing changed at most 0.1x the first sync, peak at most 150 MB. Prints;
asserts nothing.

    python benchmarks/sync_vdir.py            # 5,000 cards
    python benchmarks/sync_vdir.py --quick    # 500 cards
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import PY, TOPICS, netcli, person_name, run_once, user_env

FLOOR = [PY, "-c", "import typer, rich.console, sqlmodel"]  # the stack's own start-up, for context
CRLF = "\r\n"
CITIES = ["Lisbon", "Berlin", "Austin", "Nairobi", "Osaka", "Toronto", "Lyon", "Pune", "Bogotá", "Kraków"]
TITLES = ["Engineer", "Staff Engineer", "Data Scientist", "SRE", "Designer", "Engineering Manager", "Founder"]
NOTE = (
    "Met at the {city} meetup; we talked about {topic} for an hour, and she offered to review my talk. "
    "Follow up about the reading group, the conference in spring and the mentoring programme."
)
_TEL_LINE = re.compile(r"^((?:item\d+\.)?TEL[^:\r\n]*:(?:tel:)?)[^\r\n]*", re.MULTILINE)


def fold(line: str) -> str:
    """One property folded at 75 octets (these lines are ASCII but for a city or two)."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def card(i: int, rng: random.Random) -> tuple[str, str]:
    """(the UID, the card's text) of card i."""
    uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    name = person_name(i)
    given, family = name.split(" ")
    city = rng.choice(CITIES)
    topics = rng.sample(TOPICS, rng.randint(0, 3))
    phone = f"+1-555-{rng.randrange(10**7):07d}"
    four = rng.random() < 0.3
    lines = ["BEGIN:VCARD"]
    if four:  # vCard 4.0, as Nextcloud and DAVx5 write it
        lines += ["VERSION:4.0", "PRODID:-//Sabre//Sabre VObject 4.5.4//EN", f"UID:urn:uuid:{uid}"]
        lines += [f"FN:{name}", f"N:{family};{given};;;", "KIND:individual"]
        lines += [f"EMAIL;TYPE=work:p{i}@example.org", f"TEL;VALUE=uri;TYPE=cell:tel:{phone}"]
        if rng.random() < 0.5:
            lines.append(f"BDAY:{rng.randint(1960, 2002)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}")
    else:  # vCard 3.0, as khard, vdirsyncer (from Radicale) and older Nextcloud write it
        lines += ["VERSION:3.0", "PRODID:-//khard//khard 0.19//EN", f"UID:{uid}"]
        lines += [f"FN:{name}", f"N:{family};{given};;;"]
        lines += [f"EMAIL;TYPE=INTERNET;TYPE=HOME:p{i}@example.org", f"TEL;TYPE=CELL:{phone}"]
        if rng.random() < 0.3:
            lines.append(f"EMAIL;TYPE=INTERNET;TYPE=WORK:p{i}.work@example.org")
        if rng.random() < 0.2:
            lines.append(f"TEL;TYPE=WORK,VOICE:+1-555-{rng.randrange(10**7):07d}")
        if rng.random() < 0.2:
            lines.append(f"BDAY:{rng.randint(1960, 2002)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    lines += [f"ORG:Org {i % 500};Platform", f"TITLE:{rng.choice(TITLES)}"]
    if topics:
        lines.append(f"CATEGORIES:{','.join(topics)}")
    if rng.random() < 0.6:
        note = NOTE.format(city=city, topic=rng.choice(TOPICS)).replace(",", "\\,").replace(";", "\\;")
        lines.append(f"NOTE:{note}\\nSecond line of the note.")
    if rng.random() < 0.5:
        lines.append(f"ADR;TYPE=HOME:;;{rng.randint(1, 300)} Main Street;{city};;{rng.randrange(10**5):05d};Earth")
    if rng.random() < 0.3:  # Apple's labelled groups
        lines += [f"item1.URL:https://blog.example.org/p{i}", "item1.X-ABLabel:_$!<HomePage>!$_"]
        lines += [f"item2.X-ABRELATEDNAMES:{person_name(i + 1)}", "item2.X-ABLabel:_$!<Friend>!$_"]
    if rng.random() < 0.4:
        lines += [
            f"X-SOCIALPROFILE;TYPE=mastodon:https://social.example/@p{i}",
            f"X-EVOLUTION-FILE-AS:{family}\\, {given}",
        ]
    if rng.random() < 0.1:  # a ~4 KB photo
        photo = base64.b64encode(rng.randbytes(3000)).decode("ascii")
        lines.append(f"PHOTO:data:image/jpeg;base64,{photo}" if four else f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}")
    lines += [f"REV:2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}T120000Z", "END:VCARD"]
    return uid, CRLF.join(fold(line) for line in lines) + CRLF


def write_vdir(folder: Path, cards: int) -> tuple[Path, Path]:
    """(the vdir, the same cards in one .vcf file)."""
    rng = random.Random(20)
    vdir, joined = folder / "vdir-source", folder / "all.vcf"
    vdir.mkdir()
    with joined.open("w", encoding="utf-8", newline="") as out:
        for i in range(cards):
            uid, text = card(i, rng)
            (vdir / f"{uid}.vcf").write_text(text, encoding="utf-8", newline="")
            out.write(text)
    return vdir, joined


def fresh_copy(source: Path, target: Path) -> None:
    """`target` as `source` is, times to the nanosecond (a sync compares them)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


def fresh_db(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def copy_db(source: Path, target: Path) -> None:
    fresh_db(target)
    shutil.copyfile(source, target)


def summary(db: Path, vdir: Path, env: dict[str, str]) -> dict:
    """A sync's JSON summary (a sync itself: only where one is not timed)."""
    done = subprocess.run(netcli(db, "sync", "vdir", str(vdir), "--json"), env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"sync vdir failed with exit code {done.returncode}: {done.stderr.strip()[-300:]}")
    return json.loads(done.stdout)


def changed(result: dict) -> str:
    keys = ("added_here", "added_there", "updated_here", "updated_there", "conflicts", "archived", "unparsable")
    return ", ".join(f"{key} {result[key]}" for key in keys if result.get(key))


def check(code: int, what: str) -> None:
    if code != 0:
        raise SystemExit(f"{what} failed with exit code {code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="500 cards")
    parser.add_argument("--cards", type=int, default=5_000, help="cards in the vdir")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per figure (median)")
    args = parser.parse_args()
    cards = 500 if args.quick else args.cards
    with tempfile.TemporaryDirectory(prefix="netcli-vdir-bench-") as tmp:
        folder = Path(tmp)
        (folder / "home").mkdir()
        env = user_env(folder, HOME=str(folder / "home"), TZ="UTC", NETCLI_DB=str(folder / "default.db"))
        source, joined = write_vdir(folder, cards)
        db, vdir = folder / "net.db", folder / "vdir"
        print(f"{cards:,} cards, {sum(p.stat().st_size for p in source.iterdir()) / 2**20:.1f} MB")

        # the floor, the import, and the first sync, each into a fresh database, taking turns
        floors, imports, firsts = [], [], []
        for n in range(args.runs + 1):
            floors.append(run_once(FLOOR, env))
            fresh_db(db)
            imports.append(run_once(netcli(db, "import", "vcard", str(joined)), env))
            check(imports[-1][2], "import vcard")
            fresh_db(db)
            fresh_copy(source, vdir)
            firsts.append(run_once(netcli(db, "sync", "vdir", str(vdir)), env))
            check(firsts[-1][2], "sync vdir")
            if n == 0:  # the warm-up
                floors, imports, firsts = [], [], []

        # the state after a first sync, kept to start each repeat from
        listed = subprocess.run(netcli(db, "list", "--json"), env=env, capture_output=True, text=True)
        people = len(json.loads(listed.stdout)) if listed.returncode == 0 else -1
        if people != cards:
            print(f"WARNING: after the first sync `netcli list --json` shows {people:,} contacts, not {cards:,}")
        synced_db, synced_vdir = folder / "synced.db", folder / "vdir-synced"
        shutil.copyfile(db, synced_db)
        fresh_copy(vdir, synced_vdir)

        # a repeat with nothing changed: the first repeat is the warm-up (and says what it did)
        second = summary(db, vdir, env)
        if changed(second):
            print(f"WARNING: the second sync, with nothing changed, did something: {changed(second)}")
        repeats = [run_once(netcli(db, "sync", "vdir", str(vdir)), env) for _ in range(args.runs)]
        for r in repeats:
            check(r[2], "sync vdir")

        # 50 cards edited in the folder (one TEL line each), 20 other contacts edited in netcli
        copy_db(synced_db, db)
        fresh_copy(synced_vdir, vdir)
        rng = random.Random(21)
        hrefs = sorted(p.name for p in vdir.iterdir())
        edited_cards = rng.sample(hrefs, min(50, cards))
        for href in edited_cards:
            path = vdir / href
            text = _TEL_LINE.sub(rf"\g<1>+1-555-{rng.randrange(10**7):07d}", path.read_text(encoding="utf-8"), count=1)
            path.write_text(text, encoding="utf-8", newline="")
        untouched = sorted({person_name(i) for i in range(cards)} - {_fn(vdir / href) for href in edited_cards})
        for name in rng.sample(untouched, min(20, len(untouched))):
            check(run_once(netcli(db, "edit", name, "--phone", f"+44 20 {rng.randrange(10**8):08d}"), env)[2], "edit")
        edited_db, edited_vdir = folder / "edited.db", folder / "vdir-edited"
        shutil.copyfile(db, edited_db)
        fresh_copy(vdir, edited_vdir)
        result = summary(db, vdir, env)  # the warm-up, which says what it did
        if result["updated_here"] != min(50, cards) or result["updated_there"] != min(20, cards) or result["conflicts"]:
            print(f"WARNING: the sync after the edits did: {changed(result)} (expected 50 here, 20 there)")
        edits = []
        for _ in range(args.runs):
            copy_db(edited_db, db)
            fresh_copy(edited_vdir, vdir)
            edits.append(run_once(netcli(db, "sync", "vdir", str(vdir)), env))
            check(edits[-1][2], "sync vdir")

        def med(samples: list[tuple[float, float, int]]) -> float:
            return statistics.median(s[0] for s in samples)

        def peak(samples: list[tuple[float, float, int]]) -> float:
            return max(s[1] for s in samples)

        floor, imported, first = med(floors), med(imports), med(firsts)
        rows = [
            ("python floor (typer, rich, sqlmodel)", floor, None, peak(floors), ""),
            ("import vcard, one file", imported, None, peak(imports), ""),
            ("first sync, fresh database", first, imported, peak(firsts), "≤1.5x import vcard, ≤150 MB"),
            ("repeat, nothing changed", med(repeats), first, peak(repeats), "≤0.1x first sync, ≤150 MB"),
            ("repeat, 50 cards + 20 contacts edited", med(edits), first, peak(edits), "≤150 MB"),
        ]
        print(f"{'run':40} {'seconds':>8} {'reference':>10} {'ratio':>6} {'peak MB':>8}  target")
        for label, wall, reference, mb, target in rows:
            ref = f"{reference:10.2f}" if reference else f"{'':>10}"
            ratio = f"{wall / reference:6.2f}" if reference else f"{'':>6}"
            print(f"{label:40} {wall:8.2f} {ref} {ratio} {mb:8.0f}  {target}")


def _fn(path: Path) -> str:
    match = re.search(r"^FN:([^\r\n]*)", path.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1) if match else ""


if __name__ == "__main__":
    main()
