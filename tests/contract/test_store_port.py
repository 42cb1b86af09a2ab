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


# -- questions answered before (or without) reading everything --------------------------------

def _answering_meetings() -> list[Meeting]:
    """Meetings near day and year boundaries on their own clocks, with every minutes state the
    start screen asks about and open and done actions."""
    def item(ident: str, *actions: tuple[str, bool]) -> dict:
        return {"id": f"{ident}-1", "number": "1", "title": "Punkt",
                "actions": [{"id": f"{ident}-{n}", "what": "Følg op", "owner": "FU", "done": done}
                            for n, (_name, done) in enumerate(actions)]}

    return [
        # 23:30 in UTC-5 is the 7th in UTC: its own day is the 6th
        _meeting("ans-1", "dassos", "2030-05-06T23:30:00-05:00", minutes={"status": "draft"}, items=[item("ans-1", ("a", False))]),
        # 00:15 in UTC+2 is the 6th in UTC: its own day is the 7th
        _meeting("ans-2", "fu", "2030-05-07T00:15:00+02:00", minutes={"status": "sent"}),
        _meeting("ans-3", "dassos", "2030-05-07T12:00:00+02:00", items=[item("ans-3", ("a", True))]),  # done: not open
        _meeting("ans-4", "fu", "2030-12-31T23:00:00+01:00", minutes={"status": "draft"}, items=[item("ans-4", ("a", True), ("b", False))]),
        _meeting("ans-5", "dassos", "2031-01-01T00:30:00+01:00", minutes={"status": "sent"}, items=[item("ans-5", ("a", False))]),
    ]


def test_rows_where_before_and_after_reading_every_row_answers_alike(store, opener):
    with store.transaction():
        store.meetings.save_many(_answering_meetings())
    fresh = opener()  # has read nothing: the store may answer without reading every row
    loaded = opener()
    rows = loaded.meetings.rows()  # has read every row
    day = dt.date
    days = [None, day(2026, 1, 1), day(2030, 5, 6), day(2030, 5, 7), day(2030, 5, 8), day(2030, 12, 31), day(2031, 1, 1)]
    minute_sets = [None, frozenset(), frozenset({"draft"}), frozenset({"draft", "sent"}), frozenset({"none"})]
    asked = 0
    for first in days:
        for last in days:
            for open_actions in (False, True):
                for minutes in minute_sets:
                    def keep(r, first=first, last=last, open_actions=open_actions, minutes=minutes) -> bool:
                        own_day = r.start.date()  # the meeting's own clock (its stored offset)
                        return ((first is None or own_day >= first) and (last is None or own_day <= last)
                                and (not open_actions or any(not a.done for _i, a in r.open_actions))
                                and (minutes is None or r.minutes_status in minutes))

                    expected = sorted(k for k, r in rows.items() if keep(r))
                    for reader in (fresh, loaded):
                        found = reader.meetings.rows_where(first, last, open_actions=open_actions, minutes=minutes)
                        assert sorted(r.id for r in found) == expected, (first, last, open_actions, minutes)
                        assert all(r == rows[r.id] for r in found)
                    asked += 1
    assert asked == len(days) ** 2 * 2 * len(minute_sets)
    # the cases that tell a day on the meeting's own clock from the UTC day, and done from open
    again = opener()
    assert [r.id for r in again.meetings.rows_where(day(2030, 5, 6), day(2030, 5, 6))] == ["ans-1"]
    assert sorted(r.id for r in again.meetings.rows_where(day(2030, 5, 7), day(2030, 5, 7))) == ["ans-2", "ans-3"]
    assert sorted(r.id for r in again.meetings.rows_where(day(2030, 1, 1), open_actions=True)) == ["ans-1", "ans-4", "ans-5"]
    assert [r.id for r in again.meetings.rows_where(day(2031, 1, 1), minutes=frozenset({"sent"}))] == ["ans-5"]
    assert [a.id for _i, a in again.meetings.rows_where(day(2030, 12, 31), day(2030, 12, 31))[0].open_actions] == ["ans-4-1"]


def test_rows_where_follows_another_process_after_refresh(store, opener):
    meetings = _answering_meetings()
    with store.transaction():
        store.meetings.save_many(meetings[:2])
    asked = (dt.date(2030, 1, 1), None)
    loaded, fresh = opener(), opener()
    loaded.meetings.rows()
    before = {reader: sorted(r.id for r in reader.meetings.rows_where(*asked, open_actions=True)) for reader in (loaded, fresh)}
    assert before == {loaded: ["ans-1"], fresh: ["ans-1"]}
    other = opener()
    with other.transaction():
        other.meetings.save_many(meetings[2:])
        other.meetings.delete("ans-1")
    for reader in (loaded, fresh):
        assert reader.refresh() is True
        assert sorted(r.id for r in reader.meetings.rows_where(*asked, open_actions=True)) == ["ans-4", "ans-5"]
        assert sorted(r.id for r in reader.meetings.rows_where(*asked, minutes=frozenset({"draft", "sent"}))) == ["ans-2", "ans-4", "ans-5"]


def test_get_of_one_object_before_the_collection_is_read(store, opener):
    every = opener().bodies.all()
    assert every
    for key, body in every.items():
        assert opener().bodies.get(key) == body  # each on a store that has read nothing
    fresh = opener()
    assert [fresh.bodies.get(key) for key in every] == list(every.values())
    assert fresh.bodies.get("no-such-body") is None
    assert fresh.organisations.get("later") is None
    other = opener()
    with other.transaction():
        other.organisations.save(Organisation(id="later", name="Senere", kind="other", country="DK"))
    assert fresh.refresh() is True
    assert fresh.organisations.get("later") == Organisation(id="later", name="Senere", kind="other", country="DK")
    with other.transaction():
        other.organisations.delete("later")
    assert fresh.refresh() is True
    assert fresh.organisations.get("later") is None


def _tied_seats() -> list:
    """Seats whose ends tie, some held by an organisation (no person: a missing field sorts
    first), with ids that sort differently as bytes than by a language's collation."""
    from secretary.domain.model import Membership

    seats = []
    for n, (ident, body, person, end, voting) in enumerate([
        ("tie-a-1", "fu", "henning-hansen", "2040-06-30", True),
        ("tie-a_1", "fu", None, "2040-06-30", False),
        ("tie-a1", "dassos", "gerd-moeller-nielsen", "2040-06-30", True),
        ("tie-b", "dassos", None, "2040-06-30", False),
        ("tie-c", "fu", "henning-hansen", "2040-07-01", True),
        ("tie-d", "dassos", "mette-juulsgaard-langhoff", "2040-01-01", False),
        ("tie-e", "fu", None, "2041-01-01", True),
    ]):
        seats.append(Membership.model_validate({
            "id": ident, "body": body, "person": person, "organisation": None if person else "hedensted",
            "voting": voting, "start": dt.date(2039, 1, n + 1), "end": dt.date.fromisoformat(end),
        }))
    return seats


def test_first_between_answers_as_the_tinydb_store_does(store, opener, tmp_path):
    from secretary.cli.bootstrap import create_database
    from secretary.domain.presets import load_preset
    from store.tinydb_store import TinyStore

    reference_path = tmp_path / "reference" / "db.json"
    reference_path.parent.mkdir()
    create_database(reference_path, load_preset("midtjylland"))
    reference = TinyStore.open(reference_path)
    for target in (store, reference):
        with target.transaction():
            target.memberships.save_many(_tied_seats())
    ranges = [(dt.date(2039, 1, 1), dt.date(2042, 1, 1)), (dt.date(2040, 6, 30), dt.date(2040, 6, 30)),
              (dt.date(2000, 1, 1), dt.date(2100, 1, 1)), (dt.date(1990, 1, 1), dt.date(1990, 12, 31))]
    orders = [("end", "body"), ("end", "person"), ("person",), ("voting", "end"), ("start",), ()]
    loaded = opener()
    loaded.memberships.all()
    for low, high in ranges:
        for order in orders:
            for count in (0, 1, 3, 100):
                expected = reference.memberships.first_between("end", low, high, order, count)
                for reader in (opener(), loaded):  # read nothing; read everything
                    first, total = reader.memberships.first_between("end", low, high, order, count)
                    assert ([s.id for s in first], total) == ([s.id for s in expected[0]], expected[1]), (low, high, order, count)
                    assert first == expected[0]
    tied, total = opener().memberships.first_between("end", dt.date(2040, 6, 30), dt.date(2040, 6, 30), ("end", "person"), 10)
    assert [s.id for s in tied] == ["tie-a_1", "tie-b", "tie-a1", "tie-a-1"] and total == 4  # no person first, then by person, then id


def test_wait_for_change_runs_out_when_nothing_is_committed(store, opener):
    assert store.wait_for_change(0.05) is False  # nothing happened: the wait ends, no error
    assert store.wait_for_change(0) is False
    assert store.organisations.get("waited") is None
    other = opener()
    with other.transaction():
        other.organisations.save(Organisation(id="waited", name="Ventet", kind="other", country="DK"))
    store.wait_for_change(0.05)  # told of it (PostgreSQL) or not (TinyDB): refresh finds it either way
    assert store.refresh() is True and store.organisations.get("waited") is not None
