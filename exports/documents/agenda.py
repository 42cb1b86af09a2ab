"""The agenda: Dagsorden (da), Kallelse med föredragningslista (sv), Agenda (en)."""

from __future__ import annotations

from exports.documents.context import DocumentContext
from exports.documents.sections import (
    Numbered,
    contents,
    heading_block,
    heading_text,
    internal,
    invited_rows,
    item_number,
    render_item,
    when_and_where,
)
from exports.documents.writer import DocxWriter
from secretary.domain.model import Body, Meeting


def agenda_docx(
    meeting: Meeting,
    body: Body,
    context: DocumentContext,
    *,
    public: bool,
    template: bytes | None = None,
    template_name: str = "template",
) -> bytes:
    """The meeting's agenda as .docx bytes; `public` leaves out the content of closed items."""
    w = DocxWriter(meeting, body, context.organisation, template, template_name)
    L = w.L
    heading_block(w, L["agenda"], public)
    numbered = Numbered([(item_number(item, i), item) for i, item in enumerate(meeting.items)])
    w.facts([*when_and_where(w), *invited_rows(w, context, meeting, numbered, public)])
    if numbered.items:
        contents(w, numbered, public, L["contents"])
    for number, item in numbered.items:
        heading = heading_text(w, number, item, public)
        if item.addendum:  # added or changed after the agenda was dispatched
            heading = f"{heading} ({L['addendum']})"
        render_item(w, context, item, heading, public=public, minutes=False, numbered=numbered)
    return w.finish(**document_names(w, L["agenda"], public))


def document_names(w: DocxWriter, kind: str, public: bool, mark: str = "", status: str = "") -> dict[str, str]:
    """Title, subject, status and the page header of a document, e.g. 'Dagsorden – DASSOS – 8. oktober 2026'.

    `mark` ("Udkast", "Ej justerat") is part of the title and of every page's header;
    `status` is the file's content status (the mark, or "Godkendt" / "Justerat"). A full
    version with closed items says "Ikke til offentliggørelse" in its header, keywords and comments.
    """
    day = w.long_date(w.local(w.meeting.start).date())
    title = f"{kind} – {mark} – {w.body.label} – {day}" if mark else f"{kind} – {w.body.label} – {day}"
    closed = internal(w.meeting, public)
    version = w.L["public_version"] if public else (w.L["internal_short"] if closed else "")
    header = " · ".join(p for p in (w.secretariat, title, version) if p)
    return {
        "title": title, "subject": w.body.name, "category": kind, "header": header, "status": status or mark,
        "keywords": w.L["internal_notice"] if closed else "",
        "comments": w.L["internal_notice"] if closed else "",
    }
