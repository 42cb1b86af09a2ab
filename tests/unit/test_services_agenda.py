"""The meeting services: what each operation stores, re-read from a freshly opened database."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.domain.errors import InvalidField, MinutesLocked, SecretaryError
from secretary.services.facade import Secretary
from tests.conftest import NOW, reopen


def titles(sec: Secretary, meeting_id: str) -> list[tuple[str, str]]:
    return [(i.number, i.title) for i in reopen(sec).records.meeting(meeting_id).items]


def test_schedule_meeting_stores_standing_items_in_the_body_language(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    stored = reopen(sec).records.meeting(meeting.id)
    assert [i.kind for i in stored.items] == ["approve_agenda", "approve_minutes", "any_other_business"]
    assert stored.items[0].title == "Godkendelse af dagsorden"
    assert stored.items[-1].title == "Eventuelt"
    assert stored.start.isoformat() == "2026-12-10T09:00:00+01:00"
    assert stored.end - stored.start == dt.timedelta(minutes=180)  # the body's planning length
    assert stored.location.startswith("Viborg Rådhus")
    assert stored.uid


def test_schedule_meeting_twice_on_a_day_gets_a_second_id(sec):
    first = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    second = sec.agenda.schedule_meeting("dassos", "2026-12-10 13:00")
    assert first.id != second.id
    assert {first.id, second.id} <= set(reopen(sec).store.meetings.rows())


def test_schedule_meeting_rejects_a_bad_time(sec):
    with pytest.raises(SecretaryError, match="not a date and time"):
        sec.agenda.schedule_meeting("dassos", "10/12 kl 9")


def test_move_and_cancel_keep_the_meeting(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    sec.agenda.move_meeting(meeting.id, "2027-01-05 10:00")
    moved = reopen(sec).records.meeting(meeting.id)
    assert moved.start.isoformat() == "2027-01-05T10:00:00+01:00"
    assert moved.end - moved.start == dt.timedelta(minutes=180)
    assert moved.sequence == 1
    sec.agenda.cancel_meeting(meeting.id, "Formanden er syg")
    cancelled = reopen(sec).records.meeting(meeting.id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_reason == "Formanden er syg"


def test_add_item_goes_before_any_other_business_and_move_renumbers(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    a = sec.agenda.add_item(meeting.id, "Budget", kind="decision", case_number="27.00-1")
    b = sec.agenda.add_item(meeting.id, "Status", kind="information", public=False, closed_reason="Personsag")
    assert titles(sec, meeting.id) == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Godkendelse af referat fra sidste møde"),
        ("3", "Budget"),
        ("4", "Status"),
        ("5", "Eventuelt"),
    ]
    sec.agenda.move_item(meeting.id, b.id, 2)
    assert [t for _, t in titles(sec, meeting.id)][2:4] == ["Status", "Budget"]
    assert titles(sec, meeting.id)[2][0] == "3"
    stored = reopen(sec).records.meeting(meeting.id)
    assert stored.item(b.id).public is False and stored.item(b.id).closed_reason == "Personsag"
    assert stored.item(a.id).case_number == "27.00-1"


def test_edit_item_reports_the_field(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    item = sec.agenda.add_item(meeting.id, "Budget")
    with pytest.raises(InvalidField) as err:
        sec.agenda.edit_item(meeting.id, item.id, title="")
    assert err.value.field == "title"
    assert reopen(sec).records.meeting(meeting.id).item(item.id).title == "Budget"  # nothing half-saved
    sec.agenda.edit_item(meeting.id, item.id, title="Budget 2027", presenter="Sekretariatet")
    assert reopen(sec).records.meeting(meeting.id).item(item.id).presenter == "Sekretariatet"


def test_delete_item_and_undo(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    item = sec.agenda.add_item(meeting.id, "Budget")
    deleted = sec.agenda.delete_item(meeting.id, item.id)
    assert "Budget" not in [t for _, t in titles(sec, meeting.id)]
    sec.undo_delete(deleted)
    assert titles(sec, meeting.id)[2] == ("3", "Budget")


def test_carry_over_before_the_meeting_moves_the_item(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    item = sec.agenda.add_item(meeting.id, "Budget")
    target = sec.agenda.carry_over_item(meeting.id, item.id)
    assert target.id == "dassos-2027-01-14"
    assert "Budget" not in [t for _, t in titles(sec, meeting.id)]
    stored = reopen(sec).records.meeting(target.id)
    assert "Budget" in [i.title for i in stored.items]
    assert stored.items[-1].kind == "any_other_business"


def test_carry_over_after_the_meeting_keeps_it_as_postponed(sec):
    held = "dassos-2026-10-08"
    target = sec.agenda.carry_over_item(held, "dassos-2026-10-08-5")
    source = reopen(sec).records.meeting(held).item("dassos-2026-10-08-5")
    assert source.outcome == "postponed"
    copies = [i for i in reopen(sec).records.meeting(target.id).items if i.title == source.title]
    assert len(copies) == 1 and copies[0].decision is None and copies[0].actions == []


def test_carry_over_without_a_later_meeting_says_so(sec):
    with pytest.raises(SecretaryError, match="schedule one first"):
        sec.agenda.carry_over_item("takstgruppen-2027-02-10", sec.records.meeting("takstgruppen-2027-02-10").items[0].id)


def test_refer_item_records_the_referral_and_puts_it_on_the_next_agenda(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    item = sec.agenda.add_item(meeting.id, "Takster")
    receiving = sec.agenda.refer_item(meeting.id, item.id, "fu")
    stored = reopen(sec).records.meeting(meeting.id).item(item.id)
    assert stored.outcome == "referred" and stored.referred_to == "fu"
    assert receiving is not None and receiving.body == "fu"
    assert "Takster" in [i.title for i in reopen(sec).records.meeting(receiving.id).items]


def test_set_attendance_replaces_the_row(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    sec.agenda.set_attendance(meeting.id, "present", organisation="viborg")
    sec.agenda.set_attendance(meeting.id, "apologies", organisation="viborg")
    sec.agenda.set_attendance(meeting.id, "guest", organisation="kl")
    rows = reopen(sec).records.meeting(meeting.id).attendance
    assert [(r.organisation, r.status) for r in rows] == [("viborg", "apologies"), ("kl", "guest")]
    sec.agenda.set_attendance(meeting.id, None, organisation="kl")
    assert len(reopen(sec).records.meeting(meeting.id).attendance) == 1


def test_record_decision_starts_the_minutes_and_actions_are_stored(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    item = sec.agenda.add_item(meeting.id, "Budget")
    sec.agenda.record_decision(meeting.id, item.id, "Godkendt.", "approved")
    action = sec.agenda.add_action(meeting.id, item.id, "Send budget", owner="Sekretariatet", due="2026-12-20")
    stored = reopen(sec).records.meeting(meeting.id)
    assert stored.minutes.status == "draft"
    assert stored.item(item.id).decision == "Godkendt."
    assert stored.item(item.id).actions[0].due == dt.date(2026, 12, 20)
    sec.agenda.complete_action(meeting.id, item.id, action.id)
    assert reopen(sec).records.meeting(meeting.id).item(item.id).actions[0].done is True


def test_referred_outcome_needs_a_body(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    item = sec.agenda.add_item(meeting.id, "Budget")
    with pytest.raises(InvalidField) as err:
        sec.agenda.record_decision(meeting.id, item.id, "Henvist", "referred")
    assert err.value.field == "referred_to"


def test_approved_minutes_are_locked_and_amendments_recorded(sec):
    held = "dassos-2026-10-08"
    sec.agenda.send_minutes(held, on="2026-11-01")
    sec.agenda.approve_minutes(held, by=["henning-hansen"], on="2026-11-20")
    stored = reopen(sec).records.meeting(held)
    assert stored.minutes.status == "approved" and stored.minutes.approvers == ["henning-hansen"]
    assert stored.minutes.approved_on == dt.date(2026, 11, 20)
    for attempt in (
        lambda: sec.agenda.edit_item(held, "dassos-2026-10-08-3", title="x"),
        lambda: sec.agenda.add_item(held, "Ny"),
        lambda: sec.agenda.move_item(held, "dassos-2026-10-08-3", 0),
        lambda: sec.agenda.record_decision(held, "dassos-2026-10-08-3", "x", "noted"),
        lambda: sec.agenda.set_attendance(held, "absent", organisation="viborg"),
        lambda: sec.agenda.edit_meeting(held, title="x"),
        lambda: sec.agenda.delete_item(held, "dassos-2026-10-08-3"),
    ):
        with pytest.raises(MinutesLocked):
            attempt()
    sec.agenda.amend_minutes(held, "dassos-2026-10-08-5", by="Formanden", what="Stavefejl", decision="Taget til efterretning med tak.")
    stored = reopen(sec).records.meeting(held)
    assert stored.item("dassos-2026-10-08-5").decision == "Taget til efterretning med tak."
    assert stored.minutes.amendments[0].by == "Formanden"
    assert stored.minutes.amendments[0].on == NOW.date()
    assert "Stavefejl" in stored.minutes.amendments[0].what
    # Ticking off a follow-up is allowed after approval.
    sec.agenda.complete_action(held, "dassos-2026-10-08-6", "dassos-2026-10-08-6-a1")
    assert reopen(sec).records.meeting(held).item("dassos-2026-10-08-6").actions[0].done


def test_delete_meeting_and_undo(sec):
    meeting = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    deleted = sec.agenda.delete_meeting(meeting.id)
    assert meeting.id not in reopen(sec).store.meetings.rows()
    sec.undo_delete(deleted)
    assert reopen(sec).records.meeting(meeting.id).uid == meeting.uid
