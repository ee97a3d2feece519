"""`netcli sync vdir` on a vdir written by hand in the styles of several
programs (tests/fixtures/vdir: khard/Nextcloud 3.0 with a photo, groups and
X- fields; iOS/Nextcloud 4.0 with tel URIs; an Android 2.1 export in
quoted-printable; an Apple export with LF endings and no UID; a broken
card; a hidden card and a file that is not a card), synced, edited on each
side and on both, a card deleted, a contact deleted, synced after each step,
and khard reading the folder."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import vobject

from netcli.sync import folder as folder_module
from netcli.sync import vdir as vdir_module

FIXTURES = Path(__file__).parent / "fixtures" / "vdir"
# khard asks which contact is meant on its stdin, and loops when that is not a terminal
QUIET: dict[str, Any] = {"capture_output": True, "text": True, "stdin": subprocess.DEVNULL, "timeout": 60}
KEYS = {
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
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "contacts"
    shutil.copytree(FIXTURES, target)
    return target


def sync(cli: Any, folder: Path, *options: str, code: int = 0) -> dict[str, Any]:
    return cli.json("sync", "vdir", str(folder), *options, code=code)


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\r\n" if b"\r\n" in path.read_bytes() else b"\n")


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def contact(cli: Any, name: str) -> dict[str, Any]:
    return cli.json("show", name)


def changed(before: list[bytes], after: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """The lines only `before` has, and those only `after` has."""
    return [line for line in before if line not in after], [line for line in after if line not in before]


def test_first_sync_pairs_adds_both_ways_and_lists_the_broken_card(cli, folder: Path):
    cli("add", "Ada Lovelace", "--email", "ada@example.org", "--tier", "A")  # pairs by email
    cli("add", "Bob Builder")  # pairs by the same name
    cli("add", "Eve Newcomer", "--email", "eve@example.org", "--phone", "+1 555 0199", "--tag", "rust")
    before = snapshot(folder)
    summary = sync(cli, folder)
    assert set(summary) >= KEYS
    assert summary["added_here"] == 2  # Carl and Dana
    assert summary["added_there"] == 1  # Eve
    assert summary["unparsable"] == 1 and summary["unparsable_list"][0]["card"] == "broken.vcf"
    assert summary["cards"] == 6 and summary["contacts"] == 5
    assert summary["conflicts"] == 0
    names = {c["name"] for c in cli.json("list")}
    assert names == {"Ada Lovelace", "Bob Builder", "Eve Newcomer", "Carl Müller", "Dana Okafor"}
    ada = contact(cli, "Ada Lovelace")
    assert ada["tier"] == "A" and ada["phone"] == "+44 20 7946 0001" and ada["org"] == "Analytical Engines, Research"
    assert ada["tags"] == ["history", "math"] and ada["url"] == "https://ada.example.org"
    assert ada["note"].startswith("Met at the Difference Engine workshop, talked")
    bob = contact(cli, "Bob Builder")
    assert bob["emails"] == ["bob@build.example", "bob.home@example.net"] and bob["birthday"] == "1985-03-15"
    assert bob["phone"] == "+1-555-0100"
    carl = contact(cli, "Carl Müller")
    assert carl["phone"] == "+49 30 1234567" and carl["email"] == "carl@example.de"
    # Eve's card: vCard 3.0 named by its UID, which vobject and khard read
    new = [p for p in folder.iterdir() if p.name not in before]
    assert len(new) == 1 and new[0].suffix == ".vcf"
    card = vobject.readOne(new[0].read_text())
    assert card.version.value == "3.0" and new[0].name == f"{card.uid.value}.vcf"
    assert card.fn.value == "Eve Newcomer" and card.email.value == "eve@example.org"
    assert card.tel.value == "+1 555 0199" and card.categories.value == ["rust"]
    # the cards that were there are as they were, but for Bob's, which took nothing: all of them
    assert {name: digest for name, (digest, _) in snapshot(folder).items() if name in before} == {
        name: digest for name, (digest, _) in before.items()
    }
    assert (folder / "broken.vcf").read_bytes() == (FIXTURES / "broken.vcf").read_bytes()


def test_nothing_changed_reads_and_writes_nothing(cli, folder: Path):
    sync(cli, folder)
    cli("add", "Eve Newcomer")
    sync(cli, folder)
    before = snapshot(folder)
    again = sync(cli, folder)
    assert {key: again[key] for key in KEYS - {"cards", "contacts", "unparsable"}} == dict.fromkeys(
        KEYS - {"cards", "contacts", "unparsable"}, 0
    )
    assert snapshot(folder) == before


def test_an_edit_here_rewrites_only_its_lines(cli, folder: Path):
    sync(cli, folder)
    before = lines(folder / "ada.vcf")
    cli("edit", "Ada Lovelace", "--phone", "+44 20 7946 0999", "--role", "Analyst", "--add-tag", "poetry")
    summary = sync(cli, folder)
    assert summary["updated_there"] == 1 and summary["updated_here"] == 0
    gone, came = changed(before, lines(folder / "ada.vcf"))
    assert gone == [b"TEL;TYPE=CELL:+44 20 7946 0001", b"TITLE:Mathematician", b"CATEGORIES:math,history"]
    assert came == [b"TEL;TYPE=CELL:+44 20 7946 0999", b"TITLE:Analyst", b"CATEGORIES:history,math,poetry"]
    # every other line, the folded photo and note included, is byte for byte where it was
    after = lines(folder / "ada.vcf")
    assert [line for line in after if line not in came] == [line for line in before if line not in gone]
    card = vobject.readOne((folder / "ada.vcf").read_text())
    assert card.uid.value == "7d0c5a1e-ada0-4c1b-9f35-4b1f2c3d4e5f" and card.version.value == "3.0"
    assert sync(cli, folder)["updated_there"] == 0


def test_an_edit_there_reaches_the_contact(cli, folder: Path):
    sync(cli, folder)
    card = folder / "bob.vcf"
    text = card.read_bytes().decode()
    text = text.replace("EMAIL;TYPE=home:bob.home@example.net", "EMAIL;TYPE=home:bob@home.example.net")
    text = text.replace("END:VCARD", "NOTE:Builds the\\nmeetup stages\r\nCATEGORIES:maker,Events\r\nEND:VCARD")
    card.write_bytes(text.encode())
    summary = sync(cli, folder)
    assert summary["updated_here"] == 1 and summary["updated_there"] == 0
    bob = contact(cli, "Bob Builder")
    assert bob["emails"] == ["bob@build.example", "bob@home.example.net"]
    assert bob["note"] == "Builds the\nmeetup stages" and bob["tags"] == ["events", "maker"]
    assert card.read_bytes().decode() == text  # netcli's lowercase tags do not travel back
    assert sync(cli, folder)["updated_here"] == 0


def test_a_field_changed_on_both_sides_is_a_conflict_until_a_side_is_preferred(cli, folder: Path):
    sync(cli, folder)
    cli("edit", "Carl Müller", "--phone", "+49 30 0000001", "--org", "Bauhaus")
    card = folder / "carl.vcf"
    card.write_bytes(card.read_bytes().replace(b"TEL;CELL;PREF:+49 30 1234567", b"TEL;CELL;PREF:+49 30 0000002"))
    first = sync(cli, folder)
    assert first["conflicts"] == 1 and first["updated_there"] == 1  # the org is not in conflict: it goes over
    assert first["conflict_list"][0] | {"why": None} == {
        "card": "carl.vcf",
        "contact": "Carl Müller",
        "field": "phone",
        "here": "+49 30 0000001",
        "there": "+49 30 0000002",
        "why": None,
    }
    assert b"TEL;CELL;PREF:+49 30 0000002" in card.read_bytes() and b"ORG:Bauhaus" in card.read_bytes()
    assert contact(cli, "Carl Müller")["phone"] == "+49 30 0000001"
    assert sync(cli, folder)["conflicts"] == 1  # still one: nothing was decided
    won = sync(cli, folder, "--prefer", "vdir")
    assert won["conflicts"] == 0 and won["updated_here"] == 1
    assert contact(cli, "Carl Müller")["phone"] == "+49 30 0000002"
    # the card stays a 2.1 card that vobject reads; its other lines as they were
    assert (
        b"VERSION:2.1" in card.read_bytes()
        and b"X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname" in card.read_bytes()
    )
    cli("edit", "Carl Müller", "--note", "Zürich, then Berlin\nloves type")
    sync(cli, folder)
    read = vobject.readOne(card.read_text())
    assert read.version.value == "2.1" and read.note.value.replace("\r\n", "\n") == "Zürich, then Berlin\nloves type"
    assert contact(cli, "Carl Müller")["note"] == "Zürich, then Berlin\nloves type"


def test_prefer_netcli_wins_a_conflict(cli, folder: Path):
    sync(cli, folder)
    cli("edit", "Dana Okafor", "--name", "Dana Okafor-Smith")
    card = folder / "dana.vcf"
    card.write_bytes(card.read_bytes().replace(b"FN:Dana Okafor", b"FN:Dana O."))
    assert sync(cli, folder, "--prefer", "netcli")["updated_there"] == 1
    text = card.read_bytes()
    assert b"FN:Dana Okafor-Smith\n" in text and b"N:Okafor-Smith;Dana;;;\n" in text and b"\r\n" not in text


def test_a_deleted_card_archives_its_contact_and_a_deleted_contact_waits_for_delete(cli, folder: Path):
    cli("add", "Eve Newcomer")
    sync(cli, folder)
    (folder / "bob.vcf").unlink()
    summary = sync(cli, folder)
    assert summary["archived"] == 1
    assert cli.json("show", "Bob Builder")["archived"] is True
    assert sync(cli, folder)["added_there"] == 0  # an archived contact gets no card back
    cli("rm", "Dana Okafor", "--yes")
    kept = sync(cli, folder)
    assert kept["deleted_there"] == 0 and (folder / "dana.vcf").exists()
    assert kept["added_here"] == 0  # the card is not brought back as a contact
    gone = sync(cli, folder, "--delete")
    assert gone["deleted_there"] == 1 and not (folder / "dana.vcf").exists()
    assert sync(cli, folder, "--delete")["deleted_there"] == 0


def test_dry_run_writes_nothing_on_either_side(cli, folder: Path):
    cli("add", "Eve Newcomer")
    before, people = snapshot(folder), cli.json("list") + cli.json("list", "--archived")
    result = cli("sync", "vdir", str(folder), "--dry-run")
    assert "would be added here: Carl Müller (carl.vcf)" in result.stdout
    assert "would be added there: Eve Newcomer" in result.stdout
    assert snapshot(folder) == before and cli.json("list") + cli.json("list", "--archived") == people
    assert sync(cli, folder)["added_here"] == 4  # the dry run remembered nothing


def test_the_folder_from_config_and_clear_errors(cli, folder: Path, tmp_path: Path):
    missing = cli("sync", "vdir", str(tmp_path / "nope"), code=1)
    assert missing.stderr.count("\n") == 1 and "does not exist; give a folder of .vcf cards" in missing.stderr
    file_given = cli("sync", "vdir", str(folder / "ada.vcf"), code=1)
    assert "is a file, not a folder" in file_given.stderr
    assert "netcli config set sync.vdir" in cli("sync", "vdir", code=2).stderr
    assert "PATH: the value is empty" in cli("sync", "vdir", "", code=2).stderr
    assert "--prefer" in cli("sync", "vdir", str(folder), "--prefer", "both", code=2).stderr
    cli("config", "set", "sync.vdir", str(folder))
    assert cli.json("sync", "vdir")["added_here"] == 4
    nested = tmp_path / "books"
    shutil.copytree(folder, nested / "default")
    hint = cli("sync", "vdir", str(nested), code=1)
    assert f"give one address book, e.g. {nested / 'default'}" in hint.stderr


def test_a_folder_netcli_cannot_write(cli, folder: Path, monkeypatch: pytest.MonkeyPatch):
    cli("add", "Eve Newcomer")
    with monkeypatch.context() as patched:
        patched.setattr(folder_module, "writable", lambda folder: False)  # root may write anywhere
        result = cli("sync", "vdir", str(folder), code=1)
    assert "cannot write in" in result.stderr and "permission denied" in result.stderr
    assert cli.json("list") and len(cli.json("list")) == 1  # the cards' contacts were not added either


def test_a_sync_stopped_before_its_commit_is_finished_by_the_next(cli, folder: Path, monkeypatch):
    cli("add", "Eve Newcomer", "--email", "eve@example.org")
    cli("add", "Fay Other")

    def stop(*args: Any, **kwargs: Any) -> None:
        raise SystemExit(130)  # as Ctrl-C ends netcli: the cards are written, the rows never are

    with monkeypatch.context() as patched:
        patched.setattr(vdir_module, "save_cards", stop)
        cli("sync", "vdir", str(folder), code=130)
    written = {p.name for p in folder.iterdir()} - {p.name for p in FIXTURES.iterdir()}
    assert len(written) == 2
    summary = sync(cli, folder)
    assert summary["added_there"] == 0 and summary["added_here"] == 4
    assert {p.name for p in folder.iterdir()} - {p.name for p in FIXTURES.iterdir()} == written
    assert len(cli.json("list")) == 6


def test_sigkill_at_any_point_leaves_no_duplicates(tmp_path: Path, folder: Path):
    """A real process killed at several moments of a big first sync."""
    env = dict(os.environ, NETCLI_DB=str(tmp_path / "kill.db"))
    for n in range(400):
        (folder / f"p{n}.vcf").write_text(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p{n}\r\nFN:Person {n}\r\nEMAIL:p{n}@example.org\r\nEND:VCARD\r\n"
        )
    run = [sys.executable, "-m", "netcli"]
    subprocess.run([*run, "import", "csv", str(_people_csv(tmp_path, 300))], env=env, check=True, capture_output=True)
    for delay in (0.05, 0.3, 0.6, 0.9):
        process = subprocess.Popen([*run, "sync", "vdir", str(folder)], env=env, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
    done = subprocess.run([*run, "sync", "vdir", str(folder), "--json"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"conflicts": 0' in done.stdout
    listed = subprocess.run([*run, "list", "--json"], env=env, capture_output=True, text=True, check=True).stdout
    import json

    people = json.loads(listed)
    assert len(people) == len({p["name"] for p in people}) == 300 + 404
    cards = [p for p in folder.iterdir() if p.suffix == ".vcf" and not p.name.startswith(".")]
    assert len(cards) == 300 + 405  # and the broken card
    for card in cards:
        if card.name != "broken.vcf":
            vobject.readOne(card.read_text())
    again = subprocess.run(
        [*run, "sync", "vdir", str(folder), "--json"], env=env, capture_output=True, text=True, check=True
    )
    assert '"added_here": 0' in again.stdout and '"added_there": 0' in again.stdout


def _people_csv(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("name,email\n" + "".join(f"Csv {i},c{i}@example.org\n" for i in range(n)))
    return path


def test_khard_reads_what_netcli_writes_and_netcli_reads_what_khard_writes(cli, folder: Path, tmp_path: Path):
    khard = shutil.which("khard") or str(Path(sys.executable).with_name("khard"))
    config = tmp_path / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[netcli]]\npath = {folder}\n[general]\neditor = /bin/true\nmerge_editor = /bin/true\n"
        "[vcard]\npreferred_version = 3.0\n"
    )
    (folder / "broken.vcf").unlink()  # khard refuses a folder with a card it cannot read
    cli("add", "Eve Newcomer", "--email", "eve@example.org", "--phone", "+1 555 0199", "--org", "Rustaceans")
    sync(cli, folder)
    cli("edit", "Ada Lovelace", "--email", "ada@engines.example")
    sync(cli, folder)
    run = [khard, "-c", str(config)]
    listed = subprocess.run([*run, "list"], **QUIET, check=True).stdout
    for name in ("Ada Lovelace", "Eve Newcomer", "Bob Builder"):  # khard leaves out cards without a UID
        assert name in listed
    shown = subprocess.run([*run, "show", "Eve Newcomer"], **QUIET, check=True).stdout
    assert "eve@example.org" in shown and "+1 555 0199" in shown and "Rustaceans" in shown
    assert "ada@engines.example" in subprocess.run([*run, "email", "Ada"], **QUIET).stdout
    # khard edits a card from a YAML template, writing it its own way (vobject's serialisation)
    yaml = tmp_path / "eve.yaml"
    yaml.write_text(
        "First name : Eve\nLast name : Newcomer\nOrganisation : Ferrous Systems\n"
        "Phone :\n    cell : +1 555 0123\nEmail :\n    work : eve@example.org\nNote : from khard\n"
    )
    answer = {key: value for key, value in QUIET.items() if key != "stdin"}
    edited = subprocess.run([*run, "edit", "-i", str(yaml), "Eve Newcomer"], input="yes\n", **answer)
    assert edited.returncode == 0, edited.stderr
    summary = sync(cli, folder)
    assert summary["updated_here"] == 1
    eve = contact(cli, "Eve Newcomer")
    assert eve["org"] == "Ferrous Systems" and eve["phone"] == "+1 555 0123" and eve["note"] == "from khard"


def card_text(uid: str, name: str, *lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", *lines, "END:VCARD", ""])


def test_one_folder_reached_by_two_paths_is_one_folder(cli, folder: Path, tmp_path: Path):
    link = tmp_path / "link"
    link.symlink_to(folder)
    cli("add", "Eve Newcomer")
    first = sync(cli, folder)
    assert first["added_here"] == 4 and first["added_there"] == 1
    again = sync(cli, link)
    assert again["added_here"] == again["added_there"] == 0 and again["folder"] == str(folder)
    assert len(cli.json("list")) == 5


def test_the_surest_match_pairs_first_and_a_held_address_is_listed(cli, tmp_path: Path):
    """A card with Ana's address but another name comes first by file name;
    the card with her address and her name is hers."""
    book = tmp_path / "book"
    book.mkdir()
    (book / "aa-dup.vcf").write_text(card_text("aa-dup", "Ana L.", "EMAIL:ana@x.example", "TEL:+1 999"), newline="")
    (book / "zz-ana.vcf").write_text(card_text("zz-ana", "Ana Lima", "EMAIL:ana@x.example"), newline="")
    cli("add", "Ana Lima", "--email", "ana@x.example", "--org", "Ferrous")
    summary = sync(cli, book)
    assert summary["added_here"] == 1 and summary["updated_there"] == 1
    assert b"ORG:Ferrous" in (book / "zz-ana.vcf").read_bytes()
    assert b"ORG" not in (book / "aa-dup.vcf").read_bytes()
    assert contact(cli, "Ana Lima")["phone"] is None
    held = [c for c in summary["conflict_list"] if c["card"] == "aa-dup.vcf"]
    assert held and held[0]["field"] == "emails" and "is held by #1 Ana Lima" in held[0]["why"]
    assert contact(cli, "Ana L.")["emails"] == []
    assert sync(cli, book)["added_here"] == 0  # and it stays listed, not added again
    assert len(cli.json("list")) == 2


def test_a_renamed_card_stays_paired(cli, folder: Path):
    sync(cli, folder)
    (folder / "ada.vcf").rename(folder / "ada-renamed.vcf")
    summary = sync(cli, folder)
    assert summary["archived"] == 0 and summary["added_here"] == 0 and summary["added_there"] == 0
    cli("edit", "Ada Lovelace", "--role", "Countess")
    assert sync(cli, folder)["updated_there"] == 1
    assert b"TITLE:Countess" in (folder / "ada-renamed.vcf").read_bytes()
    assert len(cli.json("list")) == 4


def test_a_corrected_address_keeps_its_label_and_group(cli, tmp_path: Path):
    book = tmp_path / "book"
    book.mkdir()
    apple = card_text(
        "chidi",
        "Chidi Anagonye",
        "item1.EMAIL;type=INTERNET;type=pref:chidi@old.example",
        "item1.X-ABLabel:_$!<Other>!$_",
    )
    (book / "chidi.vcf").write_text(apple, newline="")
    (book / "bo.vcf").write_text(card_text("bo", "Bo Chen", "EMAIL;TYPE=work:bo@chen.example"), newline="")
    sync(cli, book)
    cli("edit", "Chidi Anagonye", "--email", "chidi@new.example")
    cli("edit", "Bo Chen", "--email", "bo@newjob.example")
    sync(cli, book)
    assert (
        b"item1.EMAIL;type=INTERNET;type=pref:chidi@new.example\r\nitem1.X-ABLabel" in (book / "chidi.vcf").read_bytes()
    )
    assert b"\r\nEMAIL;TYPE=work:bo@newjob.example\r\n" in (book / "bo.vcf").read_bytes()
    cli("edit", "Chidi Anagonye", "--email", "")
    sync(cli, book)
    assert b"item1" not in (book / "chidi.vcf").read_bytes()  # the label went with its address


def test_a_card_program_reordering_addresses_leaves_the_first_email_alone(cli, folder: Path):
    sync(cli, folder)
    card = folder / "bob.vcf"
    text = card.read_bytes().decode()
    work, home = "EMAIL;TYPE=work;PREF=1:bob@build.example\r\n", "EMAIL;TYPE=home:bob.home@example.net\r\n"
    card.write_bytes(text.replace(work + home, home + work.replace(";PREF=1", "")).encode())
    summary = sync(cli, folder)
    assert summary["updated_here"] == 0 and summary["updated_there"] == 0
    assert contact(cli, "Bob Builder")["email"] == "bob@build.example"


def test_delete_leaves_a_card_edited_there_since_the_contact_was_deleted(cli, folder: Path):
    sync(cli, folder)
    cli("rm", "Dana Okafor", "--yes")
    card = folder / "dana.vcf"
    card.write_bytes(card.read_bytes().replace(b"END:VCARD", b"NOTE:a new note from the phone\nEND:VCARD"))
    summary = sync(cli, folder, "--delete")
    assert summary["deleted_there"] == 0 and summary["conflicts"] == 1 and card.exists()
    assert summary["conflict_list"][0]["why"] == "deleted here, edited there since"
    assert sync(cli, folder, "--delete", "--prefer", "netcli")["deleted_there"] == 1 and not card.exists()


def test_the_json_lists_each_change(cli, folder: Path):
    summary = sync(cli, folder, "--dry-run")
    assert {"what": "added here", "who": "Carl Müller (carl.vcf)"} in summary["changes"]
    assert summary["dry_run"] is True


def test_a_sync_with_nothing_to_do_answers_without_the_database_stack(tmp_path: Path, folder: Path):
    env = dict(os.environ, NETCLI_DB=str(tmp_path / "fast.db"))
    env.pop("PYTHONPROFILEIMPORTTIME", None)

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *extra, "-m", "netcli", "--db", str(tmp_path / "fast.db"), "sync", "vdir"]
        command += [str(folder), "--json"]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done

    assert '"added_here": 4' in run().stdout
    full = run()  # nothing to do: kept
    assert (tmp_path / "fast.db.sync.json").stat().st_mode & 0o777 == 0o600
    fast = run("-X", "importtime")
    assert "sqlalchemy" not in fast.stderr and fast.stdout == full.stdout
    assert "broken.vcf: does not end with END:VCARD" in fast.stderr
    card = folder / "bob.vcf"
    card.write_bytes(card.read_bytes().replace(b"KIND:individual", b"KIND:individual\r\nTITLE:Builder"))
    changed = run("-X", "importtime")
    assert "sqlalchemy" in changed.stderr and '"updated_here": 1' in changed.stdout
    subprocess.run(
        [sys.executable, "-m", "netcli", "edit", "Bob", "--org", "Stages"], env=env, check=True, capture_output=True
    )
    assert '"updated_there": 1' in run().stdout  # the database changed: the full sync runs


def test_a_value_netcli_cannot_hold_stays_on_the_card(cli, tmp_path: Path):
    book = tmp_path / "book"
    book.mkdir()
    huge = "NOTE:" + "x" * 20_000
    (book / "ivy.vcf").write_text(card_text("ivy", "Ivy Long", huge, "BDAY:1990-02-30", "TEL:+1 555 0142"), newline="")
    result = cli("sync", "vdir", str(book))
    assert "left on the card: Ivy Long (ivy.vcf): note can be at most 10,000 characters" in result.stderr
    assert (
        "left on the card: Ivy Long (ivy.vcf): cannot read the birthday '1990-02-30'; use a date (1990-05-17) or --MM-DD"
        in result.stderr
    )
    ivy = contact(cli, "Ivy Long")
    assert ivy["phone"] == "+1 555 0142" and ivy["note"] is None and ivy["birthday"] is None
    cli("edit", "Ivy Long", "--phone", "+1 555 0143")
    assert sync(cli, book)["updated_there"] == 1
    text = (book / "ivy.vcf").read_bytes()
    assert huge.encode() in text and b"BDAY:1990-02-30" in text and b"TEL:+1 555 0143" in text


def test_odd_values_and_leftovers(cli, tmp_path: Path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "long.vcf").write_text(card_text("long", "N" * 300), newline="")
    (book / "nameless.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@y.example\r\nEND:VCARD\r\n", newline="")
    odd = card_text(
        "odd",
        "Odd Values",
        "EMAIL:not-an-address",
        "EMAIL:odd@x.example",
        "CATEGORIES:" + "t" * 120 + ",fine",
        "BDAY:--02-30",
    )
    (book / "odd.vcf").write_text(odd, newline="")
    (book / "jo.vcf").write_text(card_text("jo", "Jo Held", "EMAIL:jo@x.example"), newline="")
    (book / ".jo.vcf.netcli-tmp").write_text("half a card from a sync that was stopped")
    cli("add", "Someone Else", "--email", "else@x.example")
    summary = sync(cli, book)
    reasons = {item["card"]: item["reason"] for item in summary["unparsable_list"]}
    assert reasons == {
        "long.vcf": "name can be at most 200 characters (this one has 300)",
        "nameless.vcf": "has no name (FN or N)",
    }
    assert not (book / ".jo.vcf.netcli-tmp").exists()
    odd_one = contact(cli, "Odd Values")
    assert odd_one["emails"] == ["odd@x.example"] and odd_one["tags"] == ["fine"] and odd_one["birthday"] is None
    # each value netcli cannot hold is named with the words `add` has for it, and stays on the card
    cli("edit", "Odd Values", "--email", "odd@x.example", "--email", "odd2@x.example")
    told = cli("sync", "vdir", str(book)).stderr
    assert (
        "left on the card: Odd Values (odd.vcf): email 'not-an-address' is not an email address "
        "(expected name@example.org)"
    ) in told
    written = (book / "odd.vcf").read_text()
    assert "EMAIL:not-an-address" in written and "odd2@x.example" in written
    card = book / "jo.vcf"
    card.write_bytes(card.read_bytes().replace(b"jo@x.example", b"else@x.example"))
    clash = sync(cli, book)
    assert clash["conflicts"] == 1 and "already has the email else@x.example" in clash["conflict_list"][0]["why"]
    assert contact(cli, "Jo Held")["emails"] == ["jo@x.example"] and card.read_bytes().count(b"else@x.example") == 1


def test_a_renamed_card_of_a_deleted_contact_is_not_brought_back(cli, folder: Path):
    sync(cli, folder)
    cli("rm", "Dana Okafor", "--yes")
    (folder / "dana.vcf").rename(folder / "dana-2.vcf")  # Apple's export has no UID: give it one first
    summary = sync(cli, folder)
    assert summary["added_here"] == 1  # a card without a UID cannot be told from a new one
    cli("rm", "Dana Okafor", "--yes")
    sync(cli, folder)
    (folder / "ada.vcf").rename(folder / "ada-2.vcf")
    cli("rm", "Ada Lovelace", "--yes")
    renamed = sync(cli, folder)
    assert renamed["added_here"] == 0 and renamed["waiting_delete"] == 2
    assert sync(cli, folder, "--delete")["deleted_there"] == 2 and not (folder / "ada-2.vcf").exists()


def test_a_card_whose_file_name_is_not_utf8_is_listed_and_the_sync_goes_on(cli, folder: Path):
    name = os.fsdecode(b"bad\xffname.vcf")
    (folder / name).write_text(card_text("badname", "Bad Name"), newline="")
    summary = sync(cli, folder)
    assert {"card": "bad\ufffdname.vcf", "reason": "its file name is not UTF-8 text; rename it"} in summary[
        "unparsable_list"
    ]
    assert summary["added_here"] == 4 and "Bad Name" not in {c["name"] for c in cli.json("list")}


def test_an_address_held_by_another_contact_stays_listed(cli, tmp_path: Path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "e1.vcf").write_text(card_text("e1", "Eve One", "EMAIL:shared@x.example"), newline="")
    (book / "e2.vcf").write_text(card_text("e2", "Eve Two", "EMAIL:shared@x.example"), newline="")
    assert sync(cli, book)["conflicts"] == 1
    again = sync(cli, book)
    assert again["conflicts"] == 1 and "shared@x.example is held by #1 Eve One" in again["conflict_list"][0]["why"]
    assert sync(cli, book, "--prefer", "vdir")["conflicts"] == 1  # the address cannot be given twice
    settled = sync(cli, book, "--prefer", "netcli")
    assert settled["conflicts"] == 0 and b"shared@x.example" not in (book / "e2.vcf").read_bytes()
    assert sync(cli, book)["conflicts"] == 0


def test_a_card_written_again_under_a_new_uid_stays_with_its_contact(cli, folder: Path):
    sync(cli, folder)
    cli("log", "Ada Lovelace", "--kind", "call")
    old = (folder / "ada.vcf").read_bytes()
    (folder / "ada.vcf").unlink()
    (folder / "ada-new.vcf").write_bytes(old.replace(b"UID:7d0c5a1e-ada0-4c1b-9f35-4b1f2c3d4e5f", b"UID:ada-new"))
    summary = sync(cli, folder)
    assert summary["archived"] == 0 and summary["added_here"] == 0 and summary["conflicts"] == 0
    assert len(cli.json("list")) == 4 and contact(cli, "Ada Lovelace")["emails"] == ["ada@example.org"]


def test_a_phone_typed_with_spaces_goes_into_a_tel_uri_with_dashes(cli, folder: Path):
    sync(cli, folder)
    cli("edit", "Bob Builder", "--phone", "+49 30 7654399")
    summary = sync(cli, folder)
    assert summary["updated_there"] == 1
    assert b'TEL;VALUE=uri;TYPE="voice,cell":tel:+49-30-7654399\r\n' in (folder / "bob.vcf").read_bytes()
    assert contact(cli, "Bob Builder")["phone"] == "+49-30-7654399"  # as the card now reads
    assert sync(cli, folder)["updated_here"] == sync(cli, folder)["updated_there"] == 0
