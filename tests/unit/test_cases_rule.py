"""The rule for capacity adjustments at its edges, the route in words, a hearing's outcome by the rule."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.domain import cases as rules
from secretary.domain.errors import CaseRefused, InvalidData, SecretaryError
from secretary.domain.interchange import parse_document
from secretary.domain.model import Case, HearingResponse
from secretary.domain.presets import load_preset

PRESET = load_preset("midtjylland")
DASSOS = PRESET.bodies["dassos"]
BODIES = PRESET.bodies
MEMBERS = ["horsens", "odder", "aarhus", "region-midtjylland"]


def case(before: int, after: int, *, closure: bool = False, dated: str = "2027-02-20", **fields) -> Case:
    return Case.model_validate({
        "id": "c", "body": "dassos", "offer": "Bostedet", "operator": "horsens", "places_before": before,
        "places_after": after, "closure": closure, "dated": dated, **fields,
    }, strict=False)


@pytest.mark.parametrize(("before", "after", "route"), [
    (40, 30, "none"),       # −10: at the threshold, no approval
    (40, 29, "approval"),   # −11: over it
    (30, 40, "none"),       # +10
    (30, 41, "approval"),   # +11
    (30, 31, "none"),       # +1
])
def test_the_threshold_is_more_than_ten_places_either_way(before, after, route):
    assert rules.routing(case(before, after), DASSOS, BODIES).route == route


def test_closing_a_three_place_offer_needs_approval_whatever_its_size():
    routed = rules.routing(case(3, 0, closure=True), DASSOS, BODIES)
    assert routed.route == "approval"
    assert routed.reason == ("closure of the whole offer (3 places), whatever its size: "
                             "approval needed at DASSOS/FU or by e-mail hearing (14 days)")
    # Without the closure flag the same three places are a small change.
    assert rules.routing(case(3, 0), DASSOS, BODIES).route == "none"


def test_a_case_dated_before_1_march_2017_follows_the_older_rule():
    small = case(30, 32, dated="2017-02-28")
    routed = rules.routing(small, DASSOS, BODIES)
    assert routed.route == "approval" and routed.rule.valid_from is None and routed.rule.threshold == 0
    assert routed.reason.startswith("dated 2017-02-28, before the rule of 2017-03-01: every change needs approval (2 places)")
    on_the_day = rules.routing(case(30, 32, dated="2017-03-01"), DASSOS, BODIES)
    assert on_the_day.route == "none" and on_the_day.rule.valid_from == dt.date(2017, 3, 1)


def test_the_route_is_explained_in_words():
    assert rules.routing(case(40, 28), DASSOS, BODIES).reason == \
        "12 places > 10: approval needed at DASSOS/FU or by e-mail hearing (14 days)"
    assert rules.routing(case(40, 39), DASSOS, BODIES).reason == (
        "1 place ≤ 10: no prior approval needed; the operator contacts the affected municipalities before the change")
    assert rules.change_text(case(40, 28)) == "40 → 28 places (−12)"


def test_the_reason_is_in_the_documents_language_whatever_the_interface_speaks():
    from secretary import i18n

    try:
        i18n.set_language("sv")
        assert rules.routing(case(40, 28), DASSOS, BODIES, "da").reason == \
            "12 pladser > 10: godkendelse i DASSOS/FU eller ved mailhøring (14 dage)"
        assert rules.routing(case(40, 39), DASSOS, BODIES).reason.startswith("1 plats ≤ 10: inget föregående godkännande")
        assert rules.change_text(case(40, 28)) == "40 → 28 platser (−12)"
        held = hearing(responses=[answer("odder", "object")])
        result = rules.hearing_result(held, rules.rule_for(DASSOS, held.dated), MEMBERS, dt.date(2027, 3, 20), "da")
        assert result.reason == "indsigelse fra odder: sagen går til næste møde som et punkt"
    finally:
        i18n.set_language("en")


def test_the_rule_is_the_bodys_data_and_its_parameters_count():
    stricter = DASSOS.replace(case_rules=[
        {**r.model_dump(), "threshold": 5, "hearing_days": 21} if r.valid_from else r.model_dump() for r in DASSOS.case_rules
    ])
    routed = rules.routing(case(40, 34), stricter, BODIES)
    assert routed.reason == "6 places > 5: approval needed at DASSOS/FU or by e-mail hearing (21 days)"
    assert rules.hearing_deadline(dt.date(2027, 3, 4), routed.rule) == dt.date(2027, 3, 25)
    bare = DASSOS.replace(case_rules=[])
    with pytest.raises(SecretaryError, match="no rule for capacity adjustments"):
        rules.routing(case(40, 28), bare, BODIES)


def test_the_source_of_the_2017_rule_is_the_seed():
    rule = rules.rule_for(DASSOS, dt.date(2027, 1, 1))
    assert "bagatelgrænse ved kapacitetsjusteringer på mere end plus/minus 10 pladser" in rule.source
    assert "via mail med 14 dages høringsfrist" in rule.source


def hearing(**fields) -> Case:
    return case(40, 28, route="hearing", status="hearing", hearing_sent="2027-03-04", hearing_deadline="2027-03-18", **fields)


def answer(org: str, what: str, day: str = "2027-03-10") -> dict:
    return HearingResponse(organisation=org, answer=what, on=dt.date.fromisoformat(day)).model_dump()  # type: ignore[arg-type]


RULE = rules.rule_for(DASSOS, dt.date(2027, 3, 4))


def test_a_hearing_stays_open_until_its_deadline_has_passed():
    result = rules.hearing_result(hearing(responses=[answer("odder", "object")]), RULE, MEMBERS, dt.date(2027, 3, 18))
    assert result.state == "open" and result.reason == "hearing open until 2027-03-18: 1 of 4 answered"


def test_after_the_deadline_silence_is_consent():
    result = rules.hearing_result(hearing(responses=[answer("odder", "approve")]), RULE, MEMBERS, dt.date(2027, 3, 19))
    assert result.state == "approved"
    assert result.silent == ("horsens", "aarhus", "region-midtjylland")
    assert result.reason == "approved by e-mail hearing (deadline 2027-03-18); 3 did not answer (silence is consent)"


def test_after_the_deadline_every_approval_approves():
    responses = [answer(o, "approve" if o != "aarhus" else "none") for o in MEMBERS]
    result = rules.hearing_result(hearing(responses=responses), RULE, MEMBERS, dt.date(2027, 3, 19))
    assert result.state == "approved" and result.silent == ()


def test_an_objection_sends_the_case_to_the_next_meeting():
    responses = [answer("odder", "object"), answer("aarhus", "approve")]
    result = rules.hearing_result(hearing(responses=responses), RULE, MEMBERS, dt.date(2027, 3, 19))
    assert result.state == "to_meeting" and [r.organisation for r in result.objections] == ["odder"]
    assert result.reason == "objection from odder: the case goes to the next meeting as an item"


def test_when_the_rule_says_silence_is_not_consent_silence_goes_to_a_meeting():
    strict = RULE.replace(silence_is_consent=False)
    result = rules.hearing_result(hearing(responses=[answer("odder", "approve")]), strict, MEMBERS, dt.date(2027, 3, 19))
    assert result.state == "to_meeting" and "does not count silence as consent" in result.reason
    everyone = [answer(o, "approve") for o in MEMBERS]
    assert rules.hearing_result(hearing(responses=everyone), strict, MEMBERS, dt.date(2027, 3, 19)).state == "approved"


def test_no_hearing_no_result():
    with pytest.raises(CaseRefused):
        rules.hearing_result(case(40, 28), RULE, MEMBERS, dt.date(2027, 3, 19))


@pytest.mark.parametrize(("fields", "message"), [
    ({"closure": True, "places_after": 2}, "a closure of the whole offer leaves 0 places"),
    ({"places_after": 40}, "equals places_before 40: no change"),
    ({"responses": [answer("odder", "approve"), answer("odder", "object")]}, "two answers from one organisation"),
    ({"status": "closed"}, "needs its outcome"),
])
def test_secretary_1_refuses_an_inconsistent_case_naming_it(fields, message):
    raw = {"id": "c1", "body": "dassos", "offer": "Bostedet", "operator": "horsens", "places_before": 40, "places_after": 28,
           "dated": "2027-02-20", **fields}
    with pytest.raises(InvalidData) as caught:
        parse_document({"format": "secretary/1", "cases": [raw]})
    assert "case 'c1'" in str(caught.value) and message in str(caught.value)


def test_secretary_1_names_a_bad_response_field():
    raw = {"id": "c1", "body": "dassos", "offer": "B", "operator": "horsens", "places_before": 40, "places_after": 28,
           "dated": "2027-02-20", "responses": [{"organisation": "odder", "answer": "maybe", "on": "2027-03-05"}]}
    with pytest.raises(InvalidData) as caught:
        parse_document({"format": "secretary/1", "cases": [raw]})
    assert str(caught.value).startswith("case 'c1' response #1: field 'answer': value 'maybe'")
