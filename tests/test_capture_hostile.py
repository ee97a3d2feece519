"""Capture reads what strangers write: every command line it suggests is
pasted into a real bash and runs nothing but netcli with the words meant,
whatever an address or a name holds; and every suggestion builder, fed any
text, gives back exactly its words through `shlex.split`."""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capture_help import zone
from conftest import Cli

pytestmark = pytest.mark.one_engine
AS_OF = "2026-12-02"
HOSTILE = [
    "w`touch${IFS}PWNED`@evil.example",
    "z|touch x@evil.example",
    "o$(id>x)@x.example",
    "q';touch q;'@evil.example",
    'd"$(touch d)"@evil.example',
    "b\\`touch b\\`@evil.example",
    "e!!@evil.example",
]
BASH = shutil.which("bash")


def run_pasted(line: str, folder: Path) -> list[str]:
    """`line` pasted into a bash in an empty `folder` where `netcli` only
    records its arguments: those arguments (and the folder must stay empty but
    for them)."""
    assert BASH is not None
    folder.mkdir(parents=True, exist_ok=True)
    script = folder.parent / f"{folder.name}.sh"
    script.write_text("netcli() { printf '%s\\0' \"$@\" > .args; }\n" + line + "\n")
    subprocess.run([BASH, str(script)], cwd=folder, check=False, capture_output=True, timeout=20)
    made = sorted(p.name for p in folder.iterdir())
    assert made == [".args"], f"{line!r} made {made}"
    words = (folder / ".args").read_bytes().split(b"\0")[:-1]
    (folder / ".args").unlink()
    return [w.decode("utf-8", "surrogateescape") for w in words]


def _eml(frm: str, to: str, when: str, mid: str, name: str = "") -> str:
    stamp = format_datetime(dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC))
    sender = f"{name} <{frm}>" if name else frm
    return f"From: {sender}\nTo: {to}\nSubject: Hi\nDate: {stamp}\nMessage-ID: <{mid}@t>\n\nbody\n"


@pytest.mark.skipif(BASH is None, reason="needs bash")
def test_suggested_add_lines_run_nothing_a_stranger_wrote(cli: Cli, tmp_path: Path):
    cli("config", "set", "me.emails", "ann@example.org")
    mail = tmp_path / "mail"
    mail.mkdir()
    n = 0
    for address in HOSTILE:
        header_address = address if " " not in address else f'"{address.split("@")[0]}"@evil.example'
        for frm, to in [(header_address, "ann@example.org")] * 2 + [("ann@example.org", header_address)]:
            n += 1
            name = "$(touch n) `touch m` Ev'il" if frm != "ann@example.org" else ""
            (mail / f"{n}.eml").write_text(_eml(frm, to, f"2026-11-{n % 28 + 1:02d}T10:00", f"h{n}", name))
    with zone("UTC"):
        result = cli("capture", "mail", str(mail), "--as-of", AS_OF, "--json")
    suggestions = json.loads(result.stdout)["suggestions"]
    # the header parser reads parentheses as comments and quotes as quoting: what is left is still hostile
    assert len(suggestions) >= 4 and any("`" in s["email"] for s in suggestions)
    scratch = tmp_path / "scratch"
    for s in suggestions:
        assert s["command"] in result.stderr  # the same line on stderr
        words = run_pasted(s["command"], scratch)
        assert words == ["add", s["name"], "--email", s["email"]]
    assert not list(scratch.iterdir())


@pytest.mark.skipif(BASH is None, reason="needs bash")
def test_the_me_emails_hint_runs_nothing_an_attendee_wrote(cli: Cli, tmp_path: Path):
    for n, address in enumerate(HOSTILE[:3]):  # the three of the report
        events = "".join(
            f"BEGIN:VEVENT\r\nUID:e{n}-{i}\r\nDTSTART:202611{i + 1:02d}T100000Z\r\nSUMMARY:x\r\n"
            f"ORGANIZER:mailto:{address}\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:{address}\r\nEND:VEVENT\r\n"
            for i in range(3)
        )
        (tmp_path / f"c{n}.ics").write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
        error = cli("capture", "calendar", str(tmp_path / f"c{n}.ics"), "--as-of", AS_OF, code=1).stderr
        line = error[error.index("set yours with: ") + len("set yours with: ") :].strip()
        words = run_pasted(line, tmp_path / "scratch")
        assert words[:3] == ["config", "set", "me.emails"] and len(words) == 4
        assert words[3] == address.lower() or " " in address  # (as matched: lowercase); a space: no address


# --- the builders, fed anything -------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@given(name=st.one_of(st.none(), TEXT), local=TEXT, domain=TEXT)
@settings(max_examples=300, deadline=None)
def test_every_suggestion_builder_gives_back_its_words(name: str | None, local: str, domain: str):
    from netcli.capture.run import add_command, missing_me, suggested_name

    address = f"{local}@{domain}"
    shown = suggested_name(name, address)
    words = shlex.split(add_command(shown, address))
    assert words in (
        ["netcli", "add", shown, "--email", address],
        ["netcli", "add", "--email", address, "--", shown],
    )
    assert words[-1] == shown or words[2] == shown
    assert all(ch.isprintable() for ch in shown)
    hint = str(missing_me([address], whom="meet"))
    line = hint[hint.index("set yours with: ") + len("set yours with: ") :]
    assert shlex.split(line) in (
        ["netcli", "config", "set", "me.emails", address],
        ["netcli", "config", "set", "me.emails", "you@example.org"],
    )


@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
@settings(max_examples=300)
def test_a_command_word_reads_back_as_itself_in_either_quote(text: str):
    from netcli.names import command, shell_word

    assert shlex.split(shell_word(text, quote='"')) == [text]
    assert shlex.split(command("add", text, "--email", text)) == ["netcli", "add", text, "--email", text]


@pytest.mark.skipif(BASH is None, reason="needs bash")
def test_bash_reads_every_quoted_word_back_and_runs_nothing(tmp_path: Path):
    """What shlex says, a real bash agrees with: one batch of awkward words."""
    from netcli.names import shell_word

    words = [
        *HOSTILE,
        "",
        "a b",
        "it's",
        'say "hi"',
        "!!",
        "!$",
        "a\nb",
        "tab\there",
        "esc\x1b[2Jx",
        "\x9b31m",
        "\u202eevil",
        "~root",
        "=ls",
        "*",
        "$HOME",
        "${IFS}",
        "a\\",
        "\\'",
        "#x",
        "-rf",
        "José Núñez",
        "x;y&z>w<v",
    ]
    script = tmp_path / "words.sh"
    script.write_text(
        "set -H 2>/dev/null\nprintf '%s\\0' " + " ".join(shell_word(w, quote=q) for w in words for q in "'\"") + "\n"
    )
    folder = tmp_path / "run"
    folder.mkdir()
    done = subprocess.run([BASH, str(script)], cwd=folder, capture_output=True, check=True, timeout=20)
    assert done.stdout.split(b"\0")[:-1] == [w.encode() for w in words for _ in "'\""]
    assert not list(folder.iterdir()) and not os.path.exists(tmp_path / "PWNED")


def test_an_unanswered_invitation_from_a_stranger_logs_no_meeting(cli: Cli, tmp_path: Path):
    """Anyone can send an invitation listing a contact: only one the user
    accepted (or tentatively) or organised is a meeting, and so clears a reconnect."""
    cli("config", "set", "me.emails", "ann@example.org")
    cli("add", "Dana Wu", "--email", "dana@example.org", "--on", "2026-01-10")

    def invitation(answer: str) -> Path:
        path = tmp_path / "invite.ics"
        path.write_text(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:forged-1\r\n"
            "DTSTART:20261120T100000Z\r\nSUMMARY:Catch-up\r\nORGANIZER:mailto:mallory@evil.example\r\n"
            f"ATTENDEE;RSVP=TRUE;PARTSTAT={answer}:mailto:ann@example.org\r\n"
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:dana@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        return path

    with zone("UTC"):
        summary = cli.json("capture", "calendar", str(invitation("NEEDS-ACTION")), "--as-of", AS_OF)
        assert (summary["logged"], summary["skipped"]["declined_cancelled"]) == (0, 1)
        assert cli.json("show", "dana", "--as-of", AS_OF)["last_contact"] == "2026-01-10"
        assert "unanswered" in cli("capture", "calendar", str(invitation("NEEDS-ACTION")), "--as-of", AS_OF).stderr
        for answer, logged in (("TENTATIVE", 1), ("ACCEPTED", 0)):  # accepted: the same meeting, already logged
            assert cli.json("capture", "calendar", str(invitation(answer)), "--as-of", AS_OF)["logged"] == logged
    assert cli.json("show", "dana", "--as-of", AS_OF)["last_contact"] == "2026-11-20"
