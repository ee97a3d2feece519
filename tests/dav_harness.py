"""The harness of the tests against real DAV programs: a Radicale server on
loopback (CardDAV and CalDAV), plain HTTP requests to it with no proxy, and
vdirsyncer keeping a local vdir in step with one of its collections, as a
user who syncs a phone would have it. Used by tests/test_sync_dav.py (the
address book) and tests/test_sync_tasks_dav.py (the task list)."""

from __future__ import annotations

import base64
import contextlib
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

USER, PASSWORD = "test", "x"  # [auth] type = none takes any login; the rights still say whose collections are whose
START_TIMEOUT = 20.0  # seconds for Radicale to answer, per attempt
RUN_TIMEOUT = 60.0  # seconds for one vdirsyncer run: generous for a loaded machine, but never a hang
# urllib and vdirsyncer's aiohttp (trust_env=True) both obey these: a proxy must never see loopback requests
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; on CI a missing server is a broken run, never a quiet skip."""
    if _in_ci():
        pytest.fail(f"CI is set, so this may not be skipped: {reason}")
    pytest.skip(reason)


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in _PROXY_VARIABLES}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.pop("RADICALE_CONFIG", None)  # Radicale would merge that file into ours
    # [tool.coverage.run] patch = subprocess measures every Python child; these never run netcli, and
    # measuring them doubled their time
    for name in ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START"):
        env.pop(name, None)
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def request(
    method: str, url: str, body: bytes | str | None = None, *, timeout: float = 10.0, **headers: str
) -> Response:
    """One HTTP request as user `test`, with no proxy; an HTTP error status is returned, not raised."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", _AUTH)
    for name, value in headers.items():
        req.add_header(name.replace("_", "-"), value)
    try:
        with _NO_PROXY.open(req, timeout=timeout) as resp:
            return Response(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def _radicale_config(folder: Path, port: int, token: str) -> str:
    # Radicale always merges /etc/radicale/config and ~/.config/radicale/config under this file, so every
    # option that could change what the tests see is set here. Only options Radicale 3.2 (the oldest the
    # test extras allow; tried) already knows: an unknown option is a fatal configuration error.
    return (
        f"[server]\nhosts = 127.0.0.1:{port}\nssl = False\n"
        "[auth]\ntype = none\n"
        "[rights]\ntype = owner_only\n"
        f"[storage]\ntype = multifilesystem\nfilesystem_folder = {folder / 'collections'}\nhook =\n"
        "[web]\ntype = none\n"
        "[logging]\nlevel = warning\n"
        # every response carries this: proof that the server answering is ours, not whoever took the port
        f"[headers]\nX-Netcli-Test = {token}\n"
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _log_tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-2000:]
    except OSError:
        return ""


@contextlib.contextmanager
def radicale(folder: Path) -> Iterator[str]:
    """A Radicale of its own on a free loopback port, keeping its collections in `folder`; yields its
    base URL, e.g. http://127.0.0.1:PORT/, and stops it however the block ends."""
    if importlib.util.find_spec("radicale") is None:
        _unavailable(f"Radicale is not installed for {sys.executable} (pip install -e '.[test]')")
    folder.mkdir()
    log = folder / "radicale.log"
    failures: list[str] = []
    # The free port is free when asked, not necessarily when Radicale binds it (another worker, another
    # engineer's server): a server that dies or answers without our token means try again on a new port.
    proc: subprocess.Popen[bytes] | None = None
    try:  # stopped however the test ends, even interrupted while waiting for it
        for attempt in range(3):
            port, token = _free_port(), uuid.uuid4().hex
            config = folder / "config"
            config.write_text(_radicale_config(folder, port, token))
            base = f"http://127.0.0.1:{port}/"
            with log.open("ab") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "radicale", "--config", str(config)],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=_environment(),
                )
            answered = None
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    answered = request("OPTIONS", base, timeout=2).headers.get("x-netcli-test", "")
                    break
                except (OSError, urllib.error.URLError):  # not listening yet
                    time.sleep(0.05)
            exited = proc.poll()
            if answered == token and exited is None:
                break
            _stop(proc)
            if answered is not None and answered != token:
                failures.append(f"attempt {attempt + 1}: port {port} was answered by another server")
            elif exited is not None:
                failures.append(f"attempt {attempt + 1}: Radicale exited {exited}")
            else:
                failures.append(f"attempt {attempt + 1}: Radicale did not answer within {START_TIMEOUT:.0f} s")
        else:
            _unavailable("Radicale could not start: " + "; ".join(failures) + "\n" + _log_tail(log))
        yield base
    finally:
        if proc is not None:
            _stop(proc)


def _vdirsyncer_executable() -> str | None:
    beside = Path(sys.executable).with_name("vdirsyncer")
    return str(beside) if beside.exists() else shutil.which("vdirsyncer")


def vdirsyncer(
    tmp_path: Path,
    url: str,
    *,
    vdir: Path | None = None,
    pair: str = "contacts",
    remote: str = "carddav",
    fileext: str = ".vcf",
    remote_options: str = "",
) -> Callable[[], str]:
    """Pair the collection at `url` (an address book; with `remote="caldav"`, a calendar or task list)
    with the vdir `vdir` (default tmp_path/"vdir") and return sync(), which runs `vdirsyncer sync` once,
    asserts it exited 0 and returns its output."""
    executable = _vdirsyncer_executable()
    if executable is None:
        _unavailable(f"vdirsyncer is not installed beside {sys.executable} nor on PATH (pip install -e '.[test]')")
        raise AssertionError("unreachable")  # for type checkers: _unavailable raises
    folder = tmp_path / "vdirsyncer"
    folder.mkdir()
    vdir = vdir or tmp_path / "vdir"
    vdir.mkdir(exist_ok=True)  # made here: discover would otherwise warn, or ask whether to create it
    config = folder / "config"
    # collections = null: `a` and `b` are the collections themselves, so discover finds nothing to ask about.
    # No conflict_resolution: an item changed on both sides fails the sync, and so the test.
    # Every value is JSON, so paths and the URL go through json.dumps.
    config.write_text(
        f"[general]\nstatus_path = {json.dumps(str(folder / 'status'))}\n\n"
        f'[pair {pair}]\na = "{pair}_local"\nb = "{pair}_remote"\ncollections = null\n\n'
        f'[storage {pair}_local]\ntype = "filesystem"\npath = {json.dumps(str(vdir))}\nfileext = "{fileext}"\n\n'
        f'[storage {pair}_remote]\ntype = "{remote}"\nurl = {json.dumps(url)}\n'
        f"username = {json.dumps(USER)}\npassword = {json.dumps(PASSWORD)}\n{remote_options}"
    )

    def run(command: str) -> str:
        try:
            done = subprocess.run(
                [executable, "-c", str(config), command],
                stdin=subprocess.DEVNULL,  # a prompt fails at once instead of waiting for an answer
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT,
                env=_environment(),
            )
        except subprocess.TimeoutExpired as timeout:
            raise AssertionError(f"vdirsyncer {command} took over {RUN_TIMEOUT:.0f} s: {timeout.stderr!r}") from None
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"vdirsyncer {command} exited {done.returncode}:\n{output}"
        return output

    run("discover")  # sync refuses to run before it ("Please run `vdirsyncer discover contacts`"), even with null

    def sync() -> str:
        return run("sync")

    return sync


def write_atomically(path: Path, text: str) -> None:
    """As an editor or a sync tool saves: a new file put in place (a new inode, which vdirsyncer's etag sees)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, newline="")
    os.replace(temporary, path)
