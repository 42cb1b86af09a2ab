"""The database: a registry file, a meeting index and one partition per body and year.

On disk, for `--db PATH`:

    PATH                                  organisations, bodies, people, memberships, milestones
    PATH.d/index/<year>.json              where each meeting of that year lives, with its schedule
                                          (the start screen's and lists' row of each meeting)
    PATH.d/index/summary.json             per year: open actions kept? which minutes states?
    PATH.d/meetings/<body>/<year>.json    the meetings of one body in one year, with their items
    PATH.d/journal/                       transient: a commit that spans several files
    PATH.d/revoked.json                   hashes of revoked feed tokens (never restored away)
    PATH.d/changes.json                   the change log: a counter and what the last commits wrote
    PATH.d/search/                        derived data of readers (the search index); never backed up
    PATH.lock, PATH.lock.owner            the write lock and who holds it
    PATH.backups/<YYYY-MM-DD>/            daily snapshots (see store.backups)

An edit rewrites only its partition (and, when its index row changes, its year's index file),
so its cost does not grow with the number of years kept. Databases written before the index was
split (one PATH.d/index.json) are split when first opened for writing (store.migrations).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tinydb import TinyDB

from secretary.domain.errors import NotFound, SecretaryError, StoreBusy, StoreDamaged, StoreWriteFailed
from secretary.i18n import _
from store.changes import NAME as CHANGES
from store.changes import ChangeLog
from store.files import ensure_dir, ensure_own_dir, not_a_link, remove_stale_temporaries
from store.journal import Journal
from store.lock import ReadersLock, ReadOnlyFolder, WriteLock, lock_timeout
from store.repositories import REVOKED
from store.storage import DurableStorage, KeyedTinyDB

_read_session: ExitStack | None = None


@contextmanager
def read_session() -> Iterator[None]:
    """Every database opened inside reads one commit's state until the end (`Database.reading`):
    for one-shot commands that only read (listings, exports)."""
    global _read_session
    with ExitStack() as stack:
        _read_session = stack
        try:
            yield
        finally:
            _read_session = None


FULL_REFRESH_EVERY = 30.0  # seconds: see Database.refresh

_PARTITION = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}/[0-9]{4}\.json$")
_INDEX_YEAR = re.compile(r"^[0-9]{4}\.json$")
INDEX_DIR = "index"  # PATH.d/index/<year>.json
INDEX_SUMMARY = "summary.json"  # PATH.d/index/summary.json: which years have open actions, minutes states
LEGACY_INDEX = "index.json"  # the whole index in one file, as written before it was split per year


class Database:
    """Opens files lazily, hands out TinyDB handles, and runs write transactions."""

    def __init__(self, path: Path | str):
        self.path = Path(path).absolute()
        self.root = self.path.with_name(self.path.name + ".d")
        self.partitions = self.root / "meetings"
        self.index_dir = self.root / INDEX_DIR
        self.legacy_index = self.root / LEGACY_INDEX
        self.index_summary = self.index_dir / INDEX_SUMMARY
        self.listing_epoch = 0  # bumped when a refresh looks at the disk again: folders are listed anew
        self.backup_root = self.path.with_name(self.path.name + ".backups")
        self.lock = WriteLock(self.path.with_name(self.path.name + ".lock"))
        self.readers = ReadersLock(self.root)
        self.journal = Journal(self.root / "journal", self.path.parent, allowed=self.is_own_file, guard=self._replacing)
        self._read_only_reason: str | None = None
        self._storages: dict[Path, DurableStorage] = {}
        self._handles: dict[Path, TinyDB] = {}
        self._dirty: list[DurableStorage] = []
        self._depth = 0
        self.transaction_number = 0
        self._thread_lock = threading.RLock()
        self.changes = ChangeLog(self.root, self.path)
        self._changes_seen: tuple[int, int, int] | None = None  # the change log's stamp at the last refresh
        self._changes_seen_number = -1  # and its counter
        self._full_refresh_at = 0.0
        self._listeners: list = []  # called with the Changes of each commit of this process
        self._committed: list[str] = []

        from store.repositories import Repositories  # repositories need the class defined above

        self.repos = Repositories(self)

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, must_exist: bool = True) -> Database:
        db = cls(path)
        if must_exist and not db.exists():
            raise NotFound(_("no database at {path}; create one with: secretary init --db {path}").format(path=db.path))
        if not must_exist and not db.path.parent.exists():
            ensure_dir(db.path.parent)  # the database's own folder: private whatever the umask
        db.tidy()
        if _read_session is not None:
            _read_session.enter_context(db.reading())
        return db

    def exists(self) -> bool:
        return self.path.exists()

    def is_own_file(self, path: Path) -> bool:
        """True for the files a commit may replace: the registry, the index, the revocations, a partition."""
        path = Path(path)
        if path == self.path:
            return True
        try:
            relative = path.relative_to(self.root).as_posix()
        except ValueError:
            return False
        if relative in (LEGACY_INDEX, REVOKED, CHANGES):
            return True
        if relative.startswith(INDEX_DIR + "/"):
            name = relative.removeprefix(INDEX_DIR + "/")
            return name == INDEX_SUMMARY or bool(_INDEX_YEAR.match(name))
        return relative.startswith("meetings/") and bool(_PARTITION.match(relative.removeprefix("meetings/")))

    def guard_links(self) -> None:
        """Refuse symbolic links (and files of the wrong kind) where the store keeps its own folders
        and files: it never follows one out of the database folder (StoreDamaged names it)."""
        for folder in (self.root, self.partitions, self.index_dir, self.journal.directory, self.backup_root):
            not_a_link(folder)
        for own in (self.lock.path, self.lock.owner_path, self.legacy_index, self.root / REVOKED, self.root / CHANGES):
            not_a_link(own, "file")
        if self.partitions.is_dir():
            for body in os.scandir(self.partitions):
                not_a_link(Path(body.path))

    # -- read-only ----------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when the database folder cannot be written (a read-only mount, an archive):
        reading works, every write is refused with `read_only_message`."""
        if self._read_only_reason is None and self.path.parent.exists():
            if not os.access(self.path.parent, os.W_OK) or (self.exists() and not os.access(self.path, os.W_OK)):
                self._read_only_reason = "the folder or the file is not writable"
        return self._read_only_reason is not None

    @property
    def read_only_message(self) -> str:
        return (
            f"{self.path} is opened read-only ({self._read_only_reason or 'not writable'}): "
            "you can read and export, but nothing can be saved"
        )

    def _try_lock(self) -> bool:
        """Take the write lock if nobody holds it; False when busy or when the folder is read-only."""
        if self.read_only:
            return False
        try:
            return self.lock.try_acquire()
        except ReadOnlyFolder as exc:
            self._read_only_reason = f"the lock file cannot be created: {exc}"
            return False

    def tidy(self) -> None:
        """Finish or drop an interrupted commit and remove a killed writer's temporary files.

        Done only when no other process is writing; otherwise that writer does it.
        """
        if not self.path.parent.exists():
            return
        self.guard_links()
        if not self._try_lock():
            if self.read_only and self.journal.pending():
                raise StoreDamaged(
                    _("{directory}: an interrupted commit waits to be finished, and the folder is read-only, so "
                      "it cannot be: copy the database to a writable folder and open it there").format(
                        directory=self.journal.directory,
                    )
                )
            return
        try:
            from store.migrations import migrate, rebuild_missing_index, seal_old_files, split_index, upgrade_index

            self._finish_interrupted()
            migrate(self)
            seal_old_files(self)
            split_index(self)
            upgrade_index(self)
            rebuild_missing_index(self)
        finally:
            self.lock.release()

    def finish_interrupted(self) -> list[str]:
        """What `secretary check` does first: finish (or drop) an interrupted commit and remove a
        killed writer's temporary files, when no other process is writing; what was done, in words."""
        if not self.path.parent.exists():
            return []
        self.guard_links()
        if not self._try_lock():
            if self.journal.pending():
                why = "the folder is read-only" if self.read_only else "another secretary process is writing"
                return [f"{self.journal.directory}: an interrupted commit waits to be finished ({why}); "
                        "the state is judged as it is on disk"]
            return []
        try:
            return self._finish_interrupted()
        finally:
            self.lock.release()

    def _finish_interrupted(self) -> list[str]:
        notes = []
        try:
            if self.journal.recover():
                notes.append(_("{directory}: finished a commit that had been interrupted").format(
                                 directory=self.journal.directory,
                             ))
        except StoreDamaged as exc:
            raise self._journal_damaged(exc) from None
        removed = remove_stale_temporaries(self.root)
        for leftover in self.path.parent.glob(f"{self.path.name}.*tmp-*"):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
        if removed:
            notes.append(_("removed {count} temporary file(s) left by an interrupted save").format(count=len(removed)))
        for storage in list(self._storages.values()):
            if notes and not storage.dirty:
                storage.forget()
        return notes

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

    def index_path(self, year: int) -> Path:
        return self.index_dir / f"{year:04d}.json"

    def index_years(self) -> list[int]:
        """The years that have an index file on disk (one listing of PATH.d/index/)."""
        try:
            entries = os.scandir(self.index_dir)
        except (FileNotFoundError, NotADirectoryError):
            return []
        with entries:
            return sorted(int(entry.name[:4]) for entry in entries if _INDEX_YEAR.match(entry.name))

    def index_files(self) -> list[Path]:
        """The year files of the index and its summary, as far as they exist."""
        files = [self.index_path(year) for year in self.index_years()]
        return [*files, self.index_summary] if files and self.index_summary.exists() else files

    def partition_path(self, body: str, year: int) -> Path:
        return self.partitions / body / f"{year:04d}.json"

    def partition_files(self) -> list[Path]:
        if not self.partitions.exists():
            return []
        return sorted(self.partitions.glob("*/*.json"))

    def partition_years(self) -> set[int]:
        """The years that have a partition file (a listing of each body's folder, no file read)."""
        years: set[int] = set()
        try:
            bodies = os.scandir(self.partitions)
        except (FileNotFoundError, NotADirectoryError):
            return years
        with bodies:
            for body in bodies:
                if not body.is_dir(follow_symlinks=False):
                    continue
                with os.scandir(body.path) as files:
                    years.update(int(entry.name[:4]) for entry in files if _INDEX_YEAR.match(entry.name))
        return years

    @property
    def thread_lock(self) -> threading.RLock:
        """Held by every transaction; the port's adapter holds it for each read (store.tinydb_store)."""
        return self._thread_lock

    # -- reading what others wrote -------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Database]:
        """Read one commit's state: inside, no other process replaces a file of this database.

        A process that keeps what it read (the server, the TUI) calls `refresh()` first thing
        inside, so that what it kept and what it reads now are one state; an interrupted commit
        is finished first (or, when another process is writing, waited for). A writer waits
        for readers only while it replaces its files, so keep what is inside short (one feed,
        one listing). Nested and inside a transaction it adds nothing.
        """
        with self._thread_lock:
            if self._depth or self.readers._shared:
                self.readers.acquire_shared(0)
                try:
                    yield self
                finally:
                    self.readers.release_shared()
                return
            deadline = time.monotonic() + lock_timeout()
            while True:
                self.readers.acquire_shared(max(0.0, deadline - time.monotonic()))
                if not self.journal.pending():
                    break
                self.readers.release_shared()
                if self._try_lock():
                    try:
                        self._finish_interrupted()
                    finally:
                        self.lock.release()
                elif self.read_only:
                    raise StoreDamaged(
                        _("{directory}: an interrupted commit waits to be finished, and the folder is read-only, so "
                          "it cannot be: copy the database to a writable folder and open it there").format(
                            directory=self.journal.directory,
                        )
                    )
                elif time.monotonic() > deadline:
                    raise StoreBusy(_("{path}: another secretary process is finishing a commit; try again shortly").format(
                                        path=self.path,
                                    ))
                else:
                    time.sleep(0.02)
            try:
                yield self
            finally:
                self.readers.release_shared()

    @contextmanager
    def _replacing(self) -> Iterator[None]:
        """Held by a commit while it replaces files: readers inside `reading()` wait."""
        self.readers.acquire_exclusive(lock_timeout())
        try:
            yield
        finally:
            self.readers.release_exclusive()

    def refresh(self) -> bool:
        """Forget the files another process has replaced; True when anything changed.

        Every commit rewrites the change log (store.changes), so while that one file is unchanged
        nothing else is stat-ed; every FULL_REFRESH_EVERY seconds the files are looked at all the
        same (a file changed by hand, or by an older version that kept no change log)."""
        with self._thread_lock:
            seen = self.changes.stamp()
            now = time.monotonic()
            if seen is not None and seen == self._changes_seen and now - self._full_refresh_at < FULL_REFRESH_EVERY:
                return False
            self._changes_seen, self._full_refresh_at = seen, now
            self.listing_epoch += 1  # another process may have added a year's index file
            self._changes_seen_number = self.changes.state()["number"] if seen is not None else -1
            return self._refresh_all()

    def _refresh_all(self) -> bool:
        changed = False
        with self._thread_lock:
            # A copy: a TUI worker may open another file's storage meanwhile (found by the year view).
            for storage in list(self._storages.values()):
                if not storage.dirty and storage.changed_on_disk():
                    storage.forget()
                    changed = True
            if self.repos.meetings.index_listing_changed():
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
            if self.read_only:
                raise StoreWriteFailed(_("{why}; nothing was changed").format(
                                           why=self.read_only_message,
                                       ))
            reading = self.readers.suspend_shared()  # a reader that writes: no wait on itself
            try:
                self.lock.acquire()
            except ReadOnlyFolder as exc:
                self.readers.resume_shared(reading)
                self._read_only_reason = f"the lock file cannot be created: {exc}"
                raise StoreWriteFailed(_("{why}; nothing was changed").format(
                                           why=self.read_only_message,
                                       )) from None
            except BaseException:
                self.readers.resume_shared(reading)
                raise
            self._depth = 1
            self.transaction_number += 1
            try:
                try:
                    recovered = self.journal.recover()
                except StoreDamaged as exc:
                    raise self._journal_damaged(exc) from None
                if recovered:
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
                self.readers.resume_shared(reading)
            self._notify()

    def initialise(self) -> None:
        """Write the empty files of a new database (within a transaction)."""
        self.require_transaction()
        if self.registry.storage.read() is None:
            self.registry.storage.write({})

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
        ensure_own_dir(self.root, self.path.parent)
        for storage in self._dirty:
            ensure_own_dir(storage.path.parent, self.path.parent)
        names = self.changes.entry_for([storage.path for storage in self._dirty])
        marker_path, marker, state = self.changes.next(names)
        self.journal.commit([(storage.path, storage.encoded()) for storage in self._dirty], marker=(marker_path, marker))
        self.changes.committed(state)
        if self._changes_seen is not None and self._changes_seen_number == state["number"] - 1:
            # Nobody else committed since our last refresh: our own commit leaves it nothing to find.
            self._changes_seen, self._changes_seen_number = self.changes.stamp(), state["number"]
        self._committed = names
        for storage in self._dirty:
            storage.committed()
            if self.partitions in storage.path.parents:
                storage.release()  # the repository keeps the validated meetings

    # -- after a commit ----------------------------------------------------------------

    def add_listener(self, listener) -> None:
        """`listener(changes)` after each commit of this process, outside the lock; what it
        raises is logged and dropped: a reader's derived data can never fail a save."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def _notify(self) -> None:
        names, self._committed = self._committed, []
        if not names or not self._listeners:
            return
        changes = self.changes.describe(names)
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:  # noqa: BLE001 - derived data must not fail a commit that is done
                logging.getLogger("store").exception("a listener failed after a commit; its data is marked stale")

    def derived_folder(self, name: str) -> Path | None:
        """PATH.d/<name>/ for data derived from the store (the search index), created private;
        None when the database folder cannot be written."""
        if self.read_only:
            return None
        folder = self.root / name
        try:
            ensure_dir(self.root)
            not_a_link(folder)
            ensure_dir(folder)
        except (OSError, SecretaryError):
            return None
        return folder

    def _journal_damaged(self, exc: StoreDamaged) -> StoreDamaged:
        from store.backups import restore_hint

        return StoreDamaged(f"{exc}. {restore_hint(self)}")

    def damaged(self, path: Path, reason: str) -> StoreDamaged:
        from store.backups import restore_hint

        return StoreDamaged(f"{path}: {reason}. {restore_hint(self)}")
