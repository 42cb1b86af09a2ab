"""The meeting index answers the start screen: minutes state, open actions, place; older indexes are upgraded."""

from __future__ import annotations

import orjson
import pytest

from secretary.domain.errors import StoreDamaged
from store.storage import encode
from tests.conftest import NOW, reopen

HELD = "dassos-2026-10-08"
TODAY = NOW.date()


def index_rows(sec) -> dict:
    return orjson.loads((sec.store.db.root / "index.json").read_bytes())["meetings"]


def write_index_rows(sec, rows: dict) -> None:
    path = sec.store.db.root / "index.json"
    data = orjson.loads(path.read_bytes())
    data["meetings"] = rows
    data["_meta"] = {"schema": {"version": 1}}  # as the older version wrote it: no checksum
    path.write_bytes(orjson.dumps(data))


def test_index_keeps_minutes_state_open_actions_and_place(sec):
    row = index_rows(sec)[HELD]
    meeting = sec.records.meeting(HELD)
    assert row["minutes"] == meeting.minutes.status == "draft"
    assert row["location"] == meeting.location
    open_ids = [a.id for item in meeting.items for a in item.actions if not a.done]
    assert [action[2] for action in row["actions"]] == open_ids and open_ids


def test_completing_an_action_and_approving_minutes_update_the_index(sec):
    action = sec.overview.overdue_actions(TODAY)[0]
    sec.agenda.complete_action(action.meeting.id, action.item.id, action.action.id, True)
    assert action.action.id not in [a[2] for a in index_rows(sec)[action.meeting.id]["actions"]]
    assert action.action.id not in [a.action.id for a in reopen(sec).overview.open_actions(TODAY)]
    sec.agenda.approve_minutes(HELD, by=["henning-hansen"])
    assert index_rows(sec)[HELD]["minutes"] == "approved"
    assert reopen(sec).overview.minutes_awaiting_approval(TODAY) == []


def test_open_actions_from_the_index_match_the_meetings(sec):
    from_index = {(a.meeting.id, a.item.id, a.action.id, a.action.due, a.action.what) for a in sec.overview.open_actions(TODAY)}
    from_meetings = {
        (m.id, item.id, action.id, action.due, action.what)
        for m in sec.records.meetings()
        for item in m.items
        for action in item.actions
        if not action.done
    }
    assert from_index == from_meetings and from_index


def test_an_index_written_by_the_older_version_is_upgraded_on_open(sec):
    expected = index_rows(sec)
    old = {key: {k: row[k] for k in ("body", "start", "end", "status", "title")} for key, row in expected.items()}
    write_index_rows(sec, old)
    fresh = reopen(sec)  # opening tidies: the rows are rebuilt from the meetings and written back
    assert index_rows(fresh) == expected
    assert [m.id for m in fresh.overview.minutes_awaiting_approval(TODAY)] == [HELD]


def test_a_reader_of_an_old_index_gets_the_same_answers_before_it_is_rewritten(sec, monkeypatch):
    expected = [(a.meeting.id, a.action.id) for a in sec.overview.open_actions(TODAY)]
    old = {key: {k: row[k] for k in ("body", "start", "end", "status", "title")} for key, row in index_rows(sec).items()}
    write_index_rows(sec, old)
    from store.repositories import MeetingRepository

    monkeypatch.setattr(MeetingRepository, "upgrade_index", lambda self: 0)  # as when another process holds the lock
    fresh = reopen(sec)
    assert [(a.meeting.id, a.action.id) for a in fresh.overview.open_actions(TODAY)] == expected
    assert "minutes" not in index_rows(fresh)[HELD]  # nothing was written by the reader


def test_a_damaged_index_row_is_named(sec):
    rows = index_rows(sec)
    rows[HELD]["surprise"] = 1
    write_index_rows(sec, rows)
    with pytest.raises(StoreDamaged, match=f"index row '{HELD}'"):
        reopen(sec).overview.open_actions(TODAY)


def test_one_person_is_validated_without_the_others(sec):
    """The start screen names the holders it shows; a damaged other row does not stop it."""
    people = sec.records.people()
    first, second = people[0], people[1]
    path = sec.store.db.path
    data = orjson.loads(path.read_bytes())
    data["people"][second.id]["name"] = ""  # invalid: a name is required
    path.write_bytes(encode(data))  # sealed: the row is invalid, the file is not damaged
    fresh = reopen(sec)
    assert fresh.records.person(first.id).name == first.name
    with pytest.raises(StoreDamaged, match=second.id):
        fresh.records.people()


def test_check_names_index_fields_that_differ_from_the_meeting(sec):
    assert sec.store.check() == []
    rows = index_rows(sec)
    rows[HELD]["minutes"] = "approved"
    rows[HELD]["actions"] = []
    write_index_rows(sec, rows)
    problems = reopen(sec).store.check()
    assert len(problems) == 1 and HELD in problems[0] and "minutes, actions" in problems[0]


def test_check_says_when_an_index_row_is_from_the_older_version(sec, monkeypatch):
    old = {key: {k: row[k] for k in ("body", "start", "end", "status", "title")} for key, row in index_rows(sec).items()}
    write_index_rows(sec, old)
    from store.repositories import MeetingRepository

    monkeypatch.setattr(MeetingRepository, "upgrade_index", lambda self: 0)  # another process holds the lock
    problems = reopen(sec).store.check()
    assert problems and all("older version" in p and "rebuilt" in p for p in problems)


def test_an_old_index_row_of_a_meeting_that_is_not_stored_is_left_out(sec, monkeypatch):
    rows = {key: {k: row[k] for k in ("body", "start", "end", "status", "title")} for key, row in index_rows(sec).items()}
    rows["ghost-2026-01-01"] = dict(rows[HELD])  # indexed, but no partition holds it
    write_index_rows(sec, rows)
    from store.repositories import MeetingRepository

    monkeypatch.setattr(MeetingRepository, "upgrade_index", lambda self: 0)
    fresh = reopen(sec)
    assert "ghost-2026-01-01" not in {r.id for r in fresh.overview.meeting_rows()}
    assert [m.id for m in fresh.overview.minutes_awaiting_approval(TODAY)] == [HELD]
    assert any("ghost-2026-01-01" in p and "indexed but not stored" in p for p in fresh.store.check())


def test_an_old_index_row_without_a_body_is_named(sec):
    rows = {key: {k: row[k] for k in ("body", "start", "end", "status", "title")} for key, row in index_rows(sec).items()}
    del rows[HELD]["body"]
    write_index_rows(sec, rows)
    with pytest.raises(StoreDamaged, match=f"index row '{HELD}'"):
        reopen(sec).overview.meeting_rows()
