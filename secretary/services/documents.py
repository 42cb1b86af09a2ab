"""Word agendas and minutes as a service: what the CLI and the TUI share to produce a .docx.

The exporter itself is pure (exports/documents: domain objects in, bytes out);
this module finds the organisation's template beside the database, renders a
meeting's document, names it, and writes exports atomically into the export
folder. `secretary export agenda|minutes` and the meeting screen both call it,
so a document made from the TUI is byte-identical to one made by a scheduled job.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from secretary.domain.errors import NotFound, SecretaryError
from secretary.i18n import _
from secretary.services.ports import Files
from secretary.services.records import Records

if TYPE_CHECKING:
    from secretary.domain.model import Body, Meeting

TEMPLATE_FOLDER = "templates"
EXPORT_FOLDER = "exports"
EXPORTS_ENV = "SECRETARY_EXPORTS"
KINDS = ("agenda", "minutes")

Kind = Literal["agenda", "minutes"]
DocumentKind = Literal["agenda", "minutes", "extract"]
# Seats that are invited to a meeting as members (not the secretariat).
MEMBER_ROLES = ("chair", "vice_chair", "member", "substitute", "observer")


def find_template(db_path: Path, body_id: str, explicit: str | None = None) -> tuple[bytes | None, str]:
    """The template to use: `explicit` (--template), else templates/BODY_ID.docx, else
    templates/default.docx beside the database; (None, "template") when there is none."""
    from exports.documents.template import MAX_TEMPLATE_BYTES
    from secretary.services.paths import read_limited  # bounded: /dev/zero or a FIFO is refused, not read

    if explicit:
        path = Path(explicit).expanduser()
        if not path.exists():
            raise NotFound(_("--template {explicit}: cannot read it (no such file)").format(explicit=explicit))
        return read_limited(path, MAX_TEMPLATE_BYTES, f"--template {explicit}"), str(path)
    folder = db_path.parent / TEMPLATE_FOLDER
    for name in (f"{body_id}.docx", "default.docx"):
        path = folder / name
        if path.is_file():
            return read_limited(path, MAX_TEMPLATE_BYTES, f"template {path}"), str(path)
    return None, "template"


@dataclass(frozen=True)
class Document:
    """A rendered agenda or minutes: the bytes and the plain file name derived from the meeting."""

    meeting: Meeting
    body: Body
    kind: DocumentKind
    public: bool
    filename: str
    data: bytes
    # What the secretary should know before sending it (CLI: stderr; TUI: the notice).
    warnings: tuple[str, ...] = ()
    item: str | None = None

    @property
    def what(self) -> str:
        """"the public minutes of dassos-2026-10-08", for messages."""
        version = "public " if self.public else ""
        if self.kind == "extract":
            return f"the {version}extract of item {self.item} of {self.meeting.id}"
        return f"the {version}{self.kind} of {self.meeting.id}"


def plain_target(folder: Path, document: Document) -> Path:
    """`folder`/file name; refuses a derived name that would leave the folder."""
    target = folder / document.filename
    if target.resolve().parent != folder.resolve():
        raise SecretaryError(
            _("meeting {meeting!r}: derived file name {filename!r} is not a plain name").format(
                meeting=document.meeting.id, filename=document.filename,
            )
        )
    return target


def export_folder(db_path: Path) -> Path:
    """Where the TUI writes exports: $SECRETARY_EXPORTS, else `exports/` beside the database."""
    configured = os.environ.get(EXPORTS_ENV)
    if configured:
        return Path(configured).expanduser()
    return db_path.parent / EXPORT_FOLDER


def write_export(files: Files, path: Path, data: bytes) -> Path:
    """Write an export atomically (a crash leaves the old file or the new one), private (0600).

    Missing folders are created private (0700): exports hold personal data and closed items.
    """
    path = Path(path)
    if path.parent.exists() and not path.parent.is_dir():
        raise SecretaryError(_("cannot create the export folder {parent}: a file of that name is in the way").format(
                                 parent=path.parent,
                             ))
    try:
        files.write(path, data)
    except OSError as exc:  # a folder that cannot be made; the write itself reports its own errors
        raise SecretaryError(_("cannot create the export folder {parent}: {strerror}").format(
                                 parent=path.parent, strerror=exc.strerror,
                             )) from None
    return path


def agenda_warnings(meeting: Meeting, body: Body, seats) -> tuple[str, ...]:
    """An agenda that would go out to nobody: no member seat of the body is held on the meeting day."""
    if any(seat.role in MEMBER_ROLES for seat in seats):
        return ()
    day = meeting.start.date().isoformat()
    return (f"meeting {meeting.id!r}: the agenda invites no members: no seat of body {body.id!r} is held on {day}",)


class DocumentService:
    """Renders a meeting's agenda or minutes with the template found beside the data, and
    writes exports into the export folder."""

    def __init__(self, records: Records, location: Path, files: Files):
        self.records = records
        self.location = location
        self.files = files

    def render(
        self, meeting_id: str, kind: Kind, public: bool, template: str | None = None, meeting: Meeting | None = None
    ) -> Document:
        """A meeting's agenda or minutes, full or public; `meeting`: render this copy of the stored
        meeting instead (the published site passes one whose closed items show only the notice)."""
        from exports.documents import agenda_docx, build_context, minutes_docx  # python-docx: only when rendering
        from exports.documents.filenames import document_filename

        if kind not in KINDS:
            raise SecretaryError(_("document kind {kind!r}: not one of {kinds}").format(kind=kind, kinds=', '.join(KINDS)))
        stored, body, sources = self.records.document_sources(meeting_id)
        if meeting is None or meeting.id != stored.id:
            meeting = stored
        template_bytes, template_name = find_template(self.location, body.id, template)
        render = agenda_docx if kind == "agenda" else minutes_docx
        context = build_context(meeting, sources)
        data = render(meeting, body, context, public=public, template=template_bytes, template_name=template_name)
        warnings = agenda_warnings(meeting, body, context.memberships) if kind == "agenda" else ()
        return Document(meeting, body, kind, public, document_filename(meeting, body, kind, public), data, warnings)

    def render_extract(self, meeting_id: str, item: str, public: bool, template: str | None = None) -> Document:
        """One item of the minutes on its own (protokollsutdrag / beslutningsudskrift), with the
        justering block; `item` is the item's id, its number or (Swedish) its paragraph ('§ 9')."""
        from exports.documents import build_context, extract_docx, find_item
        from exports.documents.filenames import extract_filename
        from exports.documents.minutes import numbering

        meeting, body, sources = self.records.document_sources(meeting_id)
        context = build_context(meeting, sources)
        found = find_item(meeting, body, context, item)
        if found is None:
            known = ", ".join(f"{i.number or '–'} ({i.id})" for i in meeting.items) or "none"
            raise NotFound(_("meeting {meeting_id!r}: item {item!r}: no such item (items: {known})").format(
                               meeting_id=meeting_id, item=item, known=known,
                           ))
        template_bytes, template_name = find_template(self.location, body.id, template)
        data = extract_docx(meeting, body, context, found.id, public=public, template=template_bytes,
                            template_name=template_name)
        number = numbering(meeting, body, context).number_of(found.id) or found.id
        filename = extract_filename(meeting, body, number, public, closed=not found.public)
        return Document(meeting, body, "extract", public, filename, data, item=found.id)

    def export_folder(self) -> Path:
        return export_folder(self.location)

    def write(self, path: Path, data: bytes) -> Path:
        return write_export(self.files, path, data)

    def member_list(self, body_id: str, fmt: str, as_of: dt.date) -> tuple[bytes, str]:
        """A body's current members on `as_of` as .docx or .csv bytes, and the file's name."""
        from exports.members import members_csv, members_docx

        if fmt not in ("docx", "csv"):
            raise SecretaryError(_("--format: value {fmt!r}: not docx or csv").format(fmt=fmt))
        body = self.records.body(body_id)
        seats = [s for s in self.records.memberships(body=body_id) if s.active_on(as_of)]
        people = {p.id: p for p in self.records.people()}
        orgs = {o.id: o for o in self.records.organisations()}
        data = members_csv(body, seats, people, orgs) if fmt == "csv" else members_docx(body, seats, people, orgs, as_of)
        stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in body.id)
        return data, f"{stem}-members-{as_of.isoformat()}.{fmt}"

    def export_members(self, body_id: str, fmt: str, as_of: dt.date, folder: Path | None = None) -> Path:
        """The member list written into the export folder; returns the file written."""
        data, name = self.member_list(body_id, fmt, as_of)
        return self.write((folder if folder is not None else self.export_folder()) / name, data)

    def export(self, meeting_id: str, kind: Kind, public: bool, folder: Path | None = None) -> Path:
        """Render and write a meeting's document into the export folder; returns the file written."""
        document = self.render(meeting_id, kind, public)
        target = plain_target(folder if folder is not None else self.export_folder(), document)
        return self.write(target, document.data)
