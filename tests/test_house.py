"""The house's shape, read from the source: no import circles, files a
newcomer can read, one place per rule, docs that follow the registry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from netcli import rules
from netcli.models import Contact

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "netcli"
MOST_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py") if "migrations" not in p.relative_to(SRC).parts}


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every netcli module this file imports, anywhere in it (functions and
    TYPE_CHECKING blocks included): `from a.b import c` is `a.b.c` when that
    is a module, else `a.b`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in modules else node.module)
    return {name for name in found if name in modules}


def test_no_import_circle_anywhere():
    sources = _sources()
    graph = {name: _imports(path, set(sources)) - {name} for name, path in sources.items()}
    circles = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                circles.append(" -> ".join([*trail[trail.index(other) :], other]))
            elif other not in state:
                visit(other, [*trail, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_no_source_file_is_over_500_lines():
    long = {
        str(p.relative_to(SRC)): n for p in _sources().values() if (n := len(p.read_text().splitlines())) > MOST_LINES
    }
    assert long == {}


def test_each_rule_is_spelled_in_at_most_two_files():
    """A rule is declared once (`@rule` in its module); everything else reads
    the registry. Any mention counts: code, docstrings, help, comments. A rule
    name that is also a contact field (`birthday`) is spelled wherever that
    field is, so only the other names are counted."""
    fields = set(Contact.model_fields)
    spelled: dict[str, set[str]] = {name: set() for name in rules.RULES if name not in fields}
    for path in _sources().values():
        text = path.read_text()
        for name in spelled:
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                spelled[name].add(str(path.relative_to(SRC)))
    assert {name: files for name, files in spelled.items() if len(files) > 2} == {}


def test_the_store_takes_col_from_rows_not_from_sqlmodel():
    """`store.rows.col` gives Core's column; SQLModel's gives the ORM attribute,
    which makes a read configure every mapper (see `rows.col`)."""
    found = [
        path.name
        for path in (SRC / "store").glob("*.py")
        if path.name != "rows.py"
        and re.search(r"^from sqlmodel import [^\n]*\bcol\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert found == []


def test_every_rule_is_declared_whole():
    for name, declared in rules.RULES.items():
        assert declared.name == name and declared.summary and declared.style
        assert declared.subject in rules.Facts._fields
        assert declared.yields_to is None or declared.yields_to in rules.RULES


def test_the_readme_lists_the_rules_as_the_registry_declares_them():
    text = (ROOT / "README.md").read_text().split("## The rules behind", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", text, flags=re.MULTILINE)
    assert rows == [(name, declared.summary) for name, declared in rules.RULES.items()]


def test_the_store_re_exports_what_its_type_checking_imports_name():
    """`netcli.store` imports its names when first used (`_HOME`); the type
    checker reads the imports under TYPE_CHECKING: the two say the same, each
    name resolves to what its module defines, and none is a module's name
    (importing that module would shadow it on the package)."""
    import importlib
    import pkgutil

    import netcli.store as store

    tree = ast.parse(Path(store.__file__).read_text(encoding="utf-8"))
    typed = {
        alias.asname or alias.name: node.module
        for block in tree.body
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert typed == store._HOME
    modules = {info.name for info in pkgutil.iter_modules(store.__path__)}
    assert not set(store._HOME) & modules
    for name, module in store._HOME.items():
        assert getattr(store, name) is getattr(importlib.import_module(module), name)
