"""`netcli --help`: the command list drawn straight from the registered
commands, in the order a newcomer needs them.

Typer would build every command's parameters and import its Rich help (Rich's
Markdown and Syntax included) just to print this page. Here it is plain text
in the same boxed layout, and respects COLUMNS like Rich does. A command's own
help (`netcli nudge --help`) is Typer's."""

from __future__ import annotations

import inspect
import shutil
import textwrap

PANELS = ("People", "Interactions", "Nudges", "Learning", "Reflection", "Data", "Housekeeping")
# Typer's own options for shell completion, as its help words them
COMPLETION_OPTIONS = (
    ("--install-completion", "Install completion for the current shell."),
    ("--show-completion", "Show completion for the current shell, to copy it or customize the installation."),
)


def _summary(text: str | None) -> str:
    """The first paragraph, on one line (what Typer shows in a command list)."""
    return " ".join((text or "").strip().split("\n\n")[0].split())


def root_help() -> str:
    from typer.main import get_command_name

    from netcli.cli.app import COMMAND_MODULES, app, load_commands
    from netcli.cli.root import DB_HELP, VERSION_HELP

    load_commands()
    listed: dict[str, tuple[str | None, str]] = {}  # name -> (panel, summary)
    for command in app.registered_commands:
        assert command.callback is not None  # @app.command() always registers a function
        text = command.help or inspect.getdoc(command.callback)
        listed[command.name or get_command_name(command.callback.__name__)] = (command.rich_help_panel, _summary(text))
    for group in app.registered_groups:
        assert group.name is not None and group.typer_instance is not None  # each add_typer() here names its group
        listed[group.name] = (group.rich_help_panel, _summary(group.typer_instance.info.help))
    panels: dict[str, list[tuple[str, str]]] = {}
    for name in COMMAND_MODULES:  # the order of the page
        panel, summary = listed[name]
        panels.setdefault(panel or "Commands", []).append((name, summary))
    width = max(40, shutil.get_terminal_size((80, 24)).columns)
    lines = ["", " Usage: netcli [OPTIONS] COMMAND [ARGS]...", ""]
    lines += [f" {part}" for part in textwrap.wrap(_summary(app.info.help), width - 2)] + [""]
    options = [
        ("--db PATH_OR_URL", DB_HELP),
        ("--version", VERSION_HELP),
        *COMPLETION_OPTIONS,
        ("-h, --help", "Show this message and exit."),
    ]
    lines += _box("Options", options, width)
    for title in sorted(panels, key=lambda p: PANELS.index(p) if p in PANELS else len(PANELS)):
        lines += _box(title, panels[title], width)
    lines.append(" Run 'netcli COMMAND --help' for a command's options and examples.")
    return "\n".join(lines) + "\n"


def _box(title: str, rows: list[tuple[str, str]], width: int) -> list[str]:
    left = max(len(name) for name, _ in rows) + 2
    text_width = max(10, width - left - 5)
    out = [f"╭─ {title} " + "─" * max(0, width - len(title) - 5) + "╮"]
    for name, text in rows:
        wrapped = textwrap.wrap(text, text_width) or [""]
        for number, part in enumerate(wrapped):
            cell = (name if number == 0 else "").ljust(left) + part
            out.append(f"│ {cell.ljust(width - 4)} │")
    out.append("╰" + "─" * (width - 2) + "╯")
    return out
