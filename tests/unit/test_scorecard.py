"""The scorecard's rules and service on a generated history whose answers are known by construction."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from secretary.cli.bootstrap import create_database
from secretary.domain.errors import InvalidData
from secretary.domain.interchange import Dataset, parse_bytes, parse_document
from secretary.domain.presets import load_preset
from secretary.domain.scorecard import MeetingFacts, format_number, judge, parse_kolada, parse_years

TODAY = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)


def _meeting(ident: str, day: str, status: str = "held", **fields) -> dict:
    return {"id": ident, "body": "testnet", "start": f"{day}T10:00:00+01:00", "end": f"{day}T12:00:00+01:00",
            "status": status, **fields}


def _action(ident: str, due: str, done: bool = False, done_on: str | None = None) -> dict:
    return {"id": ident, "what": f"Opfølgning {ident}", "due": due, "done": done, "done_on": done_on}


def _history() -> dict:
    """Five held meetings of 2025 and one cancelled, with what the figures count:
    agendas 4 of 5 on time; minutes out 3 of 5 on time, approved 3 of 5 on time; org-a at 5 of 5,
    org-b at 2 of 5; actions due in 2025: 1 on time, 1 late, 1 overdue, 1 done on an unknown day."""
    here = [{"organisation": "org-a", "status": "present"}]
    return {
        "format": "secretary/1",
        "organisations": [{"id": "org-a", "name": "Kommune A", "kind": "municipality", "country": "DK"},
                          {"id": "org-b", "name": "Kommune B", "kind": "municipality", "country": "DK"}],
        "bodies": [{"id": "testnet", "name": "Testnetværket", "kind": "network", "language": "da",
                    "timezone": "Europe/Copenhagen", "cadence": {"kind": "per_year", "min": 4, "max": 5},
                    "deadlines": {"items_due_days": 14, "agenda_dispatch_days": 7, "minutes_due_days": 14, "comment_days": 7}}],
        "memberships": [{"id": "seat-a", "body": "testnet", "organisation": "org-a", "start": "2020-01-01"},
                        {"id": "seat-b", "body": "testnet", "organisation": "org-b", "start": "2020-01-01"}],
        "meetings": [
            _meeting("m1", "2025-02-10", dispatched_at="2025-02-01T09:00:00+01:00",
                     minutes={"status": "approved", "sent_on": "2025-02-20", "approved_on": "2025-02-28"},
                     attendance=[*here, {"organisation": "org-b", "status": "present"}],
                     items=[{"id": "i1", "title": "Sag", "decision": "Godkendt.", "outcome": "approved", "actions": [
                         _action("a1", "2025-03-01", True, "2025-02-25"), _action("a2", "2025-03-01", True, "2025-03-10"),
                         _action("a3", "2025-05-01"), _action("a4", "2025-06-01", True)]}]),
            _meeting("m2", "2025-04-07", dispatched_at="2025-03-30T09:00:00+02:00",
                     minutes={"status": "approved", "sent_on": "2025-04-25", "comment_deadline": "2025-05-02",
                              "approved_on": "2025-05-10"},
                     attendance=[*here, {"organisation": "org-b", "status": "apologies"}]),
            _meeting("m3", "2025-06-02", dispatched_at="2025-05-26T23:30:00+02:00",  # the deadline day itself, late evening
                     minutes={"status": "approved", "sent_on": "2025-06-10", "approved_on": "2025-06-20"},
                     attendance=[*here, {"organisation": "org-b", "status": "absent"}]),
            _meeting("m4", "2025-09-08", dispatched_at="2025-09-05T09:00:00+02:00", minutes={"status": "draft"},
                     attendance=[*here, {"organisation": "org-b", "status": "present"}]),
            _meeting("m5", "2025-11-03", dispatched_at="2025-10-20T09:00:00+01:00",
                     minutes={"status": "approved", "approved_on": "2025-11-03", "approval_mode": "at_once"},
                     attendance=here, items=[{"id": "i5", "title": "Sag", "actions": [_action("a5", "2026-02-01")]}]),
            _meeting("m6", "2025-12-01", status="cancelled", cancelled_reason="Aflyst"),
        ],
    }


@pytest.fixture
def sec(tmp_path):
    secretary = create_database(tmp_path / "db.json", Dataset(), clock=lambda: TODAY)
    secretary.data.import_bytes(orjson.dumps(_history()))
    return secretary


def test_computed_figures_have_the_known_answers(sec):
    figures = {(f.metric, f.of_organisation): f for f in sec.scorecard.computed("testnet", 2025)}
    held = figures[("meetings_held", None)]
    assert (held.value, held.target_range) == (5, (4, 5)) and held.meetings == ("m1", "m2", "m3", "m4", "m5")
    agendas = figures[("agendas_on_time", None)]
    assert (agendas.numerator, agendas.denominator, agendas.value) == (4, 5, 80)
    assert "m4: dispatched 2025-09-05, deadline 2025-09-01: late" in agendas.details
    assert "m3: dispatched 2025-05-26, deadline 2025-05-26: on time" in agendas.details
    assert "m6" not in agendas.meetings  # cancelled: not counted
    sent = figures[("minutes_sent_on_time", None)]
    assert (sent.numerator, sent.denominator, sent.value) == (3, 5, 60)
    approved = figures[("minutes_approved_on_time", None)]
    assert (approved.numerator, approved.denominator) == (3, 5)
    assert "m2: approved 2025-05-10, deadline 2025-05-02: late" in approved.details  # the comment deadline rules
    assert (figures[("attendance", "org-a")].value, figures[("attendance", "org-b")].value) == (100, 40)
    on_time = figures[("actions_on_time", None)]
    assert (on_time.numerator, on_time.denominator, on_time.value) == (1, 3, 33.3)
    assert any("a4: done, the day not recorded; not counted" in line for line in on_time.details)
    assert figures[("actions_overdue", None)].value == 1
    assert "deadline" in agendas.how and "7 days" in agendas.how


def test_facts_from_a_stored_document_equal_those_from_the_meeting(sec):
    body = sec.records.body("testnet")
    stored = {f.id: f for f in sec.scorecard.facts(body)}
    for meeting in sec.records.meetings("testnet"):
        assert MeetingFacts.of_meeting(meeting, body) == stored[meeting.id]


def test_body_scorecard_judges_against_the_cadence_and_a_stored_target(sec):
    sec.scorecard.set_value("testnet--agendas-on-time", 2025, target=90)
    card = sec.scorecard.body_scorecard("testnet", [2024, 2025])
    rows = {r.indicator.id: r for r in card.rows}
    assert rows["testnet--meetings-held"].judgement == "met" and rows["testnet--meetings-held"].target == "4–5"
    assert rows["testnet--agendas-on-time"].judgement == "missed"  # 80 % < 90 %
    assert rows["testnet--agendas-on-time"].cells[0].result is None  # 2024: no meeting
    assert rows["testnet--attendance--org-b"].indicator.title == "Fremmøde Kommune B"
    # The computed figures follow the data: with a 3-day dispatch rule m4's dispatch (3 days before)
    # is in time. (A held meeting's recorded dispatch cannot be moved: the meeting's life forbids it.)
    body = sec.records.body("testnet")
    sec.registry.edit_body("testnet", deadlines=body.deadlines.replace(agenda_dispatch_days=3).model_dump())
    assert next(f for f in sec.scorecard.computed("testnet", 2025) if f.metric == "agendas_on_time").value == 100


def test_completing_an_action_records_the_day(sec):
    action = sec.agenda.complete_action("m5", "i5", "a5")
    assert action.done and action.done_on == TODAY.date()
    assert sec.agenda.complete_action("m5", "i5", "a5", False).done_on is None


def test_indicators_round_trip_byte_identical_and_refuse_unknown_fields(tmp_path):
    first = create_database(tmp_path / "a.json", load_preset("ludvika"))
    exported = first.data.export_json()
    second = create_database(tmp_path / "b.json", parse_document(parse_bytes(exported)))
    assert second.data.export_json() == exported
    assert b'"indicators"' in exported
    document = orjson.loads(exported)
    document["indicators"][0]["values"][0]["colour"] = "red"
    with pytest.raises(InvalidData, match=r"indicator 'sv-atgardsplan-unga' value #1: field 'colour'"):
        parse_document(document)
    document = orjson.loads(exported)
    document["indicators"][0]["organisation"] = "nowhere"
    with pytest.raises(InvalidData, match="no organisation has this id"):
        second.data.import_bytes(orjson.dumps(document))


def test_rules_in_small():
    assert [format_number(v) for v in (4142, 33168, 28.2, 7.05, 93, 1234567.5)] == [
        "4 142", "33 168", "28,2", "7,05", "93", "1 234 567,5"]
    assert format_number(4142, "da") == "4.142"
    assert judge(93, 85, "higher") == "met" and judge(8.7, 7, "lower") == "missed" and judge(None, 5, "higher") is None
    assert judge(3, None, None, (4, 5)) == "missed" and judge(4, 100, "higher", None) == "missed"
    assert parse_years("2013-2017") == (2013, 2014, 2015, 2016, 2017) and parse_years("2015,2013") == (2013, 2015)
    with pytest.raises(ValueError, match="--years"):
        parse_years("later")
    values = parse_kolada({"values": [{"kpi": "N99901", "municipality": "0000", "period": "2016",
                                       "values": [{"gender": "T", "value": None, "status": "Missing", "count": 0}]}]})
    assert (values[0].year, values[0].value) == (2016, None)
    with pytest.raises(ValueError, match="1 totals|0 totals"):
        parse_kolada({"values": [{"kpi": "N99901", "municipality": "2084", "period": 2017,
                                  "values": [{"gender": "K", "value": 1, "status": "", "count": 1}]}]})
