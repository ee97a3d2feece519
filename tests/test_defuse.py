"""Nothing a stranger wrote steers the terminal: `netcli.defuse` alone, then
every read command over a database that already holds hostile text (written
straight in with SQL, past every door), plain and styled, stdout and stderr
searched byte by byte."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from netcli.cli import app
from netcli.defuse import defuse, defuse_json

# what a terminal obeys: C0 but tab and newline, DEL, C1, bidi overrides and
# isolates, zero-width and other invisible format characters, lone surrogates
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u3164\U000e0001-\U000e007f\ud800-\udfff]"
)
SGR = re.compile("\x1b\\[[0-9;]*m")  # the only escape codes netcli itself writes (styles, on a terminal)
HOSTILE = (
    "\x1b]0;owned\x07"  # OSC 0: the window title
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"  # OSC 8: a link
    "\x1b[2J\x1b[H"  # clear the screen
    "\x1bP+q544e\x1b\\"  # DCS: a terminfo request
    "\x1b[21t"  # report the window title back
    "\x9b2J\x9d0;c1\x9c"  # C1: CSI and OSC in one character each
    "\u202e\u2066\u200b\ufeff\u3164"  # right-to-left override, isolate, zero-width, BOM, a Hangul filler
    "\x08\r\x07\x7f"
)


def _found(text: str, *, styled: bool = False) -> list[str]:
    return sorted({repr(ch) for ch in FORBIDDEN.findall(SGR.sub("", text) if styled else text)})


# ----------------------------------------------------------------- the function


def test_plain_text_comes_back_unchanged():
    for text in (
        "Ana Lima",
        "José Núñez",
        "Zoë 🦀",
        "שלום",
        "a\tb\nc",
        "👩\u200d💻 Dev",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    ):
        assert defuse(text) == text


def test_every_control_is_shown_as_a_visible_escape():
    assert defuse("Ana\x1b[2JLima") == "Ana\\x1b[2JLima"
    assert defuse("\x9b31m\x9d") == "\\x9b31m\\x9d"
    assert defuse("evil\u202etxt.exe") == "evil\\u202etxt.exe"
    assert defuse("a\u200bb\ufeff") == "a\\u200bb\\ufeff"
    assert defuse("tag\U000e0041") == "tag\\U000e0041"
    assert defuse("bytes \udcff") == "bytes \\udcff"  # an undecodable file name
    assert defuse("over\rwrite") == "over\\rwrite"
    assert defuse("two\nlines\tand a tab") == "two\nlines\tand a tab"
    assert defuse("two\nlines\tand a tab", one_line=True) == "two\\nlines\\tand a tab"


@given(st.text())
def test_nothing_a_terminal_obeys_survives(text: str):
    shown = defuse(text)
    assert _found(shown) == []
    assert defuse(shown) == shown  # defusing twice changes nothing
    assert "\n" not in defuse(text, one_line=True) and "\t" not in defuse(text, one_line=True)


@given(
    st.text(
        st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp")).filter(
            lambda ch: ch not in "\u115f\u1160\u3164\uffa0"
        )
    )
)
def test_text_without_hidden_characters_is_untouched(text: str):
    assert defuse(text) == text


def test_the_exit_escapes_every_format_character_but_the_joiners_and_all_the_doors_remove():
    from netcli import text

    for code in range(0x110000):
        ch = chr(code)
        category = unicodedata.category(ch)
        if category not in ("Cc", "Cf", "Zl", "Zp", "Cs"):  # nothing else is hidden, to the doors or here
            continue
        if ch not in "\u200c\u200d\t\n":  # the joiners shape emoji and scripts
            assert defuse(ch) != ch, f"U+{code:04X} ({category}) is not escaped"
        if category != "Cs" and text.hidden(ch):
            assert defuse(ch, one_line=True) != ch, f"U+{code:04X}: the doors remove it, the exit shows it raw"


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.recursive(
        st.none() | st.text() | st.integers(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=12,
    )
)
def test_json_keeps_every_character_and_shows_none(document: object):
    for encoded in (json.dumps(document, ensure_ascii=False), json.dumps(document, ensure_ascii=False, indent=2)):
        safe = defuse_json(encoded)
        assert json.loads(safe) == document
        assert _found(safe) == []


# ----------------------------------------------------------------- every view


def _poison(db: Path) -> None:
    """Hostile text in every column a view shows, past every door."""
    conn = sqlite3.connect(db)
    with conn:
        for table, columns in {
            "contact": ("org", "role", "location", "url", "met_at", "note", "phone"),
            "interaction": ("note",),
            "goal": ("title", "why"),
            "goal_progress": ("note",),
            "mentor_question": ("text",),
            "community": ("url",),
        }.items():
            for column in columns:
                conn.execute(f"UPDATE {table} SET {column} = coalesce({column}, '') || ?", (HOSTILE,))
        for table in ("contact", "community", "event"):  # the name keys stay: the names resolve as before
            conn.execute(f"UPDATE {table} SET name = substr(name, 1, 3) || ? || substr(name, 4)", (HOSTILE,))
        conn.execute("UPDATE contact_email SET address = ? || address", (HOSTILE,))
        for table in ("contact_tag", "contact_topic"):
            column = table.removeprefix("contact_")
            conn.execute(f"UPDATE {table} SET {column} = {column} || ?", ("\x1b[2J\u202e",))
        conn.execute("UPDATE interaction SET note = note || ? WHERE id % 2 = 0", ("\nnext line",))
    conn.close()


READ_COMMANDS = [
    [],
    ["list"],
    ["list", "--json"],
    *(["show", f"#{n}"] for n in (1, 4, 29)),  # nudged, a mentor, newly met
    ["show", "#1", "--json"],
    ["history"],
    ["history", "--json"],
    ["history", "#4"],
    ["nudge", "--all"],
    ["nudge", "--all", "--plain"],
    ["nudge", "--all", "--explain"],
    ["nudge", "--all", "--json"],
    ["nudge", "--brief", "--always"],
    ["search", "ana"],
    ["search", "note", "--json"],
    ["who", "rust"],
    ["event", "list"],
    ["event", "show", "#3"],
    ["community", "list"],
    ["community", "show", "#1"],
    ["mentor", "list"],
    ["mentor", "prep", "#4"],
    ["goal", "list", "--all"],
    ["goal", "show", "#1"],
    ["report"],
    ["report", "--format", "md"],
    ["report", "--format", "html"],
    ["report", "--json"],
    ["db", "check"],
    # errors quoting what was typed
    ["show", f"Ana{HOSTILE}"],
    ["history", "--since", HOSTILE],
    ["goal", "show", HOSTILE],
    ["event", "show", HOSTILE],
    ["import", "csv", f"/nonexistent/{HOSTILE}.csv"],
    ["nudge", "--rule", HOSTILE],
]

# what Rich draws on a terminal: its tables, the nudge grid, the detail views, the report's calendar
STYLED = [
    [],
    ["list"],
    ["show", "#4"],
    ["history"],
    ["nudge", "--all"],
    ["search", "ana"],
    ["event", "list"],
    ["event", "show", "#3"],
    ["community", "show", "#1"],
    ["mentor", "prep", "#4"],
    ["goal", "list", "--all"],
    ["goal", "show", "#1"],
    ["report"],
]


@pytest.mark.one_engine
def test_no_view_lets_hostile_text_reach_the_terminal(cli, isolated: Path):
    cli("demo")
    cli("mentor", "ask", "dana", "How do I start?")
    _poison(isolated / "netcli.db")
    runner = CliRunner()
    leaks = {}
    for styled, commands in ((False, READ_COMMANDS), (True, STYLED)):
        # piped, and as a colour terminal draws it (Rich tables, the nudge grid, the padded report)
        env = {"FORCE_COLOR": "1", "NETCLI_NO_PAGER": "1", "COLUMNS": "100"} if styled else {}
        for args in commands:
            result = runner.invoke(app, args, env=env)
            assert result.exit_code in (0, 1, 2) and "Traceback" not in result.stderr, (args, result.stderr)
            for stream, text in (("stdout", result.stdout), ("stderr", result.stderr)):
                if found := _found(text, styled=styled):
                    leaks[(" ".join(args)[:40], styled, stream)] = found
            if "--json" in args:
                json.loads(result.stdout)  # still one document, every character kept
    assert leaks == {}


# ----------------------------------------------------------------- one way out

SRC = Path(__file__).resolve().parent.parent / "src" / "netcli"
# the writers that bypass the consoles, each defusing what it writes or writing only netcli's own words
RAW_WRITERS = {
    ("render/__init__.py", 'print(f"error: {defuse(text)}", file=sys.stderr, flush=True)'),
    (
        "render/__init__.py",
        "print(defuse(text, one_line=one_line), file=sys.stderr if to_stderr else sys.stdout, flush=to_stderr)",
    ),
    ("render/__init__.py", 'sys.stdout.write(to_json(document, pretty=sys.stdout.isatty()) + "\\n")'),
    ("render/__init__.py", 'sys.stdout.write("\\n".join(batch) + "\\n")'),  # write_long: lines `listing` defused
    ("brief.py", "print(defuse(text, one_line=True))"),
    ("sync/kept.py", "print(defuse(line), file=sys.stderr)"),
    (
        "sync/kept.py",
        "print(defuse_json(json.dumps(document, ensure_ascii=False, indent=2 if sys.stdout.isatty() else None)))",
    ),
    ("__main__.py", 'print(f"netcli {__version__}")'),
    ("__main__.py", "print(defuse(str(code)), file=sys.stderr)"),
    ("cli/root.py", 'print(f"netcli {__version__}")'),
    ("cli/app.py", "print(file=sys.stderr)"),
    ("cli/app.py", 'print("Aborted.", file=sys.stderr)'),
    ("cli/__init__.py", "sys.stdout.write(root_help())"),
    ("cli/io.py", "sys.stdout.writelines(pieces)"),  # `export` to stdout: the data file itself, kept whole
}


def test_every_line_leaves_through_a_defusing_writer():
    """print, typer.echo and writes to stdout or stderr appear only in the
    writers above: every other line goes through `render` (its consoles,
    `line`, `message`, `error`, `emit`), which defuse what they write."""
    import ast

    found = set()
    for path in SRC.rglob("*.py"):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name in ("print", "typer.echo", "typer.secho") or re.fullmatch(
                r"sys\.std(out|err)\.write(lines)?", name
            ):
                found.add((path.relative_to(SRC).as_posix(), ast.get_source_segment(source, node)))
    assert found == RAW_WRITERS


# ----------------------------------------------------------------- the report's pages


def _hostile_report():  # type: ignore[no-untyped-def]
    from datetime import date

    from netcli import reflection

    names = [
        "<script>alert(1)</script>",
        "# Heading",
        "1. listed",
        "a | b",
        f"Ana{HOSTILE}",
        "[x](javascript:alert(1))",
    ]
    counts = {
        "interactions": 3,
        "by_kind": {"message": 3},
        "by_day": {date(2026, 10, 2): 3},
        "people": 6,
        "top_contacts": [{"name": name, "interactions": 1} for name in names],
        "new_by_channel": {"<b>bold</b>": 1},
    }
    goals = [
        {
            "title": '<img src=x onerror="alert(1)"> **big** `code` ~~gone~~ | cell',
            "status": "active",
            "progress_start": None,
            "progress_end": 40,
            "created_on": date(2026, 9, 1),
        }
    ]
    return reflection.build(
        reflection.MonthFacts(
            first=date(2026, 10, 1),
            end=date(2026, 10, 31),
            counts=counts,
            interactions_prev_month=0,
            thanks_owed=0,
            went_quiet=names,
            goals=goals,
            focus=[f"Reconnect with {name}." for name in names],
        )
    )


def test_the_markdown_report_shows_strangers_text_as_text():
    """As a Markdown viewer renders it (markdown-it, CommonMark with HTML on):
    no element from a name or title, no heading, list, link or table cell."""
    from markdown_it import MarkdownIt

    from netcli.render import report as views

    page = views.markdown(_hostile_report())
    assert _found(page) == []
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(page)
    tags = set(re.findall(r"<([a-z0-9]+)", rendered))
    assert tags <= {"h1", "h2", "p", "ul", "li", "em", "pre", "code", "table", "thead", "tbody", "tr", "th", "td"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered and "&lt;img src=x onerror=" in rendered
    assert rendered.count("<h1>") == 1 and "# Heading" in rendered and "1. listed" in rendered
    assert "**big** `code` ~~gone~~ | cell" in rendered  # the goal's row keeps its five cells
    assert all(row.count("<td") == 5 for row in re.findall(r"<tr>.*?</tr>", rendered, re.S) if "big" in row)
    assert "[x](javascript:alert(1))" in rendered and "href" not in rendered


def test_the_html_and_text_reports_show_strangers_text_as_text():
    from html.parser import HTMLParser

    from netcli.render import report as views

    built = _hostile_report()
    tags: set[str] = set()

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
            tags.add(tag)
            assert not any(name.startswith("on") for name, _ in attrs)

    page = views.html(built)
    Tags().feed(page)
    assert "script" not in tags and "img" not in tags and "b" not in tags
    assert _found(page) == [] and _found(views.plain(built)) == []


# ----------------------------------------------------------------- what capture echoes


def _mbox(messages: list[dict[str, str]]) -> bytes:
    out = []
    for m in messages:
        out.append(f"From {m['addr']} Mon Nov 16 09:12:01 2026")
        out += [f"{k}: {v}" for k, v in m.items() if k != "addr"]
        out += ["", "body", ""]
    return "\n".join(out).encode("utf-8", "surrogateescape")


@pytest.mark.one_engine
def test_capture_echoes_nothing_a_stranger_can_steer_the_terminal_with(cli, tmp_path: Path):
    cli("config", "set", "me.emails", "ann@example.org")
    cli("add", "Dana Wu", "--email", "dana@example.org", "--on", "2026-01-10")
    header = HOSTILE.replace("\r", "")  # a CR would end the header line
    stranger = f'"Eve{header}" <eve@evil.example>'
    bidi = "=?UTF-8?B?" + __import__("base64").b64encode("Invoice \u202egpj.exe \x9b2J".encode()).decode() + "?="
    folder = tmp_path / "mail\x1b]0;owned\x07"
    folder.mkdir()
    box = folder / "in\x1b[2Jbox.mbox"
    box.write_bytes(
        _mbox(
            [
                {
                    "addr": "eve@evil.example",
                    "From": stranger,
                    "To": "ann@example.org",
                    "Subject": f"s{n}",
                    "Date": f"Mon, {10 + n} Nov 2026 09:12:00 +0000",
                    "Message-ID": f"<eve-{n}@evil.example>",
                }
                for n in range(4)
            ]
            + [
                {
                    "addr": "ann@example.org",
                    "From": "Ann <ann@example.org>",
                    "To": stranger,
                    "Subject": "Re: s1",
                    "Date": "Mon, 12 Nov 2026 09:12:00 +0000",
                    "Message-ID": "<ann-1@example.org>",
                },
                {
                    "addr": "dana@example.org",
                    "From": "Dana Wu <dana@example.org>",
                    "To": "ann@example.org",
                    "Subject": f"Slides {header}",
                    "Date": "Mon, 16 Nov 2026 09:12:00 +0000",
                    "Message-ID": "<slides@example.org>",
                },
                {
                    "addr": "dana@example.org",
                    "From": "Dana Wu <dana@example.org>",
                    "To": "ann@example.org",
                    "Subject": bidi,
                    "Date": "Mon, 17 Nov 2026 09:12:00 +0000",
                    "Message-ID": "<invoice@example.org>",
                },
                {
                    "addr": "dana@example.org",
                    "From": "Dana Wu <dana@example.org>",
                    "To": "ann@example.org",
                    "Subject": "when?",
                    "Date": f"someday{header}",
                    "Message-ID": f"<bad{header}@example.org>",
                },
            ]
        )
    )
    seen = []
    for args in (
        ["capture", "mail", str(box), "--as-of", "2026-11-20", "--dry-run"],
        ["capture", "mail", str(box), "--as-of", "2026-11-20"],
        ["capture", "mail", str(folder), "--as-of", "2026-11-20"],  # holds no mail: the folder is named
        ["capture", "mail", str(folder / f"gone{HOSTILE}\udcff"), "--as-of", "2026-11-20"],  # bytes, not UTF-8
        ["history"],
        ["nudge", "--as-of", "2026-11-20", "--plain", "--all"],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code in (0, 1, 2), (args, result.stderr)
        seen.append(result.stdout + result.stderr)
        assert _found(result.stdout) == [] and _found(result.stderr) == [], args
    # what a stranger wrote is cleaned at the door (as `add` would store a name), the path shown defused
    assert "not a contact yet: Eve]0;owned]8;;https://evil.example/" in seen[0]
    assert "(Date: someday]0;owned]8;;" in seen[0] and "mail\\x1b]0;owned\\x07/in\\x1b[2Jbox.mbox" in seen[0]
    # what was stored (the doors clean it) shows too, whatever is left of it
    assert "message with Dana Wu: Slides" in seen[0] and "Invoice" in seen[4] and "gpj.exe" in seen[4]


def test_completion_shows_no_stranger_text_beside_a_nudge_id(isolated: Path):
    """The shell prints each nudge's action beside its id as the user presses Tab."""
    from netcli import paths
    from netcli.cli import complete

    cache = paths.nudge_cache()
    cache.parent.mkdir(parents=True, exist_ok=True)
    listed = [{"id": "3fa92c1", "action": f"Reply to Eve{HOSTILE}"}, {"id": "\x1b[2J", "action": "x"}]
    cache.write_text(json.dumps({"day": "2026-11-20", "database": "x", "nudges": listed}))
    offered = complete.nudge_ids("")
    assert offered == [("3fa92c1", defuse(f"Reply to Eve{HOSTILE}", one_line=True))]
    assert _found(json.dumps(offered, ensure_ascii=False)) == []
