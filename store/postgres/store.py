"""The PostgreSQL backend behind the persistence port (secretary.services.ports.Store).

One connection per process, shared by its threads under one lock (as TinyStore shares its
database), autocommit off by hand: every `transaction()` is one PostgreSQL transaction.

Concurrency, in three parts:

* Writers take `pg_advisory_xact_lock(WRITE_LOCK)` first thing in their transaction: one writer
  at a time per database, released by COMMIT or ROLLBACK (or the server, when a client dies).
  The services' guards read across objects (references into the registry, the meeting life,
  unique feed tokens), so row locks (`SELECT … FOR UPDATE`) would not cover what they read,
  and SERIALIZABLE would fail some transactions at COMMIT, which the port cannot re-run (the
  body of `with store.transaction():` is the caller's code). Under the lock every read of the
  transaction sees every earlier commit: the port's "on fresh data, under the store's lock".
  Writes last milliseconds, so writers queue for milliseconds; readers never wait (MVCC).
* Every registry document and every meeting has a `version` (the number of the change that
  wrote it). A save names the version it read (`UPDATE … WHERE version = %s`); a row changed
  since (by a client that skipped the lock, or a cache that missed a change) is refused with
  StaleEdit naming who changed it and when, never written over. The services compare the
  screen's copy too (MeetingWriter.update), so the loser of two secretaries is told.
* `counters` and `partitions` hold change generations; `refresh()` reads them (three rows
  when nothing changed), forgets what changed, and says whether anything did. Every commit that
  wrote also sends `NOTIFY secretary_changes, '<change number>'` inside its transaction (so it
  goes out on COMMIT only, never on a rollback; the payload is the number, nothing else), and
  `wait_for_change()` waits for one on a second connection that only LISTENs: a TUI's watcher
  waits there and calls `refresh()` as soon as another session committed, and at the latest
  every few seconds (polling by generation: the fallback when the listening connection is lost
  or a connection pooler swallows notifications).
"""

from __future__ import annotations

import builtins
import contextvars
import datetime as dt
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import orjson
import psycopg
from psycopg.types.json import Jsonb, set_json_dumps, set_json_loads
from pydantic import ValidationError

from secretary.domain.changes import Changes, Generation, Written
from secretary.domain.errors import NotFound, StaleEdit, StoreBusy, StoreDamaged, StoreWriteFailed
from secretary.domain.model import Body, Entity, FeedToken, Meeting, Membership, Milestone, Organisation, Person
from secretary.domain.rows import MeetingRow
from secretary.i18n import _
from store.postgres.collections import registry_models
from store.postgres.schema import LATEST, MIGRATION_LOCK, MIGRATIONS, MIGRATIONS_TABLE, WRITE_LOCK
from store.postgres.url import check_url, database_name, host_name, redacted
from store.repositories import Placement, keys_between, row_wanted

# The counters of the whole registry and of the index (names in the counters table, not text).
REGISTRY_COUNTER = "registry"
INDEX_COUNTER = "index"

log = logging.getLogger("secretary.store.postgres")

T = TypeVar("T", bound=Entity)

# Validated meetings kept in memory, least recently used partition out first (TinyDB keeps
# ~32 MB of stored JSON, about a thousand meetings; the same here, counted in meetings).
PARTITION_CACHE_MEETINGS = 1000

# wait_for_change: how long one wait on the listening connection lasts at most (close() waits for
# it), and how long after losing that connection the next attempt to open it waits.
LISTEN_SLICE = 0.5
LISTEN_RETRY_SECONDS = 5.0

# The day a meeting starts on its own clock: the first ten characters of the stored ISO start,
# as bytes (the same expression as the index `meetings_day`, store/postgres/schema.py).
DAY_EXPRESSION = "(left(row ->> 'start', 10) COLLATE \"C\")"

# The channel every commit notifies on (per database: NOTIFY does not cross databases).
CHANNEL = "secretary_changes"

_read_session: contextvars.ContextVar[ExitStack | None] = contextvars.ContextVar("pg_read_session", default=None)


@contextmanager
def read_session() -> Iterator[None]:
    """Every PostgreSQL store opened inside reads one snapshot until the end (one-shot reading commands)."""
    with ExitStack() as stack:
        token = _read_session.set(stack)
        try:
            yield
        finally:
            _read_session.reset(token)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _dumps(obj: Any) -> bytes:
    return orjson.dumps(obj)


class _Version:
    """Who last wrote a row and when, for the refusal of a stale save."""

    @staticmethod
    def describe(store: PgStore, table: str, where: str, params: tuple) -> str:
        row = store._query(f"SELECT changed_by, changed_at FROM {table} WHERE {where}", params).fetchone()
        if row is None:
            return "deleted by another session"
        who, when = row
        return f"changed by {who} at {when.astimezone(dt.UTC).isoformat(timespec='seconds')}"


# keys_between's sort key of one stored field, `str(raw.get(name) or "")`, as SQL: the string as
# stored (as bytes, COLLATE "C", as Python compares), a missing or null one as "" (first). The
# fields lists order by are strings and ISO dates; a number or a boolean would sort as its JSON text.
_ORDER_TEXT = "coalesce(doc ->> %s, '') COLLATE \"C\""


class PgCollection(Generic[T]):
    """One registry collection: rows of `registry` with this collection name."""

    def __init__(self, store: PgStore, name: str, model: type[T]):
        self._store = store
        self.name = name
        self.model = model
        self._raw: dict[str, tuple[int, dict]] = {}
        self._objects: dict[str, T] = {}
        self._complete = False
        self._loaded_at: int | None = None  # the collection's generation `_raw` reflects
        # Before the collection is read: the objects `get` fetched one by one (None: not stored),
        # at the collection's generation `_fetched_at`.
        self._fetched: dict[str, T | None] = {}
        self._fetched_at: int | None = None

    def forget(self) -> None:
        self._loaded_at = None
        self._raw, self._objects, self._complete = {}, {}, False
        self._fetched, self._fetched_at = {}, None

    def _read(self) -> bool:
        """Whether `_raw` holds the collection at its current generation."""
        return self._loaded_at == self._store._generations.get(f"registry:{self.name}", 0)

    def _rows(self) -> dict[str, tuple[int, dict]]:
        store = self._store
        generation = store._generations.get(f"registry:{self.name}", 0)
        if self._loaded_at != generation:
            rows = store._query("SELECT id, version, doc FROM registry WHERE collection = %s", (self.name,)).fetchall()
            self._raw = {key: (version, doc) for key, version, doc in rows}
            self._objects, self._complete = {}, False
            self._loaded_at = generation
        return self._raw

    def _validate(self, key: str, raw: dict) -> T:
        try:
            return cast(T, self.model.model_validate(raw, strict=False))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            raise StoreDamaged(
                _("{store}: stored {name} {key!r} is invalid: field {field!r}: {msg}; `secretary check` "
                  "lists every problem").format(
                    store=self._store.label, name=self.model.__name__.lower(), key=key, field=field, msg=first['msg'],
                )
            ) from None

    def all(self) -> dict[str, T]:
        with self._store._lock:
            rows = self._rows()
            if not self._complete:
                for key, (_version, raw) in rows.items():
                    if key not in self._objects:
                        self._objects[key] = self._validate(key, raw)
                self._complete = True
            return self._objects

    def get(self, key: str) -> T | None:
        with self._store._lock:
            if not self._read():
                # Not read yet (the start screen names a few people of thousands): that one row, not the collection.
                generation = self._store._generations.get(f"registry:{self.name}", 0)
                if self._fetched_at != generation:
                    self._fetched, self._fetched_at = {}, generation
                if key not in self._fetched:
                    row = self._store._query("SELECT doc FROM registry WHERE collection = %s AND id = %s", (self.name, key)).fetchone()
                    self._fetched[key] = None if row is None else self._validate(key, row[0])
                return self._fetched[key]
            rows = self._rows()
            found = self._objects.get(key)
            if found is None and key in rows:
                found = self._objects[key] = self._validate(key, rows[key][1])
            return found

    def between(self, field: str, low: dt.date, high: dt.date) -> list[T]:
        with self._store._lock:
            store = self._store
            first, last = low.isoformat(), high.isoformat()
            if not self._read():
                # Not read yet (the start screen's seats ending soon): the server picks the few
                # rows, instead of this process fetching the whole collection to look at one field.
                # ISO dates, compared as bytes (COLLATE "C"), whatever the database's collation.
                found = store._query(
                    "SELECT id, doc FROM registry WHERE collection = %s AND jsonb_typeof(doc -> %s) = 'string' "
                    "AND (doc ->> %s) COLLATE \"C\" BETWEEN %s AND %s",
                    (self.name, field, field, first, last),
                ).fetchall()
                return [self._validate(key, raw) for key, raw in found]
            rows = self._rows()
            keys = [key for key, (_v, raw) in rows.items() if isinstance(raw.get(field), str) and first <= raw[field] <= last]
            return [found for found in map(self.get, keys) if found is not None]

    def first_between(self, field: str, low: dt.date, high: dt.date, order: tuple[str, ...], count: int) -> tuple[list[T], int]:
        with self._store._lock:
            if not self._read():
                # Not read yet (the start screen's six of thousands of seats): the server filters,
                # orders, counts and sends the first `count`, in the order of keys_between.
                where = ("collection = %s AND jsonb_typeof(doc -> %s) = 'string' "
                         "AND (doc ->> %s) COLLATE \"C\" BETWEEN %s AND %s")
                params: tuple = (self.name, field, field, low.isoformat(), high.isoformat())
                ordering = ", ".join([_ORDER_TEXT] * len(order) + ['id COLLATE "C"'])
                order_params = tuple(name for name in order for _i in range(_ORDER_TEXT.count("%s")))
                found = self._store._query(
                    f"SELECT id, doc, count(*) OVER () FROM registry WHERE {where} ORDER BY {ordering} LIMIT %s",
                    (*params, *order_params, max(0, count)),
                ).fetchall()
                if found:
                    total = found[0][2]
                else:
                    counted = self._store._query(f"SELECT count(*) FROM registry WHERE {where}", params).fetchone()
                    total = counted[0] if counted else 0
                return [self._validate(key, raw) for key, raw, _total in found], total
            rows = {key: raw for key, (_v, raw) in self._rows().items()}
            keys = keys_between(rows, field, low, high, order)
            return [found for found in map(self.get, keys[:count]) if found is not None], len(keys)

    def save(self, obj: T) -> None:
        self.save_many([obj])

    def save_many(self, objects: Iterable[T]) -> None:
        store = self._store
        with store._lock:
            store._require_transaction()
            objects = list(objects)
            if not objects:
                return
            rows = self._rows()
            stamp = store._begin_write()
            updates, inserts, dumped = [], [], []
            for obj in objects:
                raw = obj.model_dump(mode="json")
                dumped.append(raw)
                known = rows.get(obj.id)
                if known is None:
                    inserts.append((self.name, obj.id, stamp, Jsonb(raw)))
                else:
                    updates.append((Jsonb(raw), stamp, self.name, obj.id, known[0]))
            with store._conn.cursor() as cur:
                if updates:
                    cur.executemany(
                        "UPDATE registry SET doc = %s, version = %s, changed_at = now(), changed_by = current_user "
                        "WHERE collection = %s AND id = %s AND version = %s",
                        updates,
                    )
                    if cur.rowcount != len(updates):
                        self._refuse([row[3] for row in updates], {row[3]: row[4] for row in updates})
                if inserts:
                    cur.executemany(
                        "INSERT INTO registry (collection, id, version, doc) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                        inserts,
                    )
                    if cur.rowcount != len(inserts):
                        self._refuse([row[1] for row in inserts], {})
            for obj, raw in zip(objects, dumped, strict=True):
                rows[obj.id] = (stamp, raw)
                self._objects[obj.id] = obj
            store._dirty_registry.add(self.name)

    def delete(self, key: str) -> None:
        store = self._store
        with store._lock:
            store._require_transaction()
            rows = self._rows()
            known = rows.get(key)
            if known is None:
                return
            store._begin_write()
            cur = store._query("DELETE FROM registry WHERE collection = %s AND id = %s AND version = %s", (self.name, key, known[0]))
            if cur.rowcount != 1:
                self._refuse([key], {key: known[0]})
            rows.pop(key, None)
            self._objects.pop(key, None)
            store._dirty_registry.add(self.name)

    def last_written(self, key: str) -> Written | None:
        """The row's `changed_by` (the server role) and `changed_at`, read now (not cached)."""
        with self._store._lock:
            row = self._store._query(
                "SELECT changed_by, changed_at FROM registry WHERE collection = %s AND id = %s", (self.name, key)
            ).fetchone()
        return None if row is None else Written(row[0], row[1].astimezone(dt.UTC))

    def _refuse(self, keys: list[str], expected: dict[str, int]) -> None:
        """Name the first document another session changed since this one read it (StaleEdit)."""
        store = self._store
        found: dict[str, int] = dict(store._query(
            "SELECT id, version FROM registry WHERE collection = %s AND id = ANY(%s)", (self.name, keys)
        ).fetchall())
        for key in keys:
            if found.get(key) != expected.get(key):
                what = _Version.describe(store, "registry", "collection = %s AND id = %s", (self.name, key))
                raise StaleEdit(
                    _("{name} {key!r} was {what} since this session read it; nothing was saved: look at it again "
                      "and redo the change").format(name=self.model.__name__.lower(), key=key, what=what)
                )
        raise StaleEdit(_("{name}: changed by another session meanwhile; nothing was saved").format(name=self.name))


class _Partition:
    __slots__ = ("generation", "meetings", "versions")

    def __init__(self, generation: int, meetings: dict[str, Meeting], versions: dict[str, int]):
        self.generation = generation
        self.meetings = meetings
        self.versions = versions


class PgMeetings:
    """Meetings: one row each, with the index columns, the index row and the document."""

    def __init__(self, store: PgStore):
        self._store = store
        self._places: dict[str, Placement] = {}
        self._rows: dict[str, MeetingRow] = {}
        # The ids of each (body, year), kept beside `_places`: a feed or a year's list asks for one
        # group at a time, and scanning every placement for each of thousands of groups grew as
        # groups × meetings (benchmarks/README.md, session 4).
        self._by_partition: dict[tuple[str, int], dict[str, None]] = {}
        self._loaded_at: int | None = None
        # Before every index row is read: the typed rows the server's answers to `rows_where`
        # made, and the answers, at the index generation `_made_at` (the start screen asks the
        # same question twice; a row that answers two questions is made once).
        self._made: dict[str, MeetingRow] = {}
        self._answers: dict[tuple, builtins.list[MeetingRow]] = {}
        self._made_at: int | None = None
        self._partitions: OrderedDict[tuple[str, int], _Partition] = OrderedDict()
        self._pinned: set[tuple[str, int]] = set()
        self._cached_meetings = 0  # about how many meetings `_partitions` holds (recounted by _trim)

    def forget(self, partitions: Iterable[tuple[str, int]] | None = None, index: bool = True) -> None:
        if index:
            self._loaded_at = None
            self._made, self._answers, self._made_at = {}, {}, None
        if partitions is None:
            self._partitions.clear()
            self._cached_meetings = 0
        else:
            for key in partitions:
                self._partitions.pop(key, None)

    # -- the index ---------------------------------------------------------------

    def _placements(self) -> dict[str, Placement]:
        store = self._store
        generation = store._generations.get("index", 0)
        if self._loaded_at != generation:
            places = {}
            for key, raw in store._query("SELECT id, row FROM meetings").fetchall():
                place = Placement.stored(raw)
                if place is None:
                    raise StoreDamaged(_("{store}: index row of meeting {key!r} lacks fields; `secretary check` says more").format(
                                           store=store.label, key=key,
                                       ))
                places[key] = place
            self._places = places
            self._rows = {key: place.typed(key) for key, place in places.items()}
            by_partition: dict[tuple[str, int], dict[str, None]] = {}
            for key, place in places.items():
                by_partition.setdefault((place.body, place.year), {})[key] = None
            self._by_partition = by_partition
            self._loaded_at = generation
        return self._places

    def rows(self) -> dict[str, MeetingRow]:
        with self._store._lock:
            self._placements()
            return self._rows

    def rows_where(
        self, first_day: dt.date | None = None, last_day: dt.date | None = None, *,
        open_actions: bool = False, minutes: frozenset[str] | None = None,
    ) -> list[MeetingRow]:
        """From memory when every index row is read and current; else the server picks the rows
        that answer (the start screen's next meetings, open actions and minutes to approve are a
        few rows of twenty years) and only those are made into typed rows."""
        with self._store._lock:
            store = self._store
            generation = store._generations.get("index", 0)
            if self._loaded_at == generation:
                return [row for row in self._rows.values() if row_wanted(row, first_day, last_day, open_actions, minutes)]
            if self._made_at != generation:
                self._made, self._answers, self._made_at = {}, {}, generation
            question = (first_day, last_day, open_actions, minutes)
            known = self._answers.get(question)
            if known is not None:
                return builtins.list(known)
            where, params = self._where(first_day, last_day, open_actions, minutes)
            found: builtins.list[MeetingRow] = []
            for key, raw in store._query(f"SELECT id, row FROM meetings{where}", params).fetchall():
                row = self._made.get(key)
                if row is None:
                    place = Placement.stored(raw)
                    if place is None:
                        raise StoreDamaged(_("{store}: index row of meeting {key!r} lacks fields; `secretary check` says more").format(
                                               store=store.label, key=key,
                                           ))
                    row = self._made[key] = place.typed(key)
                found.append(row)
            self._answers[question] = found
            return builtins.list(found)

    @staticmethod
    def _where(
        first_day: dt.date | None, last_day: dt.date | None, open_actions: bool, minutes: frozenset[str] | None,
    ) -> tuple[str, tuple]:
        """`row_wanted` as SQL over the stored index row: the day is the first ten characters of
        its ISO start (the meeting's own clock), compared as bytes (COLLATE "C", the expression
        of the index `meetings_day`), whatever the database's collation."""
        conditions: builtins.list[str] = []
        params: builtins.list[Any] = []
        if first_day is not None:
            conditions += [f"{DAY_EXPRESSION} >= %s"]
            params.append(first_day.isoformat())
        if last_day is not None:
            conditions += [f"{DAY_EXPRESSION} <= %s"]
            params.append(last_day.isoformat())
        if open_actions:
            # bool(actions) of the stored row: an array with something in it
            conditions += ["jsonb_typeof(row -> 'actions') = 'array' AND row -> 'actions' <> '[]'::jsonb"]
        if minutes is not None:
            conditions += ["(row ->> 'minutes') = ANY(%s)"]
            params.append(sorted(minutes))
        return (" WHERE " + " AND ".join(conditions) if conditions else ""), tuple(params)

    def ids(self, body: str | None = None, year: int | None = None) -> list[str]:
        with self._store._lock:
            places = self._placements()
            if body is None and year is None:
                return builtins.list(places)
            if body is not None and year is not None:
                return builtins.list(self._by_partition.get((body, year), ()))
            return [
                key for (group_body, group_year), keys in self._by_partition.items()
                if (body is None or group_body == body) and (year is None or group_year == year)
                for key in keys
            ]

    def partition_keys(self) -> set[tuple[str, int]]:
        with self._store._lock:
            self._placements()
            return set(self._by_partition)

    def _place(self, key: str, place: Placement) -> None:
        """Record where meeting `key` is now, in the placements and the per-(body, year) ids."""
        old = self._places.get(key)
        if old is not None and (old.body, old.year) != (place.body, place.year):
            self._unplace(key, old)
        self._places[key] = place
        self._rows[key] = place.typed(key)
        self._by_partition.setdefault((place.body, place.year), {})[key] = None

    def _unplace(self, key: str, place: Placement) -> None:
        group = self._by_partition.get((place.body, place.year))
        if group is not None:
            group.pop(key, None)
            if not group:
                del self._by_partition[(place.body, place.year)]

    def generation(self, body: str, year: int) -> int | None:
        with self._store._lock:
            return self._store._partition_generations.get((body, year))

    # -- partitions ----------------------------------------------------------------

    def _partition(self, body: str, year: int) -> _Partition:
        store = self._store
        where = (body, year)
        generation = store._partition_generations.get(where, 0)
        if store._depth:
            self._pinned.add(where)
        cached = self._partitions.get(where)
        if cached is not None and cached.generation == generation:
            self._partitions.move_to_end(where)
            return cached
        meetings, versions = {}, {}
        for key, version, raw in store._query(
            "SELECT id, version, doc FROM meetings WHERE body = %s AND year = %s", (body, year)
        ).fetchall():
            try:
                meetings[key] = Meeting.model_validate(raw, strict=False)
            except ValidationError as exc:
                first = exc.errors()[0]
                field = ".".join(str(part) for part in first["loc"])
                raise StoreDamaged(
                    _("{store}: stored meeting {key!r} is invalid: field {field!r}: {msg}; `secretary check` "
                      "lists every problem").format(
                        store=store.label, key=key, field=field, msg=first['msg'],
                    )
                ) from None
            versions[key] = version
        part = self._partitions[where] = _Partition(generation, meetings, versions)
        self._trim(where)
        return part

    def _trim(self, keep: tuple[str, int]) -> None:
        """Past the cap, the least recently used partitions go until a quarter of it is free
        (so a walk over every partition counts and trims once per few hundred meetings, not at
        each partition)."""
        self._cached_meetings += len(self._partitions[keep].meetings)
        if self._cached_meetings <= PARTITION_CACHE_MEETINGS:
            return
        total = sum(len(part.meetings) for part in self._partitions.values())
        for oldest in list(self._partitions):
            if total <= PARTITION_CACHE_MEETINGS * 3 // 4:
                break
            if oldest == keep or (self._store._depth and oldest in self._pinned):
                continue
            total -= len(self._partitions.pop(oldest).meetings)
        self._cached_meetings = total

    def get(self, key: str) -> Meeting | None:
        with self._store._lock:
            place = self._placements().get(key)
            if place is None:
                return None
            return self._partition(place.body, place.year).meetings.get(key)

    def many(self, keys: Iterable[str]) -> list[Meeting]:
        with self._store._lock:
            places = self._placements()
            found = []
            for key in keys:
                place = places.get(key)
                if place is None:
                    continue
                meeting = self._partition(place.body, place.year).meetings.get(key)
                if meeting is not None:
                    found.append(meeting)
            return found

    def list(self, body: str | None = None, year: int | None = None) -> list[Meeting]:
        with self._store._lock:
            places = self._placements()
            keys = sorted(self.ids(body, year), key=lambda k: (places[k].start, k))
            return self.many(keys)

    def all(self) -> builtins.list[Meeting]:
        return self.list()

    def each(self, body: str | None = None, year: int | None = None) -> Iterator[Meeting]:
        with self._store._lock:
            years = sorted({
                place.year for place in self._placements().values()
                if body in (None, place.body) and year in (None, place.year)
            })
        for one_year in years:
            yield from self.list(body, one_year)

    def documents(self, body: str, year: int) -> tuple[int, dict[str, dict[str, Any]]]:
        with self._store._lock:
            generation = self._store._partition_generations.get((body, year), 0)
            rows = self._store._query("SELECT id, doc FROM meetings WHERE body = %s AND year = %s", (body, year)).fetchall()
            return generation, dict(rows)

    # -- writing -------------------------------------------------------------------

    def save(self, meeting: Meeting) -> None:
        self.save_many([meeting])

    def save_many(self, meetings: Iterable[Meeting]) -> None:
        store = self._store
        with store._lock:
            store._require_transaction()
            meetings = builtins.list(meetings)
            if not meetings:
                return
            places = self._placements()
            stamp = store._begin_write()
            updates, inserts, written = [], [], []
            for meeting in meetings:
                place = Placement.of(meeting)
                old = places.get(meeting.id)
                raw = meeting.model_dump(mode="json")
                row = place.row()
                columns = (place.body, place.year, place.start, stamp, Jsonb(row), Jsonb(raw))
                if old is None:
                    inserts.append((meeting.id, *columns))
                else:
                    current = self._partition(old.body, old.year)
                    expected = current.versions.get(meeting.id)
                    updates.append((*columns, meeting.id, expected))
                    if (old.body, old.year) != (place.body, place.year):
                        current.meetings.pop(meeting.id, None)
                        current.versions.pop(meeting.id, None)
                        store._dirty_partitions.add((old.body, old.year))
                if old != place:
                    store._dirty_index = True
                written.append((meeting, place))
            with store._conn.cursor() as cur:
                if updates:
                    cur.executemany(
                        "UPDATE meetings SET body = %s, year = %s, start_at = %s, version = %s, row = %s, doc = %s, "
                        "changed_at = now(), changed_by = current_user WHERE id = %s AND version = %s",
                        updates,
                    )
                    if cur.rowcount != len(updates):
                        self._refuse({row[6]: row[7] for row in updates})
                if inserts:
                    cur.executemany(
                        "INSERT INTO meetings (id, body, year, start_at, version, row, doc) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                        "ON CONFLICT DO NOTHING",
                        inserts,
                    )
                    if cur.rowcount != len(inserts):
                        self._refuse({row[0]: None for row in inserts})
            for meeting, place in written:
                target = self._partition(place.body, place.year)
                target.meetings[meeting.id] = meeting
                target.versions[meeting.id] = stamp
                store._dirty_partitions.add((place.body, place.year))
                self._place(meeting.id, place)

    def delete(self, key: str) -> None:
        store = self._store
        with store._lock:
            store._require_transaction()
            place = self._placements().get(key)
            if place is None:
                return
            store._begin_write()
            part = self._partition(place.body, place.year)
            expected = part.versions.get(key)
            cur = store._query("DELETE FROM meetings WHERE id = %s AND version = %s", (key, expected))
            if cur.rowcount != 1:
                self._refuse({key: expected})
            part.meetings.pop(key, None)
            part.versions.pop(key, None)
            self._unplace(key, place)
            self._places.pop(key, None)
            self._rows.pop(key, None)
            store._dirty_partitions.add((place.body, place.year))
            store._dirty_index = True

    def _refuse(self, expected: dict[str, int | None]) -> None:
        store = self._store
        keys = builtins.list(expected)
        found: dict[str, int] = dict(store._query("SELECT id, version FROM meetings WHERE id = ANY(%s)", (keys,)).fetchall())
        for key, version in expected.items():
            if found.get(key) != version:
                what = _Version.describe(store, "meetings", "id = %s", (key,))
                raise StaleEdit(
                    _("meeting {key!r} was {what} since this session read it; nothing was saved: look at it "
                      "again and redo the change").format(key=key, what=what)
                )
        raise StaleEdit(_("a meeting was changed by another session meanwhile; nothing was saved"))


class PgRevokedTokens:
    """SHA-256 digests of revoked feed tokens: their own table, outside backups and restore."""

    def __init__(self, store: PgStore):
        self._store = store

    @staticmethod
    def digest(token: str) -> str:
        import hashlib

        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

    def revoke(self, tokens: Iterable[str], when: str) -> None:
        store = self._store
        with store._lock:
            store._require_transaction()
            rows = [(self.digest(token), when) for token in tokens]
            if not rows:
                return
            store._begin_write()
            with store._conn.cursor() as cur:
                cur.executemany("INSERT INTO revoked_tokens (digest, revoked) VALUES (%s, %s) ON CONFLICT DO NOTHING", rows)

    def contains(self, token: str) -> bool:
        with self._store._lock:
            return self._store._query("SELECT 1 FROM revoked_tokens WHERE digest = %s", (self.digest(token),)).fetchone() is not None


def keep_count() -> int:
    from store.backups import keep_count as file_keep_count

    return file_keep_count()  # $SECRETARY_BACKUPS, the same for both backends


class PgBackups:
    """Snapshots inside the database (backup_registry, backup_meetings): what `restore` puts back.

    They travel with the database (pg_dump holds them), are taken by whichever machine writes
    first on a day, and never hold the revoked tokens. A copy off the server is pg_dump's job.
    """

    def __init__(self, store: PgStore):
        self._store = store

    def snapshot(self, name: str) -> None:
        store = self._store
        with store.transaction():
            store._query("DELETE FROM backups WHERE name = %s", (name,))
            store._query("INSERT INTO backups (name) VALUES (%s)", (name,))
            store._query("INSERT INTO backup_registry SELECT %s, collection, id, doc FROM registry", (name,))
            store._query("INSERT INTO backup_meetings SELECT %s, id, body, year, start_at, row, doc FROM meetings", (name,))

    def daily(self, today: dt.date | None = None) -> str | None:
        """Before the first write of a day (inside that write's transaction): keep what the data was."""
        store = self._store
        name = (today or dt.date.today()).isoformat()
        if store._query("SELECT 1 FROM backups WHERE name = %s", (name,)).fetchone() is not None:
            return None
        self.snapshot(name)
        store._query(
            "DELETE FROM backups WHERE name NOT IN (SELECT name FROM backups ORDER BY name DESC LIMIT %s)", (keep_count(),)
        )
        return name

    def names(self) -> list[str]:
        with self._store._lock:
            return [name for (name,) in self._store._query("SELECT name FROM backups ORDER BY name DESC").fetchall()]

    def restore(self, name: str | None = None) -> str:
        store = self._store
        names = self.names()
        if not names:
            raise NotFound(_("there are no backups of {store}").format(store=store.label))
        name = name or names[0]
        if name not in names:
            raise NotFound(_("no backup named {name!r}; there are: {names}").format(name=name, names=', '.join(names)))
        with store.transaction():
            stamp = store._begin_write(backup=False)
            store._query("DELETE FROM registry")
            store._query("DELETE FROM meetings")
            store._query(
                "INSERT INTO registry (collection, id, version, doc) SELECT collection, id, %s, doc FROM backup_registry WHERE backup = %s",
                (stamp, name),
            )
            store._query(
                "INSERT INTO meetings (id, body, year, start_at, version, row, doc) "
                "SELECT id, body, year, start_at, %s, row, doc FROM backup_meetings WHERE backup = %s",
                (stamp, name),
            )
            store._everything_changed()
        return name


class PgStore:
    """One PostgreSQL database as the services see it."""

    # The registry collections the port names (a new one: one line here, and its name in COLLECTIONS).
    organisations: PgCollection[Organisation]
    bodies: PgCollection[Body]
    people: PgCollection[Person]
    memberships: PgCollection[Membership]
    milestones: PgCollection[Milestone]
    feed_tokens: PgCollection[FeedToken]

    def __init__(self, url: str, conn: psycopg.Connection, files: Path):
        self.url = url
        self.label = redacted(url)
        self._conn = conn
        self._files = files
        self._lock = threading.RLock()
        self._depth = 0
        self._reading = 0
        self._stamp: int | None = None
        self._initialised_before = False
        self._dirty_registry: set[str] = set()
        self._dirty_partitions: set[tuple[str, int]] = set()
        self._dirty_index = False
        self._everything = False
        self._listeners: list[Callable[[Changes], None]] = []
        self._generations: dict[str, int] = {}
        self._partition_generations: dict[tuple[str, int], int] = {}
        self._read_only_reason: str | None = None
        self._listener: psycopg.Connection | None = None  # the LISTEN connection (wait_for_change)
        self._listen_lock = threading.Lock()
        self._listen_retry_at = 0.0
        self._closing = False
        self.collections: dict[str, PgCollection[Any]] = {
            name: PgCollection(self, name, model) for name, model in registry_models().items()
        }
        for name, collection in self.collections.items():
            setattr(self, name, collection)
        self.meetings = PgMeetings(self)
        self.backups = PgBackups(self)
        self.revoked_tokens = PgRevokedTokens(self)

    def __getattr__(self, name: str) -> Any:
        # A registry collection added to the domain after this class was written.
        collections = self.__dict__.get("collections", {})
        if name in collections:
            return collections[name]
        raise AttributeError(name)

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, must_exist: bool = True) -> PgStore:
        url = check_url(url)
        try:
            conn = psycopg.connect(url, autocommit=True, application_name="secretary", connect_timeout=15)
        except psycopg.Error as exc:
            raise StoreBusy(_("cannot connect to {url}: {reason}").format(
                                url=redacted(url), reason=_first_line(exc),
                            )) from None
        set_json_dumps(_dumps, conn)
        set_json_loads(orjson.loads, conn)
        store = cls(url, conn, files_folder(url))
        try:
            store._migrate(create=not must_exist)
            if must_exist and not store.exists():
                raise NotFound(_("no secretary database in {store}; create one with: secretary init --db {store}").format(
                                   store=store.label,
                               ))
            store._read_counters()
            store._find_read_only()
        except BaseException:
            conn.close()
            raise
        session = _read_session.get()
        if session is not None:
            session.enter_context(store.reading())
        return store

    def close(self) -> None:
        self._closing = True
        with self._listen_lock:  # a wait in progress ends within one slice of LISTEN_SLICE
            self._drop_listener()
        with self._lock:
            self._conn.close()

    def _schema_version(self) -> int | None:
        exists = self._query("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return None
        row = self._query("SELECT max(version) FROM schema_migrations").fetchone()
        return row[0] if row and row[0] is not None else 0

    def _migrate(self, create: bool) -> None:
        version = self._schema_version()
        if version is None and not create:
            return  # not a secretary database: exists() says so
        if version is not None and version > LATEST:
            raise StoreDamaged(
                _("{label} was migrated by a newer version of secretary (schema {version}, this one knows "
                  "{latest}): upgrade secretary").format(label=self.label, version=version, latest=LATEST)
            )
        if version == LATEST:
            return
        with self._lock:
            try:
                self._conn.execute("BEGIN")
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                self._conn.execute(MIGRATIONS_TABLE)
                done = {number for (number,) in self._conn.execute("SELECT version FROM schema_migrations").fetchall()}
                for number, name, sql in MIGRATIONS:
                    if number not in done:
                        self._conn.execute(cast(Any, sql))
                        self._conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (number, name))
                self._conn.execute("COMMIT")
            except psycopg.Error as exc:
                self._rollback()
                raise StoreWriteFailed(_("{label}: the schema could not be created or migrated: {reason}").format(
                                           label=self.label, reason=_first_line(exc),
                                       )) from None

    def _find_read_only(self) -> None:
        recovery, writable = self._query(
            "SELECT pg_is_in_recovery(), has_table_privilege('meetings', 'UPDATE') AND has_table_privilege('registry', 'UPDATE')"
        ).fetchone() or (False, True)
        if recovery:
            self._read_only_reason = "the server is a read-only standby"
        elif not writable:
            self._read_only_reason = "this database role may read but not write"

    # -- the port's properties ----------------------------------------------------

    @property
    def location(self) -> Path:
        """A small file in the folder that holds templates/ and exports/ for this database
        ($SECRETARY_FILES, else one per server and database in the user data directory)."""
        marker = self._files / "database.url"
        if not marker.exists():
            from store.files import atomic_write, ensure_dir

            ensure_dir(self._files)
            atomic_write(marker, (self.label + "\n").encode())
        return marker

    @property
    def read_only(self) -> bool:
        return self._read_only_reason is not None

    @property
    def read_only_message(self) -> str:
        why = self._read_only_reason or "not writable"
        return f"{self.label} is opened read-only ({why}): you can read and export, but nothing can be saved"

    def exists(self) -> bool:
        with self._lock:
            if self._schema_version() is None:
                return False
            return self._query("SELECT 1 FROM settings WHERE name = 'initialised'").fetchone() is not None

    def initialise(self) -> None:
        """Mark the database as holding secretary data (inside the transaction that fills it)."""
        self._require_transaction()
        self._begin_write()
        self._query("INSERT INTO settings (name, value) VALUES ('initialised', now()::text) ON CONFLICT DO NOTHING")

    # -- queries ----------------------------------------------------------------------

    def _query(self, sql: str, params: tuple | list | None = None) -> psycopg.Cursor:
        try:
            return self._conn.execute(cast(Any, sql), params)
        except psycopg.OperationalError as exc:
            if self._conn.closed and not self._depth and not self._reading:
                self._reconnect()
                return self._conn.execute(cast(Any, sql), params)
            raise StoreWriteFailed(_("{label}: the database server did not answer ({reason}); nothing was saved").format(
                                       label=self.label, reason=_first_line(exc),
                                   )) from None

    def _reconnect(self) -> None:
        try:
            self._conn = psycopg.connect(self.url, autocommit=True, application_name="secretary", connect_timeout=15)
        except psycopg.Error as exc:
            raise StoreBusy(_("cannot connect to {label}: {reason}").format(label=self.label, reason=_first_line(exc))) from None
        set_json_dumps(_dumps, self._conn)
        set_json_loads(orjson.loads, self._conn)
        self._forget_everything()

    def _rollback(self) -> None:
        try:
            if not self._conn.closed:
                self._conn.execute("ROLLBACK")
        except psycopg.Error:
            pass

    # -- generations -------------------------------------------------------------------

    def _read_counters(self) -> None:
        self._generations = dict(self._query("SELECT name, value FROM counters").fetchall())
        self._partition_generations = {
            (body, year): generation for body, year, generation in self._query("SELECT body, year, generation FROM partitions").fetchall()
        }

    def refresh(self) -> bool:
        """Forget what another process changed since it was read; True when anything had."""
        with self._lock:
            if self._stamp is not None:
                return False  # inside our own writing transaction: nothing of others can be new
            known = self._generations.get("change")
            counters: dict[str, int] = dict(self._query("SELECT name, value FROM counters").fetchall())
            if counters.get("change") == known:
                return False
            for name, collection in self.collections.items():
                if counters.get(f"registry:{name}") != self._generations.get(f"registry:{name}"):
                    collection.forget()
            changed_partitions = self._query(
                "SELECT body, year, generation FROM partitions WHERE generation > %s", (known or 0,)
            ).fetchall()
            for body, year, generation in changed_partitions:
                self._partition_generations[(body, year)] = generation
            index_changed = counters.get("index") != self._generations.get("index")
            self.meetings.forget([(body, year) for body, year, _g in changed_partitions], index=index_changed)
            self._generations = counters
            return True

    def wait_for_change(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for another session's commit (LISTEN on a connection of
        its own, opened on first use); True as soon as one was announced, False when none came in
        time or the listening connection is lost (then it is opened again on a later call, and the
        caller's `refresh()` — polling by generation — still finds every change). Never raises."""
        deadline = time.monotonic() + max(0.0, timeout)
        with self._listen_lock:
            try:
                listener = self._listening()
                while listener is not None and not self._closing:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    own = self._conn.info.backend_pid if not self._conn.closed else None
                    if any(note.pid != own for note in listener.notifies(timeout=min(remaining, LISTEN_SLICE))):
                        # (this process's own commits have moved its caches already) — and what
                        # else has come in counts as the same wake-up: one refresh answers all
                        for _note in listener.notifies(timeout=0):
                            pass
                        return True
            except psycopg.Error as exc:
                log.info("listening for other sessions' changes stopped (%s); polling until it is back", type(exc).__name__)
                self._drop_listener()
                self._listen_retry_at = time.monotonic() + LISTEN_RETRY_SECONDS
        if self._closing:
            return False
        time.sleep(max(0.0, deadline - time.monotonic()))  # no listener: the caller polls at its own pace
        return False

    def _listening(self) -> psycopg.Connection | None:
        if self._listener is not None and not self._listener.closed:
            return self._listener
        if self._closing or time.monotonic() < self._listen_retry_at:
            return None
        self._listener = None
        listener = psycopg.connect(self.url, autocommit=True, application_name="secretary-listen", connect_timeout=15)
        try:
            listener.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            listener.close()
            raise
        self._listener = listener
        return listener

    def _drop_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.close()
            except psycopg.Error:
                pass

    def registry_generation(self) -> int:
        return self._generations.get("registry", 0)

    def index_generation(self) -> int:
        return self._generations.get("index", 0)

    def _forget_everything(self) -> None:
        for collection in self.collections.values():
            collection.forget()
        self.meetings.forget()
        self._generations = {}

    # -- transactions ---------------------------------------------------------------------

    def in_transaction(self) -> bool:
        return self._depth > 0

    def _require_transaction(self) -> None:
        if not self._depth:
            raise RuntimeError("a write outside a transaction")

    @contextmanager
    def reading(self) -> Iterator[PgStore]:
        """One snapshot (REPEATABLE READ, READ ONLY) across every table while a reader works."""
        with self._lock:
            if self._depth or self._reading:
                self._reading += 1
                try:
                    yield self
                finally:
                    self._reading -= 1
                return
            self._query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self._reading = 1
            try:
                self.refresh()
                yield self
            finally:
                self._reading = 0
                if self._conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                    self._rollback()

    @contextmanager
    def transaction(self) -> Iterator[PgStore]:
        """All writes inside are one PostgreSQL transaction, under the writers' lock, or not at all."""
        with self._lock:
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
            reading = self._reading
            if reading:
                self._rollback()  # a reader that writes: its snapshot ends, a fresh one follows
                self._reading = 0
            self._begin()
            self._depth = 1
            try:
                yield self
                self._finish()
            except BaseException:
                self._rollback()
                self._rolled_back()
                raise
            finally:
                self._depth = 0
                self._stamp = None
                self._dirty_registry, self._dirty_partitions, self._dirty_index, self._everything = set(), set(), False, False
                self.meetings._pinned = set()
                if reading:
                    self._query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    self._reading = reading
                    self.refresh()

    def _begin(self) -> None:
        from store.lock import lock_timeout

        self._query("BEGIN")
        try:
            self._query(f"SET LOCAL lock_timeout = '{max(1, int(lock_timeout() * 1000))}ms'")
            self._query("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        except psycopg.errors.LockNotAvailable:
            self._rollback()
            raise StoreBusy(_("{label}: another secretary session has been writing for a long time; try again shortly").format(
                                label=self.label,
                            )) from None
        except BaseException:
            self._rollback()
            raise
        self._query("SET LOCAL lock_timeout = 0")
        self._stamp = None
        self.refresh()  # fresh data under the lock
        self._initialised_before = self._query("SELECT 1 FROM settings WHERE name = 'initialised'").fetchone() is not None

    def _begin_write(self, backup: bool = True) -> int:
        """The number of this transaction's change (the version of every row it writes); the
        first write of a day keeps a backup of the state before it first."""
        if self._stamp is None:
            if backup and self._initialised_before:
                self.backups.daily()
            row = self._query("UPDATE counters SET value = value + 1 WHERE name = 'change' RETURNING value").fetchone()
            assert row is not None
            self._stamp = row[0]
        return self._stamp

    def _everything_changed(self) -> None:
        """After a restore: every generation moves on."""
        self._everything = True
        self._dirty_registry = set(self.collections)
        self._dirty_index = True
        rows = self._query("SELECT DISTINCT body, year FROM meetings UNION SELECT body, year FROM partitions").fetchall()
        self._dirty_partitions = {(body, year) for body, year in rows}

    def _finish(self) -> None:
        stamp = self._stamp
        if stamp is None:
            self._query("COMMIT")
            return
        names = [f"registry:{name}" for name in sorted(self._dirty_registry)]
        if self._dirty_registry:
            names.append(REGISTRY_COUNTER)
        if self._dirty_index:
            names.append(INDEX_COUNTER)
        with self._conn.cursor() as cur:
            if names:
                cur.executemany(
                    "INSERT INTO counters (name, value) VALUES (%s, %s) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                    [(name, stamp) for name in names],
                )
            if self._dirty_partitions:
                cur.executemany(
                    "INSERT INTO partitions (body, year, generation) VALUES (%s, %s, %s) "
                    "ON CONFLICT (body, year) DO UPDATE SET generation = EXCLUDED.generation",
                    [(body, year, stamp) for body, year in sorted(self._dirty_partitions)],
                )
            # Sent by the server on COMMIT only; the change number is all it says (no names, no data).
            cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(stamp)))
        try:
            self._query("COMMIT")
        except psycopg.Error as exc:
            raise StoreWriteFailed(_("{label}: the commit failed ({reason}); nothing was saved").format(
                                       label=self.label, reason=_first_line(exc),
                                   )) from None
        # What this process wrote is what it holds: its caches move to the new generation.
        self._generations["change"] = stamp
        for name in names:
            self._generations[name] = stamp
        for name in self._dirty_registry:
            collection = self.collections[name]
            if self._everything:
                collection.forget()
            elif collection._loaded_at is not None:
                collection._loaded_at = stamp
        if self._everything:
            self.meetings.forget()
        for where in self._dirty_partitions:
            self._partition_generations[where] = stamp
            part = self.meetings._partitions.get(where)
            if part is not None:
                part.generation = stamp
        if self._dirty_index and self.meetings._loaded_at is not None:
            self.meetings._loaded_at = stamp
        changes = Changes(frozenset(self._dirty_partitions), bool(self._dirty_registry), self._everything)
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:  # noqa: BLE001 - a commit never fails for a reader (the port's promise)
                log.exception("a commit listener failed")

    # -- the change log (what derived data such as the search index follows) -----------------

    def change_generation(self) -> Generation:
        row = self._query("SELECT value FROM counters WHERE name = 'change'").fetchone()
        return Generation(self._epoch(), row[0] if row else 0)

    def changes_since(self, generation: Generation) -> Changes | None:
        """From the generations every commit stamps on the counters and the (body, year) groups."""
        if generation.epoch != self._epoch():
            return None
        registry = self._query("SELECT value FROM counters WHERE name = 'registry'").fetchone()
        rows = self._query("SELECT body, year FROM partitions WHERE generation > %s", (generation.number,)).fetchall()
        return Changes(frozenset((body, year) for body, year in rows), bool(registry and registry[0] > generation.number))

    def on_commit(self, listener: Callable[[Changes], None]) -> None:
        self._listeners.append(listener)

    def derived_folder(self, name: str) -> Path | None:
        """Derived data of a server database lives in memory in each process (the search index is
        rebuilt per process; several machines share no folder)."""
        return None

    def _epoch(self) -> str:
        return f"postgresql:{self.label}"

    def _rolled_back(self) -> None:
        for name in self._dirty_registry:
            self.collections[name].forget()
        if self._dirty_index or self._everything:
            self.meetings.forget(index=True)
        self.meetings.forget(self._dirty_partitions if not self._everything else None, index=False)

    # -- check ---------------------------------------------------------------------------

    def check(self) -> list[str]:
        from store.postgres.check import check_store

        with self.reading():
            return check_store(self)


def files_folder(url: str) -> Path:
    """Where templates/ and exports/ live for a server database: $SECRETARY_FILES, else a
    folder per server and database in the user data directory."""
    configured = os.environ.get("SECRETARY_FILES", "").strip()
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in f"{host_name(url)}-{database_name(url)}")
    return Path(platformdirs.user_data_dir("secretary", appauthor=False)) / "postgresql" / safe
