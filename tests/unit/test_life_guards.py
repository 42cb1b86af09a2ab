"""Every guard of the meeting's life refuses with one line naming the meeting and the rule."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.domain import life
from secretary.domain.errors import LifeRefused
from tests.unit.life_helpers import ACTOR, DA, STO, SV, at, drafted, held, meeting

DAY = dt.date(2027, 3, 4)
M = "meeting 'dassos-2027-03-04': "


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(LifeRefused) as caught:
        call(*args, **kwargs)
    text = str(caught.value)
    assert "\n" not in text
    return text


def test_no_approval_before_the_meeting_is_held():
    text = refused(life.approve_minutes, meeting(), DA, at=at("2027-01-10"), actor=ACTOR, by=["anna"])
    assert text == M + "the minutes cannot be approved before the meeting is held (status: planned)"
    invited = life.dispatch(meeting(), DA, at=at("2027-02-25"), actor=ACTOR)
    assert "(status: invited)" in refused(life.approve_minutes, invited, DA, at=at(DAY, 13), actor=ACTOR, at_once=True)
    sv = "meeting 'sun-2027-03-04': the minutes cannot be justerat before the meeting is held (status: planned)"
    assert refused(life.justera, meeting(SV), SV, at=at("2027-03-09", tz=STO), actor=ACTOR, justerare=["d"]) == sv


def test_no_approval_dated_before_the_meeting_or_in_the_future():
    m = drafted()
    text = refused(life.approve_minutes, m, DA, at=at("2027-03-10"), actor=ACTOR, by=["anna"], on=dt.date(2027, 3, 1))
    assert text == M + "the minutes cannot be approved on 2027-03-01, before the meeting (2027-03-04)"
    assert "a day still to come" in refused(life.approve_minutes, m, DA, at=at("2027-03-10"), actor=ACTOR,
                                            by=["anna"], on=dt.date(2027, 3, 12))
    assert "on the meeting's day" in refused(life.approve_minutes, m, DA, at=at("2027-03-10"), actor=ACTOR,
                                              at_once=True, on=dt.date(2027, 3, 9))


def test_no_approval_without_minutes_or_approvers_and_not_twice():
    assert "draft them first" in refused(life.approve_minutes, held(), DA, at=at(DAY, 13), actor=ACTOR, at_once=True)
    assert "need the members" in refused(life.approve_minutes, drafted(), DA, at=at(DAY, 13), actor=ACTOR)
    done = life.approve_minutes(drafted(), DA, at=at(DAY, 13), actor=ACTOR, at_once=True)
    assert "reopen them with a reason first" in refused(life.approve_minutes, done, DA, at=at(DAY, 14), actor=ACTOR,
                                                         at_once=True)
    assert "reopen them with a reason first" in refused(life.send_minutes, done, DA, at=at(DAY, 14), actor=ACTOR)


def test_approval_at_a_meeting_must_be_a_later_held_meeting_of_the_body_with_a_free_standing_item():
    m = drafted()
    other_body = held(DA.replace(id="fu"), day="2027-04-08")
    assert "same body" in refused(life.approve_at_meeting, m, other_body, DA, at=at("2027-04-09"), actor=ACTOR)
    earlier = held(day="2027-02-04")
    assert "later meeting" in refused(life.approve_at_meeting, m, earlier, DA, at=at("2027-04-09"), actor=ACTOR)
    nxt = meeting(day="2027-04-08")
    assert "has not yet taken place" in refused(life.approve_at_meeting, m, nxt, DA, at=at("2027-04-01"), actor=ACTOR)
    cancelled = life.cancel(nxt, DA, reason="Aflyst", at=at("2027-04-01"), actor=ACTOR)
    assert "is cancelled" in refused(life.approve_at_meeting, m, cancelled, DA, at=at("2027-04-09"), actor=ACTOR)
    bare = held(day="2027-04-08")
    bare = bare.replace(items=[i for i in bare.items if i.kind != "approve_minutes"])
    assert "no free standing item" in refused(life.approve_at_meeting, m, bare, DA, at=at("2027-04-09"), actor=ACTOR)
    assert "Swedish protokoll is justerat" in refused(life.approve_minutes, drafted(SV), SV, at=at(DAY, 13, tz=STO),
                                                      actor=ACTOR, at_once=True)


def test_no_justering_without_a_justerare_nor_with_three_nor_without_a_place():
    m = drafted(SV)
    when = at("2027-03-09", tz=STO)
    assert refused(life.justera, m, SV, at=when, actor=ACTOR, justerare=[]) == (
        "meeting 'sun-2027-03-04': the protokoll cannot be justerat without a justerare")
    assert "one or two justerare, not 3" in refused(life.justera, m, SV, at=when, actor=ACTOR, justerare=["a", "b", "c"])
    nowhere = m.replace(location="")
    assert "needs a place" in refused(life.justera, nowhere, SV.replace(minutes_office=""), at=when, actor=ACTOR,
                                      justerare=["a"])
    assert "Danish and English minutes are approved" in refused(life.justera, drafted(), DA, at=at("2027-03-09"),
                                                                actor=ACTOR, justerare=["a"])


def test_anslag_only_after_justering_and_not_taken_down_before_the_appeal_period_ends():
    m = drafted(SV)
    assert "before it is justerat" in refused(life.post_minutes, m, SV, at=at("2027-03-10", tz=STO), actor=ACTOR)
    done = life.justera(m, SV, at=at("2027-03-09", tz=STO), actor=ACTOR, justerare=["dina"])
    assert "before the appeal period ends (2027-03-31)" in refused(
        life.post_minutes, done, SV, at=at("2027-03-10", tz=STO), actor=ACTOR, removal=dt.date(2027, 3, 20))
    assert "before the justering" in refused(life.post_minutes, done, SV, at=at("2027-03-10", tz=STO), actor=ACTOR,
                                             on=dt.date(2027, 3, 8))
    posted = life.post_minutes(done, SV, at=at("2027-03-10", tz=STO), actor=ACTOR)
    assert "posted already" in refused(life.post_minutes, posted, SV, at=at("2027-03-11", tz=STO), actor=ACTOR)
    assert "Swedish protokoll only" in refused(life.post_minutes, drafted(), DA, at=at("2027-03-10"), actor=ACTOR)


def test_no_change_to_approved_minutes_except_a_recorded_amendment():
    done = life.approve_minutes(drafted(), DA, at=at(DAY, 13), actor=ACTOR, at_once=True)
    changed = done.replace(items=[i.replace(decision="Ændret") if n == 2 else i for n, i in enumerate(done.items)])
    assert "a change now must be made as a recorded amendment" in refused(life.check_edit, done, changed,
                                                                           at=at("2027-03-10"), actor=ACTOR)
    moved = done.replace(location="Et andet sted")
    assert "recorded amendment" in refused(life.check_edit, done, moved, at=at("2027-03-10"), actor=ACTOR)
    with_action = done.replace(items=[i.replace(actions=[{"id": "a1", "what": "Følg op"}]) if n == 2 else i
                                      for n, i in enumerate(done.items)])
    assert "recorded amendment" in refused(life.check_edit, done, with_action, at=at("2027-03-10"), actor=ACTOR)
    assert "edit them directly" in refused(life.amend, drafted(), DA, what="x", at=at("2027-03-10"), actor=ACTOR)
    assert "who makes it and what" in refused(life.amend, done, DA, what=" ", at=at("2027-03-10"), actor=ACTOR)
    assert "id or number" in refused(life.amend, done, DA, item_id=done.items[0].id, what="x", at=at("2027-03-10"),
                                     actor=ACTOR, number="9")


def test_ticking_off_a_follow_up_is_not_a_change_to_approved_minutes():
    m = drafted()
    m = m.replace(items=[i.replace(actions=[{"id": "a1", "what": "Følg op"}]) if n == 2 else i
                         for n, i in enumerate(m.items)])
    done = life.approve_minutes(m, DA, at=at(DAY, 13), actor=ACTOR, at_once=True)
    ticked = done.replace(items=[i.replace(actions=[a.replace(done=True) for a in i.actions]) for i in done.items])
    assert life.check_edit(done, ticked, at=at("2027-03-10"), actor=ACTOR) == ticked


def test_generic_edits_cannot_walk_the_life_or_touch_frozen_paragraphs():
    m = meeting()
    assert "status changes only through the meeting's life" in refused(
        life.check_edit, m, m.replace(status="held"), at=at("2027-03-01"), actor=ACTOR)
    assert "minutes change only through their life" in refused(
        life.check_edit, m, m.replace(minutes={"status": "approved", "approved_on": "2027-03-04"}),
        at=at("2027-03-01"), actor=ACTOR)
    assert life.check_edit(m, m.replace(minutes={"status": "draft"}), at=at("2027-03-01"), actor=ACTOR).minutes.status == "draft"
    done = life.justera(drafted(SV), SV, at=at("2027-03-09", tz=STO), actor=ACTOR, justerare=["dina"])
    back = life.reopen_minutes(done, SV, reason="Rättelse", at=at("2027-03-10", tz=STO), actor=ACTOR)
    renumbered = back.replace(minutes=back.minutes.replace(paragraphs={k: "§ 1" for k in list(back.minutes.paragraphs)[:1]}))
    assert "minutes change only through their life" in refused(life.check_edit, back, renumbered,
                                                               at=at("2027-03-11", tz=STO), actor=ACTOR)


def test_no_deletion_of_a_dispatched_or_held_meeting():
    life.check_delete(meeting())
    sent = life.dispatch(meeting(), DA, at=at("2027-02-25"), actor=ACTOR)
    for m in (sent, held(), life.cancel(sent, DA, reason="Aflyst", at=at("2027-03-01"), actor=ACTOR)):
        assert "cannot be deleted; cancel it instead" in refused(life.check_delete, m)


def test_reopening_needs_approved_minutes_and_a_reason():
    assert "only approved minutes" in refused(life.reopen_minutes, drafted(), DA, reason="x", at=at("2027-03-10"),
                                              actor=ACTOR)
    done = life.approve_minutes(drafted(), DA, at=at(DAY, 13), actor=ACTOR, at_once=True)
    assert refused(life.reopen_minutes, done, DA, reason="  ", at=at("2027-03-10"), actor=ACTOR) == (
        M + "reopening approved minutes needs a reason")


def test_dispatch_held_cancel_send_and_publish_in_the_wrong_state():
    m = meeting()
    assert "after the meeting's start (2027-03-04 09:00)" in refused(life.dispatch, m, DA, at=at(DAY, 10), actor=ACTOR)
    sent = life.dispatch(m, DA, at=at("2027-02-25"), actor=ACTOR)
    assert "nothing was added or changed since" in refused(life.dispatch, sent, DA, at=at("2027-02-26"), actor=ACTOR)
    assert "only after its agenda is dispatched (status: planned)" in refused(life.mark_held, m, DA, at=at(DAY, 13),
                                                                              actor=ACTOR)
    assert "only from its start (2027-03-04 09:00)" in refused(life.mark_held, sent, DA, at=at(DAY, 8), actor=ACTOR)
    assert "cannot end" in refused(life.mark_held, sent, DA, at=at(DAY, 13), actor=ACTOR, start=at(DAY, 11),
                                   end=at(DAY, 10))
    h = held()
    assert "only a planned or invited meeting can be cancelled (status: held)" in refused(
        life.cancel, h, DA, reason="x", at=at(DAY, 14), actor=ACTOR)
    assert "needs a reason" in refused(life.cancel, m, DA, reason="", at=at("2027-03-01"), actor=ACTOR)
    assert "only before the meeting (status: held)" in refused(life.dispatch, h, DA, at=at(DAY, 8), actor=ACTOR)
    assert "before the meeting is held (status: invited)" in refused(life.draft_minutes, sent, DA, at=at(DAY, 8),
                                                                     actor=ACTOR)
    assert "only draft minutes" in refused(life.send_minutes, h, DA, at=at(DAY, 14), actor=ACTOR)
    assert "drafted already" in refused(life.draft_minutes, drafted(), DA, at=at(DAY, 15), actor=ACTOR)
    assert "sent before the meeting" in refused(life.send_minutes, drafted(), DA, at=at(DAY, 15), actor=ACTOR,
                                                on=dt.date(2027, 3, 1))
    assert "before it is dispatched" in refused(life.publish, m, DA, what="agenda", at=at("2027-02-20"), actor=ACTOR)
    public = life.publish(sent, DA, what="agenda", at=at("2027-02-25"), actor=ACTOR)
    assert "published already" in refused(life.publish, public, DA, what="agenda", at=at("2027-02-26"), actor=ACTOR)
    assert "before they are approved (minutes: draft)" in refused(life.publish, drafted(), DA, what="minutes",
                                                                  at=at("2027-03-06"), actor=ACTOR)
    assert "before they are justerat" in refused(life.publish, drafted(SV), SV, what="minutes",
                                                 at=at("2027-03-06", tz=STO), actor=ACTOR)
    assert "comments are recorded on minutes sent" in refused(life.record_comment, drafted(), DA, person="bo",
                                                              at=at("2027-03-06"), actor=ACTOR)
    naive = dt.datetime(2027, 2, 25, 9)
    assert "needs a time zone" in refused(life.dispatch, m, DA, at=naive, actor=ACTOR)
