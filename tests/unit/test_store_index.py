"""The meeting index answers the start screen: minutes state, open actions, place; older indexes are upgraded."""

from __future__ import annotations

import shutil

import orjson
import pytest

from secretary.domain.errors import StoreDamaged
from store.check import check_database
from store.database import Database
from store.storage import encode
from tests.conftest import NOW, reopen

HELD = "dassos-2026-10-08"
TODAY = NOW.date()


def index_rows(sec) -> dict:
    """Every row of the index files (one a year: PATH.d/index/<year>.json)."""
    rows = {}
    for path in sorted((sec.store.db.root / "index").glob("[0-9]*.json")):
        rows.update(orjson.loads(path.read_bytes())["meetings"])
    return rows


def write_index_rows(sec, rows: dict, legacy: bool = False) -> None:
    """Put `rows` back into the year files they came from (a new key: the file of its start),
    unsealed, as if edited by hand; `legacy`: as the older version kept them, in one
    PATH.d/index.json beside no year files."""
    root = sec.store.db.root
    if legacy:
        shutil.rmtree(root / "index")
        (root / "index.json").write_bytes(orjson.dumps({"_meta": {"schema": {"version": 1}}, "meetings": rows}))
        return
    placed = {}
    for path in sorted((root / "index").glob("[0-9]*.json")):
        for key in orjson.loads(path.read_bytes())["meetings"]:
            placed[key] = path
    by_file: dict = {path: {} for path in set(placed.values())}
    for key, row in rows.items():
        path = placed.get(key) or root / "index" / f"{row['start'][:4]}.json"
        by_file.setdefault(path, {})[key] = row
    for path, file_rows in by_file.items():
        path.write_bytes(orjson.dumps({"_meta": {"schema": {"version": 1}}, "meetings": file_rows}))


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
    write_index_rows(sec, old, legacy=True)
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


# -- the index is one file a year ---------------------------------------------------------------

def _year_files(sec) -> dict[str, tuple[int, bytes]]:
    root = sec.store.db.root / "index"
    return {path.name: (path.stat().st_ino, path.read_bytes()) for path in sorted(root.glob("[0-9]*.json"))}


def test_an_edit_that_changes_an_index_row_rewrites_only_its_years_file(sec):
    sec.data.import_bytes(
        b'{"format": "secretary/1", "meetings": [{"id": "dassos-2024-03-01", "body": "dassos",'
        b' "start": "2024-03-01T09:00:00+01:00", "end": "2024-03-01T11:00:00+01:00"}]}'
    )
    before = _year_files(sec)
    assert {"2024.json", "2026.json", "2027.json"} <= set(before)
    meeting = sec.records.meeting(HELD)
    first = meeting.items[0]
    extra = {"id": "index-split-action", "what": "one more", "owner": "FU"}
    sec.agenda.update_meeting(HELD, lambda m: m.replace(items=[first.replace(actions=[*first.actions, extra]), *m.items[1:]]))
    after = _year_files(sec)
    changed = sorted(name for name in before if after[name] != before[name])
    assert changed == ["2026.json"]  # the held meeting's year; the inodes of the others are the same files
    assert "index-split-action" in [a[2] for a in index_rows(reopen(sec))[HELD]["actions"]]
    assert reopen(sec).store.check() == []


def test_a_meeting_moved_to_another_year_leaves_its_old_years_file(sec):
    meeting = sec.records.meeting(HELD)
    moved = meeting.start.replace(year=2027)
    sec.agenda.update_meeting(HELD, lambda m: m.replace(start=moved, end=moved + (m.end - m.start)))
    root = sec.store.db.root / "index"
    assert HELD not in orjson.loads((root / "2026.json").read_bytes())["meetings"]
    assert HELD in orjson.loads((root / "2027.json").read_bytes())["meetings"]
    assert reopen(sec).store.check() == []


def _as_old_layout(sec) -> dict:
    """Turn the demo database into what the version before the split kept: every row in one
    sealed PATH.d/index.json (the store's own encoding), no PATH.d/index/ folder."""
    rows = index_rows(sec)
    root = sec.store.db.root
    shutil.rmtree(root / "index")
    (root / "index.json").write_bytes(encode({"meetings": rows}))
    (root / "index.json").chmod(0o600)
    return rows


def test_an_old_single_file_index_is_split_on_open(sec):
    expected_rows = dict(sec.store.meetings.rows())
    stored = _as_old_layout(sec)
    assert check_database(Database(sec.store.location)) == []  # the old layout is sound as it is
    fresh = reopen(sec)
    root = fresh.store.db.root
    assert not (root / "index.json").exists()
    assert sorted(p.name for p in (root / "index").glob("[0-9]*.json")) == ["2026.json", "2027.json"]
    assert index_rows(fresh) == stored
    assert fresh.store.meetings.rows() == expected_rows
    assert fresh.store.check() == []


def test_a_reader_of_the_old_layout_and_its_first_write(sec, monkeypatch):
    """While another process holds the lock the old file is read as it is; the first commit that
    changes an index row writes every year's file (no row stays only in the old file)."""
    expected = [(a.meeting.id, a.action.id) for a in sec.overview.open_actions(TODAY)]
    _as_old_layout(sec)
    import store.migrations

    monkeypatch.setattr(store.migrations, "split_index", lambda db: 0)  # as when the lock was busy at open
    fresh = reopen(sec)
    assert [(a.meeting.id, a.action.id) for a in fresh.overview.open_actions(TODAY)] == expected
    assert not (fresh.store.db.root / "index").exists()  # a reader writes nothing
    fresh.agenda.approve_minutes(HELD, by=["henning-hansen"])
    root = fresh.store.db.root
    assert sorted(p.name for p in (root / "index").glob("[0-9]*.json")) == ["2026.json", "2027.json"]
    assert index_rows(fresh)[HELD]["minutes"] == "approved"
    assert fresh.store.check() == []  # the old file is ignored beside the year files
    monkeypatch.undo()
    again = reopen(fresh)
    assert not (root / "index.json").exists()  # removed by the next open
    assert again.overview.minutes_awaiting_approval(TODAY) == []


def test_check_finds_a_row_in_the_wrong_years_file(sec):
    root = sec.store.db.root / "index"
    year_2026 = orjson.loads((root / "2026.json").read_bytes())
    year_2027 = orjson.loads((root / "2027.json").read_bytes())
    year_2027["meetings"][HELD] = year_2026["meetings"].pop(HELD)
    (root / "2026.json").write_bytes(encode({"meetings": year_2026["meetings"]}))
    (root / "2027.json").write_bytes(encode({"meetings": year_2027["meetings"]}))
    problems = check_database(Database(sec.store.location))
    assert any("2027.json" in p and HELD in p and "wrong year" in p for p in problems), problems


def test_check_finds_a_wrong_row_in_a_year_file(sec):
    root = sec.store.db.root / "index"
    data = orjson.loads((root / "2026.json").read_bytes())
    data["meetings"][HELD]["location"] = "Elsewhere"
    (root / "2026.json").write_bytes(encode({"meetings": data["meetings"]}))  # sealed: only the row is wrong
    problems = check_database(Database(sec.store.location))
    assert problems == [f"{root / '2026.json'}: meeting {HELD!r}: index fields location differ from the meeting"]


def test_restoring_a_backup_of_the_old_layout(sec):
    _as_old_layout(sec)
    fresh = reopen(sec)  # split on open
    from store.backups import snapshot

    snapshot(fresh.store.db, "2026-11-20")
    assert (fresh.store.db.backup_root / "2026-11-20" / "db.json.d" / "index" / "2026.json").exists()  # backups hold the year files
    # A backup taken by the version before the split: the one file, no year files.
    old = fresh.store.db.backup_root / "2020-01-01"
    shutil.copytree(fresh.store.db.backup_root / "2026-11-20", old)
    rows = index_rows(fresh)
    shutil.rmtree(old / "db.json.d" / "index")
    (old / "db.json.d" / "index.json").write_bytes(encode({"meetings": rows}))
    fresh.store.backups.restore("2020-01-01")
    root = fresh.store.db.root
    assert not (root / "index").exists() or not list((root / "index").glob("[0-9]*.json"))
    assert (root / "index.json").exists()
    assert [m.id for m in fresh.overview.minutes_awaiting_approval(TODAY)] == [HELD]  # read from the old file
    again = reopen(fresh)
    assert sorted(p.name for p in (root / "index").glob("[0-9]*.json")) == ["2026.json", "2027.json"]
    assert again.store.check() == []


def test_the_start_screen_reads_only_the_years_it_shows(sec):
    """The overview's questions (next meetings, deadlines, open actions, minutes to approve)
    read the index files of the years that can answer: a year long past with nothing open is not read."""
    sec.data.import_bytes(
        b'{"format": "secretary/1", "meetings": [{"id": "dassos-2015-03-01", "body": "dassos",'
        b' "start": "2015-03-01T09:00:00+01:00", "end": "2015-03-01T11:00:00+01:00"}]}'
    )
    fresh = reopen(sec)
    db = fresh.store.db
    fresh.overview.upcoming_meetings(TODAY)
    fresh.overview.deadlines_due(TODAY)
    actions = fresh.overview.overdue_actions(TODAY)
    minutes = fresh.overview.minutes_awaiting_approval(TODAY)
    read = sorted(path.name for path, storage in db._storages.items() if path.parent == db.index_dir and storage._stamp)
    assert "2015.json" not in read and "2026.json" in read and "summary.json" in read
    assert actions and [m.id for m in minutes] == [HELD]
    assert "dassos-2015-03-01" in fresh.store.meetings.rows()  # the whole index is there when asked


def test_a_missing_summary_is_written_again_and_a_wrong_one_is_named(sec):
    summary = sec.store.db.index_summary
    good = orjson.loads(summary.read_bytes())["years"]
    assert good["2026"] == {"actions": True, "minutes": sorted({"draft", "none"} | set(good["2026"]["minutes"]))}
    summary.unlink()
    assert any("summary.json: missing" in p for p in check_database(Database(sec.store.location)))
    fresh = reopen(sec)  # the open writes it again
    assert orjson.loads(summary.read_bytes())["years"] == good and fresh.store.check() == []
    wrong = dict(good, **{"2026": {"actions": False, "minutes": ["none"]}})
    summary.write_bytes(encode({"years": wrong}))
    problems = check_database(Database(sec.store.location))
    assert len(problems) == 1 and "summary.json: year 2026" in problems[0]
