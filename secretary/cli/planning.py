"""Year planning on the command line: `secretary plan YEAR` and `secretary export arshjul YEAR`."""

from __future__ import annotations

import argparse
import sys

import orjson
from rich.console import Console
from rich.table import Table

from secretary.cli.common import add_db_argument, open_secretary, write_output
from secretary.i18n import _, ngettext, weekday_abbr


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a year: {value!r}").format(value=text)) from None
    if not 1900 <= year <= 2200:
        raise argparse.ArgumentTypeError(_("year {year} is outside 1900–2200").format(year=year))
    return year


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number of days: {value!r}").format(value=text)) from None
    if not 0 <= days <= 120:
        raise argparse.ArgumentTypeError(_("{days} days is outside 0–120").format(days=days))
    return days


def register(commands, exports) -> None:
    plan = commands.add_parser(
        "plan",
        help=_("propose the year's meetings of every body from its cadence and preferences"),
        description=_("Propose the year's meetings: cadence, weekdays, holidays, excluded months, gaps, "
                      "before-relations and shared seats respected; existing meetings are kept and counted."),
    )
    plan.add_argument("year", metavar="YEAR", type=_year)
    plan.add_argument("--body", metavar="ID", help=_("show (and apply) only this body's part of the plan"))
    plan.add_argument("--apply", action="store_true", help=_("store the proposals as planned meetings (idempotent)"))
    plan.add_argument("--json", action="store_true", help=_("print the plan as a JSON list of meetings"))
    plan.add_argument(
        "--before-days",
        metavar="N",
        type=_days,
        default=7,
        help=_("days a body meets before the body it reports to or decides on behalf of (default 7)"),
    )
    add_db_argument(plan)
    plan.set_defaults(handler=cmd_plan)

    wheel = exports.add_parser("arshjul", help=_("the annual cycle (årshjul) as an SVG wheel"))
    wheel.add_argument("year", metavar="YEAR", type=_year)
    wheel.add_argument("-o", "--output", metavar="FILE.svg")
    wheel.add_argument("--body", metavar="ID", help=_("only this body's ring and milestones"))
    wheel.add_argument("--lang", choices=("da", "sv", "en"), help=_("month names and labels (default: the bodies' language)"))
    add_db_argument(wheel)
    wheel.set_defaults(handler=cmd_export_arshjul)


def cmd_plan(args: argparse.Namespace) -> int:
    from secretary.domain.cadence import cadence_text, target_range

    secretary = open_secretary(args)
    plan = secretary.planning.plan(args.year, args.body, before_days=args.before_days)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(plan.as_json(), option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        for note in plan.notes:
            print(_("note: {note}").format(note=note.shown), file=sys.stderr)
    else:
        bodies = {b.id: b for b in secretary.records.bodies()}
        console = Console(highlight=False, soft_wrap=False, markup=False, emoji=False)  # labels as typed
        existing = len(plan.proposals) - len(plan.new)
        table = Table(
            title=_("Plan {year}: {new} proposed, {existing} existing").format(year=args.year, new=len(plan.new), existing=existing)
        )
        reason = _("Reason")
        for column in (_("When"), _("Body"), _("Status"), reason):
            table.add_column(column, no_wrap=column != reason, ratio=1 if column == reason else None)
        for proposal in plan.proposals:
            table.add_row(
                f"{weekday_abbr(proposal.day)} {proposal.day.isoformat()} {proposal.start.strftime('%H:%M')}",
                bodies[proposal.body].label if proposal.body in bodies else proposal.body,
                {"proposed": _("proposed"), "existing": _("existing")}.get(proposal.status, proposal.status),
                proposal.reason,
            )
        console.print(table)
        counts: dict[str, list[int]] = {}
        for proposal in plan.proposals:
            counts.setdefault(proposal.body, [0, 0])[proposal.status == "proposed"] += 1
        for body_id in sorted(counts, key=lambda b: bodies[b].label.casefold() if b in bodies else b):
            body = bodies.get(body_id)
            if body is None or target_range(body) is None:
                continue
            existing, proposed = counts[body_id]
            console.print(
                _("{body}: {total} ({existing} existing, {proposed} proposed); target {target}").format(
                    body=body.label, total=existing + proposed, existing=existing, proposed=proposed, target=cadence_text(body)
                )
            )
        as_needed = [note.label for note in plan.notes if note.as_needed]
        if as_needed:
            console.print(_("meet as needed, nothing proposed: {bodies}").format(bodies=", ".join(as_needed)), style="dim", soft_wrap=True)
        for note in plan.notes:
            if not note.as_needed:
                console.print(_("note: {note}").format(note=note.shown), style="dim", soft_wrap=True)
    if plan.problems:
        for problem in plan.problems:
            print(
                "secretary: " + _("problem [{constraint}] {message}").format(constraint=problem.constraint, message=problem.message),
                file=sys.stderr,
            )
        if args.apply:
            print("secretary: " + _("nothing was stored (--apply stores a plan only when every constraint is met)"), file=sys.stderr)
        return 1
    if args.apply:
        stored = secretary.planning.apply_plan(args.year, args.body, before_days=args.before_days)
        print(
            ngettext("stored {count} planned meeting for {year}", "stored {count} planned meetings for {year}", len(stored)).format(
                count=len(stored), year=args.year
            ),
            file=sys.stderr,
        )
    return 0


def cmd_export_arshjul(args: argparse.Namespace) -> int:
    from exports.arshjul import arshjul_svg

    secretary = open_secretary(args)
    if args.body:
        bodies = [secretary.records.body(args.body)]
        milestones = [m for m in secretary.records.milestones() if m.body == args.body]
    else:
        bodies = secretary.records.bodies()
        milestones = secretary.records.milestones()
    meetings = [m for y in (args.year - 1, args.year, args.year + 1) for m in secretary.records.meetings(body=args.body, year=y)]
    data = arshjul_svg(args.year, bodies, meetings, milestones, language=args.lang)
    write_output(data, args.output, _("the årshjul for {year}").format(year=args.year))
    return 0
