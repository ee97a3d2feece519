"""`netcli mcp` against `netcli nudge`: how long an assistant waits from
starting the server to its first answer (initialise, then `list_nudges`),
beside the command that gives the same answer in a terminal.

5,000 people and 50,000 interactions, built with netcli's own imports. The
server is started and spoken to through the MCP SDK's own stdio client, as
an assistant does; each figure is the median of --runs after a warm-up, the
two runs taken in turn so the machine's drift moves both alike. Target
(issue 32): within 1.5x of `netcli nudge`. The server's two processes (see
netcli/mcp/worker.py) run side by side only where a core is free: the CPU
seconds of each, by the first answer, say what an idle machine would see
when a busy one cannot show it. Prints; asserts nothing.

    python benchmarks/mcp.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

# This file is named like the SDK's package: its folder must not stand first on the path
# when `mcp` is imported, so bench.py is loaded from its file instead.
HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
_spec = importlib.util.spec_from_file_location("bench", HERE / "bench.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
PY, netcli, run_once, user_env = bench.PY, bench.netcli, bench.run_once, bench.user_env


def cpu_seconds(pid: int) -> float:
    """User and system CPU a live process has used so far (Linux's /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(entry.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


async def first_answer(db: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds from starting `netcli mcp` to the answer of its first tool call, and the CPU
    seconds by then of the server's process and of the database's (see netcli/mcp/worker.py)."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    server = StdioServerParameters(command=PY, args=["-m", "netcli", "--db", str(db), "mcp", "--read-only"], env=env)
    start = time.perf_counter()
    async with stdio_client(server) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        result = await session.call_tool("list_nudges", {})
        wall = time.perf_counter() - start
        served = children(os.getpid())
        desks = [pid for server_pid in served for pid in children(server_pid)]
        cpu = sum(map(cpu_seconds, served)), sum(map(cpu_seconds, desks))
    if result.is_error:
        raise SystemExit(f"list_nudges failed: {result.content}")
    return wall, *cpu


def nudge_cpu(db: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one `netcli nudge --json`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _, code = run_once(netcli(db, "nudge", "--json"), env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0:
        raise SystemExit(f"netcli nudge failed with exit code {code}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netcli-mcp-bench-") as tmp:
        folder = Path(tmp)
        env = user_env(folder)
        db, _ = bench.build(folder, 5_000, 50_000, env)  # through netcli's own imports
        served, nudged = [], []
        for n in range(args.runs + 1):  # the first of each is the warm-up
            answer = asyncio.run(first_answer(db, env))
            nudge = nudge_cpu(db, env)
            if n:
                served.append(answer)
                nudged.append(nudge)
        wall, server_cpu, desk_cpu = (statistics.median(run[i] for run in served) for i in range(3))
        nudge_wall, nudge_cpu_s = (statistics.median(run[i] for run in nudged) for i in range(2))
        print("5,000 people, 50,000 interactions (median of each column)")
        print(f"{'run':40} {'wall s':>7} {'CPU s':>6}")
        print(f"{'netcli nudge --json':40} {nudge_wall:7.3f} {nudge_cpu_s:6.2f}")
        print(
            f"{'netcli mcp: initialise + list_nudges':40} {wall:7.3f} {server_cpu + desk_cpu:6.2f}"
            f"   {wall / nudge_wall:4.2f}x nudge (target <= 1.5)"
        )
        ratio = server_cpu / nudge_cpu_s
        print(f"{'  of which the server process':40} {'':7} {server_cpu:6.2f}   {ratio:4.2f}x nudge's CPU")
        print(f"{'  and the database process':40} {'':7} {desk_cpu:6.2f}   (on the other core, where one is free)")


if __name__ == "__main__":
    main()
