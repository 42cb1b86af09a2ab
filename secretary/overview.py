"""What needs doing now: the questions the start screen and the lists ask.

A mixin of `Secretary`. Every query takes `today` so that screens (and their
snapshot tests) can freeze the date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secretary.deadlines import Deadline, deadlines
from secretary.model import Action, Item, Meeting, Membership

if TYPE_CHECKING:
    from secretary.services import Secretary

__all__ = ["Deadline", "MeetingRow", "OpenAction", "OverviewQueries"]


@dataclass(frozen=True)
class OpenAction:
    """An action not done, with the meeting and item it came from."""

    meeting: Meeting
    item: Item
    action: Action

    def overdue(self, today: dt.date) -> bool:
        return not self.action.done and self.action.due is not None and self.action.due < today


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as a list shows it, read from the index without loading its items."""

    id: str
    body: str
    start: dt.datetime
    status: str
    title: str


class OverviewQueries:
    """Read-only questions across bodies; mixed into `Secretary`."""

    def upcoming_meetings(self: Secretary, today: dt.date, limit: int = 10) -> list[Meeting]:
        """The next meetings across all bodies (cancelled ones too: they are news)."""
        places = self.repos.meetings.placements()
        keys = sorted((p.start, k) for k, p in places.items() if p.start[:10] >= today.isoformat())
        return self.repos.meetings.many(k for _, k in keys[:limit])

    def deadlines_due(self: Secretary, today: dt.date, days: int = 7) -> list[Deadline]:
        """Unmet deadlines that are overdue or fall within the next `days` days, most urgent first."""
        horizon = today + dt.timedelta(days=days)
        bodies = self.repos.bodies.all()
        # A meeting's deadlines lie within 120 days of its start (model limits), so only
        # meetings near today are read; the archive of earlier years stays on disk.
        low = (today - dt.timedelta(days=400)).isoformat()
        high = (horizon + dt.timedelta(days=130)).isoformat()
        places = self.repos.meetings.placements()
        keys = [k for k, p in places.items() if low <= p.start[:10] <= high and p.status != "cancelled"]
        found = []
        for meeting in self.repos.meetings.many(keys):
            body = bodies.get(meeting.body)
            if body is None:
                continue
            for line in deadlines(meeting, body):  # the shared rules (secretary/deadlines.py)
                if line.done or line.due > horizon:
                    continue
                if line.kind != "minutes_due" and meeting.start.date() < today:
                    continue  # the meeting is past: its agenda deadlines no longer matter
                found.append(line)
        return sorted(found, key=lambda d: (d.due, d.meeting.start, d.kind))

    def open_actions(self: Secretary, today: dt.date, body: str | None = None) -> list[OpenAction]:
        """Actions not done, across bodies: overdue first, then by due date (undated last).

        Twenty years are thousands of meetings: the stored documents are scanned raw and
        only the meetings that have an open action are validated.
        """
        wanted = [
            key
            for key, raw in self.repos.meetings.raw_partitions()
            if (body is None or raw.get("body") == body)
            and any(not a.get("done") for item in raw.get("items") or () for a in item.get("actions") or ())
        ]
        found = []
        for meeting in self.repos.meetings.many(wanted):
            for item in meeting.items:
                for action in item.actions:
                    if not action.done:
                        found.append(OpenAction(meeting, item, action))
        far = dt.date.max
        return sorted(found, key=lambda a: (not a.overdue(today), a.action.due or far, a.meeting.start, a.action.id))

    def overdue_actions(self: Secretary, today: dt.date) -> list[OpenAction]:
        return [a for a in self.open_actions(today) if a.overdue(today)]

    def minutes_awaiting_approval(self: Secretary, today: dt.date) -> list[Meeting]:
        """Held meetings whose minutes are drafted or sent but not approved (scanned raw, like actions)."""
        day = today.isoformat()
        wanted = [
            key
            for key, raw in self.repos.meetings.raw_partitions()
            if raw.get("status") != "cancelled"
            and str(raw.get("start", ""))[:10] <= day
            and (raw.get("minutes") or {}).get("status") in ("draft", "sent")
        ]
        return sorted(self.repos.meetings.many(wanted), key=lambda m: (m.start, m.id))

    def memberships_ending(self: Secretary, today: dt.date, days: int = 60) -> list[Membership]:
        horizon = today + dt.timedelta(days=days)
        seats = [s for s in self.repos.memberships.all().values() if s.end is not None and today <= s.end <= horizon]
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
        places = self.repos.meetings.placements()
        rows = [
            MeetingRow(key, p.body, dt.datetime.fromisoformat(p.start), p.status, p.title)
            for key, p in places.items()
            if (body is None or p.body == body) and (year is None or p.year == year) and (status is None or p.status == status)
        ]
        return sorted(rows, key=lambda r: (r.start, r.id))
