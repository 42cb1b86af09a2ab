"""The overview questions, with a frozen 'today'."""

from __future__ import annotations

from tests.conftest import NOW

TODAY = NOW.date()


def test_upcoming_meetings_are_in_order_from_today(sec):
    upcoming = sec.overview.upcoming_meetings(TODAY)
    assert [m.id for m in upcoming][:2] == ["fu-2026-12-02", "dassos-2027-01-14"]
    assert all(m.start.date() >= TODAY for m in upcoming)


def test_deadlines_this_week_and_overdue(sec):
    sec.agenda.schedule_meeting("dassos", "2026-12-03 09:00")  # items due 19 Nov (overdue), dispatch 26 Nov
    found = {(d.meeting.id, d.kind): d for d in sec.overview.deadlines_due(TODAY)}
    assert found[("dassos-2026-12-03", "items_due")].overdue(TODAY)
    assert not found[("dassos-2026-12-03", "agenda_dispatch")].overdue(TODAY)
    # The held DASSOS meeting's minutes (due 22 Oct) are drafted, not sent: overdue.
    assert found[("dassos-2026-10-08", "minutes_due")].overdue(TODAY)
    # The FU meeting on 2 Dec is invited: its agenda deadlines are met.
    assert ("fu-2026-12-02", "agenda_dispatch") not in found
    sec.agenda.send_minutes("dassos-2026-10-08")
    assert ("dassos-2026-10-08", "minutes_due") not in {(d.meeting.id, d.kind) for d in sec.overview.deadlines_due(TODAY)}


def test_open_actions_overdue_first(sec):
    actions = sec.overview.open_actions(TODAY)
    assert [a.action.id for a in actions][:2] == ["dassos-2026-10-08-6-a1", "dassos-2026-10-08-3-a1"]
    assert actions[0].overdue(TODAY) and not actions[1].overdue(TODAY)
    assert [a.action.id for a in sec.overview.overdue_actions(TODAY)] == ["dassos-2026-10-08-6-a1"]


def test_overdue_actions_are_the_overdue_open_actions_in_their_order(sec):
    """overdue_actions makes only the overdue ones: the same list as filtering open_actions, on
    days where none, some and all of the demo's dated actions are overdue."""
    import datetime as dt

    dated = sorted({a.action.due for a in sec.overview.open_actions(TODAY) if a.action.due is not None})
    assert len(dated) >= 2, "the demo has dated open actions"
    for day in (dated[0], dated[0] + dt.timedelta(days=1), dated[-1], dated[-1] + dt.timedelta(days=1), TODAY):
        expected = [a for a in sec.overview.open_actions(day) if a.overdue(day)]
        assert sec.overview.overdue_actions(day) == expected, day
        for count in (0, 1, 2, 50):
            assert sec.overview.overdue_actions_first(day, count) == (expected[:count], len(expected)), (day, count)
    assert sec.overview.overdue_actions(dated[-1] + dt.timedelta(days=1))  # all of them overdue: not empty


def test_minutes_awaiting_approval(sec):
    assert [m.id for m in sec.overview.minutes_awaiting_approval(TODAY)] == ["dassos-2026-10-08"]
    sec.agenda.approve_minutes("dassos-2026-10-08", by=["henning-hansen"])
    assert sec.overview.minutes_awaiting_approval(TODAY) == []


def test_cadence_count_ignores_cancelled(sec):
    count, target = sec.overview.cadence_count("dassos", 2026)
    assert target == (4, 5)
    m = sec.agenda.schedule_meeting("dassos", "2026-12-10 09:00")
    assert sec.overview.cadence_count("dassos", 2026)[0] == count + 1
    sec.agenda.cancel_meeting(m.id, "Ingen sager")
    assert sec.overview.cadence_count("dassos", 2026)[0] == count


def test_deadlines_due_reads_past_meetings_with_unapproved_minutes_only_and_answers_the_same(sec):
    """deadlines_due skips past meetings whose minutes are approved: the answer is the one
    every meeting of the window gives (the rule applied to each row), on days before, among and
    after the demo's meetings, with a past meeting's minutes drafted, then sent."""
    import datetime as dt

    from secretary.domain.deadlines import deadlines

    def every_row(today):
        horizon = today + dt.timedelta(days=7)
        bodies = sec.store.bodies.all()
        found = []
        for row in sec.store.meetings.rows_where(today - dt.timedelta(days=400), horizon + dt.timedelta(days=130)):
            if row.status == "cancelled" or row.body not in bodies:
                continue
            for line in deadlines(row, bodies[row.body], with_approval=True):
                if line.done or line.due > horizon:
                    continue
                if line.kind in ("items_due", "agenda_dispatch") and row.start.date() < today:
                    continue
                found.append(line)
        return sorted(found, key=lambda d: (d.due, d.meeting.start, d.kind))

    sec.agenda.schedule_meeting("dassos", "2026-12-03 09:00")
    starts = sorted(r.start.date() for r in sec.store.meetings.rows().values())
    days = [starts[0] - dt.timedelta(days=30), TODAY, TODAY + dt.timedelta(days=40), starts[-1] + dt.timedelta(days=10)]
    days += [d + dt.timedelta(days=k) for d in starts[:: max(1, len(starts) // 6)] for k in (0, 1, 15)]
    kinds = set()
    for step in ("as found", "minutes sent"):
        if step == "minutes sent":
            sec.agenda.send_minutes("dassos-2026-10-08")  # drafted -> sent: its approval is now the open deadline
        for day in days:
            answer = sec.overview.deadlines_due(day)
            assert [(d.meeting.id, d.kind, d.due) for d in answer] == [(d.meeting.id, d.kind, d.due) for d in every_row(day)], (step, day)
            kinds |= {(step, d.kind) for d in answer if d.meeting.start.date() < day}
    assert ("as found", "minutes_due") in kinds and ("minutes sent", "approval") in kinds, kinds
