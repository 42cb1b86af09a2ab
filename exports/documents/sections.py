"""Parts every document prints: the heading block, who takes part, the contents, one item.

The public version is decided here, item by item, through the one rule of the
domain (secretary/domain/publicity.py): a closed item shows its number and its
public title (or only the closed-item notice) and nothing else: not its own
title, not its closing reason (free text that often names the matter), not who
was there only for it. Corrections after approval are said, with their date,
never shown.

Participants are printed as clean lines: "name, title, organisation" once,
the role or the seat they fill in one parenthesis ("Erik Friis, Herning Kommune
(for Dorte Skov)"); the secretary is never printed as a role word in place of a
title, nor among those who decide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx.shared import Pt

from exports.documents.context import DocumentContext
from exports.documents.writer import DocxWriter
from secretary.domain.model import Amendment, Attendance, Item, Meeting
from secretary.domain.publicity import closed_notice, shown_title


def item_number(item: Item, index: int) -> str:
    return item.number or str(index + 1)


def has_closed_items(meeting: Meeting) -> bool:
    return any(not item.public for item in meeting.items)


def internal(meeting: Meeting, public: bool) -> bool:
    """A full version with closed items: marked 'not for publication' on its first page,
    in its header, its properties and its file name."""
    return not public and has_closed_items(meeting)


@dataclass(frozen=True)
class Numbered:
    """The items of one document with the numbers it prints ('5' or '§ 9')."""

    items: Sequence[tuple[str, Item]]

    def number_of(self, item_id: str) -> str | None:
        for number, item in self.items:
            if item.id == item_id:
                return number
        return None

    def item(self, item_id: str) -> Item | None:
        for _number, item in self.items:
            if item.id == item_id:
                return item
        return None


def heading_text(w: DocxWriter, number: str, item: Item, public: bool) -> str:
    """'2. Rammeaftale 2027-28 (B)', '§ 9 Ärendet är sekretessbelagt', '5. Personalesag (B)'."""
    title = shown_title(item, w.body.language, public)
    pattern = w.L["paragraph_heading"] if number.startswith("§") else w.L["item_heading"]
    heading = pattern.format(number=number, title=title)
    suffix = w.L.get(f"kind_suffix.{item.kind}")
    if suffix:  # Danish convention: (B) beslutning, (O) orientering, (D) drøftelse
        heading = f"{heading} ({suffix})"
    return heading


def heading_block(w: DocxWriter, kind_label: str, public: bool, mark: str = "") -> None:
    """Document kind as title (with the draft mark: "Referat – Udkast"), then the body's name
    (and the meeting's own title); a full version with closed items says it is not for publication."""
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
    elif internal(w.meeting, public):
        w.paragraph(w.L["internal_notice"], bold=True)
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


# -- participants ------------------------------------------------------------------------------

_ROLE_WORDS = ("chair", "vice_chair", "observer")  # never "secretary": that is not a title


def participant(
    w: DocxWriter,
    ctx: DocumentContext,
    person: str | None,
    organisation: str | None,
    *,
    role: bool = True,
    substitute_for: str | None = None,
    title: bool = True,
) -> str:
    """'Nina Dahl, kontorchef, KL (formand)'; 'Erik Friis, Herning Kommune (for Dorte Skov)'."""
    parts: list[str] = []
    found = ctx.people.get(person) if person else None
    if person is not None:
        parts.append(found.name if found else person)
        if title and found is not None and found.title.strip():
            parts.append(found.title.strip())
    org = organisation if organisation is not None else (found.organisation if found else None)
    org_name = ctx.organisation_name(org)
    if org_name and org_name not in parts:
        parts.append(org_name)
    extras = []
    if role:
        seat_role = ctx.role_of(person, organisation)
        if seat_role in _ROLE_WORDS:
            extras.append(w.L[seat_role])
    if substitute_for:
        extras.append(w.L["substitute_for"].format(other=_plain_name(ctx, substitute_for)))
    line = ", ".join(parts) or (person or organisation or "")
    return f"{line} ({'; '.join(extras)})" if extras else line


def _plain_name(ctx: DocumentContext, ref: str) -> str:
    """A person's name or an organisation's name, nothing added (no nested parentheses)."""
    if ref in ctx.people:
        return ctx.people[ref].name
    return ctx.organisation_name(ref)


def attendee(w: DocxWriter, ctx: DocumentContext, entry: Attendance, title: bool = True) -> str:
    return participant(w, ctx, entry.person, entry.organisation, substitute_for=entry.substitute_for, title=title)


def _is_secretary(ctx: DocumentContext, entry: Attendance) -> bool:
    return ctx.role_of(entry.person, entry.organisation) == "secretary"


def visible(entry: Attendance, numbered: Numbered, public: bool) -> bool:
    """A guest or official present only for closed items is not named in the public version."""
    if not public or not entry.only_items:
        return True
    shown = [numbered.item(i) for i in entry.only_items]
    return any(item is not None and item.public for item in shown)


def attendance_rows(w: DocxWriter, ctx: DocumentContext, meeting: Meeting, numbered: Numbered,
                    public: bool) -> list[tuple[str, list[str]]]:
    """Danish and English minutes: present, substitutes, apologies, absent, guests, the secretariat."""
    groups: dict[str, list[str]] = {"present": [], "substitutes": [], "apologies": [], "absent": [], "guests": [],
                                    "secretariat_row": []}
    for entry in meeting.attendance:
        if not visible(entry, numbered, public):
            continue
        if entry.status in ("present", "guest") and _is_secretary(ctx, entry):
            if entry.person != meeting.minute_taker:  # the minute taker has a row of their own
                groups["secretariat_row"].append(participant(w, ctx, entry.person, entry.organisation, role=False))
        elif entry.status == "present":
            groups["substitutes" if entry.substitute_for else "present"].append(attendee(w, ctx, entry))
        elif entry.status == "guest":
            groups["guests"].append(attendee(w, ctx, entry))
        else:
            groups[entry.status].append(participant(w, ctx, entry.person, entry.organisation))
    rows = [(w.L[key], names) for key, names in groups.items()]
    if not public:
        rows.append((w.L["presence"], presence_lines(w, ctx, meeting, numbered)))
    return rows


def swedish_attendance_rows(w: DocxWriter, ctx: DocumentContext, meeting: Meeting, numbered: Numbered,
                            public: bool) -> list[tuple[str, list[str]]]:
    """Beslutande (ledamöter and tjänstgörande ersättare), Ersättare (not serving), Övriga
    närvarande (officials, guests), Sekreterare: the secretary never among Beslutande."""
    voting: list[str] = []
    substitutes: list[str] = []
    others: list[str] = []
    secretaries: list[str] = []
    for entry in meeting.attendance:
        if entry.status not in ("present", "guest") or not visible(entry, numbered, public):
            continue
        seat = _seat(ctx, entry)
        role = seat.role if seat is not None else None
        if role == "secretary":
            secretaries.append(participant(w, ctx, entry.person, entry.organisation, role=False))
        elif entry.status == "present" and entry.substitute_for:  # decision makers: no titles (one line each)
            voting.append(attendee(w, ctx, entry, title=False))
        elif entry.status == "present" and role in ("chair", "vice_chair", "member") and seat is not None and seat.voting:
            voting.append(attendee(w, ctx, entry, title=False))
        elif entry.status == "present" and role == "substitute":
            substitutes.append(participant(w, ctx, entry.person, entry.organisation, role=False, title=False))
        else:
            others.append(participant(w, ctx, entry.person, entry.organisation))
    taker = meeting.minute_taker
    if taker:
        name = participant(w, ctx, taker, None, role=False)
        secretaries = [name, *(s for s in secretaries if s != name)]
    elif not secretaries:
        secretaries = [participant(w, ctx, s.person, s.organisation, role=False)
                       for s in ctx.memberships if s.role == "secretary"]
    rows = [
        (w.L["voting"], voting),
        (w.L["non_serving"], substitutes),
        (w.L["guests"], others),
        (w.L["sign_secretary"], secretaries),
    ]
    if not public:
        rows.append((w.L["presence"], presence_lines(w, ctx, meeting, numbered)))
    return rows


def _seat(ctx: DocumentContext, entry: Attendance):
    for seat in ctx.memberships:
        if entry.person is not None and seat.person == entry.person:
            return seat
        if entry.person is None and seat.person is None and seat.organisation == entry.organisation:
            return seat
    return None


def _refs(w: DocxWriter, numbered: Numbered, item_ids: Sequence[str]) -> str:
    numbers = [n for n in (numbered.number_of(i) for i in item_ids) if n]
    if not numbers:
        return ""
    if len(numbers) == 1:
        return w.L["item_ref"].format(number=numbers[0])
    joined = f"{', '.join(numbers[:-1])} {w.L['and']} {numbers[-1]}"
    return w.L["item_refs"].format(numbers=joined)


def _clock_text(w: DocxWriter, hhmm: str) -> str:
    return hhmm if w.body.language == "en" else hhmm.replace(":", ".")


def presence_lines(w: DocxWriter, ctx: DocumentContext, meeting: Meeting, numbered: Numbered) -> list[str]:
    """Full version only: 'Bo Öberg: ankom kl. 10.15 under punkt 3; deltog ikke i behandlingen af punkt 7'."""
    L = w.L
    lines = []
    for entry in meeting.attendance:
        parts = []
        if entry.arrived or entry.arrived_item:
            piece = L["arrived"]
            if entry.arrived:
                piece += L["at_time"].format(time=_clock_text(w, entry.arrived))
            ref = _refs(w, numbered, [entry.arrived_item]) if entry.arrived_item else ""
            if ref:
                piece += L["during_item"].format(ref=ref)
            parts.append(piece)
        if entry.left or entry.left_item:
            piece = L["left"]
            if entry.left:
                piece += L["at_time"].format(time=_clock_text(w, entry.left))
            ref = _refs(w, numbered, [entry.left_item]) if entry.left_item else ""
            if ref:
                piece += L["after_item"].format(ref=ref)
            parts.append(piece)
        if entry.not_items and _refs(w, numbered, entry.not_items):
            parts.append(L["not_items"].format(refs=_refs(w, numbered, entry.not_items)))
        if entry.only_items and _refs(w, numbered, entry.only_items):
            parts.append(L["only_items"].format(refs=_refs(w, numbered, entry.only_items)))
        if parts:
            name = _plain_name(ctx, entry.person or entry.organisation or "")
            lines.append(f"{name}: {'; '.join(parts)}")
    return lines


def invited_rows(w: DocxWriter, ctx: DocumentContext, meeting: Meeting, numbered: Numbered,
                 public: bool) -> list[tuple[str, list[str]]]:
    """An agenda's invited: members and substitutes apart, the secretariat by name and title,
    then guests and apologies already received."""
    members, substitutes, secretariat = [], [], []
    for seat in ctx.memberships:
        if seat.role == "secretary":
            secretariat.append(participant(w, ctx, seat.person, seat.organisation, role=False))
        elif seat.role == "substitute":
            substitutes.append(participant(w, ctx, seat.person, seat.organisation, role=False))
        else:
            members.append(participant(w, ctx, seat.person, seat.organisation))
    if not ctx.memberships:
        members = [attendee(w, ctx, e) for e in meeting.attendance if e.status in ("present", "absent")]
    apologies = [participant(w, ctx, e.person, e.organisation) for e in meeting.attendance if e.status == "apologies"]
    guests = [attendee(w, ctx, e) for e in meeting.attendance
              if e.status == "guest" and not _is_secretary(ctx, e) and visible(e, numbered, public)]
    return [
        (w.L.get("invited_members", w.L["invited"]), members),
        (w.L["invited_substitutes"], substitutes),
        (w.L["guests"], guests),
        (w.L["secretariat_row"], secretariat),
        (w.L["apologies"], apologies),
    ]


def contents(w: DocxWriter, numbered: Numbered, public: bool, label: str) -> None:
    """The list of items under the heading block (closed items by their public heading in a public version)."""
    w.heading(label, 1)
    for number, item in numbered.items:
        w.paragraph(heading_text(w, number, item, public)).paragraph_format.space_after = Pt(2)


# -- corrections -------------------------------------------------------------------------------

_LEGACY = re.compile(r"^item (\S+) \(([^)]*)\): (.*)$", re.S)


def _amended_item(amendment: Amendment, numbered: Numbered) -> tuple[str | None, list[str], str]:
    """(item id, fields, note) of an amendment; older ones only have the English summary."""
    if amendment.item is not None:
        return amendment.item, list(amendment.fields), amendment.note or amendment.what
    match = _LEGACY.match(amendment.what)
    if match:
        number, fields, note = match.groups()
        item = next((i for n, i in numbered.items if i.number == number or i.id == number), None)
        names = [f.strip() for f in fields.split(",") if f.strip() and f.strip() != "nothing"]
        return (item.id if item else None), names, note
    return None, [], amendment.what


def corrections_of(meeting: Meeting, item_id: str, numbered: Numbered) -> list[Amendment]:
    return [a for a in meeting.minutes.amendments if _amended_item(a, numbered)[0] == item_id]


def amendments_section(w: DocxWriter, meeting: Meeting, numbered: Numbered, public: bool) -> None:
    """Full version: every correction in the document's language. Public version: that an item was
    corrected and when, never what (a correction may concern a closed item)."""
    if not meeting.minutes.amendments:
        return
    L = w.L
    w.heading(L["amendments"], 1)
    for amendment in meeting.minutes.amendments:
        item_id, fields, note = _amended_item(amendment, numbered)
        number = numbered.number_of(item_id) if item_id else None
        day = w.long_date(amendment.on)
        ref = L["item_ref"].format(number=number) if number else ""
        if public:
            w.bullet(L["corrected_list"].format(date=day, ref=ref) if ref else L["corrected_minutes"].format(date=day))
        elif ref:
            names = ", ".join(L.get(f"field.{f}", f) for f in fields) or "–"
            w.bullet(L["amendment_item"].format(date=day, by=amendment.by, ref=ref, fields=names, note=note))
        else:
            w.bullet(L["amendment"].format(date=day, by=amendment.by, what=note))


# -- one item ----------------------------------------------------------------------------------


def _repeats(decision: str, outcome_label: str) -> bool:
    """'Godkendt.' and 'Godkendt med bemærkninger' already say 'Godkendt'."""
    def words(value: str) -> str:
        return re.sub(r"[\W_]+", " ", value).strip().casefold()

    return words(decision).startswith(words(outcome_label))


def render_item(
    w: DocxWriter,
    ctx: DocumentContext,
    item: Item,
    heading: str,
    *,
    public: bool,
    minutes: bool,
    numbered: Numbered | None = None,
) -> None:
    L = w.L
    meeting = w.meeting
    swedish = w.body.language == "sv"
    numbered = numbered or Numbered([(item_number(i, n), i) for n, i in enumerate(meeting.items)])
    w.heading(heading, 1)
    corrections = corrections_of(meeting, item.id, numbered) if minutes else []
    if not item.public:
        if public:
            if (item.public_title or "").strip():  # the heading shows the public title: say why there is no more
                w.paragraph(closed_notice(w.body.language), italic=True)
            for amendment in corrections:
                w.paragraph(L["corrected"].format(date=w.long_date(amendment.on)), italic=True)
            return
        notice = L["closed_reason"].format(reason=item.closed_reason) if item.closed_reason else L["closed_item"]
        w.paragraph(notice, italic=True, bold=True)
        if item.public_title:
            w.labelled([(L["public_title"], item.public_title)])
    facts = []
    if item.case_number:
        facts.append((L["case_number"], item.case_number))
    if not L.get(f"kind_suffix.{item.kind}") and not swedish and item.kind not in ("any_other_business",):
        facts.append((L["kind"], L[f"kind.{item.kind}"]))
    if item.presenter:
        facts.append((L["presenter"], item.presenter))
    if facts:
        w.labelled(facts)
    if swedish and minutes:
        _decision(w, ctx, item, swedish=True)
        _section(w, L["summary"], item.summary)
        _section(w, L["background"], item.background)
        _section(w, L["economy"], item.economy)
        _competence(w, item)
        if item.recommendation.strip() != (item.decision or "").strip():  # a proposal the decision did not just repeat
            _section(w, L["recommendation"], item.recommendation)
        _debate(w, item)
        _attachments(w, item)
        if item.send_to:
            w.subheading(L["send_to"])
            for receiver in item.send_to:
                w.bullet(receiver)
    else:
        _section(w, L["summary"], item.summary)
        _section(w, L["background"], item.background)
        _section(w, L["economy"], item.economy)
        _competence(w, item)
        _section(w, L["recommendation"], item.recommendation)
        _attachments(w, item)
        if minutes:
            _decision(w, ctx, item, swedish=False)
            _debate(w, item)
            if item.send_to:
                w.subheading(L["send_to"])
                for receiver in item.send_to:
                    w.bullet(receiver)
    if not minutes:
        return
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
    if not public:
        absent = [_plain_name(ctx, e.person or e.organisation or "") for e in meeting.attendance if item.id in e.not_items]
        if absent:
            w.paragraph(L["item_absent"].format(names=_joined(w, absent)), italic=True)
    for amendment in corrections:
        w.paragraph(L["corrected"].format(date=w.long_date(amendment.on)), italic=True)


def _joined(w: DocxWriter, names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {w.L['and']} {names[-1]}"


def _section(w: DocxWriter, label: str, value: str) -> None:
    if value and value.strip():
        w.subheading(label)
        w.prose(value)


def _competence(w: DocxWriter, item: Item) -> None:
    if item.competence.strip():
        w.subheading(w.L["competence"])
        w.paragraph(w.L["competence_text"].format(body=item.competence.strip().rstrip(".")))


def _attachments(w: DocxWriter, item: Item) -> None:
    if item.attachments:
        w.subheading(w.L["attachments"])
        for attachment in item.attachments:
            w.link_bullet(attachment.title, attachment.href)


def _decision(w: DocxWriter, ctx: DocumentContext, item: Item, *, swedish: bool) -> None:
    L = w.L
    w.subheading(L["decision"])
    decision = (item.decision or "").strip()
    if decision:
        w.prose(item.decision)
    else:
        w.paragraph(L["no_decision"], italic=True)
    outcome = []
    if item.referred_to:  # 'Oversendt til: FU' says the outcome already
        outcome.append((L["referred_to"], ctx.body_name(item.referred_to)))
    elif item.outcome and not swedish and not (item.kind == "any_other_business" and item.outcome == "noted"):
        label = L[f"outcome.{item.outcome}"]
        if not (decision and _repeats(decision, label)):
            outcome.append((L["outcome"], label))
    if outcome:
        w.labelled(outcome)


def _debate(w: DocxWriter, item: Item) -> None:
    """Yrkanden, omröstning with its result, reservationer, protokollsanteckningar."""
    L = w.L
    if item.motions:
        w.subheading(L["motions"])
        for motion in item.motions:
            w.paragraph(L["motion"].format(by=motion.by, text=motion.text))
    if item.vote is not None:
        vote = item.vote
        w.subheading(L["vote"])
        if vote.question.strip():
            w.prose(vote.question)
        w.paragraph(L["vote_counts"].format(yes=vote.yes, no=vote.no, abstained=vote.abstained))
        w.prose(vote.result)
    if item.reservations:
        w.subheading(L["reservations"])
        for remark in item.reservations:
            line = L["reservation"].format(by=remark.by)
            w.paragraph(f"{line}: {remark.text.strip()}" if remark.text.strip() else f"{line}.")
    if item.notes:
        w.subheading(L["notes"])
        for remark in item.notes:
            w.paragraph(f"{remark.by}: {remark.text.strip()}" if remark.text.strip() else remark.by)
