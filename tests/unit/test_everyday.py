"""Everyday outputs and undo: a meeting prepared from the last one, who has not answered,
an edit put back (and refused when changed again since), the Actions filters."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.cli.bootstrap import create_database
from secretary.domain.errors import StaleEdit
from secretary.domain.presets import load_preset

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def sec(tmp_path):
    return create_database(tmp_path / "db.json", load_preset("midtjylland"), clock=lambda: NOW)


def test_a_meeting_from_the_last_one_carries_undecided_items_and_open_actions(sec):
    last = max((m for m in sec.records.meetings(body="dassos") if m.start.date() < dt.date(2026, 11, 23)), key=lambda m: m.start)
    undecided = [i.title for i in last.items if i.outcome in (None, "postponed") and i.kind not in
                 ("approve_agenda", "approve_minutes", "any_other_business")]
    open_elsewhere = [a.what for i in last.items if i.outcome not in (None, "postponed") for a in i.actions if not a.done]
    new = sec.agenda.schedule_from_last("dassos", "2026-12-10 10:00")  # the last one before it: 2026-10-08
    titles = [i.title for i in new.items]
    assert titles[0] == "Godkendelse af dagsorden" and titles[-1] == "Eventuelt"  # standing items, in the body's language
    for title in undecided:
        assert title in titles
    if open_elsewhere:
        follow = next(i for i in new.items if i.title == "Opfølgning på aktioner fra sidste møde")
        assert [a.what for a in follow.actions] == open_elsewhere
    assert undecided or open_elsewhere, "the demo's last DASSOS meeting leaves something to carry"
    assert [i.number for i in new.items] == [str(n) for n in range(1, len(new.items) + 1)]


def test_who_has_not_answered_lists_the_seats_without_attendance(sec):
    row = sec.overview.next_meeting("dassos", dt.date(2026, 11, 23))
    assert row is not None
    meeting = sec.records.meeting(row.id)
    seats = [s for s in sec.records.memberships(body="dassos") if s.active_on(meeting.start.date())]
    before = sec.overview.not_answered(row.id)
    assert len(before) == len(seats) - len({(a.person, a.organisation) for a in meeting.attendance})
    first = before[0]
    sec.agenda.set_attendance(row.id, "apologies", person=first.person, organisation=first.organisation)
    after = sec.overview.not_answered(row.id)
    assert first not in after and len(after) == len(before) - 1


def test_an_edit_is_put_back_and_a_later_change_is_never_written_over(sec):
    body = sec.records.body("dassos")
    edited = sec.registry.edit_body("dassos", name="Nyt navn")
    sec.registry.put_back(body, edited)
    assert sec.records.body("dassos") == body
    edited = sec.registry.edit_body("dassos", name="Nyt navn")
    sec.registry.edit_body("dassos", name="Et andet navn")  # changed again, elsewhere
    with pytest.raises(StaleEdit):
        sec.registry.put_back(body, edited)
    assert sec.records.body("dassos").name == "Et andet navn"


def test_actions_by_state_body_and_owner(sec):
    today = dt.date(2026, 11, 23)
    every = sec.overview.actions(today)
    assert every == sec.overview.open_actions(today)
    assert all(a.overdue(today) for a in sec.overview.actions(today, state="overdue"))
    first = every[0]
    sec.agenda.complete_action(first.meeting.id, first.item.id, first.action.id, True)
    done = sec.overview.actions(today, state="done")
    assert first.action.id in {a.action.id for a in done} and all(a.action.done for a in done)
    owner = first.action.owner[:5].upper()
    assert all(owner.casefold() in a.action.owner.casefold() for a in sec.overview.actions(today, owner=owner, state="done"))
