"""Startup stays light, and the module map's import arrows hold."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from netcli import __version__

SRC = Path(__file__).resolve().parent.parent / "src" / "netcli"
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "mcp")  # mcp: the MCP SDK, for `netcli mcp` alone


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["add", "--help"], ["nudge", "--help"], ["mcp", "--help"]])
def test_help_and_version_do_not_import_the_orm(args):
    code = (  # run() ends the process itself, after the exit hooks
        "import atexit, sys\n"
        f"sys.argv = ['netcli', *{args!r}]\n"
        f"atexit.register(lambda: print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules)))\n"
        "from netcli.__main__ import run\n"
        "run()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_version(cli):
    assert cli("--version").stdout.strip() == f"netcli {__version__}"


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "netcli", "--version"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == f"netcli {__version__}"


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["nudge", "--json"], 0, "[]"),
        (["mentor", "list", "--json"], 0, "[]"),
        (["nudg"], 2, "Did you mean 'nudge'?"),
        (["--help"], 0, "nudge"),
    ],
)
def test_a_run_finds_the_command_it_names_and_typos_get_a_suggestion(tmp_path, args, code, expected):
    """As the console script: `netcli NAME` runs NAME; a typo is told the nearest name."""
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("NETCLI_")}
    env |= {"NETCLI_CONFIG": str(tmp_path / "c.toml"), "NO_COLOR": "1", "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-m", "netcli", "--db", str(tmp_path / "n.db"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == code, result.stderr
    assert expected in result.stdout + result.stderr


def test_the_console_script_exits_with_the_commands_code_and_leaves_the_file_whole(tmp_path):
    """run() ends the process without Python's teardown: output is flushed,
    exit codes kept, and the database closed (no write-ahead log left over)."""
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("NETCLI_")}
    env |= {"NETCLI_CONFIG": str(tmp_path / "c.toml"), "NO_COLOR": "1"}
    db = tmp_path / "n.db"

    def netcli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "netcli", "--db", str(db), *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )

    assert netcli("add", "Ana Lima").returncode == 0
    assert not (tmp_path / "n.db-wal").exists()
    listed = netcli("list", "--json")
    assert listed.returncode == 0 and [c["name"] for c in __import__("json").loads(listed.stdout)] == ["Ana Lima"]
    missing = netcli("show", "nobody")
    assert missing.returncode == 1 and missing.stderr.startswith("error: no contact matches")
    assert netcli("nudge", "--bogus").returncode == 2


def test_the_root_help_lists_what_typers_would(monkeypatch):
    """`netcli --help` is drawn without Typer's tree: it must name every
    command, group and root option Typer's own help names, with the same words."""
    import re

    from typer.testing import CliRunner

    from netcli.cli import app
    from netcli.cli.roothelp import root_help

    monkeypatch.setenv("COLUMNS", "200")
    theirs = CliRunner().invoke(app, ["--help"], prog_name="netcli", env={"COLUMNS": "200", "NO_COLOR": "1"}).stdout
    ours = root_help()
    rows = re.findall(
        r"^│ (--?[a-z-]+|[a-z]+) +(?:<bool> +|[A-Z_]+ +)?(?:-h +(?:<bool> +)?)?(\S.*?)\s*│$", theirs, re.M
    )
    assert len(rows) > 25
    for name, words in rows:
        assert re.search(rf"^│ (-h, )?{re.escape(name)}\b.*{re.escape(words)}", ours, re.M), (name, words)


def test_a_reader_that_stops_early_gets_no_error(tmp_path):
    """`netcli list --json | head -c 100`: netcli stops quietly (exit 141, as
    after SIGPIPE), with nothing on stderr."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("NETCLI_")}
    env |= {"NETCLI_CONFIG": str(tmp_path / "c.toml"), "NETCLI_DB": str(tmp_path / "n.db")}
    people = tmp_path / "people.csv"  # a listing far longer than a pipe holds
    people.write_text("name,email\n" + "".join(f"Person {i},p{i}@example.org\n" for i in range(3000)))
    subprocess.run(
        [sys.executable, "-m", "netcli", "import", "csv", str(people)],
        env=env,
        capture_output=True,
        timeout=60,
        check=True,
    )
    listing = subprocess.Popen(
        [sys.executable, "-m", "netcli", "list", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert listing.stdout.read(10).startswith(b"[")
    listing.stdout.close()  # the reader goes away
    _, stderr = listing.communicate(timeout=60)
    assert listing.returncode == 141 and stderr == b""


# module (or package) -> the netcli modules it may import
ALLOWED = {
    "__init__": set(),
    "errors": set(),
    "vocab": set(),
    "dates": set(),
    "config": {"rules", "addresses"},
    "addresses": set(),
    "text": set(),
    "identity": {"addresses", "names"},
    "results": set(),
    "models": set(),
    "migrations": {"models"},
    "db": {"models", "migrations", "errors", "wording", "sqlite_file"},
    "sqlite_file": {"errors"},
    "store": {
        "models",
        "errors",
        "vocab",
        "names",
        "wording",
        "addresses",
        "scan",
        "dates",
        "text",
        "identity",
        "results",
    },
    "scan": {"errors"},
    "brief": {"privatefile"},
    "remind": {"errors", "privatefile"},  # the kept brief line: the standard library (and platformdirs) only
    "capture": {"addresses", "errors", "formats", "config", "store", "scan"},
    "sync": {"addresses", "brief", "errors", "formats", "models", "names", "privatefile", "store", "sync", "text"},
    "names": set(),
    "wording": set(),
    "rules": {"wording"},
    "pipeline": {"rules", "store", "config", "errors"},
    "reflection": {"dates"},
    "demo": {"store", "names", "models"},  # load_demo stores the sample through the store
    "privatefile": {"errors"},
    "formats": {"models", "errors", "wording"},
    "render": {"render", "rules", "reflection", "dates", "vocab", "names", "wording"},
    "values": {"dates", "errors"},
    # the answers both ways of asking share (the CLI's --json, the MCP tools)
    "documents": {"store", "pipeline", "rules", "reflection", "dates", "errors", "config", "models"},
    # the MCP server: like cli/, anything below it, but never cli/ itself
    "mcp": {
        "mcp",
        "documents",
        "values",
        "errors",
        "store",
        "db",
        "render",
        "rules",
        "vocab",
        "names",
        "config",
        "pipeline",
    },
}


def _netcli_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("netcli"):
            parts = node.module.split(".")
            if len(parts) == 1:
                found.update(alias.name for alias in node.names)
            else:
                found.add(parts[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("netcli."):
                    found.add(alias.name.split(".")[1])
    return found


def test_import_arrows():
    problems = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        owner = rel.parts[0].removesuffix(".py")
        if owner in ("cli", "__main__"):
            continue
        allowed = ALLOWED.get(owner)
        assert allowed is not None, f"{rel} is not in the module map"
        bad = _netcli_imports(path) - allowed - {owner, "__version__"}
        if bad:
            problems.append(f"{rel} imports {sorted(bad)}")
    assert problems == []


def test_only_cli_and_render_import_typer_or_rich():
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if rel.parts[0] in ("cli", "render"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("typer", "rich", "click"), f"{rel} imports {name}"


def test_command_modules_keep_their_annotations_evaluated():
    """Typer reads every command's annotations on each run; as strings
    (`from __future__ import annotations`) it evaluates them all again."""
    for path in (SRC / "cli").glob("*.py"):
        tree = ast.parse(path.read_text())
        defines_commands = any(
            isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") in ("command", "callback")
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            for decorator in node.decorator_list
        )
        postponed = any(isinstance(node, ast.ImportFrom) and node.module == "__future__" for node in tree.body)
        assert not (defines_commands and postponed), f"{path.name} postpones the annotations of its commands"
