"""A redo journal that makes a write spanning several files all-or-nothing.

The new contents are written to the journal first, each flushed to disk; writing the
manifest (atomically, with the SHA-256 of every entry) is the commit point; then each
data file is renamed onto its target and files the commit removes are unlinked.

- After the commit point nothing needs disk space: a rename takes none, so a full disk
  cannot stop a commit half-way (before it, a full disk leaves the old state and no
  journal files).
- A crash before the commit point leaves the old state, after it the next writer (or
  the next open, or `secretary check`) verifies every entry and finishes the replay.
- Readers see the old or the new state: the commit point and the replay happen while the
  folder's readers lock is held exclusively (see store.lock.ReadersLock).
- An entry is obeyed only when it names one of the database's own files (`allowed`),
  and only when its data file is whole (its SHA-256 matches the manifest) or it was
  already applied (the target's SHA-256 matches): otherwise nothing is replayed and the
  journal is reported as damaged.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from secretary.domain.errors import StoreDamaged, StoreWriteFailed
from secretary.i18n import _
from store.files import atomic_write, describe_os_error, ensure_dir, fsync_dir, not_a_link, read_bytes, write_new

MANIFEST = "manifest.json"
_DATA_NAME = re.compile(r"^[0-9]{1,6}\.data$")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Journal:
    def __init__(
        self,
        directory: Path,
        base: Path,
        allowed: Callable[[Path], bool] | None = None,
        guard: Callable[[], AbstractContextManager] | None = None,
    ):
        self.directory = directory
        self.base = base  # targets are stored relative to this folder
        self.allowed = allowed or (lambda _path: True)
        self.guard = guard or nullcontext  # held exclusively while files are replaced

    # -- committing ------------------------------------------------------------------

    def commit(
        self, writes: list[tuple[Path, bytes]], deletes: Iterable[Path] = (), marker: tuple[Path, bytes] | None = None
    ) -> None:
        """`marker` (the change log, store.changes) is replaced before the data of a one-file
        commit, and is one more entry of a journalled one: it never lags behind the data."""
        deletes = list(deletes)
        if not writes and not deletes:
            return
        if len(writes) == 1 and not deletes:
            with self.guard():
                if marker is not None:
                    atomic_write(*marker)
                atomic_write(*writes[0])
            return
        if marker is not None:
            writes = [marker, *writes]
        not_a_link(self.directory)
        self.directory.mkdir(mode=0o700, exist_ok=True)
        os.chmod(self.directory, 0o700)
        entries: list[dict[str, object]] = []
        written: list[Path] = []
        try:
            for number, (target, data) in enumerate(writes):
                name = f"{number}.data"
                path = self.directory / name
                path.unlink(missing_ok=True)
                written.append(path)
                write_new(path, data, later_than=target)
                entries.append({"target": self._relative(target), "data": name, "sha256": _sha(data)})
            for target in deletes:
                entries.append({"target": self._relative(target), "delete": True})
            fsync_dir(self.directory)
        except OSError as exc:
            self._discard(written)  # a refused commit leaves no journal files on a full disk
            raise StoreWriteFailed(describe_os_error(Path(writes[0][0]) if writes else self.directory, exc)) from None
        from store.storage import encode

        with self.guard():
            try:
                atomic_write(self.directory / MANIFEST, encode({"entries": entries}))  # the commit point
            except StoreWriteFailed:
                self._discard(written)
                raise
            self._apply(entries)

    def _relative(self, target: Path) -> str:
        relative = str(Path(target).relative_to(self.base))
        if not self.allowed(self.base / relative):
            raise ValueError(f"{target} is not a file of this database")
        return relative

    def _discard(self, paths: list[Path]) -> None:
        for path in paths:
            try:
                path.unlink()
            except OSError:
                pass

    # -- recovering ------------------------------------------------------------------

    def pending(self) -> bool:
        try:
            return (self.directory / MANIFEST).exists()
        except OSError:
            return False

    def recover(self) -> bool:
        """Finish a committed write or drop an uncommitted one; True when something was replayed.

        Raises StoreDamaged (nothing replayed) when the manifest or an entry is damaged."""
        not_a_link(self.directory)
        if not self.directory.exists():
            return False
        if self.pending():
            entries = self.entries()
            with self.guard():
                self._apply(entries)
            return True
        for leftover in self.directory.iterdir():
            try:
                leftover.unlink()
            except IsADirectoryError:
                raise StoreDamaged(_("{leftover}: is a folder inside the journal; move it away").format(leftover=leftover)) from None
        return False

    def discard(self) -> None:
        """Drop whatever the journal holds, damaged or not (restore replaces every file anyway)."""
        not_a_link(self.directory)
        if not self.directory.exists():
            return
        for leftover in self.directory.iterdir():
            try:
                leftover.unlink()
            except OSError:
                pass
        fsync_dir(self.directory)

    def entries(self) -> list[dict]:
        """The pending manifest's entries, each verified; StoreDamaged naming the first that is not."""
        from store.storage import decode

        path = self.directory / MANIFEST
        raw = read_bytes(path)
        if raw is None:
            return []
        try:
            manifest = decode(path, raw)
        except StoreDamaged as exc:
            raise self._damaged(path, str(exc)) from None
        entries = manifest.get("entries")
        if not isinstance(entries, list):
            raise self._damaged(path, "it holds no list of entries")
        for number, entry in enumerate(entries, 1):
            problem = self._entry_problem(entry)
            if problem:
                raise self._damaged(path, f"entry {number}: {problem}")
        return entries

    def _entry_problem(self, entry) -> str | None:
        if not isinstance(entry, dict) or not isinstance(entry.get("target"), str):
            return "not an entry with a target"
        relative = entry["target"]
        target = self.base / relative
        if Path(relative).is_absolute() or ".." in Path(relative).parts or not self.allowed(target):
            return f"target {relative!r} is not a file of this database; nothing was replayed"
        if entry.get("delete") is True and set(entry) == {"target", "delete"}:
            return None
        name, digest = entry.get("data"), entry.get("sha256")
        if not isinstance(name, str) or not isinstance(digest, str):
            return "not a well-formed entry"
        if not _DATA_NAME.match(name) or set(entry) != {"target", "data", "sha256"}:
            return "not a well-formed entry"
        data = read_bytes(self.directory / name)
        if data is not None:
            return None if _sha(data) == digest else f"data file {name} is torn or damaged (its checksum does not match)"
        current = read_bytes(target)
        if current is not None and _sha(current) == digest:
            return None  # applied before an earlier replay was interrupted
        return f"data file {name} for {relative} is missing"

    def _damaged(self, path: Path, reason: str) -> StoreDamaged:
        return StoreDamaged(_("{path}: {reason}; the interrupted commit cannot be finished").format(path=path, reason=reason))

    def _apply(self, entries: list[dict]) -> None:
        folders: dict[Path, None] = {}
        for entry in entries:
            target = self.base / entry["target"]
            if entry.get("delete"):
                try:
                    target.unlink()
                    fsync_dir(target.parent)
                except FileNotFoundError:
                    pass
                continue
            source = self.directory / entry["data"]
            folders.setdefault(target.parent, None)
            if not source.exists():
                continue  # applied before (verified above, or by this process's own commit)
            ensure_dir(target.parent)
            try:
                os.replace(source, target)  # takes no disk space: the data is already written
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise StoreWriteFailed(
                        _("the change is committed but {target} could not be replaced ({strerror}); it is finished "
                          "by the next secretary command").format(target=target, strerror=exc.strerror)
                    ) from None
                data = read_bytes(source)
                if data is None:  # verified before the replay began: gone only if applied meanwhile
                    continue
                atomic_write(target, data)
                source.unlink()
        for folder in folders:  # each folder once (the index and the change log share PATH.d),
            fsync_dir(folder)  # and all before the manifest goes: a crash before replays them
        os.unlink(self.directory / MANIFEST)
        fsync_dir(self.directory)
        for leftover in self.directory.iterdir():
            try:
                leftover.unlink()
            except OSError:
                pass
