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
from exports.documents.sections import (
    Numbered,
    amendments_section,
    attendance_rows,
    contents,
    heading_block,
    heading_text,
    item_number,
    participant,
    render_item,
    swedish_attendance_rows,
    when_and_where,
)
from exports.documents.writer import DocxWriter
from secretary.domain.agenda_rules import paragraph_int
from secretary.domain.model import Body, Meeting

# The Swedish first page (justering, anslag) in a slightly smaller size: it holds 12 Beslutande.
FIRST_PAGE_PT = 9.0


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
    numbered = numbering(meeting, body, context)
    swedish = body.language == "sv"
    if swedish:
        _justering(w, context, numbered, public)
        w.new_page_at_next_heading()
        if not public:  # after the first page: it must hold the justering and the anslag
            presence = [row for row in swedish_attendance_rows(w, context, meeting, numbered, public)
                        if row[0] == L["presence"]]
            if presence and presence[0][1]:
                w.heading(L["presence"], 1)
                for line in presence[0][1]:
                    w.bullet(line)
    else:
        w.facts([*when_and_where(w, held=True), *_held_rows(w, context),
                 *attendance_rows(w, context, meeting, numbered, public)])
        approval_note(w, context)
    if numbered.items:
        contents(w, numbered, public, L["contents_minutes"])
    for number, item in numbered.items:
        render_item(w, context, item, heading_text(w, number, item, public), public=public, minutes=True,
                    numbered=numbered)
    amendments_section(w, meeting, numbered, public)
    names = document_names(w, L["minutes"], public, mark, status=L["approved_mark"] if approved else "")
    return w.finish(**names, signature=L.get("signature_footer", ""))


def numbering(meeting: Meeting, body: Body, context: DocumentContext) -> Numbered:
    """The numbers the minutes print: Swedish §§ through the body's year, else the items' own."""
    if body.language == "sv":
        paragraphs = context.paragraphs(meeting)
        return Numbered([(paragraphs[item.id], item) for item in meeting.items])
    return Numbered([(item_number(item, i), item) for i, item in enumerate(meeting.items)])


def _names(ctx: DocumentContext, people: list[str]) -> list[str]:
    return [ctx.person_name(p, with_organisation=False) for p in people]


def _joined(w: DocxWriter, names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {w.L['and']} {names[-1]}"


def _held_rows(w: DocxWriter, ctx: DocumentContext) -> list[tuple[str, list[str]]]:
    """Who led the meeting and took the minutes (when recorded)."""
    L, meeting = w.L, w.meeting
    rows = []
    if meeting.chair:
        rows.append((L["chair_of_meeting"], [participant(w, ctx, meeting.chair, None, role=False)]))
    if meeting.minute_taker:
        rows.append((L["minute_taker"], [participant(w, ctx, meeting.minute_taker, None, role=False)]))
    return rows


def approval_note(w: DocxWriter, ctx: DocumentContext) -> None:
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


def adjusters_and_place(w: DocxWriter, ctx: DocumentContext) -> tuple[list[str], str]:
    """The justerare's names and 'Justeringens plats och tid' (a blank line until justerat)."""
    minutes = w.meeting.minutes
    justerat = minutes.status == "approved"
    adjusters = _names_plain(ctx, minutes.justerare) or ([minutes.approved_by] if minutes.approved_by else [])
    if justerat and minutes.justering_place and minutes.justering_at:
        moment = w.local(minutes.justering_at)
        place_time = f"{minutes.justering_place}, {w.long_date(moment.date())} kl. {w.clock(moment)}"
    elif justerat and minutes.approved_on:
        place_time = w.long_date(minutes.approved_on)
    else:
        place_time = w.L["blank"]
    return adjusters, place_time


def _names_plain(ctx: DocumentContext, people: list[str]) -> list[str]:
    return [ctx.person_name(p, with_organisation=False) for p in people]


def signatures(w: DocxWriter, ctx: DocumentContext, *, secretary: bool = True) -> None:
    """Sekreterare, Ordförande and the justerare (side by side when two)."""
    L, meeting, minutes = w.L, w.meeting, w.meeting.minutes
    adjusters, _ = adjusters_and_place(w, ctx)
    w.label(L["signatures"], FIRST_PAGE_PT)
    chair = [ctx.person_name(meeting.chair, with_organisation=False)] if meeting.chair else \
        [ctx.person_name(s.person, with_organisation=False) for s in ctx.memberships if s.role == "chair" and s.person]
    first = [(L["sign_chair"], chair[0] if chair else "")]
    if secretary:
        names = [ctx.person_name(meeting.minute_taker, with_organisation=False)] if meeting.minute_taker else \
            [ctx.person_name(s.person, with_organisation=False) for s in ctx.memberships
             if s.role == "secretary" and s.person]
        first.insert(0, (L["sign_secretary"], names[0] if names else ""))
    # Two signature lines a row: the first page holds the justering and the anslag.
    w.signatures_side_by_side(first)
    signers = _names_plain(ctx, minutes.justerare) or adjusters or [""]
    w.signatures_side_by_side([(L["sign_adjuster"], name) for name in signers[:2]])


def _justering(w: DocxWriter, ctx: DocumentContext, numbered: Numbered, public: bool) -> None:
    """The Swedish first page: who took part, who checks the minutes, signatures, anslag.

    It fits one A4 page at the default margins with up to 12 Beslutande: a group longer
    than six names is one paragraph (writer.LONG_LIST), the signature lines are compact.
    """
    L, meeting = w.L, w.meeting
    justerat = meeting.minutes.status == "approved"
    adjusters, place_time = adjusters_and_place(w, ctx)
    w.facts(
        [
            *when_and_where(w, held=True),
            *[(label, names) for label, names in swedish_attendance_rows(w, ctx, meeting, numbered, public)
              if label != L["presence"]],
            (L["adjuster"], adjusters or [L["blank"]]),
            (L["adjust_place_time"], [place_time]),
            (L["paragraphs"], _range([n for n, _ in numbered.items])),
        ],
        label_cm=5.0,  # 'Justeringens plats och tid' on one line
        size=FIRST_PAGE_PT, join_long=False, trailing=False,
    )
    if not justerat:
        w.paragraph(L["not_adjusted"], bold=True, size=FIRST_PAGE_PT)
    signatures(w, ctx)
    if justerat:
        anslag(w, ctx)


def anslag(w: DocxWriter, ctx: DocumentContext) -> None:
    """The notice of posting with the dates the life recorded; blank lines until it is posted."""
    L, meeting, minutes = w.L, w.meeting, w.meeting.minutes
    blank = L["blank"]
    posted = minutes.posted_on
    w.label(L["notice"], FIRST_PAGE_PT)
    w.paragraph(L["notice_text"] if posted else L["notice_not_posted"], size=FIRST_PAGE_PT)
    office = w.body.minutes_office.strip() or ctx.organisation or w.body.name
    short = "__________"
    w.grid(
        [
            [(L["notice_body"], w.body.name)],
            [(L["date"], w.local(meeting.start).date().isoformat()),
             (L["notice_posted"], posted.isoformat() if posted else short)],
            [(L["notice_appeal"], minutes.appeal_ends.isoformat() if minutes.appeal_ends else short),
             (L["notice_removed"], minutes.removal_on.isoformat() if minutes.removal_on else short)],
            [(L["notice_kept"], office)],
            [(L["notice_signature"], blank)],
        ],
        (5.6, 2.4, 5.6, 2.4),  # 'Datum då anslaget sätts upp' on one line
        size=FIRST_PAGE_PT,
    )
