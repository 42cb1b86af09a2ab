"""Schema versions and the path from older files to the current layout.

Version 0 is TinyDB's own layout: one JSON file, every table in it (meetings
too), documents under TinyDB's counters "1", "2", … and no `_meta` table.
Version 1 keys documents by their id and moves meetings into partitions.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import orjson

from secretary.domain.errors import StoreDamaged
from secretary.domain.model import COLLECTIONS, Meeting
from secretary.i18n import _
from store.files import FILE_MODE, atomic_write, read_bytes
from store.storage import META, SCHEMA_VERSION, SEAL_START, UNSEALED_START, decode, encode, is_sealed, schema_version, seal_problem

if TYPE_CHECKING:
    from store.handle import DatabaseHandle as Database

REGISTRY_TABLES = [name for name in COLLECTIONS if name != "meetings"]
# How a file of this version begins (its `_meta` table first, as the store writes it).
CURRENT = orjson.dumps({META: {"schema": {"version": SCHEMA_VERSION}}})[:-1] + b","


def migrate(db: Database) -> bool:
    """Bring the registry file to the current version; True when it was migrated."""
    raw = read_bytes(db.path)
    if raw is None:
        return False
    if raw.startswith((SEAL_START, CURRENT)):
        return False  # written by this version: no need to parse it twice on every open
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return False  # a damaged file is reported by whoever reads it, with the restore hint
    if not isinstance(data, dict):
        return False
    version = schema_version(data)
    if version == SCHEMA_VERSION:
        return False
    if version != 0:
        return False  # newer or unknown: reading refuses it with a clear message
    _from_v0(db, data)
    return True


def split_index(db: Database) -> int:
    """Split the one-file meeting index of an older version (PATH.d/index.json) into a file per
    year (PATH.d/index/<year>.json), in one commit, then remove the old file; how many rows.

    Also writes the index when there is none at all while partitions exist (it was lost): the
    rows are rebuilt from the meetings. A crash before the commit leaves the old file, which is
    split again on the next open; after it, the year files are the index and a leftover old file
    is removed here.
    """
    legacy = db.legacy_index
    if db.index_years():
        if legacy.exists():
            _remove(legacy)  # split already; the old file outlived a crash before its removal
        return 0
    if not legacy.exists() and not db.partition_files():
        return 0
    try:
        rows = db.repos.meetings.split_index()
    except StoreDamaged:
        return 0  # a damaged partition is reported, with the restore hint, by whoever reads it
    if legacy.exists() and db.index_years():
        _remove(legacy)
    return rows


def _remove(path) -> None:
    from store.files import fsync_dir

    try:
        path.unlink()
    except FileNotFoundError:
        return
    fsync_dir(path.parent)


def upgrade_index(db: Database) -> int:
    """Rewrite index rows an older version stored without place, minutes state, open actions
    or the life's dates (dispatched, comment deadline, approval, publication, anslag).

    Every open would otherwise parse the whole index (0.27 s at benchmark scale 10, for
    `secretary people` too): a row written by this version has one `"posted_on":` key (its
    last field) for its `"body":` key, and inside a JSON string a quote is escaped, so
    counting the bytes of each year's file decides.
    """
    for path in db.index_files():
        raw = read_bytes(path)
        if raw is not None and raw.count(b'"body":') != raw.count(b'"posted_on":'):
            break
    else:
        return 0
    try:
        return db.repos.meetings.upgrade_index()
    except StoreDamaged:
        return 0  # reported, with the restore hint, by whoever reads the damaged file


def seal_old_files(db: Database) -> int:
    """Give every file written before files carried a checksum its checksum (once: a registry
    that carries one says the database was sealed); how many files were rewritten.

    The content stays the same, so each file is replaced on its own (a reader sees the same state).
    """
    from store.backups import database_files

    raw = read_bytes(db.path)
    if raw is None or not raw.startswith(UNSEALED_START):
        return 0
    sealed = 0
    for path in [*database_files(db)[1:], db.path]:  # the registry last: it marks the database done
        raw = read_bytes(path)
        if raw is None or not raw.startswith(UNSEALED_START):
            continue
        try:
            data = decode(path, raw)
        except StoreDamaged:
            continue  # reported, with the restore hint, by whoever reads it
        atomic_write(path, encode(data))
        db.storage(path).forget()
        sealed += 1
    return sealed


def rebuild_missing_index(db: Database) -> int:
    """Write the index file of a year again from its partitions when it is missing (a year that
    has partitions but no index file) or damaged; how many rows."""
    listed = set(db.index_years())
    if not listed:
        return 0  # no split index: split_index wrote it, or there are no meetings
    missing = db.partition_years() - listed
    damaged = []
    for year in listed:  # the checksum of each year's file: a damaged one is rebuilt, not read
        path = db.index_path(year)
        raw = read_bytes(path)
        if raw is not None and not _readable(path, raw):
            damaged.append(year)
    try:
        if not missing and not damaged:
            if not db.repos.meetings.summary_readable():
                db.repos.meetings.rebuild_summary()  # which years have open actions, minutes states
            return 0
        return db.repos.meetings.rebuild_years([*missing, *damaged])
    except StoreDamaged:
        return 0  # a damaged partition is reported, with the restore hint, by whoever reads it


def _readable(path, raw: bytes) -> bool:
    if is_sealed(raw):
        return seal_problem(raw) is None  # the checksum vouches for the JSON: no need to parse it
    try:
        decode(path, raw)
    except StoreDamaged:
        return False
    return True


def _from_v0(db: Database, data: dict) -> None:
    from pydantic import ValidationError  # only an old file pays for the interchange module

    from secretary.domain.interchange import format_validation_error

    keep = db.path.with_name(db.path.name + ".v0")
    if not keep.exists():
        shutil.copy2(db.path, keep)
        keep.chmod(FILE_MODE)
    if data.get("_default") == {}:
        data.pop("_default")  # TinyDB creates its default table empty; nothing of ours is in it
    unknown = set(data) - set(COLLECTIONS)
    if unknown:
        raise StoreDamaged(_("{path}: version-0 file has unknown tables: {unknown}").format(
                               path=db.path, unknown=', '.join(sorted(unknown)),
                           ))
    meetings = []
    for key, doc in (data.get("meetings") or {}).items():
        try:
            meetings.append(Meeting.model_validate(doc, strict=False))
        except ValidationError as exc:
            problem = format_validation_error(exc, doc)[0]
            raise StoreDamaged(_("{path}: version-0 table 'meetings' document {key!r}: {problem}").format(
                                   path=db.path, key=key, problem=problem,
                               )) from None
    for name in REGISTRY_TABLES:
        for key, doc in (data.get(name) or {}).items():
            if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
                raise StoreDamaged(_("{path}: version-0 table {name!r} document {key!r}: field 'id' is missing").format(
                                       path=db.path, name=name, key=key,
                                   ))
    # The lock is already held by `tidy`; the transaction joins it (the RLock is reentrant).
    with db.transaction():
        registry = db.registry
        registry.storage.write({META: {"schema": {"version": SCHEMA_VERSION}}})
        for name in REGISTRY_TABLES:
            rows = {doc["id"]: doc for doc in (data.get(name) or {}).values()}
            registry.table(name)._update_table(lambda docs, rows=rows: docs.update(rows))
        db.repos.meetings.save_many(meetings)
