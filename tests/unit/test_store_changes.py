"""The change log (PATH.d/changes.json): written by every commit, it tells readers what changed,
so the feed server's freshness check reads one file instead of stat-ing every partition."""

from __future__ import annotations

import datetime as dt

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.changes import Generation
from secretary.domain.model import Person
from store import changes as changes_module
from store.storage import DurableStorage
from tests.unit.test_search import meeting


def _database(tmp_path):
    from secretary.domain.interchange import Dataset
    from secretary.domain.model import Body

    data = Dataset(bodies={"b": Body(id="b", name="Udvalget", kind="political", language="da", timezone="Europe/Copenhagen")})
    data.meetings = {"b-1": meeting("b-1", "b", dt.date(2024, 5, 2), [{"id": "i1", "title": "Budget"}])}
    return create_database(tmp_path / "db.json", data)


def _retitle(secretary, title: str) -> None:
    secretary.agenda.update_meeting("b-1", lambda m: m.replace(items=[i.replace(title=title).model_dump() for i in m.items]))


def test_every_commit_counts_and_names_what_it_wrote(tmp_path):
    secretary = _database(tmp_path)
    store = secretary.store
    before = store.change_generation()
    _retitle(secretary, "Regnskab")
    after = store.change_generation()
    assert after.epoch == before.epoch and after.number == before.number + 1
    assert store.changes_since(before).partitions == {("b", 2024)} and not store.changes_since(before).registry
    with store.transaction():
        store.people.save(Person(id="p1", name="Ingrid Bæk"))
    assert store.changes_since(after).registry and not store.changes_since(after).partitions
    assert store.changes_since(store.change_generation()) is not None and not store.changes_since(store.change_generation())
    assert store.changes_since(Generation("another-epoch", after.number)) is None


def test_a_reader_further_behind_than_the_log_starts_again(tmp_path, monkeypatch):
    monkeypatch.setattr(changes_module, "LOG_LENGTH", 3)
    secretary = _database(tmp_path)
    old = secretary.store.change_generation()
    for n in range(4):
        _retitle(secretary, f"Punkt {n}")
    assert secretary.store.changes_since(old) is None


def test_a_damaged_change_log_never_stops_a_save(tmp_path):
    secretary = _database(tmp_path)
    old = secretary.store.change_generation()
    (secretary.store.db.root / changes_module.NAME).write_bytes(b"{not json")
    _retitle(secretary, "Regnskab")
    assert secretary.records.meeting("b-1").items[0].title == "Regnskab"
    assert secretary.store.change_generation().epoch != old.epoch  # a new history: readers start again
    assert secretary.store.changes_since(old) is None


def test_refresh_reads_one_file_until_another_process_commits(tmp_path, monkeypatch):
    secretary = _database(tmp_path)
    reader = open_secretary(secretary.store.db.path)
    assert reader.records.meeting("b-1").items[0].title == "Budget"
    reader.store.refresh()
    looked: list[str] = []
    original = DurableStorage.changed_on_disk
    monkeypatch.setattr(DurableStorage, "changed_on_disk", lambda self: looked.append(self.path.name) or original(self))
    assert reader.store.refresh() is False
    assert looked == []  # nothing else was looked at: the change log did not change
    _retitle(secretary, "Regnskab")  # another process commits
    assert reader.store.refresh() is True
    assert looked  # now the files were compared
    assert reader.records.meeting("b-1").items[0].title == "Regnskab"
