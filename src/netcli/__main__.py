"""`python -m netcli` and the `netcli` console script."""

import gc
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

    main()


if __name__ == "__main__":
    run()
