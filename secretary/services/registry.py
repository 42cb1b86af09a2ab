"""Bodies, people and memberships: create, edit, retire, delete with undo.

Every write runs in one store transaction and checks
references against what is stored, so a form either saves whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from secretary.domain.editing import Deleted, build, changed, refuse_stale, slug, unique_id
from secretary.domain.errors import InvalidField, SecretaryError, StaleEdit
from secretary.domain.interchange import Dataset, check_references
from secretary.domain.model import Body, Entity, Membership, Person
from secretary.i18n import _
from secretary.services.clock import Clock
from secretary.services.ports import Store
from secretary.services.records import Records


class RegistryService:
    """Registry operations: bodies, people, seats."""

    def __init__(self, store: Store, clock: Clock, records: Records):
        self.store = store
        self.clock = clock
        self.records = records

    def today(self) -> dt.date:
        return self.clock().date()

    def _store(self, collection: str, obj: Entity) -> None:
        """Save one registry object after checking its references (inside a transaction)."""
        one = Dataset()
        getattr(one, collection)[obj.id] = obj
        problems = check_references(one, self.records.registry())
        if problems:
            field = problems[0].split("field '", 1)[-1].split("'", 1)[0]
            raise InvalidField(problems[0].split(":", 1)[0], field, getattr(obj, field, None), _("no such object"))
        getattr(self.store, collection).save(obj)

    def _unchanged(self, collection: str, where: str, current: Entity, based_on: Entity | None) -> None:
        """StaleEdit (inside the transaction) when the stored object is no longer the form's copy."""
        if based_on is not None and current != based_on:
            refuse_stale(where, current, based_on, getattr(self.store, collection).last_written(current.id))

    # -- bodies ----------------------------------------------------------------------

    def create_body(self, name: str, kind: str, language: str, timezone: str | None = None, **fields: Any) -> Body:
        """A new body; its id is made from the abbreviation or the name unless given."""
        with self.store.transaction():
            taken = self.store.bodies.all()
            ident = fields.pop("id", None) or unique_id(slug(fields.get("abbreviation") or name), taken)
            if ident in taken:
                raise InvalidField(_("body {ident!r}").format(ident=ident), "id", ident, _("another body has this id"))
            zone = timezone or ("Europe/Stockholm" if language == "sv" else "Europe/Copenhagen")
            values = {"id": ident, "name": name, "kind": kind, "language": language, "timezone": zone, **fields}
            body = build(Body, values, _("body {ident!r}").format(ident=ident))
            self._store("bodies", body)
            return body

    def edit_body(self, body_id: str, based_on: Body | None = None, **changes: Any) -> Body:
        """Change a body's fields; `based_on` is the copy a form was filled from: when the stored
        body is no longer that copy, the edit is refused (StaleEdit), never written over."""
        with self.store.transaction():
            current = self.records.body(body_id)
            self._unchanged("bodies", _("body {body_id!r}").format(body_id=body_id), current, based_on)
            body = changed(current, _("body {body_id!r}").format(body_id=body_id), **changes)
            if body.reports_to == body.id:
                raise InvalidField(_("body {body_id!r}").format(
                    body_id=body_id,
                ), "reports_to", body.reports_to, _("a body cannot report to itself"))
            self._store("bodies", body)
            return body

    def retire_body(self, body_id: str, on: dt.date | None = None) -> Body:
        """A retired body keeps its history; it is hidden from planning and new meetings."""
        return self.edit_body(body_id, retired=on or self.today())

    def reinstate_body(self, body_id: str) -> Body:
        return self.edit_body(body_id, retired=None)

    def delete_body(self, body_id: str) -> Deleted:
        """Only a body with no meetings, seats or references can go; otherwise retire it."""
        with self.store.transaction():
            body = self.records.body(body_id)
            uses = []
            if self.store.meetings.ids(body=body_id):
                uses.append(_("meetings"))
            if any(s.body == body_id for s in self.store.memberships.all().values()):
                uses.append(_("memberships"))
            if any(body_id in (b.reports_to, b.decides_on_behalf_of) or body_id in b.advises for b in self.store.bodies.all().values()):
                uses.append(_("other bodies' reporting lines"))
            if uses:
                raise SecretaryError(_("body {body_id!r} has {uses}; retire it instead of deleting it").format(
                                         body_id=body_id, uses=', '.join(uses),
                                     ))
            self.store.bodies.delete(body_id)
            return Deleted("body", body)

    # -- people ------------------------------------------------------------------------

    def create_person(self, name: str, **fields: Any) -> Person:
        with self.store.transaction():
            taken = self.store.people.all()
            ident = fields.pop("id", None) or unique_id(slug(name), taken)
            person = build(Person, {"id": ident, "name": name, **fields}, _("person {ident!r}").format(ident=ident))
            self._store("people", person)
            return person

    def edit_person(self, person_id: str, based_on: Person | None = None, **changes: Any) -> Person:
        """Change a person's fields; refused (StaleEdit) when the stored person is no longer `based_on`."""
        with self.store.transaction():
            person = self.records.person(person_id)
            self._unchanged("people", _("person {person_id!r}").format(person_id=person_id), person, based_on)
            person = changed(person, _("person {person_id!r}").format(person_id=person_id), **changes)
            self._store("people", person)
            return person

    def delete_person(self, person_id: str) -> Deleted:
        """A person with seats or attendance stays (history); end the seats instead."""
        with self.store.transaction():
            person = self.records.person(person_id)
            seats = [s.id for s in self.store.memberships.all().values() if s.person == person_id]
            if seats:
                raise SecretaryError(_("person {person_id!r} holds the memberships {seats}; end them instead").format(
                                         person_id=person_id, seats=', '.join(seats[:5]),
                                     ))
            # The stored documents, partition by partition: twenty years are never validated at once.
            for meeting_id, raw in self._stored_meetings():
                if any(person_id in (r.get("person"), r.get("substitute_for")) for r in raw.get("attendance") or ()):
                    raise SecretaryError(_("person {person_id!r} is in the attendance of meeting "
                                           "{meeting_id!r}; keep them for the record").format(
                                             person_id=person_id, meeting_id=meeting_id,
                                         ))
            self.store.people.delete(person_id)
            return Deleted("person", person)

    # -- memberships ---------------------------------------------------------------------

    def add_membership(
        self, body: str, start: dt.date | str, person: str | None = None, organisation: str | None = None, **fields: Any
    ) -> Membership:
        """A seat in a body: a person, an organisation's seat with no named person, or both."""
        with self.store.transaction():
            self.records.body(body)
            holder = person or organisation or "seat"
            ident = fields.pop("id", None) or unique_id(f"{body[:30]}-{slug(holder, 24)}-{str(start)[:4]}", self.store.memberships.all())
            seat = build(
                Membership,
                {"id": ident, "body": body, "person": person or None, "organisation": organisation or None, "start": start, **fields},
                _("membership {ident!r}").format(ident=ident),
            )
            self._store("memberships", seat)
            return seat

    def edit_membership(self, membership_id: str, based_on: Membership | None = None, **changes: Any) -> Membership:
        """Change a seat's fields; refused (StaleEdit) when the stored seat is no longer `based_on`."""
        with self.store.transaction():
            seat = self.records.membership(membership_id)
            self._unchanged("memberships", _("membership {membership_id!r}").format(membership_id=membership_id), seat, based_on)
            seat = changed(seat, _("membership {membership_id!r}").format(membership_id=membership_id), **changes)
            self._store("memberships", seat)
            return seat

    def end_membership(self, membership_id: str, on: dt.date | str | None = None) -> Membership:
        return self.edit_membership(membership_id, end=on or self.today())

    def delete_membership(self, membership_id: str) -> Deleted:
        with self.store.transaction():
            seat = self.records.membership(membership_id)
            self.store.memberships.delete(membership_id)
            return Deleted("membership", seat)

    # -- undo ----------------------------------------------------------------------------

    def _stored_meetings(self):
        """Every stored meeting document, group by group: twenty years are never validated at once."""
        meetings = self.store.meetings
        for body, year in sorted(meetings.partition_keys()):
            _generation, documents = meetings.documents(body, year)
            yield from documents.items()

    def put_back(self, previous: Body | Person | Membership, after: Body | Person | Membership) -> None:
        """Undo an edit: store `previous` again, refused when the stored object is no longer
        `after` (the version the edit saved): a later change is never written over."""
        collection = {Body: "bodies", Person: "people", Membership: "memberships"}[type(previous)]
        with self.store.transaction():
            current = getattr(self.store, collection).get(previous.id)
            if current != after:
                raise StaleEdit(_("{name} {previous!r} was changed again since; nothing to undo").format(
                                    name=type(previous).__name__.lower(), previous=previous.id,
                                ))
            self._store(collection, previous)

    def undo_delete(self, deleted: Deleted) -> None:
        """Put back a deleted body, person or seat (meetings and items: AgendaService.undo_delete)."""
        collection = {"body": "bodies", "person": "people", "membership": "memberships"}.get(deleted.kind)
        if collection is None:
            raise SecretaryError(_("cannot undo the deletion of a {kind}").format(kind=deleted.kind))
        obj = deleted.obj
        if not isinstance(obj, Body | Person | Membership):
            raise SecretaryError(_("cannot undo the deletion of a {kind}").format(kind=deleted.kind))
        with self.store.transaction():
            if getattr(self.store, collection).get(obj.id) is not None:
                raise SecretaryError(_("{kind} {obj!r} exists again; nothing to undo").format(kind=deleted.kind, obj=obj.id))
            self._store(collection, obj)
