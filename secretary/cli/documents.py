"""`secretary export agenda|minutes MEETING_ID [--public] [-o FILE.docx]` and
`secretary export extract MEETING ITEM [--public] [-o FILE.docx]`: Word documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from secretary.cli.common import add_db_argument, open_secretary, write_output
from secretary.i18n import _
from secretary.services.documents import TEMPLATE_FOLDER


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--public", action="store_true",
        help=_("public version: a closed item shows only its number and public title (or the closed-item notice)"),
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE.docx",
        help=_("output file ('-' for standard output; default: a name derived from body, date and kind in the current folder)"),
    )
    parser.add_argument(
        "--template", metavar="FILE.docx",
        help=_("the organisation's .docx template (default: {folder}/BODY_ID.docx or {folder}/default.docx beside the database, "
               "when present)").format(folder=TEMPLATE_FOLDER),
    )
    add_db_argument(parser)


def register(commands, exports) -> None:
    for kind, helptext in (
        ("agenda", _("the meeting's agenda as .docx (dagsorden / kallelse)")),
        ("minutes", _("the meeting's minutes as .docx (referat / protokoll)")),
    ):
        parser = exports.add_parser(kind, help=helptext)
        parser.add_argument("meeting", metavar="MEETING_ID")
        _common(parser)
        parser.set_defaults(handler=cmd_document, document_kind=kind)
    parser = exports.add_parser(
        "extract", help=_("one item of the minutes on its own, with the justering block (protokollsutdrag / beslutningsudskrift)")
    )
    parser.add_argument("meeting", metavar="MEETING")
    parser.add_argument("item", metavar="ITEM", help=_("the item's id, its number, or (Swedish) its paragraph: '§ 9'"))
    _common(parser)
    parser.set_defaults(handler=cmd_extract)


def _write(document, output: str | None) -> int:
    from secretary.services.documents import plain_target

    for warning in document.warnings:
        print(_("warning: {warning}").format(warning=warning), file=sys.stderr)
    if output is None:
        output = str(plain_target(Path.cwd(), document))  # a derived name never leaves the folder
    write_output(document.data, output, document.what)
    return 0


def cmd_document(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    document = secretary.documents.render(args.meeting, args.document_kind, args.public, template=args.template)
    return _write(document, args.output)


def cmd_extract(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    document = secretary.documents.render_extract(args.meeting, args.item, args.public, template=args.template)
    return _write(document, args.output)
