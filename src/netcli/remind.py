"""`netcli remind`: run `netcli nudge --notify` each morning, through the
scheduler the user's own session has: a systemd user timer where systemd
runs the user's session, else a crontab line, else (macOS) a launchd agent.
Never root: every file is the user's own. No Typer, no Rich.

`install` writes what `plan` says (twice changes nothing), `remove` takes
away exactly what `install` wrote, `status` says what is there.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from netcli import paths
from netcli.errors import Invalid
from netcli.paths import hide_password

UNIT = "netcli-nudge"
MARK = "# netcli remind"  # ends the crontab line netcli owns
LABEL = "org.netcli.nudge"
VIAS = ("systemd", "cron", "launchd")


@dataclass(frozen=True)
class Plan:
    via: str
    files: dict[Path, str]  # systemd and launchd: the files to write
    cron_line: str | None = None  # cron: the line to keep in the user's crontab


def parse_at(text: str) -> tuple[int, int]:
    """`08:30` -> (8, 30); `Invalid` naming the expected form."""
    hours, _, minutes = text.strip().partition(":")
    if hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60:
        return int(hours), int(minutes)
    raise Invalid(f"--at {text!r}: give the time as HH:MM on a 24-hour clock, e.g. 08:30")


# a character no scheduler line can carry: cron and systemd read a line each, launchd's XML has no C0
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def command(db: str) -> list[str]:
    """The command the scheduler runs: this netcli, by its absolute path, on
    the database and with the settings the user has now (`NETCLI_CONFIG`,
    absolute: the scheduler's environment and folder are not the user's
    shell's). Never a secret: no `NETCLI_KEY`, no password in a URL."""
    exe = shutil.which("netcli") or str(Path(sys.argv[0]).absolute())
    config = os.path.abspath(paths.config_file())
    if hide_password(db) != db:
        raise Invalid(
            "the database URL holds a password, and netcli writes no secret into a scheduler's job: "
            "keep it in the server's password file (~/.pgpass for PostgreSQL) and give the URL without it"
        )
    for word, what in ((db, "the database's path"), (config, "the config file's path"), (exe, "netcli's own path")):
        if _CONTROL.search(word):
            raise Invalid(
                f"{what} {word!r} holds a control character (a line break, a tab), which would cut the "
                "scheduler's line apart; move it to a path without one"
            )
    env = shutil.which("env") or "/usr/bin/env"
    return [env, f"NETCLI_CONFIG={config}", exe, "--db", db, "nudge", "--notify"]


def cron_words(run: list[str]) -> str:
    """A command as a crontab line runs it: each word quoted for the shell
    cron hands it to. Cron turns `%` into a line break unless a backslash
    comes before it (and drops that backslash), so each `%` stands alone
    outside the shell's quotes: `'\\%'`, which cron makes `'%'`."""
    return " ".join(shlex.quote(part).replace("%", "'\\%'") for part in run)


def systemd_words(run: list[str]) -> str:
    """A command as systemd reads `ExecStart=`: each word in double quotes
    with C escapes, `%` specifiers and `$` variables doubled to stay themselves."""
    quoted = (part.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$") for part in run)
    return " ".join(f'"{part}"' for part in quoted)


def choose(via: str | None, *, home: Path) -> str:
    if via is not None:
        if via not in VIAS:
            raise Invalid(f"--via {via!r}: choose one of {', '.join(VIAS)}")
        return via
    if sys.platform == "darwin":
        return "launchd"
    if _user_systemd():
        return "systemd"
    if shutil.which("crontab"):
        return "cron"
    raise Invalid(
        "no scheduler found (no systemd user session, no crontab, not macOS): install cron, "
        "or name one with --via systemd|cron|launchd"
    )


def _user_systemd() -> bool:
    if not os.environ.get("XDG_RUNTIME_DIR") or not shutil.which("systemctl"):
        return False
    try:
        done = subprocess.run(
            ["systemctl", "--user", "is-system-running"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.stdout.strip() in ("running", "degraded", "starting")


def plan(via: str, *, at: tuple[int, int], run: list[str], home: Path) -> Plan:
    hours, minutes = at
    if via == "systemd":
        folder = _systemd_folder(home)
        service = (
            "[Unit]\nDescription=netcli: the morning's nudges\n\n"
            f"[Service]\nType=oneshot\nExecStart={systemd_words(run)}\n"
        )
        timer = (
            "[Unit]\nDescription=netcli: the morning's nudges, each day\n\n"
            f"[Timer]\nOnCalendar=*-*-* {hours:02d}:{minutes:02d}:00\nPersistent=true\n\n"
            "[Install]\nWantedBy=timers.target\n"
        )
        return Plan(via, {folder / f"{UNIT}.service": service, folder / f"{UNIT}.timer": timer})
    if via == "cron":
        return Plan(via, {}, cron_line=f"{minutes} {hours} * * * {cron_words(run)} {MARK}")
    arguments = "".join(f"    <string>{_xml(part)}</string>\n" for part in run)
    plist = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n<dict>\n'
        f"  <key>Label</key>\n  <string>{LABEL}</string>\n"
        f"  <key>ProgramArguments</key>\n  <array>\n{arguments}  </array>\n"
        "  <key>StartCalendarInterval</key>\n  <dict>\n"
        f"    <key>Hour</key>\n    <integer>{hours}</integer>\n"
        f"    <key>Minute</key>\n    <integer>{minutes}</integer>\n  </dict>\n"
        "</dict>\n</plist>\n"
    )
    return Plan(via, {home / "Library" / "LaunchAgents" / f"{LABEL}.plist": plist})


def _systemd_folder(home: Path) -> Path:
    config = os.environ.get("XDG_CONFIG_HOME")
    return (Path(config) if config else home / ".config") / "systemd" / "user"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def install(chosen: Plan) -> bool:
    """Write the plan; whether anything changed."""
    if chosen.via == "cron":
        assert chosen.cron_line is not None
        lines = _crontab()
        kept = [line for line in lines if not line.endswith(MARK)]
        if lines == [*kept, chosen.cron_line]:
            return False
        _write_crontab([*kept, chosen.cron_line])
        return True
    changed = False
    for path, text in chosen.files.items():
        if _holds(path, text):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        from netcli.privatefile import write_private

        write_private(path, text)
        changed = True
    if chosen.via == "systemd":
        _run(["systemctl", "--user", "daemon-reload"])
        _run(["systemctl", "--user", "enable", "--now", f"{UNIT}.timer"])
    elif changed:
        plist = next(iter(chosen.files))
        _run(["launchctl", "unload", str(plist)], check=False)
        _run(["launchctl", "load", str(plist)])
    return changed


def _holds(path: Path, text: str) -> bool:
    """Whether the file written before holds `text` already (read as any
    file is: a FIFO or a device there is not waited on, and is replaced)."""
    from netcli.reading import STATE_FILE, read_bytes

    try:
        return read_bytes(path, limit=STATE_FILE, what="a scheduler's file") == text.encode("utf-8")
    except (Invalid, OSError):
        return False


def remove(via: str, *, home: Path) -> bool:
    """Take away what `install` wrote; whether there was anything."""
    if via == "cron":
        if not shutil.which("crontab"):
            return False
        lines = _crontab()
        kept = [line for line in lines if not line.endswith(MARK)]
        if kept == lines:
            return False
        _write_crontab(kept)
        return True
    chosen = plan(via, at=(0, 0), run=[], home=home)
    there = [path for path in chosen.files if path.exists()]
    if via == "systemd" and there:
        _run(["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"], check=False)
    if via == "launchd" and there:
        _run(["launchctl", "unload", str(there[0])], check=False)
    for path in there:
        path.unlink()
    if via == "systemd" and there:
        _run(["systemctl", "--user", "daemon-reload"], check=False)
    return bool(there)


def status(*, home: Path) -> list[str]:
    """What is installed, one line per scheduler that has it."""
    found = []
    if shutil.which("crontab"):
        found += [f"cron: {line}" for line in _crontab() if line.endswith(MARK)]
    for via in ("systemd", "launchd"):
        for path in plan(via, at=(0, 0), run=[], home=home).files:
            if path.exists():
                found.append(f"{via}: {path}")
    return found


def _crontab() -> list[str]:
    done = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    return done.stdout.splitlines() if done.returncode == 0 else []  # "no crontab for user": none yet


def _write_crontab(lines: list[str]) -> None:
    text = "".join(f"{line}\n" for line in lines)
    _run(["crontab", "-"], stdin=text)


def _run(args: list[str], *, check: bool = True, stdin: str | None = None) -> None:
    try:
        done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        if check:
            raise Invalid(f"could not run {args[0]}: {exc}") from None
        return
    if check and done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise Invalid(f"{' '.join(args)} failed: {said[-1] if said else f'exit code {done.returncode}'}")
