"""Daily snapshots of the database and a restore that puts one back.

A snapshot copies the current files. (Hard links were used before: free, but a
link shares the inode, so anything that damaged the live file in place — a
truncation, an editor that writes through links — damaged the backup with it.)
A state whose files do not decode is never snapshotted by the daily backup, so
the newest backup is always one that can be restored.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from secretary.domain.errors import NotFound, StoreDamaged, StoreWriteFailed
from secretary.i18n import _
from store.files import DIR_MODE, FILE_MODE, describe_os_error, ensure_dir, fsync_dir, not_a_link, read_bytes

if TYPE_CHECKING:
    from store.handle import DatabaseHandle as Database

DEFAULT_KEEP = 7


def keep_count() -> int:
    try:
        return max(1, int(os.environ.get("SECRETARY_BACKUPS", DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def database_files(db: Database) -> list[Path]:
    files = [db.path, *db.index_files(), db.legacy_index, *db.partition_files()]
    return [path for path in files if path.exists()]


def readable_state(db: Database) -> dict[Path, bytes] | None:
    """Every database file's bytes, or None when one of them does not decode (damaged)."""
    from store.storage import SCHEMA_VERSION, schema_version, seal_problem

    state = {}
    for source in database_files(db):
        data = read_bytes(source)
        if data is None:
            continue
        try:
            decoded = orjson.loads(data)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(decoded, dict) or schema_version(decoded) not in (0, SCHEMA_VERSION):
            return None
        if schema_version(decoded) == SCHEMA_VERSION and seal_problem(data) is not None:
            return None
        state[source] = data
    return state


def snapshot(db: Database, name: str, state: Mapping[Path, bytes | None] | None = None) -> Path:
    """Copy the current state into backups/<name>: private copies, never links to live files."""
    if state is None:
        state = {source: read_bytes(source) for source in database_files(db)}
    target = db.backup_root / name
    not_a_link(db.backup_root)  # a linked backups folder would get the snapshot wherever it points
    ensure_dir(db.backup_root)
    os.chmod(db.backup_root, DIR_MODE)
    work = db.backup_root / f".{name}.partial"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(mode=DIR_MODE)
    for source, data in state.items():
        if data is None:
            continue
        relative = source.relative_to(db.path.parent)
        destination = work / relative
        ensure_dir(destination.parent)  # each level private (mkdir(parents=True) ignores the mode)
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
    if target.exists():
        shutil.rmtree(target)
    os.replace(work, target)
    fsync_dir(db.backup_root)
    return target


def daily_backup(db: Database, today: dt.date | None = None) -> Path | None:
    """Before the first write of a day, keep what the database was; prune to the newest N."""
    if not db.exists():
        return None
    name = (today or dt.date.today()).isoformat()
    if (db.backup_root / name).exists():
        return None
    state = readable_state(db)
    if state is None:
        return None  # never let a damaged state become the newest backup; the older ones stay
    try:
        made = snapshot(db, name, state)
    except OSError as exc:  # disk full or no permission: say so before anything is written
        shutil.rmtree(db.backup_root / f".{name}.partial", ignore_errors=True)
        raise StoreWriteFailed(describe_os_error(db.backup_root / name, exc)) from None
    for old in list_backups(db)[keep_count():]:
        shutil.rmtree(db.backup_root / old, ignore_errors=True)
    return made


def list_backups(db: Database) -> list[str]:
    """Backup names, newest first."""
    not_a_link(db.backup_root)  # pruning a linked folder would delete what is wherever it points
    if not db.backup_root.exists():
        return []
    names = [
        entry.name for entry in os.scandir(db.backup_root)
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")
    ]
    return sorted(names, reverse=True)


def restore_hint(db: Database) -> str:
    backups = list_backups(db)
    if not backups:
        return "Nothing was written. There is no backup yet; `secretary check` lists the problems"
    return (
        f"Nothing was written. The newest backup is {db.backup_root / backups[0]}; "
        f"restore it with: secretary restore {backups[0]} --db {db.path}"
    )


def restore(db: Database, name: str | None = None) -> str:
    """Make the database what backup `name` (default: the newest) holds, in one commit."""
    backups = list_backups(db)
    if not backups:
        raise NotFound(_("there are no backups of {path}").format(path=db.path))
    name = name or backups[0]
    if name not in backups:
        raise NotFound(_("no backup named {name!r}; there are: {backups}").format(name=name, backups=', '.join(backups)))
    source_root = db.backup_root / name
    wanted: dict[Path, bytes] = {}
    for path in sorted(source_root.rglob("*.json")) + [source_root / db.path.name]:
        if path.is_symlink() or not path.is_file():
            continue
        target = db.path.parent / path.relative_to(source_root)
        if not db.is_own_file(target) or target.name == "revoked.json":
            continue  # revocations are never restored away
        data = read_bytes(path)
        problem = _backup_problem(path, data)
        if problem or data is None:
            raise StoreDamaged(_("backup {name} cannot be restored: {path}: {value}; nothing was changed").format(
                                   name=name, path=path, value=problem or 'unreadable',
                               ))
        wanted[target] = data
    if db.path not in wanted:
        raise StoreDamaged(_("backup {name} cannot be restored: it holds no {path}; nothing was changed").format(
                               name=name, path=db.path.name,
                           ))
    if db.read_only:
        raise StoreWriteFailed(_("{why}; nothing was changed").format(why=db.read_only_message))
    db.lock.acquire()
    try:
        try:
            db.journal.recover()
        except StoreDamaged:
            db.journal.discard()  # every file is replaced below: a damaged commit's files go too
        writes = list(wanted.items())
        for target, _data in writes:
            ensure_dir(target.parent)
        stale = [path for path in database_files(db) if path not in wanted]
        # One commit: the files the backup has, and the removal of those it does not have, so a
        # restore killed at any point is finished (or not started) by the next open.
        with db.thread_lock:
            marker_path, marker, state = db.changes.next(["*"])  # readers start again from the data
            db.journal.commit(writes, deletes=stale, marker=(marker_path, marker))
            db.changes.committed(state)
            db._committed = ["*"]
            for storage in list(db._storages.values()):
                storage.forget()
    finally:
        db.lock.release()
    db._notify()
    return name


def _backup_problem(path: Path, data: bytes | None) -> str | None:
    from store.storage import SCHEMA_VERSION, schema_version, seal_problem

    if data is None:
        return "missing"
    try:
        decoded = orjson.loads(data)
    except orjson.JSONDecodeError:
        return "not valid JSON"
    if not isinstance(decoded, dict):
        return "does not hold a database object"
    version = schema_version(decoded)
    if version == SCHEMA_VERSION:
        return seal_problem(data)
    return None if version == 0 else f"schema version {version}"
