"""`netcli remind install/status/remove` and `nudge --notify`, into a HOME
of their own with systemd absent: a crontab line (through a `crontab` that
keeps the table in a file, as this machine has no cron), kept once, removed
without a trace and without touching the user's other lines."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import Cli

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A HOME of its own, no systemd user session, and a `crontab` keeping its table in HOME/crontab."""
    home = tmp_path / "home"
    bin_dir = tmp_path / "bin"
    home.mkdir()
    bin_dir.mkdir()
    fake = bin_dir / "crontab"
    fake.write_text(
        "#!/bin/sh\n"
        'table="$HOME/crontab"\n'
        'if [ "$1" = "-l" ]; then [ -f "$table" ] || { echo "no crontab for $USER" >&2; exit 1; }; cat "$table"; exit 0; fi\n'
        'if [ "$1" = "-" ]; then cat > "$table"; exit 0; fi\n'
        "exit 2\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    return home


def test_install_twice_status_and_remove_leave_other_lines_alone(cli: Cli, home: Path):
    (home / "crontab").write_text("0 1 * * * backup.sh\n")
    first = cli("remind", "install", "--at", "07:45")
    assert first.stderr.startswith("installed (cron): 45 7 * * * ")
    table = (home / "crontab").read_text().splitlines()
    assert table[0] == "0 1 * * * backup.sh" and len(table) == 2
    assert table[1].endswith("nudge --notify # netcli remind") and f"--db {os.environ['NETCLI_DB']}" in table[1]
    assert cli("remind", "install", "--at", "07:45").stderr.startswith("already installed (cron)")
    assert len((home / "crontab").read_text().splitlines()) == 2
    assert cli("remind", "install", "--at", "08:00").stderr.startswith(
        "installed (cron): 0 8 * * * "
    )  # moved, not added
    assert len((home / "crontab").read_text().splitlines()) == 2
    assert cli("remind", "status").stdout.startswith("cron: 0 8 * * * ")
    assert cli("remind", "remove").stderr.strip() == "removed (cron)"
    assert (home / "crontab").read_text() == "0 1 * * * backup.sh\n"
    assert cli("remind", "status").stdout.strip() == "not installed: netcli remind install"
    assert cli("remind", "remove").stderr.strip() == "nothing to remove: not installed"


def test_dry_run_prints_and_writes_nothing(cli: Cli, home: Path):
    cron = cli("remind", "install", "--dry-run").stdout
    assert cron.startswith("would add to your crontab:\n30 8 * * * ") and not (home / "crontab").exists()
    systemd = cli("remind", "install", "--via", "systemd", "--at", "06:05", "--dry-run").stdout
    assert f"would write {home}/.config/systemd/user/netcli-nudge.service" in systemd
    assert "OnCalendar=*-*-* 06:05:00" in systemd and "Persistent=true" in systemd
    launchd = cli("remind", "install", "--via", "launchd", "--dry-run").stdout
    assert "<key>Hour</key>\n    <integer>8</integer>" in launchd and "<string>--notify</string>" in launchd
    assert list(home.iterdir()) == []


def test_a_systemd_install_writes_private_units_and_remove_takes_them(cli: Cli, home: Path, tmp_path: Path):
    systemctl = tmp_path / "bin" / "systemctl"
    systemctl.write_text('#!/bin/sh\necho "$@" >> "$HOME/systemctl.log"\n')
    systemctl.chmod(0o755)
    cli("remind", "install", "--via", "systemd")
    units = home / ".config" / "systemd" / "user"
    assert sorted(p.name for p in units.iterdir()) == ["netcli-nudge.service", "netcli-nudge.timer"]
    assert stat.S_IMODE((units / "netcli-nudge.timer").stat().st_mode) == 0o600
    assert "--user enable --now netcli-nudge.timer" in (home / "systemctl.log").read_text()
    assert cli("remind", "status").stdout.startswith("systemd: ")
    cli("remind", "remove", "--via", "systemd")
    assert list(units.iterdir()) == []


def test_bad_times_and_schedulers_are_refused(cli: Cli, home: Path):
    for at in ("8.30", "24:00", "7:5", "noon"):
        assert "give the time as HH:MM" in cli("remind", "install", "--at", at, code=2).stderr
    assert "not one of systemd, cron, launchd" in cli("remind", "install", "--via", "anacron", code=2).stderr


def test_no_scheduler_says_what_to_install(cli: Cli, home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(home))
    assert "install cron" in cli("remind", "install", code=1).stderr


def test_notify_without_a_notifier_prints_the_brief_line(cli: Cli, home: Path, tmp_path: Path):
    cli("add", "Nia New", "--on", "3 days ago")
    assert cli("nudge", "--notify").stdout == "netcli: 1 today: follow up Nia New (netcli nudge)\n"
    sender = tmp_path / "bin" / "notify-send"
    sender.write_text('#!/bin/sh\nprintf "%s|" "$@" > "$HOME/notified"\n')
    sender.chmod(0o755)
    assert cli("nudge", "--notify").stdout == ""
    assert (home / "notified").read_text().startswith("--app-name=netcli|netcli: 1 today|Follow up with Nia New")


def _as_cron_runs(line: str) -> str:
    """The command of a crontab line as cron hands it to /bin/sh: `\\%` is a
    literal `%` (the backslash dropped), any other `%` ends the command (cron's do_command.c)."""
    command = line.split(" ", 5)[5].removesuffix(" # netcli remind")
    out, escaped = [], False
    for ch in command:
        if escaped:
            if ch == "%":
                out[-1] = "%"
            else:
                out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "%":
            break  # the rest would be the command's input
        else:
            out.append(ch)
    return "".join(out)


@pytest.fixture
def fake_netcli(tmp_path: Path) -> Path:
    """A `netcli` first on PATH that writes down its arguments and its NETCLI_ settings, one a line."""
    seen = tmp_path / "seen"
    script = tmp_path / "bin" / "netcli"
    script.write_text(
        f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "{seen}"\nenv | grep "^NETCLI_" | sort >> "{seen}"\n'
    )
    script.chmod(0o755)
    return seen


NAMES = ["plain.db", "my network.db", "50% $HOME `id` 'q' \"d\" \\x;.db", "caf\u00e9 \\%.db"]


@pytest.mark.parametrize("name", NAMES)
def test_the_job_opens_the_users_database_with_the_users_settings_and_no_secret(
    cli: Cli, home: Path, tmp_path: Path, fake_netcli: Path, monkeypatch: pytest.MonkeyPatch, name: str
):
    """Pasted into cron and run by a real shell, the line gives netcli back
    exactly the database and the settings the user has (a relative
    NETCLI_CONFIG made absolute), and never NETCLI_KEY."""
    import subprocess

    db = tmp_path / name
    cli("--db", str(db), "add", "Ann")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NETCLI_CONFIG", "settings.toml")
    monkeypatch.setenv("NETCLI_KEY", "correct horse")
    cli("--db", str(db), "remind", "install")
    (line,) = (home / "crontab").read_text().splitlines()
    assert "correct horse" not in line and "NETCLI_KEY" not in line
    subprocess.run(["/bin/sh", "-c", _as_cron_runs(line)], env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, check=True)
    assert fake_netcli.read_text().splitlines() == [
        "--db", str(db), "nudge", "--notify", f"NETCLI_CONFIG={tmp_path / 'settings.toml'}",
    ]  # fmt: skip


def test_a_line_break_in_the_database_path_is_refused_not_split(cli: Cli, home: Path, tmp_path: Path):
    folder = tmp_path / "a\nb"
    folder.mkdir()
    r = cli("--db", str(folder / "n.db"), "remind", "install", code=1)
    assert "control character" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (home / "crontab").exists()
    r = cli("--db", "postgresql+psycopg://ann:s3cret@db.example/netcli", "remind", "install", code=1)
    assert "password" in r.stderr and "s3cret" not in r.stderr


@pytest.mark.parametrize("name", NAMES)
def test_systemd_reads_the_unit_netcli_writes(cli: Cli, home: Path, tmp_path: Path, fake_netcli: Path, name: str):
    """`systemd-analyze verify` (systemd's own reader) accepts the service:
    every `%` and `$` of a path stays itself."""
    import shutil
    import subprocess

    if shutil.which("systemd-analyze", path="/usr/bin:/bin") is None:
        pytest.skip("systemd-analyze is not installed")
    (tmp_path / "bin" / "systemctl").write_text("#!/bin/sh\nexit 0\n")
    (tmp_path / "bin" / "systemctl").chmod(0o755)
    cli("--db", str(tmp_path / name), "remind", "install", "--via", "systemd")
    service = home / ".config" / "systemd" / "user" / "netcli-nudge.service"
    done = subprocess.run(
        ["/usr/bin/systemd-analyze", "verify", str(service)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    if "%" in name or "$" in name:
        assert "%%" in service.read_text() or "$$" in service.read_text()
