"""A new meeting from the body's last one (`meeting new BODY --from last`, the TUI's form): the
last meeting is found in the index rows and only it is loaded; which meeting counts as the last
is what it always was (the latest not cancelled that starts before the new one, the first in
start-then-id order at a tie); the new meeting and what it carries over are one transaction."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.model import Meeting
from secretary.domain.presets import load_preset
from store import repositories

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CPH = ZoneInfo("Europe/Copenhagen")
NEW_START = dt.datetime(2026, 12, 10, 10, 0, tzinfo=CPH)


def _old_last(sec, body: str, before: dt.datetime):
    """What `schedule_from_last` chose before it read the index rows (every meeting read)."""
    earlier = [m for m in sec.records.meetings(body=body) if m.start < before and m.status != "cancelled"]
    return max(earlier, key=lambda m: m.start) if earlier else None


@pytest.fixture
def db(tmp_path):
    """DASSOS with meetings in 2020-2027: a tie (two meetings at one moment), a cancelled meeting
    after its held one of 2026-10-08 and before the new start, a later one that same day, and a
    meeting of another body in between."""
    path = tmp_path / "db.json"
    sec = create_database(path, load_preset("midtjylland"), clock=lambda: NOW)
    for year in range(2020, 2026):
        for month in (3, 6, 9, 11):
            sec.agenda.schedule_meeting("dassos", f"{year}-{month:02d}-12 10:00", title=f"DASSOS {year}-{month}")
    sec.agenda.schedule_meeting("dassos", "2024-11-12 10:00", title="Samme tid")  # the tie
    cancelled = sec.agenda.schedule_meeting("dassos", "2026-11-05 10:00", title="Aflyst")
    sec.agenda.cancel_meeting(cancelled.id, "Ingen sager")
    sec.agenda.schedule_meeting("dassos", "2026-12-10 14:00", title="Senere samme dag")
    sec.agenda.schedule_meeting("fu", "2026-11-20 10:00", title="Et andet organ")
    return path


def test_the_last_meeting_is_the_one_it_always_was(db):
    sec = open_secretary(db)
    starts = sorted({m.start for m in sec.records.meetings(body="dassos")} | {NEW_START})
    assert len({s.year for s in starts}) >= 8
    moments = [dt.datetime(2019, 1, 1, tzinfo=CPH)]
    for start in starts:
        moments += [start - dt.timedelta(minutes=1), start, start + dt.timedelta(minutes=1),
                    start.astimezone(dt.UTC) + dt.timedelta(seconds=1)]  # another UTC offset than the stored one
    for moment in moments:
        old = _old_last(sec, "dassos", moment)
        new = sec.records.last_meeting_before("dassos", moment)
        assert (new.id if new else None) == (old.id if old else None), moment
    # The cases the rules are about: the cancelled 2026-11-05, the other body's 2026-11-20 and the
    # later one the same day are passed over; of two at one moment, the first id.
    assert sec.records.last_meeting_before("dassos", NEW_START).id == "dassos-2026-10-08"
    assert {m.id for m in sec.records.meetings(body="dassos") if m.start == dt.datetime(2024, 11, 12, 10, 0, tzinfo=CPH)} == {
        "dassos-2024-11-12", "dassos-2024-11-12-2"}
    assert sec.records.last_meeting_before("dassos", dt.datetime(2024, 11, 12, 11, 0, tzinfo=CPH)).id == "dassos-2024-11-12"


def test_a_new_meeting_from_the_last_one_loads_only_that_meeting(db, monkeypatch):
    expected = _old_last(open_secretary(db), "dassos", NEW_START)
    assert expected is not None and expected.id == "dassos-2026-10-08"

    sec = open_secretary(db)  # a fresh process: nothing read yet
    meetings = sec.store.meetings
    loaded: list[str] = []
    bulk: list[str] = []
    real_get = meetings.get

    def get(key):
        found = real_get(key)
        if found is not None:
            loaded.append(key)
        return found

    def refused(name):
        def read(*args, **kwargs):
            bulk.append(name)
            raise AssertionError(f"meetings.{name} read more than the last meeting")
        return read

    monkeypatch.setattr(meetings, "get", get)
    for name in ("many", "list", "all", "each", "documents"):
        monkeypatch.setattr(meetings, name, refused(name))
    validated: list[tuple[str, str]] = []
    real_validate = repositories._validate

    def counting(db_, path, model, key, raw):
        if model is Meeting:
            validated.append((str(path), key))
        return real_validate(db_, path, model, key, raw)

    monkeypatch.setattr(repositories, "_validate", counting)

    new = sec.agenda.new_meeting("dassos", NEW_START, source="last")

    assert bulk == []
    assert set(loaded) == {expected.id, new.id}  # the last one, and the new one as it is written
    # Of twenty-odd stored meetings only those of one partition were read: the last one's (dassos,
    # 2026), which the new meeting is written into; not one of the other years.
    assert {path for path, _key in validated} == {str(sec.store.db.partition_path("dassos", 2026))}
    assert "dassos-2020-03-12" not in {key for _path, key in validated}
    # What it carried over is what the last meeting left open: its open actions of decided items.
    standing = ("approve_agenda", "approve_minutes", "any_other_business")
    undecided = [i.title for i in expected.items if i.outcome in (None, "postponed") and i.kind not in standing]
    open_elsewhere = [a.what for i in expected.items if i.outcome not in (None, "postponed") for a in i.actions if not a.done]
    assert open_elsewhere, "the preset's DASSOS meeting of 2026-10-08 leaves actions open"
    titles = [i.title for i in new.items]
    assert all(title in titles for title in undecided)
    follow = next(i for i in new.items if i.title == "Opfølgning på aktioner fra sidste møde")
    assert [a.what for a in follow.actions] == open_elsewhere


def test_the_new_meeting_and_what_it_carries_over_are_one_transaction(db, monkeypatch):
    sec = open_secretary(db)
    before = set(sec.store.meetings.rows())

    def broken(items, item):
        raise RuntimeError("crash while carrying over")

    monkeypatch.setattr("secretary.services.agenda.insert_before_aob", broken)
    with pytest.raises(RuntimeError, match="carrying over"):
        sec.agenda.new_meeting("dassos", NEW_START, source="last")
    assert set(open_secretary(db).store.meetings.rows()) == before  # not the meeting without its items either
