"""`python -m netcli` and the `netcli` console script."""

import atexit
import gc
import os
import sys


def run() -> None:
    # One command, then exit. The cycle collector would walk the million
    # objects SQLAlchemy and Pydantic make at import over and over, which costs
    # more than netcli's own work (the rules over 100,000 people: 0.3 s without
    # it, 1.0 s with it); netcli's data holds no reference cycles, and plain
    # reference counting still frees everything as it goes.
    gc.disable()
    if sys.argv[1:] == ["--version"]:  # the one answer that needs no command tree
        from netcli import __version__

        print(f"netcli {__version__}")
        return
    from netcli.cli import main

    try:
        main(exits_hard=True)  # see below: nothing is torn down
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    # The command has closed its database (the root group does, whatever
    # happened), so all that is left is tearing down a hundred thousand
    # objects nobody will use again: a tenth of a second. Flush what was
    # written, run the exit hooks, and leave.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (| head), or a closed stream
            pass
    os._exit(code)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    run()
