"""`python -m netcli` and the `netcli` console script."""

import atexit
import contextlib
import gc
import os
import sys


def run() -> None:
    # One short process whose data holds no reference cycles: the collector would
    # only re-walk, again and again, everything SQLAlchemy and the rules allocate.
    # Measured (benchmarks/imports.py, 100,000 rows over 20,000 contacts): 6.5 s
    # with the collector off against 9.2 s with it on (or with a high threshold),
    # the same peak (111 MB) either way, since imports hold bounded batches.
    gc.disable()
    if sys.argv[1:] == ["--version"]:  # the one answer that needs no command tree
        from netcli import __version__

        print(f"netcli {__version__}")
        return
    if "--brief" in sys.argv[1:] and _brief_from_the_kept_line():
        return
    if "sync" in sys.argv[1:4] and _sync_from_what_was_kept():  # [--db X] sync vdir ...
        return
    from netcli.cli import main

    try:
        main()
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    # The root group has closed the database: run the exit hooks, flush, and leave
    # without tearing down, one by one, objects nobody will use again.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away (| head), or a closed stream
            stream.flush()
    os._exit(code)


def _brief_from_the_kept_line() -> bool:
    """`nudge --brief` answered without the database stack, when it can be
    (see `netcli.brief`: it says False for what only the full command can answer)."""
    from netcli import brief

    return brief.fast(sys.argv[1:])


def _sync_from_what_was_kept() -> bool:
    """`sync vdir` answered without the database stack when nothing changed
    (see `netcli.sync.kept`: it says False for what only the full sync can answer)."""
    from netcli.sync import kept

    return kept.fast(sys.argv[1:])


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    from netcli.defuse import defuse

    print(defuse(str(code)), file=sys.stderr)
    return 1


if __name__ == "__main__":
    run()
