"""What the PostgreSQL store keeps in memory answers as the database does: the ids of each
(body, year) follow this session's own saves, moves and deletes (they are kept beside the
placements, not recomputed), and `between` gives the same seats before the collection is read
(the server filters) as after (the process filters)."""

from __future__ import annotations

import datetime as dt

from secretary.cli.bootstrap import create_database
from secretary.domain.model import Meeting
from secretary.domain.presets import load_preset
from store.postgres.store import PgStore


def _meeting(ident: str, start: str) -> Meeting:
    begin = dt.datetime.fromisoformat(start)
    return Meeting.model_validate({"id": ident, "body": "dassos", "start": begin, "end": begin + dt.timedelta(hours=2),
                                   "uid": f"{ident}@test", "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)})


def _as_read_afresh(url: str, store: PgStore) -> None:
    fresh = PgStore.open(url)
    assert fresh.meetings.partition_keys() == store.meetings.partition_keys()
    for body, year in sorted(fresh.meetings.partition_keys()):
        assert sorted(fresh.meetings.ids(body, year)) == sorted(store.meetings.ids(body, year)), (body, year)
    for body in {body for body, _year in fresh.meetings.partition_keys()}:
        assert sorted(fresh.meetings.ids(body=body)) == sorted(store.meetings.ids(body=body))
    assert sorted(fresh.meetings.ids(year=2033)) == sorted(store.meetings.ids(year=2033))
    assert sorted(fresh.meetings.ids()) == sorted(store.meetings.ids())
    fresh.close()


def test_the_ids_of_each_body_and_year_follow_saves_moves_and_deletes(pg_url):
    create_database(pg_url, load_preset("midtjylland"))
    store = PgStore.open(pg_url)
    assert ("dassos", 2033) not in store.meetings.partition_keys()
    with store.transaction():
        store.meetings.save_many([_meeting("ids-a", "2033-03-04T10:00:00+01:00"), _meeting("ids-b", "2033-05-04T10:00:00+02:00")])
    assert sorted(store.meetings.ids("dassos", 2033)) == ["ids-a", "ids-b"]
    assert [m.id for m in store.meetings.list(body="dassos", year=2033)] == ["ids-a", "ids-b"]
    _as_read_afresh(pg_url, store)
    with store.transaction():  # moved to another year
        store.meetings.save(store.meetings.get("ids-a").replace(start=dt.datetime(2034, 3, 4, 9, tzinfo=dt.UTC),
                                                                end=dt.datetime(2034, 3, 4, 11, tzinfo=dt.UTC)))
    assert store.meetings.ids("dassos", 2033) == ["ids-b"] and store.meetings.ids("dassos", 2034) == ["ids-a"]
    _as_read_afresh(pg_url, store)
    with store.transaction():
        store.meetings.delete("ids-b")
    assert ("dassos", 2033) not in store.meetings.partition_keys(), "an emptied year is no group any more"
    assert store.meetings.ids("dassos", 2033) == []
    _as_read_afresh(pg_url, store)
    try:
        with store.transaction():
            store.meetings.save(_meeting("ids-c", "2033-06-01T10:00:00+02:00"))
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert "ids-c" not in store.meetings.ids("dassos", 2033), "a rolled-back save leaves no id behind"
    _as_read_afresh(pg_url, store)


def test_between_before_and_after_the_collection_is_read(pg_url):
    create_database(pg_url, load_preset("midtjylland"))
    low, high = dt.date(2019, 1, 1), dt.date(2019, 12, 31)
    unread = PgStore.open(pg_url)
    served = unread.memberships.between("end", low, high)  # the server's filter
    assert served and all(low <= seat.end <= high for seat in served)
    everything = unread.memberships.all()  # now read: the process's filter
    local = unread.memberships.between("end", low, high)
    assert sorted(seat.id for seat in served) == sorted(seat.id for seat in local)
    assert sorted(seat.id for seat in served) == sorted(
        seat.id for seat in everything.values() if seat.end is not None and low <= seat.end <= high)


def test_the_first_write_of_a_day_keeps_a_backup_of_the_state_before_it(pg_url, pg_cluster, monkeypatch):
    from secretary.cli.bootstrap import open_secretary

    monkeypatch.setenv("SECRETARY_BACKUPS", "2")
    create_database(pg_url, load_preset("midtjylland"))
    today = dt.date.today().isoformat()
    for old in ("2020-01-01", "2020-01-02", "2020-01-03"):  # earlier days' backups (empty ones will do)
        pg_cluster.execute(pg_url, "INSERT INTO backups (name) VALUES (%s)", (old,))
    sec = open_secretary(pg_url)
    meeting = sec.records.meetings()[0]
    assert today not in sec.store.backups.names()
    sec.agenda.edit_meeting(meeting.id, title="Dagens første ændring")
    assert sec.store.backups.names() == [today, "2020-01-03"], "today's backup, and the newest SECRETARY_BACKUPS kept"
    sec.agenda.edit_meeting(meeting.id, title="Dagens anden ændring")
    assert sec.store.backups.names() == [today, "2020-01-03"]
    other = open_secretary(pg_url)  # another machine: restore puts back what was there before today's first write
    assert other.store.backups.restore(today) == today
    assert open_secretary(pg_url).records.meeting(meeting.id).title == meeting.title
    assert sec.store.refresh() is True and sec.records.meeting(meeting.id).title == meeting.title
