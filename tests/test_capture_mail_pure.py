"""The mail reader alone, no database: header blocks in, `Message`s out."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest

from netcli.capture import mail
from netcli.errors import NotMail


def _parse(text: str, **kwargs: object) -> mail.Message | mail.BadMessage:
    return mail.parse(text.encode("latin-1"), where="test", **kwargs)  # type: ignore[arg-type]


HEAD = "From: Dana <dana@example.org>\nTo: ann@example.org\nDate: Mon, 16 Nov 2026 09:12:00 +0100\n"


def test_a_message_without_ids_threads_by_itself_with_a_stable_digest_key():
    first, again = _parse(HEAD + "Subject: Hi\n"), _parse(HEAD + "Subject: Hi\n")
    assert isinstance(first, mail.Message) and isinstance(again, mail.Message)
    assert first.key == again.key == first.thread and first.key.startswith("no-id-")


def test_ids_without_angle_brackets_and_in_reply_to_thread_the_message():
    parsed = _parse(HEAD + "Message-ID: abc@x\nIn-Reply-To: root@x\n")
    assert isinstance(parsed, mail.Message) and (parsed.key, parsed.thread) == ("abc@x", "root@x")


@pytest.mark.parametrize(
    ("extra", "skip", "listy"),
    [
        ("Precedence: junk\n", None, True),
        ("List-Post: <mailto:l@x>\n", None, True),
        ("Auto-Submitted: auto-generated\n", "automated", False),
        ("Auto-Submitted: no\n", None, False),
        ("X-Gmail-Labels: Inbox,Trash\n", "draft_spam_trash", False),
        ("X-Mozilla-Draft-Info: internal/draft; vcard=0\n", "draft_spam_trash", False),
    ],
)
def test_what_headers_say_is_not_a_conversation(extra: str, skip: str | None, listy: bool):
    parsed = _parse(HEAD + extra)
    assert isinstance(parsed, mail.Message) and (parsed.skip, parsed.listy) == (skip, listy)


@pytest.mark.parametrize(
    "sender", ["no-reply@x.org", "noreply+abc@x.org", "MAILER-DAEMON@x.org", "notifications@x.org"]
)
def test_no_reply_senders_are_automated(sender: str):
    parsed = _parse(f"From: {sender}\nDate: Mon, 16 Nov 2026 09:12:00 +0000\n")
    assert isinstance(parsed, mail.Message) and parsed.skip == "automated"


def test_dates_without_a_zone_are_utc_and_broken_ones_are_bad():
    parsed = _parse("From: a@x.org\nDate: Mon, 16 Nov 2026 23:30:00 -0000\n")
    assert isinstance(parsed, mail.Message) and parsed.when.tzinfo is not None
    assert mail.local_date(parsed.when, dt.timezone(dt.timedelta(hours=2))) == dt.date(2026, 11, 17)
    for date in ("", "Date: 99 Foo 2026\n", "Date: Mon, 16 Nov 2026 25:61:00 +0000\n"):
        bad = _parse("From: a@x.org\n" + date)
        assert isinstance(bad, mail.BadMessage) and "no readable date" in bad.error


def test_latin1_bytes_in_a_header_and_a_bad_charset_in_an_encoded_word():
    parsed = _parse(HEAD + "Subject: Caf\xe9\n")
    assert isinstance(parsed, mail.Message) and parsed.subject == "Café"
    odd = _parse(HEAD + "Subject: =?x-unknown?q?Hi?=\n")
    assert isinstance(odd, mail.Message) and odd.subject
    assert mail._text("Caf\udcc3\udca9") == "Café" and mail._text("Caf\udce9") == "Café"


def test_subject_prefixes_are_dropped_in_many_languages():
    for subject in ("Re: Notes", "RE: Fwd: Notes", "AW: WG: Notes", "Re[2]: Notes", "SV: Notes"):
        parsed = _parse(HEAD + f"Subject: {subject}\n")
        assert isinstance(parsed, mail.Message) and parsed.subject == "Notes"
    assert isinstance(p := _parse(HEAD + "Subject: Re:\n"), mail.Message) and p.subject is None


def test_mbox_heads_from_an_offset_and_a_huge_header_is_refused():
    box = b"From a\nSubject: one\n\nbody\nFrom not a split\n\nFrom b\nSubject: two\n\nbody\n"
    heads = list(mail.mbox_heads(io.BytesIO(box)))
    assert [h for _, _, h in heads] == [b"Subject: one\n", b"Subject: two\n"]
    second = heads[1][0]
    assert [h for _, _, h in mail.mbox_heads(io.BytesIO(box), start=second)] == [b"Subject: two\n"]
    big = b"From a\n" + b"X-Long: " + b"y" * 100 + b"\n" + b"X-Pad: z\n" * 40_000 + b"\nbody\n"
    ((_, end, head),) = list(mail.mbox_heads(io.BytesIO(big)))
    assert end == len(big) and head is None  # larger than MAIL_HEADER: a bad message, named with the limit
    bad = mail.parse(head, where="box at byte 0")
    assert isinstance(bad, mail.BadMessage) and "256 KB, the limit for one message's headers" in bad.error


def test_what_a_file_is(tmp_path: Path):
    (tmp_path / "box").write_bytes(b"\nFrom a\n")
    (tmp_path / "msg").write_bytes(b"Subject: x\n")
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "pdf").write_bytes(b"%PDF-1.4\n")
    assert [mail.kind_of(tmp_path / n) for n in ("box", "msg", "empty")] == ["mbox", "message", "mbox"]
    with pytest.raises(NotMail, match="is not a mail archive"):
        mail.kind_of(tmp_path / "pdf")
    with pytest.raises(NotMail, match="is a folder"):
        mail.kind_of(tmp_path)
    with pytest.raises(NotMail, match="does not exist"):
        mail.kind_of(tmp_path / "gone")
    os.mkfifo(tmp_path / "fifo")  # opened without blocking, and refused: no writer will ever come
    with pytest.raises(NotMail, match="named pipe"):
        mail.kind_of(tmp_path / "fifo")


def test_maildir_flags_and_folders_as_mail_programs_name_them(tmp_path: Path):
    for box in ("INBOX", "[Gmail].Trash", "Archive/Junk", ".Deleted Messages", ".Sent"):
        for sub in ("cur", "new", "tmp"):
            (tmp_path / box / sub).mkdir(parents=True)
        (tmp_path / box / "cur" / "1.M1:2,S").write_text("Subject: x\n")
        (tmp_path / box / "tmp" / "2.M2").write_text("Subject: x\n")
    (tmp_path / "INBOX" / "cur" / "3.M3!2,T").write_text("Subject: x\n")
    (tmp_path / "INBOX" / "cur" / ".hidden").write_text("Subject: x\n")
    (tmp_path / "notes.eml").write_text("Subject: x\n")
    (tmp_path / "notes.txt").write_text("Subject: x\n")
    found = {str(item.path.relative_to(tmp_path)): item.trash for _, item in mail.folder_items(tmp_path)}
    assert found == {
        ".Deleted Messages/cur/1.M1:2,S": True,
        ".Sent/cur/1.M1:2,S": False,
        "Archive/Junk/cur/1.M1:2,S": True,
        "INBOX/cur/1.M1:2,S": False,
        "INBOX/cur/3.M3!2,T": True,
        "[Gmail].Trash/cur/1.M1:2,S": True,
        "notes.eml": False,
    }


def test_a_bad_message_is_named_by_its_id_sender_and_subject_never_its_body_and_safe_to_print():
    head = (
        b"From: Eve \x1b[2J<eve@x.org>\nSubject: =?utf-8?q?Invoice=1B=5D0=3Bpwned=07?= \xe2\x80\xae now\n"
        b"Message-ID: <abc@x>\nDate: someday \x1b[31m soon\n"
    )
    bad = mail.parse(head + b"\nthe body, never shown\n", where="box.mbox at byte 12")
    assert bad == mail.BadMessage(
        'box.mbox at byte 12 (Message-ID <abc@x>, from Eve [2J<eve@x.org>, subject "Invoice]0;pwned now")',
        "no readable date (Date: someday [31m soon)",
    )
    assert mail.parse(b"X-Other: y\n", where="box.mbox at byte 0") == mail.BadMessage(
        "box.mbox at byte 0", "no readable date (Date: none)"
    )
    # text beside an encoded word keeps its own letters (decode_header hands it back escaped)
    assert mail._text("=?utf-8?q?Invoice?= für Café") == "Invoice für Café"


def test_raw_utf8_and_latin1_names_in_address_headers_are_read_as_written():
    """RFC 6532 mail writes names in raw UTF-8: the display name is read whole,
    not as replacement characters (the subject was read right, the names not)."""
    head = 'From: "José Núñez" <jose@x.example>\nTo: "Zoë" <zoe@x.example>, ann@example.org\n'
    head += "Date: Mon, 16 Nov 2026 09:12:00 +0100\nSubject: Café\n"
    parsed = mail.parse(head.encode("utf-8"), where="test")
    assert isinstance(parsed, mail.Message) and parsed.sender is not None
    assert parsed.sender.name == "José Núñez" and parsed.sender.address == "jose@x.example"
    assert [(a.name, a.address) for a in parsed.recipients] == [("Zoë", "zoe@x.example"), (None, "ann@example.org")]
    latin = _parse('From: "Jos\xe9" <jose@x.example>\nTo: ann@example.org\nDate: Mon, 16 Nov 2026 09:12:00 +0100\n')
    assert isinstance(latin, mail.Message) and latin.sender is not None and latin.sender.name == "José"
