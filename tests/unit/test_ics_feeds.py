"""The calendar feeds (exports/ics.py): bytes, identity, privacy, and three independent readers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject

from exports import ics
from exports.vtimezone import vtimezone
from tests import ics_feed_data as data


def _unfold(raw: bytes) -> str:
    return raw.replace(b"\r\n ", b"").decode("utf-8")


def _body_feed(meetings=None, **kw) -> bytes:
    meetings = list((meetings or data.meetings()).values())
    return ics.body_feed(data.bodies()["dk"], meetings, now=kw.pop("now", data.NOW), **kw)


def _all_feed(meetings=None, now=data.NOW) -> bytes:
    return ics.all_feed(data.bodies(), list((meetings or data.meetings()).values()), now=now)


def _person_feed(person="anna", now=data.NOW) -> bytes:
    d = data.dataset()
    return ics.person_feed(d.people[person], d.memberships.values(), d.bodies, d.meetings.values(), now=now)


def _all_feeds() -> dict[str, bytes]:
    return {
        "dk": _body_feed(),
        "dk-all-day": _body_feed(all_day=True, milestones=data.dataset().milestones.values()),
        "se": ics.body_feed(data.bodies()["se"], list(data.meetings().values()), now=data.NOW),
        "all": _all_feed(),
        "anna": _person_feed(),
    }


# -- calendar properties, checked on the bytes ---------------------------------------


def test_calendar_properties_are_written_as_durations_and_names():
    text = _unfold(_body_feed())
    lines = text.split("\r\n")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
    assert "VERSION:2.0" in lines
    assert "NAME:DASSOS" in lines and "X-WR-CALNAME:DASSOS" in lines
    assert "X-WR-TIMEZONE:Europe/Copenhagen" in lines
    assert "DESCRIPTION:Møder i Dansk styregruppe" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert not any(line.startswith(("METHOD", "ATTENDEE", "ORGANIZER")) for line in lines)
    assert text.endswith("END:VCALENDAR\r\n")


def test_vtimezone_is_one_rule_pair_without_rdates():
    text = _unfold(_all_feed())
    assert "RDATE" not in text
    assert text.count("BEGIN:VTIMEZONE") == 2
    for tzid in ("Europe/Copenhagen", "Europe/Stockholm"):
        block = text.split(f"TZID:{tzid}")[1].split("END:VTIMEZONE")[0]
        assert block.count("BEGIN:STANDARD") == 1 and block.count("BEGIN:DAYLIGHT") == 1
        assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in block
        assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in block
        assert "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200" in block
        assert "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100" in block


@pytest.mark.parametrize("tzid", ["Europe/Copenhagen", "Europe/Stockholm"])
def test_vtimezone_rule_matches_the_tz_database(tzid):
    """vobject builds a tzinfo from our VTIMEZONE alone; it must agree with zoneinfo 1997–2045."""
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", "-//test//EN")
    cal.add_component(vtimezone(tzid))
    parsed = vobject.readOne(cal.to_ical().decode())
    ours = parsed.vtimezone.gettzinfo()
    zone = ZoneInfo(tzid)
    for year in range(1997, 2046):
        # Every hour of the last eight days of March and October (where the changes are), and a mid-year check.
        for month in (3, 10):
            moment = dt.datetime(year, month, 24, tzinfo=dt.UTC)
            while moment.month == month:
                assert moment.astimezone(ours).utcoffset() == moment.astimezone(zone).utcoffset(), moment
                moment += dt.timedelta(hours=1)
        for month in (1, 7):
            moment = dt.datetime(year, month, 15, 12, tzinfo=dt.UTC)
            assert moment.astimezone(ours).utcoffset() == moment.astimezone(zone).utcoffset(), moment


# -- events ----------------------------------------------------------------------------


def test_event_fields_come_from_the_stored_identity():
    cal = icalendar.Calendar.from_ical(_body_feed())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    winter = events["uid-dk-winter@example.org"]
    assert int(winter["SEQUENCE"]) == 0
    assert winter.decoded("DTSTAMP") == data.STAMP
    assert winter.decoded("LAST-MODIFIED") == data.STAMP
    assert str(winter["SUMMARY"]) == "DASSOS: møde"
    assert str(winter["LOCATION"]) == "Viborg Rådhus, lokale M1"
    assert winter["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert str(winter["STATUS"]) == "TENTATIVE"  # planned, not yet invited (issue 17)
    assert str(winter["TRANSP"]) == "OPAQUE"
    se = icalendar.Calendar.from_ical(_all_feed())
    titles = {str(e["UID"]): str(e["SUMMARY"]) for e in se.walk("VEVENT")}
    assert titles["uid-se-winter@example.org"] == "SVF: Vinter"
    assert titles["uid-se-summer@example.org"] == "SVF: sammanträde"


def test_description_lists_open_items_and_only_a_label_for_closed_ones():
    cal = icalendar.Calendar.from_ical(_all_feed())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    dk = str(events["uid-dk-summer@example.org"]["DESCRIPTION"])
    assert dk == "Dagsorden:\n1. Godkendelse af dagsorden\n2. Rammeaftale 2027-28, udkast\n3. Lukket punkt\n4. Eventuelt"
    se = str(events["uid-se-summer@example.org"]["DESCRIPTION"])
    assert "3. Ärendet är sekretessbelagt" in se


def test_no_feed_leaks_anything_of_a_closed_item():
    for name, raw in _all_feeds().items():
        text = _unfold(raw)
        for secret in data.SECRETS:
            assert secret not in text, (name, secret)
        assert "Offentlig baggrund" not in text, name  # nor an open item's background: titles only


def test_cancelled_meeting_is_marked_and_kept_until_its_date_has_passed():
    def cancelled(now):
        cal = icalendar.Calendar.from_ical(_body_feed(now=now))
        return [e for e in cal.walk("VEVENT") if str(e["UID"]) == "uid-dk-cancelled@example.org"]

    [event] = cancelled(data.NOW)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "AFLYST: DASSOS: møde"
    assert int(event["SEQUENCE"]) == 1
    # Still there on the day itself (late evening, local time), gone the day after.
    assert cancelled(dt.datetime(2026, 3, 4, 22, 30, tzinfo=dt.UTC))
    assert not cancelled(dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC))  # 00:30 in Copenhagen on the 5th
    se = data.meetings()
    se["se-summer"] = se["se-summer"].replace(status="cancelled")
    text = _unfold(_all_feed(se))
    assert "SUMMARY:INSTÄLLT: SVF: sammanträde" in text


def test_english_body_uses_english_labels():
    body = data.bodies()["dk"].replace(language="en")
    m = data.meetings()["dk-summer"].replace(status="cancelled")
    text = _unfold(ics.body_feed(body, [m], now=data.NOW))
    assert "SUMMARY:CANCELLED: DASSOS: meeting" in text
    assert "3. Closed item" in text


def test_same_data_gives_the_same_bytes_whatever_the_order():
    first = _all_feed()
    shuffled = dict(reversed(list(data.meetings().items())))
    assert _all_feed(shuffled) == first
    assert _all_feeds() == _all_feeds()


def test_text_is_cleaned_of_characters_icalendar_cannot_carry():
    # The model refuses control characters, so build past validation, as a damaged import might.
    m = data.meetings()["dk-summer"].model_copy(update={"title": "Møde\x0bmed\ufffelodret tab"})
    text = _unfold(ics.body_feed(data.bodies()["dk"], [m], now=data.NOW))
    assert "SUMMARY:DASSOS: Mødemedlodret tab" in text


def test_person_feed_follows_membership_terms_and_ignores_organisation_seats():
    anna = {str(e["UID"]) for e in icalendar.Calendar.from_ical(_person_feed("anna")).walk("VEVENT")}
    # January is before her Danish seat began; the cancelled March meeting is in her term.
    assert anna == {
        "uid-dk-summer@example.org",
        "uid-dk-cancelled@example.org",
        "uid-se-winter@example.org",
        "uid-se-summer@example.org",
    }
    bo = icalendar.Calendar.from_ical(_person_feed("bo"))
    assert bo.walk("VEVENT") == []
    d = data.dataset()
    assert ics.person_meetings("kommune", d.memberships.values(), d.bodies, d.meetings.values()) == []


def test_all_day_milestones_and_deadlines_use_dates_with_exclusive_end():
    cal = icalendar.Calendar.from_ical(_body_feed(all_day=True, milestones=data.dataset().milestones.values()))
    all_day = [e for e in cal.walk("VEVENT") if type(e.decoded("DTSTART")) is dt.date]
    for event in all_day:
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
    by_uid = {str(e["UID"]): e for e in all_day}
    # The summer meeting is on 10 June: items due 14 days before, agenda 7 days before, minutes 14 days after.
    assert by_uid["items-due.uid-dk-summer@example.org"].decoded("DTSTART") == dt.date(2026, 5, 27)
    assert by_uid["agenda-dispatch.uid-dk-summer@example.org"].decoded("DTSTART") == dt.date(2026, 6, 3)
    assert by_uid["minutes-due.uid-dk-summer@example.org"].decoded("DTSTART") == dt.date(2026, 6, 24)
    assert not any("dk-cancelled" in uid for uid in by_uid)  # no deadlines for a cancelled meeting
    assert by_uid["milestone.ms-yearly.2026@secretary"].decoded("DTSTART") == dt.date(2026, 5, 1)
    raw = _unfold(_body_feed(all_day=True, milestones=data.dataset().milestones.values()))
    assert "DTSTART;VALUE=DATE:20260501\r\nDTEND;VALUE=DATE:20260502" in raw
    assert "DTSTART:2026" not in raw  # no floating times anywhere


# -- three independent readers agree -------------------------------------------------------


def _instant(value):
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, "floating time"
        return value.astimezone(dt.UTC)
    return value


def _by_icalendar(raw: bytes) -> dict[str, tuple]:
    cal = icalendar.Calendar.from_ical(raw)
    for component in cal.walk():
        assert component.errors == [], (component.name, component.errors)
    return {
        str(e["UID"]): (_instant(e.decoded("DTSTART")), _instant(e.decoded("DTEND")), str(e["SUMMARY"]))
        for e in cal.walk("VEVENT")
    }


def _by_vobject(raw: bytes) -> dict[str, tuple]:
    cal = vobject.readOne(raw.decode("utf-8"))
    return {
        e.uid.value: (_instant(e.dtstart.value), _instant(e.dtend.value), e.summary.value)
        for e in cal.vevent_list
    }


def _by_recurring_ical_events(raw: bytes) -> dict[str, tuple]:
    cal = icalendar.Calendar.from_ical(raw)
    found = recurring_ical_events.of(cal).between(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    return {
        str(e["UID"]): (_instant(e["DTSTART"].dt), _instant(e["DTEND"].dt), str(e["SUMMARY"])) for e in found
    }


@pytest.mark.parametrize("name", ["dk", "dk-all-day", "se", "all", "anna"])
def test_three_readers_see_the_same_events_at_the_same_instants(name):
    raw = _all_feeds()[name]
    first = _by_icalendar(raw)
    assert first == _by_vobject(raw)
    assert first == _by_recurring_ical_events(raw)
    assert first, "a feed without events proves nothing"


def test_summer_and_winter_meetings_land_at_the_right_utc_instants():
    seen = _by_vobject(_all_feed())  # vobject uses the VTIMEZONE in the file, not the tz database
    utc = dt.UTC
    assert seen["uid-dk-winter@example.org"][0] == dt.datetime(2026, 1, 14, 8, 0, tzinfo=utc)
    assert seen["uid-dk-summer@example.org"][0] == dt.datetime(2026, 6, 10, 7, 0, tzinfo=utc)
    assert seen["uid-se-winter@example.org"][0] == dt.datetime(2026, 2, 11, 12, 0, tzinfo=utc)
    assert seen["uid-se-summer@example.org"][0] == dt.datetime(2026, 8, 19, 11, 0, tzinfo=utc)


# -- moves and edits, on the exporter's side ---------------------------------------------------


def test_a_moved_meeting_keeps_its_uid_and_shows_the_raised_sequence():
    from secretary.domain.identity import stamp_meeting

    old = data.meetings()["dk-summer"]
    later = dt.datetime(2026, 2, 2, tzinfo=dt.UTC)
    moved = stamp_meeting(old.replace(start=old.start + dt.timedelta(days=7), end=old.end + dt.timedelta(days=7)),
                          old, later)
    cal = icalendar.Calendar.from_ical(ics.body_feed(data.bodies()["dk"], [moved], now=data.NOW))
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == old.uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTAMP") == later


def test_a_description_only_edit_changes_the_stamp_but_not_the_sequence():
    from secretary.domain.identity import stamp_meeting

    old = data.meetings()["dk-summer"]
    later = dt.datetime(2026, 2, 2, tzinfo=dt.UTC)
    edited = stamp_meeting(old.replace(items=old.items[:2]), old, later)
    assert edited.sequence == old.sequence and edited.uid == old.uid
    assert stamp_meeting(old, old, later) is None  # nothing changed: nothing to write, same bytes
