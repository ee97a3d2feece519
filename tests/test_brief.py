"""`netcli nudge --brief`: one line, once a day, nothing when nothing is due;
answered from the kept line, without the database stack, only while the
database and the settings are as they were when it was worked out."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Cli
from netcli import brief

pytestmark = pytest.mark.sqlite_only


def _fast(*args: str) -> bool:
    return brief.fast(["nudge", "--brief", *args])


def test_printed_once_a_day_again_with_always_and_the_next_day(cli: Cli, capsys: pytest.CaptureFixture[str]):
    cli("add", "Nia New", "--on", "3 days ago")
    cli("add", "Hana Helper", "--on", "50 days ago")
    cli("log", "hana", "--kind", "help-received", "--on", "4 days ago")
    first = cli("nudge", "--brief").stdout
    assert first == "netcli: 2 today: thank Hana Helper, follow up Nia New (netcli nudge)\n"
    assert cli("nudge", "--brief").stdout == ""
    assert _fast() and capsys.readouterr().out == ""  # the kept line, and printed already today
    assert _fast("--always") and capsys.readouterr().out == first
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert not _fast("--as-of", tomorrow)  # a new day works the nudges out again
    assert cli("nudge", "--brief", "--as-of", tomorrow).stdout.startswith("netcli: 2 today:")
    state = Path(os.environ["NETCLI_DB"] + ".brief.json")
    assert stat.S_IMODE(state.stat().st_mode) == 0o600


def test_nothing_due_prints_nothing(cli: Cli):
    cli("add", "Old Friend", "--on", "2 days ago", "--tier", "D")
    cli("log", "old", "--kind", "message")
    assert cli("nudge", "--brief").stdout == "" and cli("nudge", "--brief", "--always").stdout == ""


@pytest.mark.parametrize("change", ["log", "done", "import", "config"])
def test_any_write_or_setting_makes_it_work_the_nudges_out_again(cli: Cli, tmp_path: Path, change: str):
    cli("add", "Nia New", "--on", "3 days ago")
    cli("nudge", "--brief")
    assert _fast("--always")
    if change == "log":
        cli("log", "nia", "--kind", "meeting")
    elif change == "done":
        cli("done", cli.json("nudge")[0]["id"])
    elif change == "import":
        people = tmp_path / "people.csv"
        people.write_text("name,email\nIvo Import,ivo@example.org\n")
        cli("import", "csv", str(people))
    else:
        cli("config", "set", "rules.follow_up_due_days", "5")
    assert not _fast("--always")
    cli("nudge", "--brief", "--always")
    assert _fast("--always")


def test_a_write_from_another_process_is_seen(cli: Cli):
    cli("add", "Nia New", "--on", "3 days ago")
    cli("nudge", "--brief")
    assert _fast("--always")
    script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE contact SET note = 'x'\"); c.commit()"
    subprocess.run([sys.executable, "-c", script, os.environ["NETCLI_DB"]], check=True)
    assert not _fast("--always")
    cli("nudge", "--brief")
    conn = sqlite3.connect(os.environ["NETCLI_DB"])  # a connection left open, as another program would
    try:
        conn.execute("UPDATE contact SET note = 'y'")
        conn.commit()
        assert not _fast("--always")
    finally:
        conn.close()


def test_the_kept_line_is_answered_without_sqlalchemy_typer_or_rich(cli: Cli):
    cli("add", "Nia New", "--on", "3 days ago")
    cli("nudge", "--brief")
    code = (
        "import atexit, sys\n"
        "sys.argv = ['netcli', 'nudge', '--brief', '--always']\n"
        "heavy = ('sqlalchemy', 'typer', 'rich', 'sqlmodel')\n"
        "atexit.register(lambda: print(sorted(m for m in heavy if m in sys.modules)))\n"
        "from netcli.__main__ import run\n"
        "run()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, timeout=60)
    assert result.stdout == "netcli: 1 today: follow up Nia New (netcli nudge)\n[]\n"


def test_brief_takes_no_other_view_options(cli: Cli):
    assert "--brief prints one line and takes no --json" in cli("nudge", "--brief", "--json", code=2).stderr
    assert "--always goes with --brief" in cli("nudge", "--always", code=2).stderr


def test_the_fast_path_leaves_anything_unusual_to_the_full_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NETCLI_DB", "postgresql+psycopg://u@/db")
    assert not _fast()
    (tmp_path / "kept.db").write_bytes(b"SQLite format 3\x00" + bytes(4080))  # a database, no line kept for it
    monkeypatch.setenv("NETCLI_DB", str(tmp_path / "kept.db"))
    assert not _fast() and not _fast("--as-of", "tomorrow") and not _fast("--json")
    assert not brief.fast(["list"]) and not brief.fast(["--db", str(tmp_path / "kept.db"), "nudge", "--brief"])
    (tmp_path / "enc.db").write_bytes(b"\x8a" * 4096)  # an encrypted file has no readable header
    assert brief.state_key(tmp_path / "enc.db", tmp_path / "c.toml") is None
    assert brief.line(0, []) == "" and brief.line(1, ["thank Ana"]) == "netcli: 1 today: thank Ana (netcli nudge)"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_in_a_shell_started_in_tmux_the_line_shows_once(cli: Cli, tmp_path: Path):
    """The line in a real interactive bash's startup file, in tmux: the first shell shows it, the second does not."""
    cli("add", "Nia New", "--on", "3 days ago")
    rc = tmp_path / "bashrc"
    rc.write_text(
        f"export NETCLI_DB={shlex.quote(os.environ['NETCLI_DB'])} NETCLI_CONFIG={shlex.quote(os.environ['NETCLI_CONFIG'])}\n"
        f"PS1='ready$ '\n{shlex.quote(sys.executable)} -m netcli nudge --brief\n"
    )
    socket = f"netcli-test-{os.getpid()}-{tmp_path.name}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    shell = f"bash --noprofile --rcfile {shlex.quote(str(rc))} -i"

    def pane(target: str) -> str:
        for _ in range(200):
            text = subprocess.run([*tmux, "capture-pane", "-p", "-t", target], capture_output=True, text=True).stdout
            if "ready$" in text:
                return text
            time.sleep(0.1)
        raise AssertionError(f"the shell in tmux never got to its prompt: {text!r}")

    try:
        subprocess.run([*tmux, "new-session", "-d", "-s", "t", "-x", "200", "-y", "20", shell], check=True)
        first = pane("t:0")
        subprocess.run([*tmux, "new-window", "-t", "t", shell], check=True)
        second = pane("t:1")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    assert "netcli: 1 today: follow up Nia New (netcli nudge)" in first
    assert "netcli:" not in second
