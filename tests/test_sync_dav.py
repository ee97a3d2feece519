"""`netcli sync vdir` against a real CardDAV server: Radicale on loopback, and
vdirsyncer keeping it in step with a local vdir of .vcf cards, as a user who
syncs their phone's address book would have it. The first tests prove the
harness on its own (server -> vdir, vdir -> server, edits both ways); the last
one walks netcli through the same round trip."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import Cli
from dav_harness import USER, _unavailable, radicale, request, vdirsyncer, write_atomically

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


@pytest.fixture
def radicale_server(tmp_path: Path) -> Iterator[str]:
    """A Radicale of this test's own on a free loopback port; yields its base URL, e.g. http://127.0.0.1:PORT/."""
    with radicale(tmp_path / "radicale") as base:
        yield base


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
