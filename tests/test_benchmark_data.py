"""The benchmark's synthetic networks go in through netcli's own imports
cleanly, and the commands it times answer on them (a small network here; the
benchmark itself, `benchmarks/bench.py`, is run by hand: no timings in tests)."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_network_imports_and_every_timed_command_runs(cli, tmp_path):
    bench = _bench()
    people, history = bench.write_network(tmp_path, 60, 600, date.today())
    cli("import", "csv", str(people))
    imported = cli("import", "interactions", str(history))
    assert "bad 0" in imported.stdout + imported.stderr
    assert len(cli.json("list")) == 60
    for _label, args in bench.COMMANDS:
        cli(*(args or ["add", "Bench Newcomer"]))
    assert cli.json("nudge", "--all")
