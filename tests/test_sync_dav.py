"""`netcli sync vdir` against a real CardDAV server: Radicale on loopback, and
vdirsyncer keeping it in step with a local vdir of .vcf cards, as a user who
syncs their phone's address book would have it. The first tests prove the
harness on its own (server -> vdir, vdir -> server, edits both ways); the last
one walks netcli through the same round trip."""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import re
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
from xml.etree import ElementTree

import pytest

from conftest import Cli

USER, PASSWORD = "test", "x"  # [auth] type = none takes any login; the rights still say whose collections are whose
START_TIMEOUT = 20.0  # seconds for Radicale to answer, per attempt
RUN_TIMEOUT = 60.0  # seconds for one vdirsyncer run: generous for a loaded machine, but never a hang
SUMMARY_KEYS = {
    "cards",
    "contacts",
    "added_here",
    "added_there",
    "updated_here",
    "updated_there",
    "conflicts",
    "archived",
    "deleted_there",
    "unparsable",
}
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


@pytest.fixture
def radicale_server(tmp_path: Path) -> Iterator[str]:
    """A Radicale of this test's own on a free loopback port; yields its base URL, e.g. http://127.0.0.1:PORT/."""
    if importlib.util.find_spec("radicale") is None:
        _unavailable(f"Radicale is not installed for {sys.executable} (pip install -e '.[test]')")
    folder = tmp_path / "radicale"
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


# --- CardDAV, with urllib only ----------------------------------------------------------------------------

_MKCOL = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>'
    "<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
    "<D:displayname>Contacts</D:displayname>"
    "</D:prop></D:set></D:mkcol>"
)
_PROPFIND = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:resourcetype/></D:prop></D:propfind>'
)


def make_addressbook(base: str, name: str = "contacts") -> str:
    """Create the address book /test/NAME/ (extended MKCOL, RFC 5689) and return its URL."""
    url = urllib.parse.urljoin(base, f"{USER}/{name}/")
    response = request("MKCOL", url, _MKCOL, Content_Type="application/xml; charset=utf-8")
    assert response.status == 201, f"MKCOL {url}: {response.status} {response.body[:500]!r}"
    return url


@dataclass
class Card:
    href: str  # absolute URL
    etag: str
    text: str

    @property
    def props(self) -> dict[str, list[str]]:
        return card_props(self.text)


def card_props(text: str) -> dict[str, list[str]]:
    """A vCard's property values by upper-case name, parameters dropped: {"EMAIL": ["ada@example.org"], ...}."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    props: dict[str, list[str]] = {}
    for line in unfolded.splitlines():
        head, sep, value = line.partition(":")
        if sep:
            name = head.split(";", 1)[0].split(".")[-1].upper()  # "item1.EMAIL;TYPE=work" -> "EMAIL"
            props.setdefault(name, []).append(value)
    return props


def vcard(uid: str, name: str, *lines: str) -> str:
    given, _, family = name.partition(" ")
    body = [f"UID:{uid}", f"FN:{name}", f"N:{family};{given};;;", *lines]
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{line}\r\n" for line in body) + "END:VCARD\r\n"


def put_card(book: str, text: str, href: str | None = None, etag: str | None = None) -> str:
    """PUT a vCard into the address book (at UID.vcf unless href is given); returns its URL."""
    if href is None:
        href = urllib.parse.urljoin(book, urllib.parse.quote(card_props(text)["UID"][0]) + ".vcf")
    headers = {"Content_Type": "text/vcard; charset=utf-8"}
    if etag:
        headers["If_Match"] = etag  # an edit of what we last read, as a CardDAV client sends it
    response = request("PUT", href, text, **headers)
    assert response.status in (200, 201, 204), f"PUT {href}: {response.status} {response.body[:500]!r}"
    return href


def server_cards(book: str) -> dict[str, Card]:
    """Every card in the address book by UID: PROPFIND Depth 1 for the members, then GET each."""
    response = request("PROPFIND", book, _PROPFIND, Depth="1", Content_Type="application/xml; charset=utf-8")
    assert response.status == 207, f"PROPFIND {book}: {response.status} {response.body[:500]!r}"
    cards: dict[str, Card] = {}
    ns = {"D": "DAV:"}
    for member in ElementTree.fromstring(response.body).findall("D:response", ns):
        href = urllib.parse.urljoin(book, member.findtext("D:href", "", ns))
        if href.rstrip("/") == book.rstrip("/") or member.find(".//D:resourcetype/D:collection", ns) is not None:
            continue
        got = request("GET", href)
        assert got.status == 200, f"GET {href}: {got.status}"
        card = Card(href, got.headers.get("etag", ""), got.body.decode())
        cards[card.props.get("UID", [href])[0]] = card  # a card without a UID shows up under its URL
    return cards


def card_named(cards: dict[str, Card], name: str) -> Card:
    found = [card for card in cards.values() if name in card.props.get("FN", [])]
    assert len(found) == 1, f"wanted one card named {name!r}, found {len(found)} in {[c.text for c in cards.values()]}"
    return found[0]


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)


# --- vdirsyncer -------------------------------------------------------------------------------------------


def _vdirsyncer_executable() -> str | None:
    beside = Path(sys.executable).with_name("vdirsyncer")
    return str(beside) if beside.exists() else shutil.which("vdirsyncer")


def vdirsyncer(tmp_path: Path, url: str) -> Callable[[], str]:
    """Pair the address book at `url` with the vdir tmp_path/"vdir" and return sync(), which runs
    `vdirsyncer sync` once, asserts it exited 0 and returns its output."""
    executable = _vdirsyncer_executable()
    if executable is None:
        _unavailable(f"vdirsyncer is not installed beside {sys.executable} nor on PATH (pip install -e '.[test]')")
        raise AssertionError("unreachable")  # for type checkers: _unavailable raises
    folder = tmp_path / "vdirsyncer"
    folder.mkdir()
    vdir = tmp_path / "vdir"
    vdir.mkdir(exist_ok=True)  # made here: discover would otherwise warn, or ask whether to create it
    config = folder / "config"
    # collections = null: `a` and `b` are the collections themselves, so discover finds nothing to ask about.
    # No conflict_resolution: an item changed on both sides fails the sync, and so the test.
    # Every value is JSON, so paths and the URL go through json.dumps.
    config.write_text(
        f"[general]\nstatus_path = {json.dumps(str(folder / 'status'))}\n\n"
        '[pair contacts]\na = "contacts_local"\nb = "contacts_remote"\ncollections = null\n\n'
        f'[storage contacts_local]\ntype = "filesystem"\npath = {json.dumps(str(vdir))}\nfileext = ".vcf"\n\n'
        f'[storage contacts_remote]\ntype = "carddav"\nurl = {json.dumps(url)}\n'
        f"username = {json.dumps(USER)}\npassword = {json.dumps(PASSWORD)}\n"
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


@dataclass
class Dav:
    book: str  # the address book's URL on the server
    vdir: Path
    sync: Callable[[], str]  # one `vdirsyncer sync`

    def vdir_cards(self) -> dict[str, Path]:
        """The vdir's cards by UID (one without a UID under its file name)."""
        return {
            card_props(path.read_text()).get("UID", [path.name])[0]: path for path in sorted(self.vdir.glob("*.vcf"))
        }


@pytest.fixture
def dav(radicale_server: str, tmp_path: Path) -> Dav:
    book = make_addressbook(radicale_server)
    return Dav(book, tmp_path / "vdir", vdirsyncer(tmp_path, book))


def write_atomically(path: Path, text: str) -> None:
    """As an editor or a sync tool saves: a new file put in place (a new inode, which vdirsyncer's etag sees)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, newline="")
    os.replace(temporary, path)


ADA = vcard("ada-1", "Ada Lovelace", "EMAIL;TYPE=INTERNET:ada@example.org")
GRACE = vcard("grace-1", "Grace Hopper", "EMAIL;TYPE=INTERNET:grace@example.org")


# --- the harness on its own -------------------------------------------------------------------------------


def test_a_card_put_on_the_server_reaches_the_vdir(dav: Dav):
    put_card(dav.book, ADA)
    assert dav.vdir_cards() == {}
    dav.sync()
    cards = dav.vdir_cards()
    assert list(cards) == ["ada-1"]
    assert card_props(cards["ada-1"].read_text())["EMAIL"] == ["ada@example.org"]


def test_a_card_written_into_the_vdir_reaches_the_server(dav: Dav):
    write_atomically(dav.vdir / "grace-1.vcf", GRACE)
    dav.sync()
    cards = server_cards(dav.book)
    assert list(cards) == ["grace-1"]
    assert cards["grace-1"].props["FN"] == ["Grace Hopper"]


def test_an_edit_on_either_side_crosses_over(dav: Dav):
    put_card(dav.book, ADA)
    write_atomically(dav.vdir / "grace-1.vcf", GRACE)
    dav.sync()
    assert set(server_cards(dav.book)) == set(dav.vdir_cards()) == {"ada-1", "grace-1"}

    ada_file = dav.vdir_cards()["ada-1"]
    write_atomically(ada_file, ada_file.read_text().replace("ada@example.org", "ada@analytical.example"))
    grace = server_cards(dav.book)["grace-1"]
    put_card(
        dav.book, grace.text.replace("END:VCARD", "TEL;TYPE=CELL:+1 555 0199\r\nEND:VCARD"), grace.href, grace.etag
    )
    dav.sync()

    assert server_cards(dav.book)["ada-1"].props["EMAIL"] == ["ada@analytical.example"]
    assert card_props(dav.vdir_cards()["grace-1"].read_text())["TEL"] == ["+1 555 0199"]
    assert "Copying" not in dav.sync()  # in step: a second sync moves nothing


def test_a_missing_server_fails_on_ci_instead_of_skipping(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        _unavailable("no Radicale")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        _unavailable("no Radicale")


# --- netcli, through the same round trip (the contract of `netcli sync vdir PATH --json`) ------------------


def netcli_sync(cli: Cli, dav: Dav) -> dict[str, int]:
    summary = cli.json("sync", "vdir", str(dav.vdir))
    assert set(summary) >= SUMMARY_KEYS, f"missing keys: {SUMMARY_KEYS - set(summary)}"
    assert (summary["conflicts"], summary["unparsable"]) == (0, 0), summary
    return summary


def test_netcli_and_a_carddav_server_stay_in_step_through_vdirsyncer(cli: Cli, dav: Dav):
    put_card(dav.book, ADA)
    dav.sync()
    cli("add", "Grace Hopper", "--email", "grace@example.org")

    summary = netcli_sync(cli, dav)
    assert (summary["added_here"], summary["added_there"]) == (1, 1), summary  # Ada became a contact, Grace a card
    assert cli.json("show", "Ada")["email"] == "ada@example.org"
    assert len(dav.vdir_cards()) == 2
    dav.sync()
    grace = card_named(server_cards(dav.book), "Grace Hopper")
    assert grace.props["EMAIL"] == ["grace@example.org"]

    # Ada changes her address on the phone: the server has it first, then the vdir, then netcli
    ada = server_cards(dav.book)["ada-1"]
    assert "ada@example.org" in ada.text, ada.text
    put_card(dav.book, ada.text.replace("ada@example.org", "ada@analytical.example"), ada.href, ada.etag)
    dav.sync()
    summary = netcli_sync(cli, dav)
    assert (summary["added_here"], summary["added_there"], summary["updated_here"]) == (0, 0, 1), summary
    assert cli.json("show", "Ada")["email"] == "ada@analytical.example"

    # Grace's new number, given to netcli, reaches the server's card
    cli("edit", "Grace", "--phone", "+1 555 0100")
    summary = netcli_sync(cli, dav)
    assert (summary["added_here"], summary["added_there"], summary["updated_there"]) == (0, 0, 1), summary
    dav.sync()
    grace = card_named(server_cards(dav.book), "Grace Hopper")
    assert [digits(tel) for tel in grace.props.get("TEL", [])] == ["15550100"], grace.text
    assert set(server_cards(dav.book)) == set(dav.vdir_cards())  # nothing duplicated on the way
