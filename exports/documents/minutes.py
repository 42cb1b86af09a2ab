"""The minutes: Referat (da), Protokoll (sv), Minutes (en), as the meeting's life has them.

Minutes not yet approved are a draft: "Referat – Udkast" / "Protokoll – Ej
justerat" / "Minutes – Draft" in the title, in every page's header and in the
file's properties (title, keywords, content status). Danish and English
minutes end their heading block with the approval note, worded by how they
were approved (at the next meeting, by named members, at once). Swedish
minutes number their paragraphs through the calendar year per body (the §§
frozen at justering win) and carry the justering block (the justerare, place
and time, signature lines) and, once justerat, the anslag with its recorded
dates: posted, the appeal period's end (three weeks, kommunallagen 13 kap.)
and the day it is taken down. A protokoll not justerat carries no anslag.
"""

from __future__ import annotations

from exports.documents.agenda import document_names
from exports.documents.context import DocumentContext
from exports.documents.sections import attendance_rows, heading_block, item_number, render_item, when_and_where
from exports.documents.writer import DocxWriter
from secretary.domain.agenda_rules import paragraph_int
from secretary.domain.model import Body, Meeting


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
    approved = meeting.minutes.status == "approved"
    mark = "" if approved else L["draft_mark"]
    heading_block(w, L["minutes"], public, mark)
    swedish = body.language == "sv"
    if swedish:
        paragraphs = context.paragraphs(meeting)
        numbered = [(paragraphs[item.id], item) for item in meeting.items]
        pattern = L["paragraph_heading"]
        _justering(w, context, [n for n, _ in numbered])
    else:
        numbered = [(item_number(item, i), item) for i, item in enumerate(meeting.items)]
        pattern = L["item_heading"]
        w.facts([*when_and_where(w, held=True), *_held_rows(w, context), *attendance_rows(w, context, meeting)])
        _approval_note(w, context)
    for number, item in numbered:
        render_item(w, context, item, pattern.format(number=number, title=item.title), public=public, minutes=True)
    if not public and meeting.minutes.amendments:
        # Corrections are free text that may concern a closed item: full version only.
        w.heading(L["amendments"], 1)
        for amendment in meeting.minutes.amendments:
            w.bullet(L["amendment"].format(date=w.long_date(amendment.on), by=amendment.by, what=amendment.what))
    names = document_names(w, L["minutes"], public, mark, status=L["approved_mark"] if approved else "")
    return w.finish(**names)


def _names(ctx: DocumentContext, people: list[str]) -> list[str]:
    return [ctx.person_name(p) for p in people]


def _joined(w: DocxWriter, names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {w.L['and']} {names[-1]}"


def _held_rows(w: DocxWriter, ctx: DocumentContext) -> list[tuple[str, list[str]]]:
    """Who led the meeting and took the minutes, and when it was closed (when recorded)."""
    L, meeting = w.L, w.meeting
    rows = []
    if meeting.chair:
        rows.append((L["chair_of_meeting"], [ctx.person_name(meeting.chair)]))
    if meeting.minute_taker:
        rows.append((L["minute_taker"], [ctx.person_name(meeting.minute_taker)]))
    return rows


def _approval_note(w: DocxWriter, ctx: DocumentContext) -> None:
    L, meeting, minutes = w.L, w.meeting, w.meeting.minutes
    if minutes.status == "approved" and minutes.approved_on:
        day = w.long_date(minutes.approved_on)
        if minutes.approval_mode == "next_meeting":
            approving = next((m for m in ctx.year_meetings if m.id == minutes.approved_at_meeting), None)
            item = approving.item(minutes.approved_at_item) if approving and minutes.approved_at_item in {
                i.id for i in approving.items} else None
            note = L["approval_next_meeting"].format(date=day, item=(item.number if item else "") or "–")
        elif minutes.approval_mode == "at_once":
            note = L["approval_at_once"].format(date=day)
        elif minutes.approval_mode == "members" and minutes.approvers:
            note = L["approval_done_by"].format(date=day, by=_joined(w, _names(ctx, minutes.approvers)))
        elif minutes.approved_by:
            note = L["approval_done_by"].format(date=day, by=minutes.approved_by)
        else:
            note = L["approval_done"].format(date=day)
    elif minutes.status == "sent" and minutes.sent_on and minutes.comment_deadline:
        note = L["approval_sent_on"].format(sent=w.long_date(minutes.sent_on), deadline=w.long_date(minutes.comment_deadline))
    elif minutes.status == "sent":
        note = L["approval_sent"]
    else:
        note = L["approval_pending"]
    w.subheading(L["approval"])
    w.paragraph(note)
    if minutes.status != "approved" and meeting.published.draft_minutes:
        w.paragraph(L["draft_published"].format(date=w.long_date(meeting.published.draft_minutes)), italic=True)


def _range(numbers: list[str]) -> list[str]:
    values = [paragraph_int(n) for n in numbers]
    if not values or None in values:
        return [", ".join(numbers)] if numbers else []
    first, last = min(values), max(values)  # type: ignore[type-var]
    return ([f"§§ {first}–{last}"] if last != first else [f"§ {first}"])


def _justering(w: DocxWriter, ctx: DocumentContext, numbers: list[str]) -> None:
    """The Swedish first page: who took part, who checks the minutes, signatures, anslag."""
    L, meeting, minutes = w.L, w.meeting, w.meeting.minutes
    blank = L["blank"]
    justerat = minutes.status == "approved"
    adjusters = _names(ctx, minutes.justerare) or ([minutes.approved_by] if minutes.approved_by else [])
    if justerat and minutes.justering_place and minutes.justering_at:
        moment = w.local(minutes.justering_at)
        place_time = f"{minutes.justering_place}, {w.long_date(moment.date())} kl. {w.clock(moment)}"
    elif justerat and minutes.approved_on:
        place_time = w.long_date(minutes.approved_on)
    else:
        place_time = blank
    w.facts(
        [
            *when_and_where(w, held=True),
            *attendance_rows(w, ctx, meeting),
            (L["adjuster"], adjusters or [blank]),
            (L["adjust_place_time"], [place_time]),
            (L["paragraphs"], _range(numbers)),
        ],
        label_cm=5.8,  # 'Justeringens plats och tid' on one line
    )
    if not justerat:
        w.paragraph(L["not_adjusted"], bold=True)
    w.subheading(L["signatures"])
    secretary = [ctx.person_name(meeting.minute_taker, with_organisation=False)] if meeting.minute_taker else \
        ctx.seat_holders("secretary")
    chair = [ctx.person_name(meeting.chair, with_organisation=False)] if meeting.chair else ctx.seat_holders("chair")
    w.signature(L["sign_secretary"], secretary[0] if secretary else "")
    w.signature(L["sign_chair"], chair[0] if chair else "")
    signers = [ctx.person_name(p, with_organisation=False) for p in minutes.justerare] or adjusters
    if len(signers) == 2:
        w.signatures_side_by_side([(L["sign_adjuster"], name) for name in signers])
    else:
        w.signature(L["sign_adjuster"], signers[0] if signers else "")
    if justerat:
        _anslag(w, ctx)
    w.new_page_at_next_heading()


def _anslag(w: DocxWriter, ctx: DocumentContext) -> None:
    """The notice of posting with the dates the life recorded; blank lines until it is posted."""
    L, meeting, minutes = w.L, w.meeting, w.meeting.minutes
    blank = L["blank"]
    posted = minutes.posted_on
    w.subheading(L["notice"])
    w.paragraph(L["notice_text"] if posted else L["notice_not_posted"])
    office = w.body.minutes_office.strip() or ctx.organisation or w.body.name
    w.facts(
        [
            (L["notice_body"], [w.body.name]),
            (L["date"], [w.local(meeting.start).date().isoformat()]),
            (L["notice_posted"], [posted.isoformat() if posted else blank]),
            (L["notice_appeal"], [minutes.appeal_ends.isoformat() if minutes.appeal_ends else blank]),
            (L["notice_removed"], [minutes.removal_on.isoformat() if minutes.removal_on else blank]),
            (L["notice_kept"], [office]),
            (L["notice_signature"], [blank]),
        ],
        label_cm=6.6,  # 'Datum då anslaget sätts upp' on one line
    )
