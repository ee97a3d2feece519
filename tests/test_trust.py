"""What netcli trusts: files from strangers read as regular files of bounded
size (never a FIFO, never a device), settings that are numbers, a database
that appears only when something is written to it, and one home for paths."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcli.config import DEFAULTS, ConfigError, parse_setting, validate

pytestmark = pytest.mark.one_engine

FLOAT_KEYS = [
    f"{section}.{key}" for section, keys in DEFAULTS.items() for key, value in keys.items() if type(value) is float
]


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "infinity", "-Infinity"])
@pytest.mark.parametrize("key", FLOAT_KEYS)
def test_a_setting_is_never_nan_or_infinite(key: str, text: str):
    assert FLOAT_KEYS  # the registry declares some (rules.learned_factor)
    with pytest.raises(ConfigError) as info:
        parse_setting(key, text)
    assert key in str(info.value)
    section, name = key.split(".")
    with pytest.raises(ConfigError):  # a file may hold them too: TOML has nan and inf
        validate({section: {name: float(text)}})


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_every_number_a_setting_takes_is_finite(value: float):
    for key in FLOAT_KEYS:
        section, name = key.split(".")
        try:
            kept = validate({section: {name: value}}).rules.get(name)
        except ConfigError:
            continue
        assert kept is not None and math.isfinite(kept)


def test_config_set_nan_is_refused_and_every_view_still_works(cli, isolated: Path):
    r = cli("config", "set", "rules.learned_factor", "nan", code=2)
    assert r.stderr.count("\n") == 1 and "rules.learned_factor" in r.stderr and "finite" in r.stderr
    assert not Path(os.environ["NETCLI_CONFIG"]).exists()
    (isolated / "config.toml").write_text("[rules]\nlearned_factor = nan\n")
    r = cli("nudge", code=1)
    assert "rules.learned_factor" in r.stderr and "Traceback" not in r.stderr


READ_ONLY = [
    ["list"],
    ["list", "--json"],
    ["show", "ana"],
    ["nudge"],
    ["nudge", "--json"],
    ["nudge", "--plain"],
    ["history"],
    ["search", "rust"],
    ["report"],
    ["who", "python"],
    ["export", "json"],
    ["export", "csv"],
    ["mentor", "list"],
    ["mentor", "prep", "ana"],
    ["goal", "list"],
    ["goal", "show", "1"],
    ["event", "list"],
    ["event", "show", "meetup"],
    ["community", "list"],
    ["community", "show", "pyladies"],
    ["db", "check"],
    ["db", "backup"],
]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("args", READ_ONLY, ids=lambda args: " ".join(args))
def test_a_command_that_only_reads_never_makes_a_database(cli, tmp_path: Path, args: list[str]):
    typo = tmp_path / "nett.db"
    r = cli("--db", str(typo), *args, code=1)
    assert r.stdout == "" and not typo.exists() and list(tmp_path.glob("nett.db*")) == []
    assert r.stderr == f"error: no database at {typo} (named by --db); `netcli add` or `netcli demo` starts one\n"


@pytest.mark.sqlite_only
def test_a_command_that_writes_makes_it_and_says_so_before_its_result(cli, tmp_path: Path):
    new = tmp_path / "new.db"
    r = cli("--db", str(new), "add", "Ana Lima")
    assert r.output.index(f"created a new database at {new}") < r.output.index("Added #1 Ana Lima")
    assert os.stat(new).st_mode & 0o777 == 0o600
    assert "created a new database" not in cli("--db", str(new), "add", "Bo Brandt").stderr


@pytest.mark.sqlite_only
def test_what_writes_nothing_leaves_no_new_database(cli, tmp_path: Path):
    people = tmp_path / "people.csv"
    people.write_text("name,email\nIvo Import,ivo@example.org\n")
    dry = tmp_path / "dry.db"
    r = cli("--db", str(dry), "import", "csv", str(people), "--dry-run")
    assert "created a new database" not in r.stderr and not dry.exists()
    failed = tmp_path / "failed.db"
    r = cli("--db", str(failed), "add", "Ana", "--introduced-by", "nobody", code=1)
    assert "created a new database" not in r.stderr and not failed.exists()
    for change in (["log", "ana"], ["edit", "ana", "--org", "X"], ["done", "abc123"], ["goal", "done", "1"]):
        r = cli("--db", str(failed), *change, code=1)  # what changes what must be there: the database first
        assert "no database at" in r.stderr and not failed.exists()


@pytest.mark.sqlite_only
def test_a_first_run_the_brief_line_and_completion_make_nothing(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from netcli import brief
    from netcli.cli import complete

    none = tmp_path / "none.db"
    r = cli("--db", str(none))
    assert "No one in your network yet." in r.stdout and not none.exists()
    r = cli("--db", str(none), "nudge", "--brief")
    assert r.stdout == r.stderr == "" and not none.exists()
    monkeypatch.setenv("NETCLI_DB", str(none))
    assert brief.fast(["nudge", "--brief"]) and not none.exists()  # silent, without the database stack
    assert complete._database(None) is None and not none.exists()


@pytest.mark.sqlite_only
def test_a_sqlite_uri_database_is_private_and_announced(cli, tmp_path: Path):
    """`sqlite:///file:…?mode=rwc&uri=true` names a file like a plain path:
    made 0600 whatever the umask, announced, found again by `db path`."""
    made = tmp_path / "uri net.db"
    url = f"sqlite:///file:{str(made).replace(' ', '%20')}?mode=rwc&uri=true"
    old = os.umask(0o022)
    try:
        r = cli("--db", url, "add", "Ana Lima")
    finally:
        os.umask(old)
    assert f"created a new database at {made}" in r.stderr
    assert os.stat(made).st_mode & 0o777 == 0o600
    assert cli("--db", url, "db", "path").stdout.strip() == str(made)
    assert [c["name"] for c in cli.json("--db", url, "list")] == ["Ana Lima"]


# --- the one reader: regular files only, never waited on, read up to a cap -------------------------


@pytest.fixture
def odd_files(tmp_path: Path) -> dict[str, Path]:
    """A FIFO no one writes to, a link to /dev/zero, a folder: each must be
    refused at once (a FIFO opened the usual way waits for a writer forever)."""
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    return {"named pipe": fifo, "device": zero, "folder": folder}


@pytest.fixture(autouse=True)
def watchdog():
    """A hang fails the test instead of stopping the suite (no time is asserted)."""
    import signal

    def stuck(*_args: object) -> None:
        raise TimeoutError("still waiting after 120 s: a reader blocked on a FIFO or a device")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_the_reader_refuses_what_is_not_a_regular_file(odd_files: dict[str, Path], tmp_path: Path):
    from netcli.errors import NotAFile, Unreadable
    from netcli.reading import Capped, read_bytes, read_kept

    for said, path in odd_files.items():
        with pytest.raises(NotAFile, match=said):
            read_bytes(path, limit=10, what="x")
        with pytest.raises(NotAFile, match=said):
            Capped(path, limit=10, what="x")
        assert read_kept(path) is None
    with pytest.raises(Unreadable, match="does not exist"):
        read_bytes(tmp_path / "gone", limit=10, what="x")
    real = tmp_path / "real"
    real.write_bytes(b"12345")
    link = tmp_path / "link"
    link.symlink_to(real)
    assert read_bytes(link, limit=10, what="x") == b"12345"  # a link to a file is followed where allowed
    assert read_kept(link) is None and read_kept(real) == b"12345"  # never for netcli's own files


def test_what_is_read_is_counted_not_what_stat_says(tmp_path: Path):
    from netcli.errors import TooLarge
    from netcli.reading import Capped, read_bytes

    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert len(read_bytes(path, limit=100, what="a test file")) == 100
    with pytest.raises(TooLarge, match="larger than 99 bytes, the limit for a test file; split it"):
        read_bytes(path, limit=99, what="a test file", fix="split it")
    with Capped(path, limit=50, what="a test file") as handle:
        assert handle.read(50) == b"x" * 50
        with pytest.raises(TooLarge):
            handle.read(1)
    path.write_bytes(b"line\n" * 20)
    with Capped(path, limit=50, what="a test file") as handle:
        assert [handle.readline() for _ in range(10)] == [b"line\n"] * 10
        with pytest.raises(TooLarge, match="larger than 50 bytes, the limit for a test file"):
            handle.readline()


@pytest.mark.parametrize("kind", ["csv", "interactions", "vcard", "linkedin", "json"])
def test_every_import_refuses_a_fifo_a_device_and_a_folder_at_once(cli, odd_files: dict[str, Path], kind: str):
    for said, path in odd_files.items():
        r = cli("import", kind, str(path), code=1)
        assert said in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


@pytest.mark.parametrize("what", ["calendar", "mail"])
def test_both_captures_refuse_a_fifo_named_and_skip_one_in_a_folder(cli, tmp_path: Path, what: str):
    cli("config", "set", "me.emails", "me@example.org")
    named = tmp_path / f"named.{'ics' if what == 'calendar' else 'mbox'}"
    os.mkfifo(named)
    r = cli("capture", what, str(named), code=1)
    assert "named pipe" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    zero = tmp_path / f"zero.{'ics' if what == 'calendar' else 'mbox'}"
    zero.symlink_to("/dev/zero")
    r = cli("capture", what, str(zero), code=1)
    assert "a device, not a file" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    folder = tmp_path / "folder"
    if what == "calendar":
        folder.mkdir()
        (folder / "good.ics").write_text(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u@x\r\nDTSTART:20260101T090000Z\r\n"
            "SUMMARY:s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        os.mkfifo(folder / "stuck.ics")
        (folder / "zero.ics").symlink_to("/dev/zero")
    else:
        for box in ("cur", "new", "tmp"):
            (folder / box).mkdir(parents=True)
        (folder / "cur" / "1.a:2,S").write_text("From: bo@example.org\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n\nhi\n")
        os.mkfifo(folder / "cur" / "2.b:2,S")
        (folder / "new" / "3.c").symlink_to("/dev/zero")
    r = cli("capture", what, str(folder), "--json")
    import json

    assert json.loads(r.stdout)["skipped"]["bad"] == 1  # the FIFO; the link out of the folder is passed over
    assert r.stderr.count("skipped bad file") == 1 and "named pipe" in r.stderr


def test_a_link_out_of_a_folder_is_not_read(cli, tmp_path: Path):
    cli("config", "set", "me.emails", "me@example.org")
    outside = tmp_path / "secret.ics"
    outside.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:secret@x\r\nDTSTART:20260101T090000Z\r\n"
        "SUMMARY:s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "in.ics").write_text(outside.read_text().replace("secret@x", "inside@x"))
    (folder / "out.ics").symlink_to(outside)
    import json

    assert json.loads(cli("capture", "calendar", str(folder), "--json").stdout)["files"] == 1


def test_the_settings_file_as_a_fifo_is_one_line_not_a_hang(cli, isolated: Path):
    config = isolated / "config.toml"
    os.mkfifo(config)
    r = cli("nudge", code=1)
    assert "config" in r.stderr and "named pipe" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    from netcli.sync import kept

    assert kept._configured_folder(config) is None


@pytest.mark.sqlite_only
def test_the_brief_line_is_never_read_through_a_link_a_fifo_or_whole(cli, isolated: Path):
    from netcli import brief, paths

    cli("add", "Nia New", "--on", "3 days ago")
    cli("nudge", "--brief")
    kept = paths.brief_file(paths.resolve(None))
    assert brief.fast(["nudge", "--brief", "--always"])
    secret = isolated / "secret.json"
    secret.write_text(kept.read_text().replace("Nia New", "someone else"))
    kept.unlink()
    kept.symlink_to(secret)
    assert not brief.fast(["nudge", "--brief", "--always"])  # a link: worked out again, and replaced
    r = cli("nudge", "--brief", "--always")
    assert "Nia New" in r.stdout and not kept.is_symlink() and "someone else" in secret.read_text()
    kept.unlink()
    os.mkfifo(kept)
    assert not brief.fast(["nudge", "--brief", "--always"])
    kept.unlink()
    kept.write_text('{"v": 1, "line": "' + "x" * (5 * 1024 * 1024) + '"}')
    assert not brief.fast(["nudge", "--brief", "--always"])
    kept.write_text("[" * 100_000)
    assert not brief.fast(["nudge", "--brief", "--always"])


def test_the_fast_paths_let_a_bug_show(monkeypatch: pytest.MonkeyPatch):
    """No `except Exception` around them: what they cannot answer they say
    (False), and anything else is a bug that must not hide as slowness."""
    import netcli.__main__ as main
    from netcli import brief

    def broken(_argv: list[str]) -> bool:
        raise ZeroDivisionError

    monkeypatch.setattr(brief, "fast", broken)
    monkeypatch.setattr("sys.argv", ["netcli", "nudge", "--brief"])
    with pytest.raises(ZeroDivisionError):
        main._brief_from_the_kept_line()


# --- limits per record and per file -----------------------------------------------------------------


def test_a_backup_nested_100000_deep_is_refused_in_a_moment(tmp_path: Path):
    from netcli.errors import Invalid
    from netcli.formats import jsonbackup

    deep = tmp_path / "deep.json"
    row = '{"id":1,"note":' + "[" * 100_000 + "]" * 100_000 + "}"
    deep.write_text('{"format":"netcli-backup","version":1,"tables":{"contact":[' + row + "]}}")
    with pytest.raises(Invalid, match="nested more than 16 deep, the limit for a backup"):
        jsonbackup.read(deep)
    huge = tmp_path / "huge.json"
    with huge.open("w") as handle:
        handle.write('{"format":"netcli-backup","version":1,"tables":{"contact":[{"id":1,"note":"')
        handle.write("n" * (17 * 1024 * 1024))
        handle.write('"}]}}')
    with pytest.raises(Invalid, match="one value is larger than 16 MB, the limit for one value in a backup"):
        jsonbackup.read(huge)


def test_a_csv_row_past_its_limit_is_named_and_the_line_never_held_whole(cli, tmp_path: Path):
    people = tmp_path / "people.csv"
    people.write_bytes(b"name,note\nAna,ok\nBo," + b"n" * (2 * 1024 * 1024) + b"\n")
    r = cli("import", "csv", str(people), code=1)
    assert "people.csv line 3: a row longer than 1 MB, the limit for one CSV row" in r.stderr


def test_an_mbox_header_line_of_megabytes_is_one_bad_message(tmp_path: Path):
    import io

    from netcli.capture import mail

    box = (
        b"From a\nFrom: bo@example.org\nX-Huge: " + b"h" * (3 * 1024 * 1024) + b"\n\nbody\n\n"
        b"From b\nFrom: bo@example.org\nSubject: fine\n\n" + b"long body line " * 500_000 + b"\n"
    )
    heads = list(mail.mbox_heads(io.BytesIO(box)))
    assert [head for _, _, head in heads] == [None, b"From: bo@example.org\nSubject: fine\n"]
    assert heads[1][1] == len(box)


def test_a_calendar_file_or_event_past_its_limit_is_named(cli, tmp_path: Path):
    from netcli.capture import calendar
    from netcli.reading import CALENDAR_FILE

    cli("config", "set", "me.emails", "me@example.org")
    big = tmp_path / "big.ics"
    with big.open("wb") as handle:
        handle.write(b"BEGIN:VCALENDAR\r\n")
        handle.truncate(CALENDAR_FILE + 1)  # sparse: no disk spent
    r = cli("capture", "calendar", str(big), code=1)
    assert "larger than 64 MB, the limit for a calendar file" in r.stderr
    event = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:big@x\r\nDTSTART:20260101T090000Z\r\n"
        f"DESCRIPTION:{'d' * (5 * 1024 * 1024)}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    (bad,) = calendar.read(event, name="e.ics", start=calendar.EARLIEST, end=dt_date(2027, 1, 1), zone=None)
    assert isinstance(bad, calendar.BadEvent) and "larger than 4 MB, the limit for one event" in bad.error


def dt_date(*args: int):  # type: ignore[no-untyped-def]
    import datetime

    return datetime.date(*args)


@pytest.mark.sqlite_only
def test_sync_vdir_lists_odd_cards_and_leaves_them(cli, tmp_path: Path):
    folder = tmp_path / "contacts"
    folder.mkdir()
    (folder / "ana.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ana\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\nEND:VCARD\r\n"
    )
    outside = tmp_path / "secret.vcf"
    outside.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:secret\r\nFN:Secret\r\nN:;Secret;;;\r\nEND:VCARD\r\n")
    (folder / "out.vcf").symlink_to(outside)
    (folder / "zero.vcf").symlink_to("/dev/zero")
    big = folder / "big.vcf"
    big.write_bytes(b"BEGIN:VCARD\r\n" + b"NOTE:" + b"n" * (5 * 1024 * 1024) + b"\r\nEND:VCARD\r\n")
    summary = cli.json("sync", "vdir", str(folder))
    assert summary["added_here"] == 1
    reasons = {item["card"]: item["reason"] for item in summary["unparsable_list"]}
    assert "outside the folder" in reasons["out.vcf"] and "larger than 4 MB" in reasons["big.vcf"]
    assert [c["name"] for c in cli.json("list")] == ["Ana Lima"]


def test_the_readme_lists_every_limit():
    from netcli.reading import BACKUP_DEPTH, CALENDAR_OCCURRENCES, CALENDAR_STEPS, LIMITS, size_text

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## What netcli trusts") :]
    for name, size in LIMITS:
        assert f"| {name} | {size_text(size)} |" in section, name
    assert f"{CALENDAR_OCCURRENCES:,} times" in section and f"{CALENDAR_STEPS:,} steps" in section
    assert f"{BACKUP_DEPTH} levels of nesting" in section


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ("notes.db", "{cwd}/notes.db"),
        ("~/n.db", "{home}/n.db"),
        ("sqlite:///notes.db", "{cwd}/notes.db"),
        ("sqlite:////srv/n.db", "/srv/n.db"),
        ("sqlite:///notes.db?timeout=5", "{cwd}/notes.db"),
        ("sqlite:///file:/srv/my%20n.db?mode=rwc&uri=true", "/srv/my n.db"),
        ("sqlite:///file:///srv/n.db?uri=true", "/srv/n.db"),
        ("sqlite:///file:n.db?mode=ro&uri=true", "{cwd}/n.db"),
        ("sqlite+pysqlcipher://:key@//srv/n.db", None),
        ("postgresql+psycopg://me:secret@db.example/netcli", None),
    ],
)
def test_one_grammar_of_database_urls(given: str, path: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """`paths.resolve` is the one reader of --db / NETCLI_DB: the CLI, the
    fast paths, completion and remind all ask it."""
    from netcli import paths

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    found = paths.resolve(given)
    wanted = None if path is None else Path(path.format(cwd=tmp_path, home=tmp_path / "home"))
    assert found.path == wanted and found.named_by == "--db" and found.url.startswith(("sqlite", "postgresql"))
    assert "secret" not in found.display and "secret" not in repr(found)


def test_an_in_memory_database_is_a_usage_error_and_the_fast_path_leaves_it_to_the_command(
    monkeypatch: pytest.MonkeyPatch,
):
    from netcli import brief, paths
    from netcli.errors import UsageError
    from netcli.sync import kept

    for memory in ("sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"):
        with pytest.raises(UsageError, match="in-memory"):
            paths.resolve(memory)
        assert not brief.fast(["--db", memory, "nudge", "--brief"])
        assert not kept.fast(["--db", memory, "sync", "vdir", "folder"])


@pytest.mark.sqlite_only
def test_sync_tasks_reads_only_the_folders_own_tasks(cli, tmp_path: Path):
    folder = tmp_path / "tasks"
    folder.mkdir()
    outside = tmp_path / "secret.ics"
    outside.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:secret\r\nSUMMARY:Secret\r\n"
        "END:VTODO\r\nEND:VCALENDAR\r\n"
    )
    (folder / "out.ics").symlink_to(outside)
    summary = cli.json("sync", "tasks", str(folder))
    assert summary["unparsable_list"] == [
        {"task": "out.ics", "reason": "a link to a file outside the folder: left alone"}
    ]
    assert outside.read_text().count("Secret") == 1 and (folder / "out.ics").is_symlink()
