"""The card editor (`formats.card`) and the three-way merge (`sync.merge`),
without a database: properties that say more than examples."""

from __future__ import annotations

import json
from typing import Any

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from netcli.formats.card import FIELDS, Card, NotACard, new_card
from netcli.sync.merge import merge

KEPT = [
    "PRODID:-//Apple Inc.//iPhone OS 18.1//EN",
    "UID:1b6d2c1e-0000-4000-8000-00000000abcd",
    "ADR;TYPE=HOME:;;1 Infinite Loop;Cupertino;CA;95014;USA",
    "item1.X-ABLabel:_$!<HomePage>!$_",
    "X-SOCIALPROFILE;type=twitter;x-user=ada:https://twitter.com/ada",
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsN",
    " DhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQU",
    "TEL;TYPE=HOME:+1 555 0002",
]
BASE = [
    "FN:Ada Lovelace",
    "N:Lovelace;Ada;;;",
    "EMAIL;TYPE=INTERNET:ada@example.org",
    "TEL;TYPE=CELL;TYPE=pref:+1 555 0001",
    "ORG:Engines",
    "TITLE:Analyst",
    "item1.URL:https://ada.example.org",
    "NOTE:first line\\nsecond\\, with a comma",
    "BDAY:1815-12-10",
    "CATEGORIES:math,poetry",
]

text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).map(str.strip).filter(bool)
values = {
    "name": text.map(lambda t: " ".join(t.split())).filter(bool),
    "emails": st.lists(st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.example", fullmatch=True), max_size=3, unique=True),
    "phone": st.none() | st.from_regex(r"\+?[0-9][0-9 -]{0,14}[0-9]", fullmatch=True),
    "org": st.none() | text.filter(lambda t: "," not in t),
    "role": st.none() | text.map(lambda t: " ".join(t.split())).filter(bool),
    "url": st.none() | st.from_regex(r"https://[a-z]{1,10}\.example/[a-z]{0,5}", fullmatch=True),
    "note": st.none()
    | st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), min_size=1).map(str.strip).filter(bool),
    "birthday": st.none() | st.dates().map(lambda d: d.isoformat()) | st.just("--03-15"),
    "tags": st.lists(st.from_regex(r"[a-z][a-z ]{0,10}[a-z]", fullmatch=True), max_size=3, unique=True).map(sorted),
}


def card_bytes(version: str, newline: str = "\r\n") -> bytes:
    lines = ["BEGIN:VCARD", f"VERSION:{version}", *BASE, *KEPT, "END:VCARD", ""]
    return newline.join(lines).encode()


@settings(max_examples=150, deadline=None)
@given(version=st.sampled_from(["2.1", "3.0", "4.0"]), newline=st.sampled_from(["\r\n", "\n"]), data=st.data())
def test_a_rewritten_card_reads_back_the_new_values_and_keeps_every_other_line(version, newline, data):
    card = Card.parse(card_bytes(version, newline))
    keys = data.draw(st.lists(st.sampled_from(FIELDS), unique=True, min_size=1))
    changes = {key: data.draw(values[key]) for key in keys}
    written = card.edited(changes)
    again = Card.parse(written.encode())
    fields, before = again.fields().record(), card.fields().record()
    for key in FIELDS:
        want = changes.get(key, before[key]) if key in changes else before[key]
        if key == "phone" and want is None:
            want = "+1 555 0002"  # the card's next TEL, which netcli then takes (a phone cleared leaves the others)
        if key == "tags" and want is not None:
            assert sorted(fields[key]) == sorted(want), key
        elif key == "note" and want is not None:
            assert fields[key] == want.strip(), key
        else:
            assert fields[key] == (want or ([] if key in ("emails", "tags") else None)), key
    lines = written.split(newline)
    kept = [line for line in KEPT if not ("url" in changes and changes["url"] is None and line.startswith("item1."))]
    for line in kept:  # byte for byte, in their order (the url's label goes with it)
        assert line in lines
    assert [line for line in lines if line in KEPT] == kept
    assert again.version == version and again.uid == card.uid
    assert vobject.readOne(written) is not None  # and the world's vCard reader still reads it


def test_an_unchanged_card_is_written_back_byte_for_byte():
    for version in ("2.1", "3.0", "4.0"):
        data = card_bytes(version)
        assert Card.parse(data).edited({}).encode() == data


def test_a_new_card_is_a_3_0_card_vobject_reads():
    text = new_card(
        {
            "name": "Grace Hopper",
            "emails": ["g@navy.example"],
            "phone": "+1 555",
            "org": "Navy; R&D",
            "tags": ["cobol"],
            "note": "a\nb",
            "birthday": "1906-12-09",
            "role": None,
            "url": None,
        },
        uid="u-1",
        prodid="-//netcli//test//EN",
    )
    card = vobject.readOne(text)
    assert card.version.value == "3.0" and card.uid.value == "u-1" and card.n.value.family == "Hopper"
    assert card.org.value == ["Navy; R&D"] and card.note.value == "a\nb" and text.endswith("END:VCARD\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "does not start with BEGIN:VCARD"),
        (b"BEGIN:VCARD\r\nFN:x\r\n", "does not end with END:VCARD"),
        (b"BEGIN:VCARD\r\nFN:a\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:b\r\nEND:VCARD\r\n", "more than one card"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ren\xe9\r\nEND:VCARD\r\n", "not UTF-8"),
        (b"BEGIN:VCARD\r\nVERSION:5.0\r\nFN:x\r\nEND:VCARD\r\n", "VERSION:5.0"),
    ],
)
def test_what_is_not_one_card_says_why(data, reason):
    with pytest.raises(NotACard, match=reason):
        Card.parse(data)


def fields(**given: Any) -> dict[str, Any]:
    empty: dict[str, Any] = {key: None for key in FIELDS} | {"emails": [], "tags": [], "name": "Ada"}
    return empty | given


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_changes_on_different_fields_cross_and_the_same_change_is_no_conflict(data):
    base = fields(**{key: data.draw(values[key]) for key in FIELDS})
    keys = data.draw(st.lists(st.sampled_from(FIELDS), unique=True))
    mine = data.draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    card = dict(base) | {key: data.draw(values[key]) for key in keys if key not in mine}
    here = dict(base) | {key: data.draw(values[key]) for key in mine}
    outcome = merge(card, here, base, None)
    assert outcome.conflicts == []
    assert {k: set(v) if k == "emails" else v for k, v in (here | outcome.here).items()} == {
        k: set(v) if k == "emails" else v for k, v in (card | outcome.there).items()
    }
    assert set(outcome.agreed) == set(FIELDS)
    assert merge(here | outcome.here, here | outcome.here, outcome.agreed, None).here == {}


def test_a_field_changed_both_ways_is_a_conflict_that_stays_one_until_preferred():
    base = fields(phone="1")
    outcome = merge(fields(phone="3"), fields(phone="2"), base, None)
    assert outcome.conflicts == [("phone", "2", "3")] and outcome.here == outcome.there == {}
    assert "phone" not in outcome.agreed
    assert merge(fields(phone="3"), fields(phone="2"), outcome.agreed, None).conflicts  # still one
    assert merge(fields(phone="3"), fields(phone="2"), outcome.agreed, "vdir").here == {"phone": "3"}
    assert merge(fields(phone="3"), fields(phone="2"), outcome.agreed, "netcli").there == {"phone": "2"}
    assert merge(fields(phone="3"), fields(phone="3"), outcome.agreed, None).agreed["phone"] == "3"  # made to agree


def test_the_first_meeting_fills_blanks_and_joins_emails_and_tags():
    card = fields(phone="1", emails=["a@x.example", "b@x.example"], tags=["math"], org="There")
    here = fields(url="https://u.example", emails=["b@x.example"], tags=["poetry"], org="Here")
    outcome = merge(card, here, None, None)
    assert outcome.here == {"phone": "1", "emails": ["b@x.example", "a@x.example"], "tags": ["math", "poetry"]}
    assert outcome.there == {"url": "https://u.example", "tags": ["math", "poetry"]}
    assert outcome.conflicts == [("org", "Here", "There")]


def test_emails_reordered_on_one_side_change_nothing():
    base = fields(emails=["a@x.example", "b@x.example"])
    outcome = merge(fields(emails=["b@x.example", "a@x.example"]), base, base, None)
    assert outcome.here == outcome.there == {} and outcome.conflicts == []
    added = merge(fields(emails=["c@x.example", "b@x.example", "a@x.example"]), base, base, None)
    assert added.here == {"emails": ["a@x.example", "b@x.example", "c@x.example"]}  # the contact's first stays first


def test_the_kept_answer_is_only_for_a_plain_sync_of_an_unchanged_folder(tmp_path, monkeypatch, capsys):
    from netcli.sync import kept

    db, config, book = tmp_path / "n.db", tmp_path / "c.toml", tmp_path / "book"
    book.mkdir()
    (book / "a.vcf").write_text("BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n")
    db.write_bytes(b"SQLite format 3\x00" + bytes(84))
    monkeypatch.setenv("NETCLI_DB", str(db))
    monkeypatch.setenv("NETCLI_CONFIG", str(config))
    document = {"cards": 1, "added_here": 0}
    kept.remember(db, config, book, document=document, messages=["added 0 here"])
    assert kept.fast(["sync", "vdir", str(book), "--json"])
    out = capsys.readouterr()
    assert json.loads(out.out) == document and out.err == "added 0 here\n"
    assert kept.fast(["--db", str(db), "sync", "vdir", str(book)])
    assert kept.fast([f"--db={db}", "sync", "vdir", str(book)])
    for other in (["sync", "vdir", str(book), "--dry-run"], ["nudge"], ["sync", "vdir", "a", "b"], ["sync", "vdir"]):
        assert not kept.fast(other)
    assert not kept.fast(["--db", "postgresql://h/db", "sync", "vdir", str(book)])
    config.write_text(f'[sync]\nvdir = "{book}"\n')  # the settings changed: the key with them
    assert not kept.fast(["sync", "vdir"])
    kept.remember(db, config, book, document=document, messages=[])
    assert kept.fast(["sync", "vdir"])  # the folder from the config
    (book / "b.vcf").write_text("BEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n")
    assert not kept.fast(["sync", "vdir"])  # the folder changed
    db.write_bytes(b"not a database")
    kept.remember(db, config, book, document=document, messages=[])
    assert not (tmp_path / "n.db.sync.json").read_text().count("not a database")
    assert not kept.fast(["sync", "vdir"])


def test_cards_as_phones_and_old_programs_write_them():
    android = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=\r\n=BCrgen;;Dr.;\r\n"
        b"NOTE;CHARSET=X-UNKNOWN;ENCODING=QUOTED-PRINTABLE:caf=E9\r\nEND:VCARD\r\n"
    )
    card = Card.parse(android)
    assert card.fields().record()["name"] == "Dr. Jürgen Müller" and card.fields().record()["note"] == "café"
    ios = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kim\r\nTEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\r\n"
        "EMAIL;TYPE=home:kim@home.example\r\nEMAIL;TYPE=work,pref:kim@work.example\r\nEMAIL;PREF=1:kim@x.example\r\n"
        "END:VCARD\r\n"
    )
    card = Card.parse(ios.encode())
    assert card.fields().record()["emails"][0] in ("kim@work.example", "kim@x.example")
    moved = card.edited({"phone": "+1-555-0199", "emails": ["kim@home.example", "kim@work.example", "kim@x.example"]})
    back = Card.parse(moved.encode())
    assert "TEL;VALUE=uri;TYPE=cell:tel:+1-555-0199" in moved
    assert back.fields().record()["emails"] == ["kim@home.example", "kim@work.example", "kim@x.example"]  # PREF went
    assert "EMAIL;TYPE=work:kim@work.example" in moved and "EMAIL:kim@x.example" in moved
    long = card.edited({"note": "ü" * 100})
    assert (
        all(len(line.encode()) <= 75 for line in long.split("\r\n"))
        and Card.parse(long.encode()).fields().record()["note"] == "ü" * 100
    )
    # a line no program can read (a blank line, no NAME:VALUE) is read as nothing and kept as written
    odd = Card.parse(b"BEGIN:VCARD\r\nFN:a\r\n\r\nno colon\r\n;odd:line\r\nEMAIL:a@b.example\r\nEND:VCARD\r\n")
    assert odd.fields().emails == ["a@b.example"] and odd.fields().name == "a"
    assert (
        odd.edited({"name": "b"})
        == "BEGIN:VCARD\r\nFN:b\r\n\r\nno colon\r\n;odd:line\r\nEMAIL:a@b.example\r\nN:b;;;;\r\nEND:VCARD\r\n"
    )
    with pytest.raises(KeyError):
        card.edited({"nickname": "Ada"})
