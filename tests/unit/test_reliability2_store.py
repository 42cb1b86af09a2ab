"""Reliability round two (issue 21), the store's classes: check after a crash (4), damage
detection (5), links and odd files (6), a read-only folder (7), a full disk after the commit
point (8), private modes whatever the umask (10), revocations that outlive restore (11)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import orjson
import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.errors import StoreWriteFailed
from secretary.services.facade import Secretary
from store.backups import snapshot
from store.check import check_database
from store.database import Database
from store.tinydb_store import PrivateFiles, TinyStore
from tests.conftest import db_files, run_cli

MOVE = (
    b'{"format": "secretary/1", "organisations": [{"id": "hedensted", "name": "Hedensted (r2)",'
    b' "short_name": "Hedensted", "kind": "municipality", "country": "DK"}],'
    b' "meetings": [{"id": "r2-m", "body": "dassos", "start": "2031-06-02T09:00:00+02:00",'
    b' "end": "2031-06-02T11:00:00+02:00"}]}'
)


def out(result) -> str:
    return result.stdout.decode() + result.stderr.decode()


def interrupt_after_commit_point(monkeypatch, secretary, document=MOVE):
    """A multi-file import that stops just after its manifest is in place (as a SIGKILL would)."""
    real = os.replace
    seen = {"manifest": False}

    def replace(src, dst, *args, **kwargs):
        if seen["manifest"]:
            raise KeyboardInterrupt("killed")
        result = real(src, dst, *args, **kwargs)
        if str(dst).endswith("manifest.json"):
            seen["manifest"] = True
        return result

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        secretary.data.import_bytes(document)
    monkeypatch.setattr(os, "replace", real)
    assert (secretary.store.db.root / "journal" / "manifest.json").exists()


# -- 4: check after a crash -----------------------------------------------------------------

def test_check_after_a_crash_finishes_the_commit_and_judges_it_sound(demo_db, monkeypatch):
    interrupt_after_commit_point(monkeypatch, open_secretary(demo_db))
    result = run_cli("check", "--db", str(demo_db))
    assert result.returncode == 0, out(result)
    assert "finished a commit that had been interrupted" in out(result)
    assert open_secretary(demo_db).records.meeting("r2-m").start.year == 2031


# -- 5: damage ------------------------------------------------------------------------------

def _flip_positions(raw: bytes, count: int) -> list[int]:
    """Positions of letters and digits spread over the file: a change there keeps it valid JSON."""
    candidates = [i for i, byte in enumerate(raw) if chr(byte).isalnum()]
    step = max(1, len(candidates) // count)
    return candidates[::step][:count]


def test_every_single_byte_change_in_a_stored_file_is_detected(demo_db):
    db = Database(demo_db)
    files = [demo_db, *db.index_files()[:2], *db.partition_files()[:2]]
    undetected = []
    for path in files:
        original = path.read_bytes()
        for position in _flip_positions(original, 25):
            damaged = bytearray(original)
            damaged[position] = ord("7") if chr(damaged[position]).isalpha() else ord("x")
            path.write_bytes(bytes(damaged))
            if check_database(Database(demo_db)) == []:
                undetected.append((path.name, position))
        path.write_bytes(original)
    assert undetected == []
    assert check_database(Database(demo_db)) == []


def test_a_damaged_file_gives_a_clear_error_on_ordinary_commands(demo_db):
    db = Database(demo_db)
    [partition] = [p for p in db.partition_files() if b'"minutes":' in p.read_bytes()][:1]
    partition.write_bytes(partition.read_bytes().replace(b'"minutes":', b'"minuteZ":', 1))
    for command in (["meetings"], ["export", "json"], ["export", "ics"]):
        result = run_cli(*command, "--db", str(demo_db))
        assert result.returncode == 1, out(result)
        assert "unexpected error" not in out(result) and "Traceback" not in out(result)
        assert partition.name in out(result) and "checksum" in out(result)


def test_a_damaged_index_year_file_is_rebuilt_from_its_partitions(demo_db):
    """The index is derived data: a year's file that fails its checksum is made again from that
    year's partitions when the database is opened (check names it until then)."""
    expected = [m["id"] for m in orjson.loads(run_cli("meetings", "--json", "--db", str(demo_db)).stdout)["meetings"]]
    index = demo_db.parent / "db.json.d" / "index" / "2026.json"
    good = index.read_bytes()
    index.write_bytes(good.replace(b'"minutes":', b'"minuteZ":', 1))
    assert any("2026.json" in p and "checksum" in p for p in check_database(Database(demo_db)))
    result = run_cli("meetings", "--json", "--db", str(demo_db))
    assert result.returncode == 0, out(result)
    assert [m["id"] for m in orjson.loads(result.stdout)["meetings"]] == expected
    assert orjson.loads(index.read_bytes())["meetings"] == orjson.loads(good)["meetings"]  # written back whole
    assert run_cli("check", "--db", str(demo_db)).returncode == 0


def test_a_reader_that_cannot_take_the_lock_rebuilds_a_damaged_year_in_memory(demo_db, monkeypatch):
    expected = dict(open_secretary(demo_db).store.meetings.rows())
    index = demo_db.parent / "db.json.d" / "index" / "2026.json"
    before = index.read_bytes().replace(b'"minutes":', b'"minuteZ":', 1)
    index.write_bytes(before)
    monkeypatch.setattr(Database, "_try_lock", lambda self: False)  # as when another process is writing
    fresh = open_secretary(demo_db)
    assert fresh.store.meetings.rows() == expected
    assert index.read_bytes() == before  # a reader writes nothing


def test_a_deleted_index_is_rebuilt_from_the_partitions(demo_db):
    expected = [m.id for m in open_secretary(demo_db).records.meetings()]
    year = demo_db.parent / "db.json.d" / "index" / "2026.json"
    year.unlink()
    assert any("2026.json: missing" in p for p in check_database(Database(demo_db)))
    result = run_cli("meetings", "--json", "--db", str(demo_db))
    assert result.returncode == 0, out(result)
    assert [m["id"] for m in orjson.loads(result.stdout)["meetings"]] == expected
    assert year.exists()  # written back on open
    assert run_cli("check", "--db", str(demo_db)).returncode == 0
    shutil.rmtree(year.parent)  # the whole index: every year made again from the partitions
    result = run_cli("meetings", "--json", "--db", str(demo_db))
    assert [m["id"] for m in orjson.loads(result.stdout)["meetings"]] == expected
    assert year.exists() and run_cli("check", "--db", str(demo_db)).returncode == 0


def _manifest(demo_db: Path) -> Path:
    return demo_db.parent / "db.json.d" / "journal" / "manifest.json"


def _rewrite_manifest(path: Path, change) -> None:
    data = orjson.loads(path.read_bytes())
    entries = data if isinstance(data, list) else data["entries"]
    change(entries)
    if isinstance(data, list):
        path.write_bytes(orjson.dumps(entries))
    else:
        from store.storage import encode

        path.write_bytes(encode({"entries": entries}))


@pytest.mark.parametrize("damage", ["truncated manifest", "data file missing", "data file torn", "target outside"])
def test_a_damaged_journal_is_never_replayed_and_is_named(demo_db, tmp_path, monkeypatch, damage):
    secretary = open_secretary(demo_db)
    secretary.data.import_bytes(b'{"format": "secretary/1", "organisations": []}')  # today's backup
    interrupt_after_commit_point(monkeypatch, open_secretary(demo_db))
    manifest = _manifest(demo_db)
    journal = manifest.parent
    outside = tmp_path / "outside.json"
    if damage == "truncated manifest":
        manifest.write_bytes(manifest.read_bytes()[:40])
    elif damage == "data file missing":
        sorted(journal.glob("*.data"))[-1].unlink()
    elif damage == "data file torn":
        data = sorted(journal.glob("*.data"))[-1]
        data.write_bytes(data.read_bytes()[:-30])
    else:
        relative = os.path.relpath(outside, demo_db.parent)
        _rewrite_manifest(manifest, lambda entries: entries[0].update(target=relative))
    source = tmp_path / "one.json"
    source.write_bytes(MOVE)
    before = {name: data for name, data in db_files(demo_db).items() if "journal" not in name}
    for command in (["meetings"], ["import", str(source)]):
        result = run_cli(*command, "--db", str(demo_db))
        assert result.returncode == 1, out(result)
        assert "unexpected error" not in out(result) and "Traceback" not in out(result)
        assert "journal" in out(result) and "secretary restore" in out(result), out(result)
    checked = run_cli("check", "--db", str(demo_db))
    assert checked.returncode == 1 and "journal" in out(checked), out(checked)
    assert not outside.exists()
    assert {name: data for name, data in db_files(demo_db).items() if "journal" not in name} == before
    restored = run_cli("restore", "--db", str(demo_db))
    assert restored.returncode == 0, out(restored)
    assert run_cli("check", "--db", str(demo_db)).returncode == 0


# -- 6: links and odd files -----------------------------------------------------------------

def _first_write_of_the_day(demo_db):
    return open_secretary(demo_db).data.import_bytes(MOVE)


def test_a_linked_backups_folder_is_refused_and_its_target_untouched(demo_db, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in ("2001-01-01", "2001-01-02", "keep-me"):
        (elsewhere / name).mkdir()
    shutil.rmtree(demo_db.parent / "db.json.backups", ignore_errors=True)
    (demo_db.parent / "db.json.backups").symlink_to(elsewhere)
    result = run_cli("import", "/dev/stdin", "--db", str(demo_db), input=MOVE)
    assert result.returncode == 1 and "symbolic link" in out(result), out(result)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["2001-01-01", "2001-01-02", "keep-me"]


def test_a_linked_journal_folder_is_refused_and_its_target_untouched(demo_db, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("mine")
    journal = demo_db.parent / "db.json.d" / "journal"
    shutil.rmtree(journal, ignore_errors=True)
    journal.symlink_to(elsewhere)
    for command in (["meetings"], ["check"]):
        result = run_cli(*command, "--db", str(demo_db))
        assert result.returncode == 1 and "symbolic link" in out(result), out(result)
        assert "unexpected error" not in out(result)
    assert (elsewhere / "precious.txt").read_text() == "mine"


def test_a_linked_lock_owner_file_does_not_overwrite_its_target(demo_db, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("mine")
    owner = demo_db.parent / "db.json.lock.owner"
    owner.unlink(missing_ok=True)
    owner.symlink_to(target)
    result = run_cli("import", "/dev/stdin", "--db", str(demo_db), input=MOVE)
    assert "unexpected error" not in out(result)
    assert target.read_text() == "mine"


def test_a_folder_where_a_file_is_expected_is_a_clear_error(demo_db):
    index = demo_db.parent / "db.json.d" / "index" / "2026.json"
    index.unlink()
    index.mkdir()
    for command in (["meetings"], ["check"]):
        result = run_cli(*command, "--db", str(demo_db))
        assert result.returncode == 1, out(result)
        assert "unexpected error" not in out(result) and "2026.json" in out(result), out(result)


# -- 7: a read-only folder ------------------------------------------------------------------

@pytest.fixture
def mounted(tmp_path):
    """A small tmpfs of our own (root in a container can mount one); skipped where it cannot."""
    point = tmp_path / "mnt"
    point.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(point)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_read_only_folder_is_opened_read_only_with_a_notice(demo_db, mounted):
    db = mounted / "db.json"
    for item in demo_db.parent.iterdir():
        if item.name.startswith("db.json") and not item.name.endswith((".lock", ".owner")):
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, mounted / item.name)
    subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)
    listing = run_cli("meetings", "--db", str(db))
    assert listing.returncode == 0, out(listing)
    assert "read-only" in listing.stderr.decode()
    assert run_cli("export", "json", "--db", str(db)).returncode == 0
    assert run_cli("check", "--db", str(db)).returncode == 0, out(run_cli("check", "--db", str(db)))
    imported = run_cli("import", "/dev/stdin", "--db", str(db), input=MOVE)
    assert imported.returncode == 1 and "read-only" in out(imported), out(imported)
    assert "unexpected error" not in out(imported)
    opened = Database.open(db)
    assert opened.read_only and "read-only" in opened.read_only_message
    with pytest.raises(StoreWriteFailed, match="read-only"):
        Secretary(TinyStore(opened), PrivateFiles()).data.import_bytes(MOVE)


# -- 8: a full disk after the commit point --------------------------------------------------

def test_a_full_disk_at_any_write_of_a_commit_tells_the_truth(demo_db, tmp_path):
    open_secretary(demo_db).data.import_bytes(b'{"format": "secretary/1", "organisations": []}')  # today's backup
    template = tmp_path / "template"
    shutil.copytree(demo_db.parent, template)
    case = tmp_path / "case" / demo_db.name
    outcomes = {"refused": 0, "done": 0}
    for failing_write in range(1, 200):
        shutil.rmtree(case.parent, ignore_errors=True)
        shutil.copytree(template, case.parent)
        secretary = open_secretary(case)
        secretary.records.meetings()
        before = db_files(case)
        real, calls = os.write, {"n": 0}

        def write(fd, data, real=real, calls=calls, failing_write=failing_write):
            calls["n"] += 1
            if calls["n"] == failing_write:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(fd, data)

        os.write = write
        try:
            secretary.data.import_bytes(MOVE)
            outcome = "done"
        except StoreWriteFailed as exc:
            outcome = "refused"
            message = str(exc)
        finally:
            os.write = real
        journal = case.parent / "db.json.d" / "journal"
        if outcome == "refused":
            assert "nothing was changed" in message, message
            assert list(journal.glob("*")) == [] if journal.exists() else True, list(journal.glob("*"))
            assert db_files(case) == before, f"write {failing_write}: {message}"
            assert open_secretary(case).store.meetings.get("r2-m") is None, f"write {failing_write}: the refused import came back"
        else:
            assert open_secretary(case).records.meeting("r2-m").start.year == 2031
        outcomes[outcome] += 1
        if calls["n"] < failing_write:  # the commit needed fewer writes: every one has failed once
            break
    assert outcomes["refused"] > 3 and outcomes["done"] >= 1, outcomes


# -- 10: private whatever the umask ---------------------------------------------------------

def test_folders_files_and_the_log_are_private_under_umask_000(tmp_path, monkeypatch):
    from secretary.cli.entry import _log_exception
    from secretary.domain.presets import load_preset
    from secretary.services.paths import log_path

    old = os.umask(0)
    try:
        db = tmp_path / "new" / "deeper" / "db.json"
        create_database(db, load_preset("empty"))
        try:
            raise RuntimeError("for the log")
        except RuntimeError:
            where = _log_exception()
    finally:
        os.umask(old)
    modes = {p: p.stat().st_mode & 0o777 for p in [db.parent, db.parent.parent, *db.parent.rglob("*")] if not p.is_symlink()}
    loose = {str(p): oct(m) for p, m in modes.items() if m & 0o077}
    assert loose == {}
    log = log_path()
    assert where == str(log)
    assert log.stat().st_mode & 0o777 == 0o600 and log.parent.stat().st_mode & 0o777 == 0o700


# -- 11: tokens that come back ----------------------------------------------------------------

def test_a_revoked_token_stays_revoked_after_restore_and_init_force(demo_db):
    secretary = open_secretary(demo_db)
    person = secretary.records.people()[0].id
    token = secretary.feeds.issue_feed_token(person)
    snapshot(secretary.store.db, "1999-01-01")  # a backup that holds the token
    secretary.feeds.revoke_feed_token(person)
    assert TinyStore(Database(demo_db)).backups.restore("1999-01-01") == "1999-01-01"
    assert open_secretary(demo_db).feeds.person_for_token(token) is None
    assert open_secretary(demo_db).feeds.feed_token(person) is None

    fresh = open_secretary(demo_db).feeds.issue_feed_token(person)
    assert open_secretary(demo_db).feeds.person_for_token(fresh).id == person
    result = run_cli("init", "--preset", "midtjylland", "--force", "--db", str(demo_db))
    assert result.returncode == 0, out(result)
    assert open_secretary(demo_db).feeds.person_for_token(fresh) is None
    assert token not in (demo_db.parent / "db.json.d" / "revoked.json").read_text()  # hashes only

