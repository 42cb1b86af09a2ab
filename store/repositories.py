"""Repositories: the only way the rest of the program reads and writes stored objects.

They hand out validated domain objects and take them back; nobody outside
store/ sees a TinyDB document.
"""

from __future__ import annotations

import builtins
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from pydantic import ValidationError
from tinydb.table import Document

from secretary.domain.errors import StoreDamaged
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
from secretary.domain.rows import ActionRow, ItemRef, MeetingRow
from store.storage import gc_paused

if TYPE_CHECKING:
    from store.handle import DatabaseHandle as Database

T = TypeVar("T", bound=Entity)

# Validated partitions kept in memory, least recently used out first, up to this many bytes of
# the stored JSON they were read from. A validated meeting takes ~3.5 times its stored bytes
# (every pydantic instance has its own field dict and fields-set), so 32 MB of JSON is ~115 MB
# of objects: what a session works in (a year of every body, twenty years of one body: 20
# partitions of 200-300 KB) stays, while a walk over twenty years (feeds, search, exports)
# streams instead of holding the archive (3,000 meetings at benchmark scale 1: ~300 MB).
PARTITION_CACHE_BYTES = 32 * 1024 * 1024


class _Cached:
    """One validated partition in the cache: the storage generation it reflects and its stored size."""

    __slots__ = ("generation", "meetings", "size")

    def __init__(self, generation: int, meetings: dict[str, Meeting], size: int):
        self.generation = generation
        self.meetings = meetings
        self.size = size


def _validate(db: Database, path: Path, model: type[T], key: str, raw: dict) -> T:
    try:
        return cast(T, model.model_validate(raw, strict=False))  # mypy widens type[T]'s Self to T's bound
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise db.damaged(path, f"stored {model.__name__.lower()} {key!r} is invalid: field {field!r}: {first['msg']}") from None


def keys_between(rows: dict[str, dict], field: str, low: dt.date, high: dt.date, order: tuple[str, ...]) -> list[str]:
    """Keys of the stored rows whose ISO date `field` lies in [low, high], in the order of the
    stored fields `order` (strings as stored, a missing one first), then the key."""
    first, last = low.isoformat(), high.isoformat()
    keys = [key for key, raw in rows.items() if isinstance(raw.get(field), str) and first <= raw[field] <= last]

    def sort_key(key: str) -> tuple:
        raw = rows[key]
        return (*(str(raw.get(name) or "") for name in order), key)

    return sorted(keys, key=sort_key)


class Collection(Generic[T]):
    """One registry table (organisations, bodies, people, memberships, milestones)."""

    def __init__(self, db: Database, name: str, model: type[T]):
        self.db = db
        self.name = name
        self.model = model
        self._cache: dict[str, T] = {}
        self._complete = False  # every stored row is in _cache (get() validates one at a time)
        self._generation = -1

    def _storage(self):
        return self.db.storage(self.db.path)

    def _rows(self) -> dict[str, dict]:
        rows = self.db.registry.table(self.name)._read_table()  # raw: skips TinyDB's Document wrapping
        generation = self._storage().generation
        if self._generation != generation:
            self._cache = {}
            self._complete = False
            self._generation = generation
        return rows

    def all(self) -> dict[str, T]:
        rows = self._rows()
        if not self._complete:
            cache = self._cache
            for key, raw in rows.items():
                if key not in cache:
                    cache[key] = _validate(self.db, self.db.path, self.model, key, raw)
            self._complete = True
        return self._cache

    def get(self, key: str) -> T | None:
        """One object, validated on its own: the start screen names six people, not two thousand."""
        rows = self._rows()
        found = self._cache.get(key)
        if found is None and key in rows:
            found = self._cache[key] = _validate(self.db, self.db.path, self.model, key, rows[key])
        return found

    def between(self, field: str, low: dt.date, high: dt.date) -> list[T]:
        """Objects whose date `field` (stored as an ISO string) lies in [low, high], validated
        alone: "terms ending within 60 days" need not validate twenty years of seats."""
        rows = self._rows()
        first, last = low.isoformat(), high.isoformat()
        cache = self._cache
        found = []
        for key, raw in rows.items():
            value = raw.get(field)
            if isinstance(value, str) and first <= value <= last:
                obj = cache.get(key)
                if obj is None:
                    obj = cache[key] = _validate(self.db, self.db.path, self.model, key, raw)
                found.append(obj)
        return found

    def first_between(self, field: str, low: dt.date, high: dt.date, order: tuple[str, ...], count: int) -> tuple[list[T], int]:
        rows = self._rows()
        keys = keys_between(rows, field, low, high, order)
        return [found for found in map(self.get, keys[:count]) if found is not None], len(keys)

    def save(self, obj: T) -> None:
        self.db.require_transaction()
        cache = self.all()
        # KeyedTable stores documents under the domain id (a str); TinyDB's annotation says int.
        self.db.registry.table(self.name).upsert(Document(obj.model_dump(mode="json"), doc_id=obj.id))  # type: ignore[arg-type]
        cache[obj.id] = obj
        self._generation = self._storage().generation

    def save_many(self, objects: Iterable[T]) -> None:
        self.db.require_transaction()
        objects = list(objects)  # read twice below: a generator would leave the cache behind
        cache = self.all()
        table = self.db.registry.table(self.name)
        rows = [(obj.id, obj.model_dump(mode="json")) for obj in objects]
        if not rows:
            return

        def upsert_all(docs):
            for key, raw in rows:
                docs[key] = raw

        table._update_table(upsert_all)  # one write for many objects, not one per object
        for obj in objects:
            cache[obj.id] = obj
        self._generation = self._storage().generation

    def delete(self, key: str) -> None:
        self.db.require_transaction()
        cache = self.all()
        table = self.db.registry.table(self.name)
        if table.contains(doc_id=key):
            table.remove(doc_ids=[key])
        cache.pop(key, None)
        self._generation = self._storage().generation


@dataclass(frozen=True)
class Placement:
    """Where a meeting is stored and when it is, with what the start screen asks of it
    (minutes state, open actions), so lists and the overview never load twenty years of items."""

    body: str
    start: str
    end: str
    status: str
    title: str
    location: str = ""
    minutes: str = "none"
    # Open actions as (item id, item number, action id, due date or None, what, owner).
    actions: tuple[tuple[str, str, str, str | None, str, str], ...] = ()
    # The life as far as the deadlines need it (secretary/domain/life.py): the agenda was
    # dispatched, the comment deadline of minutes sent, the day of approval (justering),
    # and the days the public minutes were published and the anslag posted.
    dispatched: bool = False
    comment_deadline: str | None = None
    approved_on: str | None = None
    published_minutes: str | None = None
    posted_on: str | None = None

    FIELDS = ("body", "start", "end", "status", "title", "location", "minutes", "actions",
              "dispatched", "comment_deadline", "approved_on", "published_minutes", "posted_on")

    @property
    def year(self) -> int:
        return int(self.start[:4])

    @classmethod
    def of(cls, meeting: Meeting) -> Placement:
        actions = tuple(
            (item.id, item.number, action.id, action.due.isoformat() if action.due else None, action.what, action.owner)
            for item in meeting.items
            for action in item.actions
            if not action.done
        )
        minutes = meeting.minutes

        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value is not None else None

        return cls(
            meeting.body, meeting.start.isoformat(), meeting.end.isoformat(), meeting.status, meeting.title,
            meeting.location, minutes.status, actions,
            meeting.dispatched_at is not None or meeting.status in ("invited", "held"),
            day(minutes.comment_deadline), day(minutes.approved_on), day(meeting.published.minutes), day(minutes.posted_on),
        )

    @classmethod
    def stored(cls, raw: dict) -> Placement | None:
        """A stored index row, or None when it was written before the row had every field."""
        if len(raw) != len(cls.FIELDS):
            if any(name not in raw for name in cls.FIELDS):
                return None
            raise ValueError(f"unknown fields {sorted(set(raw) - set(cls.FIELDS))}")
        actions = raw["actions"]
        return cls(
            raw["body"], raw["start"], raw["end"], raw["status"], raw["title"], raw["location"], raw["minutes"],
            tuple(map(tuple, actions)) if actions else (),
            bool(raw["dispatched"]), raw["comment_deadline"], raw["approved_on"], raw["published_minutes"], raw["posted_on"],
        )

    def row(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    def typed(self, key: str) -> MeetingRow:
        """The port's index row: real dates instead of the stored ISO strings."""
        actions = tuple(
            (ItemRef(item_id, number), ActionRow(action_id, what, owner, dt.date.fromisoformat(due) if due else None))
            for item_id, number, action_id, due, what, owner in self.actions
        )
        def day(value: str | None) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return MeetingRow(
            key, self.body, dt.datetime.fromisoformat(self.start), self.status, self.title, self.location,
            self.minutes, dt.datetime.fromisoformat(self.end), actions,
            self.dispatched, day(self.comment_deadline), day(self.approved_on), day(self.published_minutes),
            day(self.posted_on),
        )


def row_wanted(row: MeetingRow, first_day: dt.date | None, last_day: dt.date | None, open_actions: bool,
               minutes: frozenset[str] | None) -> bool:
    """Whether an index row answers `Meetings.rows_where(first_day, last_day, ...)`."""
    day = row.start.date()
    return ((first_day is None or day >= first_day) and (last_day is None or day <= last_day)
            and (not open_actions or bool(row.open_actions)) and (minutes is None or row.minutes_status in minutes))


def _raw_wanted(raw: dict, first: str | None, last: str | None, open_actions: bool, minutes: frozenset[str] | None) -> bool:
    """`row_wanted` on a stored row: its start is an ISO string whose first ten characters are
    the day on the meeting's own clock."""
    day = raw["start"][:10]
    return ((first is None or day >= first) and (last is None or day <= last)
            and (not open_actions or bool(raw["actions"])) and (minutes is None or raw["minutes"] in minutes))


class _IndexYear:
    """One year's index file as read: its storage generation, its placements, the keys of rows an
    older version wrote without every field (rebuilt in memory from the meetings), and whether the
    file was missing or damaged (then every row was rebuilt from the year's partitions)."""

    __slots__ = ("bodies", "generation", "made", "places", "rebuilt", "rows", "stale")

    def __init__(self, generation: int, places: dict[str, Placement], stale: builtins.list[str], rebuilt: bool):
        self.generation = generation
        self.places = places
        self.stale = stale
        self.rebuilt = rebuilt
        self.rows: dict[str, MeetingRow] | None = None  # every typed row, made when first asked
        self.made: dict[str, MeetingRow] = {}  # the typed rows made so far, one by one (`answering`)
        self.bodies: dict[str, builtins.list[str]] | None = None  # keys by body, made when first asked

    def of_body(self, body: str) -> builtins.list[str]:
        if self.bodies is None:
            bodies: dict[str, builtins.list[str]] = {}
            for key, place in self.places.items():
                bodies.setdefault(place.body, []).append(key)
            self.bodies = bodies
        return self.bodies.get(body, [])

    def typed(self) -> dict[str, MeetingRow]:
        if self.rows is None:
            made = self.made
            with gc_paused():  # thousands of frozen rows, none in a cycle (see store.storage.loads_paused)
                self.rows = {key: made.get(key) or place.typed(key) for key, place in self.places.items()}
            self.made = self.rows
        return self.rows

    def answering(self, first: str | None, last: str | None, open_actions: bool,
                  minutes: frozenset[str] | None) -> builtins.list[MeetingRow]:
        """The rows that answer `rows_where` (days as ISO strings), judged on the stored row and
        made into typed rows alone: the start screen's questions need a few hundred rows of
        a year, not its thousands (at benchmark scale 10, a third of its time)."""
        made = self.made
        found = []
        with gc_paused():
            for key, place in self.places.items():
                day = place.start[:10]  # the day on the meeting's own clock, as `row_wanted` judges it
                if ((first is None or day >= first) and (last is None or day <= last)
                        and (not open_actions or place.actions) and (minutes is None or place.minutes in minutes)):
                    row = made.get(key)
                    if row is None:
                        row = made[key] = place.typed(key)
                    found.append(row)
        return found


class MeetingRepository:
    """Meetings live in per-body, per-year partitions; an index (one file per year) says which.

    The index of a year, PATH.d/index/<year>.json, holds the row (`Placement`) of every meeting
    that starts in that year: an edit that changes a row rewrites its year's file only, and the
    start screen reads the years it shows. Years rather than (body, year) groups: twenty files
    at any number of bodies, where a file per partition would double the files an open reads.
    """

    INDEX = "meetings"

    def __init__(self, db: Database):
        self.db = db
        self._index: dict[str, Placement] = {}
        self._index_key: tuple = ()  # (year, generation) of every year `_index` was merged from
        self._index_generation = 0  # bumped whenever `_index` changes
        self._years: dict[int, _IndexYear] = {}
        self._legacy: _IndexYear | None = None  # PATH.d/index.json of a database not yet split
        self._summary_cache: dict[int, tuple[bool, frozenset[str]]] | None = None
        self._summary_generation = -1
        self._listed: builtins.list[int] | None = None
        self._listed_key: tuple[int, int] = (-2, -1)
        self._rows: dict[str, MeetingRow] = {}
        self._rows_generation = -1  # the index generation `_rows` was made from
        self._stale: builtins.list[str] = []  # index rows written by an older version (see upgrade_index)
        self._keys: set[tuple[str, int]] = set()
        self._keys_generation = -1  # the index generation `_keys` was computed from
        # Bounded (PARTITION_CACHE_BYTES); the partitions the current transaction read or wrote
        # are pinned until it ends, so a write never finds its partition evicted half-way.
        self._partitions: OrderedDict[Path, _Cached] = OrderedDict()
        self._cached_bytes = 0
        self._pinned: set[Path] = set()
        self._pinned_in = -1  # the transaction number `_pinned` belongs to
        self._cache_lock = threading.Lock()  # TUI workers read meetings beside the main thread

    # -- index --------------------------------------------------------------

    def index_years(self) -> builtins.list[int]:
        """The years with an index file: listed once per transaction and once per refresh that
        looked at the disk, plus the years this transaction is writing."""
        db = self.db
        key = (db.transaction_number if db.in_transaction() else -1, db.listing_epoch)
        if self._listed is None or key != self._listed_key:
            self._listed = db.index_years()
            self._listed_key = key
        years = self._listed
        if db.in_transaction():
            writing = [year for year in self._years if year not in years and db.storage(db.index_path(year)).dirty]
            if writing:
                years = sorted([*years, *writing])
        return years

    def index_listing_changed(self) -> bool:
        """After a refresh: True when the index files on disk are not the years last read
        (another process added a year)."""
        if self._listed is None:
            return False
        return self.db.index_years() != self._listed

    def placements(self) -> dict[str, Placement]:
        years = self.index_years()
        if not years:
            return self._placements_unsplit()
        parts = []
        for year in years:
            entry = self._year(year)
            parts.append((year, entry.generation))
        key = tuple(parts)
        if key != self._index_key:
            merged: dict[str, Placement] = {}
            stale: builtins.list[str] = []
            for year in years:
                entry = self._years[year]
                merged.update(entry.places)
                stale.extend(entry.stale)
            self._index, self._stale, self._index_key = merged, stale, key
            self._legacy = None
            self._index_generation += 1
        return self._index

    def _year(self, year: int) -> _IndexYear:
        """One year's index, read again only when its file changed."""
        path = self.db.index_path(year)
        storage = self.db.storage(path)
        storage.verify()
        entry = self._years.get(year)
        if entry is not None and entry.generation == storage.generation:
            return entry
        try:
            rows = self.db.handle(path).table(self.INDEX)._read_table()
        except StoreDamaged:
            # Derived data: a damaged year is rebuilt from its partitions (in memory; the next
            # open that takes the write lock writes it back, `check` names it meanwhile).
            storage.unreadable()
            places = self._placements_of_year(year)
            entry = self._years[year] = _IndexYear(storage.generation, places, [], True)
            return entry
        places, stale = self._parse_rows(path, rows)
        entry = self._years[year] = _IndexYear(storage.generation, places, stale, False)
        return entry

    def _parse_rows(self, path: Path, rows: dict[str, dict]) -> tuple[dict[str, Placement], builtins.list[str]]:
        with gc_paused():
            stored = {key: self._stored_placement(path, key, raw) for key, raw in rows.items()}
        stale = [key for key, place in stored.items() if place is None]
        if not stale:
            return cast("dict[str, Placement]", stored), []  # nothing stale: no None among them
        stored.update(self._placements_from_partitions(path, stale, rows))
        # A row whose meeting is not stored stays out (`check` names it: "indexed but not stored").
        return {key: place for key, place in stored.items() if place is not None}, stale

    def _placements_unsplit(self) -> dict[str, Placement]:
        """No year files: the one-file index of an older version, or (lost) from every partition."""
        path = self.db.legacy_index
        storage = self.db.storage(path)
        storage.verify()
        entry = self._legacy
        if entry is None or entry.generation != storage.generation or self._index_key != ("legacy", entry.generation):
            try:
                rows = self.db.handle(path).table(self.INDEX)._read_table()
                missing = not rows and storage.missing_on_disk()
            except StoreDamaged:
                storage.unreadable()
                rows, missing = {}, True
            if missing:
                # The index is derived data: a lost index must not make every meeting vanish.
                entry = _IndexYear(storage.generation, self._placements_from_all_partitions(), [], True)
            else:
                places, stale = self._parse_rows(path, rows)
                entry = _IndexYear(storage.generation, places, stale, False)
            self._legacy = entry
            self._index, self._stale = entry.places, entry.stale
            self._index_key = ("legacy", entry.generation)
            self._index_generation += 1
        return self._index

    def rows(self) -> dict[str, MeetingRow]:
        """Every meeting's index row with real dates, made once per version of each year."""
        self.placements()
        if self._rows_generation != self._index_generation:
            if self._legacy is not None:
                self._rows = self._legacy.typed()
            else:
                rows: dict[str, MeetingRow] = {}
                for year in self.index_years():
                    rows.update(self._years[year].typed())
                self._rows = rows
            self._rows_generation = self._index_generation
        return self._rows

    def rows_of_years(self, first: int | None, last: int | None) -> dict[str, MeetingRow]:
        """The index rows of meetings starting in the years first..last (None: open-ended),
        reading only those years' index files."""
        if not self.index_years():
            return {k: r for k, r in self.rows().items() if (first is None or r.year >= first) and (last is None or r.year <= last)}
        found: dict[str, MeetingRow] = {}
        for year in self.index_years():
            if (first is None or year >= first) and (last is None or year <= last):
                found.update(self._year(year).typed())
        return found

    # The summary (PATH.d/index/summary.json): for each year, whether a row of it keeps open
    # actions and which minutes states its rows have, so that the start screen's "open actions"
    # and "minutes to approve" read the years that have some and not twenty. Derived from the
    # year files and written in the same commit as they are, when a year's flags change (rarely:
    # a year gains its first open action or loses its last); missing or unreadable, every year
    # is read (and the next open that takes the write lock writes it again).
    SUMMARY = "years"

    def _summary(self) -> dict[int, tuple[bool, frozenset[str]]] | None:
        storage = self.db.storage(self.db.index_summary)
        storage.verify()
        if self._summary_generation == storage.generation and self._summary_cache is not None:
            return self._summary_cache
        try:
            raw = self.db.handle(self.db.index_summary).table(self.SUMMARY)._read_table()
            missing = not raw and storage.missing_on_disk()
        except StoreDamaged:
            storage.unreadable()
            raw, missing = {}, True
        summary: dict[int, tuple[bool, frozenset[str]]] | None = None
        if not missing:
            try:
                summary = {int(year): (bool(flags["actions"]), frozenset(map(str, flags["minutes"]))) for year, flags in raw.items()}
            except (KeyError, TypeError, ValueError, AttributeError):
                summary = None  # not ours to trust: every year is read; `check` names it
        self._summary_cache, self._summary_generation = summary, storage.generation
        return summary

    @staticmethod
    def _flags(places: dict[str, Placement]) -> tuple[bool, frozenset[str]]:
        return any(place.actions for place in places.values()), frozenset(place.minutes for place in places.values())

    def _write_summary(self, years: Iterable[int], complete: bool) -> None:
        """Bring the summary up to date for `years` (whose entries this transaction holds); with
        `complete`, write it for every year with a file even when it was missing."""
        summary = self._summary()
        if summary is None and not complete:
            known = all(
                year in self._years and self._years[year].generation == self.db.storage(self.db.index_path(year)).generation
                for year in self.index_years()
            )
            if not known:
                return  # missing: readers read every year; the next open writes it whole
            complete = True  # every year is in memory (a new database): written whole at no cost
        new = dict(summary or {})
        for year in years:
            entry = self._years.get(year)
            if entry is not None:
                new[year] = self._flags(entry.places)
        if complete:
            for year in self.index_years():
                if year not in new:
                    new[year] = self._flags(self._year(year).places)
        if new == summary:
            return
        rows = {f"{year:04d}": {"actions": flags[0], "minutes": sorted(flags[1])} for year, flags in sorted(new.items())}
        storage = self.db.storage(self.db.index_summary)
        storage.write({self.SUMMARY: rows})
        self._summary_cache, self._summary_generation = new, storage.generation

    def rebuild_summary(self) -> None:
        with self.db.transaction():
            self._write_summary([], complete=True)

    def summary_readable(self) -> bool:
        return self._summary() is not None

    def rows_where(
        self, first_day: dt.date | None = None, last_day: dt.date | None = None, *,
        open_actions: bool = False, minutes: frozenset[str] | None = None,
    ) -> builtins.list[MeetingRow]:
        """The rows of `Meetings.rows_where`: only the index files of the years asked for are
        read, and of a year not made into rows before only the rows that answer are made (the
        start screen's next meetings, open actions and minutes to approve are a few rows of
        twenty years)."""
        years = self.index_years()
        if not years:
            return [row for row in self.rows().values() if row_wanted(row, first_day, last_day, open_actions, minutes)]
        first = first_day.isoformat() if first_day is not None else None
        last = last_day.isoformat() if last_day is not None else None
        summary = self._summary() if open_actions or minutes is not None else None
        found: builtins.list[MeetingRow] = []
        for year in years:
            if (first_day is not None and year < first_day.year) or (last_day is not None and year > last_day.year):
                continue
            flags = summary.get(year) if summary is not None else None
            if flags is not None and ((open_actions and not flags[0]) or (minutes is not None and not flags[1] & minutes)):
                continue  # the summary says no row of this year answers
            path = self.db.index_path(year)
            storage = self.db.storage(path)
            storage.verify()
            entry = self._years.get(year)
            if entry is None or entry.generation != storage.generation:
                try:
                    raw = self.db.handle(path).table(self.INDEX)._read_table()
                except StoreDamaged:
                    raw = None
                whole = len(Placement.FIELDS)
                if raw is not None and all(len(row) == whole for row in raw.values()):
                    try:
                        wanted = any(_raw_wanted(row, first, last, open_actions, minutes) for row in raw.values())
                    except (KeyError, TypeError):
                        raise self._bad_row(path, "?") from None
                    if not wanted:
                        continue  # nothing of this year answers: no row of it is made
                # A year that answers is made into rows once, kept for the next question (the
                # start screen asks four of the same year); damaged, or rows of an older version.
                entry = self._year(year)
            found.extend(entry.answering(first, last, open_actions, minutes))
        return found

    def index_generation(self) -> int:
        self.placements()
        return self._index_generation

    def _stored_placement(self, path: Path, key: str, raw: dict) -> Placement | None:
        try:
            return Placement.stored(raw)
        except (TypeError, ValueError, AttributeError, KeyError):
            raise self._bad_row(path, key) from None

    def _bad_row(self, path: Path, key: str) -> Exception:
        return self.db.damaged(path, f"index row {key!r} is not a meeting placement")

    def _placements_from_partitions(self, path: Path, keys: builtins.list[str], rows: dict[str, dict]) -> dict[str, Placement]:
        """Rows of an index written by an older version, rebuilt from their meetings (in memory;
        `upgrade_index` writes them back when the database is opened for writing)."""
        found = {}
        by_partition: dict[tuple[str, int], builtins.list[str]] = {}
        for key in keys:
            raw = rows[key]
            try:
                where = (str(raw["body"]), int(str(raw["start"])[:4]))
            except (KeyError, TypeError, ValueError):
                raise self._bad_row(path, key) from None
            by_partition.setdefault(where, []).append(key)
        for (body, year), wanted in by_partition.items():
            meetings = self._partition(body, year)
            for key in wanted:
                if key in meetings:
                    found[key] = Placement.of(meetings[key])
        return found

    def _placements_of_year(self, year: int) -> dict[str, Placement]:
        found = {}
        if self.db.partitions.is_dir():
            for path in sorted(self.db.partitions.glob(f"*/{year:04d}.json")):
                for key, meeting in self._partition(path.parent.name, year).items():
                    found[key] = Placement.of(meeting)
        return found

    def _placements_from_all_partitions(self) -> dict[str, Placement]:
        found = {}
        for path in self.db.partition_files():
            if not (path.stem.isdigit() and len(path.stem) == 4):
                continue  # `check` names a file that is not a partition
            for key, meeting in self._partition(path.parent.name, int(path.stem)).items():
                found[key] = Placement.of(meeting)
        return found

    def split_index(self) -> int:
        """Write the index of a database that has none split per year (the one-file index of an
        older version, its stale rows rebuilt; or, when it was lost, every partition): one commit
        of every year's file; how many rows."""
        with self.db.transaction():
            if self.index_years():
                return 0
            places = self.placements()
            self._write_years(places)
        return len(places)

    def rebuild_years(self, years: Iterable[int]) -> int:
        """Write the index files of these years again from their partitions (a year file that is
        missing or damaged); how many rows."""
        count = 0
        with self.db.transaction():
            for year in sorted(set(years)):
                places = self._placements_of_year(year)
                self._write_year_whole(year, places)
                count += len(places)
            self._write_summary(set(years), complete=True)
        return count

    def rebuild_index(self) -> int:
        """Write the whole index again from the partitions; how many rows."""
        years = self.db.partition_years() | set(self.index_years())
        return self.rebuild_years(years)

    def upgrade_index(self) -> int:
        """Write back index rows that an older version stored without every field; how many."""
        places = self.placements()
        stale = self._stale
        if not stale:
            return 0
        with self.db.transaction():
            self._write_index({key: places[key].row() for key in stale if key in places}, [])
        return len(stale)

    def ids(self, body: str | None = None, year: int | None = None) -> list[str]:
        if year is not None and self.index_years():
            # One year's file, and of it one body's keys: every partition's reader (feeds, the
            # site, search) asks once per (body, year), which over every row was quadratic.
            self.placements()  # every year up to date, as the merged index is
            if year not in self.index_years():
                return []
            entry = self._year(year)
            return list(entry.places) if body is None else list(entry.of_body(body))
        return [
            key
            for key, place in self.placements().items()
            if (body is None or place.body == body) and (year is None or place.year == year)
        ]

    # -- partitions ------------------------------------------------------------

    def _partition(self, body: str, year: int) -> dict[str, Meeting]:
        path = self.db.partition_path(body, year)
        storage = self.db.storage(path)
        storage.verify()
        self._pin(path)
        with self._cache_lock:
            cached = self._partitions.get(path)
            if cached is not None and cached.generation == storage.generation:
                self._partitions.move_to_end(path)
                size = storage.stored_size()  # changes when a write of ours is committed
                self._cached_bytes += size - cached.size
                cached.size = size
                if self._cached_bytes > PARTITION_CACHE_BYTES:  # what a finished transaction kept
                    self._trim(path)
                return cached.meetings
        rows = self.db.handle(path).table("meetings")._read_table()
        meetings = {key: _validate(self.db, path, Meeting, key, raw) for key, raw in rows.items()}
        self._remember(path, storage.generation, meetings)
        storage.release()  # keep one form in memory: the validated meetings
        return meetings

    def _pin(self, path: Path) -> None:
        """Keep a partition the current transaction reads or writes until the transaction ends."""
        if not self.db.in_transaction():
            return
        with self._cache_lock:
            if self._pinned_in != self.db.transaction_number:
                self._pinned_in = self.db.transaction_number
                self._pinned = set()
            self._pinned.add(path)

    def _remember(self, path: Path, generation: int, meetings: dict[str, Meeting]) -> None:
        """Cache a validated partition as the most recently used; evict the least recently
        used beyond PARTITION_CACHE_BYTES, never this one nor one the transaction pinned."""
        size = self.db.storage(path).stored_size()
        with self._cache_lock:
            old = self._partitions.pop(path, None)
            if old is not None:
                self._cached_bytes -= old.size
            self._partitions[path] = _Cached(generation, meetings, size)
            self._cached_bytes += size
            self._trim(path)

    def _trim(self, keep: Path) -> None:
        """Evict least recently used partitions down to the budget (called holding the lock)."""
        pinned = self._pinned if self.db.in_transaction() and self._pinned_in == self.db.transaction_number else ()
        for oldest in list(self._partitions):
            if self._cached_bytes <= PARTITION_CACHE_BYTES:
                break
            if oldest == keep or oldest in pinned:
                continue
            self._cached_bytes -= self._partitions.pop(oldest).size

    def _forget_partition(self, path: Path) -> None:
        with self._cache_lock:
            old = self._partitions.pop(path, None)
            if old is not None:
                self._cached_bytes -= old.size

    def cached_bytes(self) -> int:
        """Stored bytes of the validated partitions held in memory (bounded by PARTITION_CACHE_BYTES
        outside a transaction; a transaction keeps what it read or wrote until it ends)."""
        return self._cached_bytes

    def generation(self, body: str, year: int) -> int | None:
        """The storage generation of a partition this process has read (it changes with every
        write and every change by another process that `Database.refresh` or a transaction
        notices), or None when it has not been read: lets a reader keep what it derived from a
        partition (feed events) without holding the validated meetings."""
        storage = self.db.storage(self.db.partition_path(body, year))
        return storage.generation if storage.generation > 0 else None

    def get(self, key: str) -> Meeting | None:
        place = self.placements().get(key)
        if place is None:
            return None
        return self._partition(place.body, place.year).get(key)

    def many(self, keys: Iterable[str]) -> list[Meeting]:
        # One index read and one partition lookup per partition, not per meeting:
        # `list()` of 20 years called `get` 3,000 times (profiled in benchmarks/).
        places = self.placements()
        partitions: dict[tuple[str, int], dict[str, Meeting]] = {}
        found = []
        for key in keys:
            place = places.get(key)
            if place is None:
                continue
            where = (place.body, place.year)
            partition = partitions.get(where)
            if partition is None:
                partition = partitions[where] = self._partition(*where)
            meeting = partition.get(key)
            if meeting is not None:
                found.append(meeting)
        return found

    def list(self, body: str | None = None, year: int | None = None) -> list[Meeting]:
        """Meetings in start order (then id), optionally of one body and one year."""
        places = self.placements()
        keys = sorted(self.ids(body, year), key=lambda k: (places[k].start, k))
        return self.many(keys)

    def all(self) -> builtins.list[Meeting]:
        """Every meeting at once: for one-shot commands (export json, list meetings); a reader
        that can go meeting by meeting uses `each()`, which does not hold twenty years."""
        return self.list()

    def each(self, body: str | None = None, year: int | None = None) -> Iterator[Meeting]:
        """The meetings of `list(body, year)`, in the same order (start, then id), read one year
        at a time: at most one year's partitions are held beside the bounded cache."""
        places = self.placements()
        years = sorted(
            {place.year for place in places.values() if (body is None or place.body == body) and (year is None or place.year == year)}
        )
        for one_year in years:
            yield from self.list(body=body, year=one_year)

    def raw_partitions(self) -> Iterable[tuple[str, dict]]:
        """Stored meeting documents, unvalidated: for bulk readers such as search."""
        for body, year in sorted(self.partition_keys()):
            _generation, rows = self.raw_partition(body, year)
            yield from rows.items()

    def partition_keys(self) -> set[tuple[str, int]]:
        """The (body, year) of every partition that holds a meeting (a copy; computed once per
        version of the index: every body's feed asks, and scale 10 has 30,000 meetings)."""
        places = self.placements()
        if self._keys_generation != self._index_generation:
            self._keys = {(place.body, place.year) for place in places.values()}
            self._keys_generation = self._index_generation
        return set(self._keys)

    def documents(self, body: str, year: int) -> tuple[int, dict[str, dict]]:
        return self.raw_partition(body, year)

    def raw_partition(self, body: str, year: int) -> tuple[int, dict[str, dict]]:
        """One partition's stored documents, unvalidated and not to be changed, with the
        storage generation they belong to: a bulk reader (search) re-reads only what changed."""
        path = self.db.partition_path(body, year)
        storage = self.db.storage(path)
        rows = self.db.handle(path).table("meetings")._read_table()
        generation = storage.generation
        storage.release()  # bulk readers keep what they need; twenty years stay on disk
        return generation, rows

    # -- writing -----------------------------------------------------------------

    def save(self, meeting: Meeting) -> None:
        self.save_many([meeting])

    def save_many(self, meetings: Iterable[Meeting]) -> None:
        self.db.require_transaction()
        places = self.placements()
        moved: dict[tuple[str, int], list[str]] = {}
        grouped: dict[tuple[str, int], list[Meeting]] = {}
        index_rows: dict[str, dict] = {}
        for meeting in meetings:
            place = Placement.of(meeting)
            old = places.get(meeting.id)
            if old is not None and (old.body, old.year) != (place.body, place.year):
                moved.setdefault((old.body, old.year), []).append(meeting.id)
            grouped.setdefault((place.body, place.year), []).append(meeting)
            if old != place:
                index_rows[meeting.id] = place.row()
        for (body, year), keys in moved.items():
            self._drop_from_partition(body, year, keys)
        for (body, year), batch in grouped.items():
            current = self._partition(body, year)  # validate what is there before writing over it (pinned)
            path = self.db.partition_path(body, year)
            rows = [(meeting.id, meeting.model_dump(mode="json")) for meeting in batch]

            def upsert_all(docs, rows=rows):
                for key, raw in rows:
                    docs[key] = raw

            self.db.handle(path).table("meetings")._update_table(upsert_all)
            for meeting in batch:
                current[meeting.id] = meeting
            self._remember(path, self.db.storage(path).generation, current)
        if index_rows:
            self._write_index(index_rows, [])

    def delete(self, key: str) -> None:
        self.db.require_transaction()
        place = self.placements().get(key)
        if place is None:
            return
        self._drop_from_partition(place.body, place.year, [key])
        self._write_index({}, [key])

    def _drop_from_partition(self, body: str, year: int, keys: builtins.list[str]) -> None:
        path = self.db.partition_path(body, year)
        self._partition(body, year)

        def drop(docs):
            for key in keys:
                docs.pop(key, None)

        self.db.handle(path).table("meetings")._update_table(drop)
        self._forget_partition(path)

    def _write_index(self, upserts: dict[str, dict], removals: builtins.list[str]) -> None:
        """Change index rows: each year's file that holds one of them is rewritten, no other."""
        index = self.placements()
        if not self.index_years() and index:
            # Not split yet (an older version's file, or rebuilt from the partitions): this
            # commit writes every year's file, so that no row is left only in the old file.
            self._write_years(index)
            index = self._index
        by_year: dict[int, tuple[dict[str, dict], builtins.list[str]]] = {}
        for key in removals:
            place = index.get(key)
            if place is not None:
                by_year.setdefault(place.year, ({}, []))[1].append(key)
        for key, raw in upserts.items():
            year = int(str(raw["start"])[:4])
            by_year.setdefault(year, ({}, []))[0][key] = raw
            old = index.get(key)
            if old is not None and old.year != year:
                by_year.setdefault(old.year, ({}, []))[1].append(key)
        rows_in_step = self._rows_generation == self._index_generation
        for year, (year_upserts, year_removals) in sorted(by_year.items()):
            self._write_year(year, year_upserts, year_removals)
        self._write_summary(by_year, complete=False)
        for key in removals:
            index.pop(key, None)
            self._rows.pop(key, None)
        for key, raw in upserts.items():
            place = Placement.stored(raw)
            assert place is not None  # upserts are whole rows (Placement.row())
            index[key] = place
            if rows_in_step:
                self._rows[key] = place.typed(key)  # an edit changes its own row, not twenty years'
        self._index_key = tuple((year, self._years[year].generation) for year in self.index_years())
        self._index_generation += 1
        if rows_in_step:
            self._rows_generation = self._index_generation

    def _write_year(self, year: int, upserts: dict[str, dict], removals: builtins.list[str]) -> None:
        entry = self._year(year) if year in self.index_years() else None
        path = self.db.index_path(year)
        if entry is not None and entry.rebuilt:
            places = dict(entry.places)
            for key in removals:
                places.pop(key, None)
            for key, raw in upserts.items():
                places[key] = cast(Placement, Placement.stored(raw))
            self._write_year_whole(year, places)
            return

        def apply(docs):
            for key in removals:
                docs.pop(key, None)
            docs.update(upserts)

        self.db.handle(path).table(self.INDEX)._update_table(apply)
        places = dict(entry.places) if entry is not None else {}
        for key in removals:
            places.pop(key, None)
        for key, raw in upserts.items():
            places[key] = cast(Placement, Placement.stored(raw))
        stale = [key for key in entry.stale if key not in upserts and key in places] if entry is not None else []
        self._years[year] = _IndexYear(self.db.storage(path).generation, places, stale, False)

    def _write_year_whole(self, year: int, places: dict[str, Placement]) -> None:
        path = self.db.index_path(year)
        storage = self.db.storage(path)
        storage.write({self.INDEX: {key: place.row() for key, place in places.items()}})
        self._years[year] = _IndexYear(storage.generation, dict(places), [], False)

    def _write_years(self, places: dict[str, Placement]) -> None:
        by_year: dict[int, dict[str, Placement]] = {}
        for key, place in places.items():
            by_year.setdefault(place.year, {})[key] = place
        for year, year_places in sorted(by_year.items()):
            self._write_year_whole(year, year_places)
        self._write_summary(by_year, complete=True)
        self._index_key = tuple((year, self._years[year].generation) for year in self.index_years())
        self._legacy = None
        self._index = dict(places)
        self._stale = []
        self._index_generation += 1


REVOKED = "revoked.json"  # beside the index; never in a backup


class RevokedTokens:
    """The SHA-256 of every feed token that was revoked, reissued or dropped, kept in its own file
    (PATH.d/revoked.json) that backups do not hold and `restore` does not touch: a token revoked
    once never works again, whatever state is restored or re-initialised later. Only hashes are
    kept, never a token."""

    TABLE = "tokens"

    def __init__(self, db: Database):
        self.db = db

    @staticmethod
    def digest(token: str) -> str:
        import hashlib

        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self) -> Path:
        return self.db.root / REVOKED

    def revoke(self, tokens: Iterable[str], when: str) -> None:
        self.db.require_transaction()
        digests = {self.digest(token): {"revoked": when} for token in tokens}
        if not digests:
            return
        table = self.db.handle(self._path()).table(self.TABLE)

        def add(docs):
            for key, row in digests.items():
                docs.setdefault(key, row)

        table._update_table(add)

    def contains(self, token: str) -> bool:
        rows = self.db.handle(self._path()).table(self.TABLE)._read_table()
        return self.digest(token) in rows


class Repositories:
    """Every repository of one database."""

    def __init__(self, db: Database):
        self.organisations: Collection[Organisation] = Collection(db, "organisations", Organisation)
        self.bodies: Collection[Body] = Collection(db, "bodies", Body)
        self.people: Collection[Person] = Collection(db, "people", Person)
        self.memberships: Collection[Membership] = Collection(db, "memberships", Membership)
        self.milestones: Collection[Milestone] = Collection(db, "milestones", Milestone)
        self.cases: Collection[Case] = Collection(db, "cases", Case)
        self.indicators: Collection[Indicator] = Collection(db, "indicators", Indicator)
        # Feed tokens are credentials: stored beside the people, never exported (not in COLLECTIONS).
        self.feed_tokens: Collection[FeedToken] = Collection(db, "feed_tokens", FeedToken)
        # Agendas and minutes sent by e-mail, per recipient: a log with addresses, never exported.
        self.mailings: Collection[Mailing] = Collection(db, "mailings", Mailing)
        self.revoked_tokens = RevokedTokens(db)
        self.meetings = MeetingRepository(db)
