"""What the services rely on of a store (secretary.services.ports.Store), backend by backend."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.domain.model import Meeting, Organisation
from secretary.domain.rows import MeetingRow


def _meeting(ident: str, body: str, start: str, **fields) -> Meeting:
    begin = dt.datetime.fromisoformat(start)
    return Meeting.model_validate(
        {"id": ident, "body": body, "start": begin, "end": begin + dt.timedelta(hours=2), "uid": f"{ident}@test",
         "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), **fields}
    )


def test_registry_collections_save_get_delete_inside_transactions(store, opener):
    org = Organisation(id="contract-org", name="Kontraktkommune", kind="municipality", country="DK")
    with store.transaction():
        store.organisations.save(org)
    assert store.organisations.get("contract-org") == org
    assert opener().organisations.all()["contract-org"] == org
    with store.transaction():
        store.organisations.delete("contract-org")
    assert opener().organisations.get("contract-org") is None


def test_a_failed_transaction_writes_nothing(store, opener):
    before = store.registry_generation(), dict(opener().organisations.all())
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.organisations.save(Organisation(id="never", name="Aldrig", kind="other", country="DK"))
            raise RuntimeError("stop")
    assert opener().organisations.get("never") is None
    assert store.organisations.get("never") is None
    assert dict(opener().organisations.all()) == before[1]


def test_writes_outside_a_transaction_are_refused(store):
    with pytest.raises(RuntimeError):
        store.organisations.save(Organisation(id="loose", name="Løs", kind="other", country="DK"))
    assert store.organisations.get("loose") is None


def test_between_reads_dates_not_strings(store):
    seats = store.memberships.between("end", dt.date(2019, 12, 31), dt.date(2019, 12, 31))
    assert seats and all(seat.end == dt.date(2019, 12, 31) for seat in seats)
    assert store.memberships.between("end", dt.date(1990, 1, 1), dt.date(1990, 12, 31)) == []


def test_first_between_is_the_head_of_between_in_order(store, opener):
    low, high = dt.date(2000, 1, 1), dt.date(2100, 1, 1)
    every = sorted(store.memberships.between("end", low, high), key=lambda s: (s.end, s.body, s.id))
    assert len(every) > 2
    for reader in (store, opener()):
        first, total = reader.memberships.first_between("end", low, high, ("end", "body"), 2)
        assert total == len(every) and [s.id for s in first] == [s.id for s in every[:2]]
    assert opener().memberships.first_between("end", dt.date(1990, 1, 1), dt.date(1990, 12, 31), ("end",), 5) == ([], 0)


def test_meetings_rows_are_typed_and_follow_every_save(store, opener):
    meeting = _meeting("contract-m1", "dassos", "2031-03-04T10:00:00+01:00", title="Kontrakt")
    with store.transaction():
        store.meetings.save(meeting)
    row = opener().meetings.rows()["contract-m1"]
    assert isinstance(row, MeetingRow)
    assert row.start == meeting.start and row.end == meeting.end and row.year == 2031
    assert row.title == "Kontrakt" and row.status == "planned" and row.minutes_status == "none"
    with store.transaction():
        store.meetings.save(meeting.replace(title="Flyttet", start=meeting.start.replace(year=2032), end=meeting.end.replace(year=2032)))
    fresh = opener()
    assert fresh.meetings.rows()["contract-m1"].year == 2032
    assert fresh.meetings.ids(body="dassos", year=2031) == [] or "contract-m1" not in fresh.meetings.ids(body="dassos", year=2031)
    assert "contract-m1" in fresh.meetings.ids(body="dassos", year=2032)
    assert fresh.meetings.get("contract-m1").title == "Flyttet"
    with store.transaction():
        store.meetings.delete("contract-m1")
    assert "contract-m1" not in opener().meetings.rows()


def test_rows_where_answers_as_a_filter_of_every_row_would(store, opener):
    action = {"id": "contract-a1", "what": "Følg op", "owner": "FU"}
    item = {"id": "contract-m2-1", "number": "1", "title": "Punkt", "actions": [action]}
    with store.transaction():
        store.meetings.save(_meeting("contract-m2", "dassos", "2030-05-06T10:00:00+02:00", items=[item]))
    fresh = opener()
    rows = fresh.meetings.rows()
    day = dt.date
    cases = [
        ((None, None, False, None), lambda r: True),
        ((day(2030, 5, 6), None, False, None), lambda r: r.start.date() >= day(2030, 5, 6)),
        ((day(2030, 5, 7), None, False, None), lambda r: r.start.date() >= day(2030, 5, 7)),
        ((None, day(2026, 11, 23), False, None), lambda r: r.start.date() <= day(2026, 11, 23)),
        ((day(2026, 1, 1), day(2026, 12, 31), False, None), lambda r: r.year == 2026),
        ((None, None, True, None), lambda r: bool(r.open_actions)),
        ((None, day(2026, 12, 31), False, frozenset({"draft", "sent"})),
         lambda r: r.year <= 2026 and r.minutes_status in ("draft", "sent")),
    ]
    for (first, last, open_actions, minutes), keep in cases:
        for reader in (fresh, opener()):  # rows made already, and a store that has read nothing
            found = reader.meetings.rows_where(first, last, open_actions=open_actions, minutes=minutes)
            assert sorted(r.id for r in found) == sorted(k for k, r in rows.items() if keep(r)), (first, last, open_actions, minutes)
            assert all(r == rows[r.id] for r in found)
    assert [r.id for r in opener().meetings.rows_where(day(2030, 5, 6), day(2030, 5, 6), open_actions=True)] == ["contract-m2"]


def test_list_each_and_many_agree_in_start_order(store):
    listed = store.meetings.list()
    assert listed, "the preset has demo meetings"
    assert [m.id for m in store.meetings.each()] == [m.id for m in listed]
    assert [(m.start, m.id) for m in listed] == sorted((m.start, m.id) for m in listed)
    assert store.meetings.many([m.id for m in reversed(listed)]) == list(reversed(listed))
    assert len(store.meetings.all()) == len(listed)


def test_generations_change_with_what_they_cover(store):
    body, year = sorted(store.meetings.partition_keys())[0]
    documents_generation, documents = store.meetings.documents(body, year)
    assert documents and all(isinstance(raw, dict) and raw["body"] == body for raw in documents.values())
    registry, index = store.registry_generation(), store.index_generation()
    some = next(iter(documents))
    with store.transaction():
        meeting = store.meetings.get(some)
        store.meetings.save(meeting.replace(title=meeting.title + " (ændret)"))
    assert store.meetings.generation(body, year) != documents_generation
    assert store.index_generation() != index  # the title is in the index row
    assert store.registry_generation() == registry
    with store.transaction():
        store.organisations.save(Organisation(id="gen-org", name="Gen", kind="other", country="DK"))
    assert store.registry_generation() != registry


def test_refresh_sees_what_another_process_wrote(store, opener):
    assert store.organisations.get("elsewhere") is None
    other = opener()
    with other.transaction():
        other.organisations.save(Organisation(id="elsewhere", name="Andetsteds", kind="other", country="DK"))
    assert store.refresh() is True
    assert store.organisations.get("elsewhere") is not None
    assert store.refresh() is False


def test_backups_snapshot_and_restore(store, opener):
    store.backups.snapshot("contract")
    assert "contract" in store.backups.names()
    with store.transaction():
        store.organisations.save(Organisation(id="after-backup", name="Efter", kind="other", country="DK"))
    assert store.backups.restore("contract") == "contract"
    assert opener().organisations.get("after-backup") is None


def test_a_sound_store_checks_clean_and_knows_its_location(store):
    assert store.exists()
    assert store.check() == []
    assert store.location.exists()


def test_indicators_are_a_registry_collection(store, opener):
    from secretary.domain.model import Indicator

    indicator = Indicator.model_validate({
        "id": "contract-ind", "title": "Kontrakttal", "organisation": "hedensted", "area": "Område", "unit": "percent",
        "values": [{"year": 2017, "result": 93, "target": 85}, {"year": 2016, "result_missing": "not_measured", "note": "Ej mätt"}],
    })
    before = store.registry_generation()
    with store.transaction():
        store.indicators.save(indicator)
    assert store.registry_generation() != before
    again = opener().indicators.get("contract-ind")
    assert again == indicator and again.value(2017).result == 93 and isinstance(again.value(2017).result, int)
    assert "contract-ind" in opener().indicators.all()
    with store.transaction():
        store.indicators.delete("contract-ind")
    assert opener().indicators.get("contract-ind") is None
    assert store.check() == []
