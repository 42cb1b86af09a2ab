"""A TinyDB storage that writes crash-safely and only when the database commits."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from secretary.domain.errors import StoreDamaged
from secretary.i18n import _
from store.files import read_bytes, stamp

if TYPE_CHECKING:
    from store.handle import DatabaseHandle as Database

SCHEMA_VERSION = 1
META = "_meta"
# Every stored file begins with its `_meta` table, which carries the SHA-256 of the bytes that
# follow it: the file stays plain JSON, and a change of any byte anywhere is detected on reading.
SEAL_START = b'{"' + META.encode() + b'":{"schema":{"version":' + str(SCHEMA_VERSION).encode() + b'},"sha256":"'
SEAL_LENGTH = len(SEAL_START) + 64 + 2  # the hex digest and '"}'
# How a file of this version began before it carried a checksum (it is sealed when next written).
UNSEALED_START = b'{"' + META.encode() + b'":{"schema":{"version":' + str(SCHEMA_VERSION).encode() + b"}},"


class KeyedTable(Table):
    """Documents keyed by the domain id, so a lookup by id is a dict access."""

    document_id_class = str  # type: ignore[assignment]  # TinyDB types ids as int; these tables key by the domain id

    def _get_next_id(self):  # pragma: no cover - every document is stored under its id
        raise RuntimeError("documents are stored under their own id")


class KeyedTinyDB(TinyDB):
    table_class = KeyedTable


class DurableStorage(Storage):
    """Holds one file's content in memory; writes are buffered until the transaction commits.

    TinyDB calls `read()` before every query and `write()` after every change. Reading
    returns the cached content while the file is unchanged on disk; writing outside a
    transaction is refused so that no code path can skip the lock and the journal.
    """

    def __init__(self, path: Path, database: Database):
        self.path = path
        self.database = database
        self._data: dict[str, Any] | None = None
        self._stamp: tuple[int, int, int] | None = None  # the version on disk that `_data` (or the caller's cache) reflects
        self._verified_in = -1  # the transaction in which the stamp was last checked
        self.dirty = False
        self.generation = 0  # bumped whenever the content changes, never by a mere re-read

    def read(self) -> dict[str, Any] | None:
        self.verify()
        if self._data is None and not self.dirty:
            self._load()
        return self._data

    def verify(self) -> None:
        """In a transaction, check once that no other process replaced the file since we read it.

        Only the files a transaction touches are checked, so a save costs the same
        whether the process has read one partition or twenty years of them.
        """
        database = self.database
        if not database.in_transaction() or self._verified_in == database.transaction_number:
            return
        self._verified_in = database.transaction_number
        if not self.dirty and self._stamp is not None and stamp(self.path) != self._stamp:
            self.forget()

    def _load(self) -> None:
        current = stamp(self.path)
        raw = read_bytes(self.path)
        data = None
        if raw is not None:
            try:
                data = decode(self.path, raw)
            except StoreDamaged as exc:
                raise self.database.damaged(self.path, str(exc)) from None
        else:
            current = None
        if current is None or current != self._stamp:
            self.generation += 1
        self._data, self._stamp = data, current

    def write(self, data: dict[str, Any]) -> None:
        self.database.require_transaction()
        data.setdefault(META, {"schema": {"version": SCHEMA_VERSION}})
        self._data = data
        self.dirty = True
        self.generation += 1
        self.database.mark_dirty(self)

    def encoded(self) -> bytes:
        assert self._data is not None, "encoded() is only called on a file that was read or written"
        return encode(self._data)

    def missing_on_disk(self) -> bool:
        """True when the last read found no file (and nothing unsaved is waiting)."""
        self.read()
        return self._stamp is None and not self.dirty

    def changed_on_disk(self) -> bool:
        return self._stamp is not None and stamp(self.path) != self._stamp

    def stored_size(self) -> int:
        """Bytes of the version on disk last read or committed (0 before the file exists):
        what a cache of objects built from this file is charged for (no system call)."""
        return self._stamp[1] if self._stamp is not None else 0

    def release(self) -> None:
        """Drop the raw content once the caller holds what it needs (validated objects).

        The stamp and generation stay, so a later read that finds the same file on disk
        does not invalidate what was built from it; this halves the memory of a long session.
        """
        if not self.dirty:
            self._data = None

    def unreadable(self) -> None:
        """The file on disk does not decode (its reader rebuilt what it holds): remember which
        version that was, so that a replacement of it is noticed like any other change."""
        self._data = None
        self._stamp = stamp(self.path)

    def forget(self) -> None:
        """Drop what is in memory (after a failed transaction or a change by another process)."""
        self._data = None
        self._stamp = None
        self.dirty = False
        self.generation += 1
        self.database._clear_query_cache(self.path)

    def committed(self) -> None:
        self.dirty = False
        self._stamp = stamp(self.path)

    def close(self) -> None:
        pass


def encode(data: dict[str, Any]) -> bytes:
    """A stored file: the `_meta` table with the SHA-256 of everything after it, then the tables."""
    body = orjson.dumps({key: value for key, value in data.items() if key != META})
    rest = b"}" if body == b"{}" else b"," + body[1:]
    return SEAL_START + hashlib.sha256(rest).hexdigest().encode() + b'"}' + rest


def seal_problem(raw: bytes) -> str | None:
    """Why the checksum of a stored file does not hold, or None when it holds (or the file is
    one written before files carried a checksum)."""
    if raw.startswith(SEAL_START):
        digest = raw[len(SEAL_START):SEAL_LENGTH - 2]
        if raw[SEAL_LENGTH - 2:SEAL_LENGTH] != b'"}' or hashlib.sha256(raw[SEAL_LENGTH:]).hexdigest().encode() != digest:
            return "its checksum does not match its content: it was damaged or changed outside secretary"
        return None
    if raw.startswith(UNSEALED_START):
        return None
    return "it does not begin with its checksum header: it was damaged or changed outside secretary"


def is_sealed(raw: bytes) -> bool:
    return raw.startswith(SEAL_START)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while many acyclic objects are made: a stored file
    becomes up to a million dicts, lists and strings (and the index rows made from them), none
    in a cycle, and every few hundred of them made the collector walk everything the process
    holds (the 7 MB registry and twenty index files at benchmark scale 10: 2-3 times the time
    of the parse itself). Reference counting still frees them."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def loads_paused(raw: bytes) -> Any:
    with gc_paused():
        return orjson.loads(raw)


def decode(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        data = loads_paused(raw)
    except orjson.JSONDecodeError as exc:
        raise StoreDamaged(_("not valid JSON ({exc}); it may be truncated").format(exc=exc)) from None
    if not isinstance(data, dict):
        raise StoreDamaged(_("does not hold a database object"))
    version = schema_version(data)
    if version != SCHEMA_VERSION:
        raise StoreDamaged(_("has schema version {version}, this program reads version {schema_version}").format(
                               version=version, schema_version=SCHEMA_VERSION,
                           ))
    problem = seal_problem(raw)
    if problem is not None:
        raise StoreDamaged(problem)
    return data


def schema_version(data: dict[str, Any]) -> int:
    meta = data.get(META)
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), dict):
        return 0
    version = meta["schema"].get("version")
    return version if isinstance(version, int) else -1
