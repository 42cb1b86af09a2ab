"""Daily snapshots of the database and a restore that puts one back.

A snapshot hard-links the current files: every save replaces a file with a
new inode, so the linked copy keeps the old content at no cost in space or time.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from secretary.errors import NotFound
from store.files import DIR_MODE, FILE_MODE, ensure_dir, fsync_dir, read_bytes

if TYPE_CHECKING:
    from store.database import Database

DEFAULT_KEEP = 7


def keep_count() -> int:
    try:
        return max(1, int(os.environ.get("SECRETARY_BACKUPS", DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def database_files(db: Database) -> list[Path]:
    files = [db.path, db.root / "index.json", *db.partition_files()]
    return [path for path in files if path.exists()]


def snapshot(db: Database, name: str) -> Path:
    """Copy the current state into backups/<name> (hard links where the disk allows)."""
    target = db.backup_root / name
    ensure_dir(db.backup_root)
    os.chmod(db.backup_root, DIR_MODE)
    work = db.backup_root / f".{name}.partial"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(mode=DIR_MODE)
    for source in database_files(db):
        relative = source.relative_to(db.path.parent)
        destination = work / relative
        destination.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)
            os.chmod(destination, FILE_MODE)
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
    made = snapshot(db, name)
    for old in list_backups(db)[keep_count():]:
        shutil.rmtree(db.backup_root / old, ignore_errors=True)
    return made


def list_backups(db: Database) -> list[str]:
    """Backup names, newest first."""
    if not db.backup_root.exists():
        return []
    names = [p.name for p in db.backup_root.iterdir() if p.is_dir() and not p.name.startswith(".")]
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
        raise NotFound(f"there are no backups of {db.path}")
    name = name or backups[0]
    if name not in backups:
        raise NotFound(f"no backup named {name!r}; there are: {', '.join(backups)}")
    source_root = db.backup_root / name
    db.lock.acquire()
    try:
        db.journal.recover()
        wanted = {
            db.path.parent / path.relative_to(source_root): read_bytes(path)
            for path in sorted(source_root.rglob("*.json")) + [source_root / db.path.name]
            if path.is_file()
        }
        writes = [(target, data) for target, data in wanted.items() if data is not None]
        for target, _ in writes:
            ensure_dir(target.parent)
        stale = [path for path in database_files(db) if path not in wanted]
        # A partition the backup does not have is emptied by replacing it; removing it
        # afterwards keeps the directory equal to the backup.
        db.journal.commit(writes)
        for path in stale:
            path.unlink(missing_ok=True)
    finally:
        db.lock.release()
    return name
