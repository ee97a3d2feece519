"""Every test gets its own database and config file under tmp_path."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netcli.cli import app


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NETCLI_DB", str(tmp_path / "data" / "netcli.db"))
    monkeypatch.setenv("NETCLI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("NETCLI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("NETCLI_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


class Cli:
    """Runs netcli in-process, like a user at a shell would."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0, input: str | None = None):  # type: ignore[no-untyped-def]
        result = self.runner.invoke(app, list(args), input=input)
        assert "Traceback" not in result.output and "Traceback" not in result.stderr, result.stderr
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, (
            f"netcli {' '.join(args)} exited {result.exit_code}, wanted {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result

    def json(self, *args: str, code: int = 0) -> Any:
        result = self(*args, "--json", code=code)
        return json.loads(result.stdout)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def today() -> date:
    return date.today()


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()
