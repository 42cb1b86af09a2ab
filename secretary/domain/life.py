"""The meeting's life: a pure state machine over `Meeting`, with its guards.

```
planned ──dispatch──▶ invited ──held──▶ held ──draft──▶ minutes draft ──send──▶ sent for comments
   │                     │                                   │                        │
   └──cancel─────────────┴──▶ cancelled                      └──approve at once ──────┴──approve──▶ approved
                                                                                          (DK) / justerat (SE)
approved ──post (SE anslag)──▶ ──publish──▶ published;   approved ──reopen (reason, logged)──▶ sent / draft
```

One function per transition. Each takes the meeting (and its body, for the
language, the time zone and the body's rules), the moment of the step (`at`,
time-zone aware) and who does it (`actor`: the secretary's name from config),
and returns the changed meeting with the step in its `history`. None of them
reads a clock or touches storage. A step its rules refuse raises `LifeRefused`
with one line naming the meeting and the rule; the meeting is unchanged.

The meeting's stored `status` (planned, invited, held, cancelled) and its
minutes' `status` (none, draft, sent, approved) keep their meaning; `stage()`
reads the life's state from them and the publication dates.

`check_edit` is the guard of every other change (items, attendance, times):
approved minutes change only by `amend`, frozen §§ never change, and an item
changed after dispatch is marked as an addendum. `check_delete` refuses to
delete a meeting that was dispatched or held. `check_life` says what is
inconsistent in a stored or imported meeting (import refuses it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from secretary.domain.agenda_rules import paragraph_int, paragraph_numbers
from secretary.domain.errors import LifeRefused
from secretary.domain.model import Amendment, Body, Comment, Item, LifeEvent, Meeting
from secretary.i18n import _, pgettext

APPEAL_WEEKS = 3  # kommunallagen 13 kap.: the appeal period runs three weeks from the anslag

STAGES = ("planned", "invited", "held", "minutes_draft", "minutes_sent", "approved", "justerat", "published", "cancelled")

# Fields a generic edit never changes: they move only through the functions below.
LIFE_FIELDS = ("status", "dispatched_at", "agenda_version", "actual_start", "actual_end", "cancelled_reason",
               "published", "history")
# Fields the store sets on every save: not a change of the meeting's content.
STAMP_FIELDS = ("uid", "sequence", "last_modified")


# -- reading the life ---------------------------------------------------------------------


def _tz(meeting: Meeting, body: Body | None) -> dt.tzinfo:
    return ZoneInfo(body.timezone) if body is not None else meeting.start.tzinfo  # type: ignore[return-value]


def meeting_day(meeting: Meeting, body: Body | None = None) -> dt.date:
    """The calendar day of the meeting's start in the body's time zone."""
    return meeting.start.astimezone(_tz(meeting, body)).date()


def local_day(moment: dt.datetime, meeting: Meeting, body: Body | None = None) -> dt.date:
    return moment.astimezone(_tz(meeting, body)).date()


def _clock(moment: dt.datetime, meeting: Meeting, body: Body | None) -> str:
    return moment.astimezone(_tz(meeting, body)).strftime("%Y-%m-%d %H:%M")


def is_dispatched(meeting: Meeting) -> bool:
    """The agenda has gone out (recorded, or a status from before the life was recorded)."""
    return meeting.dispatched_at is not None or meeting.status in ("invited", "held")


def is_justering(meeting: Meeting, body: Body | None = None) -> bool:
    """Swedish minutes: justerat by justerare rather than approved."""
    if body is not None:
        return body.language == "sv"
    return meeting.minutes.approval_mode == "justering"


def stage(meeting: Meeting) -> str:
    """Where the meeting is in its life: one of STAGES."""
    if meeting.status in ("cancelled", "planned", "invited"):
        return meeting.status
    minutes = meeting.minutes
    if minutes.status == "none":
        return "held"
    if minutes.status == "draft":
        return "minutes_draft"
    if minutes.status == "sent":
        return "minutes_sent"
    if meeting.published.minutes is not None:
        return "published"
    return "justerat" if minutes.approval_mode == "justering" else "approved"


def is_approved(meeting: Meeting) -> bool:
    """Approved (DK) or justerat (SE): the minutes are final and change only by amendment."""
    return meeting.minutes.status == "approved"


@dataclass(frozen=True)
class Step:
    """A step that can come next: `action` names the function, `text` says it for `meeting show`."""

    action: str
    text: str


def next_steps(meeting: Meeting, body: Body) -> list[Step]:
    """What comes next in the meeting's life, the usual step first."""
    swedish = body.language == "sv"
    minutes = meeting.minutes
    steps: list[Step] = []
    if meeting.status == "cancelled":
        return steps
    if meeting.status == "planned":
        steps.append(Step("dispatch", _("dispatch the agenda (indkaldelse / kallelse)")))
        steps.append(Step("cancel", _("cancel the meeting (with a reason)")))
        return steps
    if meeting.status == "invited":
        steps.append(Step("mark_held", _("mark the meeting held (from {start})").format(
                                           start=_clock(meeting.start, meeting, body),
                                       )))
        if any(item.addendum for item in meeting.items):
            steps.append(Step("dispatch", _("dispatch the addendum (tillægsdagsorden / extra ärende)")))
        if meeting.published.agenda is None or meeting.published.agenda_version < meeting.agenda_version:
            steps.append(Step("publish_agenda", _("publish the public agenda")))
        steps.append(Step("cancel", _("cancel the meeting (with a reason)")))
        return steps
    if minutes.status == "none":
        steps.append(Step("draft_minutes", _("start the minutes (draft)")))
        return steps
    if minutes.status in ("draft", "sent"):
        if minutes.status == "draft":
            steps.append(Step("send_minutes", _("send the minutes for comments")))
        else:
            steps.append(Step("record_comment", _("record comments (deadline {comment_deadline})").format(
                                                    comment_deadline=_iso(minutes.comment_deadline),
                                                )))
        if swedish:
            steps.append(Step("justera", _("justera the protokoll (justerare, place and time)")))
        else:
            steps.append(Step("approve_at_meeting", _("approve at the next meeting (its item 'Godkendelse af referat')")))
            steps.append(Step("approve_minutes", _("approve by named members, or at once")))
        if _draft_publishable(meeting, body) and meeting.published.draft_minutes is None:
            steps.append(Step("publish_draft_minutes", _("publish the draft minutes (marked 'Udkast')")))
        return steps
    if swedish and minutes.posted_on is None:
        steps.append(Step("post_minutes", _("post the anslag (appeal period three weeks)")))
    if meeting.published.minutes is None:
        steps.append(Step("publish_minutes", _("publish the public minutes")))
    steps.append(Step("amend", _("record an amendment (protokolbemærkning / rättelse)")))
    steps.append(Step("reopen_minutes", _("reopen the minutes (with a reason, logged)")))
    return steps


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "none"


# -- the transitions ----------------------------------------------------------------------


def _refuse(meeting: Meeting, rule: str) -> LifeRefused:
    return LifeRefused(meeting.id, rule)


def _event(action: str, at: dt.datetime, actor: str, detail: str = "") -> LifeEvent:
    return LifeEvent(at=at, actor=actor.strip(), action=action, detail=detail)  # type: ignore[arg-type]


def _aware(meeting: Meeting, at: dt.datetime, name: str = "at") -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise _refuse(meeting, _("the time of a step needs a time zone ({name}: {at})").format(name=name, at=at.isoformat()))


def _commit(before: Meeting, action: str, at: dt.datetime, actor: str, detail: str = "", **changes: Any) -> Meeting:
    """The meeting with `changes` and the step in its history; refused when the result is inconsistent."""
    changes["history"] = [*before.history, _event(action, at, actor, detail)]
    try:
        after = before.replace(**changes)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "meeting"
        raise _refuse(before, f"{action}: {where}: {err['msg'].removeprefix('Value error, ')}") from None
    problems = life_problems(after)
    if problems:
        raise _refuse(before, problems[0][1])
    return after


def _minutes(meeting: Meeting, **changes: Any) -> dict:
    data = meeting.minutes.model_dump()
    data.update(changes)
    return data


def _need_held(meeting: Meeting, what: str) -> None:
    if meeting.status != "held":
        raise _refuse(meeting, _("{what} before the meeting is held (status: {status})").format(
                                   what=what, status=meeting.status,
                               ))


def _need_not_approved(meeting: Meeting, what: str) -> None:
    minutes = meeting.minutes
    if minutes.status == "approved":
        word = pgettext("minutes state", "justerat") if minutes.approval_mode == "justering" else pgettext("minutes state", "approved")
        raise _refuse(
            meeting,
            _("{what}: the minutes are {word} (on {approved_on}); reopen them with a reason first").format(
                what=what, word=word, approved_on=_iso(minutes.approved_on),
            ),
        )


def dispatch(meeting: Meeting, body: Body, *, at: dt.datetime, actor: str) -> Meeting:
    """Send the agenda (indkaldelse / kallelse): planned → invited, or an addendum to an invited meeting.

    Records the time and the agenda's version (1 for the first dispatch, one more
    for each addendum); closes the "send agenda" deadline.
    """
    _aware(meeting, at)
    if meeting.status not in ("planned", "invited"):
        raise _refuse(meeting, _("the agenda can be dispatched only before the meeting (status: {status})").format(
                                   status=meeting.status,
                               ))
    if at > meeting.start:
        raise _refuse(
            meeting,
            _("the agenda cannot be dispatched after the meeting's start ({start})").format(
                start=_clock(meeting.start, meeting, body),
            ),
        )
    version = meeting.agenda_version + 1
    detail = f"agenda version {version}"
    if meeting.status == "invited":
        added = [item.number or item.id for item in meeting.items if item.addendum]
        if not added:
            raise _refuse(meeting, _("the agenda is dispatched already and nothing was added or changed since"))
        detail += f"; addendum: items {', '.join(added)}"
    return _commit(meeting, "dispatch", at, actor, detail, status="invited", dispatched_at=at, agenda_version=version)


def mark_held(
    meeting: Meeting,
    body: Body,
    *,
    at: dt.datetime,
    actor: str,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    chair: str | None = None,
    minute_taker: str | None = None,
) -> Meeting:
    """The meeting took place: invited → held, with the actual start and end, the chair and the minute-taker."""
    _aware(meeting, at)
    if meeting.status == "planned":
        raise _refuse(meeting, _("a meeting can be marked held only after its agenda is dispatched (status: planned)"))
    if meeting.status != "invited":
        raise _refuse(meeting, _("only an invited meeting can be marked held (status: {status})").format(status=meeting.status))
    if at < meeting.start:
        raise _refuse(meeting, _("a meeting can be marked held only from its start ({start})").format(
                                   start=_clock(meeting.start, meeting, body),
                               ))
    begin = start or meeting.start
    finish = end or meeting.end
    for name, moment in (("start", begin), ("end", finish)):
        _aware(meeting, moment, name)
    if finish <= begin:
        raise _refuse(meeting, _("the meeting cannot end ({finish}) before it starts ({begin})").format(
                                   finish=_clock(finish, meeting, body), begin=_clock(begin, meeting, body),
                               ))
    detail = f"{_clock(begin, meeting, body)}–{_clock(finish, meeting, body)[-5:]}"
    return _commit(
        meeting, "held", at, actor, detail,
        status="held", actual_start=begin, actual_end=finish,
        chair=chair if chair is not None else meeting.chair,
        minute_taker=minute_taker if minute_taker is not None else meeting.minute_taker,
    )


def draft_minutes(meeting: Meeting, body: Body, *, at: dt.datetime, actor: str) -> Meeting:
    """Start the minutes: held → minutes draft."""
    _aware(meeting, at)
    _need_held(meeting, _("the minutes cannot be drafted"))
    if meeting.minutes.status != "none":
        raise _refuse(meeting, _("the minutes are drafted already (minutes: {status})").format(status=meeting.minutes.status))
    return _commit(meeting, "draft", at, actor, minutes=_minutes(meeting, status="draft"))


def send_minutes(
    meeting: Meeting,
    body: Body,
    *,
    at: dt.datetime,
    actor: str,
    deadline: dt.date | None = None,
    on: dt.date | None = None,
) -> Meeting:
    """Send the draft minutes for comments, with a deadline (default: the body's comment days)."""
    _aware(meeting, at)
    _need_held(meeting, _("the minutes cannot be sent"))
    _need_not_approved(meeting, _("the minutes cannot be sent"))
    if meeting.minutes.status != "draft":
        raise _refuse(meeting, _("only draft minutes can be sent for comments (minutes: {status})").format(
                                   status=meeting.minutes.status,
                               ))
    sent = on or local_day(at, meeting, body)
    day = meeting_day(meeting, body)
    if sent < day:
        raise _refuse(meeting, _("the minutes cannot be sent before the meeting ({day})").format(day=day.isoformat()))
    until = deadline or sent + dt.timedelta(days=body.deadlines.comment_days)
    if until < sent:
        raise _refuse(meeting, _("the comment deadline {until} is before the minutes are sent ({sent})").format(
                                   until=until.isoformat(), sent=sent.isoformat(),
                               ))
    return _commit(
        meeting, "send", at, actor, f"comments by {until.isoformat()}",
        minutes=_minutes(meeting, status="sent", sent_on=sent, comment_deadline=until),
    )


def record_comment(
    meeting: Meeting, body: Body, *, person: str, text: str = "", on: dt.date | None = None, at: dt.datetime, actor: str
) -> Meeting:
    """A comment received from a member on the minutes sent for comments."""
    _aware(meeting, at)
    if meeting.minutes.status != "sent":
        raise _refuse(meeting, _("comments are recorded on minutes sent for comments (minutes: {status})").format(
                                   status=meeting.minutes.status,
                               ))
    day = on or local_day(at, meeting, body)
    comment = Comment(person=person, on=day, text=text)
    return _commit(
        meeting, "comment", at, actor, f"from {person}",
        minutes=_minutes(meeting, comments=[*meeting.minutes.comments, comment]),
    )


def _approval_guards(meeting: Meeting, body: Body, on: dt.date, at: dt.datetime, swedish_step: bool) -> None:
    if swedish_step and body.language != "sv":
        raise _refuse(meeting, _("justering is for Swedish protokoll; Danish and English minutes are approved"))
    if not swedish_step and body.language == "sv":
        raise _refuse(meeting, _("a Swedish protokoll is justerat by its justerare, not approved"))
    word = pgettext("minutes can be", "justerat") if swedish_step else pgettext("minutes can be", "approved")
    _need_held(meeting, _("the minutes cannot be {word}").format(word=word))
    _need_not_approved(meeting, _("the minutes cannot be {word} again").format(word=word))
    if meeting.minutes.status == "none":
        raise _refuse(meeting, _("there are no minutes to be {word} (minutes: none); draft them first").format(word=word))
    day = meeting_day(meeting, body)
    if on < day:
        raise _refuse(meeting, _("the minutes cannot be {word} on {on}, before the meeting ({day})").format(
                                   word=word, on=on.isoformat(), day=day.isoformat(),
                               ))
    if on > local_day(at, meeting, body):
        raise _refuse(meeting, _("the minutes cannot be {word} on {on}, a day still to come").format(
                                   word=word, on=on.isoformat(),
                               ))


def approve_minutes(
    meeting: Meeting,
    body: Body,
    *,
    at: dt.datetime,
    actor: str,
    by: Sequence[str] = (),
    on: dt.date | None = None,
    at_once: bool = False,
    approved_by: str | None = None,
) -> Meeting:
    """Danish (and English) approval by named members (person ids in `by`), or at once at the meeting.

    Approval at the next meeting is `approve_at_meeting`, which links the two meetings.
    """
    _aware(meeting, at)
    day = meeting_day(meeting, body)
    if at_once:
        if on is not None and on != day:
            raise _refuse(meeting, _("minutes approved at once are approved on the meeting's day ({day})").format(
                                       day=day.isoformat(),
                                   ))
        on = day
    on = on or local_day(at, meeting, body)
    _approval_guards(meeting, body, on, at, swedish_step=False)
    people = list(dict.fromkeys(p for p in by if p))
    if not at_once and not people:
        raise _refuse(meeting, _("minutes approved by members need the members who approve them"))
    mode = "at_once" if at_once else "members"
    detail = "at once at the meeting" if at_once else f"by {', '.join(people)}"
    return _commit(
        meeting, "approve", at, actor, detail,
        minutes=_minutes(
            meeting, status="approved", approved_on=on, approval_mode=mode, approvers=people,
            approved_by=approved_by if approved_by is not None else meeting.minutes.approved_by,
        ),
    )


def approve_at_meeting(
    meeting: Meeting, approving: Meeting, body: Body, *, at: dt.datetime, actor: str, item_id: str | None = None
) -> tuple[Meeting, Meeting]:
    """Approved at the body's next meeting by its standing item "Godkendelse af referat".

    Returns both meetings: the approved one (linked to the approving meeting and
    item) and the approving one (its item linked back). Dated the approving meeting's day.
    """
    _aware(meeting, at)
    if approving.body != meeting.body:
        raise _refuse(meeting, _("minutes are approved at a meeting of the same body, not of {body!r}").format(
                                   body=approving.body,
                               ))
    if approving.id == meeting.id or approving.start <= meeting.start:
        raise _refuse(meeting, _("minutes are approved at a later meeting, not at {approving!r}").format(
                                   approving=approving.id,
                               ))
    if approving.status == "cancelled":
        raise _refuse(meeting, _("the approving meeting {approving!r} is cancelled").format(approving=approving.id))
    if at < approving.start:
        raise _refuse(meeting, _("the approving meeting {approving!r} has not yet taken place ({start})").format(
                                   approving=approving.id, start=_clock(approving.start, approving, body),
                               ))
    if is_approved(approving):
        raise _refuse(meeting, _("the approving meeting {approving!r} has approved minutes; its items change only by amendment").format(
                                   approving=approving.id,
                               ))
    candidates = [i for i in approving.items if i.kind == "approve_minutes"]
    if item_id is not None:
        candidates = [i for i in candidates if i.id == item_id]
        if not candidates:
            raise _refuse(meeting, _("meeting {approving!r} has no item {item_id!r} of kind approve_minutes").format(
                                       approving=approving.id, item_id=item_id,
                                   ))
    free = [i for i in candidates if i.approves_minutes_of in (None, meeting.id)]
    if not free:
        raise _refuse(meeting, _("meeting {approving!r} has no free standing item "
                                 "'Godkendelse af referat' to approve these minutes").format(
                                   approving=approving.id,
                               ))
    item = free[0]
    on = meeting_day(approving, body)
    _approval_guards(meeting, body, on, at, swedish_step=False)
    approved = _commit(
        meeting, "approve", at, actor, f"at the meeting {approving.id!r}, item {item.number or item.id}",
        minutes=_minutes(
            meeting, status="approved", approved_on=on, approval_mode="next_meeting", approvers=[],
            approved_at_meeting=approving.id, approved_at_item=item.id,
        ),
    )
    items = [i.replace(approves_minutes_of=meeting.id) if i.id == item.id else i for i in approving.items]
    linked = approving.replace(items=items)
    return approved, linked


def justera(
    meeting: Meeting,
    body: Body,
    *,
    at: dt.datetime,
    actor: str,
    justerare: Sequence[str],
    place: str = "",
    when: dt.datetime | None = None,
    at_once: bool = False,
    year_meetings: Iterable[Meeting] = (),
) -> Meeting:
    """Swedish justering: one or two justerare, place and time; the §§ are frozen here.

    `when` is the time of the justering (default `at`; at once: the meeting's end).
    `year_meetings` are the body's meetings of the year: the §§ run through the year.
    """
    _aware(meeting, at)
    moment = when or ((meeting.actual_end or meeting.end) if at_once else at)
    _aware(meeting, moment, "when")
    people = list(dict.fromkeys(p for p in justerare if p))
    if not people:
        raise _refuse(meeting, _("the protokoll cannot be justerat without a justerare"))
    if len(people) > 2:
        raise _refuse(meeting, _("a protokoll is justerat by one or two justerare, not {count}").format(count=len(people)))
    on = local_day(moment, meeting, body)
    _approval_guards(meeting, body, on, at, swedish_step=True)
    if moment < meeting.start:
        raise _refuse(meeting, _("the protokoll cannot be justerat before the meeting starts"))
    where = place.strip() or body.minutes_office.strip() or meeting.location.strip()
    if not where:
        raise _refuse(meeting, _("the justering needs a place (justeringens plats)"))
    numbers = paragraph_numbers(meeting, year_meetings)
    frozen = {**numbers, **meeting.minutes.paragraphs}  # frozen once: never renumbered
    detail = f"{'omedelbar justering; ' if at_once else ''}{', '.join(people)}; {where}, {_clock(moment, meeting, body)}"
    return _commit(
        meeting, "justera", at, actor, detail,
        minutes=_minutes(
            meeting, status="approved", approved_on=on, approval_mode="justering", approvers=[],
            justerare=people, justering_place=where, justering_at=moment, paragraphs=frozen,
        ),
    )


def post_minutes(
    meeting: Meeting,
    body: Body,
    *,
    at: dt.datetime,
    actor: str,
    on: dt.date | None = None,
    removal: dt.date | None = None,
) -> Meeting:
    """The Swedish anslag: posted on a day, the appeal period ends three weeks later, taken down not before."""
    _aware(meeting, at)
    if body.language != "sv":
        raise _refuse(meeting, _("an anslag is posted for a Swedish protokoll only"))
    minutes = meeting.minutes
    if minutes.status != "approved":
        raise _refuse(meeting, _("the protokoll cannot be posted (anslag) before it is justerat (minutes: {status})").format(
                                   status=minutes.status,
                               ))
    if minutes.posted_on is not None:
        raise _refuse(meeting, _("the anslag is posted already (on {posted_on})").format(
                                   posted_on=minutes.posted_on.isoformat(),
                               ))
    posted = on or local_day(at, meeting, body)
    if minutes.approved_on is not None and posted < minutes.approved_on:
        raise _refuse(meeting, _("the anslag cannot be posted on {posted}, before the justering ({approved_on})").format(
                                   posted=posted.isoformat(), approved_on=minutes.approved_on.isoformat(),
                               ))
    appeal = posted + dt.timedelta(weeks=APPEAL_WEEKS)
    taken_down = removal or appeal
    if taken_down < appeal:
        raise _refuse(meeting, _("the anslag cannot be taken down on {taken_down}, before the appeal period ends ({appeal})").format(
                                   taken_down=taken_down.isoformat(), appeal=appeal.isoformat(),
                               ))
    return _commit(
        meeting, "post", at, actor, f"posted {posted.isoformat()}, appeal period ends {appeal.isoformat()}",
        minutes=_minutes(meeting, posted_on=posted, appeal_ends=appeal, removal_on=taken_down),
    )


def _draft_publishable(meeting: Meeting, body: Body) -> bool:
    return body.publish_draft_minutes_next_day and body.language == "da"


def publish(
    meeting: Meeting, body: Body, *, what: Literal["agenda", "minutes"], at: dt.datetime, actor: str
) -> Meeting:
    """Publish the public agenda (from dispatch) or the public minutes (from approval / justering).

    A Danish body with `publish_draft_minutes_next_day` may publish its draft minutes
    from the day after the meeting; they are recorded as `published.draft_minutes`
    and printed as "Udkast".
    """
    _aware(meeting, at)
    today = local_day(at, meeting, body)
    published = meeting.published
    if what == "agenda":
        if meeting.status == "cancelled":
            raise _refuse(meeting, _("the agenda of a cancelled meeting is not published"))
        if not is_dispatched(meeting):
            raise _refuse(meeting, _("the agenda cannot be published before it is dispatched (status: {status})").format(
                                       status=meeting.status,
                                   ))
        version = max(meeting.agenda_version, 1)
        if published.agenda is not None and published.agenda_version >= version:
            raise _refuse(meeting, _("the agenda (version {version}) is published already (on {agenda})").format(
                                       version=version, agenda=published.agenda.isoformat(),
                                   ))
        return _commit(
            meeting, "publish_agenda", at, actor, f"agenda version {version}",
            published=published.replace(agenda=today, agenda_version=version),
        )
    if what != "minutes":
        raise _refuse(meeting, _("publish 'agenda' or 'minutes', not {what!r}").format(what=what))
    if is_approved(meeting):
        if published.minutes is not None:
            raise _refuse(meeting, _("the minutes are published already (on {minutes})").format(
                                       minutes=published.minutes.isoformat(),
                                   ))
        return _commit(meeting, "publish_minutes", at, actor, published=published.replace(minutes=today))
    word = pgettext("minutes state", "justerat") if body.language == "sv" else pgettext("minutes state", "approved")
    if not _draft_publishable(meeting, body) or meeting.status != "held" or meeting.minutes.status == "none":
        raise _refuse(meeting, _("the minutes cannot be published before they are {word} (minutes: {status})").format(
                                   word=word, status=meeting.minutes.status,
                               ))
    after = meeting_day(meeting, body) + dt.timedelta(days=1)
    if today < after:
        raise _refuse(meeting, _("draft minutes can be published from the day after the meeting ({after})").format(
                                   after=after.isoformat(),
                               ))
    if published.draft_minutes is not None:
        raise _refuse(meeting, _("the draft minutes are published already (on {draft_minutes})").format(
                                   draft_minutes=published.draft_minutes.isoformat(),
                               ))
    return _commit(meeting, "publish_draft_minutes", at, actor, "marked 'Udkast'",
                   published=published.replace(draft_minutes=today))


def cancel(meeting: Meeting, body: Body, *, reason: str, at: dt.datetime, actor: str) -> Meeting:
    """Cancel a planned or invited meeting; the reason is kept (calendars keep the cancelled event)."""
    _aware(meeting, at)
    if meeting.status not in ("planned", "invited"):
        raise _refuse(meeting, _("only a planned or invited meeting can be cancelled (status: {status})").format(
                                   status=meeting.status,
                               ))
    why = reason.strip()
    if not why:
        raise _refuse(meeting, _("a cancellation needs a reason"))
    return _commit(meeting, "cancel", at, actor, why, status="cancelled", cancelled_reason=why)


def reopen_minutes(meeting: Meeting, body: Body, *, reason: str, at: dt.datetime, actor: str) -> Meeting:
    """Reopen approved (justerat) minutes with a logged reason: back to sent (or draft).

    The approval, the justering's place and time, the anslag and the publication of
    the minutes are cleared (the history keeps them); the justerare and the frozen
    §§ stay.
    """
    _aware(meeting, at)
    if not is_approved(meeting):
        raise _refuse(meeting, _("only approved minutes can be reopened (minutes: {status})").format(
                                   status=meeting.minutes.status,
                               ))
    why = reason.strip()
    if not why:
        raise _refuse(meeting, _("reopening approved minutes needs a reason"))
    back = "sent" if meeting.minutes.sent_on is not None else "draft"
    minutes = _minutes(
        meeting, status=back, approved_on=None, approved_by=None, approval_mode=None, approvers=[],
        approved_at_meeting=None, approved_at_item=None, justering_place="", justering_at=None,
        posted_on=None, appeal_ends=None, removal_on=None,
    )
    return _commit(meeting, "reopen", at, actor, why, minutes=minutes,
                   published=meeting.published.replace(minutes=None))


def amend(
    meeting: Meeting,
    body: Body,
    *,
    what: str,
    at: dt.datetime,
    actor: str,
    item_id: str | None = None,
    **changes: Any,
) -> Meeting:
    """A recorded amendment to approved minutes (protokolbemærkning / rättelse): who, when, what.

    With `item_id`, `changes` are applied to that item (never its id); the
    amendment names the item and the fields. The frozen §§ do not change.
    """
    _aware(meeting, at)
    if not is_approved(meeting):
        raise _refuse(meeting, _("the minutes are not approved; edit them directly (minutes: {status})").format(
                                   status=meeting.minutes.status,
                               ))
    who, note = actor.strip(), what.strip()
    if not who or not note:
        raise _refuse(meeting, _("an amendment needs who makes it and what it changes"))
    if "id" in changes or "number" in changes:
        raise _refuse(meeting, _("an amendment does not change an item's id or number"))
    items = meeting.items
    text = note
    if item_id is not None:
        try:
            item = meeting.item(item_id)
        except KeyError:
            raise _refuse(meeting, _("there is no item {item_id!r} to amend").format(item_id=item_id)) from None
        try:
            new_item = item.replace(**changes)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise _refuse(meeting, _("item {item_id!r}: field {field!r}: {message}").format(
                                       item_id=item_id, field='.'.join(map(str, err['loc'])),
                                       message=err['msg'].removeprefix('Value error, '),
                                   )) from None
        items = [new_item if i.id == item_id else i for i in meeting.items]
        text = f"item {item.number or item.id} ({', '.join(sorted(changes)) or 'nothing'}): {note}"
    elif changes:
        raise _refuse(meeting, _("an amendment changes one item: name it"))
    amendment = Amendment(on=local_day(at, meeting, body), by=who, what=text, item=item_id,
                          fields=sorted(changes) if item_id is not None else [], note=note)
    return _commit(meeting, "amend", at, actor, text, items=items,
                   minutes=_minutes(meeting, amendments=[*meeting.minutes.amendments, amendment]))


# -- guards of other changes ---------------------------------------------------------------


def _content(meeting: Meeting) -> dict:
    """What the minutes say, for comparing: everything but stamps, life and ticked-off actions."""
    data = meeting.model_dump(exclude={*STAMP_FIELDS, *LIFE_FIELDS})
    for item in data["items"]:
        for action in item["actions"]:
            action["done"] = False
            action.pop("done_on", None)  # ticking off a follow-up records its day: still not the minutes
    return data


def _item_content(item: Item) -> dict:
    """What the agenda says of an item: a change to it after dispatch is an addendum. The
    decision, the outcome and the follow-ups are the minutes' (recorded at the meeting)."""
    return item.model_dump(exclude={"number", "addendum", "decision", "outcome", "referred_to", "actions",
                                    "approves_minutes_of"})


def check_edit(before: Meeting, after: Meeting, *, at: dt.datetime, actor: str) -> Meeting:
    """The guard of every change that is not a step of the life (items, attendance, times, place …).

    Refuses a change to approved minutes (except ticking off follow-ups), to the
    life's own fields, or to frozen §§; marks items added or changed after
    dispatch (before the meeting) as addenda and logs them. Returns `after`,
    perhaps with items marked.
    """
    _aware(before, at)
    if after.id != before.id:
        raise _refuse(before, _("a meeting keeps its id (not {after!r})").format(after=after.id))
    changed_life = [name for name in LIFE_FIELDS if getattr(before, name) != getattr(after, name)]
    if changed_life:
        raise _refuse(before, _("{fields} changes only through the meeting's life (dispatch, held, cancel, publish)").format(
                                  fields=changed_life[0],
                              ))
    if before.minutes != after.minutes:
        allowed = before.minutes.status == "none" and after.minutes == before.minutes.replace(status="draft")
        if not allowed:
            raise _refuse(before, _("the minutes change only through their life (draft, send, approve, reopen, amend)"))
    if is_approved(before) and _content(before) != _content(after):
        word = pgettext("minutes state", "justerat") if (
            before.minutes.approval_mode == "justering"
        ) else pgettext("minutes state", "approved")
        raise _refuse(before, _("the minutes are {word} (on {approved_on}); a change now must be made as a recorded amendment").format(
                                  word=word, approved_on=_iso(before.minutes.approved_on),
                              ))
    if before.status == "invited":
        old = {item.id: _item_content(item) for item in before.items}
        marked: list[str] = []
        items = []
        for item in after.items:
            if not item.addendum and old.get(item.id) != _item_content(item):
                item = item.replace(addendum=True)
                marked.append(item.number or item.id)
            items.append(item)
        removed = [i.number or i.id for i in before.items if i.id not in {j.id for j in after.items}]
        if marked or removed:
            parts = [f"items {', '.join(marked)} added or changed after dispatch"] if marked else []
            parts += [f"items {', '.join(removed)} removed after dispatch"] if removed else []
            after = after.replace(items=items, history=[*after.history, _event("addendum", at, actor, "; ".join(parts))])
    problems = life_problems(after)
    if problems:
        raise _refuse(before, problems[0][1])
    return after


def check_delete(meeting: Meeting) -> None:
    """A meeting that was dispatched or held is cancelled, never deleted."""
    if is_dispatched(meeting) or meeting.minutes.status != "none" or meeting.actual_start is not None:
        raise _refuse(meeting, _("a meeting that was dispatched or held cannot be deleted; cancel it instead (status: {status})").format(
                                   status=meeting.status,
                               ))


# -- consistency of a stored or imported meeting -------------------------------------------


def life_problems(meeting: Meeting, body: Body | None = None) -> list[tuple[str, str]]:
    """(field, rule) for every inconsistency of the meeting's life."""
    problems: list[tuple[str, str]] = []
    status, minutes, published = meeting.status, meeting.minutes, meeting.published
    day = meeting_day(meeting, body)

    def add(field: str, rule: str) -> None:
        problems.append((field, rule))

    if status != "held" and minutes.status in ("sent", "approved"):
        rule = {"sent": _("minutes cannot be sent for comments before the meeting is held (status: {status})"),
                "approved": _("minutes cannot be approved before the meeting is held (status: {status})")}[minutes.status]
        add("minutes.status", rule.format(
                                  status=status,
                              ))
    if status == "planned" and meeting.dispatched_at is not None:
        add("dispatched_at", _("a meeting whose agenda is dispatched is invited, not planned"))
    if meeting.dispatched_at is not None and meeting.dispatched_at > meeting.start:
        add("dispatched_at", _("the agenda cannot be dispatched after the meeting's start"))
    if (meeting.actual_start or meeting.actual_end) and status != "held":
        add("actual_start", _("an actual start and end are recorded for a held meeting only (status: {status})").format(
                                status=status,
                            ))
    if meeting.actual_start and meeting.actual_end and meeting.actual_end <= meeting.actual_start:
        add("actual_end", _("the meeting cannot end before it starts"))
    if meeting.cancelled_reason and status != "cancelled":
        add("cancelled_reason", _("a cancellation reason on a meeting that is not cancelled (status: {status})").format(
                                    status=status,
                                ))
    if minutes.status == "approved":
        if minutes.approved_on is not None and minutes.approved_on < day:
            add("minutes.approved_on", _("minutes cannot be approved before the meeting ({day})").format(day=day.isoformat()))
    else:
        for field in ("approved_on", "approval_mode", "approved_at_meeting", "justering_at", "posted_on"):
            if getattr(minutes, field) is not None:
                add(f"minutes.{field}", _("set on minutes that are not approved (minutes: {status})").format(
                                            status=minutes.status,
                                        ))
    mode = minutes.approval_mode
    if mode == "justering":
        if not minutes.justerare:
            add("minutes.justerare", _("a protokoll cannot be justerat without a justerare"))
        if minutes.justering_at is not None and minutes.justering_at < meeting.start:
            add("minutes.justering_at", _("the protokoll cannot be justerat before the meeting starts"))
    if mode == "members" and not minutes.approvers:
        add("minutes.approvers", _("minutes approved by members need the members who approve them"))
    if mode == "next_meeting" and (minutes.approved_at_meeting is None or minutes.approved_at_item is None):
        add("minutes.approved_at_meeting", _("minutes approved at the next meeting need that meeting and its item"))
    if minutes.approved_at_meeting == meeting.id:
        add("minutes.approved_at_meeting", _("minutes cannot be approved at their own meeting; approve them at once"))
    if len(set(minutes.justerare)) != len(minutes.justerare):
        add("minutes.justerare", _("the same justerare is named twice"))
    if minutes.sent_on is not None:
        if minutes.sent_on < day:
            add("minutes.sent_on", _("minutes cannot be sent before the meeting ({day})").format(day=day.isoformat()))
        if minutes.status not in ("sent", "approved"):
            add("minutes.sent_on", _("a sending date on minutes not sent (minutes: {status})").format(status=minutes.status))
    if minutes.comment_deadline is not None and minutes.sent_on is not None and minutes.comment_deadline < minutes.sent_on:
        add("minutes.comment_deadline", _("the comment deadline is before the minutes were sent"))
    if minutes.posted_on is not None:
        if minutes.approved_on is not None and minutes.posted_on < minutes.approved_on:
            add("minutes.posted_on", _("the anslag cannot be posted before the justering"))
        appeal = minutes.posted_on + dt.timedelta(weeks=APPEAL_WEEKS)
        if minutes.appeal_ends != appeal:
            add("minutes.appeal_ends", _("the appeal period ends three weeks after the anslag ({appeal})").format(
                                           appeal=appeal.isoformat(),
                                       ))
        if minutes.removal_on is None or minutes.removal_on < appeal:
            add("minutes.removal_on", _("the anslag cannot be taken down before the appeal period ends ({appeal})").format(
                                          appeal=appeal.isoformat(),
                                      ))
    elif minutes.appeal_ends is not None or minutes.removal_on is not None:
        add("minutes.posted_on", _("appeal and removal dates need the date the anslag was posted"))
    if minutes.paragraphs:
        item_ids = {item.id for item in meeting.items}
        stray = sorted(set(minutes.paragraphs) - item_ids)
        if stray:
            add("minutes.paragraphs", _("a frozen § for an item the meeting does not have ({stray!r})").format(stray=stray[0]))
        values = [paragraph_int(v) for v in minutes.paragraphs.values()]
        if len(set(values)) != len(values):
            add("minutes.paragraphs", _("two items have the same frozen §"))
        justerat = mode == "justering" or any(e.action == "justera" for e in meeting.history)
        if not justerat:
            add("minutes.paragraphs", _("§§ are frozen at justering; these minutes were never justerat"))
    if published.agenda is not None and not is_dispatched(meeting):
        add("published.agenda", _("the agenda cannot be published before it is dispatched (status: {status})").format(
                                    status=status,
                                ))
    if published.minutes is not None and minutes.status != "approved":
        add("published.minutes", _("the minutes cannot be published before they are approved (minutes: {status})").format(
                                     status=minutes.status,
                                 ))
    if published.draft_minutes is not None:
        if status != "held":
            add("published.draft_minutes", _("draft minutes of a meeting not held (status: {status})").format(status=status))
        elif published.draft_minutes <= day:
            add("published.draft_minutes", _("draft minutes can be published from the day after the meeting"))
    for item in meeting.items:
        if item.approves_minutes_of == meeting.id:
            add("items", _("item {item!r} cannot approve the minutes of its own meeting").format(item=item.id))
    return problems


def check_life(meeting: Meeting, body: Body | None = None) -> list[str]:
    """Every inconsistency of a stored or imported meeting's life, as import reports a problem."""
    return [
        f"meeting {meeting.id!r}: field {field!r}: {rule}"
        for field, rule in life_problems(meeting, body)
    ]


def check_links(meetings: Mapping[str, Meeting]) -> list[str]:
    """Approval at the next meeting is linked both ways: the minutes name the meeting and its item,
    the item names the minutes' meeting. Links to meetings not in `meetings` are not checked here."""
    problems: list[str] = []
    for meeting in meetings.values():
        target_id = meeting.minutes.approved_at_meeting
        if target_id is not None and target_id in meetings and meeting.minutes.status == "approved":
            target = meetings[target_id]
            where = f"meeting {meeting.id!r}: field 'minutes.approved_at_meeting': value {target_id!r}"
            if target.body != meeting.body or target.start <= meeting.start:
                problems.append(_("{where}: minutes are approved at a later meeting of the same body").format(where=where))
            item = next((i for i in target.items if i.id == meeting.minutes.approved_at_item), None)
            if item is None or item.kind != "approve_minutes" or item.approves_minutes_of != meeting.id:
                problems.append(_("{where}: that meeting's item 'Godkendelse af referat' ({approved_at_item!r}) does not "
                                  "link back to these minutes").format(
                                    where=where, approved_at_item=meeting.minutes.approved_at_item,
                                ))
        for item in meeting.items:
            source = meetings.get(item.approves_minutes_of or "")
            if source is not None and (source.body != meeting.body or source.start >= meeting.start):
                problems.append(_("meeting {meeting!r} item {item!r}: field 'approves_minutes_of': value {source!r}: minutes "
                                  "are approved at a later meeting of the same body").format(
                                    meeting=meeting.id, item=item.id, source=source.id,
                                ))
    return problems
