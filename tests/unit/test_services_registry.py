"""Bodies, people and memberships: create, edit, retire, delete and undo, checked on disk."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.domain.errors import InvalidField, SecretaryError
from tests.conftest import NOW, reopen


def test_create_edit_retire_body(sec):
    body = sec.registry.create_body("Ad hoc gruppe om botilbud", kind="ad_hoc", language="da", abbreviation="AHB", reports_to="dassos")
    assert body.id == "ahb"
    sec.registry.edit_body("ahb", terms_of_reference="Kortlægge botilbud", tasks=["Kortlægning"])
    sec.registry.retire_body("ahb")
    stored = reopen(sec).records.body("ahb")
    assert stored.reports_to == "dassos" and stored.tasks == ["Kortlægning"]
    assert stored.retired == NOW.date()
    with pytest.raises(SecretaryError, match="retired"):
        sec.agenda.schedule_meeting("ahb", "2027-01-10 09:00")


def test_body_validation_names_the_field(sec):
    with pytest.raises(InvalidField) as err:
        sec.registry.create_body("X", kind="ad_hoc", language="da", cadence={"kind": "per_year", "min": 5, "max": 2})
    assert err.value.field == "cadence.min"
    with pytest.raises(InvalidField) as err:
        sec.registry.create_body("Y", kind="ad_hoc", language="da", reports_to="nowhere")
    assert err.value.field == "reports_to"
    assert "x" not in reopen(sec).store.bodies.all() and "y" not in reopen(sec).store.bodies.all()


def test_delete_body_in_use_is_refused_and_unused_is_undoable(sec):
    with pytest.raises(SecretaryError, match="retire it"):
        sec.registry.delete_body("dassos")
    sec.registry.create_body("Midlertidig", kind="ad_hoc", language="da")
    deleted = sec.registry.delete_body("midlertidig")
    assert "midlertidig" not in reopen(sec).store.bodies.all()
    sec.undo_delete(deleted)
    assert reopen(sec).records.body("midlertidig").name == "Midlertidig"


def test_people_crud_and_undo(sec):
    person = sec.registry.create_person("Anne Ærø", title="Direktør", organisation="viborg", email="a@viborg.dk")
    assert person.id == "anne-aeroe"
    sec.registry.edit_person(person.id, phone="+45 1234")
    assert reopen(sec).store.people.get(person.id).phone == "+45 1234"
    deleted = sec.registry.delete_person(person.id)
    assert reopen(sec).store.people.get(person.id) is None
    sec.undo_delete(deleted)
    assert reopen(sec).store.people.get(person.id).email == "a@viborg.dk"


def test_memberships_history_and_ending(sec):
    person = sec.registry.create_person("Bo Berg", organisation="aarhus")
    seat = sec.registry.add_membership("fu", "2026-01-01", person=person.id, organisation="aarhus", role="vice_chair", end="2027-01-10")
    assert reopen(sec).store.memberships.get(seat.id).role == "vice_chair"
    ending = [s.id for s in sec.overview.memberships_ending(dt.date(2026, 11, 23))]
    assert seat.id in ending
    for count in (1, len(ending), len(ending) + 3):  # what the start screen shows: the head, and how many
        first, total = reopen(sec).overview.memberships_ending_first(dt.date(2026, 11, 23), count)
        assert [s.id for s in first] == ending[:count] and total == len(ending)
    with pytest.raises(SecretaryError, match="end them"):
        sec.registry.delete_person(person.id)
    sec.registry.end_membership(seat.id, "2026-12-31")
    assert reopen(sec).store.memberships.get(seat.id).end == dt.date(2026, 12, 31)
    with pytest.raises(InvalidField) as err:
        sec.registry.edit_membership(seat.id, end="2025-01-01")
    assert err.value.field == "end"
    who = {s.organisation for s in sec.overview.who_sat("fu", 2019)}
    assert "hedensted" in who
    deleted = sec.registry.delete_membership(seat.id)
    sec.undo_delete(deleted)
    assert reopen(sec).store.memberships.get(seat.id) is not None


def test_terms_ending_are_exactly_the_seats_ending_within_the_window(sec):
    today = dt.date(2026, 11, 23)
    person = sec.registry.create_person("Bo Berg", organisation="aarhus")
    inside = sec.registry.add_membership("fu", "2025-01-01", person=person.id, end="2027-01-22")  # today + 60 days
    outside = sec.registry.add_membership("fu", "2025-01-01", person=person.id, end="2027-01-23")
    past = sec.registry.add_membership("fu", "2025-01-01", person=person.id, end="2026-11-22")
    ending = {s.id for s in reopen(sec).overview.memberships_ending(today)}
    expected = {s.id for s in sec.records.memberships() if s.end is not None and today <= s.end <= dt.date(2027, 1, 22)}
    assert ending == expected
    assert inside.id in ending and outside.id not in ending and past.id not in ending
