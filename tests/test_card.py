"""The one card class (`formats.card`) and files of cards (`formats.vcard`),
without a database: what netcli writes reads back as itself in every
version, and what other programs write reads as they meant it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from netcli.errors import NotACard
from netcli.formats import vcard
from netcli.formats.card import MAX_CARD_BYTES, Card, new_card

plain = st.characters(blacklist_categories=("Cs", "Cc"))
text = st.text(plain, min_size=1, max_size=30).map(str.strip).filter(bool)
one_line = text.map(lambda t: " ".join(t.split())).filter(bool)
note = st.lists(text | st.sampled_from(["\n", "\r\n", "\r", "\t", "\\", ",", ";", "\\n"]), min_size=1, max_size=12).map(
    "".join
)
month_days = st.dates().map(lambda d: f"--{d.month:02d}-{d.day:02d}") | st.just("--02-29")
VALUES: dict[str, Any] = {
    "name": one_line,
    "emails": st.lists(st.from_regex(r"[a-z.+]{1,8}@[a-z]{1,8}\.example", fullmatch=True), max_size=3, unique=True),
    "phone": st.from_regex(r"\+?[0-9][0-9 ()-]{0,14}[0-9]", fullmatch=True),
    "org": text,
    "role": one_line,
    "url": st.from_regex(r"https://[a-z]{1,10}\.example/[a-z,;]{0,5}", fullmatch=True),
    "note": note.filter(lambda n: n.replace("\r", "\n").strip()),
    "birthday": st.dates().map(lambda d: d.isoformat()) | month_days,
    "tags": st.lists(text, max_size=3, unique=True),
    "location": one_line,
    "tier": st.sampled_from("ABCD"),
    "met_at": one_line,
    "met_on": st.dates(),
    "cadence_days": st.integers(1, 36_500),
    "archived": st.booleans(),
    "topics": st.lists(text, max_size=3, unique=True),
}


def expected(values: dict[str, Any]) -> dict[str, Any]:
    """What a card of `values` reads back as: a note's line breaks as \\n."""
    found = dict(values)
    if "note" in found:
        found["note"] = found["note"].replace("\r\n", "\n").replace("\r", "\n").strip()
    return found


def read_back(fields: Any) -> dict[str, Any]:
    record = fields.record()
    record["met_on"] = record.get("met_on")
    return record


@settings(max_examples=150, deadline=None)
@given(version=st.sampled_from(["2.1", "3.0", "4.0"]), data=st.data())
def test_fields_written_into_a_new_card_read_back_as_themselves(version, data):
    keys = data.draw(st.lists(st.sampled_from(list(VALUES)), unique=True))
    values = {"name": data.draw(VALUES["name"])} | {key: data.draw(VALUES[key]) for key in keys}
    written = new_card(values, uid="u-1", prodid="-//netcli//test//EN", version=version)
    fields = Card.parse(written).fields()
    record = fields.record()
    for key, want in expected(values).items():
        got = record.get(key)
        if key == "met_on":
            assert got == want.isoformat()
        elif key == "cadence_days":
            assert got == str(want)
        elif key == "archived":
            assert got == ("true" if want else None)
        elif key in ("emails", "tags", "topics"):
            assert (got or []) == want, key
        else:
            assert got == want, key
    assert fields.uid == "u-1"
    for line in written.split("\r\n"):
        assert "\r" not in line and "\n" not in line  # a line break inside a value is escaped, never raw
        assert len(line.encode()) <= 75 or "QUOTED-PRINTABLE" in line  # folded at 75 octets (2.1 QP: one line)
    world = vobject.readOne(written)  # and the world's reader (khard's, Radicale's) reads it
    if version != "2.1":
        assert world.fn.value == values["name"]
        if "note" in values:
            assert world.note.value == expected(values)["note"]


@settings(max_examples=60, deadline=None)
@given(version=st.sampled_from(["2.1", "3.0", "4.0"]), data=st.data())
def test_a_card_edited_in_place_reads_back_the_edit_and_keeps_the_rest(version, data):
    kept = 'X-ODD;X-P="a:b":kept\\, as written\r\nPHOTO;ENCODING=b;TYPE=JPEG:AAEC\r\n AwQF'
    card = Card.parse(f"BEGIN:VCARD\r\nVERSION:{version}\r\nFN:Ada\r\n{kept}\r\nEND:VCARD\r\n")
    key = data.draw(st.sampled_from(["note", "org", "birthday", "tags", "emails", "url", "location"]))
    value = data.draw(VALUES[key])
    written = card.edited({key: value})
    assert Card.parse(written).fields().record()[key] == expected({key: value})[key]
    assert kept in written
    assert Card.parse(written).edited({}) == written  # and reading it again changes nothing


def card(*lines: str, version: str = "3.0") -> Card:
    return Card.parse("\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""]))


def test_a_cr_in_a_note_is_a_line_break_in_the_card():
    """Excel's CSV brings notes with CR: written raw, vobject, khard and Radicale could not read the card."""
    for version in ("3.0", "4.0", "2.1"):
        written = card("FN:Ana", version=version).edited({"note": "Met.\r\nTalked\rlong"})
        assert "\r" not in written.replace("\r\n", "")
        assert Card.parse(written).fields().note == "Met.\nTalked\nlong"
        if version != "2.1":
            assert vobject.readOne(written).note.value == "Met.\nTalked\nlong"
    assert new_card({"name": "Ana", "note": "a\x1b[2Jb\x00c"}, uid=None, prodid=None).count("\x1b") == 0


def test_a_value_ending_in_a_lone_backslash_is_that_backslash():
    ends = card("FN:Ana", "NOTE:C:\\temp\\", "ORG:Back\\")
    assert ends.fields().note == "C:\\temp\\" and ends.fields().org == "Back\\"  # vobject read "Back\\eof"
    again = Card.parse(ends.edited({"note": "ends in \\"}))
    assert again.fields().note == "ends in \\"


@pytest.mark.parametrize(
    "line, version, birthday",
    [
        ("BDAY:1985-03-15", "3.0", "1985-03-15"),
        ("BDAY:19850315", "4.0", "1985-03-15"),
        ("BDAY:1985-03-15T00:00:00Z", "3.0", "1985-03-15"),
        ("BDAY:--1209", "4.0", "--12-09"),
        ("BDAY:--12-09", "3.0", "--12-09"),  # as Google and old netcli wrote it; khard reads it too
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-09", "3.0", "--12-09"),  # Apple
        ("BDAY;X-APPLE-OMIT-YEAR=1604;VALUE=date:1604-02-29", "3.0", "--02-29"),
        ("BDAY:1604-12-09", "3.0", "--12-09"),  # Apple's year, its parameter lost on the way
        ("BDAY;VALUE=text:circa 1800", "4.0", "circa 1800"),  # as written: the judge says what it is
    ],
)
def test_birthdays_as_programs_write_them(line, version, birthday):
    assert card("FN:Ana", line, version=version).fields().birthday == birthday


def test_a_year_less_birthday_is_written_as_each_version_reads_it():
    """vCard 3.0 and 2.1 have no year-less date: Apple's year 1604 (a leap year) and its X-APPLE-OMIT-YEAR."""
    for version, line in (
        ("3.0", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-09"),
        ("2.1", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-09"),
        ("4.0", "BDAY:--1209"),
    ):
        written = card("FN:Ana", "BDAY;VALUE=date:1990-01-01", version=version).edited({"birthday": "--12-09"})
        assert line in written.split("\r\n") and Card.parse(written).fields().birthday == "--12-09"
        dated = Card.parse(written).edited({"birthday": "1990-05-17"})
        assert ("BDAY:19900517" if version == "4.0" else "BDAY:1990-05-17") in dated.split("\r\n")
    leap = new_card({"name": "Leap", "birthday": "--02-29"}, uid=None, prodid=None)
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29" in leap and Card.parse(leap).fields().birthday == "--02-29"


def test_every_address_and_phone_in_pref_order():
    ios = card(
        "FN:Kim",
        "EMAIL;TYPE=home:kim@home.example",
        "EMAIL;PREF=2:kim@two.example",
        "EMAIL;TYPE=work;PREF=1:kim@work.example",
        "EMAIL:not an address",
        "TEL;TYPE=home:+1 555 0101",
        "TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+1-555-0100",
        "item2.TEL:+1 555 0102",
        "TITLE:",
        "ROLE:Organiser",
        version="4.0",
    ).fields()
    # every EMAIL in PREF order; one that is no address is for the email cleaner to name, not the model to drop
    assert ios.emails == ["kim@work.example", "kim@two.example", "kim@home.example", "not an address"]
    assert ios.phones == ["+1-555-0100", "+1 555 0101", "+1 555 0102"] and ios.phone == "+1-555-0100"
    assert ios.role == "Organiser"
    outlook = card("N:Smith;John;Q;Dr.;Jr.", "EMAIL;INTERNET;PREF:js@x.example", "TEL;WORK;VOICE:1", version="2.1")
    assert outlook.fields().name == "Dr. John Q Smith Jr." and outlook.fields().emails == ["js@x.example"]


def cards(data: bytes) -> list[Any]:
    return list(vcard.parse_cards(io.BytesIO(data), source="x.vcf"))


def test_a_file_of_cards_is_read_card_by_card_as_other_programs_write_it():
    outlook = (
        "BEGIN:VCARD\rVERSION:2.1\rN:Muñoz;Ana\rFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Ana Mu=C3=\r\n"
        "=B1oz\rNOTE;QUOTED-PRINTABLE:Line one=0D=0ALine two\rEND:VCARD\r"
    )
    found = cards(b"\xef\xbb\xbf" + outlook.encode() + b"BEGIN:VCARD\nFN:Bo\nEND:VCARD\n")  # BOM, CR, then LF
    assert [p.record["name"] for p in found] == ["Ana Muñoz", "Bo"]
    assert found[0].record["note"] == "Line one\nLine two" and [p.line for p in found] == [1, 8]
    mixed = cards(
        b"junk\nmore junk\nBEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:Jos\xe9\nEND:VCARD\n"
        b"BEGIN:VCARD\nFN:C\nBEGIN:VCARD\nFN:D\nEND:VCARD\nBEGIN:VCARD\nN:;;;;\nEND:VCARD\nBEGIN:VCARD\nFN:E\n"
    )
    assert [(p.line, p.error or p.record["name"]) for p in mixed] == [
        (1, "text outside a BEGIN:VCARD ... END:VCARD card"),  # once for a stretch of text
        (3, "A"),
        (7, "not UTF-8 text; save the file as UTF-8 and import it again"),
        (9, "card has no END:VCARD before the next BEGIN:VCARD"),
        (11, "D"),
        (14, "card has no name (FN or N)"),
        (17, "card has no END:VCARD"),
    ]
    assert (
        cards(b"") == cards(b"\n\n") and cards(b"")[0].error.startswith("no BEGIN:VCARD found") and cards(b"")[0].whole
    )


def test_a_card_past_the_limit_is_named_and_skipped_unread():
    photo = b"PHOTO;ENCODING=b:" + b"A" * (MAX_CARD_BYTES + 10) + b"\r\n"  # one line, longer than the limit
    folded = b"".join(b" " + b"B" * 74 + b"\r\n" for _ in range(MAX_CARD_BYTES // 70))
    data = b"BEGIN:VCARD\r\nFN:Big\r\n" + photo + b"END:VCARD\r\nBEGIN:VCARD\r\nFN:Ok\r\nEND:VCARD\r\n"
    data += b"BEGIN:VCARD\r\nFN:Folded\r\nPHOTO;ENCODING=b:\r\n" + folded + b"END:VCARD\r\n"
    found = cards(data)
    assert [(p.line, p.error or p.record["name"]) for p in found] == [
        (1, "card is larger than 4 MB, netcli's limit for one card"),
        (5, "Ok"),
        (8, "card is larger than 4 MB, netcli's limit for one card"),
    ]
    with pytest.raises(NotACard, match="larger than 4 MB"):
        Card.parse(data)


def test_a_file_past_its_limit_stops_at_the_limit(monkeypatch):
    monkeypatch.setattr(vcard, "MAX_IMPORT_BYTES", 1000)

    class Endless(io.RawIOBase):  # what a link to /dev/zero reads as
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[:] = b"\0" * len(buffer)
            return len(buffer)

    found = list(vcard.parse_cards(io.BufferedReader(Endless()), source="zero"))
    assert found[-1].error.startswith("the file is larger than") and found[-1].error.endswith("limit; split it")


# ---- through the CLI: the same card, whichever command reads it ----------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
QUIET: dict[str, Any] = {"capture_output": True, "text": True, "stdin": subprocess.DEVNULL, "timeout": 60}
SHOWN = ("name", "emails", "phone", "org", "role", "url", "note", "birthday", "tags")
OUTLOOK = (  # Outlook's 2.1: quoted-printable, bare parameters, LABEL lines
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;LANGUAGE=de;CHARSET=Windows-1252:Wei=DF;Greta\r\n"
    "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:Greta Wei=DF\r\nORG:Kontor;Einkauf\r\nTITLE:Leiterin\r\n"
    "TEL;WORK;VOICE:+49 40 123\r\nTEL;CELL;VOICE;PREF:+49 171 999\r\nEMAIL;PREF;INTERNET:greta@kontor.example\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:Messe Hamburg=0D=0Aschreibt lieber Briefe\r\nBDAY:19700101\r\n"
    "LABEL;WORK;ENCODING=QUOTED-PRINTABLE:Hafen 1=0D=0AHamburg\r\nREV:20260101T120000Z\r\nEND:VCARD\r\n"
)
APPLE = (  # Apple's 3.0: grouped labels, a year-less birthday, a photo, LF line endings
    "BEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//macOS 15.1//EN\nN:Ito;Hana;;;\nFN:Hana Ito\n"
    "item1.EMAIL;type=INTERNET;type=pref:hana@ito.example\nitem1.X-ABLabel:_$!<Other>!$_\n"
    "TEL;type=CELL;type=VOICE;type=pref:+81 90 1234 5678\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29\n"
    "NOTE:Tokyo Rust meetup\\, asked about embassy\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/\n"
    "UID:hana-ito\nEND:VCARD\n"
)
KHARD_YAML = (
    "First name : Kay\nLast name : Khard\nOrganisation : Ferrous Systems\nTitle : Engineer\n"
    "Birthday : 1985-03-15\nPhone :\n    cell : +49 151 000\nEmail :\n    work : kay@khard.example\n"
    "    home : kay@home.example\nCategories :\n    - rust\n    - Meetups\nWebpage : https://kay.example\n"
    "Note : |\n    line one, with a comma\n    line two; with a semicolon\n"
)


def khard(folder: Path, tmp_path: Path) -> list[str]:
    exe = shutil.which("khard") or str(Path(sys.executable).with_name("khard"))
    config = tmp_path / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[book]]\npath = {folder}\n[general]\neditor = /bin/true\nmerge_editor = /bin/true\n"
        "[vcard]\npreferred_version = 3.0\n"
    )
    return [exe, "-c", str(config)]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """Cards as khard, Nextcloud (Sabre), iOS, Android, Apple and Outlook write them, one per file."""
    folder = tmp_path / "book"
    folder.mkdir()
    for name in ("ada.vcf", "bob.vcf", "carl.vcf", "dana.vcf"):
        shutil.copy(FIXTURES / "vdir" / name, folder / name)
    (folder / "greta.vcf").write_bytes(OUTLOOK.encode())
    (folder / "hana.vcf").write_bytes(APPLE.encode())
    yaml = tmp_path / "kay.yaml"
    yaml.write_text(KHARD_YAML)
    made = subprocess.run([*khard(folder, tmp_path), "new", "-a", "book", "-i", str(yaml)], **QUIET)
    assert made.returncode == 0, made.stderr
    return folder


def fields_of(cli: Any, db: str) -> dict[str, dict[str, Any]]:
    shown = [cli.json("--db", db, "show", f"#{p['id']}") for p in cli.json("--db", db, "list")]
    return {c["name"]: {key: c[key] for key in SHOWN} for c in shown}


@pytest.mark.one_engine
def test_the_same_cards_give_the_same_fields_to_import_and_to_sync(cli, book: Path, tmp_path: Path):
    imported, synced = str(tmp_path / "imported.db"), str(tmp_path / "synced.db")
    cards = sorted(str(p) for p in book.glob("*.vcf"))
    assert cli.json("--db", imported, "import", "vcard", *cards)["added"] == 7
    assert cli.json("--db", synced, "sync", "vdir", str(book))["added_here"] == 7
    by_import, by_sync = fields_of(cli, imported), fields_of(cli, synced)
    assert by_import == by_sync
    assert by_import["Greta Weiß"] | {"note": None} == {
        "name": "Greta Weiß",
        "emails": ["greta@kontor.example"],
        "phone": "+49 171 999",
        "org": "Kontor, Einkauf",
        "role": "Leiterin",
        "url": None,
        "note": None,
        "birthday": "1970-01-01",
        "tags": [],
    }
    assert by_import["Greta Weiß"]["note"] == "Messe Hamburg\nschreibt lieber Briefe"
    assert by_import["Hana Ito"]["birthday"] == "--02-29" and by_import["Hana Ito"]["note"] == (
        "Tokyo Rust meetup, asked about embassy"
    )
    kay = by_import["Kay Khard"]
    assert kay["emails"] == ["kay@khard.example", "kay@home.example"] or kay["emails"] == [
        "kay@home.example",
        "kay@khard.example",
    ]
    assert kay["note"] == "line one, with a comma\nline two; with a semicolon" and kay["tags"] == ["meetups", "rust"]


@pytest.mark.one_engine
def test_khard_reads_every_card_netcli_writes(cli, book: Path, tmp_path: Path):
    """New cards, and cards of each version edited in place: khard lists and shows each as netcli holds it."""
    cli("sync", "vdir", str(book))
    cli("add", "Lea Leap", "--birthday", "--02-29", "--org", "Ferrous; Systems, Inc", "--email", "lea@x.example")
    cli("add", "Mo Note", "--note", "Met at the meetup.\r\nExcel\rwrote this", "--birthday", "--12-09")
    cli("add", "Ünal Long", "--note", "ü" * 120 + " \\ the end \\", "--phone", "+90 212 555 0000")
    cli("edit", "Carl Müller", "--birthday", "--07-04", "--note", "Zürich\nthen Berlin")  # a 2.1 card
    cli("edit", "Bob Builder", "--birthday", "--03-15", "--role", "Stage builder")  # a 4.0 card
    cli("edit", "Hana Ito", "--birthday", "1990-02-28")  # Apple's year goes with its parameter
    summary = cli.json("sync", "vdir", str(book))
    assert summary["added_there"] == 3 and summary["updated_there"] == 3 and summary["conflicts"] == 0
    assert cli.json("sync", "vdir", str(book))["updated_here"] == 0  # each reads back as netcli wrote it
    run = khard(book, tmp_path)
    listed = subprocess.run([*run, "list"], **QUIET)
    assert listed.returncode == 0 and "Error" not in listed.stderr, listed.stderr
    for name in ("Lea Leap", "Mo Note", "Ünal Long", "Bob Builder", "Hana Ito", "Kay Khard", "Ada Lovelace"):
        assert name in listed.stdout  # khard leaves out cards without a UID (Android's, Outlook's, Apple's export)

    def shown(name: str) -> str:
        done = subprocess.run([*run, "show", "--format", "yaml", name], **QUIET)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "Birthday: '1604-02-29'" in shown("Lea Leap") and "Ferrous; Systems, Inc" in shown("Lea Leap")
    mo = shown("Mo Note")
    assert "Birthday: '1604-12-09'" in mo and 'Note: "Met at the meetup.\\nExcel\\nwrote this"' in mo
    assert "ü" * 120 + " \\ the end \\" in " ".join(shown("Ünal Long").split())  # YAML folds the line
    assert "Birthday: '1604-03-15'" not in shown("Bob Builder") and "--03-15" in shown("Bob Builder")
    assert "Stage builder" in shown("Bob Builder")
    assert "Birthday: '1990-02-28'" in shown("Hana Ito")
    assert b"X-APPLE-OMIT-YEAR" not in (book / "hana.vcf").read_bytes()
    carl = vobject.readOne((book / "carl.vcf").read_text())  # the library khard reads cards with
    assert carl.version.value == "2.1" and carl.bday.value == "1604-07-04"
    assert cli.json("show", "Carl Müller")["birthday"] == "--07-04"


@pytest.mark.one_engine
def test_a_card_past_the_limit_is_named_and_left_alone(cli, tmp_path: Path):
    big = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big\r\nFN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:"
    big += "".join("\r\n " + "A" * 74 for _ in range(MAX_CARD_BYTES // 70)) + "\r\nEND:VCARD\r\n"
    small = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ok\r\nFN:Small Card\r\nEND:VCARD\r\n"
    both = tmp_path / "both.vcf"
    both.write_text(big + small, newline="")
    refused = cli("import", "vcard", str(both), code=1)
    assert "both.vcf line 1: card is larger than 4 MB, netcli's limit for one card" in refused.stderr
    assert cli.json("import", "vcard", str(both), "--skip-bad")["added"] == 1
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "big.vcf").write_text(big, newline="")
    (folder / "small.vcf").write_text(small, newline="")
    before = (folder / "big.vcf").read_bytes()
    summary = cli.json("sync", "vdir", str(folder))
    assert summary["unparsable_list"] == [
        {"card": "big.vcf", "reason": "is larger than 4 MB, netcli's limit for one card"}
    ]
    assert (folder / "big.vcf").read_bytes() == before and [c["name"] for c in cli.json("list")] == ["Small Card"]


@pytest.mark.one_engine
def test_every_door_judges_a_birthday_the_same_way(cli, tmp_path: Path):
    """add/edit, import csv, vcard and json, sync, and db check: one judge, one message."""
    message = "cannot read the birthday '--13-45': no such month and day; use --MM-DD, e.g. --05-17"
    assert f"--birthday: {message}" in cli("add", "Ana Lima", "--birthday", "--13-45", code=2).stderr
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,birthday\nAna Lima,--13-45\nBo Chen,--02-29\n")
    assert f"people.csv line 2: {message}" in cli("import", "csv", str(sheet), code=1).stderr
    cards = tmp_path / "people.vcf"
    cards.write_text("BEGIN:VCARD\nVERSION:4.0\nFN:Ana Lima\nBDAY:--1345\nEND:VCARD\n")
    assert f"people.vcf line 1: {message}" in cli("import", "vcard", str(cards), code=1).stderr
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "ana.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nBDAY:--13-45\r\nEND:VCARD\r\n")
    assert f"left on the card: Ana Lima (ana.vcf): {message}" in cli("sync", "vdir", str(folder)).stderr
    assert cli.json("show", "Ana Lima")["birthday"] is None
    cli("import", "csv", str(sheet), "--skip-bad")
    assert cli.json("show", "Bo Chen")["birthday"] == "--02-29"
    backup = tmp_path / "backup.json"
    cli("export", "json", "--output", str(backup))
    edited = backup.read_text().replace('"--02-29"', '"--13-45"')
    backup.write_text(edited)
    restored = cli("--db", str(tmp_path / "restored.db"), "import", "json", str(backup), code=1)
    assert f"contact row 2: {message}" in restored.stderr
    assert cli.json("db", "check")["values"] == []
    import sqlite3

    with sqlite3.connect(os.environ["NETCLI_DB"]) as db:  # as an older netcli stored them
        db.execute("UPDATE contact SET birthday = 'sometime in spring' WHERE name = 'Bo Chen'")
    check = cli("db", "check", code=1)
    assert "values: 1 that a door would not let in" in check.stdout
    assert "contact #2 Bo Chen: cannot read the birthday 'sometime in spring'" in check.stdout
    assert "set each with 'netcli edit'" in check.stderr


@pytest.mark.one_engine
def test_exported_cards_are_read_by_the_worlds_reader_and_by_netcli_as_they_were(cli, tmp_path: Path):
    cli("demo")
    cli("add", "Mo Note", "--note", "Met.\r\nExcel, CSV; and \\ all", "--birthday", "--02-29", "--org", "A; B, C")
    out = tmp_path / "all.vcf"
    cli("export", "vcard", "--output", str(out))
    people = {c["name"]: c for c in cli.json("list")}
    seen = {card.fn.value: card for card in vobject.readComponents(out.read_text())}
    assert set(seen) == set(people)
    mo = seen["Mo Note"]
    assert mo.note.value == "Met.\nExcel, CSV; and \\ all" and mo.bday.value == "1604-02-29"
    assert mo.bday.params["X-APPLE-OMIT-YEAR"] == ["1604"] and mo.org.value == ["A; B, C"]
    back = {p.record["name"]: p.record for p in vcard.read_cards(out)}
    assert back["Mo Note"]["birthday"] == "--02-29" and back["Mo Note"]["note"] == "Met.\nExcel, CSV; and \\ all"
    assert all(
        back[name]["emails"] == cli.json("show", f"#{c['id']}")["emails"] for name, c in list(people.items())[:5]
    )


@pytest.mark.one_engine
def test_a_card_netcli_exported_comes_back_whole_through_import_and_through_sync(cli, tmp_path: Path):
    """netcli's own X-NETCLI-… fields (tier, how, where and when you met,
    cadence, topics) are read for a contact a card brings, by both doors
    alike; a value no door would take is a bad record to the import, and
    left on the card and named by sync."""
    cli("event", "add", "RustConf", "--on", "2026-09-10")
    cli("add", "Ana Lima", "--tier", "A", "--via", "event", "--met-at", "RustConf", "--every", "2w", "--topic", "rust")
    book = tmp_path / "book"
    book.mkdir()
    cli("export", "vcard", "--output", str(book / "ana.vcf"))
    keys = ("tier", "via", "met_at", "met_on", "cadence_days", "topics")
    typed = {key: cli.json("show", "ana")[key] for key in keys}
    for door in (("import", "vcard", str(book / "ana.vcf")), ("sync", "vdir", str(book))):
        db = str(tmp_path / f"{door[0]}.db")
        cli("--db", db, "event", "add", "RustConf", "--on", "2026-09-10")
        cli("--db", db, *door)
        assert {key: cli.json("--db", db, "show", "ana")[key] for key in keys} == typed, door
        assert [p["name"] for p in cli.json("--db", db, "event", "show", "rustconf")["people"]] == ["Ana Lima"]
    (book / "zed.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zed Bad\r\nX-NETCLI-TIER:Z\r\nEND:VCARD\r\n", newline=""
    )
    said = "tier 'Z' is not one of A, B, C, D"
    assert said in cli("--db", str(tmp_path / "i2.db"), "import", "vcard", str(book / "zed.vcf"), code=1).stderr
    synced = cli("--db", str(tmp_path / "sync.db"), "sync", "vdir", str(book)).stderr
    assert f"left on the card: Zed Bad (zed.vcf): {said}" in synced
