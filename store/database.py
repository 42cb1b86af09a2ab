"""The database: a registry file, a meeting index and one partition per body and year.

On disk, for `--db PATH`:

    PATH                                  organisations, bodies, people, memberships, milestones
    PATH.d/index.json                     where each meeting lives, with its schedule
    PATH.d/meetings/<body>/<year>.json    the meetings of one body in one year, with their items
    PATH.d/journal/                       transient: a commit that spans several files
    PATH.lock, PATH.lock.owner            the write lock and who holds it
    PATH.backups/<YYYY-MM-DD>/            daily snapshots (see store.backups)

An edit rewrites only its partition, so its cost does not grow with the archive.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tinydb import TinyDB

from secretary.domain.errors import NotFound, StoreDamaged
from store.files import ensure_dir, remove_stale_temporaries
from store.journal import Journal
from store.lock import WriteLock
from store.storage import DurableStorage, KeyedTinyDB


class Database:
    """Opens files lazily, hands out TinyDB handles, and runs write transactions."""

    def __init__(self, path: Path | str):
        self.path = Path(path).absolute()
        self.root = self.path.with_name(self.path.name + ".d")
        self.partitions = self.root / "meetings"
        self.backup_root = self.path.with_name(self.path.name + ".backups")
        self.lock = WriteLock(self.path.with_name(self.path.name + ".lock"))
        self.journal = Journal(self.root / "journal", self.path.parent)
        self._storages: dict[Path, DurableStorage] = {}
        self._handles: dict[Path, TinyDB] = {}
        self._dirty: list[DurableStorage] = []
        self._depth = 0
        self.transaction_number = 0
        self._thread_lock = threading.RLock()

        from store.repositories import Repositories  # repositories need the class defined above

        self.repos = Repositories(self)

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, must_exist: bool = True) -> Database:
        db = cls(path)
        if must_exist and not db.exists():
            raise NotFound(f"no database at {db.path}; create one with: secretary init --db {db.path}")
        db.tidy()
        return db

    def exists(self) -> bool:
        return self.path.exists()

    def tidy(self) -> None:
        """Finish or drop an interrupted commit and remove a killed writer's temporary files.

        Done only when no other process is writing; otherwise that writer does it.
        """
        if not self.path.parent.exists() or not self.lock.try_acquire():
            return
        try:
            from store.migrations import migrate, upgrade_index

            self.journal.recover()
            remove_stale_temporaries(self.root)
            for leftover in self.path.parent.glob(f"{self.path.name}.*tmp-*"):
                leftover.unlink(missing_ok=True)
            migrate(self)
            upgrade_index(self)
        finally:
            self.lock.release()

    def handle(self, path: Path) -> TinyDB:
        handle = self._handles.get(path)
        if handle is None:
            storage_holder: list[DurableStorage] = []

            def make_storage(*_args, **_kwargs) -> DurableStorage:
                storage = DurableStorage(path, self)
                storage_holder.append(storage)
                return storage

            handle = KeyedTinyDB(storage=make_storage)
            self._storages[path] = storage_holder[0]
            self._handles[path] = handle
        return handle

    def storage(self, path: Path) -> DurableStorage:
        self.handle(path)
        return self._storages[path]

    @property
    def registry(self) -> TinyDB:
        return self.handle(self.path)

    @property
    def index(self) -> TinyDB:
        return self.handle(self.root / "index.json")

    def partition_path(self, body: str, year: int) -> Path:
        return self.partitions / body / f"{year:04d}.json"

    def partition_files(self) -> list[Path]:
        if not self.partitions.exists():
            return []
        return sorted(self.partitions.glob("*/*.json"))

    @property
    def thread_lock(self) -> threading.RLock:
        """Held by every transaction; the port's adapter holds it for each read (store.tinydb_store)."""
        return self._thread_lock

    # -- reading what others wrote -------------------------------------------

    def refresh(self) -> bool:
        """Forget the files another process has replaced; True when anything changed."""
        changed = False
        with self._thread_lock:
            # A copy: a TUI worker may open another file's storage meanwhile (found by the year view).
            for storage in list(self._storages.values()):
                if not storage.dirty and storage.changed_on_disk():
                    storage.forget()
                    changed = True
        return changed

    def _clear_query_cache(self, path: Path) -> None:
        handle = self._handles.get(path)
        if handle is not None:
            handle.clear_cache()

    # -- writing ------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All the writes inside happen together, under the lock, on fresh data, or not at all."""
        with self._thread_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self.lock.acquire()
            self._depth = 1
            self.transaction_number += 1
            try:
                if self.journal.recover():
                    for storage in list(self._storages.values()):
                        storage.forget()
                # Each file is checked against the disk when the transaction first reads it
                # (DurableStorage.verify): fresh data under the lock, at the cost of the files touched.
                yield self
                self._commit()
            except BaseException:
                for storage in self._dirty:
                    storage.forget()
                raise
            finally:
                self._dirty.clear()
                self._depth = 0
                self.lock.release()

    def initialise(self) -> None:
        """Write the empty files of a new database (within a transaction)."""
        self.require_transaction()
        for handle in (self.registry, self.index):
            if handle.storage.read() is None:
                handle.storage.write({})

    def in_transaction(self) -> bool:
        return self._depth > 0

    def require_transaction(self) -> None:
        if not self._depth:
            raise RuntimeError("a write outside a transaction")

    def mark_dirty(self, storage: DurableStorage) -> None:
        if storage not in self._dirty:
            self._dirty.append(storage)

    def _commit(self) -> None:
        if not self._dirty:
            return
        from store.backups import daily_backup

        daily_backup(self)  # the files on disk still hold the state before this commit
        ensure_dir(self.root)
        for storage in self._dirty:
            ensure_dir(storage.path.parent)
        self.journal.commit([(storage.path, storage.encoded()) for storage in self._dirty])
        for storage in self._dirty:
            storage.committed()
            if self.partitions in storage.path.parents:
                storage.release()  # the repository keeps the validated meetings

    def damaged(self, path: Path, reason: str) -> StoreDamaged:
        from store.backups import restore_hint

        return StoreDamaged(f"{path}: {reason}. {restore_hint(self)}")
