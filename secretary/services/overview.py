"""What needs doing now: the questions the start screen and the lists ask.

Every query takes `today` so that screens (and their snapshot tests) can freeze
the date, and is answered from the meeting index rows: no meeting is loaded.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from secretary.domain.deadlines import Deadline, deadlines
from secretary.domain.model import Membership
from secretary.domain.rows import ActionRow, ItemRef, MeetingRow
from secretary.services.ports import Store
from secretary.services.records import Records

__all__ = ["Deadline", "MeetingRow", "OpenAction", "OverviewQueries"]


@dataclass(frozen=True)
class OpenAction:
    """An action not done, with the meeting and item it came from (read from the index)."""

    meeting: MeetingRow
    item: ItemRef
    action: ActionRow

    def overdue(self, today: dt.date) -> bool:
        return not self.action.done and self.action.due is not None and self.action.due < today


class OverviewQueries:
    """Read-only questions across bodies."""

    def __init__(self, store: Store, records: Records):
        self.store = store
        self.records = records

    def _rows(self, keep: Callable[[MeetingRow], bool]) -> list[MeetingRow]:
        return [row for row in self.store.meetings.rows().values() if keep(row)]

    def upcoming_meetings(self, today: dt.date, limit: int = 10) -> list[MeetingRow]:
        """The next meetings across all bodies (cancelled ones too: they are news)."""
        rows = self.store.meetings.rows_where(first_day=today)
        return sorted(rows, key=lambda r: (r.start, r.id))[:limit]

    def deadlines_due(self, today: dt.date, days: int = 7) -> list[Deadline]:
        """Unmet deadlines that are overdue or fall within the next `days` days, most urgent first."""
        horizon = today + dt.timedelta(days=days)
        bodies = self.store.bodies.all()
        # A meeting's deadlines lie within 120 days of its start (model limits), so only
        # meetings near today are looked at.
        low = today - dt.timedelta(days=400)
        high = horizon + dt.timedelta(days=130)
        # Of the past meetings, only those whose minutes are not approved can have a deadline
        # open: approved minutes close the minutes' two deadlines, and a past meeting's agenda
        # deadlines are not shown. Twenty years are mostly approved: they are never made into rows.
        past = self.store.meetings.rows_where(low, today - dt.timedelta(days=1), minutes=frozenset(("none", "draft", "sent")))
        found = []
        for row in (r for r in (*past, *self.store.meetings.rows_where(today, high)) if r.status != "cancelled"):
            body = bodies.get(row.body)
            if body is None:
                continue
            # The shared rules (secretary/domain/deadlines.py); each closes with a step of the life.
            for line in deadlines(row, body, with_approval=True):
                if line.done or line.due > horizon:
                    continue
                if line.kind in ("items_due", "agenda_dispatch") and row.start.date() < today:
                    continue  # the meeting is past: its agenda deadlines no longer matter
                found.append(line)
        return sorted(found, key=lambda d: (d.due, d.meeting.start, d.kind))

    def open_actions(self, today: dt.date, body: str | None = None) -> list[OpenAction]:
        """Actions not done, across bodies: overdue first, then by due date (undated last)."""
        found = [
            OpenAction(row, item, action)
            for row in self.store.meetings.rows_where(open_actions=True)
            if body is None or row.body == body
            for item, action in row.open_actions
        ]
        far = dt.date.max
        return sorted(found, key=lambda a: (not a.overdue(today), a.action.due or far, a.meeting.start, a.action.id))

    def actions(
        self, today: dt.date, body: str | None = None, owner: str | None = None, state: str = "open"
    ) -> list[OpenAction]:
        """Actions filtered for the Actions list: `state` "open", "overdue" or "done"; `owner`
        matches a part of the owner's name (case-insensitive). Done ones are read from the
        meetings themselves (the index keeps only open actions), newest first."""
        wanted = (owner or "").strip().casefold()
        if state == "done":
            found = []
            rows = {r.id: r for r in self._rows(lambda r: body is None or r.body == body)}
            for meeting in self.records.meetings(body=body):
                row = rows.get(meeting.id)
                if row is None:
                    continue
                for item in meeting.items:
                    for action in item.actions:
                        if action.done:
                            found.append(
                                OpenAction(
                                    row, ItemRef(item.id, item.number), ActionRow(action.id, action.what, action.owner, action.due, True)
                                )
                            )
            chosen = sorted(found, key=lambda a: (a.meeting.start, a.action.id), reverse=True)
        else:
            chosen = self.open_actions(today, body=body)
            if state == "overdue":
                chosen = [a for a in chosen if a.overdue(today)]
        return [a for a in chosen if not wanted or wanted in a.action.owner.casefold()]

    def not_answered(self, meeting_id: str) -> list[Membership]:
        """The seats of a meeting's body on its day with no attendance recorded yet: whom to
        remind before the meeting ("who has not answered")."""
        meeting = self.records.meeting(meeting_id)
        day = meeting.start.date()
        answered = {(r.person, r.organisation) for r in meeting.attendance}
        answered_people = {r.person for r in meeting.attendance if r.person}
        seats = [s for s in self.records.memberships(body=meeting.body) if s.active_on(day)]
        return [s for s in seats if (s.person, s.organisation) not in answered and not (s.person and s.person in answered_people)]

    def next_meeting(self, body: str, today: dt.date) -> MeetingRow | None:
        """The body's next meeting from today on that is not cancelled."""
        rows = [r for r in self.meeting_rows(body=body) if r.start.date() >= today and r.status != "cancelled"]
        return rows[0] if rows else None

    def overdue_actions(self, today: dt.date) -> list[OpenAction]:
        """`open_actions` that are overdue, in its order; the others are never made (twenty
        years keep thousands of open actions, the start screen shows the overdue)."""
        found, _count = self.overdue_actions_first(today, None)
        return found

    def overdue_actions_first(self, today: dt.date, count: int | None) -> tuple[list[OpenAction], int]:
        """The first `count` (None: all) of `overdue_actions` and how many there are: the start
        screen shows six of the thousands twenty years of a large secretariat can hold."""
        due = [
            (action.due, row.start, action.id, row, item, action)
            for row in self.store.meetings.rows_where(open_actions=True)
            for item, action in row.open_actions
            if not action.done and action.due is not None and action.due < today
        ]
        order = itemgetter(0, 1, 2)
        chosen = sorted(due, key=order) if count is None else heapq.nsmallest(count, due, key=order)
        return [OpenAction(row, item, action) for _due, _start, _id, row, item, action in chosen], len(due)

    def minutes_awaiting_approval(self, today: dt.date) -> list[MeetingRow]:
        """Held meetings whose minutes are drafted or sent but not approved."""
        pending = self.store.meetings.rows_where(last_day=today, minutes=frozenset(("draft", "sent")))
        rows = [r for r in pending if r.status != "cancelled"]
        return sorted(rows, key=lambda m: (m.start, m.id))

    def memberships_ending(self, today: dt.date, days: int = 60) -> list[Membership]:
        horizon = today + dt.timedelta(days=days)
        seats = self.store.memberships.between("end", today, horizon)
        seats = [s for s in seats if s.end is not None and today <= s.end <= horizon]  # the validated dates decide
        return sorted(seats, key=lambda s: (s.end, s.body, s.id))

    def memberships_ending_first(self, today: dt.date, count: int, days: int = 60) -> tuple[list[Membership], int]:
        """The first `count` of `memberships_ending` and how many there are: the start screen
        shows six of the thousands of seats a large secretariat renews at a year's end."""
        horizon = today + dt.timedelta(days=days)
        seats, total = self.store.memberships.first_between("end", today, horizon, ("end", "body"), count)
        return [s for s in seats if s.end is not None and today <= s.end <= horizon], total

    def who_sat(self, body: str, year: int) -> list[Membership]:
        """Seats held at any time during a year: 'who sat in FU in 2019?'."""
        return self.records.memberships(body=body, year=year)

    def cadence_count(self, body_id: str, year: int) -> tuple[int, tuple[int, int] | None]:
        """Meetings of a body in a year that are not cancelled, and the cadence's target range."""
        count = sum(1 for r in self._rows(lambda r: r.body == body_id and r.year == year and r.status != "cancelled"))
        return count, self.records.body(body_id).cadence.target()

    def meeting_rows(self, body: str | None = None, year: int | None = None, status: str | None = None) -> list[MeetingRow]:
        """Meetings for a list, filtered by body, year and status, in time order."""
        rows = self._rows(
            lambda r: (body is None or r.body == body) and (year is None or r.year == year) and (status is None or r.status == status)
        )
        return sorted(rows, key=lambda r: (r.start, r.id))
