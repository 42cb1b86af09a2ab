"""`secretary export agenda|minutes MEETING_ID [--public] [-o FILE.docx]`: Word documents."""

from __future__ import annotations

import argparse
from pathlib import Path

from secretary.cli.common import add_db_argument, db_path, open_secretary, write_output
from secretary.errors import NotFound, SecretaryError

TEMPLATE_FOLDER = "templates"


def register(commands, exports) -> None:
    for kind, helptext in (
        ("agenda", "the meeting's agenda as .docx (dagsorden / kallelse)"),
        ("minutes", "the meeting's minutes as .docx (referat / protokoll)"),
    ):
        parser = exports.add_parser(kind, help=helptext)
        parser.add_argument("meeting", metavar="MEETING_ID")
        parser.add_argument("--public", action="store_true", help="public version: closed items show only number and title")
        parser.add_argument(
            "-o", "--output", metavar="FILE.docx",
            help="output file ('-' for standard output; default: BODY-DATE-KIND.docx in the current folder)",
        )
        parser.add_argument(
            "--template", metavar="FILE.docx",
            help=f"the organisation's .docx template (default: {TEMPLATE_FOLDER}/BODY_ID.docx or "
            f"{TEMPLATE_FOLDER}/default.docx beside the database, when present)",
        )
        add_db_argument(parser)
        parser.set_defaults(handler=cmd_document, document_kind=kind)


def cmd_document(args: argparse.Namespace) -> int:
    from exports.documents import agenda_docx, build_context, minutes_docx
    from exports.documents.filenames import document_filename

    secretary = open_secretary(args)
    meeting, body, sources = secretary.document_sources(args.meeting)
    template, template_name = find_template(args, body.id)
    render = agenda_docx if args.document_kind == "agenda" else minutes_docx
    data = render(
        meeting, body, build_context(meeting, sources),
        public=args.public, template=template, template_name=template_name,
    )
    output = args.output
    if output is None:
        folder = Path.cwd()
        target = folder / document_filename(meeting, body, args.document_kind, args.public)
        if target.resolve().parent != folder.resolve():  # a derived name never leaves the folder
            raise SecretaryError(f"meeting {meeting.id!r}: derived file name {target.name!r} is not a plain name")
        output = str(target)
    version = "public " if args.public else ""
    write_output(data, output, f"the {version}{args.document_kind} of {meeting.id}")
    return 0


def find_template(args: argparse.Namespace, body_id: str) -> tuple[bytes | None, str]:
    """--template, else templates/BODY_ID.docx, else templates/default.docx beside the database."""
    if args.template:
        path = Path(args.template).expanduser()
        try:
            return path.read_bytes(), str(path)
        except OSError as exc:
            raise NotFound(f"--template {args.template}: cannot read it ({exc.strerror})") from None
    folder = db_path(args).parent / TEMPLATE_FOLDER
    for name in (f"{body_id}.docx", "default.docx"):
        path = folder / name
        if path.is_file():
            return path.read_bytes(), str(path)
    return None, "template"
