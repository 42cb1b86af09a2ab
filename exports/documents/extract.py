"""Protokollsutdrag (sv) / beslutningsudskrift (da) / extract (en): one item of the minutes on its own.

Sent to those a decision concerns: the body, the meeting, the one § or item as the
minutes print it, and the justering block (Swedish: justerare, place and time,
signature lines, the anslag once posted, and the certification "Utdragsbestyrkande";
Danish and English: the approval note and a certification line). The public version
of a closed item shows its public heading only.
"""

from __future__ import annotations

from exports.documents.context import DocumentContext
from exports.documents.minutes import adjusters_and_place, anslag, approval_note, numbering, signatures
from exports.documents.sections import (
    Numbered,
    heading_text,
    participant,
    render_item,
    when_and_where,
)
from exports.documents.writer import DocxWriter
from secretary.domain.model import Body, Item, Meeting


def extract_docx(
    meeting: Meeting,
    body: Body,
    context: DocumentContext,
    item_id: str,
    *,
    public: bool,
    template: bytes | None = None,
    template_name: str = "template",
) -> bytes:
    """One item of the meeting's minutes as .docx bytes (`item_id` must be one of the meeting's items)."""
    w = DocxWriter(meeting, body, context.organisation, template, template_name)
    L = w.L
    numbered = numbering(meeting, body, context)
    number = numbered.number_of(item_id)
    item = numbered.item(item_id)
    assert number is not None and item is not None, item_id
    approved = meeting.minutes.status == "approved"
    mark = "" if approved else L["draft_mark"]
    w.title(f"{L['extract']} – {mark}" if mark else L["extract"])
    name = f"{body.abbreviation} – {body.name}" if body.abbreviation and body.abbreviation != body.name else body.name
    w.paragraph(name, bold=True, size=14)
    closed = not public and not item.public
    if public:
        w.paragraph(L["public_version"], italic=True)
    elif closed:
        w.paragraph(L["internal_notice"], bold=True)
    swedish = body.language == "sv"
    rows = [*when_and_where(w, held=True)]
    if swedish:
        adjusters, place_time = adjusters_and_place(w, context)
        rows += [(L["paragraphs"], [number]), (L["adjuster"], adjusters or [L["blank"]]),
                 (L["adjust_place_time"], [place_time])]
    else:
        if meeting.chair:
            rows.append((L["chair_of_meeting"], [participant(w, context, meeting.chair, None, role=False)]))
        if meeting.minute_taker:
            rows.append((L["minute_taker"], [participant(w, context, meeting.minute_taker, None, role=False)]))
    w.facts(rows, label_cm=5.8)
    render_item(w, context, item, heading_text(w, number, item, public), public=public, minutes=True,
                numbered=numbered)
    if swedish:
        _justering_block(w, context)
    else:
        approval_note(w, context)
        w.signature(L["certified"])
    day = w.long_date(w.local(meeting.start).date())
    title = f"{L['extract']} – {body.label} – {day} – {heading_text(w, number, item, public)}"
    version = L["public_version"] if public else (L["internal_short"] if closed else "")
    header = " · ".join(p for p in (w.secretariat, f"{L['extract']} – {body.label} – {day}", version) if p)
    return w.finish(
        title=title, subject=body.name, category=L["extract"], header=header,
        status=mark or (L["approved_mark"] if approved else ""),
        keywords=L["internal_notice"] if closed else "", comments=L["internal_notice"] if closed else "",
        signature=L.get("signature_footer", ""),
    )


def _justering_block(w: DocxWriter, ctx: DocumentContext) -> None:
    L = w.L
    signatures(w, ctx, secretary=False)
    if w.meeting.minutes.status == "approved":
        anslag(w, ctx)
    w.signature(L["certified"])


def find_item(meeting: Meeting, body: Body, context: DocumentContext, reference: str) -> Item | None:
    """The item an extract is asked for: its id, its number ('5'), or its paragraph ('§ 9', '9')."""
    reference = reference.strip()
    for item in meeting.items:
        if item.id == reference:
            return item
    for item in meeting.items:
        if item.number and item.number == reference:
            return item
    if body.language == "sv":
        wanted = reference if reference.startswith("§") else f"§ {reference}"
        wanted = " ".join(wanted.replace("§", "§ ").split())
        numbered: Numbered = numbering(meeting, body, context)
        for number, item in numbered.items:
            if number == wanted:
                return item
    return None
