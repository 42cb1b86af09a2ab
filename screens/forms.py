"""The forms of the app: each builds a FormScreen whose submit saves through the service.

A submit function parses the text fields (a bad date is reported on its
field), calls one intention-named service operation, and returns what it
made. The service validates with the domain model and names the field; the
form shows that message next to it. Nothing is written unless all of it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from screens import strings as S
from screens.base import plain
from screens.dialogs import FieldSpec, FormScreen, lines, parse_date, parse_int, parse_time
from secretary.domain.errors import InvalidField
from secretary.domain.model import Body, Item, Meeting, Membership, Person
from secretary.i18n import gettext

if TYPE_CHECKING:
    from screens.context import AppContext


# Option labels are names as typed: Text, never markup (a Select read "[/]" as a closing tag and crashed).


def _options(mapping: dict[str, str]) -> list[tuple[Text, str]]:
    return [(plain(label), value) for value, label in mapping.items()]


def body_options(app: AppContext, include_retired: bool = False) -> list[tuple[Text, str]]:
    return [(plain(f"{b.label} — {b.name}"[:60]), b.id) for b in app.secretary.records.bodies(include_retired=include_retired)]


def org_options(app: AppContext) -> list[tuple[Text, str]]:
    return [(plain(o.short_name or o.name), o.id) for o in app.secretary.records.organisations()]


def person_options(app: AppContext) -> list[tuple[Text, str]]:
    return [(plain(p.name), p.id) for p in app.secretary.records.people()]


def _required(values: dict[str, Any], name: str) -> Any:
    value = values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidField(S.FORM_WHERE, name, value, S.FIELD_REQUIRED)
    return value


def _text_or_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


# -- meetings -----------------------------------------------------------------------------


def new_meeting_form(app: AppContext, body_id: str | None = None) -> FormScreen[Meeting]:
    """A new meeting, started from the body's agenda template, its last meeting or empty
    (blank "start from": the template when the body has one, else empty) — the service of
    `secretary meeting new`."""

    def submit(values: dict[str, Any]) -> Meeting:
        body = _required(values, "body")
        day = parse_date(values["date"], "date", required=True)
        time = parse_time(values["time"] or app.secretary.records.body(body).planning.start_time, "time")
        return app.secretary.agenda.new_meeting(
            body, f"{day.isoformat()} {time}", location=_text_or_none(values["location"]), title=values["title"].strip(),
            source=values.get("source") or None,
        )

    start_time = app.secretary.records.body(body_id).planning.start_time if body_id else ""
    source = None
    if body_id:
        source = "template" if app.secretary.records.body(body_id).agenda_template else "empty"
    fields = [
        FieldSpec("body", "select", body_id, body_options(app), allow_blank=True),
        FieldSpec("source", "select", source, _options(dict(S.MT_SOURCES)), allow_blank=True),
        FieldSpec("date", value="", placeholder=S.DATE_PLACEHOLDER, aliases=("start",)),
        FieldSpec("time", value=start_time, placeholder=S.TIME_PLACEHOLDER, aliases=("end",)),
        FieldSpec("location"),
        FieldSpec("title"),
    ]
    return FormScreen(S.MT_NEW, fields, submit)


def move_meeting_form(app: AppContext, meeting: Meeting) -> FormScreen[Meeting]:
    def submit(values: dict[str, Any]) -> Meeting:
        day = parse_date(values["date"], "date", required=True)
        time = parse_time(values["time"], "time")
        return app.secretary.agenda.move_meeting(meeting.id, f"{day.isoformat()} {time}", based_on=meeting)

    fields = [
        FieldSpec("date", value=meeting.start.date().isoformat(), aliases=("start",)),
        FieldSpec("time", value=meeting.start.strftime("%H:%M"), aliases=("end",)),
    ]
    return FormScreen(S.MT_MOVE, fields, submit)


def _local(meeting: Meeting, body: Body):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(body.timezone)
    return meeting.start.astimezone(zone), meeting.end.astimezone(zone)


def edit_meeting_form(app: AppContext, meeting: Meeting) -> FormScreen[Meeting]:
    """Every field of a meeting after creation: title, day, start and end, place, online link, chair, minute-taker.
    The screen warns (after saving) when the body's own rules are broken."""
    body = app.secretary.records.body(meeting.body)
    start, end = _local(meeting, body)

    def submit(values: dict[str, Any]) -> Meeting:
        day = parse_date(values["start_date"], "start_date", required=True)
        begin = parse_time(values["start_time"], "start_time")
        finish = parse_time(values["end_time"], "end_time")
        return app.secretary.agenda.edit_meeting(
            meeting.id,
            based_on=meeting,
            title=values["title"].strip(),
            start=f"{day.isoformat()} {begin}",
            end=f"{day.isoformat()} {finish}",
            location=values["location"].strip(),
            online_url=values["online_url"].strip(),
            chair=values["chair"] or None,
            minute_taker=values["minute_taker"] or None,
        )

    fields = [
        FieldSpec("title", value=meeting.title),
        FieldSpec("start_date", value=start.date().isoformat(), aliases=("start", "date")),
        FieldSpec("start_time", value=start.strftime("%H:%M")),
        FieldSpec("end_time", value=end.strftime("%H:%M"), aliases=("end",)),
        FieldSpec("location", value=meeting.location, label=S.F["location"].split(" (")[0]),
        FieldSpec("online_url", value=meeting.online_url),
        FieldSpec("chair", "select", meeting.chair, person_options(app)),
        FieldSpec("minute_taker", "select", meeting.minute_taker, person_options(app)),
    ]
    return FormScreen(S.MT_EDIT, fields, submit)


# -- the meeting's life: each form calls the step's service method, as the command does ------------


def held_form(app: AppContext, meeting: Meeting) -> FormScreen[Meeting]:
    body = app.secretary.records.body(meeting.body)
    start, end = _local(meeting, body)

    def submit(values: dict[str, Any]) -> Meeting:
        return app.secretary.agenda.mark_held(
            meeting.id,
            start=parse_time(values["start_time"], "start_time"),
            end=parse_time(values["end_time"], "end_time"),
            chair=values["chair"] or None,
            minute_taker=values["minute_taker"] or None,
        )

    fields = [
        FieldSpec("start_time", value=start.strftime("%H:%M"), aliases=("start",)),
        FieldSpec("end_time", value=end.strftime("%H:%M"), aliases=("end",)),
        FieldSpec("chair", "select", meeting.chair, person_options(app)),
        FieldSpec("minute_taker", "select", meeting.minute_taker, person_options(app)),
    ]
    return FormScreen(S.LF_HELD, fields, submit)


def send_form(app: AppContext, meeting: Meeting) -> FormScreen[Meeting]:
    def submit(values: dict[str, Any]) -> Meeting:
        return app.secretary.agenda.send_minutes(meeting.id, deadline=parse_date(values["deadline"], "deadline"))

    return FormScreen(S.LF_SEND, [FieldSpec("deadline", placeholder=gettext("YYYY-MM-DD"))], submit)


def comment_form(app: AppContext, meeting: Meeting) -> FormScreen[Meeting]:
    def submit(values: dict[str, Any]) -> Meeting:
        person = _required(values, "person")
        return app.secretary.agenda.record_comment(meeting.id, person, values["comment_text"].strip(),
                                                   on=parse_date(values["on"], "on"))

    fields = [FieldSpec("person", "select", None, person_options(app)), FieldSpec("comment_text", "area", ""),
              FieldSpec("on", placeholder=gettext("YYYY-MM-DD"))]
    return FormScreen(S.LF_COMMENT, fields, submit)


def approve_form(app: AppContext, meeting: Meeting) -> FormScreen[Meeting]:
    """Danish approval (by members, at once, at the next meeting) or Swedish justering (justerare, place)."""
    body = app.secretary.records.body(meeting.body)
    people = person_options(app)
    if body.language == "sv":

        def justera(values: dict[str, Any]) -> Meeting:
            first = _required(values, "justerare1")
            by = [p for p in (first, values["justerare2"]) if p]
            return app.secretary.agenda.approve_minutes(
                meeting.id, by=by, on=parse_date(values["on"], "on"), place=_text_or_none(values["place"])
            )

        fields = [
            FieldSpec("justerare1", "select", None, people, aliases=("by", "minutes.justerare")),
            FieldSpec("justerare2", "select", None, people),
            FieldSpec("place", value=""),
            FieldSpec("on", placeholder=gettext("YYYY-MM-DD")),
        ]
        return FormScreen(S.LF_JUSTERA, fields, justera)

    def approve(values: dict[str, Any]) -> Meeting:
        how = values["how"] or "members"
        by = [p for p in (values["approvers"], values["approver2"]) if p] if how == "members" else []
        if how == "members" and not by:
            raise InvalidField(gettext("form"), "approvers", None, S.FIELD_REQUIRED)
        return app.secretary.agenda.approve_minutes(
            meeting.id, by=by, on=parse_date(values["on"], "on") if how == "members" else None,
            at_once=how == "at_once", at_next_meeting=how == "next_meeting",
        )

    fields = [
        FieldSpec("how", "select", "members", _options(S.LF_APPROVE_HOW), allow_blank=False),
        FieldSpec("approvers", "select", None, people, aliases=("by", "minutes.approvers")),
        FieldSpec("approver2", "select", None, people),
        FieldSpec("on", placeholder=gettext("YYYY-MM-DD")),
    ]
    return FormScreen(S.LF_APPROVE, fields, approve)


def post_form(app: AppContext, meeting: Meeting) -> FormScreen[Meeting]:
    def submit(values: dict[str, Any]) -> Meeting:
        return app.secretary.agenda.post_minutes(meeting.id, on=parse_date(values["on"], "on"))

    return FormScreen(S.LF_POST, [FieldSpec("on", placeholder=gettext("YYYY-MM-DD"))], submit)


def cancel_form(app: AppContext, meeting_id: str) -> FormScreen[Meeting]:
    def submit(values: dict[str, Any]) -> Meeting:
        return app.secretary.agenda.cancel_meeting(meeting_id, _required(values, "cancel_reason").strip())

    return FormScreen(S.LF_CANCEL.format(what=meeting_id), [FieldSpec("cancel_reason", aliases=("reason",))], submit)


def reopen_form(app: AppContext, meeting: Meeting) -> FormScreen[Meeting]:
    def submit(values: dict[str, Any]) -> Meeting:
        return app.secretary.agenda.reopen_minutes(meeting.id, _required(values, "reopen_reason").strip())

    return FormScreen(S.LF_REOPEN, [FieldSpec("reopen_reason", aliases=("reason",))], submit)


def seat_form(app: AppContext, meeting: Meeting, seat: Membership, label: str) -> FormScreen[Meeting]:
    """A seat's row: who sits in it (a substitute may stand in), and a late arrival or early departure."""
    row = next((r for r in meeting.attendance if r.seat == seat.id), None)
    items = [(plain(f"{i.number}. {i.title}"[:50]), i.id) for i in meeting.items]

    def submit(values: dict[str, Any]) -> Meeting:
        substitute = values["substitute"] or None
        return app.secretary.agenda.set_attendance(
            meeting.id, row.status if row is not None else "present", person=substitute, seat=seat.id,
            arrived_item=values["arrived_item"], left_item=values["left_item"],
        )

    substitute = row.person if row is not None and row.person != seat.person else None
    fields = [
        FieldSpec("substitute", "select", substitute, person_options(app), aliases=("person",)),
        FieldSpec("arrived_item", "select", row.arrived_item if row else None, items, aliases=("from_item",)),
        FieldSpec("left_item", "select", row.left_item if row else None, items, aliases=("until_item",)),
    ]
    return FormScreen(S.AT_SEAT_FORM.format(what=label), fields, submit)


# -- items ----------------------------------------------------------------------------------


def _attachments(text: str) -> list[dict[str, str]]:
    found = []
    for line in lines(text):
        title, _, href = line.partition("|")
        found.append({"title": title.strip(), "href": href.strip()})
    return found


def item_form(app: AppContext, meeting_id: str, item: Item | None) -> FormScreen[Item]:
    """Add (item None) or edit an agenda item."""

    def submit(values: dict[str, Any]) -> Item:
        title = values["title"].strip()
        public = bool(values["public"])
        reason = _text_or_none(values["closed_reason"])
        if not public and not reason:
            raise InvalidField(S.FORM_WHERE, "closed_reason", reason, S.CLOSED_NEEDS_REASON)
        fields = {
            "kind": values["kind"] or "decision",
            "public": public,
            "closed_reason": None if public else reason,
            "public_title": None if public else _text_or_none(values["public_title"]),
            "case_number": _text_or_none(values["case_number"]),
            "presenter": _text_or_none(values["presenter"]),
            "background": values["background"].strip(),
            "recommendation": values["recommendation"].strip(),
            "attachments": _attachments(values["attachments"]),
        }
        if item is None:
            return app.secretary.agenda.add_item(meeting_id, title, **fields)
        return app.secretary.agenda.edit_item(meeting_id, item.id, expected=item, title=title, **fields)

    current = item or Item(id="new", title="x")
    fields = [
        FieldSpec("title", value=item.title if item else ""),
        FieldSpec("kind", "select", current.kind, _options(S.ITEM_KINDS), allow_blank=False),
        FieldSpec("public", "check", current.public),
        FieldSpec("closed_reason", value=current.closed_reason or ""),
        FieldSpec("public_title", value=current.public_title or ""),
        FieldSpec("case_number", value=current.case_number or ""),
        FieldSpec("presenter", value=current.presenter or ""),
        FieldSpec("background", "area", current.background),
        FieldSpec("recommendation", "area", current.recommendation),
        FieldSpec(
            "attachments", "area", "\n".join(f"{a.title} | {a.href}" if a.href else a.title for a in current.attachments)
        ),
    ]
    title = S.MG_ITEM_NEW if item is None else S.MG_ITEM_EDIT.format(number=item.number)
    return FormScreen(title, fields, submit)


def decision_form(app: AppContext, meeting_id: str, item: Item) -> FormScreen[Item]:
    def submit(values: dict[str, Any]) -> Item:
        return app.secretary.agenda.record_decision(
            meeting_id, item.id, values["decision"].strip(), values["outcome"], values["referred_to"], expected=item
        )

    fields = [
        FieldSpec("decision", "area", item.decision or ""),
        FieldSpec("outcome", "select", item.outcome, _options(S.OUTCOMES)),
        FieldSpec("referred_to", "select", item.referred_to, body_options(app)),
    ]
    return FormScreen(S.MG_DECISION.format(number=item.number), fields, submit)


def action_form(app: AppContext, meeting_id: str, item: Item) -> FormScreen[Any]:
    def submit(values: dict[str, Any]):
        due = parse_date(values["due"], "due")
        return app.secretary.agenda.add_action(meeting_id, item.id, values["what"].strip(), values["owner"].strip(), due)

    fields = [FieldSpec("what"), FieldSpec("owner"), FieldSpec("due", placeholder=S.DATE_PLACEHOLDER)]
    return FormScreen(S.MG_ACTION_NEW.format(number=item.number), fields, submit)


def amend_form(app: AppContext, meeting_id: str, item: Item) -> FormScreen[Meeting]:
    def submit(values: dict[str, Any]) -> Meeting:
        by = _required(values, "by").strip()
        reason = _required(values, "reason").strip()
        return app.secretary.agenda.amend_minutes(
            meeting_id,
            item.id,
            by=by,
            what=reason,
            title=values["title"].strip(),
            decision=_text_or_none(values["decision"]),
            outcome=values["outcome"],
            referred_to=values["referred_to"],
        )

    fields = [
        FieldSpec("title", value=item.title),
        FieldSpec("decision", "area", item.decision or ""),
        FieldSpec("outcome", "select", item.outcome, _options(S.OUTCOMES)),
        FieldSpec("referred_to", "select", item.referred_to, body_options(app)),
        FieldSpec("by"),
        FieldSpec("reason"),
    ]
    return FormScreen(S.MG_AMEND.format(number=item.number), fields, submit)


def refer_form(app: AppContext, meeting: Meeting, item: Item) -> FormScreen[tuple[str, Meeting | None]]:
    def submit(values: dict[str, Any]):
        target = _required(values, "target")
        return target, app.secretary.agenda.refer_item(meeting.id, item.id, target, decision=_text_or_none(values["decision"]))

    options = [o for o in body_options(app) if o[1] != meeting.body]
    fields = [FieldSpec("target", "select", None, options, aliases=("referred_to",)), FieldSpec("decision", "area", "")]
    return FormScreen(S.MG_REFER.format(number=item.number), fields, submit)


def guest_form(app: AppContext, meeting: Meeting) -> FormScreen[Meeting]:
    def submit(values: dict[str, Any]) -> Meeting:
        if not values["person"] and not values["organisation"]:
            raise InvalidField(S.FORM_WHERE, "person", None, S.CHOOSE_HOLDER)
        return app.secretary.agenda.set_attendance(
            meeting.id, values["status"] or "guest", person=values["person"], organisation=values["organisation"],
            substitute_for=values["substitute_for"],
        )

    fields = [
        FieldSpec("person", "select", None, person_options(app)),
        FieldSpec("organisation", "select", None, org_options(app)),
        FieldSpec("status", "select", "guest", _options(S.ATTENDANCE), allow_blank=False),
        FieldSpec("substitute_for", "select", None, person_options(app)),
    ]
    return FormScreen(S.MG_GUEST, fields, submit)


# -- bodies, people, memberships --------------------------------------------------------------


def body_form(app: AppContext, body: Body | None) -> FormScreen[Body]:
    def submit(values: dict[str, Any]) -> Body:
        name = values["name"].strip()
        cadence = {
            "kind": values["cadence_kind"] or "as_needed",
            "min": parse_int(values["cadence_min"], "cadence_min"),
            "max": parse_int(values["cadence_max"], "cadence_max"),
        }
        fields = {
            "abbreviation": values["abbreviation"].strip(),
            "reports_to": values["reports_to"],
            "terms_of_reference": values["terms_of_reference"].strip(),
            "tasks": lines(values["tasks"]),
            "composition": values["composition"].strip(),
            "cadence": cadence,
            "location": values["location"].strip(),
            "website": values["website"].strip(),
            "agenda_template": template_from_lines(values["agenda_template"], body.agenda_template if body else [],
                                                   values["language"] or "da"),
        }
        if body is None:
            return app.secretary.registry.create_body(
                name, kind=values["kind"] or "working_group", language=values["language"] or "da", **fields
            )
        return app.secretary.registry.edit_body(
            body.id, based_on=body, name=name, kind=values["kind"], language=values["language"], **fields
        )

    others = [o for o in body_options(app, include_retired=True) if body is None or o[1] != body.id]
    fields = [
        FieldSpec("name", value=body.name if body else ""),
        FieldSpec("abbreviation", value=body.abbreviation if body else ""),
        FieldSpec("kind", "select", body.kind if body else "working_group", _options(S.BODY_KINDS), allow_blank=False),
        FieldSpec("language", "select", body.language if body else "da", _options(S.LANGUAGES), allow_blank=False),
        FieldSpec("reports_to", "select", body.reports_to if body else None, others),
        FieldSpec("terms_of_reference", "area", body.terms_of_reference if body else ""),
        FieldSpec("tasks", "area", "\n".join(body.tasks) if body else ""),
        FieldSpec("composition", "area", body.composition if body else ""),
        FieldSpec(
            "cadence_kind", "select", body.cadence.kind if body else "as_needed", _options(S.CADENCE_KINDS),
            allow_blank=False, aliases=("cadence", "cadence.kind"),
        ),
        FieldSpec("cadence_min", value="" if not body or body.cadence.min is None else str(body.cadence.min)),
        FieldSpec("cadence_max", value="" if not body or body.cadence.max is None else str(body.cadence.max)),
        FieldSpec("location", value=body.location if body else "", label=S.F["location"].split(" (")[0]),
        FieldSpec("website", value=body.website if body else ""),
        FieldSpec("agenda_template", "area", template_lines(body.agenda_template) if body else ""),
    ]
    reload = None if body is None else (lambda: body_form(app, app.secretary.records.body(body.id)))
    return FormScreen(S.B_NEW if body is None else S.B_EDIT, fields, submit, reload, record=body)


def template_lines(template) -> str:
    """A body's agenda template as the form shows it: one title a line, closed ones marked."""
    return "\n".join(f"{item.title} {S.MT_CLOSED_MARK}" if not item.public else item.title for item in template)


def template_from_lines(text: str, previous, language: str) -> list[dict[str, Any]]:
    """The form's lines back as template items: a title keeps the kind it had; a new title is
    the standing kind it is called in the body's language ("Godkendelse af dagsorden":
    approval of the agenda), else a decision; "(closed)" at the end makes it a closed item."""
    from secretary.domain.agenda_rules import STANDING_ITEMS

    kinds = {title.casefold(): kind for kind, title in STANDING_ITEMS.get(language, ())}
    kinds.update({item.title.casefold(): item.kind for item in previous})
    marks = {str(S.MT_CLOSED_MARK).casefold(), "(closed)"}  # the language's word, or the English one
    items = []
    for line in lines(text):
        public = True
        for mark in marks:
            if line.casefold().endswith(mark):
                line, public = line[: -len(mark)].rstrip(), False
                break
        if line:
            items.append({"title": line, "kind": kinds.get(line.casefold(), "decision"), "public": public})
    return items


def person_form(app: AppContext, person: Person | None) -> FormScreen[Person]:
    def submit(values: dict[str, Any]) -> Person:
        fields = {
            "title": values["job_title"].strip(),
            "organisation": values["organisation"],
            "email": values["email"].strip(),
            "phone": values["phone"].strip(),
        }
        if person is None:
            return app.secretary.registry.create_person(values["name"].strip(), **fields)
        return app.secretary.registry.edit_person(person.id, based_on=person, name=values["name"].strip(), **fields)

    fields = [
        FieldSpec("name", value=person.name if person else ""),
        FieldSpec("job_title", value=person.title if person else "", aliases=("title",)),
        FieldSpec("organisation", "select", person.organisation if person else None, org_options(app)),
        FieldSpec("email", value=person.email if person else ""),
        FieldSpec("phone", value=person.phone if person else ""),
    ]
    reload = None if person is None else (lambda: person_form(app, app.secretary.records.person(person.id)))
    return FormScreen(S.P_NEW if person is None else S.P_EDIT, fields, submit, reload, record=person)


def membership_form(app: AppContext, seat: Membership | None, body_id: str | None = None) -> FormScreen[Membership]:
    def submit(values: dict[str, Any]) -> Membership:
        start = parse_date(values["start"], "start", required=True)
        end = parse_date(values["end"], "end")
        fields = {"role": values["role"] or "member", "voting": bool(values["voting"]), "end": end}
        if seat is None:
            body = _required(values, "body")
            return app.secretary.registry.add_membership(
                body, start, person=values["person"], organisation=values["organisation"], **fields
            )
        return app.secretary.registry.edit_membership(
            seat.id, based_on=seat, body=values["body"], person=values["person"], organisation=values["organisation"], start=start, **fields
        )

    fields = [
        FieldSpec("body", "select", seat.body if seat else body_id, body_options(app, include_retired=True)),
        FieldSpec("person", "select", seat.person if seat else None, person_options(app)),
        FieldSpec("organisation", "select", seat.organisation if seat else None, org_options(app)),
        FieldSpec("role", "select", seat.role if seat else "member", _options(S.ROLES), allow_blank=False),
        FieldSpec("voting", "check", seat.voting if seat else True),
        FieldSpec("start", value=(seat.start if seat else app.today).isoformat()),
        FieldSpec("end", value=seat.end.isoformat() if seat and seat.end else ""),
    ]
    reload = None if seat is None else (lambda: membership_form(app, app.secretary.records.membership(seat.id)))
    return FormScreen(S.M_NEW if seat is None else S.M_EDIT, fields, submit, reload, record=seat)


# -- from anywhere (the palette's global commands) ------------------------------------------------


def body_choice_form(app: AppContext, title: str) -> FormScreen[str]:
    """Ask for a body; the result is its id."""

    def submit(values: dict[str, Any]) -> str:
        return _required(values, "body")

    return FormScreen(title, [FieldSpec("body", "select", None, body_options(app), allow_blank=True)], submit)


def meeting_from_last_form(app: AppContext) -> FormScreen[Meeting]:
    """A new meeting prepared from the body's last one (standing items, undecided and postponed
    items with their actions, the other open actions to follow up)."""

    def submit(values: dict[str, Any]) -> Meeting:
        body = _required(values, "body")
        day = parse_date(values["date"], "date", required=True)
        time = parse_time(values["time"] or app.secretary.records.body(body).planning.start_time, "time")
        return app.secretary.agenda.schedule_from_last(
            body, f"{day.isoformat()} {time}", location=_text_or_none(values["location"]), title=values["title"].strip()
        )

    fields = [
        FieldSpec("body", "select", None, body_options(app), allow_blank=True),
        FieldSpec("date", value="", placeholder=S.DATE_PLACEHOLDER, aliases=("start",)),
        FieldSpec("time", value="", placeholder=S.TIME_PLACEHOLDER, aliases=("end",)),
        FieldSpec("location"),
        FieldSpec("title"),
    ]
    return FormScreen(S.MT_FROM_LAST, fields, submit)


def members_export_form(app: AppContext) -> FormScreen[Any]:
    """A body's member list as .docx or .csv into the export folder; the result is the file written."""

    def submit(values: dict[str, Any]):
        body = _required(values, "body")
        return app.secretary.documents.export_members(body, values["format"] or "docx", app.today)

    fields = [
        FieldSpec("body", "select", None, body_options(app), allow_blank=True),
        FieldSpec("format", "select", "docx", [(".docx", "docx"), (".csv", "csv")], allow_blank=False),
    ]
    return FormScreen(S.EX_MEMBERS_TITLE, fields, submit)
