"""The life's fields in secretary/1: optional, validated, and `check_life` on import."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from secretary.domain import life
from secretary.domain.errors import InvalidData
from secretary.domain.interchange import Dataset, check_references, dump_document, parse_document
from secretary.domain.presets import load_preset
from tests.unit.life_helpers import ACTOR, DA, STO, SV, at, drafted, held

BODY = {"id": "b", "name": "Body", "kind": "political", "language": "da", "timezone": "Europe/Copenhagen"}
MEETING = {"id": "m1", "body": "b", "start": "2027-03-04T09:00:00+01:00", "end": "2027-03-04T11:00:00+01:00"}


def problems(*meetings: dict, people=()) -> str:
    with pytest.raises(InvalidData) as caught:
        parse_document({"format": "secretary/1", "bodies": [BODY], "people": list(people), "meetings": list(meetings)})
    return str(caught.value)


def test_a_file_without_the_life_fields_still_loads():
    data = parse_document({"format": "secretary/1", "bodies": [BODY], "meetings": [MEETING]})
    m = data.meetings["m1"]
    assert (m.history, m.dispatched_at, m.minutes.paragraphs, m.published.agenda) == ([], None, {}, None)


def test_approved_minutes_of_a_planned_meeting_cannot_be_smuggled_in():
    text = problems({**MEETING, "minutes": {"status": "approved", "approved_on": "2027-03-04"}})
    assert text == ("meeting 'm1': field 'minutes.status': minutes cannot be approved before the meeting is held "
                    "(status: planned)")


@pytest.mark.parametrize(
    ("meeting", "expected"),
    [
        ({"status": "held", "minutes": {"status": "approved", "approved_on": "2027-03-01"}},
         "field 'minutes.approved_on': minutes cannot be approved before the meeting (2027-03-04)"),
        ({"status": "held", "minutes": {"status": "approved", "approved_on": "2027-03-09", "approval_mode": "justering"}},
         "field 'minutes.justerare': a protokoll cannot be justerat without a justerare"),
        ({"status": "held", "minutes": {"status": "draft", "paragraphs": {"i1": "§ 4"}}, "items": [{"id": "i1", "title": "x"}]},
         "§§ are frozen at justering; these minutes were never justerat"),
        ({"status": "held", "minutes": {"status": "approved", "approved_on": "2027-03-09", "posted_on": "2027-03-10",
                                        "appeal_ends": "2027-03-20", "removal_on": "2027-03-31"}},
         "field 'minutes.appeal_ends': the appeal period ends three weeks after the anslag (2027-03-31)"),
        ({"status": "planned", "dispatched_at": "2027-02-25T10:00:00+01:00"},
         "field 'dispatched_at': a meeting whose agenda is dispatched is invited, not planned"),
        ({"status": "planned", "published": {"minutes": "2027-03-05"}},
         "field 'published.minutes': the minutes cannot be published before they are approved (minutes: none)"),
        ({"status": "invited", "cancelled_reason": "Syg"}, "field 'cancelled_reason'"),
        ({"status": "held", "minutes": {"status": "draft", "approved_on": "2027-03-05"}},
         "field 'minutes.approved_on': set on minutes that are not approved"),
    ],
)
def test_an_inconsistent_life_is_refused_naming_meeting_field_and_rule(meeting, expected):
    text = problems({**MEETING, **meeting})
    assert text.startswith("meeting 'm1': ") and expected in text


def test_new_fields_are_validated_and_unknown_ones_stay_errors():
    assert "field 'minutes.colour'" in problems({**MEETING, "minutes": {"status": "none", "colour": "red"}})
    assert "field 'minutes.justerare'" in problems({**MEETING, "minutes": {"justerare": ["a", "b", "c"]}})
    assert "field 'minutes.paragraphs" in problems({**MEETING, "minutes": {"paragraphs": {"i1": "12"}}})
    bad_event = {"at": "2027-03-01T10:00:00+01:00", "action": "teleport"}
    assert "meeting 'm1' event #1: field 'action': value 'teleport'" in problems({**MEETING, "history": [bad_event]})


def test_people_named_by_the_life_must_exist():
    data = Dataset(bodies={"dassos": DA}, meetings={"m": held().replace(chair="nobody")})
    assert check_references(data) == ["meeting 'dassos-2027-03-04': field 'chair': value 'nobody': no person has this id"]
    justerat = life.justera(drafted(SV), SV, at=at("2027-03-09", tz=STO), actor=ACTOR, justerare=["ghost"])
    assert any("minutes.justerare" in p for p in check_references(Dataset(meetings={"m": justerat})))


def test_approval_at_the_next_meeting_must_link_both_ways_in_a_file():
    m = drafted()
    approved, approving = life.approve_at_meeting(m, held(day="2027-04-08"), DA, at=at("2027-04-08", 13), actor=ACTOR)
    body = DA.model_dump(mode="json")
    doc = {"format": "secretary/1", "bodies": [body],
           "meetings": [approved.model_dump(mode="json"), approving.model_dump(mode="json")]}
    assert set(parse_document(doc).meetings) == {approved.id, approving.id}
    unlinked = approving.replace(items=[i.replace(approves_minutes_of=None) for i in approving.items])
    doc["meetings"][1] = unlinked.model_dump(mode="json")
    with pytest.raises(InvalidData, match="does not link back to these minutes"):
        parse_document(doc)


@pytest.mark.parametrize("preset", ["midtjylland", "ludvika"])
def test_export_import_export_is_byte_identical_with_the_life(preset):
    first = dump_document(load_preset(preset))
    again = dump_document(parse_document(orjson.loads(first)))
    assert first == again


def test_the_ludvika_demo_is_a_justerat_posted_protokoll_with_frozen_paragraphs():
    data = load_preset("ludvika")
    demo = [m for m in data.meetings.values() if m.demo]
    assert len(demo) == 1
    m = demo[0]
    assert life.stage(m) == "published" and m.minutes.approval_mode == "justering" and len(m.minutes.justerare) == 2
    assert m.minutes.appeal_ends == m.minutes.posted_on + dt.timedelta(weeks=3)
    assert list(m.minutes.paragraphs.values())[0] == "§ 87"
    people = [data.people[p] for p in m.minutes.justerare]
    assert all("fiktiv" in p.title for p in people)


def test_the_midtjylland_demo_meetings_are_consistent_with_the_life():
    data = load_preset("midtjylland")
    for m in data.meetings.values():
        assert life.check_life(m, data.bodies[m.body]) == []
        if m.status in ("invited", "held"):
            assert m.dispatched_at is not None and m.history[0].action == "dispatch"
