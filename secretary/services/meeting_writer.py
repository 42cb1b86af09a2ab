"""Storing meetings: references checked, calendar identity kept, never over a newer copy, the life guarded.

Every path that writes a meeting (agenda edits, imports, the year plan, carry over
and refer, the TUI's forms) goes through `MeetingWriter`, so the same rules hold on
each. A change that is not a step of the meeting's life passes `life.check_edit`:
approved minutes change only by a recorded amendment, the life's own fields
(status, dispatch, held, publication, history) change only through the steps of
`AgendaService`, which write with `step=True` after the pure transition in
`secretary/domain/life.py` has checked them. A deletion passes `life.check_delete`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from secretary.domain import life
from secretary.domain.errors import InvalidData, LifeRefused, StaleEdit
from secretary.domain.identity import stamp_meeting
from secretary.domain.interchange import Dataset, check_references
from secretary.domain.model import Meeting
from secretary.i18n import _
from secretary.services.clock import Clock
from secretary.services.ports import Store
from secretary.services.records import Records


class MeetingWriter:
    """Writes meetings through the port, inside a transaction, stamped with the clock, guarded by the life."""

    def __init__(self, store: Store, clock: Clock, records: Records, actor: str = "secretary"):
        self.store = store
        self.clock = clock
        self.records = records
        self.actor = actor
        # The stored meeting just before this process's last single save, and just after it:
        # what an undo puts back is exactly that, never a screen's older copy (which may lack
        # a change another session made meanwhile).
        self.last_saved: tuple[Meeting | None, Meeting] | None = None

    def guard(self, old: Meeting | None, new: Meeting, *, step: bool = False, imported: bool = False) -> Meeting:
        """The meeting as it may be stored, or LifeRefused naming the rule it breaks.

        `step`: the change is a step of the life, already checked by its transition.
        `imported`: from a secretary/1 file; its history may continue the stored one
        (steps done elsewhere, recorded), and then the life may move on with it.
        """
        body = self.store.bodies.get(new.body)
        if old is None or step:
            problems = life.life_problems(new, body)
            if problems:
                raise LifeRefused(new.id, problems[0][1])
            return new
        if imported and _continues(old, new):
            problems = life.life_problems(new, body)
            if problems:
                raise LifeRefused(new.id, problems[0][1])
            return new
        return life.check_edit(old, new, at=self.clock(), actor=self.actor)

    def save_many(self, meetings: Iterable[Meeting], *, step: bool = False, imported: bool = False) -> int:
        """Store meetings (inside a transaction) with their calendar identity; how many changed."""
        now = self.clock()
        to_write = []
        for meeting in meetings:
            old = self.store.meetings.get(meeting.id)
            guarded = self.guard(old, meeting, step=step, imported=imported)
            stamped = stamp_meeting(guarded, old, now)
            if stamped is not None:
                to_write.append(stamped)
        self.store.meetings.save_many(to_write)
        return len(to_write)

    def save(self, meeting: Meeting, *, step: bool = False) -> Meeting:
        """Store a new or changed meeting (references checked, identity kept, the life guarded)."""
        with self.store.transaction():
            problems = check_references(Dataset(meetings={meeting.id: meeting}), self.records.registry())
            if problems:
                raise InvalidData(problems)
            before = self.store.meetings.get(meeting.id)
            self.save_many([meeting], step=step)
            saved = self.records.meeting(meeting.id)
            self.last_saved = (before, saved)
            return saved

    def update(
        self, meeting_id: str, change: Callable[[Meeting], Meeting], based_on: Meeting | None = None, *, step: bool = False
    ) -> Meeting:
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
                    _("meeting {meeting_id!r} was changed elsewhere since this screen read it (last change "
                      "{when}{what}); nothing was saved: look at it again and redo the change").format(
                        meeting_id=meeting_id, when=when, what=what,
                    )
                )
            return self.save(change(current), step=step)

    def delete(self, meeting_id: str) -> Meeting:
        """Delete a meeting that was never dispatched nor held (else LifeRefused: cancel it instead)."""
        with self.store.transaction():
            meeting = self.records.meeting(meeting_id)
            life.check_delete(meeting)
            self.store.meetings.delete(meeting_id)
            return meeting


def _continues(old: Meeting, new: Meeting) -> bool:
    """The new copy's history is the stored one with more steps after it."""
    return len(new.history) > len(old.history) and new.history[: len(old.history)] == old.history
