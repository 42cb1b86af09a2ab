"""Feed events kept on disk between processes (`PATH.d/feeds/`): a fresh process that builds
every feed (a publishing job, `serve` starting) writes only the events of what changed.

One file per partition holds the events (exports.ics.events_bytes) of its meetings; `index.json`
names, for each partition, the change generation its events were read at (inside one
`store.reading()`, so exactly that generation's data), the SHA-256 of its file, and the
version of everything else they were made from: the body, the published site's address and
the code that writes events. A partition's events are used only while the store's change log
vouches that the partition has not changed since that generation (epoch and counter), its
body and address and the code are the same, and its file is the one named (a damaged,
missing or foreign file is ignored and written again). A log that no longer reaches back
(more than its length of commits since) or a new epoch (a restore, a rebuilt log) makes the
events be written again. Nothing here can serve a stale event or fail a feed: whatever is
wrong with the cache, the events are written from the data.

Derived data: private (the folder 0700, files 0600), never backed up, safe to delete. It
holds what public feeds hold (each meeting's public face; a closed item only by its public
heading) and nothing else.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from secretary.domain.changes import Generation

if TYPE_CHECKING:
    from exports import ics
    from secretary.domain.changes import Changes
    from secretary.domain.model import Body
    from secretary.services.ports import Store

log = logging.getLogger("secretary.feeds")

FORMAT = 1  # of the files below
INDEX = "index.json"
FILE_MODE = 0o600
RESTAMP_AFTER = 50  # commits: a partition vouched for since is filed under the newer generation
# Everything an event's bytes are made from besides the data: a change to any of these writes every event again.
SOURCES = ("exports.ics", "exports.contentlines", "exports.text", "secretary.domain.publicity", "secretary.domain.model")


def code_version() -> str:
    digest = hashlib.sha256(f"{FORMAT}".encode())
    for name in SOURCES:
        module = importlib.import_module(name)
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:32]


def version_of(body: Body, base: str | None) -> str:
    """What else a partition's events depend on: its body (name, zone, language…) and the site's address."""
    return hashlib.sha256(body.model_dump_json().encode() + b"\x00" + (base or "").encode()).hexdigest()[:32]


class StoredEvents:
    """The events on disk, and those of them already read in this process."""

    def __init__(self, store: Store, folder: Path):
        self.store = store
        self.folder = folder
        self.code = code_version()
        self._index: dict[str, list] | None = None  # part → [generation number, file sha, version]
        self._epoch = ""
        self._dirty = False
        self._read: dict[str, tuple[str, str, list[ics.MeetingEvent]]] = {}  # part → (file sha, version, events)
        self._since: dict[int, Changes | None] = {}  # generation number → what changed since, for `_current`
        self._current: Generation | None = None

    # -- reading ---------------------------------------------------------------------

    def get(self, where: tuple[str, int], version: str) -> list[ics.MeetingEvent] | None:
        """The partition's events if the cache holds them for the data as it is now, else None."""
        from exports import ics

        index = self._load()
        part = f"{where[0]}/{where[1]}"
        entry = index.get(part)
        if entry is None or entry[2] != version or not self._unchanged(part, entry[0]):
            return None
        read = self._read.get(part)
        if read is not None and read[0] == entry[1] and read[1] == version:
            events = read[2]
        else:
            try:
                data = (self.folder / _file_name(part)).read_bytes()
                if hashlib.sha256(data).hexdigest() != entry[1]:
                    raise ValueError("not the file the index names")
                events = ics.events_from_bytes(data)
            except (OSError, ValueError, TypeError, KeyError) as exc:  # damaged or missing: written again
                log.info("feed events of %s are written again: %s", part, exc)
                del index[part]
                self._dirty = True
                return None
            self._read[part] = (entry[1], version, events)
        current = self._current
        if current is not None and current.number - entry[0] >= RESTAMP_AFTER:
            entry[0] = current.number  # vouched for up to now: filed under now, before the log forgets
            self._dirty = True
        return events

    def _unchanged(self, part: str, number: int) -> bool:
        current = self.store.change_generation()
        if current != self._current:
            self._current, self._since = current, {}
        if current.epoch != self._epoch:
            return False
        if number not in self._since:
            self._since[number] = self.store.changes_since(Generation(self._epoch, number))
        changes = self._since[number]
        if changes is None or changes.everything:
            return False
        body, _, year = part.partition("/")
        return (body, int(year)) not in changes.partitions

    # -- writing ---------------------------------------------------------------------

    def put(self, where: tuple[str, int], version: str, generation: Generation, events: list[ics.MeetingEvent]) -> None:
        """Keep the events of a partition read at exactly `generation` (never fails)."""
        from exports import ics

        try:
            index = self._load()
            if generation.epoch != self._epoch:
                index.clear()  # another history of the database: nothing of the old one holds
                self._epoch = generation.epoch
            part = f"{where[0]}/{where[1]}"
            data = ics.events_bytes(events)
            _write(self.folder / _file_name(part), data)
            sha = hashlib.sha256(data).hexdigest()
            index[part] = [generation.number, sha, version]
            self._read[part] = (sha, version, events)
            self._dirty = True
        except OSError as exc:
            log.info("feed events could not be kept on disk: %s", exc)

    def retain(self, parts: set[tuple[str, int]]) -> None:
        """Forget the partitions not named (they hold no meetings any more)."""
        index = self._load()
        names = {f"{body}/{year}" for body, year in parts}
        for part in [p for p in index if p not in names]:
            del index[part]
            self._read.pop(part, None)
            self._dirty = True
            try:
                (self.folder / _file_name(part)).unlink()
            except OSError:
                pass

    def save(self) -> None:
        """Write the index if it changed (never fails)."""
        if not self._dirty or self._index is None:
            return
        try:
            _write(self.folder / INDEX, orjson.dumps({"format": FORMAT, "code": self.code, "epoch": self._epoch,
                                                      "parts": self._index}))
            self._dirty = False
        except OSError as exc:
            log.info("the feed events' index could not be written: %s", exc)

    def _load(self) -> dict[str, list]:
        if self._index is not None:
            return self._index
        index: dict[str, list] = {}
        epoch = ""
        try:
            raw = orjson.loads((self.folder / INDEX).read_bytes())
            if isinstance(raw, dict) and raw.get("format") == FORMAT and raw.get("code") == self.code \
                    and isinstance(raw.get("epoch"), str) and isinstance(raw.get("parts"), dict):
                epoch = raw["epoch"]
                index = {part: entry for part, entry in raw["parts"].items() if _entry_ok(entry)}
        except (OSError, orjson.JSONDecodeError):
            pass  # none yet, or damaged: every partition's events are written again
        self._index, self._epoch = index, epoch
        _tidy(self.folder)
        return index


def _tidy(folder: Path, older_than: float = 3600.0) -> None:
    """Remove what a process killed while writing left (its temporary files, an hour on)."""
    import time

    try:
        for leftover in folder.glob(".*"):
            if time.time() - leftover.stat().st_mtime > older_than:
                leftover.unlink(missing_ok=True)
    except OSError:
        pass


def _entry_ok(entry: object) -> bool:
    return isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], int) and isinstance(entry[1], str) \
        and isinstance(entry[2], str)


def _file_name(part: str) -> str:
    return hashlib.blake2b(part.encode(), digest_size=12).hexdigest() + ".events"


def _write(path: Path, data: bytes) -> None:
    """Replace `path` atomically, private; not flushed to disk (derived: a crash loses a file the
    index then no longer matches, which is written again)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    try:
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
