"""The store keeps a bounded cache of validated partitions; bulk readers stream.

Budgets are made tiny with monkeypatch, so a dozen years of the demo's meetings
behave like twenty years of a large secretariat.
"""

from __future__ import annotations

import os

import orjson
import pytest

import store.repositories as repositories
from exports import ics
from secretary.domain.errors import SecretaryError, StoreDamaged
from secretary.domain.interchange import Dataset
from secretary.domain.model import Attendance
from secretary.services.facade import Secretary
from store.storage import encode
from tests.conftest import NOW, reopen

YEARS = range(2010, 2022)


def _spread(sec: Secretary) -> Secretary:
    """The demo's meetings copied into every year of YEARS: dozens of partitions."""
    copies = {}
    for meeting in sec.records.meetings():
        for year in YEARS:
            copy = meeting.replace(
                id=f"{meeting.id}-c{year}",
                start=meeting.start.replace(year=year),
                end=meeting.end.replace(year=year),
                uid=None,
                sequence=0,
                last_modified=None,
                # The copy's life starts afresh: the original's dispatch and history are dated in its own year.
                dispatched_at=None,
                actual_start=None,
                actual_end=None,
                history=[],
            )
            copies[copy.id] = copy
    sec.data.import_dataset(Dataset(meetings=copies))
    return reopen(sec)


def _partition_sizes(sec: Secretary) -> list[int]:
    return [path.stat().st_size for path in sec.store.db.partition_files()]


@pytest.fixture
def spread(sec) -> Secretary:
    return _spread(sec)


def test_walking_every_meeting_keeps_the_cache_under_its_budget(spread, monkeypatch):
    sizes = _partition_sizes(spread)
    assert len(sizes) > 20
    budget = 3 * max(sizes)
    monkeypatch.setattr(repositories, "PARTITION_CACHE_BYTES", budget)
    sec = reopen(spread)
    repo = sec.store.db.repos.meetings
    seen = 0
    most = 0
    for _meeting in repo.each():
        seen += 1
        most = max(most, repo.cached_bytes())
        assert repo.cached_bytes() <= budget
    assert seen == len(repo.placements())
    assert most > 0
    assert repo.cached_bytes() < sum(sizes) / 2, "older partitions were evicted"


def test_each_yields_every_meeting_once_in_start_order(spread, monkeypatch):
    monkeypatch.setattr(repositories, "PARTITION_CACHE_BYTES", 1)  # only the newest partition stays
    sec = reopen(spread)
    repo = sec.store.db.repos.meetings
    walked = [m.id for m in repo.each()]
    assert len(walked) == len(set(walked)) == len(repo.placements())
    assert walked == [m.id for m in reopen(spread).store.db.repos.meetings.list()]
    starts = [m.start for m in repo.each()]
    assert starts == sorted(starts)
    assert [m.id for m in repo.each(body="fu")] == [m.id for m in repo.list(body="fu")]
    assert [m.id for m in repo.each(year=2015)] == [m.id for m in repo.list(year=2015)]
    assert list(repo.each(body="fu", year=1999)) == []


def _rewrite(path, change) -> None:
    """What another process's commit does to a partition: a new file put in place atomically."""
    data = orjson.loads(path.read_bytes())
    change(data["meetings"])
    fresh = path.with_name(path.name + ".other")
    fresh.write_bytes(encode(data))  # sealed, as secretary writes it
    os.replace(fresh, path)


def test_a_partition_changed_by_another_process_is_read_again(spread, monkeypatch):
    monkeypatch.setattr(repositories, "PARTITION_CACHE_BYTES", 10**9)
    sec = reopen(spread)
    target = sec.records.meetings(body="fu", year=2015)[0]
    other = reopen(spread)
    other.agenda.update_meeting(target.id, lambda m: m.replace(title="Ændret af en anden"))
    assert sec.store.db.refresh()
    assert sec.records.meeting(target.id).title == "Ændret af en anden"
    # Within a transaction the file is checked without a refresh.
    other.agenda.update_meeting(target.id, lambda m: m.replace(title="Igen ændret"))
    saved = sec.agenda.update_meeting(target.id, lambda m: m.replace(location="Sal 2"))
    assert (saved.title, saved.location) == ("Igen ændret", "Sal 2")


def test_a_save_after_eviction_validates_what_is_stored_and_writes_it(spread, monkeypatch):
    monkeypatch.setattr(repositories, "PARTITION_CACHE_BYTES", 1)
    sec = reopen(spread)
    first, second = sec.records.meetings(body="fu", year=2012)[:2]
    for _meeting in sec.store.db.repos.meetings.each(year=2020):  # the 2012 partition is evicted
        pass
    saved = sec.agenda.update_meeting(first.id, lambda m: m.replace(title="Efter udsmidning"))
    again = reopen(sec)
    assert again.records.meeting(first.id).title == saved.title == "Efter udsmidning"
    assert again.records.meeting(second.id) == sec.records.meeting(second.id), "the partition's other meetings are kept"

    for _meeting in sec.store.db.repos.meetings.each(year=2020):
        pass
    path = sec.store.db.partition_path("fu", 2012)

    def damage(meetings):
        meetings[second.id]["status"] = "bogus"

    _rewrite(path, damage)
    before = path.read_bytes()
    with pytest.raises(StoreDamaged, match=second.id):
        sec.agenda.update_meeting(first.id, lambda m: m.replace(title="Ikke gemt"))
    assert path.read_bytes() == before


def test_a_transaction_keeps_the_partitions_it_read_and_wrote(spread, monkeypatch):
    monkeypatch.setattr(repositories, "PARTITION_CACHE_BYTES", 1)
    sec = reopen(spread)
    validated: list[str] = []
    real = repositories._validate

    def counting(db, path, model, key, raw):
        validated.append(key)
        return real(db, path, model, key, raw)

    monkeypatch.setattr(repositories, "_validate", counting)
    targets = [sec.records.meetings(body="fu", year=year)[0] for year in (2011, 2013, 2017)]
    validated.clear()
    with sec.store.db.transaction():
        for meeting in targets:
            sec.store.db.repos.meetings.save(meeting.replace(title=f"Samlet {meeting.id}"))
        read_in_transaction = len(validated)
        for meeting in targets:  # pinned: not validated again, and what was written is what is read
            assert sec.store.db.repos.meetings.get(meeting.id).title == f"Samlet {meeting.id}"
        assert len(validated) == read_in_transaction
        assert sec.store.db.repos.meetings.cached_bytes() > 1
    sec.records.meeting(targets[0].id)  # after the transaction the budget applies again, on the next read
    assert sec.store.db.repos.meetings.cached_bytes() == sec.store.db.partition_path("fu", 2011).stat().st_size
    again = reopen(sec)
    assert [again.records.meeting(m.id).title for m in targets] == [f"Samlet {m.id}" for m in targets]


def test_streamed_feeds_equal_the_exporter_over_every_meeting(spread, monkeypatch):
    monkeypatch.setattr(repositories, "PARTITION_CACHE_BYTES", 1)
    sec = reopen(spread)
    bodies = sec.store.bodies.all()
    meetings = reopen(spread).records.meetings()
    feeds = dict(sec.feeds.all_feeds(NOW))
    assert feeds["/calendars/all.ics"] == ics.all_feed(bodies, meetings, now=NOW) == sec.feeds.feed("all", None, NOW).data
    for body in sec.records.bodies():
        expected = ics.body_feed(body, meetings, now=NOW)
        assert feeds[f"/calendars/{body.id}.ics"] == expected == sec.feeds.feed("body", body.id, NOW).data
    memberships = list(sec.store.memberships.all().values())
    people = sec.store.people.all()
    personal = [key for key in feeds if key.startswith("person:")]
    assert personal
    for key in personal:
        person = people[key.split(":", 1)[1]]
        expected = ics.person_feed(person, memberships, bodies, meetings, now=NOW)
        assert feeds[key] == expected == sec.feeds.feed("person", person.id, NOW).data
    assert sec.feeds.feed("all", None, NOW).last_modified == ics.last_change(meetings, bodies, now=NOW)


def test_feeds_follow_changes_to_meetings_bodies_and_other_processes(spread):
    sec = reopen(spread)
    sec.feeds.feed("all", None, NOW)  # every event written and kept
    target = sec.records.meetings(body="fu", year=2016)[0]
    sec.agenda.update_meeting(target.id, lambda m: m.replace(title="Nyt emne"))
    assert "Nyt emne" in sec.feeds.feed("all", None, NOW).data.decode()
    sec.registry.edit_body("fu", abbreviation="FUX")
    assert "FUX: " in sec.feeds.feed("body", "fu", NOW).data.decode()
    other = reopen(spread)
    other.agenda.update_meeting(target.id, lambda m: m.replace(title="Fra en anden proces"))
    sec.store.db.refresh()
    assert "Fra en anden proces" in dict(sec.feeds.all_feeds(NOW))["/calendars/all.ics"].decode()


def test_delete_person_scans_the_attendance_of_every_meeting(spread):
    sec = reopen(spread)
    guest = sec.registry.create_person("Gæst Gæstesen")
    stand_in = sec.registry.create_person("Vikar Vikarsen")
    target = sec.records.meetings(body="fu", year=2013)[0]

    def attend(meeting):
        extra = [
            Attendance(person=guest.id, status="guest"),
            Attendance(person=None, organisation=meeting.attendance[0].organisation if meeting.attendance else "aarhus",
                       status="present", substitute_for=stand_in.id),
        ]
        return meeting.replace(attendance=[*meeting.attendance, *extra])

    before = list(target.attendance)
    sec.agenda.update_meeting(target.id, attend)
    for person in (guest, stand_in):
        with pytest.raises(SecretaryError, match=target.id):
            sec.registry.delete_person(person.id)
    sec.agenda.update_meeting(target.id, lambda m: m.replace(attendance=before))
    sec.registry.delete_person(guest.id)
    assert reopen(sec).store.people.get(guest.id) is None


def test_the_budget_is_charged_the_stored_bytes(spread):
    sec = reopen(spread)
    sec.records.meetings(body="fu", year=2011)
    assert sec.store.db.repos.meetings.cached_bytes() == sec.store.db.partition_path("fu", 2011).stat().st_size
