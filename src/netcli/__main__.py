"""`python -m netcli`."""

from netcli.cli import main

if __name__ == "__main__":
    main()
