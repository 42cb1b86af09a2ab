"""The persistence port: what the services need of a store, and nothing of how it keeps things.

`store/` implements it for TinyDB (store.tinydb_store.TinyStore); a second backend
implements the same Protocols and is judged by the same contract tests
(tests/contract/). Services import these Protocols, never a backend; only the
composition root (secretary.cli.bootstrap) opens a store.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from secretary.domain.changes import Changes, Generation, Written
from secretary.domain.model import (
    Body,
    Case,
    Entity,
    FeedToken,
    Indicator,
    Mailing,
    Meeting,
    Membership,
    Milestone,
    Organisation,
    Person,
)
from secretary.domain.rows import IndexRow

T = TypeVar("T", bound=Entity)


class Collection(Protocol[T]):
    """One registry collection (organisations, bodies, people, seats, milestones, feed tokens).

    Writes must happen inside `Store.transaction()`.
    """

    def all(self) -> dict[str, T]:
        """Every object by id (the store's own copy: not to be changed)."""
        ...

    def get(self, key: str) -> T | None: ...

    def between(self, field: str, low: dt.date, high: dt.date) -> list[T]:
        """Objects whose date `field` lies in [low, high] (validated one by one, not all)."""
        ...

    def first_between(self, field: str, low: dt.date, high: dt.date, order: tuple[str, ...], count: int) -> tuple[list[T], int]:
        """The first `count` of `between(field, low, high)` in the order of the stored fields
        `order` (then the id), and how many there are: only those shown are validated."""
        ...

    def save(self, obj: T) -> None: ...

    def save_many(self, objects: Iterable[T]) -> None: ...

    def delete(self, key: str) -> None: ...

    def last_written(self, key: str) -> Written | None:
        """Who last wrote the stored object and when, or None when the store does not keep it
        (or the object is not there): named when a form's stale edit is refused."""
        ...


class Meetings(Protocol):
    """Meetings with their items; lists and the start screen read the index rows instead."""

    def rows(self) -> dict[str, IndexRow]:
        """Every meeting's index row (schedule, status, minutes state, open actions) by id."""
        ...

    def rows_where(
        self, first_day: dt.date | None = None, last_day: dt.date | None = None, *,
        open_actions: bool = False, minutes: frozenset[str] | None = None,
    ) -> list[IndexRow]:
        """The index rows of meetings that start (on their own clock) from first_day to last_day
        (None: no bound), and, when asked, that keep open actions or whose minutes state is in
        `minutes`: what the start screen shows, found without making twenty years of rows."""
        ...

    def ids(self, body: str | None = None, year: int | None = None) -> list[str]: ...

    def get(self, key: str) -> Meeting | None: ...

    def many(self, keys: Iterable[str]) -> list[Meeting]: ...

    def list(self, body: str | None = None, year: int | None = None) -> list[Meeting]:
        """Meetings in start order (then id), optionally of one body and one year."""
        ...

    def all(self) -> builtins.list[Meeting]: ...

    def each(self, body: str | None = None, year: int | None = None) -> Iterator[Meeting]:
        """The meetings of `list(body, year)`, streamed a year at a time."""
        ...

    def partition_keys(self) -> set[tuple[str, int]]:
        """The (body, year) groups that hold a meeting: the unit of change generations."""
        ...

    def generation(self, body: str, year: int) -> int | None:
        """A number that changes whenever the (body, year) group changes, or None when this
        process has not read it: lets a reader keep what it derived (feed events, search)."""
        ...

    def documents(self, body: str, year: int) -> tuple[int, dict[str, dict[str, Any]]]:
        """One (body, year) group's stored documents, unvalidated and read-only, with its generation."""
        ...

    def save(self, meeting: Meeting) -> None: ...

    def save_many(self, meetings: Iterable[Meeting]) -> None: ...

    def delete(self, key: str) -> None: ...


class RevokedTokens(Protocol):
    """Feed tokens that must never work again: kept apart from backups, so restore cannot revive them."""

    def revoke(self, tokens: Iterable[str], when: str) -> None: ...

    def contains(self, token: str) -> bool: ...


class Backups(Protocol):
    """Daily snapshots of the whole database."""

    def snapshot(self, name: str) -> None: ...

    def restore(self, name: str | None = None) -> str:
        """Put back a snapshot (default: the newest); returns its name."""
        ...

    def names(self) -> list[str]: ...


class Files(Protocol):
    """Where exports are written: atomically (old file or new, never half) and private."""

    def write(self, path: Path, data: bytes) -> None: ...


class Store(Protocol):
    """One open database: its collections, its transactions, its change generations."""

    # Read-only to the services (properties, so an adapter's own collection types conform).
    @property
    def organisations(self) -> Collection[Organisation]: ...

    @property
    def bodies(self) -> Collection[Body]: ...

    @property
    def people(self) -> Collection[Person]: ...

    @property
    def memberships(self) -> Collection[Membership]: ...

    @property
    def milestones(self) -> Collection[Milestone]: ...

    @property
    def feed_tokens(self) -> Collection[FeedToken]: ...

    @property
    def cases(self) -> Collection[Case]:
        """Capacity adjustment cases (kapacitetsjusteringer), with their hearings."""
        ...

    @property
    def mailings(self) -> Collection[Mailing]:
        """Agendas and minutes sent by e-mail, per recipient (not in secretary/1)."""
        ...

    @property
    def indicators(self) -> Collection[Indicator]: ...

    @property
    def meetings(self) -> Meetings: ...

    @property
    def backups(self) -> Backups: ...

    @property
    def revoked_tokens(self) -> RevokedTokens: ...

    @property
    def location(self) -> Path:
        """Where files that belong beside the data live (templates/, exports/); for a file
        store the database file itself, for a server store a folder from the configuration."""
        ...

    @property
    def read_only(self) -> bool:
        """The data can be read but not written (a read-only folder, an archive): writes are refused."""
        ...

    @property
    def read_only_message(self) -> str: ...

    def transaction(self) -> AbstractContextManager[object]:
        """All writes inside happen together, on fresh data, under the store's lock, or not at all.
        Nested transactions join the outer one."""
        ...

    def in_transaction(self) -> bool: ...

    def reading(self) -> AbstractContextManager[object]:
        """A reader's consistent view: one commit's state across every collection until it ends
        (keep it short: writers wait for it)."""
        ...

    def refresh(self) -> bool:
        """Forget what another process has replaced since it was read; True when anything had."""
        ...

    def wait_for_change(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for another session's commit: True as soon as one was
        announced (PostgreSQL: LISTEN/NOTIFY), False when none came in time or the store is told
        of none (a file store waits the whole time); the caller's `refresh()` then finds what
        changed either way. Never raises."""
        ...

    def registry_generation(self) -> int:
        """Changes whenever any registry collection changes."""
        ...

    def index_generation(self) -> int:
        """Changes whenever any meeting's index row (and so the set of meetings) changes."""
        ...

    def change_generation(self) -> Generation:
        """Where the store's change log stands (read from one small file: cheap to ask often)."""
        ...

    def changes_since(self, generation: Generation) -> Changes | None:
        """What changed after `generation`, or None when the store cannot say (start again)."""
        ...

    def on_commit(self, listener: Callable[[Changes], None]) -> None:
        """Call `listener` with what each commit of this process changed, after the commit;
        whatever it raises is logged and dropped (a commit never fails for a reader)."""
        ...

    def derived_folder(self, name: str) -> Path | None:
        """A private folder for data derived from the store (the search index), or None when
        there is none to be had (a read-only database): derived data then lives in memory."""
        ...

    def exists(self) -> bool: ...

    def check(self) -> list[str]:
        """Every problem with the stored data and its references; empty when sound."""
        ...
