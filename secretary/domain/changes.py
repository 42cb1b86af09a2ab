"""What a commit changed, in the persistence port's words (no I/O).

Readers that keep something derived from the stored data (the search index, feed
events, a server's answers) ask the store which groups changed since the change
generation they reflect, instead of looking at every file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """The (body, year) groups and whether the registry changed; `everything` when the store
    cannot say (a restore, a lost change log): then a reader starts again from the data."""

    partitions: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    registry: bool = False
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(self.partitions) or self.registry or self.everything

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.partitions | other.partitions, self.registry or other.registry,
                       self.everything or other.everything)


@dataclass(frozen=True)
class Generation:
    """Where the store's change log stands: `epoch` names one history of the database (a new
    one when the log was lost or replaced), `number` counts its commits."""

    epoch: str
    number: int


@dataclass(frozen=True)
class Written:
    """Who last wrote one stored object and when, as the store keeps it (a server's role and
    clock); a store that does not keep it (the file store) says None instead."""

    by: str
    at: dt.datetime
