"""The chat export readers (`netcli.capture.chat`) against their floors.

Telegram: a whole-account `result.json` of 1,000,000 messages over 2,000
chats, written as Telegram Desktop writes it (its key order, one-space
indents, texts as strings or lists of entities, replies, service
messages, media), read by netcli into records, against the floor: the same
file streamed with ijson's C parser, building each message and touching it
(`ijson.items(f, "chats.list.item.messages.item")`). Target within 2x,
peak memory at most 250 MB.

WhatsApp: an Android export of 200,000 lines (a group, day-first dates on a
12-hour clock, one message in ten over several lines), read by netcli into
records, against the floor: reading it line by line with the same header
pattern and the same date parse (`whatsapp.to_datetime` of each message's
fields). Half the messages come in the minute of the one before, as in a
conversation. Target within 2x.

End to end: `netcli capture chat result.json` into a fresh database with
2,000 of the Telegram export's people as contacts (by handle), then the
same unchanged export captured again. Targets: peak memory at most 250 MB,
the second run at most 0.1x the first.

Each figure is a whole process (median of --runs after a warm-up): its
wall time, its CPU time (user and system: what other work on a shared
machine changes least) and its peak memory (max RSS). Prints; asserts
nothing.

    python benchmarks/chat.py            # 1,000,000 Telegram messages, 200,000 WhatsApp lines
    python benchmarks/chat.py --quick    # a tenth of each
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import PY, user_env

TELEGRAM_FLOOR = r"""
import sys, ijson
n = 0
with open(sys.argv[1], "rb") as handle:
    for message in ijson.items(handle, "chats.list.item.messages.item", use_float=True):
        message.get("id")
        n += 1
print(n)
"""
WHATSAPP_FLOOR = r"""
import sys
from netcli.capture.chat.whatsapp import ANDROID, DMY, to_datetime
n = 0
with open(sys.argv[1], encoding="utf-8") as handle:
    for line in handle:
        found = ANDROID.match(line)
        if found is not None:
            first, _, second, third, hour, minute, seconds, half, _ = found.groups()
            to_datetime((first, second, third, hour, minute, seconds, half), DMY)
            n += 1
print(n)
"""
READER = r"""
import sys
from pathlib import Path
from netcli.capture.chat import read
n = 0
for record in read(Path(sys.argv[1])):
    n += 1
print(n)
"""
SENTENCE = "the meetup slides were great let us pair on the rust exercise next week thanks again see you"
WORDS = SENTENCE.split()


SKIPPED = "(File not included. Change data exporting settings to download.)"


def _text(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(2, 18)))


def write_telegram(path: Path, messages: int, chats: int, seed: int = 30) -> None:
    """A whole-account export in Telegram Desktop's layout."""
    rng = random.Random(seed)
    people = [(6_000_000_000 + i, f"Person {i:05d}") for i in range(20_000)]
    per_chat = [messages // chats + (1 if i < messages % chats else 0) for i in range(chats)]
    stamp = 1_700_000_000
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '{\n "about": "Here is the data you requested.",\n "personal_information": {\n  "user_id": 777000111,\n'
            '  "first_name": "Ann",\n  "last_name": "Example",\n  "phone_number": "+49 151 2345678",\n'
            '  "username": "@AnnExample"\n },\n "chats": {\n  "about": "This page lists all chats from this export.",\n'
            '  "list": [\n'
        )
        for number, count in enumerate(per_chat):
            direct = number % 4 != 0
            members = [people[rng.randrange(len(people))] for _ in range(2 if direct else 12)]
            kind = "personal_chat" if direct else ("private_supergroup" if number % 8 else "public_channel")
            name = members[0][1] if direct else f"Group {number}"
            head = f'   {{\n    "name": {json.dumps(name)},\n    "type": "{kind}",\n    "id": {4_000_000 + number},\n'
            out.write(("" if number == 0 else ",\n") + head + '    "messages": [\n')
            for index in range(count):
                stamp += rng.randint(1, 400)
                user, who = rng.choice(members) if rng.random() < 0.6 else (777000111, "Ann Example")
                fields = [f'     "id": {index + 1}', '     "type": "message"']
                if rng.random() < 0.02:
                    fields[1] = '     "type": "service"'
                fields += ['     "date": "2026-01-01T00:00:00"', f'     "date_unixtime": "{stamp}"']
                if fields[1].endswith('"service"'):
                    fields += [
                        f'     "actor": "{who}"',
                        f'     "actor_id": "user{user}"',
                        '     "action": "pin_message"',
                    ]
                else:
                    fields += [f'     "from": "{who}"', f'     "from_id": "user{user}"']
                    if index and rng.random() < 0.2:
                        fields.append(f'     "reply_to_message_id": {rng.randint(1, index)}')
                    if rng.random() < 0.05:
                        fields.append(
                            '     "photo": "(File not included. Change data exporting settings to download.)"'
                        )
                        fields += ['     "width": 1280', '     "height": 960']
                text = _text(rng)
                if rng.random() < 0.1:
                    mention = f"@user{rng.randrange(1000)}"
                    parts = [text, {"type": "mention", "text": mention}, " ok"]
                    entities = [{"type": "plain", "text": text}, {"type": "mention", "text": mention}]
                    entities.append({"type": "plain", "text": " ok"})
                    fields.append(f'     "text": {json.dumps(parts, ensure_ascii=False)}')
                    fields.append(f'     "text_entities": {json.dumps(entities, ensure_ascii=False)}')
                else:
                    fields.append(f'     "text": {json.dumps(text)}')
                    fields.append(f'     "text_entities": [{{"type": "plain", "text": {json.dumps(text)}}}]')
                out.write(("" if index == 0 else ",\n") + "    {\n" + ",\n".join(fields) + "\n    }")
            out.write("\n    ]\n   }")
        out.write("\n  ]\n }\n}\n")


def write_whatsapp(path: Path, lines: int, seed: int = 30) -> None:
    """An Android group export: day-first dates, a 12-hour clock after U+202F."""
    rng = random.Random(seed)
    people = [f"Person {i:03d}" for i in range(40)] + ["+49 170 1234567", "~\u202fNew Member"]
    when = datetime(2020, 1, 1)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        while written < lines:
            gap = rng.random()  # a conversation: half the messages in the minute of the one before
            when += timedelta(minutes=0 if gap < 0.5 else rng.randint(1, 10) if gap < 0.85 else rng.randint(11, 900))
            half = "am" if when.hour < 12 else "pm"
            head = f"{when:%d/%m/%y}, {when.hour % 12 or 12}:{when:%M}\u202f{half} - "
            if rng.random() < 0.01:
                out.write(head + f"{rng.choice(people)} added {rng.choice(people)}\n")
            else:
                out.write(head + f"{rng.choice(people)}: {_text(rng)}\n")
            written += 1
            while rng.random() < 0.1 and written < lines:
                out.write(_text(rng) + "\n")
                written += 1


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one process; the CPU
    time is what a busy machine changes least."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def compare(label: str, reader: list[str], floor: list[str], runs: int, env: dict[str, str], target: str) -> None:
    mine, floors = [], []
    for n in range(runs + 1):
        first, second = run(reader, env), run(floor, env)
        if n:
            mine.append(first), floors.append(second)
    wall, cpu = statistics.median(m[0] for m in mine), statistics.median(m[1] for m in mine)
    floor_wall, floor_cpu = statistics.median(f[0] for f in floors), statistics.median(f[1] for f in floors)
    print(
        f"{label:22} {wall:8.2f} {floor_wall:8.2f} {wall / floor_wall:6.2f} {cpu:8.2f} {floor_cpu:8.2f} "
        f"{cpu / floor_cpu:6.2f} {max(m[2] for m in mine):8.0f} {max(f[2] for f in floors):8.0f}  {target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100,000 Telegram messages, 20,000 WhatsApp lines")
    parser.add_argument("--runs", type=int, default=1, help="timed runs per figure (median)")
    args = parser.parse_args()
    messages, chats, lines = (100_000, 200, 20_000) if args.quick else (1_000_000, 2_000, 200_000)
    with tempfile.TemporaryDirectory(prefix="netcli-chat-bench-") as tmp:
        folder = Path(tmp)
        env = user_env(folder)  # bytecode cached: the warm-up writes it, the timed runs read it
        telegram, whatsapp = folder / "result.json", folder / "WhatsApp Chat with Bench Group.txt"
        write_telegram(telegram, messages, chats)
        write_whatsapp(whatsapp, lines)
        scripts = {}
        for name, text in (("telegram_floor", TELEGRAM_FLOOR), ("whatsapp_floor", WHATSAPP_FLOOR), ("reader", READER)):
            scripts[name] = folder / f"{name}.py"
            scripts[name].write_text(text)
        size = telegram.stat().st_size / 2**20
        print(f"Telegram: {messages:,} messages over {chats:,} chats ({size:,.0f} MB); WhatsApp: {lines:,} lines")
        print(
            f"{'read':22} {'wall s':>8} {'floor':>8} {'ratio':>6} {'CPU s':>8} {'floor':>8} {'ratio':>6} "
            f"{'peak MB':>8} {'floor MB':>8}  target"
        )
        compare(
            "Telegram result.json",
            [PY, str(scripts["reader"]), str(telegram)],
            [PY, str(scripts["telegram_floor"]), str(telegram)],
            args.runs,
            env,
            "≤2x, ≤250 MB",
        )
        compare(
            "WhatsApp chat text",
            [PY, str(scripts["reader"]), str(whatsapp)],
            [PY, str(scripts["whatsapp_floor"]), str(whatsapp)],
            args.runs,
            env,
            "≤2x",
        )
        capture(telegram, folder, env)


def capture(telegram: Path, folder: Path, env: dict[str, str]) -> None:
    """`capture chat` of the Telegram export, first and again (unchanged)."""
    home = {**env, "NETCLI_DB": str(folder / "bench.db"), "NETCLI_CONFIG": str(folder / "config.toml")}
    people = folder / "people.csv"
    people.write_text(
        "name,handles\n" + "".join(f"Person {i:05d},telegram:{6_000_000_000 + i}\n" for i in range(2_000))
    )
    for args in (["import", "csv", str(people)], ["config", "set", "me.handles", "telegram:777000111"]):
        subprocess.run([PY, "-m", "netcli", *args], env=home, check=True, capture_output=True)
    warm = folder / "warm-up" / "result.json"  # a small export into a scratch database: bytecode written
    warm.parent.mkdir()
    write_telegram(warm, 100, 2)
    scratch = {**home, "NETCLI_DB": str(folder / "warm-up" / "scratch.db")}
    subprocess.run([PY, "-m", "netcli", "capture", "chat", str(warm)], env=scratch, check=True, capture_output=True)
    command = [PY, "-m", "netcli", "capture", "chat", str(telegram), "--as-of", "2027-12-31"]
    first, again = run(command, home), run(command, home)
    print(
        f"{'capture chat (first)':22} {first[0]:8.2f} {'':8} {'':6} {first[1]:8.2f} {'':8} {'':6} "
        f"{first[2]:8.0f}  ≤250 MB"
    )
    print(
        f"{'capture chat (again)':22} {again[0]:8.2f} {'':8} {again[0] / first[0]:6.2f} {again[1]:8.2f} {'':8} "
        f"{again[1] / first[1]:6.2f} {again[2]:8.0f}  ≤0.1x the first (ratio: of the first run)"
    )


if __name__ == "__main__":
    main()
