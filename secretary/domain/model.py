"""The domain: validated objects that every layer shares.

The field names are those of the interchange format `secretary/1` (DESIGN.md),
so a stored record, an imported object and a domain object are one shape.
Validation lives here, at the boundary: anything that reaches a service is sound.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

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
                raise FieldError("min" if self.min is None else "max", None, "a per_year cadence needs min and max")
            if self.min > self.max:
                raise FieldError("min", self.min, f"is greater than max {self.max}")
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


BodyKind = Literal["political", "administrative", "advisory", "working_group", "ad_hoc", "network", "secretariat"]


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
            raise FieldError("person", None, "a seat needs a person or an organisation")
        if self.end is not None and self.end < self.start:
            raise FieldError("end", self.end.isoformat(), f"is before start {self.start.isoformat()}")
        return self

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Attendance(Record):
    person: Id | None = None
    organisation: Id | None = None
    status: Literal["present", "apologies", "absent", "guest"]
    substitute_for: Id | None = None
    # Presence for part of the meeting (printed in the full minutes only): arrived at a
    # time and/or at an item, left at a time and/or after an item, did not take part in
    # some items (inhabil / jäv), or present only for some items (a guest, an official).
    arrived: HHMM | None = None
    arrived_item: Id | None = None
    left: HHMM | None = None
    left_item: Id | None = None
    not_items: list[Id] = Field(default_factory=list)
    only_items: list[Id] = Field(default_factory=list)

    @model_validator(mode="after")
    def _who(self) -> Attendance:
        if self.person is None and self.organisation is None:
            raise FieldError("person", None, "attendance needs a person or an organisation")
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
            raise FieldError("referred_to", None, "outcome 'referred' needs the body it is referred to")
        if self.public_title is not None:
            shown = self.public_title.strip()
            if not shown:
                raise FieldError("public_title", self.public_title, "is blank; leave it out (null) for the closed-item notice")
            if not self.public and self.title.strip().casefold() in shown.casefold():
                raise FieldError("public_title", self.public_title,
                                 "repeats the closed item's own title; a public title says what kind of matter it is")
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
            raise FieldError("approved_on", None, "approved minutes need the date of approval")
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
            raise FieldError("end", self.end.isoformat(), f"is not after start {self.start.isoformat()}")
        ids = [item.id for item in self.items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise FieldError("items", dup[0], "two items have this id")
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
            raise FieldError("date", None, "a milestone that happens once needs a date")
        if self.recurs != "once" and self.date is None and self.month is None:
            raise FieldError("month", None, "a recurring milestone needs a month (or a date)")
        if self.month is not None and self.day is not None:
            try:
                dt.date(2024, self.month, self.day)  # leap year: 29 February is allowed
            except ValueError:
                raise FieldError("day", self.day, f"does not exist in month {self.month}") from None
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


class FeedToken(Record):
    """The secret in a person's calendar feed URL (/calendars/p/<token>.ics).

    Kept in the registry beside the people but never in secretary/1: a token is
    a credential, not data to exchange. `id` is the person's id.
    """

    id: Id
    token: Annotated[str, StringConstraints(min_length=22, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]
    created: AwareDatetime


# What a store keeps by id: every record with an `id` of its own (not the parts of one).
Entity = Organisation | Body | Person | Membership | Meeting | Milestone | FeedToken

COLLECTIONS = {
    "organisations": Organisation,
    "bodies": Body,
    "people": Person,
    "memberships": Membership,
    "meetings": Meeting,
    "milestones": Milestone,
}

# Singular nouns for error messages: "meeting 'x': field 'start' …".
NOUNS = {
    "organisations": "organisation",
    "bodies": "body",
    "people": "person",
    "memberships": "membership",
    "meetings": "meeting",
    "milestones": "milestone",
    "items": "item",
    "actions": "action",
    "attendance": "attendance",
    "attachments": "attachment",
    "amendments": "amendment",
    "comments": "comment",
    "motions": "motion",
    "reservations": "reservation",
    "notes": "note",
    "history": "event",
}
