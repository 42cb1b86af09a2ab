"""Meetings as lists and the start screen see them: read from the index, items not loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemRef:
    """The agenda item an open action hangs on: enough to name it and open it."""

    id: str
    number: str


@dataclass(frozen=True)
class ActionRow:
    """An open action as the index keeps it (the meeting holds the validated `Action`)."""

    id: str
    what: str
    owner: str
    due: dt.date | None
    done: bool = False


@dataclass(frozen=True)
class MeetingRow:
    """A meeting's schedule, status, minutes state and open actions, without its agenda:
    the meeting index row a store keeps for every meeting (what lists and the overview read)."""

    id: str
    body: str
    start: dt.datetime
    status: str
    title: str
    location: str = ""
    minutes_status: str = "none"
    end: dt.datetime | None = None
    open_actions: tuple[tuple[ItemRef, ActionRow], ...] = ()
    # The life (secretary/domain/life.py), as far as the deadlines need it: the agenda was
    # dispatched (Meeting.dispatched_at is set), and the comment deadline of minutes sent.
    dispatched: bool = False
    comment_deadline: dt.date | None = None
    # The day the minutes were approved (justerat), the public minutes published, the anslag posted.
    approved_on: dt.date | None = None
    published_minutes: dt.date | None = None
    posted_on: dt.date | None = None

    @property
    def year(self) -> int:
        """The calendar year of the start in the body's own time zone (the meeting's partition)."""
        return self.start.year


# The port's name for it: one row of the meeting index.
IndexRow = MeetingRow
