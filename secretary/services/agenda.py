"""Meetings, agendas, attendance, minutes and actions: the operations of a meeting's life.

Every change goes through the `MeetingWriter` (`update_meeting`, `save_meeting`),
so it is made under the write lock, on the freshest stored meeting, crash-safe,
and all or nothing; a change a screen based on an older copy is refused. Approved minutes are locked: any
change to an approved meeting's items or attendance raises MinutesLocked,
except `amend_minutes`, which records the amendment, and `complete_action`,
because ticking off a follow-up is not a change to what was decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from secretary.domain.agenda_rules import FOLLOW_UP_TITLES, insert_before_aob, renumber, standing_agenda
from secretary.domain.editing import Deleted, build, changed, short_token, unique_id
from secretary.domain.errors import MinutesLocked, NotFound, SecretaryError, StaleEdit
from secretary.domain.model import Action, Amendment, Attendance, Item, Meeting, Minutes
from secretary.services.clock import Clock
from secretary.services.meeting_writer import MeetingWriter
from secretary.services.ports import Store
from secretary.services.records import Records

CARRIED_OVER = {"da": "Udsat til mødet {date}.", "sv": "Bordlagt till mötet {date}.", "en": "Carried over to the meeting on {date}."}
REFERRED = {"da": "Henvist til {body}.", "sv": "Hänskjuts till {body}.", "en": "Referred to {body}."}


def aware(value: dt.datetime | str, timezone: str) -> dt.datetime:
    """A datetime in the body's time zone: naive values and 'YYYY-MM-DD HH:MM' are local time."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            raise SecretaryError(f"start: value {value!r}: not a date and time like 2026-03-04 09:00") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value


class AgendaService:
    """Meeting operations: schedule, edit, items, attendance, minutes, actions, undo."""

    def __init__(self, store: Store, clock: Clock, records: Records, writer: MeetingWriter):
        self.store = store
        self.clock = clock
        self.records = records
        self.writer = writer

    # -- helpers -------------------------------------------------------------------

    def today(self) -> dt.date:
        return self.clock().date()

    def save_meeting(self, meeting: Meeting) -> Meeting:
        """Store a new or changed meeting (references checked, identity kept)."""
        return self.writer.save(meeting)

    def update_meeting(self, meeting_id: str, change: Callable[[Meeting], Meeting], based_on: Meeting | None = None) -> Meeting:
        """Apply `change` to the freshest stored meeting, under the lock; refused when the stored
        meeting is no longer `based_on` (the copy a screen showed)."""
        return self.writer.update(meeting_id, change, based_on)

    def put_back(self, previous: Meeting, after: Meeting) -> Meeting:
        """Undo an edit of a meeting (an item, a decision, a move): store `previous` again,
        refused (StaleEdit) when the stored meeting is no longer `after`, the edit's result."""
        return self.update_meeting(previous.id, lambda current: previous, based_on=after)

    def ensure_editable(self, meeting: Meeting) -> None:
        """MinutesLocked when the meeting's minutes are approved."""
        if meeting.minutes.status == "approved":
            when = meeting.minutes.approved_on.isoformat() if meeting.minutes.approved_on else "?"
            by = f" by {meeting.minutes.approved_by}" if meeting.minutes.approved_by else ""
            raise MinutesLocked(
                f"meeting {meeting.id!r}: the minutes were approved on {when}{by}; "
                "a change now must be made as an amendment"
            )

    def _edit(self, meeting_id: str, change: Callable[[Meeting], Meeting], based_on: Meeting | None = None) -> Meeting:
        """update_meeting, refused when the minutes are approved."""

        def guarded(meeting: Meeting) -> Meeting:
            self.ensure_editable(meeting)
            return change(meeting)

        return self.update_meeting(meeting_id, guarded, based_on)

    def _item_change(
        self, meeting_id: str, item_id: str, change: Callable[[Item], Item], expected: Item | None = None
    ) -> Meeting:
        def apply(meeting: Meeting) -> Meeting:
            self._unchanged(meeting, self._item_of(meeting, item_id), expected)
            items = [change(item) if item.id == item_id else item for item in meeting.items]
            return meeting.replace(items=[i.model_dump() for i in items])

        return self._edit(meeting_id, apply)

    @staticmethod
    def _unchanged(meeting: Meeting, item: Item, expected: Item | None) -> None:
        """StaleEdit when the stored item is no longer the copy a form was filled from."""
        if expected is not None and item != expected:
            raise StaleEdit(
                f"meeting {meeting.id!r} item {item.number} was changed elsewhere since this form was opened; "
                "nothing was saved: open it again and redo the change"
            )

    @staticmethod
    def _item_of(meeting: Meeting, item_id: str) -> Item:
        try:
            return meeting.item(item_id)
        except KeyError:
            raise NotFound(f"meeting {meeting.id!r} has no item with id {item_id!r}") from None

    @staticmethod
    def _with_items(meeting: Meeting, items: list[Item]) -> Meeting:
        return meeting.replace(items=[i.model_dump() for i in renumber(items)])

    @staticmethod
    def _new_item_id(meeting: Meeting) -> str:
        return unique_id(f"{meeting.id[:50]}-{short_token()}", {i.id for i in meeting.items})

    # -- meetings ------------------------------------------------------------------

    def schedule_meeting(
        self,
        body_id: str,
        start: dt.datetime | str,
        end: dt.datetime | str | None = None,
        location: str | None = None,
        title: str = "",
        standing_items: bool = True,
    ) -> Meeting:
        """A new planned meeting, with the standing items in the body's language."""
        body = self.records.body(body_id)
        if body.retired is not None:
            raise SecretaryError(f"body {body.id!r} was retired on {body.retired.isoformat()}; no new meetings")
        begin = aware(start, body.timezone)
        finish = aware(end, body.timezone) if end else begin + dt.timedelta(minutes=body.planning.duration_minutes)
        meeting_id = unique_id(f"{body.id[:50]}-{begin.date().isoformat()}", self.store.meetings.rows())
        items = standing_agenda(meeting_id, body.language) if standing_items else []
        meeting = build(
            Meeting,
            {
                "id": meeting_id,
                "body": body.id,
                "title": title,
                "start": begin,
                "end": finish,
                "location": body.location if location is None else location,
                "items": items,
            },
            f"meeting {meeting_id!r}",
        )
        with self.store.transaction():
            if self.store.meetings.get(meeting_id) is not None:
                raise SecretaryError(f"meeting {meeting_id!r} exists already")
            return self.save_meeting(meeting)

    def schedule_from_last(
        self, body_id: str, start: dt.datetime | str, location: str | None = None, title: str = ""
    ) -> Meeting:
        """A new meeting prepared from the body's last one before it: the standing items, the
        items it left undecided or postponed (carried over, their actions with them), and an
        item for following up the last meeting's other open actions."""
        body = self.records.body(body_id)
        begin = aware(start, body.timezone)
        earlier = [m for m in self.records.meetings(body=body_id) if m.start < begin and m.status != "cancelled"]
        last = max(earlier, key=lambda m: m.start) if earlier else None
        meeting = self.schedule_meeting(body_id, start, location=location, title=title)
        if last is None:
            return meeting
        standing = {"approve_agenda", "approve_minutes", "any_other_business"}
        carried: list[Item] = []
        loose_actions = []
        for item in last.items:
            if item.kind in standing or item.title in {i.title for i in meeting.items}:
                continue
            open_actions = [a for a in item.actions if not a.done]
            if item.outcome in (None, "postponed"):
                carried.append(item.replace(id=self._new_item_id(meeting), number="", decision=None, outcome=None,
                                            referred_to=None, actions=[a.model_dump() for a in open_actions]))
            else:
                loose_actions += open_actions
        if loose_actions:
            carried.append(Item(id=self._new_item_id(meeting), title=FOLLOW_UP_TITLES.get(body.language, FOLLOW_UP_TITLES["en"]),
                                kind="information", actions=list(loose_actions)))
        if not carried:
            return meeting

        def add(current: Meeting) -> Meeting:
            items = list(current.items)
            for item in carried:
                items = insert_before_aob(items, item)
            return self._with_items(current, items)

        return self.update_meeting(meeting.id, add)

    def edit_meeting(self, meeting_id: str, *, based_on: Meeting | None = None, **changes: Any) -> Meeting:
        """Change a meeting's own fields (place, online link, title, status)."""
        return self.update_meeting(meeting_id, lambda m: changed(m, f"meeting {m.id!r}", **changes), based_on)

    def move_meeting(
        self, meeting_id: str, start: dt.datetime | str, end: dt.datetime | str | None = None, *, based_on: Meeting | None = None
    ) -> Meeting:
        """A new time; the length is kept unless an end is given. Calendars see a new SEQUENCE."""

        def move(meeting: Meeting) -> Meeting:
            tz = self.records.body(meeting.body).timezone
            begin = aware(start, tz)
            finish = aware(end, tz) if end else begin + (meeting.end - meeting.start)
            return changed(meeting, f"meeting {meeting.id!r}", start=begin, end=finish)

        return self.update_meeting(meeting_id, move, based_on)

    def cancel_meeting(self, meeting_id: str) -> Meeting:
        """Cancelled meetings stay (calendars must see the cancellation)."""
        return self.update_meeting(meeting_id, lambda m: m.replace(status="cancelled"))

    def set_meeting_status(self, meeting_id: str, status: str) -> Meeting:
        return self.update_meeting(meeting_id, lambda m: changed(m, f"meeting {m.id!r}", status=status))

    def delete_meeting(self, meeting_id: str) -> Deleted:
        with self.store.transaction():
            meeting = self.records.meeting(meeting_id)
            self.store.meetings.delete(meeting_id)
        return Deleted("meeting", meeting)

    # -- items ---------------------------------------------------------------------

    def add_item(self, meeting_id: str, title: str, kind: str = "decision", **fields: Any) -> Item:
        """A new item at the end of the agenda (before 'any other business')."""
        made: list[Item] = []

        def add(meeting: Meeting) -> Meeting:
            data = {"id": self._new_item_id(meeting), "title": title, "kind": kind, **fields}
            item = build(Item, data, f"meeting {meeting.id!r} new item")
            made.append(item)
            return self._with_items(meeting, insert_before_aob(meeting.items, item))

        meeting = self._edit(meeting_id, add)
        return meeting.item(made[0].id)

    def edit_item(self, meeting_id: str, item_id: str, *, expected: Item | None = None, **changes: Any) -> Item:
        """Change an item's fields (title, kind, open/closed and reason, case number, texts …)."""
        if changes.get("public") is True:
            changes.setdefault("closed_reason", None)
        meeting = self._item_change(meeting_id, item_id, lambda i: changed(i, f"item {i.id!r}", **changes), expected)
        return meeting.item(item_id)

    def move_item(self, meeting_id: str, item_id: str, to_index: int) -> Meeting:
        """Put an item at a position (0-based, clamped) and number the agenda again."""

        def move(meeting: Meeting) -> Meeting:
            item = self._item_of(meeting, item_id)
            items = [i for i in meeting.items if i.id != item_id]
            items.insert(max(0, min(to_index, len(items))), item)
            return self._with_items(meeting, items)

        return self._edit(meeting_id, move)

    def delete_item(self, meeting_id: str, item_id: str) -> Deleted:
        kept: list[Deleted] = []

        def drop(meeting: Meeting) -> Meeting:
            item = self._item_of(meeting, item_id)
            kept.append(Deleted("item", item, meeting_id=meeting.id, index=meeting.items.index(item)))
            return self._with_items(meeting, [i for i in meeting.items if i.id != item_id])

        self._edit(meeting_id, drop)
        return kept[0]

    def carry_over_item(self, meeting_id: str, item_id: str) -> Meeting:
        """Carry an item to the body's next meeting; returns that meeting.

        Before the meeting (planned or invited, nothing decided) the item moves.
        After it, the item stays in these minutes as postponed, and a fresh copy
        (no decision, no actions) goes onto the next agenda.
        """
        with self.store.transaction():
            source = self.records.meeting(meeting_id)
            self.ensure_editable(source)
            item = self._item_of(source, item_id)
            target = self.records.next_meeting(source.body, source.start)
            if target is None:
                raise SecretaryError(
                    f"body {source.body!r} has no meeting after {source.start.date().isoformat()}; schedule one first"
                )
            self.ensure_editable(target)
            move = source.status in ("planned", "invited") and item.decision is None and item.outcome is None
            copy = item.replace(
                id=self._new_item_id(target), decision=None, outcome=None, referred_to=None, actions=[]
            )
            if move:
                self.save_meeting(self._with_items(source, [i for i in source.items if i.id != item_id]))
            else:
                language = self.records.body(source.body).language
                note = CARRIED_OVER[language].format(date=target.start.date().isoformat())
                postponed = item.replace(outcome="postponed", decision=item.decision or note)
                self.save_meeting(self._with_items(source, [postponed if i.id == item_id else i for i in source.items]))
            return self.save_meeting(self._with_items(target, insert_before_aob(target.items, copy)))

    def refer_item(self, meeting_id: str, item_id: str, body_id: str, decision: str | None = None) -> Meeting | None:
        """Refer an item to another body: outcome 'referred'; the item goes on that body's next agenda.

        Returns the receiving meeting, or None when that body has no meeting planned yet.
        """
        with self.store.transaction():
            target_body = self.records.body(body_id)
            source = self.records.meeting(meeting_id)
            self.ensure_editable(source)
            item = self._item_of(source, item_id)
            if target_body.id == source.body:
                raise SecretaryError(f"item {item_id!r}: field 'referred_to': value {body_id!r}: the item is already in this body")
            language = self.records.body(source.body).language
            text = decision or item.decision or REFERRED[language].format(body=target_body.label)
            referred = changed(item, f"item {item.id!r}", outcome="referred", referred_to=target_body.id, decision=text)
            self.save_meeting(self._with_items(source, [referred if i.id == item_id else i for i in source.items]))
            target = self.records.next_meeting(target_body.id, max(source.start, self.clock()))
            if target is None or target.minutes.status == "approved":
                return None
            copy = item.replace(id=self._new_item_id(target), decision=None, outcome=None, referred_to=None, actions=[])
            return self.save_meeting(self._with_items(target, insert_before_aob(target.items, copy)))

    # -- attendance ----------------------------------------------------------------

    def set_attendance(
        self,
        meeting_id: str,
        status: str | None,
        person: str | None = None,
        organisation: str | None = None,
        substitute_for: str | None = None,
    ) -> Meeting:
        """Record present / apologies / absent / guest for a person or a seat; None removes the row."""

        def mark(meeting: Meeting) -> Meeting:
            rows = [r for r in meeting.attendance if (r.person, r.organisation) != (person, organisation)]
            if status is not None:
                row = build(
                    Attendance,
                    {"person": person, "organisation": organisation, "status": status, "substitute_for": substitute_for},
                    f"meeting {meeting.id!r} attendance",
                )
                old = [i for i, r in enumerate(meeting.attendance) if (r.person, r.organisation) == (person, organisation)]
                rows.insert(old[0] if old else len(rows), row)
            return meeting.replace(attendance=[r.model_dump() for r in rows])

        return self._edit(meeting_id, mark)

    # -- minutes -------------------------------------------------------------------

    def record_decision(
        self,
        meeting_id: str,
        item_id: str,
        decision: str | None,
        outcome: str | None,
        referred_to: str | None = None,
        *,
        expected: Item | None = None,
    ) -> Item:
        def decide(item: Item) -> Item:
            return changed(item, f"item {item.id!r}", decision=decision or None, outcome=outcome, referred_to=referred_to)

        def apply(meeting: Meeting) -> Meeting:
            self._unchanged(meeting, self._item_of(meeting, item_id), expected)
            items = [decide(i) if i.id == item_id else i for i in meeting.items]
            minutes = meeting.minutes
            if minutes.status == "none":  # the first decision starts the minutes
                minutes = minutes.replace(status="draft")
            return meeting.replace(items=[i.model_dump() for i in items], minutes=minutes.model_dump())

        return self._edit(meeting_id, apply).item(item_id)

    def add_action(self, meeting_id: str, item_id: str, what: str, owner: str = "", due: dt.date | str | None = None) -> Action:
        made: list[Action] = []

        def add(item: Item) -> Item:
            taken = {a.id for a in item.actions}
            action = build(
                Action,
                {"id": unique_id(f"a-{short_token()}", taken), "what": what, "owner": owner, "due": due or None},
                f"item {item.id!r} new action",
            )
            made.append(action)
            return item.replace(actions=[*(a.model_dump() for a in item.actions), action.model_dump()])

        self._item_change(meeting_id, item_id, add)
        return made[0]

    def edit_action(
        self, meeting_id: str, item_id: str, action_id: str, *, expected: Item | None = None, **changes: Any
    ) -> Action:
        def edit(item: Item) -> Item:
            if action_id not in {a.id for a in item.actions}:
                raise NotFound(f"item {item.id!r} has no action with id {action_id!r}")
            actions = [changed(a, f"action {a.id!r}", **changes) if a.id == action_id else a for a in item.actions]
            return item.replace(actions=[a.model_dump() for a in actions])

        meeting = self._item_change(meeting_id, item_id, edit, expected)
        return next(a for a in meeting.item(item_id).actions if a.id == action_id)

    def complete_action(self, meeting_id: str, item_id: str, action_id: str, done: bool = True) -> Action:
        """Tick off (or reopen) a follow-up. Allowed after approval: it is follow-up, not minutes."""

        def tick(meeting: Meeting) -> Meeting:
            item = self._item_of(meeting, item_id)
            if action_id not in {a.id for a in item.actions}:
                raise NotFound(f"item {item_id!r} has no action with id {action_id!r}")
            actions = [a.replace(done=done) if a.id == action_id else a for a in item.actions]
            new_item = item.replace(actions=[a.model_dump() for a in actions])
            return meeting.replace(items=[(new_item if i.id == item_id else i).model_dump() for i in meeting.items])

        meeting = self.update_meeting(meeting_id, tick)
        return next(a for a in meeting.item(item_id).actions if a.id == action_id)

    def set_minutes_status(
        self, meeting_id: str, status: str, approved_on: dt.date | str | None = None, approved_by: str | None = None
    ) -> Meeting:
        """draft → sent → approved (with date and by whom). Approved minutes cannot go back."""

        def apply(meeting: Meeting) -> Meeting:
            self.ensure_editable(meeting)  # approved is final; amendments are the way on
            data = meeting.minutes.model_dump()
            data["status"] = status
            if status == "approved":
                data["approved_on"] = approved_on or self.today()
                data["approved_by"] = approved_by or None
            else:
                data["approved_on"] = None
                data["approved_by"] = None
            minutes = build(Minutes, data, f"meeting {meeting.id!r} minutes")
            return meeting.replace(minutes=minutes.model_dump())

        return self.update_meeting(meeting_id, apply)

    def amend_minutes(self, meeting_id: str, item_id: str, by: str, what: str, **changes: Any) -> Meeting:
        """Change an item of approved minutes; the amendment (date, by whom, what) is recorded."""
        if not by.strip() or not what.strip():
            raise SecretaryError(f"meeting {meeting_id!r}: an amendment needs who makes it and what it changes")

        def amend(meeting: Meeting) -> Meeting:
            if meeting.minutes.status != "approved":
                raise SecretaryError(f"meeting {meeting.id!r}: the minutes are not approved; edit them directly")
            item = self._item_of(meeting, item_id)
            new_item = changed(item, f"item {item.id!r}", **changes)
            fields = ", ".join(sorted(changes)) or "nothing"
            note = Amendment(on=self.today(), by=by.strip(), what=f"item {item.number} ({fields}): {what.strip()}")
            minutes = meeting.minutes.replace(amendments=[*(a.model_dump() for a in meeting.minutes.amendments), note.model_dump()])
            items = [(new_item if i.id == item_id else i).model_dump() for i in meeting.items]
            return meeting.replace(items=items, minutes=minutes.model_dump())

        return self.update_meeting(meeting_id, amend)

    # -- undo ------------------------------------------------------------------------

    def undo_delete(self, deleted: Deleted) -> None:
        """Put back a deleted meeting or item (bodies, people and seats: RegistryService.undo_delete)."""
        if deleted.kind == "meeting":
            self.save_meeting(deleted.obj)  # type: ignore[arg-type]
            return
        if deleted.kind == "item":
            item: Item = deleted.obj  # type: ignore[assignment]

            def put_back(meeting: Meeting) -> Meeting:
                items = [i for i in meeting.items if i.id != item.id]
                items.insert(min(deleted.index or 0, len(items)), item)
                return self._with_items(meeting, items)

            self._edit(deleted.meeting_id or "", put_back)
            return
        raise SecretaryError(f"cannot undo the deletion of a {deleted.kind} here")
