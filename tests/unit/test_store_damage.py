"""Damaged files: `check` names each problem, writes refuse and point to a backup, restore works, v0 migrates."""

from __future__ import annotations

import datetime as dt
import os

import orjson
import pytest
from tinydb import TinyDB

from secretary.cli.bootstrap import open_secretary
from store.backups import daily_backup, list_backups
from store.database import Database
from tests.conftest import run_cli

ONE_ORG = b'{"format": "secretary/1", "organisations": [{"id": "new-org", "name": "New", "kind": "other", "country": "DK"}]}'


def files_of(db):
    return {str(p.relative_to(db.parent)): p.read_bytes() for p in sorted(db.parent.rglob("*"))
            if p.is_file() and not p.name.endswith(".owner")}


def partition(db):
    return sorted((db.parent / "db.json.d" / "meetings").glob("*/*.json"))[0]


def rewrite_json(path, change):
    data = orjson.loads(path.read_bytes())
    change(data)
    with open(path, "r+b") as handle:  # in place, as an editor or a damaged disk would
        handle.truncate(0)
        handle.write(orjson.dumps(data))


DAMAGE = {
    "truncated registry": (lambda db: os.truncate(db, db.stat().st_size // 2), "db.json: not valid JSON"),
    "partition not JSON": (lambda db: partition(db).write_bytes(b"\x00\x00 garbage"), "not valid JSON"),
    "registry top level a list": (lambda db: db.write_bytes(b"[]"), "the top level is not an object"),
    "wrong schema version": (
        lambda db: rewrite_json(partition(db), lambda d: d["_meta"]["schema"].update(version=7)),
        ".json: schema version 7, expected 1"),
    "index year file of the wrong schema version": (
        lambda db: rewrite_json(db.parent / "db.json.d" / "index" / "2026.json", lambda d: d["_meta"]["schema"].update(version=7)),
        "index/2026.json: schema version 7, expected 1"),
    "dangling reference": (
        lambda db: rewrite_json(db, lambda d: d["memberships"][next(iter(d["memberships"]))].update(body="ghost-body")),
        "field 'body': value 'ghost-body': no body has this id"),
    "index mismatch": (
        lambda db: rewrite_json(db.parent / "db.json.d" / "index" / "2026.json",
                                lambda d: d["meetings"]["fu-2026-12-02"].update(start="2026-12-03T09:00:00+01:00")),
        "meeting 'fu-2026-12-02' is indexed with the wrong body or start"),
    "meeting missing from the index": (
        lambda db: rewrite_json(db.parent / "db.json.d" / "index" / "2026.json", lambda d: d["meetings"].pop("fu-2026-12-02")),
        "meeting 'fu-2026-12-02' is missing from the index"),
    "index entry of the wrong type": (
        lambda db: rewrite_json(db.parent / "db.json.d" / "index" / "2026.json", lambda d: d["meetings"].update({"fu-2026-12-02": 5})),
        "fu-2026-12-02"),
    "stray partition name": (
        lambda db: (partition(db).parent / "notayear.json").write_bytes(partition(db).read_bytes()),
        "notayear.json"),
    "readable by others": (lambda db: os.chmod(db, 0o644), "readable by others (mode 644)"),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_check_names_each_problem_with_exit_1(demo_db, kind):
    damage, words = DAMAGE[kind]
    assert run_cli("check", "--db", str(demo_db)).returncode == 0
    damage(demo_db)
    result = run_cli("check", "--db", str(demo_db))
    out = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 1, out
    assert words in out, out
    assert "Traceback" not in out and "unexpected error" not in out


@pytest.mark.parametrize("kind", ["truncated registry", "partition not JSON", "registry top level a list",
                                  "wrong schema version"])
def test_a_damaged_file_makes_writes_refuse_and_point_to_the_backup(demo_db, tmp_path, kind):
    open_secretary(demo_db).data.import_bytes(ONE_ORG)  # the first write of the day keeps a backup
    [backup] = list_backups(Database(demo_db))
    DAMAGE[kind][0](demo_db)
    source = tmp_path / "input" / "more.json"
    source.parent.mkdir()
    source.write_bytes(orjson.dumps({"format": "secretary/1", "meetings": [
        {"id": "x-1", "body": "dassos", "start": "2026-10-08T13:00:00+02:00", "end": "2026-10-08T14:00:00+02:00"},
        {"id": "x-2", "body": "fu", "start": "2027-03-03T13:00:00+01:00", "end": "2027-03-03T14:00:00+01:00"}]}))
    damaged = files_of(demo_db)
    result = run_cli("import", str(source), "--db", str(demo_db))
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in err
    assert "Nothing was written" in err
    assert f"secretary restore {backup} --db {demo_db}" in err
    assert str(demo_db.parent / "db.json.backups" / backup) in err
    assert files_of(demo_db) == damaged
    # The documented way back.
    listed = run_cli("restore", "--list", "--db", str(demo_db))
    assert listed.stdout.decode().split() == [backup]
    restored = run_cli("restore", "--db", str(demo_db))
    assert restored.returncode == 0, restored.stderr.decode()
    assert run_cli("check", "--db", str(demo_db)).returncode == 0
    assert open_secretary(demo_db).store.organisations.get("new-org") is None  # the state before that day's first write


def test_a_damaged_state_never_becomes_the_newest_backup(demo_db):
    db = Database.open(demo_db)
    today = dt.date.today()
    assert daily_backup(db, today) is not None
    os.truncate(demo_db, 100)
    assert daily_backup(Database(demo_db), today + dt.timedelta(days=1)) is None
    assert list_backups(Database(demo_db)) == [today.isoformat()]
    # Any error will do, as long as it names the way back (B017: deliberately broad).
    assert "secretary restore " + today.isoformat() in str(pytest.raises(Exception, open_secretary(demo_db).records.bodies).value)  # noqa: B017


def test_damage_in_place_does_not_reach_the_backup(demo_db):
    open_secretary(demo_db).data.import_bytes(ONE_ORG)
    [backup] = list_backups(Database(demo_db))
    copy = demo_db.parent / "db.json.backups" / backup / "db.json"
    kept = copy.read_bytes()
    os.truncate(demo_db, 10)  # e.g. an editor writing through a hard link, or `: > db.json`
    assert copy.read_bytes() == kept


def test_restore_a_named_backup_and_unknown_names(demo_db):
    secretary = open_secretary(demo_db)
    secretary.data.import_bytes(ONE_ORG)
    [backup] = list_backups(secretary.store.db)
    wrong = run_cli("restore", "1999-01-01", "--db", str(demo_db))
    assert wrong.returncode == 1 and backup in wrong.stderr.decode()
    assert run_cli("restore", backup, "--db", str(demo_db)).returncode == 0
    assert open_secretary(demo_db).store.organisations.get("new-org") is None
    assert run_cli("check", "--db", str(demo_db)).returncode == 0


def test_restore_without_backups_says_so(tmp_path):
    db = tmp_path / "db.json"
    assert run_cli("init", "--preset", "empty", "--db", str(db)).returncode == 0
    result = run_cli("restore", "--db", str(db))
    assert result.returncode == 1 and b"no backups" in result.stderr


def test_a_version_0_file_written_by_tinydb_migrates_and_passes_check(demo_db, tmp_path):
    exported = orjson.loads(open_secretary(demo_db).data.export_json())
    v0 = tmp_path / "old" / "db.json"
    v0.parent.mkdir()
    handle = TinyDB(v0)  # TinyDB's own storage and layout: counters "1", "2", … and no _meta
    for name in ("organisations", "bodies", "people", "memberships", "meetings", "milestones"):
        handle.table(name).insert_multiple(exported[name])
    handle.close()
    raw = orjson.loads(v0.read_bytes())
    assert "_meta" not in raw and list(raw["meetings"])[:2] == ["1", "2"]
    assert run_cli("check", "--db", str(v0)).returncode == 1  # not migrated yet: version 0
    migrated = open_secretary(v0)
    assert migrated.data.export_json() == open_secretary(demo_db).data.export_json()
    result = run_cli("check", "--db", str(v0))
    assert result.returncode == 0, result.stdout.decode()
    assert (v0.parent / "db.json.v0").read_bytes()  # the original is kept


def test_a_version_0_file_with_an_invalid_meeting_is_refused_cleanly(tmp_path):
    v0 = tmp_path / "db.json"
    v0.write_bytes(orjson.dumps({"meetings": {"1": {"id": "m", "body": "b", "start": "2026-01-01T10:00:00"}}}))
    result = run_cli("meetings", "--db", str(v0))
    err = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err and "unexpected error" not in err
    assert "'start'" in err and "version-0" in err
