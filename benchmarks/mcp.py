"""`netcli mcp` against `netcli nudge`: how long an assistant waits from
starting the server to its first answer (initialise, then `list_nudges`),
beside the command that gives the same answer in a terminal.

5,000 people and 50,000 interactions, built with netcli's own imports. The
server is started and spoken to through the MCP SDK's own stdio client, as
an assistant does; each figure is the median of --runs after a warm-up, the
two runs taken in turn so the machine's drift moves both alike. Target
(issue 32): within 1.5x of `netcli nudge`. Prints; asserts nothing.

    python benchmarks/mcp.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# This file is named like the SDK's package: its folder must not stand first on the path
# when `mcp` is imported, so bench.py is loaded from its file instead.
HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
_spec = importlib.util.spec_from_file_location("bench", HERE / "bench.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
PY, netcli, run_once, write_network = bench.PY, bench.netcli, bench.run_once, bench.write_network


async def first_answer(db: Path, env: dict[str, str]) -> float:
    """Seconds from starting `netcli mcp` to the answer of its first tool call."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    server = StdioServerParameters(command=PY, args=["-m", "netcli", "--db", str(db), "mcp", "--read-only"], env=env)
    start = time.perf_counter()
    async with stdio_client(server) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        result = await session.call_tool("list_nudges", {})
        wall = time.perf_counter() - start
    if result.is_error:
        raise SystemExit(f"list_nudges failed: {result.content}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netcli-mcp-bench-") as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NETCLI_")}
        env |= {"NETCLI_CONFIG": str(folder / "config.toml"), "NO_COLOR": "1"}
        people, history = write_network(folder, 5_000, 50_000, date.today())
        db = folder / "net.db"
        for step in (["import", "csv", str(people)], ["import", "interactions", str(history)]):
            if run_once(netcli(db, *step), env)[2] != 0:
                raise SystemExit(f"netcli {' '.join(step)} failed")
        served, nudged = [], []
        for n in range(args.runs + 1):  # the first of each is the warm-up
            wall = asyncio.run(first_answer(db, env))
            nudge, _, code = run_once(netcli(db, "nudge", "--json"), env)
            if code != 0:
                raise SystemExit(f"netcli nudge failed with exit code {code}")
            if n:
                served.append(wall)
                nudged.append(nudge)
        mcp, nudge = statistics.median(served), statistics.median(nudged)
        print("5,000 people, 50,000 interactions")
        print(f"{'run':44} {'seconds':>8}")
        print(f"{'netcli nudge --json':44} {nudge:8.3f}")
        print(f"{'netcli mcp: initialise + list_nudges':44} {mcp:8.3f}   {mcp / nudge:4.2f}x nudge (target <= 1.5)")


if __name__ == "__main__":
    main()
