"""A meeting's deadlines, from its body's rules.

- items due:       the meeting's day − `items_due_days`
- agenda dispatch: the meeting's day − `agenda_dispatch_days`
- minutes due:     the meeting's day + `minutes_due_days`
- approval:        the comment deadline of minutes sent for comments, else the
                   minutes due + `comment_days` (asked for with `with_approval`)

Each is closed by the step of the meeting's life that does it (life.py): the
dispatch closes items due and agenda dispatch, sending the minutes closes
minutes due, the approval (justering) closes the approval.

"The meeting's day" is the calendar day of its start in the body's time zone.
The arithmetic is exact: a deadline that falls on a weekend stays there, so that
the TUI, the calendar feeds and the scorecard agree on one date per deadline.
A cancelled meeting has no deadlines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from secretary.domain.model import Body, Meeting
from secretary.domain.rows import MeetingRow

DEADLINE_KINDS = ("items_due", "agenda_dispatch", "minutes_due")
APPROVAL = "approval"

LABELS = {
    "da": {
        "items_due": "Frist for punkter", "agenda_dispatch": "Udsendelse af dagsorden",
        "minutes_due": "Frist for referat", "approval": "Godkendelse af referat",
    },
    "sv": {
        "items_due": "Sista dag för ärenden", "agenda_dispatch": "Kallelse skickas",
        "minutes_due": "Protokoll klart", "approval": "Justering av protokoll",
    },
    "en": {
        "items_due": "Items due", "agenda_dispatch": "Agenda dispatch",
        "minutes_due": "Minutes due", "approval": "Approval of the minutes",
    },
}


@dataclass(frozen=True)
class Deadline:
    """One deadline of one meeting; `done` says whether it has been met."""

    meeting: Meeting | MeetingRow
    body: Body
    kind: str  # one of DEADLINE_KINDS
    due: dt.date
    done: bool

    def overdue(self, today: dt.date) -> bool:
        return not self.done and self.due < today

    def label(self, language: str | None = None) -> str:
        """The deadline's name in `language` (default: the body's)."""
        return LABELS[language or self.body.language][self.kind]


def meeting_day(meeting: Meeting | MeetingRow, body: Body) -> dt.date:
    return meeting.start.astimezone(ZoneInfo(body.timezone)).date()


def is_dispatched(meeting: Meeting | MeetingRow) -> bool:
    """The agenda has gone out: the dispatch is recorded, or the status says so (invited, held)."""
    if meeting.status in ("invited", "held"):
        return True
    if isinstance(meeting, Meeting):
        return meeting.dispatched_at is not None
    return meeting.dispatched


def deadlines(meeting: Meeting | MeetingRow, body: Body, *, with_approval: bool = False) -> list[Deadline]:
    """Items due, agenda dispatch and minutes due for `meeting`, in that order (then the approval).

    Items and agenda count as done once the agenda is dispatched; the minutes
    once they are sent or approved; the approval once they are approved
    (justerat). A `MeetingRow` (from the index) gives the same answer as the
    meeting it describes.
    """
    if meeting.body != body.id:
        raise ValueError(f"meeting {meeting.id!r} belongs to body {meeting.body!r}, not {body.id!r}")
    if meeting.status == "cancelled":
        return []
    day = meeting_day(meeting, body)
    rules = body.deadlines
    dispatched = is_dispatched(meeting)
    minutes: str
    if isinstance(meeting, Meeting):
        minutes, comment_deadline = meeting.minutes.status, meeting.minutes.comment_deadline
    else:
        minutes, comment_deadline = meeting.minutes_status, meeting.comment_deadline
    minutes_due = day + dt.timedelta(days=rules.minutes_due_days)
    lines = [
        Deadline(meeting, body, "items_due", day - dt.timedelta(days=rules.items_due_days), dispatched),
        Deadline(meeting, body, "agenda_dispatch", day - dt.timedelta(days=rules.agenda_dispatch_days), dispatched),
        Deadline(meeting, body, "minutes_due", minutes_due, minutes in ("sent", "approved")),
    ]
    if with_approval:
        due = comment_deadline or minutes_due + dt.timedelta(days=rules.comment_days)
        lines.append(Deadline(meeting, body, APPROVAL, due, minutes == "approved"))
    return lines


def closing_step(line: Deadline) -> str:
    """The step of the meeting's life (a `life.next_steps` action) that closes the deadline now:
    the dispatch closes the agenda's deadlines; "minutes due" needs the meeting held, the minutes
    drafted, then sent; the approval is the approval (justering, for a Swedish body)."""
    meeting = line.meeting
    if line.kind in ("items_due", "agenda_dispatch"):
        return "dispatch"
    status = meeting.status
    minutes = meeting.minutes.status if isinstance(meeting, Meeting) else meeting.minutes_status
    if status == "planned":
        return "dispatch"
    if status == "invited":
        return "mark_held"
    if minutes == "none":
        return "draft_minutes"
    if line.kind == "minutes_due":
        return "send_minutes"
    return "justera" if line.body.language == "sv" else "approve_minutes"
