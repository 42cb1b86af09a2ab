"""What needs doing now: the questions the start screen and the lists ask.

A mixin of `Secretary`. Every query takes `today` so that screens (and their
snapshot tests) can freeze the date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secretary.domain.deadlines import Deadline, deadlines
from secretary.domain.model import Membership
from secretary.domain.rows import ActionRow, ItemRef, MeetingRow

if TYPE_CHECKING:
    from secretary.services.facade import Secretary

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
    """Read-only questions across bodies; mixed into `Secretary`."""

    def upcoming_meetings(self: Secretary, today: dt.date, limit: int = 10) -> list[MeetingRow]:
        """The next meetings across all bodies (cancelled ones too: they are news), from the index."""
        day = today.isoformat()
        return sorted(self._rows(lambda p: p.start[:10] >= day), key=lambda r: (r.start, r.id))[:limit]

    def deadlines_due(self: Secretary, today: dt.date, days: int = 7) -> list[Deadline]:
        """Unmet deadlines that are overdue or fall within the next `days` days, most urgent first.

        Answered from the index (schedule, status, minutes state): no meeting is loaded.
        """
        horizon = today + dt.timedelta(days=days)
        bodies = self.repos.bodies.all()
        # A meeting's deadlines lie within 120 days of its start (model limits), so only
        # meetings near today are looked at.
        low = (today - dt.timedelta(days=400)).isoformat()
        high = (horizon + dt.timedelta(days=130)).isoformat()
        found = []
        for row in self._rows(lambda p: low <= p.start[:10] <= high and p.status != "cancelled"):
            body = bodies.get(row.body)
            if body is None:
                continue
            for line in deadlines(row, body):  # the shared rules (secretary/deadlines.py)
                if line.done or line.due > horizon:
                    continue
                if line.kind != "minutes_due" and row.start.date() < today:
                    continue  # the meeting is past: its agenda deadlines no longer matter
                found.append(line)
        return sorted(found, key=lambda d: (d.due, d.meeting.start, d.kind))

    def _rows(self: Secretary, keep) -> list[MeetingRow]:
        return [
            MeetingRow(key, p.body, dt.datetime.fromisoformat(p.start), p.status, p.title, p.location, p.minutes)
            for key, p in self.repos.meetings.placements().items()
            if keep(p)
        ]

    def open_actions(self: Secretary, today: dt.date, body: str | None = None) -> list[OpenAction]:
        """Actions not done, across bodies: overdue first, then by due date (undated last).

        Twenty years are thousands of meetings: the index keeps each meeting's open
        actions, so no meeting is loaded.
        """
        places = self.repos.meetings.placements()
        found = []
        for row in self._rows(lambda p: p.actions and (body is None or p.body == body)):
            for item_id, number, action_id, due, what, owner in places[row.id].actions:
                action = ActionRow(action_id, what, owner, dt.date.fromisoformat(due) if due else None)
                found.append(OpenAction(row, ItemRef(item_id, number), action))
        far = dt.date.max
        return sorted(found, key=lambda a: (not a.overdue(today), a.action.due or far, a.meeting.start, a.action.id))

    def overdue_actions(self: Secretary, today: dt.date) -> list[OpenAction]:
        return [a for a in self.open_actions(today) if a.overdue(today)]

    def minutes_awaiting_approval(self: Secretary, today: dt.date) -> list[MeetingRow]:
        """Held meetings whose minutes are drafted or sent but not approved (from the index)."""
        day = today.isoformat()
        rows = self._rows(lambda p: p.status != "cancelled" and p.start[:10] <= day and p.minutes in ("draft", "sent"))
        return sorted(rows, key=lambda m: (m.start, m.id))

    def memberships_ending(self: Secretary, today: dt.date, days: int = 60) -> list[Membership]:
        horizon = today + dt.timedelta(days=days)
        seats = self.repos.memberships.between("end", today.isoformat(), horizon.isoformat())
        seats = [s for s in seats if s.end is not None and today <= s.end <= horizon]  # the validated dates decide
        return sorted(seats, key=lambda s: (s.end, s.body, s.id))

    def who_sat(self: Secretary, body: str, year: int) -> list[Membership]:
        """Seats held at any time during a year: 'who sat in FU in 2019?'."""
        return self.memberships(body=body, year=year)

    def cadence_count(self: Secretary, body_id: str, year: int) -> tuple[int, tuple[int, int] | None]:
        """Meetings of a body in a year that are not cancelled, and the cadence's target range."""
        places = self.repos.meetings.placements()
        count = sum(1 for p in places.values() if p.body == body_id and p.year == year and p.status != "cancelled")
        return count, self.body(body_id).cadence.target()

    def meeting_rows(self: Secretary, body: str | None = None, year: int | None = None, status: str | None = None) -> list[MeetingRow]:
        """Meetings for a list, filtered by body, year and status, in time order: cheap for 20 years."""
        rows = self._rows(
            lambda p: (body is None or p.body == body) and (year is None or p.year == year) and (status is None or p.status == status)
        )
        return sorted(rows, key=lambda r: (r.start, r.id))
