"""A redo journal that makes a write spanning several files all-or-nothing.

The new contents are written to the journal first; renaming the manifest into
place is the commit point; then each file is replaced atomically. A crash
before the commit point leaves the old state, after it the next writer (or the
next open) finishes the replay, so readers see either the old or the new state.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from store.files import atomic_write, ensure_dir, fsync_dir, read_bytes

MANIFEST = "manifest.json"


class Journal:
    def __init__(self, directory: Path, base: Path):
        self.directory = directory
        self.base = base  # targets are stored relative to this folder

    def commit(self, writes: list[tuple[Path, bytes]]) -> None:
        if not writes:
            return
        if len(writes) == 1:
            atomic_write(*writes[0])
            return
        ensure_dir(self.directory)
        entries = []
        for number, (target, data) in enumerate(writes):
            name = f"{number}.data"
            atomic_write(self.directory / name, data)
            entries.append({"target": str(target.relative_to(self.base)), "data": name})
        atomic_write(self.directory / MANIFEST, orjson.dumps(entries))
        self._replay()

    def pending(self) -> bool:
        return (self.directory / MANIFEST).exists()

    def recover(self) -> bool:
        """Finish a committed write or drop an uncommitted one; True when something was replayed."""
        if not self.directory.exists():
            return False
        replayed = False
        if self.pending():
            self._replay()
            replayed = True
        else:
            for leftover in self.directory.iterdir():
                leftover.unlink()
        return replayed

    def _replay(self) -> None:
        entries = orjson.loads((self.directory / MANIFEST).read_bytes())  # pending(): it exists, under the write lock
        for entry in entries:
            target = self.base / entry["target"]
            ensure_dir(target.parent)
            data = read_bytes(self.directory / entry["data"])
            if data is None:
                continue  # already applied and removed by an interrupted replay
            atomic_write(target, data)
        os.unlink(self.directory / MANIFEST)
        fsync_dir(self.directory)
        for entry in entries:
            try:
                os.unlink(self.directory / entry["data"])
            except FileNotFoundError:
                pass
