"""Parts both documents print: the heading block, who takes part, one item.

The public version is decided here, item by item: a closed item keeps its
number and title and nothing else; every other part is replaced by the
closed-item notice. The closing reason is not printed in the public version
either: it is free text and often names the matter ("Forhandling om køb af
pladser …").
"""

from __future__ import annotations

from docx.shared import Pt

from exports.documents.context import DocumentContext
from exports.documents.writer import DocxWriter
from secretary.domain.model import Attendance, Item, Meeting


def item_number(item: Item, index: int) -> str:
    return item.number or str(index + 1)


def heading_block(w: DocxWriter, kind_label: str, public: bool, mark: str = "") -> None:
    """Document kind as title (with the draft mark: "Referat – Udkast"), then the body's name
    (and the meeting's own title)."""
    w.title(f"{kind_label} – {mark}" if mark else kind_label)
    body = w.body
    name = f"{body.abbreviation} – {body.name}" if body.abbreviation and body.abbreviation != body.name else body.name
    if w.meeting.title:
        name = f"{name}: {w.meeting.title}"
    if w.templated and w.has("Subtitle"):
        w.styled(name, "Subtitle")
    else:
        w.paragraph(name, bold=True, size=14)
    if public:
        w.paragraph(w.L["public_version"], italic=True)
    if w.meeting.status == "cancelled":
        reason = w.meeting.cancelled_reason.strip()
        w.paragraph(w.L["cancelled_reason"].format(reason=reason) if reason else w.L["cancelled"], bold=True)


def when_and_where(w: DocxWriter, held: bool = False) -> list[tuple[str, list[str]]]:
    """Date, time, place and link; `held` (the minutes): the actual times when recorded."""
    L, meeting = w.L, w.meeting
    if held and meeting.actual_start and meeting.actual_end:
        span = w.time_span(meeting.actual_start, meeting.actual_end)
    else:
        span = w.time_span()
    rows = [
        (L["date"], [w.line_date(w.local(meeting.start).date())]),
        (L["time"], [span]),
        (L["place"], [meeting.location] if meeting.location.strip() else []),
        (L["online"], [meeting.online_url] if meeting.online_url.strip() else []),
    ]
    return rows


_SHOWN_ROLES = ("chair", "vice_chair", "observer", "secretary")


def _with_role(w: DocxWriter, ctx: DocumentContext, name: str, person: str | None, organisation: str | None) -> str:
    role = ctx.role_of(person, organisation)
    if role in _SHOWN_ROLES:
        return f"{name}, {w.L[role]}"
    return name


def attendee(w: DocxWriter, ctx: DocumentContext, entry: Attendance) -> str:
    name = _with_role(w, ctx, ctx.attendee_name(entry), entry.person, entry.organisation)
    if entry.substitute_for:
        return w.L["substitute_for"].format(name=name, other=ctx.reference_name(entry.substitute_for))
    return name


def attendance_rows(w: DocxWriter, ctx: DocumentContext, meeting: Meeting) -> list[tuple[str, list[str]]]:
    """Present, substitutes, apologies, absent, guests: the minutes' list of who was there."""
    groups: dict[str, list[str]] = {"present": [], "substitutes": [], "apologies": [], "absent": [], "guests": []}
    for entry in meeting.attendance:
        if entry.status == "present":
            groups["substitutes" if entry.substitute_for else "present"].append(attendee(w, ctx, entry))
        elif entry.status == "guest":
            groups["guests"].append(attendee(w, ctx, entry))
        else:
            groups[entry.status].append(attendee(w, ctx, entry))
    return [(w.L[key], names) for key, names in groups.items()]


def invited_rows(w: DocxWriter, ctx: DocumentContext, meeting: Meeting) -> list[tuple[str, list[str]]]:
    """An agenda's invited (the body's seats on the day) and apologies already received."""
    invited = []
    for seat in ctx.memberships:
        name = ctx.holder_name(seat.person, seat.organisation)
        invited.append(f"{name}, {w.L[seat.role]}" if seat.role in _SHOWN_ROLES else name)
    if not invited:
        invited = [attendee(w, ctx, e) for e in meeting.attendance if e.status in ("present", "absent")]
    apologies = [attendee(w, ctx, e) for e in meeting.attendance if e.status == "apologies"]
    guests = [attendee(w, ctx, e) for e in meeting.attendance if e.status == "guest"]
    return [(w.L["invited"], invited), (w.L["guests"], guests), (w.L["apologies"], apologies)]


def contents(w: DocxWriter, numbered: list[tuple[str, Item]], pattern: str) -> None:
    """The list of items under the heading block (titles of closed items included)."""
    w.heading(w.L["contents"], 1)
    for number, item in numbered:
        w.paragraph(pattern.format(number=number, title=item.title)).paragraph_format.space_after = Pt(2)


def render_item(
    w: DocxWriter,
    ctx: DocumentContext,
    item: Item,
    heading: str,
    *,
    public: bool,
    minutes: bool,
) -> None:
    L = w.L
    w.heading(heading, 1)
    if not item.public:
        if public:
            w.paragraph(L["closed_item"], italic=True)
            return
        notice = L["closed_reason"].format(reason=item.closed_reason) if item.closed_reason else L["closed_item"]
        w.paragraph(notice, italic=True, bold=True)
    facts = [(L["kind"], L[f"kind.{item.kind}"])]
    if item.case_number:
        facts.insert(0, (L["case_number"], item.case_number))
    if item.presenter:
        facts.append((L["presenter"], item.presenter))
    w.labelled(facts)
    if item.background.strip():
        w.subheading(L["background"])
        w.prose(item.background)
    if item.recommendation.strip():
        w.subheading(L["recommendation"])
        w.prose(item.recommendation)
    if item.attachments:
        w.subheading(L["attachments"])
        for attachment in item.attachments:
            w.bullet(f"{attachment.title} ({attachment.href})" if attachment.href.strip() else attachment.title)
    if not minutes:
        return
    w.subheading(L["decision"])
    if item.decision and item.decision.strip():
        w.prose(item.decision)
    else:
        w.paragraph(L["no_decision"], italic=True)
    outcome = []
    if item.outcome:
        outcome.append((L["outcome"], L[f"outcome.{item.outcome}"]))
    if item.referred_to:
        outcome.append((L["referred_to"], ctx.body_name(item.referred_to)))
    if outcome:
        w.labelled(outcome)
    if item.actions:
        w.subheading(L["actions"])
        for action in item.actions:
            details = []
            if action.owner.strip():
                details.append(f"{L['action_owner']}: {action.owner}")
            if action.due:
                details.append(f"{L['action_due']}: {w.long_date(action.due)}")
            if action.done:
                details.append(L["action_done"])
            w.bullet(f"{action.what} ({', '.join(details)})" if details else action.what)
