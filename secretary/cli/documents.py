"""`secretary export agenda|minutes MEETING_ID [--public] [-o FILE.docx]`: Word documents."""

from __future__ import annotations

import argparse
from pathlib import Path

from secretary.cli.common import add_db_argument, open_secretary, write_output
from secretary.i18n import _
from secretary.services.documents import TEMPLATE_FOLDER


def register(commands, exports) -> None:
    for kind, helptext in (
        ("agenda", _("the meeting's agenda as .docx (dagsorden / kallelse)")),
        ("minutes", _("the meeting's minutes as .docx (referat / protokoll)")),
    ):
        parser = exports.add_parser(kind, help=helptext)
        parser.add_argument("meeting", metavar="MEETING_ID")
        parser.add_argument("--public", action="store_true", help=_("public version: closed items show only number and title"))
        parser.add_argument(
            "-o", "--output", metavar="FILE.docx",
            help=_("output file ('-' for standard output; default: BODY-DATE-KIND.docx in the current folder)"),
        )
        parser.add_argument(
            "--template", metavar="FILE.docx",
            help=_("the organisation's .docx template (default: {folder}/BODY_ID.docx or "
                   "{folder}/default.docx beside the database, when present)").format(folder=TEMPLATE_FOLDER),
        )
        add_db_argument(parser)
        parser.set_defaults(handler=cmd_document, document_kind=kind)


def cmd_document(args: argparse.Namespace) -> int:
    from secretary.services.documents import plain_target

    secretary = open_secretary(args)
    document = secretary.documents.render(args.meeting, args.document_kind, args.public, template=args.template)
    output = args.output
    if output is None:
        output = str(plain_target(Path.cwd(), document))  # a derived name never leaves the folder
    write_output(document.data, output, document.what)
    return 0
