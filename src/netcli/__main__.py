"""`python -m netcli` and the `netcli` console script."""

import sys


def run() -> None:
    if sys.argv[1:] == ["--version"]:  # the one answer that needs no command tree
        from netcli import __version__

        print(f"netcli {__version__}")
        return
    from netcli.cli import main

    main()


if __name__ == "__main__":
    run()
