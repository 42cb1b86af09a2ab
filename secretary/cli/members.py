"""`secretary export members BODY [--format docx|csv] [-o FILE]`: a body's member list."""

from __future__ import annotations

import argparse
import datetime as dt

from secretary.cli.common import add_db_argument, open_secretary, write_output
from secretary.i18n import _


def register(commands, exports) -> None:
    members = exports.add_parser("members", help=_("a body's current members as .docx or .csv"))
    members.add_argument("body", metavar="BODY", help=_("body id"))
    members.add_argument("--format", choices=("docx", "csv"), default="docx", help=_("docx (default) or csv"))
    members.add_argument("--on", metavar="YYYY-MM-DD", type=_day, help=_("the members on this day (default: today)"))
    members.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("output file ('-' for standard output; default: BODY-members-DATE.FORMAT in the current folder)"),
    )
    add_db_argument(members)
    members.set_defaults(handler=cmd_export_members)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date like 2026-03-04")) from None


def cmd_export_members(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    data, name = secretary.documents.member_list(args.body, args.format, args.on or dt.date.today())
    write_output(data, args.output if args.output is not None else name, _("the member list of {body}").format(body=args.body))
    return 0
