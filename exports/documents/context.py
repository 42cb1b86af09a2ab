"""What an agenda or minutes document needs beyond the meeting and its body."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from secretary.domain.agenda_rules import paragraph_numbers, paragraph_offset
from secretary.domain.interchange import Dataset
from secretary.domain.model import Attendance, Body, Meeting, Membership, Organisation, Person


@dataclass(frozen=True)
class DocumentContext:
    """The world around one meeting, as far as its documents print it.

    `organisation` is the issuing secretariat (page header, document author,
    where Swedish minutes are kept). `memberships` are the body's seats on the
    meeting day (an agenda's invited; chair and secretary for signatures).
    `year_meetings` are the body's meetings of the meeting's calendar year:
    Swedish minutes number their paragraphs (§) through the year per body.
    """

    organisation: str
    people: Mapping[str, Person] = field(default_factory=dict)
    organisations: Mapping[str, Organisation] = field(default_factory=dict)
    bodies: Mapping[str, Body] = field(default_factory=dict)
    memberships: Sequence[Membership] = ()
    year_meetings: Sequence[Meeting] = ()

    # -- names -----------------------------------------------------------------

    def organisation_name(self, org_id: str | None) -> str:
        if org_id is None:
            return ""
        org = self.organisations.get(org_id)
        return org.name if org else org_id

    def person_name(self, person_id: str, with_organisation: bool = True) -> str:
        person = self.people.get(person_id)
        if person is None:
            return person_id
        if with_organisation and person.organisation:
            return f"{person.name} ({self.organisation_name(person.organisation)})"
        return person.name

    def holder_name(self, person: str | None, organisation: str | None) -> str:
        """A seat's or an attendee's holder: the person (with organisation) or the organisation."""
        if person is not None:
            name = self.person_name(person, with_organisation=organisation is None)
            if organisation is not None:
                return f"{name} ({self.organisation_name(organisation)})"
            return name
        return self.organisation_name(organisation)

    def attendee_name(self, attendance: Attendance) -> str:
        return self.holder_name(attendance.person, attendance.organisation)

    def reference_name(self, ref: str) -> str:
        """`substitute_for` may name a person or an organisation."""
        if ref in self.people:
            return self.person_name(ref)
        return self.organisation_name(ref)

    def body_name(self, body_id: str) -> str:
        body = self.bodies.get(body_id)
        if body is None:
            return body_id
        if body.abbreviation and body.abbreviation != body.name:
            return f"{body.abbreviation} – {body.name}"
        return body.name

    def role_of(self, person: str | None, organisation: str | None) -> str | None:
        """The role of the seat held by this person or organisation, if any."""
        for seat in self.memberships:
            if person is not None and seat.person == person:
                return seat.role
            if person is None and organisation is not None and seat.person is None and seat.organisation == organisation:
                return seat.role
        return None

    def seat_holders(self, role: str) -> list[str]:
        return [self.holder_name(s.person, s.organisation) for s in self.memberships if s.role == role]

    # -- Swedish paragraph numbers ---------------------------------------------

    def paragraph_offset(self, meeting: Meeting) -> int:
        """The last paragraph (§) the body's earlier meetings of the year used (frozen §§ win)."""
        return paragraph_offset(meeting, self.year_meetings)

    def paragraphs(self, meeting: Meeting) -> dict[str, str]:
        """Each item's '§ 12': frozen at justering, else counted through the body's year."""
        return paragraph_numbers(meeting, self.year_meetings)


def build_context(meeting: Meeting, data: Dataset) -> DocumentContext:
    """A context from a dataset holding the registry and the body's meetings of the year."""
    body = data.bodies.get(meeting.body)
    day = meeting.start.date()
    seats = sorted(
        (s for s in data.memberships.values() if s.body == meeting.body and s.active_on(day)),
        key=lambda s: (_ROLE_ORDER.get(s.role, 9), s.start, s.id),
    )
    return DocumentContext(
        organisation=secretariat_name(body, data, seats),
        people=dict(data.people),
        organisations=dict(data.organisations),
        bodies=dict(data.bodies),
        memberships=tuple(seats),
        year_meetings=tuple(
            m for m in sorted(data.meetings.values(), key=lambda m: (m.start, m.id))
            if m.body == meeting.body and m.start.year == meeting.start.year
        ),
    )


_ROLE_ORDER = {"chair": 0, "vice_chair": 1, "member": 2, "substitute": 3, "observer": 4, "secretary": 5}


def secretariat_name(body: Body | None, data: Dataset, seats: Sequence[Membership]) -> str:
    """Who issues the body's documents: an organisation or a secretariat, never a person.

    The first that applies: the body's own setting (`secretariat`); the secretariat
    body whose terms of reference and tasks name this body most often (Sekretariat
    for Rammeaftaler serves DASSOS, FU, Takstgruppen); the organisation holding the
    body's secretary seat, or the organisation of the person holding it; the only
    secretariat body; the body itself.
    """
    if body is None:
        return ""
    if body.secretariat.strip():
        return body.secretariat.strip()
    secretariats = sorted((b for b in data.bodies.values() if b.kind == "secretariat"), key=lambda b: b.id)
    if body.kind == "secretariat":
        return body.name
    mentions = []
    for candidate in secretariats:
        words = " ".join([candidate.terms_of_reference, *candidate.tasks])
        count = words.count(body.name) + (words.count(body.abbreviation) if body.abbreviation else 0)
        if count:
            mentions.append((-count, candidate.id, candidate.name))
    if mentions:
        return min(mentions)[2]
    for seat in seats:
        if seat.role == "secretary":
            if seat.organisation and seat.organisation in data.organisations:
                return data.organisations[seat.organisation].name
            person = data.people.get(seat.person or "")
            if person is not None and person.organisation in data.organisations:
                return data.organisations[person.organisation].name
    if len(secretariats) == 1:
        return secretariats[0].name
    return body.name
