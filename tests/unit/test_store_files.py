"""Crash-safe files: old-or-new, private modes, disk full and permission denied, distinct versions."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from secretary.cli.bootstrap import open_secretary
from secretary.domain.errors import StoreWriteFailed
from store import files
from store.files import TMP_MARK, atomic_write, stamp
from store.storage import META, SCHEMA_VERSION
from tests.conftest import run_cli


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def snapshot_tree(db):
    """Bytes of every file beside the database (backups included), for byte-identity checks."""
    return {str(p.relative_to(db.parent)): p.read_bytes() for p in sorted(db.parent.rglob("*"))
            if p.is_file() and not p.name.endswith(".owner")}


def temporaries(db):
    return [p for p in db.parent.rglob(f"*{TMP_MARK}*")]


@pytest.mark.parametrize("call", ["write", "fsync", "replace", "open"])
def test_atomic_write_leaves_the_old_file_when_any_step_fails(tmp_path, monkeypatch, call):
    target = tmp_path / "f.json"
    atomic_write(target, b"old")

    def fail(*_a, **_k):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, call, fail)
    with pytest.raises(StoreWriteFailed, match="nothing was changed"):
        atomic_write(target, b"new" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_atomic_write_gives_the_new_content_and_mode_600(tmp_path):
    target = tmp_path / "f.json"
    atomic_write(target, b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o600


def test_a_new_version_never_carries_an_old_versions_stamp(tmp_path):
    """ext4 reuses a freed inode at once and a coarse clock repeats mtimes; mtimes must still rise."""
    target = tmp_path / "f.json"
    atomic_write(target, b"v0")
    future = stamp(target)[2] + 3_600 * 10**9  # the previous writer's clock ran an hour ahead
    os.utime(target, ns=(future, future))
    seen = [stamp(target)]
    for n in range(1, 6):
        atomic_write(target, f"v{n}".encode())  # same size every time
        assert stamp(target)[2] > seen[-1][2]
        assert stamp(target) not in seen
        seen.append(stamp(target))


@pytest.mark.parametrize(
    "call,code,words",
    [("write", errno.ENOSPC, "the disk is full"), ("replace", errno.ENOSPC, "the disk is full"),
     ("write", errno.EACCES, "permission denied"), ("replace", errno.EACCES, "permission denied"),
     ("fsync", errno.EIO, "nothing was changed")],
)
def test_disk_full_or_permission_denied_during_a_save(demo_db, monkeypatch, call, code, words):
    secretary = open_secretary(demo_db)
    secretary.records.meetings()
    secretary.data.import_bytes(b'{"format": "secretary/1", "organisations": []}')  # today's backup exists now
    before = snapshot_tree(demo_db)
    real = getattr(os, call)

    def failing(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, call, failing)
    try:
        with pytest.raises(StoreWriteFailed) as caught:
            # Three files change: registry, a partition, the index (a journal commit).
            secretary.data.import_bytes(
                b'{"format": "secretary/1", "organisations": [{"id": "full", "name": "Full",'
                b' "kind": "other", "country": "DK"}], "meetings": [{"id": "full-m", "body": "dassos",'
                b' "start": "2031-01-02T09:00:00+01:00", "end": "2031-01-02T10:00:00+01:00"}]}'
            )
    finally:
        monkeypatch.setattr(os, call, real)
    assert words in str(caught.value)
    assert str(demo_db.parent) in str(caught.value)
    assert snapshot_tree(demo_db) == before
    assert temporaries(demo_db) == []
    reopened = open_secretary(demo_db)
    assert reopened.store.organisations.get("full") is None
    assert reopened.store.check() == []
    # The same process can save once the disk has room again.
    secretary.data.import_bytes(b'{"format": "secretary/1", "organisations": [{"id": "full", "name": "Full",'
                           b' "kind": "other", "country": "DK"}]}')
    assert open_secretary(demo_db).store.organisations.get("full").name == "Full"


def test_disk_full_while_making_the_daily_backup_is_a_clear_error(demo_db, monkeypatch):
    before = snapshot_tree(demo_db)
    real = os.write

    def failing(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", failing)
    with pytest.raises(StoreWriteFailed, match="the disk is full"):
        open_secretary(demo_db).data.import_bytes(
            b'{"format": "secretary/1", "organisations": [{"id": "x", "name": "X", "kind": "other", "country": "DK"}]}')
    monkeypatch.setattr(os, "write", real)
    assert snapshot_tree(demo_db) == before


def test_cli_reports_disk_full_without_traceback(demo_db, tmp_path):
    """The CLI path: a sitecustomize makes every os.write fail with ENOSPC in the child."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import errno, os\n"
        "def _full(fd, data, _real=os.write):\n"
        "    if fd > 2: raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "    return _real(fd, data)\n"
        "os.write = _full\n"
    )
    source = tmp_path / "one.json"
    source.write_bytes(b'{"format": "secretary/1", "organisations": [{"id": "x", "name": "X", "kind": "other",'
                       b' "country": "DK"}]}')
    before = snapshot_tree(demo_db)
    result = run_cli("import", str(source), "--db", str(demo_db),
                     env={"PYTHONPATH": f"{hook}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"})
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "the disk is full" in err and "Traceback" not in err
    assert snapshot_tree(demo_db) == before


def test_every_database_backup_lock_and_exported_file_is_private(demo_db, tmp_path):
    secretary = open_secretary(demo_db)
    secretary.data.import_bytes(b'{"format": "secretary/1", "organisations": [{"id": "m", "name": "M",'
                           b' "kind": "other", "country": "DK"}]}')  # makes today's backup
    out = tmp_path / "out.json"
    assert run_cli("export", "json", "-o", str(out), "--db", str(demo_db)).returncode == 0
    files_seen = [p for p in demo_db.parent.rglob("*") if p.is_file()]
    kinds = {"backup": False, "lock": False, "partition": False}
    for path in files_seen:
        assert mode(path) == 0o600, path
        kinds["backup"] |= ".backups" in str(path)
        kinds["lock"] |= path.name.endswith(".lock")
        kinds["partition"] |= "meetings" in path.parts
    assert all(kinds.values()), kinds
    for folder in [p for p in demo_db.parent.rglob("*") if p.is_dir()]:
        assert mode(folder) & 0o077 == 0, folder
    assert mode(out) == 0o600


def test_backup_is_a_private_copy_even_of_a_readable_old_file(demo_db):
    os.chmod(demo_db, 0o644)
    open_secretary(demo_db).data.import_bytes(b'{"format": "secretary/1", "organisations": [{"id": "m", "name": "M",'
                                         b' "kind": "other", "country": "DK"}]}')
    backups = [p for p in (demo_db.parent / "db.json.backups").rglob("*") if p.is_file()]
    assert backups
    for path in backups:
        assert mode(path) == 0o600
        assert path.stat().st_nlink == 1  # a copy, not a link that shares the live file's fate


def test_every_file_carries_the_schema_version(demo_db):
    import orjson

    index = sorted((demo_db.parent / "db.json.d" / "index").glob("*.json"))
    assert index and not (demo_db.parent / "db.json.d" / "index.json").exists()  # one file a year, no whole-index file
    for path in [demo_db, *index, *(demo_db.parent / "db.json.d" / "meetings").glob("*/*.json")]:
        assert orjson.loads(path.read_bytes())[META]["schema"] == {"version": SCHEMA_VERSION}, path


def test_describe_os_error_names_the_file(tmp_path):
    text = files.describe_os_error(tmp_path / "x.json", OSError(errno.ENOSPC, "full"))
    assert "x.json" in text and "the disk is full" in text
