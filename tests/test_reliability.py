"""Reliability and privacy: parallel writers, killed processes, damaged files,
failed upgrades, file modes, secrets, and encryption at rest."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netcli import migrations


def run(*args: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "netcli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or os.environ.copy(),
    )


WORKER = """
import sys
import typer.main
from netcli.cli import app
name, count = sys.argv[1], int(sys.argv[2])
command = typer.main.get_command(app)  # once, as one shell command would: app() rebuilds it on every call
failures = 0
for i in range(count):
    code = command(["log", name, "--kind", "message", "--note", f"{name} {i}"], standalone_mode=False)
    failures += bool(code)
print(failures)
"""


def test_parallel_writers_all_land(cli):
    people = ["Ana", "Bo", "Cy", "Di"]
    for name in people:
        cli("add", name)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, name, "20"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name in people
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outputs
    assert [int(out.strip()) for out, _ in outputs] == [0, 0, 0, 0], outputs
    for name in people:
        notes = {h["note"] for h in cli.json("history", name, "--kind", "message")}
        assert notes == {f"{name} {i}" for i in range(20)}
    assert cli.json("db", "check")["interactions"] == 4 + 80


@pytest.mark.sqlite_only
def test_killed_imports_leave_all_or_nothing(cli, tmp_path):
    cli("add", "Ana Lima")
    cli("add", "Bo Chen")
    rows = 20_000
    history = tmp_path / "history.csv"
    with history.open("w") as handle:
        handle.write("date,kind,contacts,note,topics\n")
        for i in range(rows):
            handle.write(f"2025-{1 + i % 12:02d}-{1 + i % 28:02d},message,Ana Lima;Bo Chen,note {i},\n")
    rng = random.Random(7)
    for attempt in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-m", "netcli", "import", "interactions", str(history)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check = cli.json("db", "check")
        assert check["ok"] is True
        assert check["interactions"] in (2, 2 + rows), attempt
        if check["interactions"] == 2 + rows:
            break
    done = run("import", "interactions", str(history))
    assert done.returncode == 0
    assert cli.json("db", "check")["interactions"] == 2 + rows


def _damaged(kind: str, tmp_path: Path, cli) -> Path:
    path = tmp_path / f"{kind}.db"
    if kind == "truncated":
        good = tmp_path / "good.db"
        cli("--db", str(good), "demo")
        data = good.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif kind == "random":
        path.write_bytes(random.Random(1).randbytes(40_000))
    elif kind == "empty":
        path.touch()
        os.utime(path, (1_700_000_000, 1_700_000_000))
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('hello')")
        conn.commit()
        conn.close()
    elif kind == "newer":
        cli("--db", str(path), "add", "Ana")
        conn = sqlite3.connect(path)
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return path


COMMANDS = [
    ["list"],
    ["show", "ana"],
    ["add", "Zed"],
    ["log", "ana"],
    ["nudge"],
    ["report"],
    ["history"],
    ["export", "json"],
    ["search", "ana"],
    ["mentor", "list"],
    ["goal", "list"],
    ["db", "check"],
    ["db", "backup"],
]


@pytest.mark.parametrize("kind", ["truncated", "random", "empty", "foreign", "newer"])
@pytest.mark.sqlite_only
def test_damaged_and_foreign_files(cli, tmp_path, kind):
    path = _damaged(kind, tmp_path, cli)
    before = path.read_bytes()
    for command in COMMANDS:
        result = cli("--db", str(path), *command, code=1)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (command, result.stderr)
        assert path.read_bytes() == before, command
    expected = {
        "truncated": "not a readable netcli database",
        "random": "not a readable netcli database",
        "empty": "empty file",
        "foreign": "another program",
        "newer": "newer netcli",
    }[kind]
    assert expected in result.stderr


@pytest.mark.sqlite_only
def test_a_failing_upgrade_leaves_the_original_untouched(cli, tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.exec_driver_sql(
            "INSERT INTO contact (id, name, name_key, tier, archived) VALUES (1, 'Ana', 'ana', 'A', 0)"
        )
        conn.exec_driver_sql("CREATE TABLE search_index (x)")  # in the way of revision 0003
    engine.dispose()
    conn = sqlite3.connect(path)
    before = list(conn.iterdump())
    conn.close()
    result = cli("--db", str(path), "list", code=1)
    assert result.stderr.startswith("error: ")
    conn = sqlite3.connect(path)
    assert list(conn.iterdump()) == before
    conn.close()
    backups = list(tmp_path.glob("old.db.before-*.bak"))
    assert backups and sqlite3.connect(backups[0]).execute("SELECT name FROM contact").fetchall() == [("Ana",)]


@pytest.mark.sqlite_only
def test_every_file_is_private_whatever_the_umask(cli, tmp_path):
    old = os.umask(0)
    try:
        cli("demo")
        outputs = [tmp_path / name for name in ("b.json", "c.csv", "v.vcf", "k.ics", "r.html", "r.md")]
        cli("export", "json", "--output", str(outputs[0]))
        cli("export", "csv", "--output", str(outputs[1]))
        cli("export", "vcard", "--output", str(outputs[2]))
        cli("export", "ics", "--output", str(outputs[3]))
        cli("report", "--format", "html", "--output", str(outputs[4]))
        cli("report", "--format", "md", "--output", str(outputs[5]))
        outputs.append(Path(cli("db", "backup").stdout.strip()))
        cli("config", "set", "tiers.A", "10")
        outputs.append(Path(os.environ["NETCLI_CONFIG"]))
    finally:
        os.umask(old)
    db = Path(os.environ["NETCLI_DB"])
    for path in [db, *outputs]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_a_url_password_never_shows(cli):
    for url in ("postgresql+psycopg://me:hunter2@127.0.0.1:1/netcli", "mysql+nosuchdriver://me:hunter2@localhost/x"):
        result = cli("--db", url, "list", code=1)
        assert "hunter2" not in result.stderr and "hunter2" not in result.stdout
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
        assert "hunter2" not in cli("--db", url, "db", "path").stdout


@pytest.mark.sqlite_only
def test_encryption_at_rest(cli, tmp_path, monkeypatch):
    pytest.importorskip("sqlcipher3")
    cli("add", "Zoë Secretname", "--note", "plaintext-marker")
    db = Path(os.environ["NETCLI_DB"])
    monkeypatch.setenv("NETCLI_KEY", "correct 'horse' battery")
    cli("db", "encrypt")
    raw = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))
    assert not raw.startswith(b"SQLite format 3") and b"Secretname" not in raw and b"plaintext-marker" not in raw
    assert b"Zo" + "ë".encode() not in raw
    assert cli.json("show", "zoe")["note"] == "plaintext-marker"
    cli("add", "Another Secret")
    backup = Path(cli("db", "backup", str(tmp_path / "copy.db")).stdout.strip())
    assert b"Another Secret" not in backup.read_bytes()
    assert len(cli.json("--db", str(backup), "list")) == 2
    monkeypatch.setenv("NETCLI_KEY", "wrong")
    assert "wrong key" in cli("list", code=1).stderr
    monkeypatch.delenv("NETCLI_KEY")
    assert "NETCLI_KEY" in cli("list", code=1).stderr
    monkeypatch.setenv("NETCLI_KEY", "correct 'horse' battery")
    cli("db", "encrypt", code=1)
    cli("db", "decrypt")
    monkeypatch.delenv("NETCLI_KEY")
    assert db.read_bytes().startswith(b"SQLite format 3")
    assert sorted(c["name"] for c in cli.json("list")) == ["Another Secret", "Zoë Secretname"]
    assert "not encrypted" in cli("db", "decrypt", code=1).stderr
