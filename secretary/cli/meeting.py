"""A meeting's life on the command line: `secretary meeting …`, `secretary minutes …`, `secretary due`.

Every command calls the same service method as the TUI's key (sec.agenda.dispatch,
mark_held, draft_minutes, send_minutes, approve_minutes, post_minutes,
reopen_minutes, publish, cancel_meeting, delete_meeting, edit_meeting). A refused
step exits 1 with one line naming the rule, and nothing is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import orjson

from secretary.cli.common import add_db_argument, open_secretary, print_rows
from secretary.domain import life
from secretary.domain.deadlines import closing_step
from secretary.domain.errors import SecretaryError
from secretary.domain.interchange import to_jsonable
from secretary.domain.model import Body, Meeting
from secretary.i18n import _

# The command that does each step of `life.next_steps` (ID is the meeting's id).
COMMANDS = {
    "dispatch": "secretary meeting dispatch {id}",
    "cancel": "secretary meeting cancel {id} --reason TEXT",
    "mark_held": "secretary meeting held {id} [--start HH:MM] [--end HH:MM]",
    "publish_agenda": "secretary meeting publish {id} --agenda",
    "draft_minutes": "secretary minutes draft {id}",
    "send_minutes": "secretary minutes send {id} [--deadline YYYY-MM-DD]",
    "record_comment": "(the TUI's meeting screen records comments)",
    "justera": "secretary minutes approve {id} --by ID[,ID] [--place TEXT]",
    "approve_at_meeting": "secretary minutes approve {id} --at-next-meeting",
    "approve_minutes": "secretary minutes approve {id} --by ID[,ID] | --at-once",
    "publish_draft_minutes": "secretary meeting publish {id} --minutes",
    "post_minutes": "secretary minutes post {id} [--on YYYY-MM-DD]",
    "publish_minutes": "secretary meeting publish {id} --minutes",
    "amend": "(the TUI's minutes: A amends an item)",
    "reopen_minutes": "secretary minutes reopen {id} --reason TEXT",
}


def command_for(action: str, meeting_id: str) -> str:
    return COMMANDS.get(action, "").format(id=meeting_id)


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number of days: {text!r}").format(text=text)) from None
    if not 0 <= days <= 366:
        raise argparse.ArgumentTypeError(_("{days} days is outside 0–366").format(days=days))
    return days


def register(commands, exports) -> None:
    meeting = commands.add_parser("meeting", help=_("one meeting: show, edit, and its life (dispatch, held, cancel, publish)"))
    add_db_argument(meeting)
    steps = meeting.add_subparsers(dest="meeting_command", metavar="STEP", required=True)

    show = steps.add_parser("show", help=_("the meeting, its life so far and what comes next"))
    show.add_argument("meeting", metavar="MEETING")
    show.add_argument("--json", action="store_true", help=_("print the meeting (secretary/1) with its stage and next steps"))
    add_db_argument(show)
    show.set_defaults(handler=cmd_show)

    edit = steps.add_parser("edit", help=_("change title, time, place, online link, chair, minute-taker (warns on the body's rules)"))
    edit.add_argument("meeting", metavar="MEETING")
    edit.add_argument("--title", metavar="T")
    edit.add_argument("--start", metavar="ISO", help=_("new start, e.g. 2027-01-14T10:00 (local time) or with an offset"))
    edit.add_argument("--end", metavar="ISO", help=_("new end (default: the length is kept)"))
    edit.add_argument("--location", metavar="L")
    edit.add_argument("--online-url", metavar="U")
    edit.add_argument("--chair", metavar="ID", help=_("person id of the chair (mødeleder / ordförande); '' clears"))
    edit.add_argument("--minute-taker", metavar="ID", help=_("person id of the minute-taker (referent / sekreterare); '' clears"))
    add_db_argument(edit)
    edit.set_defaults(handler=cmd_edit)

    dispatch = steps.add_parser("dispatch", help=_("record that the agenda was sent (or an addendum)"))
    dispatch.add_argument("meeting", metavar="MEETING")
    dispatch.add_argument("--on", metavar="ISO", help=_("when it was sent (default now), e.g. 2027-01-05T10:00"))
    add_db_argument(dispatch)
    dispatch.set_defaults(handler=cmd_dispatch)

    held = steps.add_parser("held", help=_("record that the meeting took place (from its start)"))
    held.add_argument("meeting", metavar="MEETING")
    held.add_argument("--start", metavar="HH:MM", help=_("actual start (default: the planned start)"))
    held.add_argument("--end", metavar="HH:MM", help=_("actual end, 'Mødet hævet kl.' (default: the planned end)"))
    add_db_argument(held)
    held.set_defaults(handler=cmd_held)

    cancel = steps.add_parser("cancel", help=_("cancel a planned or invited meeting (it stays, marked cancelled)"))
    cancel.add_argument("meeting", metavar="MEETING")
    cancel.add_argument("--reason", metavar="TEXT", required=True)
    add_db_argument(cancel)
    cancel.set_defaults(handler=cmd_cancel)

    delete = steps.add_parser("delete", help=_("delete a meeting never dispatched nor held"))
    delete.add_argument("meeting", metavar="MEETING")
    add_db_argument(delete)
    delete.set_defaults(handler=cmd_delete)

    new = steps.add_parser("new", help=_("a new meeting of a body, from its agenda template, its last meeting or empty; prints its id"))
    new.add_argument("body", metavar="BODY_ID")
    new.add_argument("--start", metavar="'YYYY-MM-DD HH:MM'", required=True, help=_("start in the body's local time"))
    new.add_argument("--end", metavar="'YYYY-MM-DD HH:MM'", help=_("end (default: the body's usual length)"))
    new.add_argument("--place", metavar="TEXT", help=_("place (default: the body's usual place)"))
    new.add_argument("--title", metavar="TEXT", default="")
    new.add_argument("--from", dest="source", choices=("last", "template", "empty"),
                     help=_("start from the body's template (default when it has one), its last meeting, "
                            "or empty (the standard standing items)"))
    add_db_argument(new)
    new.set_defaults(handler=cmd_new)

    unanswered = steps.add_parser("unanswered", help=_("the seats of the body with no attendance recorded for the meeting"))
    unanswered.add_argument("meeting", metavar="MEETING_ID")
    unanswered.add_argument("--json", action="store_true")
    add_db_argument(unanswered)
    unanswered.set_defaults(handler=cmd_unanswered)

    publish = steps.add_parser("publish", help=_("publish the public agenda or minutes (default: what comes next)"))
    publish.add_argument("meeting", metavar="MEETING")
    which = publish.add_mutually_exclusive_group()
    which.add_argument("--agenda", action="store_const", dest="what", const="agenda")
    which.add_argument("--minutes", action="store_const", dest="what", const="minutes")
    add_db_argument(publish)
    publish.set_defaults(handler=cmd_publish, what=None)

    minutes = commands.add_parser("minutes", help=_("the minutes' life: draft, send, approve (justera), post, reopen"))
    add_db_argument(minutes)
    msteps = minutes.add_subparsers(dest="minutes_command", metavar="STEP", required=True)
    for name, helptext in (("draft", "start the minutes of a held meeting"), ("send", "send the draft for comments")):
        sub = msteps.add_parser(name, help=helptext)
        sub.add_argument("meeting", metavar="MEETING")
        sub.add_argument("--deadline", metavar="YYYY-MM-DD", help=_("comment deadline (send; default: the body's comment days)"))
        add_db_argument(sub)
        sub.set_defaults(handler=cmd_minutes_draft if name == "draft" else cmd_minutes_send)

    approve = msteps.add_parser("approve", help=_("approve (Danish) or justera (Swedish: --by the justerare, --place)"))
    approve.add_argument("meeting", metavar="MEETING")
    approve.add_argument("--by", metavar="ID[,ID]", default="", help=_("person ids: approving members, or the justerare"))
    approve.add_argument("--on", metavar="YYYY-MM-DD", help=_("day of approval / justering (default today)"))
    approve.add_argument("--place", metavar="TEXT", help=_("justeringens plats (Swedish; default: the body's minutes office)"))
    approve.add_argument("--at-next-meeting", action="store_true", help=_("at the body's next meeting (its 'Godkendelse af referat')"))
    approve.add_argument("--at-once", action="store_true", help=_("at once at the meeting (godkendt på mødet / omedelbar justering)"))
    add_db_argument(approve)
    approve.set_defaults(handler=cmd_minutes_approve)

    post = msteps.add_parser("post", help=_("post the Swedish anslag (appeal period three weeks)"))
    post.add_argument("meeting", metavar="MEETING")
    post.add_argument("--on", metavar="YYYY-MM-DD", help=_("day of posting (default today)"))
    add_db_argument(post)
    post.set_defaults(handler=cmd_minutes_post)

    reopen = msteps.add_parser("reopen", help=_("reopen approved minutes (the reason is logged)"))
    reopen.add_argument("meeting", metavar="MEETING")
    reopen.add_argument("--reason", metavar="TEXT", required=True)
    add_db_argument(reopen)
    reopen.set_defaults(handler=cmd_minutes_reopen)

    due = commands.add_parser("due", help=_("deadlines due within N days and overdue, with the command that does each step"))
    due.add_argument("--json", action="store_true")
    due.add_argument("--days", metavar="N", type=_days, default=7, help=_("days ahead (default 7, as the overview)"))
    add_db_argument(due)
    due.set_defaults(handler=cmd_due)


# -- printing ------------------------------------------------------------------------------


def _clock(moment: dt.datetime | None, body: Body) -> str:
    if moment is None:
        return "-"
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(body.timezone)).strftime("%Y-%m-%d %H:%M")


def _done(meeting: Meeting, secretary) -> None:
    """One line on stderr: what the meeting is now, and the next step."""
    body = secretary.records.body(meeting.body)
    steps = life.next_steps(meeting, body)
    nxt = f"; next: {command_for(steps[0].action, meeting.id)}" if steps else ""
    print(_("meeting {id!r}: {stage}{next_step}").format(id=meeting.id, stage=life.stage(meeting), next_step=nxt), file=sys.stderr)


def cmd_show(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    meeting = secretary.records.meeting(args.meeting)
    body = secretary.records.body(meeting.body)
    steps = life.next_steps(meeting, body)
    warnings = secretary.agenda.schedule_warnings(meeting.id)
    if args.json:
        document = {
            "meeting": to_jsonable(meeting),
            "stage": life.stage(meeting),
            "next_steps": [{"action": s.action, "text": s.text, "command": command_for(s.action, meeting.id)} for s in steps],
            "warnings": warnings,
        }
        sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return 0
    people = {p.id: p.name for p in secretary.records.people()}
    out = []
    out.append(f"{body.label} {_clock(meeting.start, body)}–{_clock(meeting.end, body)[-5:]}  ({meeting.id})")
    if meeting.title:
        out.append(_("title:        {title}").format(title=meeting.title))
    out.append(_("place:        {place}").format(place=meeting.location or '-'))
    if meeting.online_url:
        out.append(_("online:       {online_url}").format(online_url=meeting.online_url))
    out.append(_("stage:        {stage}  (status {status}, minutes {minutes_status})").format(
        stage=life.stage(meeting), status=meeting.status, minutes_status=meeting.minutes.status,
    ))
    if meeting.cancelled_reason:
        out.append(_("cancelled:    {cancelled_reason}").format(cancelled_reason=meeting.cancelled_reason))
    out.append(_("chair:        {chair}").format(chair=people.get(meeting.chair or '', meeting.chair or '-')))
    out.append(_("minute-taker: {minute_taker}").format(minute_taker=people.get(meeting.minute_taker or '', meeting.minute_taker or '-')))
    if meeting.dispatched_at:
        out.append(_("dispatched:   {dispatched_at} (agenda version {agenda_version})").format(
            dispatched_at=_clock(meeting.dispatched_at, body), agenda_version=meeting.agenda_version,
        ))
    if meeting.actual_start:
        out.append(_("held:         {actual_start}–{actual_end}").format(
            actual_start=_clock(meeting.actual_start, body), actual_end=_clock(meeting.actual_end, body)[-5:],
        ))
    minutes = meeting.minutes
    if minutes.sent_on:
        until = minutes.comment_deadline.isoformat() if minutes.comment_deadline else "-"
        out.append(_("sent:         {sent_on}, comments by {until}").format(sent_on=minutes.sent_on.isoformat(), until=until))
    if minutes.approved_on:
        how = minutes.approval_mode or "-"
        names = ", ".join(people.get(p, p) for p in (minutes.justerare or minutes.approvers))
        out.append(_("approved:     {approved_on} ({how}{by_whom})").format(
            approved_on=minutes.approved_on.isoformat(), how=how, by_whom=': ' + names if names else '',
        ))
    if minutes.posted_on:
        out.append(_("anslag:       posted {posted_on}, appeal period ends {appeal_ends}").format(
            posted_on=minutes.posted_on.isoformat(), appeal_ends=minutes.appeal_ends,
        ))
    published = meeting.published
    if published.agenda or published.minutes or published.draft_minutes:
        parts = [f"agenda {published.agenda}" if published.agenda else "", f"draft minutes {published.draft_minutes}"
                 if published.draft_minutes else "", f"minutes {published.minutes}" if published.minutes else ""]
        out.append(_("published:    {published}").format(published=', '.join(p for p in parts if p)))
    for warning in warnings:
        out.append(_("warning:      {warning}").format(warning=warning))
    out.append("")
    out.append(_("history:"))
    if not meeting.history:
        out.append(_("  (nothing recorded yet)"))
    for event in meeting.history:
        detail = f"  {event.detail}" if event.detail else ""
        out.append(f"  {_clock(event.at, body)}  {event.actor or '-'}  {event.action}{detail}")
    out.append("")
    out.append(_("next:"))
    if not steps:
        out.append(_("  (nothing: the meeting's life is complete)"))
    for step in steps:
        out.append(f"  {step.text}")
        command = command_for(step.action, meeting.id)
        if command:
            out.append(f"      {command}")
    print("\n".join(out))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    changes = {
        name: getattr(args, name)
        for name in ("title", "start", "end", "location", "online_url", "chair", "minute_taker")
        if getattr(args, name) is not None
    }
    if not changes:
        print(_("secretary: nothing to change: give --title, --start, --end, --location, --online-url, --chair or --minute-taker"),
              file=sys.stderr)
        return 2
    meeting = secretary.agenda.edit_meeting(args.meeting, **changes)
    for warning in secretary.agenda.schedule_warnings(meeting.id):
        print(_("secretary: warning: meeting {id!r}: {warning}").format(id=meeting.id, warning=warning), file=sys.stderr)
    print(_("meeting {id!r}: saved").format(id=meeting.id), file=sys.stderr)
    return 0


def _local_time(text: str, flag: str) -> dt.datetime:
    """'YYYY-MM-DD HH:MM' (or with a T, or an ISO time with its offset)."""
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise SecretaryError(_("{flag}: value {value!r}: not a date and time like '2027-03-04 10:00'").format(
            flag=flag, value=text,
        )) from None


def cmd_new(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    start = _local_time(args.start, "--start")
    end = _local_time(args.end, "--end") if args.end else None
    meeting = secretary.agenda.new_meeting(
        args.body, start, end, location=args.place, title=args.title, source=args.source,
    )
    print(meeting.id)
    print(_("meeting {id!r}: planned, {count} items").format(id=meeting.id, count=len(meeting.items)), file=sys.stderr)
    return 0


def cmd_unanswered(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    seats = secretary.overview.not_answered(args.meeting)
    people = {p.id: p for p in secretary.records.people()}
    orgs = {o.id: o for o in secretary.records.organisations()}
    rows = []
    for seat in seats:
        person = people.get(seat.person or "")
        org_id = seat.organisation or (person.organisation if person else None)
        org = orgs.get(org_id or "")
        rows.append({
            "membership": seat.id, "person": seat.person, "person_name": person.name if person else None,
            "organisation": org_id, "organisation_name": org.name if org else None, "role": seat.role,
        })
    if args.json:
        document = {"meeting": args.meeting, "unanswered": rows}
        sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return 0
    if not rows:
        print(_("meeting {id!r}: every seat has answered").format(id=args.meeting), file=sys.stderr)
        return 0
    print_rows([_("person"), _("organisation"), _("role")],
               [[r["person_name"] or "-", r["organisation_name"] or r["organisation"] or "-", str(r["role"])] for r in rows])
    return 0


def cmd_dispatch(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    _done(secretary.agenda.dispatch(args.meeting, at=args.on), secretary)
    return 0


def cmd_held(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    _done(secretary.agenda.mark_held(args.meeting, start=args.start, end=args.end), secretary)
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    _done(secretary.agenda.cancel_meeting(args.meeting, args.reason), secretary)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    secretary.agenda.delete_meeting(args.meeting)
    print(_("meeting {meeting!r}: deleted").format(meeting=args.meeting), file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    what = args.what
    if what is None:
        meeting = secretary.records.meeting(args.meeting)
        what = "minutes" if meeting.status == "held" else "agenda"
    _done(secretary.agenda.publish(args.meeting, what), secretary)
    return 0


def cmd_minutes_draft(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    if args.deadline:
        print(_("secretary: --deadline is for 'minutes send'"), file=sys.stderr)
        return 2
    _done(secretary.agenda.draft_minutes(args.meeting), secretary)
    return 0


def cmd_minutes_send(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    _done(secretary.agenda.send_minutes(args.meeting, deadline=args.deadline), secretary)
    return 0


def cmd_minutes_approve(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    by = [part.strip() for part in args.by.split(",") if part.strip()]
    meeting = secretary.agenda.approve_minutes(
        args.meeting, by=by, on=args.on, place=args.place, at_next_meeting=args.at_next_meeting, at_once=args.at_once
    )
    _done(meeting, secretary)
    return 0


def cmd_minutes_post(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    _done(secretary.agenda.post_minutes(args.meeting, on=args.on), secretary)
    return 0


def cmd_minutes_reopen(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    _done(secretary.agenda.reopen_minutes(args.meeting, args.reason), secretary)
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    today = secretary.clock().date()
    lines = secretary.overview.deadlines_due(today, days=args.days)
    rows = []
    for line in lines:
        step = closing_step(line)
        rows.append({
            "meeting": line.meeting.id,
            "body": line.body.id,
            "kind": line.kind,
            "label": line.label("en"),
            "due": line.due.isoformat(),
            "overdue": line.overdue(today),
            "step": step,
            "command": command_for(step, line.meeting.id),
        })
    if args.json:
        sys.stdout.buffer.write(orjson.dumps({"today": today.isoformat(), "deadlines": rows}, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return 0
    if not rows:
        print(_("nothing due within {days} days and nothing overdue (today {today})").format(
            days=args.days, today=today.isoformat(),
        ))
        return 0
    labels = {b.id: b.label for b in secretary.records.bodies()}
    for row, line in zip(rows, lines, strict=True):
        flag = "OVERDUE" if row["overdue"] else "due    "
        print(f"{row['due']}  {flag}  {row['label']:<24} {labels.get(line.body.id, line.body.id):<10} {row['meeting']}")
        print(f"      {row['command']}")
    return 0
