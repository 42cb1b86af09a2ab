"""PATH.d/changes.json: one small file, written with every commit, that says what changed.

It holds a random epoch (one history of the database), a commit counter and the files that
each of the last LOG_LENGTH commits wrote. A reader that keeps something derived from the
data (the search index, the feed server) compares one file instead of stat-ing every
partition, and learns which partitions to read again.

Crash safety: in a commit of one file the change log is replaced first, then the data file,
both while readers are held off (the journal's guard); in a commit of several files it is one
more entry of the journal. A crash can so leave a counter that moved without a change (a
reader reads again what did not change: harmless), never a change without the counter.
The file is not data: a damaged or missing one is started again under a new epoch (readers
then start again from the data), and it is never backed up or restored.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from secretary.domain.changes import Changes, Generation
from secretary.domain.errors import StoreDamaged
from store.files import read_bytes, stamp
from store.storage import decode, encode

NAME = "changes.json"
LOG_LENGTH = 200  # commits remembered; a reader further behind starts again from the data
REGISTRY = "@registry"
EVERYTHING = "*"


class ChangeLog:
    def __init__(self, root: Path, registry: Path):
        self.path = root / NAME
        self.root = root
        self.registry = registry
        self._stamp: tuple[int, int, int] | None = None
        self._state: dict | None = None

    # -- reading ---------------------------------------------------------------------

    def state(self) -> dict:
        """The log as on disk (cached while the file is unchanged): epoch, number, log."""
        current = stamp(self.path)
        if current is None:
            self._stamp, self._state = None, None
            return {"epoch": "", "number": 0, "log": []}
        if current != self._stamp or self._state is None:
            self._state = self._load()
            self._stamp = current
        return self._state

    def _load(self) -> dict:
        raw = read_bytes(self.path)
        try:
            data = decode(self.path, raw) if raw is not None else {}
        except StoreDamaged:
            data = {}
        state = data.get("changes")
        if not (isinstance(state, dict) and isinstance(state.get("epoch"), str) and isinstance(state.get("number"), int)
                and isinstance(state.get("log"), list)):
            return {"epoch": "", "number": 0, "log": []}
        return state

    def stamp(self) -> tuple[int, int, int] | None:
        return stamp(self.path)

    def generation(self) -> Generation:
        state = self.state()
        return Generation(state["epoch"], state["number"])

    def since(self, generation: Generation) -> Changes | None:
        """What changed after `generation`, or None when the log cannot say (another epoch,
        or further back than the log reaches)."""
        state = self.state()
        if generation.epoch != state["epoch"] or generation.number > state["number"]:
            return None
        if generation.number == state["number"]:
            return Changes()
        log = state["log"]
        if not log or log[0][0] > generation.number + 1:
            return None
        return self.describe(path for number, paths in log if number > generation.number for path in paths)

    @staticmethod
    def describe(paths) -> Changes:
        partitions = set()
        registry = everything = False
        for path in paths:
            if path == REGISTRY:
                registry = True
            elif path == EVERYTHING:
                everything = True
            elif path.startswith("meetings/") and path.endswith(".json"):
                body, _slash, year = path.removeprefix("meetings/").removesuffix(".json").partition("/")
                if year.isdigit():
                    partitions.add((body, int(year)))
        return Changes(frozenset(partitions), registry, everything)

    # -- writing (by a commit, under the write lock) -----------------------------------

    def entry_for(self, paths: list[Path]) -> list[str]:
        names = []
        for path in paths:
            path = Path(path)
            if path == self.registry:
                names.append(REGISTRY)
                continue
            try:
                names.append(path.relative_to(self.root).as_posix())
            except ValueError:
                names.append(EVERYTHING)
        return names

    def next(self, names: list[str]) -> tuple[Path, bytes, dict]:
        """The change log's next content for a commit writing `names` (read fresh: the caller
        holds the write lock); the state is kept by `committed` once the commit is done."""
        self._stamp = None  # another process may have committed since we last looked
        state = self.state()
        epoch = state["epoch"] or secrets.token_hex(8)
        number = state["number"] + 1
        log = [*state["log"][-(LOG_LENGTH - 1):], [number, sorted(set(names))]]
        new = {"epoch": epoch, "number": number, "log": log}
        return self.path, encode({"changes": new}), new

    def committed(self, state: dict) -> None:
        self._state, self._stamp = state, stamp(self.path)
