"""Calendar identity through every path that changes a meeting, and the personal feed tokens."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import orjson
import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.errors import NotFound
from secretary.domain.interchange import dump_document
from secretary.services.facade import Secretary
from tests import ics_feed_data as data


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = dt.datetime(2026, 1, 20, 10, 0, tzinfo=dt.UTC)

    def __call__(self):
        return self.now

    def tick(self, minutes=5):
        self.now += dt.timedelta(minutes=minutes)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def sec(tmp_path, clock) -> Secretary:
    dataset = data.dataset()
    # Meetings arrive as a user's file would: without a calendar identity.
    dataset.meetings = {k: m.replace(uid=None, sequence=0, last_modified=None) for k, m in dataset.meetings.items()}
    return create_database(tmp_path / "db.json", dataset, clock=clock)


def _event(feed: bytes, uid: str):
    [event] = [e for e in icalendar.Calendar.from_ical(feed).walk("VEVENT") if str(e["UID"]) == uid]
    return event


def test_new_meetings_get_a_uid_once(sec):
    uids = {m.id: m.uid for m in sec.records.meetings()}
    assert all(uid and uid.endswith("@secretary") for uid in uids.values())
    assert len(set(uids.values())) == len(uids)
    reopened = open_secretary(sec.store.db.path, clock=sec.clock)
    assert {m.id: m.uid for m in reopened.records.meetings()} == uids


def test_update_meeting_move_raises_sequence_and_keeps_uid(sec, clock):
    before = sec.records.meeting("dk-summer")
    feed_before = sec.feeds.calendar_for_body("dk", now=data.NOW)
    clock.tick()
    after = sec.agenda.update_meeting(
        "dk-summer", lambda m: m.replace(start=m.start + dt.timedelta(hours=1), end=m.end + dt.timedelta(hours=1))
    )
    assert after.uid == before.uid
    assert after.sequence == before.sequence + 1
    assert after.last_modified == clock.now
    event = _event(sec.feeds.calendar_for_body("dk", now=data.NOW), before.uid)
    assert int(event["SEQUENCE"]) == before.sequence + 1
    assert event.decoded("DTSTAMP") == clock.now
    assert sec.feeds.calendar_for_body("dk", now=data.NOW) != feed_before


@pytest.mark.parametrize(
    "change",
    [
        lambda sec: sec.agenda.update_meeting("dk-summer", lambda m: m.replace(location="Aarhus, Rådhuset")),
        lambda sec: sec.agenda.cancel_meeting("dk-summer", "Aflyst"),  # the status moves only through the life
        lambda sec: sec.agenda.update_meeting("dk-summer", lambda m: m.replace(end=m.end + dt.timedelta(minutes=30))),
    ],
    ids=["place", "status", "end"],
)
def test_schedule_changes_raise_sequence(sec, clock, change):
    before = sec.records.meeting("dk-summer")
    clock.tick()
    after = change(sec)
    assert (after.uid, after.sequence) == (before.uid, before.sequence + 1)


def test_description_only_edit_keeps_sequence(sec, clock):
    before = sec.records.meeting("dk-summer")
    clock.tick()
    after = sec.agenda.update_meeting("dk-summer", lambda m: m.replace(items=m.items[:2], title="Nyt navn"))
    assert (after.uid, after.sequence) == (before.uid, before.sequence)
    assert after.last_modified == clock.now


def test_unchanged_data_exports_the_same_bytes(sec, clock):
    feeds = (sec.feeds.calendar_for_all(now=data.NOW), sec.feeds.calendar_for_body("se", now=data.NOW))
    clock.tick(60 * 24)
    sec.agenda.update_meeting("dk-summer", lambda m: m)  # a save that changes nothing
    sec.data.import_bytes(sec.data.export_json())  # a round trip through secretary/1
    reopened = open_secretary(sec.store.db.path, clock=clock)
    assert (reopened.feeds.calendar_for_all(now=data.NOW), reopened.feeds.calendar_for_body("se", now=data.NOW)) == feeds
    assert reopened.records.meeting("dk-summer").last_modified == sec.records.meeting("dk-summer").last_modified


def test_import_that_moves_a_meeting_is_a_move(sec, clock):
    before = sec.records.meeting("se-summer")
    document = json.loads(sec.data.export_json())
    for raw in document["meetings"]:
        if raw["id"] == "se-summer":
            raw["start"] = "2026-08-26T13:00:00+02:00"
            raw["end"] = "2026-08-26T16:00:00+02:00"
    clock.tick()
    sec.data.import_bytes(orjson.dumps(document))
    after = sec.records.meeting("se-summer")
    assert after.uid == before.uid
    assert after.sequence == before.sequence + 1
    assert after.last_modified == clock.now
    event = _event(sec.feeds.calendar_for_all(now=data.NOW), before.uid)
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2026, 8, 26, 11, 0, tzinfo=dt.UTC)


def test_import_without_identity_fields_keeps_the_stored_identity(sec, clock):
    before = sec.records.meeting("dk-winter")
    document = json.loads(sec.data.export_json())
    for raw in document["meetings"]:
        raw.pop("uid", None), raw.pop("sequence", None), raw.pop("last_modified", None)
        if raw["id"] == "dk-winter":
            raw["location"] = "Et andet sted"
    clock.tick()
    sec.data.import_bytes(orjson.dumps(document))
    after = sec.records.meeting("dk-winter")
    assert (after.uid, after.sequence) == (before.uid, before.sequence + 1)
    untouched = sec.records.meeting("dk-summer")
    assert untouched.sequence == 0 and untouched.last_modified != clock.now


def test_export_then_import_elsewhere_keeps_the_feed_identity(sec, tmp_path, clock):
    exported = sec.data.export_json()
    other = create_database(tmp_path / "elsewhere" / "db.json", data.dataset().__class__(), clock=clock)
    clock.tick(60)
    other.data.import_bytes(exported)
    assert other.feeds.calendar_for_all(now=data.NOW) == sec.feeds.calendar_for_all(now=data.NOW)


# -- feed tokens ----------------------------------------------------------------------------


def test_feed_token_is_random_stored_and_resolves_to_its_person(sec):
    token = sec.feeds.issue_feed_token("anna")
    assert len(token) >= 43  # 32 random bytes, base64url
    assert sec.feeds.person_for_token(token).id == "anna"
    assert sec.feeds.feed_token("anna") == token
    other = sec.feeds.issue_feed_token("bo")
    assert other != token
    assert open_secretary(sec.store.db.path).feeds.person_for_token(token).id == "anna"
    assert sec.feeds.person_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert sec.feeds.person_for_token("") is None


def test_reissue_and_revoke_end_the_old_token(sec):
    first = sec.feeds.issue_feed_token("anna")
    second = sec.feeds.issue_feed_token("anna")
    assert sec.feeds.person_for_token(first) is None
    assert sec.feeds.person_for_token(second).id == "anna"
    assert sec.feeds.revoke_feed_token("anna") is True
    assert sec.feeds.person_for_token(second) is None
    assert sec.feeds.revoke_feed_token("anna") is False


def test_tokens_for_unknown_people_are_refused(sec):
    with pytest.raises(NotFound, match="no person with id 'nobody'"):
        sec.feeds.issue_feed_token("nobody")


def test_tokens_never_leave_in_the_json_export_and_check_accepts_them(sec):
    token = sec.feeds.issue_feed_token("anna")
    assert token.encode() not in sec.data.export_json()
    assert token.encode() not in dump_document(sec.records.dataset())
    assert sec.store.check() == []


def test_check_reports_a_damaged_token_without_showing_it(sec):
    token = sec.feeds.issue_feed_token("anna")
    raw = orjson.loads(sec.store.db.path.read_bytes())
    raw["feed_tokens"]["anna"]["token"] = "short!"
    raw["feed_tokens"]["ghost"] = {"id": "ghost", "token": token, "created": "2026-01-01T00:00:00Z"}
    sec.store.db.path.write_bytes(orjson.dumps(raw))
    problems = open_secretary(sec.store.db.path).store.check()
    assert any("feed token of 'anna'" in p and "token" in p for p in problems)
    assert any("feed token of 'ghost'" in p and "no such person" in p for p in problems)
    assert not any(token in p or "short!" in p for p in problems)
