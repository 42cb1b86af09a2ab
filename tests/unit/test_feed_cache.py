"""Feed events kept on disk between processes (PATH.d/feeds/): a fresh process reads the events
of unchanged partitions instead of every meeting; an edit rewrites its partition's events and
reuses the others; a damaged file is ignored and written again; the bytes are always those
written from the data; the folder is private and holds no closed item's content."""

from __future__ import annotations

import datetime as dt
import hashlib
import stat

import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.services import feed_cache
from tests import ics_feed_data as data

NOW = data.NOW


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "db.json"
    create_database(path, data.dataset())
    return path


def _feeds(secretary) -> dict[str, bytes]:
    return dict(secretary.feeds.all_feeds(NOW))


def _fresh(db, monkeypatch, reads: list):
    """A new Secretary (what a fresh process holds), counting the partitions it reads."""
    secretary = open_secretary(db)
    documents = secretary.store.meetings.documents

    def counted(body, year):
        reads.append((body, year))
        return documents(body, year)

    monkeypatch.setattr(secretary.store.meetings, "documents", counted)
    return secretary


def _without_cache(db, monkeypatch) -> dict[str, bytes]:
    secretary = open_secretary(db)
    monkeypatch.setattr(secretary.store, "derived_folder", lambda name: None)
    return _feeds(secretary)


def _files(db) -> dict[str, str]:
    folder = db.with_name(db.name + ".d") / "feeds"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.suffix == ".events"}


def test_a_fresh_process_reads_no_unchanged_partition(db, monkeypatch):
    reads: list = []
    first = _feeds(_fresh(db, monkeypatch, reads))
    partitions = set(reads)
    assert len(partitions) == 2  # dk/2026 and se/2026: each read once, its events kept
    reads.clear()
    again = _feeds(_fresh(db, monkeypatch, reads))
    assert reads == []  # every event came from the disk
    assert again == first == _without_cache(db, monkeypatch)  # the same bytes as written from the data


def test_an_edit_rewrites_its_partitions_events_and_reuses_the_others(db, monkeypatch):
    reads: list = []
    _feeds(_fresh(db, monkeypatch, reads))
    before = _files(db)
    editor = open_secretary(db)  # another process's edit
    editor.agenda.update_meeting("se-winter", lambda m: m.replace(location="Borlänge Kulturhuset"))
    reads.clear()
    after = _feeds(_fresh(db, monkeypatch, reads))
    assert reads == [("se", 2026)]  # only the changed partition was read again
    assert "Borlänge Kulturhuset".encode() in after["/calendars/se.ics"]
    assert b"Ludvika\\, Stadshuset" in after["/calendars/se.ics"]  # the partition's other meeting, written again the same
    files = _files(db)
    assert len(files) == 2 and len(set(files.items()) & set(before.items())) == 1  # one file rewritten, one kept
    assert after == _without_cache(db, monkeypatch)


def test_a_changed_body_rewrites_its_events(db, monkeypatch):
    reads: list = []
    _feeds(_fresh(db, monkeypatch, reads))
    editor = open_secretary(db)
    body = editor.records.body("dk")
    with editor.store.transaction():
        editor.store.bodies.save(body.model_copy(update={"timezone": "Europe/Stockholm"}))
    reads.clear()
    after = _feeds(_fresh(db, monkeypatch, reads))
    assert reads == [("dk", 2026)]
    assert after == _without_cache(db, monkeypatch)


@pytest.mark.parametrize("harm", ["garbage", "another partition's file", "deleted", "index damaged"])
def test_a_damaged_cache_is_ignored_and_written_again(db, monkeypatch, harm):
    reads: list = []
    expected = _feeds(_fresh(db, monkeypatch, reads))
    folder = db.with_name(db.name + ".d") / "feeds"
    files = sorted(p for p in folder.iterdir() if p.suffix == ".events")
    if harm == "garbage":
        files[0].write_bytes(b'[["half an event"')
    elif harm == "another partition's file":
        files[0].write_bytes(files[1].read_bytes())  # valid events, of the wrong partition
    elif harm == "deleted":
        files[0].unlink()
    else:
        (folder / feed_cache.INDEX).write_bytes(b'{"format": 1, "parts": {"dk/2026": [1,')
    reads.clear()
    assert _feeds(_fresh(db, monkeypatch, reads)) == expected
    assert len(reads) == (2 if harm == "index damaged" else 1)
    reads.clear()
    assert _feeds(_fresh(db, monkeypatch, reads)) == expected and reads == []  # written again, whole


def test_the_cache_is_private_and_holds_no_closed_item(db):
    secretary = open_secretary(db)
    public = dict(secretary.feeds.public_feeds(NOW))
    folder = db.with_name(db.name + ".d") / "feeds"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    kept = b""
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        kept += path.read_bytes()
    for secret in data.SECRETS:
        assert secret.encode() not in kept
        assert all(secret.encode() not in feed for feed in public.values())
    assert b"Rammeaftale 2027-28" in kept  # the open items' titles are what the events show


def test_a_long_gap_in_the_change_log_writes_the_events_again(db, monkeypatch):
    """When the change log no longer reaches back to the generation a partition was read at,
    nothing vouches for it: its events are written again."""
    reads: list = []
    expected = _feeds(_fresh(db, monkeypatch, reads))
    secretary = _fresh(db, monkeypatch, reads)
    monkeypatch.setattr(secretary.store, "changes_since", lambda generation: None)
    reads.clear()
    assert _feeds(secretary) == expected
    assert sorted(reads) == [("dk", 2026), ("se", 2026)]


def test_events_survive_the_round_trip():
    from exports import ics

    secretary_data = data.dataset()
    events = ics.meeting_events(secretary_data.meetings.values(), secretary_data.bodies)
    again = ics.events_from_bytes(ics.events_bytes(events))
    assert again == events
    assert all(isinstance(e.start, dt.datetime) and e.start.tzinfo is not None for e in again)
