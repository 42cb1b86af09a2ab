"""Reading the stored objects: what every screen, command and service asks first."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from secretary.domain.errors import NotFound
from secretary.domain.interchange import Dataset
from secretary.domain.model import Body, Meeting, Membership, Milestone, Organisation, Person
from secretary.i18n import N_, _
from secretary.services.ports import Store


class Records:
    """Lookups by id (NotFound names what is missing) and sorted listings over the store."""

    def __init__(self, store: Store):
        self.store = store

    def organisations(self) -> list[Organisation]:
        return sorted(self.store.organisations.all().values(), key=lambda o: o.id)

    def bodies(self, include_retired: bool = True) -> list[Body]:
        bodies = sorted(self.store.bodies.all().values(), key=lambda b: b.id)
        return [b for b in bodies if include_retired or b.retired is None]

    def body(self, body_id: str) -> Body:
        return _one(self.store.bodies.get(body_id), "body", body_id)

    def organisation(self, organisation_id: str) -> Organisation:
        return _one(self.store.organisations.get(organisation_id), "organisation", organisation_id)

    def people(self) -> list[Person]:
        return sorted(self.store.people.all().values(), key=lambda p: p.id)

    def person(self, person_id: str) -> Person:
        return _one(self.store.people.get(person_id), "person", person_id)

    def membership(self, membership_id: str) -> Membership:
        return _one(self.store.memberships.get(membership_id), "membership", membership_id)

    def memberships(self, body: str | None = None, year: int | None = None) -> list[Membership]:
        """Seats, optionally of one body and held at some time during one year."""
        if body is not None:
            self.body(body)
        seats = []
        for seat in self.store.memberships.all().values():
            if body is not None and seat.body != body:
                continue
            if year is not None:
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
                if seat.start > last or (seat.end is not None and seat.end < first):
                    continue
            seats.append(seat)
        return sorted(seats, key=lambda s: (s.body, s.start, s.id))

    def holder_name(self, seat: Membership) -> str:
        """Who holds a seat, as lists name it: the person, else the organisation ("" if neither is known)."""
        person = self.store.people.get(seat.person) if seat.person else None
        if person is not None:
            return person.name
        organisation = self.store.organisations.get(seat.organisation) if seat.organisation else None
        return (organisation.short_name or organisation.name) if organisation is not None else ""

    def meetings(self, body: str | None = None, year: int | None = None) -> list[Meeting]:
        if body is not None:
            self.body(body)
        return self.store.meetings.list(body=body, year=year)

    def meeting(self, meeting_id: str) -> Meeting:
        return _one(self.store.meetings.get(meeting_id), "meeting", meeting_id)

    def next_meeting(self, body_id: str, after: dt.datetime) -> Meeting | None:
        """The first meeting of a body after a moment that is not cancelled."""
        later = sorted(
            (row.start, key)
            for key, row in self.store.meetings.rows().items()
            if row.body == body_id and row.status != "cancelled" and row.start > after
        )
        return self.meeting(later[0][1]) if later else None

    def last_meeting_before(self, body_id: str, before: dt.datetime) -> Meeting | None:
        """The body's latest meeting that starts before a moment and is not cancelled, found
        in the index rows and then loaded alone (a body's twenty years are not read for it).
        Of meetings at the same moment, the first in start order (then id), as listings order them."""
        # A row's day is the day on the meeting's own clock; two days' margin covers any
        # difference of UTC offset between it and `before`, and the exact test is on the moment.
        rows = self.store.meetings.rows_where(last_day=before.date() + dt.timedelta(days=2))
        earlier = sorted(
            (row for row in rows if row.body == body_id and row.status != "cancelled" and row.start < before),
            key=lambda row: (row.start.isoformat(), row.id),
        )
        return self.meeting(max(earlier, key=lambda row: row.start).id) if earlier else None

    def milestones(self) -> list[Milestone]:
        return sorted(self.store.milestones.all().values(), key=lambda m: m.id)

    def document_sources(self, meeting_id: str) -> tuple[Meeting, Body, Dataset]:
        """A meeting, its body, and what its agenda and minutes print besides:
        the registry (people, organisations, bodies, seats) and the body's
        meetings of the same calendar year (Swedish § numbers run through the year).
        """
        meeting = self.meeting(meeting_id)
        sources = self.registry()
        sources.meetings = {m.id: m for m in self.meetings(body=meeting.body, year=meeting.year)}
        return meeting, self.body(meeting.body), sources

    def dataset(self) -> Dataset:
        store = self.store
        return Dataset(
            organisations=dict(store.organisations.all()),
            bodies=dict(store.bodies.all()),
            people=dict(store.people.all()),
            memberships=dict(store.memberships.all()),
            meetings={m.id: m for m in store.meetings.all()},
            milestones=dict(store.milestones.all()),
            cases=dict(store.cases.all()),
            indicators=dict(store.indicators.all()),
        )

    def registry(self) -> Dataset:
        """Everything but the meetings: what references are checked against."""
        store = self.store
        return Dataset(
            organisations=store.organisations.all(),
            bodies=store.bodies.all(),
            people=store.people.all(),
            memberships=store.memberships.all(),
            milestones=store.milestones.all(),
            cases=store.cases.all(),
            indicators=store.indicators.all(),
        )


T = TypeVar("T")

# One sentence a kind of object (Danish and Swedish nouns have genders: "intet forum", "ingen person").
NOT_FOUND = {
    "body": N_("no body with id {key!r}"), "person": N_("no person with id {key!r}"), "meeting": N_("no meeting with id {key!r}"),
    "organisation": N_("no organisation with id {key!r}"), "membership": N_("no membership with id {key!r}"),
}


def _one(found: T | None, noun: str, key: str) -> T:
    """What a lookup by id found, or NotFound naming the kind of object and the id."""
    if found is None:
        sentence = NOT_FOUND.get(noun)
        raise NotFound(_(sentence).format(key=key) if sentence else _("no {noun} with id {key!r}").format(noun=_(noun), key=key))
    return found
