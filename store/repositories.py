"""Repositories: the only way the rest of the program reads and writes stored objects.

They hand out validated domain objects and take them back; nobody outside
store/ sees a TinyDB document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from pydantic import ValidationError
from tinydb.table import Document

from secretary.model import Body, FeedToken, Meeting, Membership, Milestone, Organisation, Person, Record

if TYPE_CHECKING:
    from store.database import Database

T = TypeVar("T", bound=Record)


def _validate(db: Database, path: Path, model: type[T], key: str, raw: dict) -> T:
    try:
        return model.model_validate(raw, strict=False)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise db.damaged(path, f"stored {model.__name__.lower()} {key!r} is invalid: field {field!r}: {first['msg']}") from None


class Collection(Generic[T]):
    """One registry table (organisations, bodies, people, memberships, milestones)."""

    def __init__(self, db: Database, name: str, model: type[T]):
        self.db = db
        self.name = name
        self.model = model
        self._cache: dict[str, T] = {}
        self._generation = -1

    def _storage(self):
        return self.db.storage(self.db.path)

    def all(self) -> dict[str, T]:
        table = self.db.registry.table(self.name)
        storage = self._storage()
        rows = table._read_table()  # raw documents: skips TinyDB's Document wrapping
        if self._generation != storage.generation:
            self._cache = {key: _validate(self.db, self.db.path, self.model, key, raw) for key, raw in rows.items()}
            self._generation = storage.generation
        return self._cache

    def get(self, key: str) -> T | None:
        return self.all().get(key)

    def save(self, obj: T) -> None:
        self.db.require_transaction()
        cache = self.all()
        self.db.registry.table(self.name).upsert(Document(obj.model_dump(mode="json"), doc_id=obj.id))
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
    """Where a meeting is stored and when it is: enough for lists without loading items."""

    body: str
    start: str
    end: str
    status: str
    title: str

    @property
    def year(self) -> int:
        return int(self.start[:4])

    @classmethod
    def of(cls, meeting: Meeting) -> Placement:
        return cls(meeting.body, meeting.start.isoformat(), meeting.end.isoformat(), meeting.status, meeting.title)


class MeetingRepository:
    """Meetings live in per-body, per-year partitions; an index says which."""

    INDEX = "meetings"

    def __init__(self, db: Database):
        self.db = db
        self._index: dict[str, Placement] = {}
        self._index_generation = -1
        self._partitions: dict[Path, tuple[int, dict[str, Meeting]]] = {}

    # -- index --------------------------------------------------------------

    def placements(self) -> dict[str, Placement]:
        storage = self.db.storage(self.db.root / "index.json")
        rows = self.db.index.table(self.INDEX)._read_table()
        if self._index_generation != storage.generation:
            self._index = {key: Placement(**raw) for key, raw in rows.items()}
            self._index_generation = storage.generation
        return self._index

    def ids(self, body: str | None = None, year: int | None = None) -> list[str]:
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
        cached = self._partitions.get(path)
        if cached is not None and cached[0] == storage.generation:
            return cached[1]
        rows = self.db.handle(path).table("meetings")._read_table()
        meetings = {key: _validate(self.db, path, Meeting, key, raw) for key, raw in rows.items()}
        self._partitions[path] = (storage.generation, meetings)
        storage.release()  # keep one form in memory: the validated meetings
        return meetings

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

    def all(self) -> list[Meeting]:
        return self.list()

    def raw_partitions(self) -> Iterable[tuple[str, dict]]:
        """Stored meeting documents, unvalidated: for bulk readers such as search."""
        for body, year in sorted(self.partition_keys()):
            _generation, rows = self.raw_partition(body, year)
            yield from rows.items()

    def partition_keys(self) -> set[tuple[str, int]]:
        """The (body, year) of every partition that holds a meeting."""
        return {(place.body, place.year) for place in self.placements().values()}

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
                index_rows[meeting.id] = place.__dict__.copy()
        for (body, year), keys in moved.items():
            self._drop_from_partition(body, year, keys)
        for (body, year), batch in grouped.items():
            self._partition(body, year)  # validate what is there before writing over it
            path = self.db.partition_path(body, year)
            rows = [(meeting.id, meeting.model_dump(mode="json")) for meeting in batch]

            def upsert_all(docs, rows=rows):
                for key, raw in rows:
                    docs[key] = raw

            self.db.handle(path).table("meetings")._update_table(upsert_all)
            generation, cached = self._partitions[path]
            for meeting in batch:
                cached[meeting.id] = meeting
            self._partitions[path] = (self.db.storage(path).generation, cached)
        if index_rows:
            self._write_index(index_rows, [])

    def delete(self, key: str) -> None:
        self.db.require_transaction()
        place = self.placements().get(key)
        if place is None:
            return
        self._drop_from_partition(place.body, place.year, [key])
        self._write_index({}, [key])

    def _drop_from_partition(self, body: str, year: int, keys: list[str]) -> None:
        path = self.db.partition_path(body, year)
        self._partition(body, year)

        def drop(docs):
            for key in keys:
                docs.pop(key, None)

        self.db.handle(path).table("meetings")._update_table(drop)
        self._partitions.pop(path, None)

    def _write_index(self, upserts: dict[str, dict], removals: list[str]) -> None:
        index = self.placements()

        def apply(docs):
            for key in removals:
                docs.pop(key, None)
            docs.update(upserts)

        self.db.index.table(self.INDEX)._update_table(apply)
        for key in removals:
            index.pop(key, None)
        for key, raw in upserts.items():
            index[key] = Placement(**raw)
        self._index_generation = self.db.storage(self.db.root / "index.json").generation


class Repositories:
    """Every repository of one database."""

    def __init__(self, db: Database):
        self.organisations: Collection[Organisation] = Collection(db, "organisations", Organisation)
        self.bodies: Collection[Body] = Collection(db, "bodies", Body)
        self.people: Collection[Person] = Collection(db, "people", Person)
        self.memberships: Collection[Membership] = Collection(db, "memberships", Membership)
        self.milestones: Collection[Milestone] = Collection(db, "milestones", Milestone)
        # Feed tokens are credentials: stored beside the people, never exported (not in COLLECTIONS).
        self.feed_tokens: Collection[FeedToken] = Collection(db, "feed_tokens", FeedToken)
        self.meetings = MeetingRepository(db)
