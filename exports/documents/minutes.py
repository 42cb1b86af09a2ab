"""The minutes: Referat (da), Protokoll (sv), Minutes (en).

Danish and English minutes end their heading block with the approval note
(approved at the next meeting, or on a date by whom). Swedish minutes number
their paragraphs through the calendar year per body and carry the justering
block (who checks and signs, when) and the notice of posting (anslag): the
date posted and the date taken down three weeks later, as the appeal period
(kommunallagen 13 kap.) runs three weeks from the posting.
"""

from __future__ import annotations

import datetime as dt

from exports.documents.agenda import document_names
from exports.documents.context import DocumentContext
from exports.documents.sections import attendance_rows, heading_block, item_number, render_item, when_and_where
from exports.documents.writer import DocxWriter
from secretary.domain.model import Body, Meeting

NOTICE_WEEKS = 3


def minutes_docx(
    meeting: Meeting,
    body: Body,
    context: DocumentContext,
    *,
    public: bool,
    template: bytes | None = None,
    template_name: str = "template",
) -> bytes:
    """The meeting's minutes as .docx bytes; `public` leaves out the content of closed items."""
    w = DocxWriter(meeting, body, context.organisation, template, template_name)
    L = w.L
    heading_block(w, L["minutes"], public)
    swedish = body.language == "sv"
    if swedish:
        offset = context.paragraph_offset(meeting)
        numbered = [(str(offset + i + 1), item) for i, item in enumerate(meeting.items)]
        pattern = L["paragraph_heading"]
        _justering(w, context, [n for n, _ in numbered])
    else:
        numbered = [(item_number(item, i), item) for i, item in enumerate(meeting.items)]
        pattern = L["item_heading"]
        w.facts([*when_and_where(w), *attendance_rows(w, context, meeting)])
        _approval_note(w)
    for number, item in numbered:
        render_item(w, context, item, pattern.format(number=number, title=item.title), public=public, minutes=True)
    if not public and meeting.minutes.amendments:
        # Corrections are free text that may concern a closed item: full version only.
        w.heading(L["amendments"], 1)
        for amendment in meeting.minutes.amendments:
            w.bullet(L["amendment"].format(date=w.long_date(amendment.on), by=amendment.by, what=amendment.what))
    return w.finish(**document_names(w, L["minutes"], public))


def _approval_note(w: DocxWriter) -> None:
    L, minutes = w.L, w.meeting.minutes
    if minutes.status == "approved" and minutes.approved_on:
        day = w.long_date(minutes.approved_on)
        note = (
            L["approval_done_by"].format(date=day, by=minutes.approved_by)
            if minutes.approved_by
            else L["approval_done"].format(date=day)
        )
    elif minutes.status == "sent":
        note = L["approval_sent"]
    else:
        note = L["approval_pending"]
    w.subheading(L["approval"])
    w.paragraph(note)


def _justering(w: DocxWriter, ctx: DocumentContext, numbers: list[str]) -> None:
    """The Swedish first page: who took part, who checks the minutes, signatures, anslag."""
    L, meeting, minutes = w.L, w.meeting, w.meeting.minutes
    blank = L["blank"]
    approved = minutes.approved_on if minutes.status == "approved" else None
    paragraphs = []
    if numbers:
        key = "paragraph_range" if len(numbers) > 1 else "paragraph_single"
        paragraphs = [L[key].format(first=numbers[0], last=numbers[-1])]
    w.facts(
        [
            *when_and_where(w),
            *attendance_rows(w, ctx, meeting),
            (L["adjuster"], [minutes.approved_by or blank]),
            (L["adjust_place_time"], [w.line_date(approved, weekday=False) if approved else blank]),
            (L["paragraphs"], paragraphs),
        ]
    )
    w.subheading(L["signatures"])
    secretary = ctx.seat_holders("secretary")
    chair = ctx.seat_holders("chair")
    w.signature(L["sign_secretary"], secretary[0] if secretary else "")
    w.signature(L["sign_chair"], chair[0] if chair else "")
    w.signature(L["sign_adjuster"], minutes.approved_by or "")
    w.subheading(L["notice"])
    w.paragraph(L["notice_text"])
    posted = approved
    removed = posted + dt.timedelta(weeks=NOTICE_WEEKS) if posted else None
    w.facts(
        [
            (L["notice_body"], [w.body.name]),
            (L["date"], [w.local(meeting.start).date().isoformat()]),
            (L["notice_posted"], [posted.isoformat() if posted else blank]),
            (L["notice_removed"], [removed.isoformat() if removed else blank]),
            (L["notice_kept"], [ctx.organisation or w.body.name]),
            (L["notice_signature"], [blank]),
        ]
    )
    w.new_page_at_next_heading()
