"""The TinyDB backend behind the persistence port (secretary.services.ports.Store).

`TinyStore` is what the composition root hands to the services: the registry
collections and the meetings of one `Database`, its transactions, its change
generations, its backups and its check. Nothing here decides anything; it only
translates between the port's vocabulary and the file store's.
"""

from __future__ import annotations

import builtins
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from secretary.domain.changes import Changes, Generation, Written
from secretary.domain.model import Entity, Meeting
from secretary.domain.rows import MeetingRow
from store.database import Database
from store.files import atomic_write, ensure_dir
from store.repositories import Collection, MeetingRepository

T = TypeVar("T", bound=Entity)


class SharedCollection(Generic[T]):
    """A registry collection that threads can share: each call holds the database's thread lock
    (the one a transaction holds), so a TUI worker never reads a cache a write is changing."""

    def __init__(self, inner: Collection[T], lock: threading.RLock):
        self._inner = inner
        self._lock = lock

    def all(self) -> dict[str, T]:
        with self._lock:
            return self._inner.all()

    def get(self, key: str) -> T | None:
        with self._lock:
            return self._inner.get(key)

    def between(self, field: str, low: dt.date, high: dt.date) -> list[T]:
        with self._lock:
            return self._inner.between(field, low, high)

    def first_between(self, field: str, low: dt.date, high: dt.date, order: tuple[str, ...], count: int) -> tuple[list[T], int]:
        with self._lock:
            return self._inner.first_between(field, low, high, order, count)

    def save(self, obj: T) -> None:
        with self._lock:
            self._inner.save(obj)

    def save_many(self, objects: Iterable[T]) -> None:
        with self._lock:
            self._inner.save_many(objects)

    def delete(self, key: str) -> None:
        with self._lock:
            self._inner.delete(key)

    def last_written(self, key: str) -> Written | None:
        """The file store keeps no writer or time per object: a refusal names the fields instead."""
        return None


class SharedMeetings:
    """The meetings, shared between threads the same way as `SharedCollection`."""

    def __init__(self, inner: MeetingRepository, lock: threading.RLock):
        self._inner = inner
        self._lock = lock

    def rows(self) -> dict[str, MeetingRow]:
        with self._lock:
            return self._inner.rows()

    def rows_where(
        self, first_day: dt.date | None = None, last_day: dt.date | None = None, *,
        open_actions: bool = False, minutes: frozenset[str] | None = None,
    ) -> list[MeetingRow]:
        with self._lock:
            return self._inner.rows_where(first_day, last_day, open_actions=open_actions, minutes=minutes)

    def ids(self, body: str | None = None, year: int | None = None) -> list[str]:
        with self._lock:
            return self._inner.ids(body, year)

    def get(self, key: str) -> Meeting | None:
        with self._lock:
            return self._inner.get(key)

    def many(self, keys: Iterable[str]) -> list[Meeting]:
        with self._lock:
            return self._inner.many(keys)

    def list(self, body: str | None = None, year: int | None = None) -> list[Meeting]:
        with self._lock:
            return self._inner.list(body, year)

    def all(self) -> builtins.list[Meeting]:
        with self._lock:
            return self._inner.all()

    def each(self, body: str | None = None, year: int | None = None) -> Iterator[Meeting]:
        """A year at a time, the lock held while each year is read, not while the caller works."""
        with self._lock:
            years = sorted({row.year for row in self._inner.rows().values() if body in (None, row.body) and year in (None, row.year)})
        for one_year in years:
            yield from self.list(body, one_year)

    def partition_keys(self) -> set[tuple[str, int]]:
        with self._lock:
            return self._inner.partition_keys()

    def generation(self, body: str, year: int) -> int | None:
        with self._lock:
            return self._inner.generation(body, year)

    def documents(self, body: str, year: int) -> tuple[int, dict[str, dict[str, Any]]]:
        with self._lock:
            return self._inner.documents(body, year)

    def save(self, meeting: Meeting) -> None:
        with self._lock:
            self._inner.save(meeting)

    def save_many(self, meetings: Iterable[Meeting]) -> None:
        with self._lock:
            self._inner.save_many(meetings)

    def delete(self, key: str) -> None:
        with self._lock:
            self._inner.delete(key)


class TinyBackups:
    """Daily snapshots beside the database file (PATH.backups/)."""

    def __init__(self, db: Database):
        self._db = db

    def snapshot(self, name: str) -> None:
        from store.backups import snapshot

        snapshot(self._db, name)

    def restore(self, name: str | None = None) -> str:
        from store.backups import restore

        return restore(self._db, name)

    def names(self) -> list[str]:
        from store.backups import list_backups

        return list_backups(self._db)


class TinyStore:
    """One TinyDB database as the services see it."""

    def __init__(self, db: Database):
        self.db = db
        repos, lock = db.repos, db.thread_lock
        self.organisations = SharedCollection(repos.organisations, lock)
        self.bodies = SharedCollection(repos.bodies, lock)
        self.people = SharedCollection(repos.people, lock)
        self.memberships = SharedCollection(repos.memberships, lock)
        self.milestones = SharedCollection(repos.milestones, lock)
        self.feed_tokens = SharedCollection(repos.feed_tokens, lock)
        self.cases = SharedCollection(repos.cases, lock)
        self.mailings = SharedCollection(repos.mailings, lock)
        self.indicators = SharedCollection(repos.indicators, lock)
        self.meetings = SharedMeetings(repos.meetings, lock)
        self.backups = TinyBackups(db)
        self.revoked_tokens = repos.revoked_tokens  # its own file, outside backups and restore

    @classmethod
    def open(cls, path: Path | str, *, must_exist: bool = True) -> TinyStore:
        return cls(Database.open(path, must_exist=must_exist))

    @property
    def location(self) -> Path:
        return self.db.path

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @property
    def read_only_message(self) -> str:
        return self.db.read_only_message

    @contextmanager
    def reading(self) -> Iterator[TinyStore]:
        """One commit's state across files while a reader works (Database.reading: a shared lock
        that commits wait for). The thread lock is taken first, as every transaction takes it
        first, so a reader thread and a writing thread can never wait for each other's lock.
        A reader that keeps what it read calls `refresh()` first thing inside and acts on its
        answer (the server drops its built feeds): refreshing here would swallow that answer."""
        with self.db.thread_lock, self.db.reading():
            yield self

    @contextmanager
    def transaction(self) -> Iterator[TinyStore]:
        with self.db.transaction():
            yield self

    def in_transaction(self) -> bool:
        return self.db.in_transaction()

    def refresh(self) -> bool:
        return self.db.refresh()

    def wait_for_change(self, timeout: float) -> bool:
        """Other sessions' commits are not announced to a file store: it waits the whole time
        and the caller's `refresh()` (a stat of the files) finds them; the watcher polls."""
        time.sleep(max(0.0, timeout))
        return False

    def registry_generation(self) -> int:
        return self.db.storage(self.db.path).generation

    def index_generation(self) -> int:
        with self.db.thread_lock:
            return self.db.repos.meetings.index_generation()

    def change_generation(self) -> Generation:
        return self.db.changes.generation()

    def changes_since(self, generation: Generation) -> Changes | None:
        return self.db.changes.since(generation)

    def on_commit(self, listener: Callable[[Changes], None]) -> None:
        self.db.add_listener(listener)

    def derived_folder(self, name: str) -> Path | None:
        return self.db.derived_folder(name)

    def exists(self) -> bool:
        return self.db.exists()

    def initialise(self) -> None:
        """Write the empty files of a new database (inside a transaction)."""
        self.db.initialise()

    def check(self) -> list[str]:
        from store.check import check_database

        return check_database(self.db)


class PrivateFiles:
    """Writes exports the way the store writes its own files: atomically and private (0600/0700)."""

    def write(self, path: Path, data: bytes) -> None:
        ensure_dir(path.parent)
        atomic_write(path, data)
