"""Ctrl-C at a prompt, on a real terminal: a newline, "Aborted.", exit 130,
nothing written. netcli runs under a pseudo-terminal (its controlling
terminal), and Ctrl-C is typed as the terminal's interrupt character, so the
kernel sends SIGINT as it would to a user's shell. Rich's prompts (add) and
Typer's (the confirmations) are both here; CliRunner cannot type Ctrl-C."""

from __future__ import annotations

import os
import select
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.one_engine, pytest.mark.skipif(sys.platform == "win32", reason="no pty")]
WAIT_S = 60  # what a loaded machine may need to start Python; never a timing assertion
AGAIN_S = 3  # no answer to Ctrl-C yet: type it again


def _run_and_interrupt(args: list[str], prompt: bytes, env: dict[str, str], keys: bytes = b"\x03") -> tuple[int, str]:
    """Run netcli on a pseudo-terminal, type `keys` (Ctrl-C) once `prompt` shows; its exit code and screen."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: netcli, with the pty as its terminal
        os.execve(sys.executable, [sys.executable, "-m", "netcli", *args], env)
    screen = b""
    typed = 0
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], AGAIN_S if typed else WAIT_S)
            if not ready and 0 < typed < 5 and keys == b"\x03":
                # Python lets a SIGINT that lands just before input() blocks wait for the next key;
                # a user would press Ctrl-C again
                os.write(fd, b"\x03")
                typed += 1
                continue
            if not ready:
                break
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child has gone, and the terminal with it
                break
            if not chunk:
                break
            screen += chunk
            if not typed and prompt in screen:
                os.write(fd, keys)  # as typed
                typed = 1
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    assert typed, screen.decode(errors="replace")
    text = screen.decode(errors="replace").replace("\r\n", "\n")
    return os.waitstatus_to_exitcode(status), text


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("NETCLI_")}
    return kept | {
        "NETCLI_DB": str(tmp_path / "netcli.db"),
        "NETCLI_CONFIG": str(tmp_path / "config.toml"),
        "NETCLI_CACHE": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "TERM": "dumb",
    }


def test_ctrl_c_at_adds_first_question_leaves_no_database(env):
    code, screen = _run_and_interrupt(["add"], b"Name", env)
    assert code == 130, screen
    assert screen.endswith("\nAborted.\n"), repr(screen)  # on a line of its own: the shell prompt is not glued to it
    assert not Path(env["NETCLI_DB"]).exists()


def test_ctrl_c_at_a_confirmation_changes_nothing(cli, env):
    cli("add", "Ana Lima")
    cli("add", "Ana L.")
    code, screen = _run_and_interrupt(["merge", "ana lima", "ana l."], b"[y/N]", env)
    assert code == 130, screen
    assert screen.endswith("\nAborted.\n"), repr(screen)
    assert "error" not in screen
    assert sorted(c["name"] for c in cli.json("list")) == ["Ana L.", "Ana Lima"]


def test_db_backup_asks_before_it_overwrites(cli, env, tmp_path):
    cli("add", "Ana Lima")
    target = tmp_path / "copy.db"
    target.write_text("last week's copy")
    code, screen = _run_and_interrupt(["db", "backup", str(target)], b"[y/N]", env)
    assert code == 130 and screen.endswith("\nAborted.\n") and target.read_text() == "last week's copy"
    code, screen = _run_and_interrupt(["db", "backup", str(target)], b"[y/N]", env, keys=b"n\n")
    assert code == 1 and "nothing was written" in screen and target.read_text() == "last week's copy"
    code, screen = _run_and_interrupt(["db", "backup", str(target)], b"[y/N]", env, keys=b"y\n")
    assert code == 0 and target.read_bytes().startswith(b"SQLite format 3")
