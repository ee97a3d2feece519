"""netcli: keep your learning network alive."""

__version__ = "0.1.0"
