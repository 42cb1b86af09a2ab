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
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from secretary.domain import life
from secretary.domain.agenda_rules import FOLLOW_UP_TITLES, insert_before_aob, renumber, standing_agenda, template_agenda
from secretary.domain.editing import Deleted, build, changed, short_token, unique_id
from secretary.domain.errors import LifeRefused, MinutesLocked, NotFound, SecretaryError, StaleEdit
from secretary.domain.model import Action, Attendance, Body, Item, Meeting
from secretary.domain.notes import carry_over_note, referral_note
from secretary.i18n import _, pgettext
from secretary.services.clock import Clock
from secretary.services.meeting_writer import MeetingWriter
from secretary.services.ports import Store
from secretary.services.records import Records


def aware(value: dt.datetime | str, timezone: str) -> dt.datetime:
    """A datetime in the body's time zone: naive values and 'YYYY-MM-DD HH:MM' are local time."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            raise SecretaryError(_("start: value {value!r}: not a date and time like 2026-03-04 09:00").format(value=value)) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value


class AgendaService:
    """Meeting operations: schedule, edit, items, attendance, minutes, actions, undo."""

    def __init__(self, store: Store, clock: Clock, records: Records, writer: MeetingWriter, actor: str = "secretary"):
        self.store = store
        self.clock = clock
        self.records = records
        self.writer = writer
        self.actor = actor  # the secretary's name (config.toml), recorded with every step

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

    def edited_from(self, after: Meeting) -> Meeting | None:
        """The stored meeting just before the save that made `after` (this process's last save
        of one meeting), or None when `after` is not what that save stored: the copy an undo
        of that edit puts back."""
        last = self.writer.last_saved
        return last[0] if last is not None and last[1] == after else None

    def put_back(self, previous: Meeting, after: Meeting) -> Meeting:
        """Undo an edit of a meeting (an item, a decision, a move): store `previous` again,
        refused (StaleEdit) when the stored meeting is no longer `after`, the edit's result."""
        return self.update_meeting(previous.id, lambda current: previous, based_on=after)

    def ensure_editable(self, meeting: Meeting) -> None:
        """MinutesLocked when the meeting's minutes are approved (justerat)."""
        minutes = meeting.minutes
        if minutes.status == "approved":
            when = minutes.approved_on.isoformat() if minutes.approved_on else "?"
            names = minutes.justerare or minutes.approvers
            by = f" by {', '.join(names)}" if names else (f" by {minutes.approved_by}" if minutes.approved_by else "")
            word = pgettext("minutes state", "justerat") if minutes.approval_mode == "justering" else pgettext("minutes state", "approved")
            raise MinutesLocked(
                _("meeting {meeting!r}: the minutes were {word} on {when}{by}; a change now must be made as "
                  "an amendment").format(meeting=meeting.id, word=word, when=when, by=by)
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
                _("meeting {meeting!r} item {number} was changed elsewhere since this form was opened; "
                  "nothing was saved: open it again and redo the change").format(
                    meeting=meeting.id, number=item.number,
                )
            )

    @staticmethod
    def _item_of(meeting: Meeting, item_id: str) -> Item:
        try:
            return meeting.item(item_id)
        except KeyError:
            raise NotFound(_("meeting {meeting!r} has no item with id {item_id!r}").format(meeting=meeting.id, item_id=item_id)) from None

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
        from_template: bool = False,
    ) -> Meeting:
        """A new planned meeting, with the standing items in the body's language (or, with
        `from_template`, the body's own agenda template)."""
        body = self.records.body(body_id)
        if body.retired is not None:
            raise SecretaryError(_("body {body!r} was retired on {retired}; no new meetings").format(
                                     body=body.id, retired=body.retired.isoformat(),
                                 ))
        begin = aware(start, body.timezone)
        finish = aware(end, body.timezone) if end else begin + dt.timedelta(minutes=body.planning.duration_minutes)
        meeting_id = unique_id(f"{body.id[:50]}-{begin.date().isoformat()}", self.store.meetings.rows())
        if from_template:
            if not body.agenda_template:
                raise SecretaryError(_("body {body!r}: field 'agenda_template': empty; there is no template to start from "
                                       "(give the body one, or start empty)").format(body=body.id))
            items = template_agenda(meeting_id, body.agenda_template)
        else:
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
            _("meeting {meeting_id!r}").format(meeting_id=meeting_id),
        )
        with self.store.transaction():
            if self.store.meetings.get(meeting_id) is not None:
                raise SecretaryError(_("meeting {meeting_id!r} exists already").format(meeting_id=meeting_id))
            return self.save_meeting(meeting)

    NEW_FROM = ("template", "last", "empty")

    def new_meeting(
        self,
        body_id: str,
        start: dt.datetime | str,
        end: dt.datetime | str | None = None,
        location: str | None = None,
        title: str = "",
        source: str | None = None,
    ) -> Meeting:
        """A new meeting of a body, started from `source`: "template" (the body's agenda
        template), "last" (the body's last meeting: its standing items, what it left open and
        the open actions) or "empty" (only the standard standing items of the body's language).
        None: the template when the body has one, else empty. The TUI's "new meeting" and
        `secretary meeting new` both come here."""
        body = self.records.body(body_id)
        if source is None:
            source = "template" if body.agenda_template else "empty"
        if source not in self.NEW_FROM:
            raise SecretaryError(_("--from: value {source!r}: one of {choices}").format(source=source, choices=", ".join(self.NEW_FROM)))
        if source == "last":
            return self.schedule_from_last(body_id, start, location=location, title=title, end=end)
        return self.schedule_meeting(body_id, start, end, location=location, title=title, from_template=source == "template")

    def schedule_from_last(
        self, body_id: str, start: dt.datetime | str, location: str | None = None, title: str = "",
        end: dt.datetime | str | None = None,
    ) -> Meeting:
        """A new meeting prepared from the body's last one before it: the standing items (the
        body's template when it has one), the items it left undecided or postponed (carried
        over, their actions with them), and an item for following up the last meeting's other
        open actions."""
        body = self.records.body(body_id)
        begin = aware(start, body.timezone)
        # One transaction: the new meeting is stored with what it carries over, or not at all,
        # and the last meeting is read under the same lock (an edit of it cannot slip between).
        with self.store.transaction():
            last = self.records.last_meeting_before(body_id, begin)
            meeting = self.schedule_meeting(body_id, start, end, location=location, title=title,
                                            from_template=bool(body.agenda_template))
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
        """Change a meeting's own fields: title, location, online_url, start, end, chair, minute_taker.

        Start and end may be 'YYYY-MM-DD HH:MM' (the body's local time) or aware datetimes; a new
        start without an end keeps the length. The status and the rest of the life change only
        through the steps below (dispatch, mark_held, cancel_meeting …): the writer refuses it.
        `schedule_warnings` says which of the body's own rules the new time breaks.
        """
        if "status" in changes:
            raise SecretaryError(
                _("meeting {meeting_id!r}: field 'status': value {status!r}: the status changes only through "
                  "the meeting's life (dispatch, held, cancel)").format(
                    meeting_id=meeting_id, status=changes['status'],
                )
            )

        def edit(meeting: Meeting) -> Meeting:
            tz = self.records.body(meeting.body).timezone
            fields = dict(changes)
            for name in ("chair", "minute_taker"):
                if name in fields and not fields[name]:
                    fields[name] = None
            if "start" in fields and fields["start"] is not None:
                fields["start"] = aware(fields["start"], tz)
                if fields.get("end") is None:
                    fields["end"] = fields["start"] + (meeting.end - meeting.start)
            if fields.get("end") is not None:
                fields["end"] = aware(fields["end"], tz)
            fields = {k: v for k, v in fields.items() if v is not None or k in ("chair", "minute_taker")}
            return changed(meeting, _("meeting {meeting!r}").format(meeting=meeting.id), **fields)

        return self._edit(meeting_id, edit, based_on)

    def move_meeting(
        self, meeting_id: str, start: dt.datetime | str, end: dt.datetime | str | None = None, *, based_on: Meeting | None = None
    ) -> Meeting:
        """A new time; the length is kept unless an end is given. Calendars see a new SEQUENCE."""
        return self.edit_meeting(meeting_id, based_on=based_on, start=start, end=end)

    def schedule_warnings(self, meeting_id: str) -> list[str]:
        """The body's own rules the meeting's time breaks (weekday, excluded month, holiday, minimum gap):
        warnings, not refusals; empty when it keeps them all."""
        from secretary.domain.schedule_rules import schedule_warnings

        meeting = self.records.meeting(meeting_id)
        body = self.records.body(meeting.body)
        others = [m for y in (meeting.year - 1, meeting.year, meeting.year + 1) for m in self.store.meetings.list(body=body.id, year=y)]
        return schedule_warnings(meeting, body, others)

    def delete_meeting(self, meeting_id: str) -> Deleted:
        """Delete a meeting never dispatched nor held; one that was is cancelled instead (refused here)."""
        return Deleted("meeting", self.writer.delete(meeting_id))

    # -- the meeting's life (secretary/domain/life.py) -------------------------------------
    #
    # Each step reads the freshest meeting under the lock, applies the pure transition with
    # the time (the clock) and the actor (the secretary's name), and stores the result; a
    # refused step raises LifeRefused naming the rule, and nothing is written.

    def _now(self) -> dt.datetime:
        return self.clock()

    def _step(self, meeting_id: str, transition: Callable[[Meeting, Body, dt.datetime], Meeting]) -> Meeting:
        with self.store.transaction():
            meeting = self.records.meeting(meeting_id)
            body = self.records.body(meeting.body)
            return self.writer.save(transition(meeting, body, self._now()), step=True)

    def _moment(self, value: dt.datetime | dt.date | str | None, meeting: Meeting, body: Body, what: str) -> dt.datetime | None:
        """A moment for a step: an aware datetime, 'YYYY-MM-DD HH:MM' / ISO (local time if naive),
        'HH:MM' (on the meeting's day) or a date (noon local; today: now)."""
        if value is None:
            return None
        tz = ZoneInfo(body.timezone)
        if isinstance(value, str):
            text = value.strip()
            try:
                if len(text) <= 5 and ":" in text:
                    clock = dt.time.fromisoformat(text.zfill(5))
                    day = life.meeting_day(meeting, body)
                    return dt.datetime.combine(day, clock, tzinfo=tz)
                if len(text) == 10:
                    value = dt.date.fromisoformat(text)
                else:
                    return aware(text, body.timezone)
            except (ValueError, SecretaryError):
                raise SecretaryError(
                    _("meeting {meeting!r}: {what}: value {value!r}: not a time like 12:10 or 2027-01-14 12:10").format(
                        meeting=meeting.id, what=what, value=value,
                    )
                ) from None
        if isinstance(value, dt.datetime):
            return value if value.tzinfo is not None else value.replace(tzinfo=tz)
        now = self._now()
        if value == now.astimezone(tz).date():
            return now
        return dt.datetime.combine(value, dt.time(12, 0), tzinfo=tz)

    @staticmethod
    def _day(value: dt.date | str | None, meeting_id: str, what: str) -> dt.date | None:
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise SecretaryError(_("meeting {meeting_id!r}: {what}: value {value!r}: not a date like 2027-01-14").format(
                                     meeting_id=meeting_id, what=what, value=value,
                                 )) from None

    def _not_future(self, meeting: Meeting, at: dt.datetime, what: str) -> None:
        if at > self._now() + dt.timedelta(minutes=1):
            raise LifeRefused(meeting.id, _("{what} cannot be recorded for a time still to come ({at})").format(
                                              what=what, at=at.isoformat(timespec='minutes'),
                                          ))

    def dispatch(self, meeting_id: str, *, at: dt.datetime | str | None = None) -> Meeting:
        """Send the agenda (indkaldelse / kallelse): planned → invited, or an addendum; closes the agenda deadlines."""

        def step(meeting: Meeting, body: Body, now: dt.datetime) -> Meeting:
            when = self._moment(at, meeting, body, "at") or now
            self._not_future(meeting, when, "the dispatch")
            return life.dispatch(meeting, body, at=when, actor=self.actor)

        return self._step(meeting_id, step)

    def mark_held(
        self,
        meeting_id: str,
        *,
        start: dt.datetime | str | None = None,
        end: dt.datetime | str | None = None,
        chair: str | None = None,
        minute_taker: str | None = None,
    ) -> Meeting:
        """The meeting took place: invited → held, with the actual start and end ('HH:MM' on the meeting's day),
        the chair and the minute-taker (person ids). Allowed from the meeting's start."""

        def step(meeting: Meeting, body: Body, now: dt.datetime) -> Meeting:
            return life.mark_held(
                meeting, body, at=now, actor=self.actor,
                start=self._moment(start, meeting, body, "start"), end=self._moment(end, meeting, body, "end"),
                chair=chair or None, minute_taker=minute_taker or None,
            )

        return self._step(meeting_id, step)

    def draft_minutes(self, meeting_id: str) -> Meeting:
        """Start the minutes of a held meeting (draft)."""
        return self._step(meeting_id, lambda m, b, now: life.draft_minutes(m, b, at=now, actor=self.actor))

    def send_minutes(self, meeting_id: str, *, deadline: dt.date | str | None = None, on: dt.date | str | None = None) -> Meeting:
        """Send the draft minutes for comments, with a deadline (default: the body's comment days); closes "minutes due"."""
        until = self._day(deadline, meeting_id, "deadline")
        sent = self._day(on, meeting_id, "on")
        return self._step(
            meeting_id, lambda m, b, now: life.send_minutes(m, b, at=now, actor=self.actor, deadline=until, on=sent)
        )

    def record_comment(self, meeting_id: str, person: str, text: str = "", *, on: dt.date | str | None = None) -> Meeting:
        """A comment received from a member (person id) on the minutes sent for comments."""
        day = self._day(on, meeting_id, "on")
        self.records.person(person)
        return self._step(
            meeting_id, lambda m, b, now: life.record_comment(m, b, person=person, text=text, on=day, at=now, actor=self.actor)
        )

    def approve_minutes(
        self,
        meeting_id: str,
        *,
        by: Sequence[str] = (),
        on: dt.date | str | None = None,
        place: str | None = None,
        at_next_meeting: bool = False,
        at_once: bool = False,
    ) -> Meeting:
        """Approve the minutes (Danish, English) or justera the protokoll (Swedish), by the body's language.

        Danish: by named members (`by`, person ids), at once at the meeting (`at_once`), or at the
        body's next meeting (`at_next_meeting`: its standing item "Godkendelse af referat", linked
        both ways; that meeting must have taken place). Swedish: justering by one or two justerare
        (`by`) at `place` (default: the body's minutes office, else the meeting's place) on `on`
        (default now), or omedelbar justering (`at_once`); the §§ are frozen. Closes the approval deadline.
        """
        people = [p.strip() for p in by if p and p.strip()]
        for person in people:
            self.records.person(person)
        with self.store.transaction():
            meeting = self.records.meeting(meeting_id)
            body = self.records.body(meeting.body)
            now = self._now()
            if sum((bool(at_next_meeting), bool(at_once), bool(people) and body.language != "sv")) > 1:
                raise LifeRefused(meeting.id, _("approve by members, at once or at the next meeting: one of them"))
            if body.language == "sv":
                if at_next_meeting:
                    raise LifeRefused(meeting.id, _("a Swedish protokoll is justerat by its justerare, not at the next meeting"))
                when = None if at_once and on is None else (self._moment(on, meeting, body, "on") or now)
                if when is not None:
                    self._not_future(meeting, when, "the justering")
                year = self.store.meetings.list(body=body.id, year=meeting.year)
                done = life.justera(
                    meeting, body, at=now, actor=self.actor, justerare=people, place=place or "", when=when,
                    at_once=at_once, year_meetings=year,
                )
                return self.writer.save(done, step=True)
            if place:
                raise LifeRefused(meeting.id, _("a place is given for a Swedish justering; Danish minutes are approved"))
            if at_next_meeting:
                approving = self.records.next_meeting(meeting.body, meeting.start)
                if approving is None:
                    raise LifeRefused(meeting.id, _("body {body!r} has no later meeting to approve the minutes at").format(
                                                      body=body.id,
                                                  ))
                approved, linked = life.approve_at_meeting(meeting, approving, body, at=now, actor=self.actor)
                self.writer.save(linked)
                return self.writer.save(approved, step=True)
            day = self._day(on, meeting_id, "on")
            return self.writer.save(
                life.approve_minutes(meeting, body, at=now, actor=self.actor, by=people, on=day, at_once=at_once), step=True
            )

    def justera(self, meeting_id: str, *, justerare: Sequence[str], place: str | None = None,
                on: dt.datetime | dt.date | str | None = None, at_once: bool = False) -> Meeting:
        """Swedish justering by name: `approve_minutes` with the justerare."""
        return self.approve_minutes(meeting_id, by=justerare, on=on, place=place, at_once=at_once)

    def post_minutes(self, meeting_id: str, *, on: dt.date | str | None = None) -> Meeting:
        """The Swedish anslag: posted on `on` (default today); the appeal period ends three weeks later."""
        day = self._day(on, meeting_id, "on")
        return self._step(meeting_id, lambda m, b, now: life.post_minutes(m, b, at=now, actor=self.actor, on=day))

    def reopen_minutes(self, meeting_id: str, reason: str) -> Meeting:
        """Reopen approved (justerat) minutes with a reason, logged; the approval and publication are cleared."""
        return self._step(meeting_id, lambda m, b, now: life.reopen_minutes(m, b, reason=reason, at=now, actor=self.actor))

    def publish(self, meeting_id: str, what: str) -> Meeting:
        """Publish the public agenda (from dispatch) or minutes (from approval; Danish drafts the day after if the body says so)."""
        if what not in ("agenda", "minutes"):
            raise SecretaryError(_("meeting {meeting_id!r}: publish 'agenda' or 'minutes', not {what!r}").format(
                                     meeting_id=meeting_id, what=what,
                                 ))
        return self._step(meeting_id, lambda m, b, now: life.publish(m, b, what=what, at=now, actor=self.actor))  # type: ignore[arg-type]

    def cancel_meeting(self, meeting_id: str, reason: str) -> Meeting:
        """Cancel a planned or invited meeting with a reason; it stays (calendars must see the cancellation)."""
        return self._step(meeting_id, lambda m, b, now: life.cancel(m, b, reason=reason, at=now, actor=self.actor))

    def next_steps(self, meeting_id: str) -> list[life.Step]:
        """What comes next in the meeting's life, the usual step first."""
        meeting = self.records.meeting(meeting_id)
        return life.next_steps(meeting, self.records.body(meeting.body))

    # -- items ---------------------------------------------------------------------

    def add_item(self, meeting_id: str, title: str, kind: str = "decision", **fields: Any) -> Item:
        """A new item at the end of the agenda (before 'any other business')."""
        made: list[Item] = []

        def add(meeting: Meeting) -> Meeting:
            data = {"id": self._new_item_id(meeting), "title": title, "kind": kind, **fields}
            item = build(Item, data, _("meeting {meeting!r} new item").format(meeting=meeting.id))
            made.append(item)
            return self._with_items(meeting, insert_before_aob(meeting.items, item))

        meeting = self._edit(meeting_id, add)
        return meeting.item(made[0].id)

    def edit_item(self, meeting_id: str, item_id: str, *, expected: Item | None = None, **changes: Any) -> Item:
        """Change an item's fields (title, kind, open/closed and reason, case number, texts …)."""
        if changes.get("public") is True:
            changes.setdefault("closed_reason", None)
        meeting = self._item_change(meeting_id, item_id, lambda i: changed(i, _("item {item!r}").format(item=i.id), **changes), expected)
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
                    _("body {body!r} has no meeting after {start}; schedule one first").format(
                        body=source.body, start=source.start.date().isoformat(),
                    )
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
                note = carry_over_note(language, target.start.date())
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
                raise SecretaryError(_("item {item_id!r}: field 'referred_to': value {body_id!r}: the item is already in this body").format(
                                         item_id=item_id, body_id=body_id,
                                     ))
            language = self.records.body(source.body).language
            target = self.records.next_meeting(target_body.id, max(source.start, self.clock()))
            receiving = target.start.date() if target is not None and target.minutes.status != "approved" else None
            text = decision or item.decision or referral_note(language, target_body.label, receiving)
            referred = changed(item, _("item {item!r}").format(item=item.id), outcome="referred", referred_to=target_body.id, decision=text)
            self.save_meeting(self._with_items(source, [referred if i.id == item_id else i for i in source.items]))
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
        *,
        seat: str | None = None,
        arrived_item: str | None = None,
        left_item: str | None = None,
    ) -> Meeting:
        """Record present / apologies / absent / guest for a seat, a person or an organisation; None removes the row.

        With `seat` (a membership of the body) the row is that seat's: every seat is its own row,
        so Viborg as member and Viborg as secretariat are two; `person` may then be a substitute
        standing in for the seat (its holder is `substitute_for` by default). `arrived_item` and
        `left_item` note a late arrival and an early departure (item ids: "arrived at item 3",
        "left after item 5"); the row's other presence fields (times, items not taken part in,
        present only for) are kept.
        """

        def mark(meeting: Meeting) -> Meeting:
            holder = person
            stands_for = substitute_for
            org = organisation
            if seat is not None:
                membership = self.records.membership(seat)
                if membership.body != meeting.body:
                    raise SecretaryError(_("meeting {meeting!r}: field 'seat': value {seat!r}: a "
                                           "seat of body {body!r}, not of {meeting_body!r}").format(
                                             meeting=meeting.id, seat=seat, body=membership.body, meeting_body=meeting.body,
                                         ))
                holder = person or membership.person
                org = organisation if organisation is not None else membership.organisation
                if person and membership.person and person != membership.person and stands_for is None:
                    stands_for = membership.person

                def same(r: Attendance) -> bool:
                    return r.seat == seat
            else:

                def same(r: Attendance) -> bool:
                    return r.seat is None and (r.person, r.organisation) == (person, organisation)

            rows = [r for r in meeting.attendance if not same(r)]
            if seat is not None:  # a row recorded before seats were (by person or organisation) becomes the seat's
                loose = next((i for i, r in enumerate(rows) if r.seat is None and (r.person, r.organisation) ==
                              (membership.person, membership.organisation)), None)
                if loose is not None:
                    rows.pop(loose)
            if status is not None:
                old = [i for i, r in enumerate(meeting.attendance) if same(r)]
                kept = meeting.attendance[old[0]].model_dump(include={"arrived", "left", "not_items", "only_items"}) if old else {}
                row = build(
                    Attendance,
                    {**kept, "person": holder, "organisation": org, "status": status, "substitute_for": stands_for,
                     "seat": seat, "arrived_item": arrived_item or None, "left_item": left_item or None},
                    _("meeting {meeting!r} attendance").format(meeting=meeting.id),
                )
                rows.insert(old[0] if old else len(rows), row)
            return changed(meeting, _("meeting {meeting!r}").format(meeting=meeting.id), attendance=[r.model_dump() for r in rows])

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
            return changed(item, _("item {item!r}").format(item=item.id), decision=decision or None, outcome=outcome,
                           referred_to=referred_to)

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
                _("item {item!r} new action").format(item=item.id),
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
                raise NotFound(_("item {item!r} has no action with id {action_id!r}").format(item=item.id, action_id=action_id))
            actions = [changed(a, _("action {action!r}").format(action=a.id), **changes) if a.id == action_id else a for a in item.actions]
            return item.replace(actions=[a.model_dump() for a in actions])

        meeting = self._item_change(meeting_id, item_id, edit, expected)
        return next(a for a in meeting.item(item_id).actions if a.id == action_id)

    def complete_action(self, meeting_id: str, item_id: str, action_id: str, done: bool = True) -> Action:
        """Tick off (or reopen) a follow-up. Allowed after approval: it is follow-up, not minutes."""

        def tick(meeting: Meeting) -> Meeting:
            item = self._item_of(meeting, item_id)
            if action_id not in {a.id for a in item.actions}:
                raise NotFound(_("item {item_id!r} has no action with id {action_id!r}").format(
                                   item_id=item_id, action_id=action_id,
                               ))
            day = self.today() if done else None  # the scorecard's "done by the due date"
            actions = [a.replace(done=done, done_on=day) if a.id == action_id else a for a in item.actions]
            new_item = item.replace(actions=[a.model_dump() for a in actions])
            return meeting.replace(items=[(new_item if i.id == item_id else i).model_dump() for i in meeting.items])

        meeting = self.update_meeting(meeting_id, tick)
        return next(a for a in meeting.item(item_id).actions if a.id == action_id)

    def amend_minutes(self, meeting_id: str, item_id: str, by: str, what: str, **changes: Any) -> Meeting:
        """Change an item of approved minutes; the amendment (date, by whom, what) is recorded (life.amend)."""
        if not by.strip() or not what.strip():
            raise SecretaryError(_("meeting {meeting_id!r}: an amendment needs who makes it and what it changes").format(
                                     meeting_id=meeting_id,
                                 ))

        def step(meeting: Meeting, body: Body, now: dt.datetime) -> Meeting:
            if meeting.minutes.status != "approved":
                raise SecretaryError(_("meeting {meeting!r}: the minutes are not approved; edit them directly").format(
                                         meeting=meeting.id,
                                     ))
            self._item_of(meeting, item_id)
            item = meeting.item(item_id)
            changed(item, _("item {item!r}").format(item=item.id), **changes)  # a bad value is named on its field
            done = life.amend(meeting, body, what=what, at=now, actor=by, item_id=item_id, **changes)
            # The amendment names who makes it; the history, who recorded it.
            last = done.history[-1]
            recorded = last.replace(actor=self.actor, detail=f"by {by.strip()}: {last.detail}")
            return done.replace(history=[*done.history[:-1], recorded])

        return self._step(meeting_id, step)

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
        raise SecretaryError(_("cannot undo the deletion of a {kind} here").format(kind=deleted.kind))
