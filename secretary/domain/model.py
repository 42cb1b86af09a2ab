"""The domain: validated objects that every layer shares.

The field names are those of the interchange format `secretary/1` (DESIGN.md),
so a stored record, an imported object and a domain object are one shape.
Validation lives here, at the boundary: anything that reaches a service is sound.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from secretary.i18n import N_, _

# Ids become file names (meeting partitions live under the body's id), so the
# pattern is also what keeps a path inside the database directory.
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]

# Control characters other than tab and newline break XML (Word) and
# iCalendar; refusing them at the boundary means stored text is always exportable.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _no_control(value: str) -> str:
    match = _CONTROL.search(value)
    if match:
        raise ValueError(f"contains the control character U+{ord(match.group()):04X}")
    return value


Line = Annotated[str, StringConstraints(max_length=500), AfterValidator(_no_control)]
Text = Annotated[str, StringConstraints(max_length=200_000), AfterValidator(_no_control)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(_no_control)]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
TIMEZONES = ("Europe/Copenhagen", "Europe/Stockholm")
Country = Literal["DK", "SE"]
Language = Literal["da", "sv", "en"]


class FieldError(ValueError):
    """A rule that spans fields, reported against the one field to change."""

    def __init__(self, field: str, value: object, message: str):
        super().__init__(message)
        self.field = field
        self.value = value
        self.message = message


class Record(BaseModel):
    """Base of every domain object: unknown fields are errors, types are strict."""

    # defer_build: a model's validator is built when it is first used, not at import; the
    # start screen uses the registry's models and never waits for the meeting's (benchmarks/).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)

    def replace(self, **changes):
        """A validated copy with some fields changed (model_copy skips validation)."""
        data = self.model_dump()
        data.update(changes)
        return type(self).model_validate(data, strict=False)


class Organisation(Record):
    id: Id
    name: Name
    short_name: Line = ""
    kind: Literal["municipality", "region", "association", "state", "other"]
    country: Country


class Cadence(Record):
    kind: Literal["per_year", "monthly", "per_term", "as_needed"]
    min: Annotated[int, Field(ge=0, le=366)] | None = None
    max: Annotated[int, Field(ge=0, le=366)] | None = None

    @model_validator(mode="after")
    def _range(self) -> Cadence:
        if self.kind == "per_year":
            if self.min is None or self.max is None:
                raise FieldError("min" if self.min is None else "max", None, _("a per_year cadence needs min and max"))
            if self.min > self.max:
                raise FieldError("min", self.min, _("is greater than max {max}").format(max=self.max))
        return self

    def target(self) -> tuple[int, int] | None:
        """Meetings a year as (min, max); None when the body meets as needed."""
        if self.kind == "per_year":
            return (self.min or 0, self.max or 0)
        if self.kind == "monthly":
            return (self.min if self.min is not None else 11, self.max if self.max is not None else 12)
        if self.kind == "per_term":
            return (self.min if self.min is not None else 2, self.max if self.max is not None else 2)
        return None


class Planning(Record):
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(default_factory=lambda: [1, 2, 3, 4], min_length=1)
    start_time: HHMM = "09:00"
    duration_minutes: Annotated[int, Field(ge=15, le=24 * 60)] = 120
    excluded_months: list[Annotated[int, Field(ge=1, le=12)]] = Field(default_factory=lambda: [7])
    min_gap_days: Annotated[int, Field(ge=0, le=366)] = 14


class Deadlines(Record):
    items_due_days: Annotated[int, Field(ge=0, le=120)] = 14
    agenda_dispatch_days: Annotated[int, Field(ge=0, le=120)] = 7
    minutes_due_days: Annotated[int, Field(ge=0, le=120)] = 14
    # Days members have to comment on minutes sent for comments (the default deadline).
    comment_days: Annotated[int, Field(ge=0, le=120)] = 7


class CaseRule(Record):
    """One version of a body's rule for capacity adjustments, in force from `valid_from`
    (None: the rule before every dated one). What it means: secretary/domain/cases.py."""

    valid_from: dt.date | None = None
    # A change of more than `threshold` places needs approval; 0: every change does.
    threshold: Annotated[int, Field(ge=0, le=100_000)] = 10
    # Closing a whole offer needs approval whatever its size.
    closure_needs_approval: bool = True
    # The e-mail hearing's deadline, in days from the day it is sent.
    hearing_days: Annotated[int, Field(ge=1, le=120)] = 14
    # After the deadline, a member that has not answered has consented (unless this is False).
    silence_is_consent: bool = True
    # Remind those who have not answered this many days before the deadline.
    reminder_days: Annotated[int, Field(ge=0, le=120)] = 3
    # Bodies whose meeting may approve a change (DASSOS, Forretningsudvalget); empty: this body.
    deciders: list[Id] = Field(default_factory=list)
    # Where the rule comes from, in its own words (the rules of procedure).
    source: Text = ""

    @model_validator(mode="after")
    def _reminder(self) -> CaseRule:
        if self.reminder_days >= self.hearing_days:
            raise FieldError("reminder_days", self.reminder_days, _("is not less than hearing_days {hearing_days}").format(
                                                                      hearing_days=self.hearing_days,
                                                                  ))
        return self


BodyKind = Literal["political", "administrative", "advisory", "working_group", "ad_hoc", "network", "secretariat"]


class TemplateItem(Record):
    """A standing item of a body's agenda template: what each new meeting of the body starts with."""

    title: Name
    kind: ItemKind = "decision"
    public: bool = True

    @model_validator(mode="after")
    def _one_line(self) -> TemplateItem:
        if "\n" in self.title or not self.title.strip():
            raise FieldError("title", self.title, _("a standing item's title is one line of text"))
        return self


AGENDA_TEMPLATE_MAX = 30


def _template_checked(items: list[TemplateItem]) -> list[TemplateItem]:
    if len(items) > AGENDA_TEMPLATE_MAX:
        raise ValueError(_("has more than {limit} standing items").format(limit=AGENDA_TEMPLATE_MAX))
    seen: set[str] = set()
    for item in items:
        key = item.title.strip().casefold()
        if key in seen:
            raise ValueError(_("names a standing item twice: {title}").format(title=item.title))
        seen.add(key)
    return items


class Body(Record):
    id: Id
    name: Name
    abbreviation: Line = ""
    kind: BodyKind
    language: Language
    timezone: Literal["Europe/Copenhagen", "Europe/Stockholm"]
    reports_to: Id | None = None
    decides_on_behalf_of: Id | None = None
    advises: list[Id] = Field(default_factory=list)
    terms_of_reference: Text = ""
    tasks: list[Text] = Field(default_factory=list)
    composition: Text = ""
    cadence: Cadence = Field(default_factory=lambda: Cadence(kind="as_needed"))
    planning: Planning = Field(default_factory=Planning)
    deadlines: Deadlines = Field(default_factory=Deadlines)
    term_years: Annotated[int, Field(ge=1, le=12)] | None = None
    location: Line = ""
    website: Line = ""
    retired: dt.date | None = None
    # Who issues the body's documents (page header, properties): the organisation or
    # secretariat, never a person. Empty: derived from the secretariat bodies.
    secretariat: Line = ""
    # "Förvaringsplats för protokollet": the office where the minutes are kept (Swedish anslag).
    minutes_office: Line = ""
    # Danish practice some bodies follow: the draft minutes are public the day after, marked "Udkast".
    publish_draft_minutes_next_day: bool = False
    # Rules of procedure for capacity adjustments (kapacitetsjusteringer), one per version by
    # valid-from date; the rule itself is applied in secretary/domain/cases.py.
    case_rules: list[CaseRule] = Field(default_factory=list)
    # The standing items a new meeting of the body starts with (title, kind, open or closed);
    # empty: the standard ones of the body's language (secretary/domain/agenda_rules.py).
    agenda_template: Annotated[list[TemplateItem], AfterValidator(_template_checked)] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.abbreviation or self.name


class Person(Record):
    id: Id
    name: Name
    title: Line = ""
    organisation: Id | None = None
    email: Line = ""
    phone: Line = ""


Role = Literal["chair", "vice_chair", "member", "substitute", "observer", "secretary"]


class Membership(Record):
    id: Id
    body: Id
    person: Id | None = None
    organisation: Id | None = None
    role: Role = "member"
    voting: bool = True
    start: dt.date
    end: dt.date | None = None

    @model_validator(mode="after")
    def _holder_and_term(self) -> Membership:
        if self.person is None and self.organisation is None:
            raise FieldError("person", None, _("a seat needs a person or an organisation"))
        if self.end is not None and self.end < self.start:
            raise FieldError("end", self.end.isoformat(), _("is before start {start}").format(start=self.start.isoformat()))
        return self

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Attendance(Record):
    person: Id | None = None
    organisation: Id | None = None
    status: Literal["present", "apologies", "absent", "guest"]
    substitute_for: Id | None = None
    # The seat (membership id) this row is for: every seat of the body is a row, so two seats
    # of one organisation are two rows; a substitute stands in for a seat (person: the substitute).
    seat: Id | None = None
    # Presence for part of the meeting, what the full minutes say: arrived at a time and/or at
    # an item ("ankom under punkt 3"), left at a time and/or after an item ("gik efter punkt 5"),
    # did not take part in some items (inhabil / jäv), or present only for some (a guest, an
    # official). One set for every path: the attendance form, imports, documents, exports.
    arrived: HHMM | None = None
    arrived_item: Id | None = None
    left: HHMM | None = None
    left_item: Id | None = None
    not_items: list[Id] = Field(default_factory=list)
    only_items: list[Id] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _old_item_fields(cls, data: Any) -> Any:
        """Rows stored or exported before the two sets were one: the meeting's life wrote
        `from_item` (present from this item) and `until_item` (until, after, this item); they
        are read as `arrived_item` and `left_item`, and only those are written."""
        if not isinstance(data, dict) or ("from_item" not in data and "until_item" not in data):
            return data
        data = dict(data)
        for old, new in (("from_item", "arrived_item"), ("until_item", "left_item")):
            value = data.pop(old, None)
            if value is None:
                continue
            if data.get(new) is not None and data[new] != value:
                raise FieldError(old, value, _("names another item than {field} ({other!r}); give {field} only").format(
                    field=new, other=data[new]))
            data[new] = value
        return data

    @model_validator(mode="after")
    def _who(self) -> Attendance:
        if self.person is None and self.organisation is None:
            raise FieldError("person", None, _("attendance needs a person or an organisation"))
        return self

    def item_refs(self) -> list[tuple[str, str]]:
        """(field, item id) of every item this row names."""
        refs = [("arrived_item", self.arrived_item), ("left_item", self.left_item)]
        refs += [("not_items", i) for i in self.not_items] + [("only_items", i) for i in self.only_items]
        return [(name, ref) for name, ref in refs if ref is not None]


class Attachment(Record):
    title: Name
    href: Line = ""


class Action(Record):
    id: Id
    what: Name
    owner: Line = ""
    due: dt.date | None = None
    done: bool = False
    # The day it was ticked off (set by AgendaService.complete_action): the scorecard's
    # "actions done by their due date" needs it; None on actions done before it was kept.
    done_on: dt.date | None = None


class Motion(Record):
    """A yrkande: who moved what (Swedish protokoll)."""

    by: Name
    text: Text


class Vote(Record):
    """An omröstning: the votes cast and the result in words."""

    yes: Annotated[int, Field(ge=0, le=10_000)]
    no: Annotated[int, Field(ge=0, le=10_000)]
    abstained: Annotated[int, Field(ge=0, le=10_000)] = 0
    question: Text = ""
    result: Text


class Remark(Record):
    """A reservation against a decision, or a protokollsanteckning: who, and what (optional for a reservation)."""

    by: Name
    text: Text = ""


ItemKind = Literal["decision", "information", "discussion", "approve_agenda", "approve_minutes", "any_other_business"]
STANDING_KINDS = ("approve_agenda", "approve_minutes", "any_other_business")
Outcome = Literal["approved", "noted", "rejected", "postponed", "referred"]


class Item(Record):
    id: Id
    number: Annotated[str, StringConstraints(max_length=20)] = ""
    title: Name
    kind: ItemKind = "decision"
    public: bool = True
    closed_reason: Line | None = None
    case_number: Line | None = None
    presenter: Line | None = None
    background: Text = ""
    recommendation: Text = ""
    attachments: list[Attachment] = Field(default_factory=list)
    decision: Text | None = None
    outcome: Outcome | None = None
    referred_to: Id | None = None
    actions: list[Action] = Field(default_factory=list)
    # Added or changed after the agenda was dispatched (tillægsdagsorden / extra ärende).
    addendum: bool = False
    # On the standing item "Godkendelse af referat": the meeting whose minutes it approved.
    approves_minutes_of: Id | None = None
    # What public outputs (public documents, feeds, the site) show of a closed item instead
    # of its own title ("Personalesag", "Ärende enligt SoL"); none: the closed-item notice.
    public_title: Line | None = None
    # Danish optional sections: Resumé, Økonomi, Beslutningskompetence ("Sagen afgøres i …").
    summary: Text = ""
    economy: Text = ""
    competence: Line = ""
    # Swedish §: Beslutet skickas till (expediering), yrkanden, omröstning, reservationer,
    # protokollsanteckningar.
    send_to: list[Line] = Field(default_factory=list)
    motions: list[Motion] = Field(default_factory=list)
    vote: Vote | None = None
    reservations: list[Remark] = Field(default_factory=list)
    notes: list[Remark] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if self.outcome == "referred" and self.referred_to is None:
            raise FieldError("referred_to", None, _("outcome 'referred' needs the body it is referred to"))
        if self.public_title is not None:
            shown = self.public_title.strip()
            if not shown:
                raise FieldError("public_title", self.public_title, _("is blank; leave it out (null) for the closed-item notice"))
            if not self.public and self.title.strip().casefold() in shown.casefold():
                raise FieldError("public_title", self.public_title,
                                 _("repeats the closed item's own title; a public title says what kind of matter it is"))
        return self


class Amendment(Record):
    on: dt.date
    by: Name
    what: Text
    # The item amended, the fields changed and the reason given (the documents word these
    # in their own language; `what` is the recorded summary).
    item: Id | None = None
    fields: list[Line] = Field(default_factory=list)
    note: Text = ""


class Comment(Record):
    """A comment received on minutes sent for comments."""

    person: Id
    on: dt.date
    text: Text = ""


ApprovalMode = Literal["next_meeting", "members", "at_once", "justering"]
Paragraph = Annotated[str, StringConstraints(pattern=r"^§ [1-9][0-9]{0,5}$")]


class Minutes(Record):
    status: Literal["none", "draft", "sent", "approved"] = "none"
    approved_on: dt.date | None = None
    # Free text kept from before the life was recorded ("Formanden"); `approvers` names people.
    approved_by: Line | None = None
    amendments: list[Amendment] = Field(default_factory=list)
    # Sent for comments: when, until when, and what came back.
    sent_on: dt.date | None = None
    comment_deadline: dt.date | None = None
    comments: list[Comment] = Field(default_factory=list)
    # How they were approved: at the body's next meeting (its item "Godkendelse af referat"),
    # by named members, at once at the meeting, or (Swedish) justerat by justerare.
    approval_mode: ApprovalMode | None = None
    approvers: list[Id] = Field(default_factory=list)
    approved_at_meeting: Id | None = None
    approved_at_item: Id | None = None
    # Swedish justering: one or two justerare (chosen at the meeting), place and time.
    justerare: list[Id] = Field(default_factory=list, max_length=2)
    justering_place: Line = ""
    justering_at: AwareDatetime | None = None
    # Swedish anslag: posted, appeal period ends (posted + 3 weeks), taken down (not before).
    posted_on: dt.date | None = None
    appeal_ends: dt.date | None = None
    removal_on: dt.date | None = None
    # The protokoll's §§ frozen at justering, by item id ("§ 12"); never changed afterwards.
    paragraphs: dict[Id, Paragraph] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _approval(self) -> Minutes:
        if self.status == "approved" and self.approved_on is None:
            raise FieldError("approved_on", None, _("approved minutes need the date of approval"))
        return self


MeetingStatus = Literal["planned", "invited", "held", "cancelled"]

LifeAction = Literal[
    "dispatch",
    "held",
    "draft",
    "send",
    "comment",
    "approve",
    "justera",
    "post",
    "publish_agenda",
    "publish_draft_minutes",
    "publish_minutes",
    "cancel",
    "reopen",
    "amend",
    "addendum",
]


class LifeEvent(Record):
    """One step of a meeting's life: when, by whom, what, and why (a reason or a detail)."""

    at: AwareDatetime
    actor: Line = ""
    action: LifeAction
    detail: Text = ""


class Publication(Record):
    """When the public agenda and minutes were published (the published site shows these)."""

    agenda: dt.date | None = None
    agenda_version: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    draft_minutes: dt.date | None = None
    minutes: dt.date | None = None


class Meeting(Record):
    id: Id
    body: Id
    title: Line = ""
    start: AwareDatetime
    end: AwareDatetime
    location: Line = ""
    online_url: Line = ""
    status: MeetingStatus = "planned"
    attendance: list[Attendance] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    minutes: Minutes = Field(default_factory=Minutes)
    demo: bool = False
    # The life (secretary/domain/life.py): dispatch, held, cancellation, publication, history.
    dispatched_at: AwareDatetime | None = None
    agenda_version: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    actual_start: AwareDatetime | None = None
    actual_end: AwareDatetime | None = None
    chair: Id | None = None
    minute_taker: Id | None = None
    cancelled_reason: Text = ""
    published: Publication = Field(default_factory=Publication)
    history: list[LifeEvent] = Field(default_factory=list)
    # Calendar identity (RFC 5545): chosen once, carried through export/import.
    uid: Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$")] | None = None
    sequence: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    last_modified: AwareDatetime | None = None

    @model_validator(mode="after")
    def _times(self) -> Meeting:
        if self.end <= self.start:
            raise FieldError("end", self.end.isoformat(), _("is not after start {start}").format(start=self.start.isoformat()))
        ids = [item.id for item in self.items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise FieldError("items", dup[0], _("two items have this id"))
        seats = [row.seat for row in self.attendance if row.seat is not None]
        twice = sorted({s for s in seats if seats.count(s) > 1})
        if twice:
            raise FieldError("attendance", twice[0], _("two attendance rows for the same seat"))
        # The rows' item fields are checked by check_references (every write, `secretary check`).
        return self

    @property
    def year(self) -> int:
        return self.start.year

    def schedule_key(self) -> tuple:
        """The fields whose change a calendar must see as a new version."""
        return (self.start, self.end, self.location, self.status)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


class Milestone(Record):
    id: Id
    title: Name
    body: Id | None = None
    date: dt.date | None = None
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    day: Annotated[int, Field(ge=1, le=31)] | None = None
    recurs: Literal["once", "yearly", "even_years", "odd_years"] = "once"

    @model_validator(mode="after")
    def _when(self) -> Milestone:
        if self.recurs == "once" and self.date is None:
            raise FieldError("date", None, _("a milestone that happens once needs a date"))
        if self.recurs != "once" and self.date is None and self.month is None:
            raise FieldError("month", None, _("a recurring milestone needs a month (or a date)"))
        if self.month is not None and self.day is not None:
            try:
                dt.date(2024, self.month, self.day)  # leap year: 29 February is allowed
            except ValueError:
                raise FieldError("day", self.day, _("does not exist in month {month}").format(month=self.month)) from None
        return self

    def occurs_in(self, year: int) -> dt.date | None:
        """The milestone's date in a year, or None when it does not occur then."""
        if self.recurs == "once":
            return self.date if self.date and self.date.year == year else None
        if self.recurs == "even_years" and year % 2:
            return None
        if self.recurs == "odd_years" and not year % 2:
            return None
        month = self.month or (self.date.month if self.date else 1)
        day = self.day or (self.date.day if self.date else 1)
        try:
            return dt.date(year, month, day)
        except ValueError:
            return dt.date(year, month, 28)


CaseStatus = Literal["open", "at_meeting", "hearing", "decided", "closed"]
CaseOutcome = Literal["approved", "rejected", "not_required", "withdrawn"]
Answer = Literal["approve", "object", "none"]
CaseAction = Literal["new", "contact", "route", "hearing", "respond", "remind", "settle", "decide", "close", "report", "mail"]


class Contact(Record):
    """An affected organisation the operator contacted before the change, and when."""

    organisation: Id
    on: dt.date
    note: Line = ""


class HearingResponse(Record):
    """A member organisation's answer in an e-mail hearing (mailhøring)."""

    organisation: Id
    answer: Answer
    text: Text = ""
    on: dt.date


class Delivery(Record):
    """One message of a case to one member organisation: accepted by the server, or not (and why).

    `status` "sent" only when the mail server accepted the message for every address."""

    organisation: Id
    kind: Literal["hearing", "reminder"]
    addresses: list[Line] = Field(default_factory=list)
    status: Literal["sent", "failed"]
    at: AwareDatetime
    error: Line = ""


class CaseEvent(Record):
    at: AwareDatetime
    actor: Line = ""
    action: CaseAction
    detail: Text = ""


class Case(Record):
    """A capacity adjustment (kapacitetsjustering): the operator changes the places of an offer."""

    id: Id
    # The body whose rule applies and whose members are heard (DASSOS).
    body: Id
    offer: Name
    operator: Id
    places_before: Annotated[int, Field(ge=0, le=100_000)]
    places_after: Annotated[int, Field(ge=0, le=100_000)]
    closure: bool = False
    affected: list[Id] = Field(default_factory=list)
    effect: dt.date | None = None
    case_number: Line = ""
    # The case's date: which version of the rule it follows.
    dated: dt.date
    status: CaseStatus = "open"
    route: Literal["none", "meeting", "hearing"] | None = None
    meeting: Id | None = None
    item: Id | None = None
    hearing_sent: dt.date | None = None
    hearing_deadline: dt.date | None = None
    contacted: list[Contact] = Field(default_factory=list)
    responses: list[HearingResponse] = Field(default_factory=list)
    deliveries: list[Delivery] = Field(default_factory=list)
    outcome: CaseOutcome | None = None
    decided_on: dt.date | None = None
    # Where the decision was made (a meeting id) or "hearing"; and the meeting that was told of it.
    decided_by: Line = ""
    reported_at: Id | None = None
    history: list[CaseEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.closure and self.places_after != 0:
            raise FieldError("places_after", self.places_after, _("a closure of the whole offer leaves 0 places"))
        if not self.closure and self.places_before == self.places_after:
            raise FieldError("places_after", self.places_after, _("equals places_before {places_before}: no change").format(
                                                                    places_before=self.places_before,
                                                                ))
        if self.route == "hearing" and (self.hearing_sent is None or self.hearing_deadline is None):
            raise FieldError("hearing_deadline", None, _("a hearing needs the day it was sent and its deadline"))
        if self.hearing_sent and self.hearing_deadline and self.hearing_deadline < self.hearing_sent:
            raise FieldError("hearing_deadline",
            self.hearing_deadline.isoformat(), _("is before the hearing was sent ({hearing_sent})").format(
                                                                                        hearing_sent=self.hearing_sent,
                                                                                    ))
        if self.status in ("decided", "closed") and self.outcome is None:
            raise FieldError("outcome", None, _("a case that is {status} needs its outcome").format(status=self.status))
        if self.outcome is not None and self.decided_on is None:
            raise FieldError("decided_on", None, _("an outcome needs the day it was decided"))
        answered = [r.organisation for r in self.responses]
        twice = sorted({o for o in answered if answered.count(o) > 1})
        if twice:
            raise FieldError("responses", twice[0], _("two answers from one organisation"))
        return self

    @property
    def change(self) -> int:
        """Places added (positive) or removed (negative)."""
        return self.places_after - self.places_before


class MailRecipient(Record):
    """One recipient of a meeting's agenda or minutes by e-mail, and what became of the message."""

    person: Id | None = None
    organisation: Id | None = None
    name: Line = ""
    address: Line = ""
    version: Literal["full", "public"] = "full"
    # "sent" only when the mail server accepted the message for this address.
    status: Literal["sent", "failed"] = "failed"
    at: AwareDatetime | None = None
    error: Line = ""


class Mailing(Record):
    """A meeting's agenda (one version) or minutes sent by e-mail: who got it and who did not.

    Kept beside the registry like feed tokens, never in secretary/1 (it holds addresses and is a log).
    `recorded`: the step of the meeting's life (dispatch, sent for comments) is recorded."""

    id: Id
    meeting: Id
    kind: Literal["agenda", "minutes"]
    version: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    recipients: list[MailRecipient] = Field(default_factory=list)
    recorded: bool = False


class FeedToken(Record):
    """The secret in a person's calendar feed URL (/calendars/p/<token>.ics).

    Kept in the registry beside the people but never in secretary/1: a token is
    a credential, not data to exchange. `id` is the person's id.
    """

    id: Id
    token: Annotated[str, StringConstraints(min_length=22, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]
    created: AwareDatetime


# The scorecard (styrkort): rules, computed figures and formatting in secretary/domain/scorecard.py.
IndicatorNumber = Annotated[int | float, Field(ge=-1e15, le=1e15, allow_inf_nan=False)]
INDICATOR_UNITS = ("percent", "number", "kr", "tkr", "kr_per_inhabitant", "per_inhabitant")
COMPUTED_METRICS = (
    "meetings_held", "agendas_on_time", "minutes_sent_on_time", "minutes_approved_on_time",
    "attendance", "actions_on_time", "actions_overdue",
)


class IndicatorValue(Record):
    """One year of one indicator: the result (or why there is none), the target (måltal),
    the national average (rikssnitt) and a footnote. A year not in `values` has nothing at all."""

    year: Annotated[int, Field(ge=1900, le=2200)]
    result: IndicatorNumber | None = None
    # No result, and why: not measured that year (the survey was not done), or "i.u." (ingen uppgift).
    result_missing: Literal["not_measured", "no_data"] | None = None
    target: IndicatorNumber | None = None
    national: IndicatorNumber | None = None
    national_missing: Literal["no_data"] | None = None
    note: Text = ""

    @model_validator(mode="after")
    def _one_of(self) -> IndicatorValue:
        if self.result is not None and self.result_missing is not None:
            raise FieldError("result_missing", self.result_missing, _("a year with a result cannot also be missing one"))
        if self.national is not None and self.national_missing is not None:
            raise FieldError("national_missing", self.national_missing, _("a year with a national average cannot also be missing one"))
        return self


class Indicator(Record):
    """A styrtal / nøgletal of one organisation's or one body's scorecard."""

    id: Id
    title: Name
    organisation: Id | None = None
    body: Id | None = None
    scorecard: Line = ""  # the scorecard's name within its owner ("Social välfärd"); "" the owner's only one
    area: Name  # the goal area (målområde)
    area_kind: Literal["strategic", "internal"] = "strategic"
    goal: Line = ""  # the goal it serves (kommunövergripande mål)
    order: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    unit: Literal["percent", "number", "kr", "tkr", "kr_per_inhabitant", "per_inhabitant"] = "number"
    better: Literal["higher", "lower"] | None = "higher"
    source: Literal["manual", "kolada", "computed"] = "manual"
    kpi: Annotated[str, StringConstraints(pattern=r"^[A-Z][0-9]{5}$")] | None = None
    municipality: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")] | None = None
    metric: Literal[
        "meetings_held", "agendas_on_time", "minutes_sent_on_time", "minutes_approved_on_time",
        "attendance", "actions_on_time", "actions_overdue",
    ] | None = None
    of_organisation: Id | None = None  # the organisation a computed attendance rate is of
    values: list[IndicatorValue] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if (self.organisation is None) == (self.body is None):
            raise FieldError("organisation", self.organisation, _("an indicator belongs to one organisation or one body"))
        if self.source == "kolada" and self.kpi is None:
            raise FieldError("kpi", None, _("a Kolada indicator needs its KPI id"))
        if self.source == "computed":
            if self.metric is None:
                raise FieldError("metric", None, _("a computed indicator needs its metric"))
            if self.body is None:
                raise FieldError("body", None, _("a computed indicator is computed from one body's meetings"))
            if (self.metric == "attendance") != (self.of_organisation is not None):
                raise FieldError("of_organisation", self.of_organisation, _("an attendance rate, and only it, is of one organisation"))
            for value in self.values:
                if value.result is not None or value.result_missing is not None:
                    raise FieldError("values", value.year, _("a computed indicator's result comes from the meetings, not from data"))
        elif self.metric is not None:
            raise FieldError("metric", self.metric, _("only a computed indicator has a metric"))
        years = [value.year for value in self.values]
        dup = sorted({y for y in years if years.count(y) > 1})
        if dup:
            raise FieldError("values", dup[0], _("two values are for this year"))
        return self

    def value(self, year: int) -> IndicatorValue | None:
        for value in self.values:
            if value.year == year:
                return value
        return None


# What a store keeps by id: every record with an `id` of its own (not the parts of one).
Entity = Organisation | Body | Person | Membership | Meeting | Milestone | FeedToken | Case | Mailing | Indicator

COLLECTIONS = {
    "organisations": Organisation,
    "bodies": Body,
    "people": Person,
    "memberships": Membership,
    "meetings": Meeting,
    "milestones": Milestone,
    "cases": Case,
    "indicators": Indicator,
}

# Singular nouns for error messages: "meeting 'x': field 'start' …" (N_: translated where shown, noun()).
NOUNS = {
    "organisations": N_("organisation"),
    "bodies": N_("body"),
    "people": N_("person"),
    "memberships": N_("membership"),
    "meetings": N_("meeting"),
    "milestones": N_("milestone"),
    "indicators": N_("indicator"),
    "values": N_("value"),
    "items": N_("item"),
    "actions": N_("action"),
    "attendance": N_("attendance"),
    "attachments": N_("attachment"),
    "amendments": N_("amendment"),
    "comments": N_("comment"),
    "motions": N_("motion"),
    "reservations": N_("reservation"),
    "notes": N_("note"),
    "history": N_("event"),
    "cases": N_("case"),
    "responses": N_("response"),
    "contacted": N_("contact"),
    "deliveries": N_("delivery"),
    "case_rules": N_("rule"),
}


def noun(collection: str) -> str:
    """The singular noun of a collection in the interface's language ("bodies" → "forum")."""
    word = NOUNS.get(collection, collection)
    return _(word)
