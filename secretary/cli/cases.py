"""Capacity adjustment cases and e-mail: `secretary case …`, `secretary send …`, `secretary mail test`.

    secretary case new --offer NAME --operator ORG --before N --after M [--closure] [--affected ORG,...]
                       [--effect YYYY-MM-DD] [--case-number S] [--on YYYY-MM-DD] [--json]
    secretary case list|show [CASE] [--json]
    secretary case route CASE --meeting MEETING | --hearing [--deadline-days N]
    secretary case respond CASE --org ORG --answer approve|object|none [--text T] [--on YYYY-MM-DD]
    secretary case remind CASE | case close CASE
    secretary send agenda|minutes MEETING [--dry-run]
    secretary mail test
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from secretary.cli.common import add_db_argument, open_secretary, print_collection
from secretary.domain import cases as rules
from secretary.domain.errors import SecretaryError
from secretary.domain.model import Case
from secretary.i18n import _


def register(commands, exports) -> None:
    case = commands.add_parser("case", help=_("capacity adjustments (kapacitetsjusteringer) and their e-mail hearings"))
    add_db_argument(case)
    sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    new = sub.add_parser("new", help=_("register a capacity adjustment; prints its route by the rule"))
    new.add_argument("--offer", required=True, metavar="NAME", help=_("the offer (tilbud)"))
    new.add_argument("--operator", required=True, metavar="ORG", help=_("the operating municipality or region (organisation id)"))
    new.add_argument("--before", required=True, type=int, metavar="N", help=_("places before"))
    new.add_argument("--after", required=True, type=int, metavar="M", help=_("places after (0 with --closure)"))
    new.add_argument("--closure", action="store_true", help=_("the whole offer closes"))
    new.add_argument("--affected", metavar="ORG,...", default="", help=_("organisations that buy places (ids, comma-separated)"))
    new.add_argument("--effect", metavar="YYYY-MM-DD", help=_("date of effect"))
    new.add_argument("--case-number", metavar="S", default="", help=_("the case number (sagsnummer)"))
    new.add_argument("--on", metavar="YYYY-MM-DD", help=_("the case's date (default today): which rule it follows"))
    new.add_argument("--json", action="store_true", help=_("print the case as secretary/1"))
    add_db_argument(new)
    new.set_defaults(handler=cmd_new)

    for name, helptext in (("list", "every case with its status and route"), ("show", "one case, its route, hearing and history")):
        parser = sub.add_parser(name, help=helptext)
        parser.add_argument("case", metavar="CASE", nargs="?" if name == "list" else None)
        parser.add_argument("--json", action="store_true", help=_("print secretary/1"))
        add_db_argument(parser)
        parser.set_defaults(handler=cmd_list if name == "list" else cmd_show)

    route = sub.add_parser("route", help=_("to a meeting (a decision item) or to an e-mail hearing of the members"))
    route.add_argument("case", metavar="CASE")
    where = route.add_mutually_exclusive_group(required=True)
    where.add_argument("--meeting", metavar="MEETING", help=_("a meeting of DASSOS or FU (the rule's deciders)"))
    where.add_argument("--hearing", action="store_true", help=_("e-mail the member organisations now"))
    route.add_argument("--deadline-days", type=int, metavar="N", help=_("days to answer (default: the rule's, 14)"))
    add_db_argument(route)
    route.set_defaults(handler=cmd_route)

    respond = sub.add_parser("respond", help=_("record a member organisation's answer in the hearing"))
    respond.add_argument("case", metavar="CASE")
    respond.add_argument("--org", required=True, metavar="ORG")
    respond.add_argument("--answer", required=True, choices=rules_answers())
    respond.add_argument("--text", default="", metavar="T")
    respond.add_argument("--on", metavar="YYYY-MM-DD", help=_("the day of the answer (default today)"))
    add_db_argument(respond)
    respond.set_defaults(handler=cmd_respond)

    for name, helptext in (("remind", "e-mail those who have not answered"), ("close", "close a decided case")):
        parser = sub.add_parser(name, help=helptext)
        parser.add_argument("case", metavar="CASE")
        add_db_argument(parser)
        parser.set_defaults(handler=cmd_remind if name == "remind" else cmd_close)

    send = commands.add_parser("send", help=_("e-mail the agenda or the minutes to the invited; recorded in the meeting's life"))
    send.add_argument("kind", choices=("agenda", "minutes"))
    send.add_argument("meeting", metavar="MEETING")
    send.add_argument("--dry-run", action="store_true", help=_("write the messages as .eml files into the outbox instead"))
    add_db_argument(send)
    send.set_defaults(handler=cmd_send)

    mail = commands.add_parser("mail", help=_("the e-mail settings"))
    add_db_argument(mail)
    mail_sub = mail.add_subparsers(dest="mail_command", metavar="ACTION", required=True)
    test = mail_sub.add_parser("test", help=_("check the SMTP settings by sending a message to yourself"))
    add_db_argument(test)
    test.set_defaults(handler=cmd_mail_test)


def rules_answers() -> tuple[str, ...]:
    return ("approve", "object", "none")


def _date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise SecretaryError(_("{flag}: value {value!r}: not a date like 2027-03-04").format(flag=flag, value=value)) from None


def _describe(sec, case: Case) -> list[str]:
    names = sec.cases.names()
    routed = sec.cases.routing(case)
    rule = routed.rule
    since = rule.valid_from.isoformat() if rule.valid_from else _("the first rule")
    consent = _("silence is consent") if rule.silence_is_consent else _("silence is not consent")
    lines = [
        _("case {case}: {offer} ({operator})").format(case=case.id, offer=case.offer, operator=names.get(case.operator, case.operator)),
        _("  change:    {change}").format(change=rules.change_text(case))
        + (_(", effect {effect}").format(effect=case.effect.isoformat()) if case.effect else ""),
        _("  number:    {number}   dated {dated}   status {status}").format(
            number=case.case_number or "-", dated=case.dated.isoformat(), status=rules.status_word(case.status)),
        _("  route:     {reason}").format(reason=routed.reason),
        _("  rule:      valid from {since}: threshold {threshold}, hearing {days} days, {consent}").format(
            since=since, threshold=rule.threshold, days=rule.hearing_days, consent=consent),
    ]
    if case.affected:
        contacted = {c.organisation: c for c in case.contacted}
        shown = [names.get(o, o) + (_(" (contacted {on})").format(on=contacted[o].on.isoformat()) if o in contacted
                                    else _(" (not contacted)"))
                 for o in case.affected]
        lines.append(_("  affected:  {organisations}").format(organisations=', '.join(shown)))
    if case.meeting:
        item = _(" item {item}").format(item=case.item) if case.item else ""
        lines.append(_("  meeting:   {meeting}").format(meeting=case.meeting) + item)
    if case.hearing_deadline:
        state = sec.cases.hearing_result(case).reason if case.status == "hearing" else _("closed")
        lines.append(_("  hearing:   sent {sent}, deadline {deadline}: {state}").format(
            sent=case.hearing_sent.isoformat() if case.hearing_sent else "-", deadline=case.hearing_deadline.isoformat(), state=state,
        ))
        answers = {r.organisation: r for r in case.responses}
        sent = {d.organisation: d for d in case.deliveries}
        for org in sec.cases.members(case):
            answer = answers.get(org)
            delivery = sent.get(org)
            mail = "" if delivery is None else (_(" mail sent") if delivery.status == "sent"
                                                else _(" mail FAILED: {error}").format(error=delivery.error))
            said = (f"{rules.answer_word(answer.answer)} {answer.on.isoformat()}" + (f": {answer.text}" if answer.text else "")
                    if answer else _("no answer"))
            lines.append(f"    {names.get(org, org):<24} {said};{mail}")
    if case.outcome:
        lines.append(_("  outcome:   {outcome} on {decided_on}").format(
            outcome=rules.outcome_word(case.outcome), decided_on=case.decided_on.isoformat() if case.decided_on else '-',
        )
                     + (f" ({rules.decided_by_word(case.decided_by)})" if case.decided_by else ""))
    if case.reported_at:
        lines.append(_("  reported:  information item on meeting {reported_at}").format(reported_at=case.reported_at))
    lines.append(_("  history:"))
    lines.extend(f"    {e.at.isoformat(timespec='minutes')} {rules.step_word(e.action)}: {e.detail}" for e in case.history)
    return lines


def _settle(sec) -> None:
    for line in sec.cases.settle():
        print(_("settled {line}").format(line=line), file=sys.stderr)


def cmd_new(args: argparse.Namespace) -> int:
    sec = open_secretary(args)
    affected = [part.strip() for part in args.affected.split(",") if part.strip()]
    case = sec.cases.new(
        args.offer, args.operator, args.before, args.after, closure=args.closure, affected=affected,
        effect=_date(args.effect, "--effect"), case_number=args.case_number, on=_date(args.on, "--on"),
    )
    if args.json:
        print_collection("cases", [case])
        return 0
    print(_("case {id}: {change_text}").format(id=case.id, change_text=rules.change_text(case)))
    print(_("route: {reason}").format(reason=sec.cases.routing(case).reason))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    if args.case:
        return cmd_show(args)
    sec = open_secretary(args)
    _settle(sec)
    found = sec.cases.all()
    if args.json:
        print_collection("cases", found)
        return 0
    if not found:
        print(_("no cases"))
        return 0
    for case in found:
        routed = sec.cases.routing(case)
        print(f"{case.id:<40} {rules.status_word(case.status):<10} {rules.change_text(case):<28} {routed.reason}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    sec = open_secretary(args)
    _settle(sec)
    case = sec.cases.get(args.case)
    if args.json:
        print_collection("cases", [case])
        return 0
    print("\n".join(_describe(sec, case)))
    return 0


def _print_mail(result) -> int:
    for org, addresses, status, problem in result.rows:
        print(f"  {status:<7} {org:<28} {addresses or '-'}" + (f"  ({problem})" if problem else ""))
    failed = [row for row in result.rows if row[2] == "failed"]
    if failed:
        print(_("secretary: {failed} of {total} not sent; `case remind` sends to them again").format(
            failed=len(failed), total=len(result.rows),
        ), file=sys.stderr)
        return 1
    return 0


def cmd_route(args: argparse.Namespace) -> int:
    sec = open_secretary(args)
    if args.meeting:
        if args.deadline_days is not None:
            raise SecretaryError(_("--deadline-days goes with --hearing, not with --meeting"))
        case = sec.cases.route_to_meeting(args.case, args.meeting)
        print(_("case {id}: a decision item on meeting {meeting}").format(id=case.id, meeting=case.meeting))
        return 0
    case, result = sec.cases.start_hearing(args.case, args.deadline_days)
    print(_("case {id}: e-mail hearing until {deadline}; sent to {sent} of {total} member organisations").format(
        id=case.id, deadline=case.hearing_deadline.isoformat() if case.hearing_deadline else "-",
        sent=result.sent, total=len(result.rows),
    ))
    return _print_mail(result)


def cmd_respond(args: argparse.Namespace) -> int:
    sec = open_secretary(args)
    case = sec.cases.respond(args.case, args.org, args.answer, args.text, _date(args.on, "--on"))
    print(_("case {id}: {org} answered {answer}; {reason}").format(
        id=case.id, org=args.org, answer=args.answer, reason=sec.cases.hearing_result(case).reason,
    ))
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    sec = open_secretary(args)
    case, result = sec.cases.remind(args.case)
    print(_("case {id}: reminded {sent} of {total} that have not answered").format(
        id=case.id, sent=result.sent, total=len(result.rows),
    ))
    return _print_mail(result)


def cmd_close(args: argparse.Namespace) -> int:
    sec = open_secretary(args)
    case = sec.cases.close(args.case)
    print(_("case {id}: closed, {outcome}").format(
        id=case.id, outcome=rules.outcome_word(case.outcome),
    ) + (_("; reported on meeting {reported_at}").format(
        reported_at=case.reported_at,
    ) if case.reported_at else ""))
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    sec = open_secretary(args)
    report = sec.mail.send(args.meeting, args.kind, dry_run=args.dry_run)
    for name, address, status, problem in report.rows:
        print(f"  {status:<7} {name:<28} {address or '-'}" + (f"  ({problem})" if problem else ""))
    if report.dry_run:
        print(_("wrote {count} messages to {folder}; nothing was sent or recorded").format(
            count=sum(1 for r in report.rows if r[2] == 'written'), folder=report.folder,
        ))
        return 0
    print(_("{what}: sent to {sent} of {total}").format(
        what=report.what, sent=report.sent, total=len(report.rows),
    ) + (f"; {report.recorded}" if report.recorded else ""))
    if report.failed:
        print(_("secretary: {failed} not sent; the same command sends to them again").format(failed=report.failed), file=sys.stderr)
        return 1
    return 0


def cmd_mail_test(args: argparse.Namespace) -> int:
    sec = open_secretary(args)
    print(sec.mail.test())
    return 0
