"""Help and usage errors that read like a man page, not like Python.

Typer labels every option with its Python type (`<str>`, `<bool>`,
`<list[str]>`) and words conversion errors as Pydantic does ("Value error,
'coffee' is not one of…", "Input should be a valid integer…"). `polish`
gives every parameter a man-page metavar once, when the command tree is
built; `usage_problem` rewords a usage error as netcli's one error line.
Light on purpose: imported by `--help`.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click.core import ParameterSource

_COMMANDLINE = ParameterSource.COMMANDLINE

# Many-choice options get a word for a metavar and their choices in the help;
# a few choices are shown as they are typed (A|B|C|D, text|md|html|json).
_CHOICE_WORDS = {"via": "CHANNEL", "kind": "KIND", "rule": "RULE"}
_FEW_CHOICES = 6


def _base(annotation: Any) -> Any:
    """The element type of `list[X]`, else the annotation (Typer has taken
    `Optional` off already)."""
    return get_args(annotation)[0] if get_origin(annotation) is list else annotation


def choices_of(param: Any) -> list[str]:
    """The values a choice parameter accepts, as the user types them."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not descriptor.is_choice:
        return []
    return [c.value if isinstance(c, Enum) else str(c) for c in descriptor.choices or ()]


def _metavar(param: Any) -> str:
    choices = choices_of(param)
    if choices:
        if len(choices) <= _FEW_CHOICES and param.param_type_name == "option":
            return "|".join(choices)
        return _CHOICE_WORDS.get(param.name, param.name.upper())
    base = _base(param.type_descriptor.annotation)
    if isinstance(base, type) and issubclass(base, Path):
        return "FILE"
    if base is int:
        return "N"
    return param.name.upper() if param.param_type_name == "argument" else "TEXT"


def _no_type(ctx: Any) -> None:
    return None


def _polish_param(param: Any) -> None:
    if param.param_type_name == "argument":
        # its name column already says NAME: no second column of Python types
        param.display_type_rich = _no_type
    if getattr(param, "is_flag", False):
        param.metavar = ""  # a flag takes no value: nothing to show
        return
    choices = choices_of(param)
    if param.metavar is None:
        param.metavar = _metavar(param)
    if choices and len(choices) > _FEW_CHOICES and param.help and "one of" not in param.help:
        param.help = f"{param.help.rstrip('.')}: one of {', '.join(choices)}."
    # "[x>=1]" is Python's way to say it; say it in the help instead
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is None:
        param.min = None
        if param.help and "at least" not in param.help:
            text = param.help.rstrip(".")
            param.help = f"{text[:-1]}; at least {low})." if text.endswith(")") else f"{text} (at least {low})."
    elif low is not None and high is not None:  # "[0<=x<=100]": the help says the range ("0-100")
        param.min = param.max = None
        if param.help and f"{low}-{high}" not in param.help:
            param.help = f"{param.help.rstrip('.')} ({low} to {high})."


def _polished_help_option(get_help_option: Any) -> Any:
    def wrapped(ctx: Any) -> Any:
        option = get_help_option(ctx)
        if option is not None:
            _polish_param(option)
        return option

    return wrapped


def polish_params(command: Any) -> None:
    """Man-page metavars for `command`'s own parameters (safe to repeat)."""
    for param in command.params:
        _polish_param(param)


def polish(command: Any, path: tuple[str, ...] = ()) -> None:
    """Give every parameter of `command` and its subcommands a man-page metavar
    (the --help option too, which Click makes only when it is asked for), and
    have each refuse an empty value unless it means something there."""
    polish_params(command)
    for param in command.params:
        _guard_empty(param, path)
    command.get_help_option = _polished_help_option(command.get_help_option)
    for name, sub in getattr(command, "commands", {}).items():
        polish(sub, (*path, name))


def _guard_empty(param: Any, path: tuple[str, ...]) -> None:
    """`--on ""` is a usage error naming --on, not today; `--db ""` is not
    $NETCLI_DB (see `values.EMPTY_CLEARS` for the few an empty value clears)."""
    from netcli.cli.values import empty_refused, is_blank, refuse_empty

    if getattr(param, "is_flag", False) or getattr(param, "_netcli_guarded", False):
        return
    if not empty_refused(path, param.name):
        return
    process = param.process_value

    def process_value(ctx: Any, value: Any) -> Any:
        if is_blank(value) and ctx.get_parameter_source(param.name) == _COMMANDLINE:
            what = (param.metavar or param.name.upper()).strip("[]")  # an optional argument's [PATH]
            raise refuse_empty(what, option=param.param_type_name == "option")
        return process(ctx, value)

    param.process_value = process_value
    param._netcli_guarded = True


def _described_value(exc: Any) -> str | None:
    """A plain sentence for a value Typer refused, or None to keep its own."""
    from netcli.cli.values import Refused

    if isinstance(exc, Refused):
        return str(exc.message)
    param = getattr(exc, "param", None)
    cause = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    given = errors[0].get("input") if errors else None
    choices = choices_of(param) if param is not None else []
    if choices:
        return f"{given!r} is not one of {', '.join(choices)}"  # the words a file's column gets (store.clean)
    if not errors:
        return None
    kind, limits = errors[0].get("type", ""), errors[0].get("ctx") or {}
    if kind == "int_parsing":
        return f"{given!r} is not a whole number"
    if kind == "greater_than_equal":
        return f"{given} is too small: at least {limits.get('ge')}"
    if kind == "less_than_equal":
        return f"{given} is too large: at most {limits.get('le')}"
    return str(errors[0].get("msg", "")).removeprefix("Value error, ") or None


def usage_problem(exc: Any) -> str:
    """One line for a usage error: what was wrong, and where help is."""
    from typer._click.exceptions import MissingParameter

    param = getattr(exc, "param", None)
    missing = isinstance(exc, MissingParameter)
    text = _described_value(exc) if param is not None and not missing else None
    where = None
    if param is not None:
        name = next((o for o in param.opts if o.startswith("--")), None) if param.param_type_name == "option" else None
        where = name or (param.metavar or param.name).strip("[]")  # an optional argument's [PATH] is PATH
    if missing and param is not None and choices_of(param):  # say what it takes
        message = f"Missing {param.param_type_name} '{where}': give one of {', '.join(choices_of(param))}"
    elif param is not None and text is not None:
        message = f"{where}: {text}"
    else:
        message = exc.format_message().rstrip(".")
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message
