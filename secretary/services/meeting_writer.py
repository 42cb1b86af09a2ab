"""Storing meetings: references checked, calendar identity kept, never over a newer copy.

Every path that writes a meeting (agenda edits, imports, the year plan) goes
through `MeetingWriter`, so the same rules hold on each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from secretary.domain.errors import InvalidData, StaleEdit
from secretary.domain.identity import stamp_meeting
from secretary.domain.interchange import Dataset, check_references
from secretary.domain.model import Meeting
from secretary.services.clock import Clock
from secretary.services.ports import Store
from secretary.services.records import Records


class MeetingWriter:
    """Writes meetings through the port, inside a transaction, stamped with the clock."""

    def __init__(self, store: Store, clock: Clock, records: Records):
        self.store = store
        self.clock = clock
        self.records = records

    def save_many(self, meetings: Iterable[Meeting]) -> int:
        """Store meetings (inside a transaction) with their calendar identity; how many changed."""
        now = self.clock()
        to_write = []
        for meeting in meetings:
            stamped = stamp_meeting(meeting, self.store.meetings.get(meeting.id), now)
            if stamped is not None:
                to_write.append(stamped)
        self.store.meetings.save_many(to_write)
        return len(to_write)

    def save(self, meeting: Meeting) -> Meeting:
        """Store a new or changed meeting (references checked, identity kept)."""
        with self.store.transaction():
            problems = check_references(Dataset(meetings={meeting.id: meeting}), self.records.registry())
            if problems:
                raise InvalidData(problems)
            self.save_many([meeting])
            return self.records.meeting(meeting.id)

    def update(self, meeting_id: str, change: Callable[[Meeting], Meeting], based_on: Meeting | None = None) -> Meeting:
        """Apply `change` to the freshest stored meeting, under the lock: no lost update.

        `based_on` is the copy a screen showed and its user edited: when the stored
        meeting is no longer that copy, someone else changed it meanwhile and the
        edit is refused (StaleEdit) rather than written over their change.
        """
        with self.store.transaction():
            current = self.records.meeting(meeting_id)
            if based_on is not None and current != based_on:
                when = current.last_modified.isoformat(timespec="minutes") if current.last_modified else "just now"
                identity = {"uid", "sequence", "last_modified"}
                fields = [name for name in type(current).model_fields
                          if name not in identity and getattr(current, name) != getattr(based_on, name)]
                what = f": {', '.join(fields)}" if fields else ""
                raise StaleEdit(
                    f"meeting {meeting_id!r} was changed elsewhere since this screen read it "
                    f"(last change {when}{what}); nothing was saved: look at it again and redo the change"
                )
            return self.save(change(current))
