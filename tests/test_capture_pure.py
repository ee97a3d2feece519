"""The calendar source and the meeting judge, pure: bytes in, records out;
records, addresses and contacts in, verdicts out. No database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from netcli.addresses import MyAddresses
from netcli.capture import calendar
from netcli.capture.calendar import BadEvent, NotACalendar, Occurrence, Person, local_date
from netcli.capture.match import Verdict, judge, seen_addresses

ALL = {"start": dt.date(2000, 1, 1), "end": dt.date(2030, 1, 1), "zone": dt.UTC}
MINE = MyAddresses(["ann@example.org"])
HOLDERS = {"dana@example.org": 1, "chidi@example.org": 2}


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n".encode()


def read(data: bytes, **window: object) -> list[Occurrence | BadEvent]:
    return list(calendar.read(data, name="test.ics", **{**ALL, **window}))  # type: ignore[arg-type]


def test_not_a_calendar_and_a_damaged_one_are_told_apart():
    with pytest.raises(NotACalendar, match="not an iCalendar file"):
        read(b"BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n")
    with pytest.raises(NotACalendar, match="cut short"):
        read(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:the rest is missing\r\n")
    with pytest.raises(NotACalendar, match="damaged iCalendar file"):
        read(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n\x00\xff\xfe")
    assert read(b"\xef\xbb\xbf" + ics("UID:a\r\nDTSTART;VALUE=DATE:20260105"))[0].date == dt.date(2026, 1, 5)


def test_events_without_a_start_or_with_a_broken_rule_are_bad_and_the_rest_read():
    items = read(
        ics(
            "UID:no-start\r\nSUMMARY:x",
            "UID:bad-rule\r\nDTSTART:20260105T100000Z\r\nRRULE:FREQ=SOMETIMES",
            "UID:ok\r\nDTSTART:20260105T100000Z",
        )
    )
    bad = [i for i in items if isinstance(i, BadEvent)]
    assert [b.where for b in bad] == ["test.ics: event no-start", "test.ics: event bad-rule"]
    assert "no DTSTART" in bad[0].error and "RRULE" in bad[1].error
    assert [i.key for i in items if isinstance(i, Occurrence)] == ["ok"]


def test_an_event_without_uid_gets_the_same_stand_in_every_time():
    data = ics("DTSTART:20260105T100000Z\r\nSUMMARY:Coffee")
    first, again = read(data)[0], read(data)[0]
    assert isinstance(first, Occurrence) and first.key == again.key and first.key.startswith("no-uid-")


def test_keys_name_the_original_start_of_recurring_occurrences_only():
    items = read(
        ics(
            "UID:single\r\nDTSTART:20260105T100000",
            "UID:floating\r\nDTSTART:20260105T100000\r\nRRULE:FREQ=DAILY;COUNT=2",
            "UID:days\r\nDTSTART;VALUE=DATE:20260105\r\nRDATE;VALUE=DATE:20260110",
        )
    )
    keys = sorted(i.key for i in items if isinstance(i, Occurrence))
    assert keys == [
        "days/20260105",
        "days/20260110",
        "floating/20260105T100000",
        "floating/20260106T100000",
        "single",
    ]


def test_the_window_is_in_the_users_days():
    data = ics("UID:late\r\nDTSTART:20260105T230000Z")
    assert read(data, start=dt.date(2026, 1, 6), zone=ZoneInfo("Europe/Berlin"))[0].date == dt.date(2026, 1, 6)
    assert read(data, start=dt.date(2026, 1, 6), zone=dt.UTC) == []
    assert read(data, end=dt.date(2026, 1, 4)) == []


def test_people_mailto_any_case_apple_email_parameter_and_rooms():
    item = read(
        ics(
            "UID:p\r\nDTSTART:20260105T100000Z\r\n"
            'ORGANIZER;CN="Lee, Ann";EMAIL=ann@example.org:urn:uuid:1234\r\n'
            "ATTENDEE;CN=Dana;PARTSTAT=declined:MAILTO:Dana@Example.org\r\n"
            "ATTENDEE;CN=Room 4:urn:uuid:room-4\r\n"
            "ATTENDEE:mailto:chidi@example.org"
        )
    )[0]
    assert isinstance(item, Occurrence)
    assert item.organizer == Person("ann@example.org", "Lee, Ann")
    assert item.attendees == (Person("Dana@Example.org", "Dana", "DECLINED"), Person("chidi@example.org", None))
    assert item.attendees[0].declined and not item.attendees[1].declined


def test_a_control_character_in_a_name_is_dropped_and_an_unreadable_attendee_makes_the_event_bad():
    """A CN holding ESC or BEL made the parser drop the whole ATTENDEE line,
    so the contact was counted "without a contact" and nobody was told."""
    items = read(
        ics(
            "UID:c\r\nDTSTART:20260105T100000Z\r\nSUMMARY:Sync\x1b]0;pwned\x07\r\nORGANIZER:mailto:ann@example.org\r\n"
            'ATTENDEE;CN=Da\x1b[2Jna:mailto:dana@example.org\r\nATTENDEE;CN="Chi\x07di\x7f":mailto:chidi@example.org',
            'UID:q\r\nDTSTART:20260105T100000Z\r\nATTENDEE;CN="a"b":mailto:dana@example.org',
        )
    )
    meeting, bad = items
    assert isinstance(meeting, Occurrence) and meeting.summary == "Sync]0;pwned"
    assert meeting.attendees == (Person("dana@example.org", "Da[2Jna"), Person("chidi@example.org", "Chidi"))
    assert bad == BadEvent("test.ics: event q", "an ATTENDEE line cannot be read")


def test_local_date_of_days_floating_and_zoned_times():
    assert local_date(dt.date(2026, 1, 5), dt.UTC) == dt.date(2026, 1, 5)
    assert local_date(dt.datetime(2026, 1, 5, 23, 30), ZoneInfo("Asia/Tokyo")) == dt.date(2026, 1, 5)
    late = dt.datetime(2026, 1, 5, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert local_date(late, ZoneInfo("Asia/Tokyo")) == dt.date(2026, 1, 6)
    assert local_date(late, ZoneInfo("America/New_York")) == dt.date(2026, 1, 5)


def occurrence(organizer: str | None = "ann@example.org", *people: str, cancelled: bool = False) -> Occurrence:
    def person(text: str) -> Person:
        address, _, state = text.partition(":")
        return Person(address, None, state.upper())

    return Occurrence(
        "k",
        "k",
        dt.date(2026, 1, 5),
        "",
        person(organizer) if organizer else None,
        tuple(map(person, people)),
        cancelled,
    )


def verdict(o: Occurrence, most: int = 12) -> Verdict:
    return judge(o, mine=MINE, holders=HOLDERS, max_attendees=most)


def test_judge_meetings_and_their_contacts_in_order():
    assert verdict(occurrence("ann@example.org", "chidi@example.org", "dana+x@EXAMPLE.org")) == Verdict(None, (2, 1))
    assert verdict(occurrence("dana@example.org", "ANN@example.org")) == Verdict(None, (1,))
    assert verdict(occurrence(None, "dana@example.org")) == Verdict(None, (1,))  # your own calendar's event
    assert verdict(occurrence("ann@example.org", "dana@example.org", "x@y.example")) == Verdict(None, (1,), True)


def test_judge_skips_with_the_reason():
    assert verdict(occurrence("ann@example.org", "dana@example.org", cancelled=True)).reason == "declined_cancelled"
    assert verdict(occurrence("dana@example.org", "ann@example.org:declined")).reason == "declined_cancelled"
    assert verdict(occurrence("ann@example.org", "dana@example.org:declined")).reason == "declined_cancelled"
    assert verdict(occurrence("dana@example.org", "chidi@example.org")).reason == "no_contact"  # not yours
    assert verdict(occurrence("ann@example.org", "x@y.example")) == Verdict("no_contact", (), True)
    assert verdict(occurrence("ann@example.org", "dana@example.org", "x@y.example"), most=1).reason == "broadcast"
    # an invitation left unanswered is anyone's to send: not a meeting until accepted (or tentatively)
    invited = ("dana@example.org", "ann@example.org:needs-action", "chidi@example.org")
    assert verdict(occurrence(*invited)).reason == "declined_cancelled"
    assert verdict(occurrence(None, *invited[1:])).reason == "declined_cancelled"
    assert verdict(occurrence("dana@example.org", "ann@example.org:tentative")) == Verdict(None, (1,))
    assert verdict(occurrence("dana@example.org", "ann@example.org:accepted")) == Verdict(None, (1,))
    assert (
        verdict(occurrence("dana@example.org", "ann@example.org:needs-action", "ann+w@example.org:accepted")).reason
        is None
    )
    # the organiser's own entry is not an invitation; a delegated attendee is not coming
    assert verdict(occurrence("ann@example.org", "ann@example.org:needs-action", "dana@example.org")).reason is None
    assert verdict(occurrence("ann@example.org", "dana@example.org:delegated")).reason == "declined_cancelled"
    assert verdict(occurrence("ann@example.org", "dana@example.org"), most=1).reason is None


def test_seen_addresses_counts_each_occurrence_once_per_person():
    seen = seen_addresses([occurrence("ann@example.org", "Ann@example.org", "dana@example.org"), occurrence(None)])
    assert seen == {"ann@example.org": 1, "dana@example.org": 1}
