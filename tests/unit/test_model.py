"""Validation at the boundary: every bad value is named with its object and field."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.domain.errors import InvalidData
from secretary.domain.identity import stamp_meeting
from secretary.domain.interchange import parse_document

BODY = {"id": "b", "name": "Body", "kind": "political", "language": "da", "timezone": "Europe/Copenhagen"}
MEETING = {"id": "m1", "body": "b", "start": "2027-03-04T09:00:00+01:00", "end": "2027-03-04T11:00:00+01:00"}


def problems(**collections) -> str:
    with pytest.raises(InvalidData) as caught:
        parse_document({"format": "secretary/1", **collections})
    return str(caught.value)


def test_time_without_zone_is_rejected():
    text = problems(bodies=[BODY], meetings=[{**MEETING, "start": "2027-03-04T09:00:00"}])
    assert "meeting 'm1': field 'start': value '2027-03-04T09:00:00'" in text
    assert "timezone" in text


def test_end_before_start_names_end():
    text = problems(bodies=[BODY], meetings=[{**MEETING, "end": "2027-03-04T08:00:00+01:00"}])
    assert "meeting 'm1': field 'end'" in text and "is not after start" in text


def test_impossible_date_and_wrong_type():
    text = problems(
        memberships=[{"id": "s", "body": "b", "organisation": "o", "start": "2027-02-30"}],
        bodies=[{**BODY, "term_years": "2"}],
    )
    assert "membership 's': field 'start': value '2027-02-30'" in text
    assert "body 'b': field 'term_years': value '2'" in text


def test_unknown_field_and_unknown_format():
    assert "field 'colour'" in problems(bodies=[{**BODY, "colour": "red"}])
    with pytest.raises(InvalidData, match="field 'format': value 'secretary/2'"):
        parse_document({"format": "secretary/2"})


def test_ids_cannot_leave_the_database_folder():
    text = problems(bodies=[{**BODY, "id": "../../etc"}])
    assert "body '../../etc': field 'id'" in text


def test_nested_item_problems_name_meeting_and_item():
    meeting = {**MEETING, "items": [{"id": "i7", "title": "Budget\x07"}]}
    text = problems(bodies=[BODY], meetings=[meeting])
    assert "meeting 'm1' item 'i7': field 'title'" in text and "U+0007" in text


def test_duplicate_ids_are_rejected():
    assert "appears twice" in problems(bodies=[BODY, BODY])


def _meeting(**changes):
    data = parse_document({"format": "secretary/1", "bodies": [BODY], "meetings": [MEETING]}).meetings["m1"]
    return data.replace(**changes) if changes else data


def test_calendar_identity_is_kept_and_sequence_rises_only_on_schedule_changes():
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    later = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    first = stamp_meeting(_meeting(), None, now)
    assert first.uid and first.sequence == 0 and first.last_modified == now
    assert stamp_meeting(first, first, later) is None, "unchanged data is not rewritten"
    described = stamp_meeting(first.replace(title="Nyt navn"), first, later)
    assert described.uid == first.uid and described.sequence == 0 and described.last_modified == later
    moved = stamp_meeting(first.replace(location="Viborg"), first, later)
    assert moved.uid == first.uid and moved.sequence == 1
    cancelled = stamp_meeting(moved.replace(status="cancelled"), moved, later)
    assert cancelled.sequence == 2
