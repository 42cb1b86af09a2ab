"""Every transition of the meeting's life: what it records (secretary/domain/life.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.domain import life
from secretary.domain.errors import LifeRefused, SecretaryError
from tests.unit.life_helpers import ACTOR, DA, STO, SV, at, drafted, held, meeting

DAY = dt.date(2027, 3, 4)


def test_dispatch_records_time_version_and_history_and_closes_the_agenda_deadlines():
    from secretary.domain.deadlines import deadlines

    m = meeting()
    assert [d.done for d in deadlines(m, DA)] == [False, False, False]
    sent = life.dispatch(m, DA, at=at("2027-02-25", 10), actor=ACTOR)
    assert sent.status == "invited" and sent.dispatched_at == at("2027-02-25", 10) and sent.agenda_version == 1
    assert [(e.action, e.actor, e.detail) for e in sent.history] == [("dispatch", ACTOR, "agenda version 1")]
    assert [d.done for d in deadlines(sent, DA)] == [True, True, False]
    assert life.stage(sent) == "invited"
    assert m.status == "planned", "pure: the input is unchanged"


def test_an_item_changed_after_dispatch_is_an_addendum_and_can_be_dispatched_again():
    sent = life.dispatch(meeting(), DA, at=at("2027-02-25"), actor=ACTOR)
    changed = sent.replace(items=[i.replace(title="Ny titel") if i.id.endswith("x0") else i for i in sent.items])
    marked = life.check_edit(sent, changed, at=at("2027-02-27"), actor=ACTOR)
    assert [i.id for i in marked.items if i.addendum] == [f"{sent.id}-x0"]
    assert marked.history[-1].action == "addendum" and "added or changed after dispatch" in marked.history[-1].detail
    again = life.dispatch(marked, DA, at=at("2027-02-28"), actor=ACTOR)
    assert again.agenda_version == 2 and "addendum: items 3" in again.history[-1].detail
    renumbered_only = marked.replace(items=[i.replace(number=str(int(i.number) + 10)) for i in marked.items])
    assert [i.addendum for i in life.check_edit(marked, renumbered_only, at=at("2027-02-28"), actor=ACTOR).items] == [
        i.addendum for i in marked.items]


def test_held_records_actual_times_chair_and_minute_taker():
    m = life.dispatch(meeting(), DA, at=at("2027-02-25"), actor=ACTOR)
    done = life.mark_held(m, DA, at=at(DAY, 13), actor=ACTOR, start=at(DAY, 9, 5), end=at(DAY, 12, 10),
                          chair="anna", minute_taker="eva")
    assert (done.status, done.actual_start, done.actual_end, done.chair, done.minute_taker) == (
        "held", at(DAY, 9, 5), at(DAY, 12, 10), "anna", "eva")
    assert done.history[-1].action == "held" and done.history[-1].detail == "2027-03-04 09:05–12:10"
    assert life.stage(done) == "held"


def test_draft_and_send_with_the_bodys_comment_days_close_minutes_due():
    from secretary.domain.deadlines import deadlines

    m = drafted()
    assert m.minutes.status == "draft" and life.stage(m) == "minutes_draft"
    sent = life.send_minutes(m, DA, at=at("2027-03-08", 10), actor=ACTOR)
    assert (sent.minutes.sent_on, sent.minutes.comment_deadline) == (dt.date(2027, 3, 8), dt.date(2027, 3, 15))
    assert [d.done for d in deadlines(sent, DA)] == [True, True, True]
    approval = deadlines(sent, DA, with_approval=True)[-1]
    assert (approval.kind, approval.due, approval.done) == ("approval", dt.date(2027, 3, 15), False)
    own = life.send_minutes(m, DA, at=at("2027-03-08", 10), actor=ACTOR, deadline=dt.date(2027, 3, 20))
    assert own.minutes.comment_deadline == dt.date(2027, 3, 20)
    commented = life.record_comment(sent, DA, person="bo", text="Punkt 3: rettelse", at=at("2027-03-10"), actor=ACTOR)
    assert [(c.person, c.on, c.text) for c in commented.minutes.comments] == [("bo", dt.date(2027, 3, 10), "Punkt 3: rettelse")]


def test_approve_by_named_members_and_at_once():
    m = life.send_minutes(drafted(), DA, at=at("2027-03-08"), actor=ACTOR)
    by = life.approve_minutes(m, DA, at=at("2027-03-16"), actor=ACTOR, by=["anna", "bo"])
    assert (by.minutes.status, by.minutes.approval_mode, by.minutes.approvers, by.minutes.approved_on) == (
        "approved", "members", ["anna", "bo"], dt.date(2027, 3, 16))
    assert life.stage(by) == "approved"
    from secretary.domain.deadlines import deadlines

    assert deadlines(by, DA, with_approval=True)[-1].done
    once = life.approve_minutes(drafted(), DA, at=at(DAY, 12, 40), actor=ACTOR, at_once=True)
    assert (once.minutes.approval_mode, once.minutes.approved_on) == ("at_once", DAY)


def test_approve_at_the_next_meeting_links_both_ways():
    m = life.send_minutes(drafted(), DA, at=at("2027-03-08"), actor=ACTOR)
    nxt = held(day="2027-04-08")
    approved, approving = life.approve_at_meeting(m, nxt, DA, at=at("2027-04-08", 13), actor=ACTOR)
    standing = next(i for i in approving.items if i.kind == "approve_minutes")
    assert approved.minutes.approval_mode == "next_meeting"
    assert (approved.minutes.approved_at_meeting, approved.minutes.approved_at_item) == (nxt.id, standing.id)
    assert approved.minutes.approved_on == dt.date(2027, 4, 8)
    assert standing.approves_minutes_of == m.id
    assert life.check_links({approved.id: approved, approving.id: approving}) == []
    assert life.check_links({approved.id: approved, nxt.id: nxt})  # the item must link back


def test_swedish_justering_freezes_paragraphs_then_anslag_with_three_weeks():
    earlier = held(SV, "2027-01-20")
    m = drafted(SV)
    done = life.justera(m, SV, at=at("2027-03-09", 15, tz=STO), actor=ACTOR, justerare=["dina", "gry"],
                        place="Stadshuset", year_meetings=[earlier, m])
    minutes = done.minutes
    assert (minutes.status, minutes.approval_mode, minutes.justerare, minutes.justering_place) == (
        "approved", "justering", ["dina", "gry"], "Stadshuset")
    assert minutes.justering_at == at("2027-03-09", 15, tz=STO) and minutes.approved_on == dt.date(2027, 3, 9)
    n = len(earlier.items)
    assert list(minutes.paragraphs.values()) == [f"§ {n + i + 1}" for i in range(len(m.items))]
    assert life.stage(done) == "justerat"
    posted = life.post_minutes(done, SV, at=at("2027-03-10", 8, tz=STO), actor=ACTOR)
    assert (posted.minutes.posted_on, posted.minutes.appeal_ends, posted.minutes.removal_on) == (
        dt.date(2027, 3, 10), dt.date(2027, 3, 31), dt.date(2027, 3, 31))
    later = life.post_minutes(done, SV, at=at("2027-03-10", tz=STO), actor=ACTOR, removal=dt.date(2027, 4, 2))
    assert later.minutes.removal_on == dt.date(2027, 4, 2)
    default_place = life.justera(m, SV, at=at("2027-03-09", 15, tz=STO), actor=ACTOR, justerare=["dina"])
    assert default_place.minutes.justering_place == SV.minutes_office
    once = life.justera(m, SV, at=at(DAY, 12, 30, tz=STO), actor=ACTOR, justerare=["dina"], at_once=True)
    assert once.minutes.justering_at == m.actual_end and "omedelbar justering" in once.history[-1].detail


def test_publish_agenda_from_dispatch_and_minutes_from_approval():
    sent = life.dispatch(meeting(), DA, at=at("2027-02-25"), actor=ACTOR)
    public = life.publish(sent, DA, what="agenda", at=at("2027-02-25", 11), actor=ACTOR)
    assert (public.published.agenda, public.published.agenda_version) == (dt.date(2027, 2, 25), 1)
    approved = life.approve_minutes(drafted(), DA, at=at(DAY, 13), actor=ACTOR, at_once=True)
    out = life.publish(approved, DA, what="minutes", at=at("2027-03-05"), actor=ACTOR)
    assert out.published.minutes == dt.date(2027, 3, 5) and life.stage(out) == "published"


def test_danish_draft_minutes_published_the_day_after_when_the_body_allows():
    body = DA.replace(publish_draft_minutes_next_day=True)
    m = drafted()
    with pytest.raises(LifeRefused, match=r"from the day after the meeting \(2027-03-05\)"):
        life.publish(m, body, what="minutes", at=at(DAY, 18), actor=ACTOR)
    out = life.publish(m, body, what="minutes", at=at("2027-03-05", 9), actor=ACTOR)
    assert out.published.draft_minutes == dt.date(2027, 3, 5) and out.published.minutes is None
    assert life.stage(out) == "minutes_draft"


def test_cancel_keeps_the_reason():
    for m in (meeting(), life.dispatch(meeting(), DA, at=at("2027-02-25"), actor=ACTOR)):
        gone = life.cancel(m, DA, reason="  Formanden er syg ", at=at("2027-03-01"), actor=ACTOR)
        assert (gone.status, gone.cancelled_reason, gone.history[-1].detail) == ("cancelled", "Formanden er syg", "Formanden er syg")
        assert life.next_steps(gone, DA) == []


def test_reopen_with_a_reason_goes_back_to_sent_and_keeps_frozen_paragraphs():
    m = drafted(SV)
    m = life.send_minutes(m, SV, at=at("2027-03-05", tz=STO), actor=ACTOR)
    done = life.post_minutes(life.justera(m, SV, at=at("2027-03-09", tz=STO), actor=ACTOR, justerare=["dina"]),
                             SV, at=at("2027-03-10", tz=STO), actor=ACTOR)
    back = life.reopen_minutes(done, SV, reason="Fel i § 4", at=at("2027-03-11", tz=STO), actor=ACTOR)
    assert back.minutes.status == "sent" and back.minutes.approved_on is None and back.minutes.posted_on is None
    assert back.minutes.paragraphs == done.minutes.paragraphs and back.minutes.justerare == ["dina"]
    assert (back.history[-1].action, back.history[-1].detail) == ("reopen", "Fel i § 4")
    again = life.justera(back, SV, at=at("2027-03-12", tz=STO), actor=ACTOR, justerare=["dina"])
    assert again.minutes.paragraphs == done.minutes.paragraphs


def test_amend_records_who_when_what_and_changes_the_item():
    approved = life.approve_minutes(drafted(), DA, at=at(DAY, 13), actor=ACTOR, at_once=True)
    item = approved.items[2]
    fixed = life.amend(approved, DA, item_id=item.id, what="Beslutningen rettet", at=at("2027-03-20"), actor="Anna",
                       decision="Godkendt med rettelse.")
    assert fixed.item(item.id).decision == "Godkendt med rettelse."
    note = fixed.minutes.amendments[-1]
    assert (note.on, note.by) == (dt.date(2027, 3, 20), "Anna") and "item 3 (decision): Beslutningen rettet" in note.what
    assert fixed.history[-1].action == "amend"


def test_next_steps_follow_the_life():
    steps = lambda m, body=DA: [s.action for s in life.next_steps(m, body)]  # noqa: E731
    assert steps(meeting()) == ["dispatch", "cancel"]
    sent = life.dispatch(meeting(), DA, at=at("2027-02-25"), actor=ACTOR)
    assert steps(sent) == ["mark_held", "publish_agenda", "cancel"]
    assert steps(held()) == ["draft_minutes"]
    assert steps(drafted()) == ["send_minutes", "approve_at_meeting", "approve_minutes"]
    assert steps(drafted(SV), SV) == ["send_minutes", "justera"]
    justerat = life.justera(drafted(SV), SV, at=at("2027-03-09", tz=STO), actor=ACTOR, justerare=["dina"])
    assert steps(justerat, SV) == ["post_minutes", "publish_minutes", "amend", "reopen_minutes"]


def test_life_refused_is_a_secretary_error_with_one_line():
    error = LifeRefused("dassos-2027-03-04", "a rule")
    assert isinstance(error, SecretaryError) and str(error) == "meeting 'dassos-2027-03-04': a rule"
