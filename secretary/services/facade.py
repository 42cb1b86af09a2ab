"""The application: one open store and the services a secretary's work goes through.

Screens, the CLI, the server and the harnesses all change data through these
services, so every path applies the same rules (calendar identity, references,
all-or-nothing, no write over a newer copy). Each service is composed from what
it needs; `Secretary` only builds them and holds them:

    sec.records    reads and lookups          sec.agenda     meetings, items, minutes
    sec.registry   bodies, people, seats      sec.overview   what needs doing now
    sec.feeds      calendar feeds, tokens     sec.planning   the year plan
    sec.data       import / export json       sec.documents  Word agendas and minutes
    sec.search     full-text search           sec.site       the published site
    sec.mail       e-mail: agendas, minutes, tests   sec.cases      capacity adjustments, hearings
    sec.scorecard  styrkort, computed figures, report

A service is built, and its module imported, when it is first asked for: the TUI's first
screen needs four of them, and importing the others (e-mail, Word, the scorecard, the
search engine) was a third of the time to that screen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from secretary.services.clock import Clock, utc_now
from secretary.services.ports import Files, Store
from secretary.services.records import Records

if TYPE_CHECKING:
    from secretary.domain.editing import Deleted
    from secretary.services.agenda import AgendaService
    from secretary.services.cases import CaseService
    from secretary.services.data import DataService
    from secretary.services.documents import DocumentService
    from secretary.services.feeds import FeedService
    from secretary.services.mail import MailService
    from secretary.services.meeting_writer import MeetingWriter
    from secretary.services.overview import OverviewQueries
    from secretary.services.planning import PlanningService
    from secretary.services.registry import RegistryService
    from secretary.services.scorecard import ScorecardService
    from secretary.services.search import SearchService
    from secretary.services.site import SiteService

T = TypeVar("T")


class built_once(Generic[T]):  # noqa: N801 - used as a decorator, like functools.cached_property
    """A service made on first use and kept. Unlike functools.cached_property (whose lock went
    in Python 3.12), two threads asking at once (the TUI's workers) get the same one: a second
    SearchService or MailService would hold state the first does not see."""

    def __init__(self, make: Callable[[Any], T]):
        self.make = make
        self.name = make.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> built_once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | built_once[T]:
        if instance is None:
            return self
        with instance._building:  # type: ignore[attr-defined]
            # Once made, the value sits in the instance's __dict__, which Python reads before
            # this (non-data) descriptor: the lock is taken only until then.
            found = instance.__dict__.get(self.name)
            if found is None:
                found = instance.__dict__[self.name] = self.make(instance)
            return found


class Secretary:
    """The services over one store; built by the composition root (secretary.cli.bootstrap)."""

    def __init__(self, store: Store, files: Files, clock: Clock = utc_now, actor: str = "secretary"):
        self.store = store
        self.files = files
        self.clock = clock
        self.actor = actor  # the secretary's name (config.toml): recorded with every step of a meeting's life
        self._building = threading.RLock()  # a service's constructor may ask for the services it needs
        self.records = Records(store)

    @built_once
    def writer(self) -> MeetingWriter:
        from secretary.services.meeting_writer import MeetingWriter

        return MeetingWriter(self.store, self.clock, self.records, self.actor)

    @built_once
    def agenda(self) -> AgendaService:
        from secretary.services.agenda import AgendaService

        return AgendaService(self.store, self.clock, self.records, self.writer, self.actor)

    @built_once
    def registry(self) -> RegistryService:
        from secretary.services.registry import RegistryService

        return RegistryService(self.store, self.clock, self.records)

    @built_once
    def overview(self) -> OverviewQueries:
        from secretary.services.overview import OverviewQueries

        return OverviewQueries(self.store, self.records)

    @built_once
    def feeds(self) -> FeedService:
        from secretary.services.feeds import FeedService

        return FeedService(self.store, self.clock, self.records)

    @built_once
    def planning(self) -> PlanningService:
        from secretary.services.planning import PlanningService

        return PlanningService(self.store, self.records, self.writer)

    @built_once
    def data(self) -> DataService:
        from secretary.services.data import DataService

        return DataService(self.store, self.records, self.writer, self.feeds)

    @built_once
    def documents(self) -> DocumentService:
        from secretary.services.documents import DocumentService

        return DocumentService(self.records, self.store.location, self.files)

    @built_once
    def search(self) -> SearchService:
        from secretary.services.search import SearchService

        return SearchService(self.store, self.files)

    @built_once
    def site(self) -> SiteService:
        from secretary.services.site import SiteService

        return SiteService(self.store, self.clock, self.records, self.documents, self.feeds)

    @built_once
    def mail(self) -> MailService:
        from secretary.services.mail import MailService

        return MailService(self.store, self.clock, self.records, self.documents, self.agenda)

    @built_once
    def cases(self) -> CaseService:
        from secretary.services.cases import CaseService

        return CaseService(self.store, self.clock, self.records, lambda: self.agenda, lambda: self.mail)

    @built_once
    def scorecard(self) -> ScorecardService:
        from secretary.services.scorecard import ScorecardService

        return ScorecardService(self.store, self.clock, self.records)

    def undo_delete(self, deleted: Deleted) -> None:
        """Put back what a delete removed, whichever service deleted it."""
        if deleted.kind in ("meeting", "item"):
            self.agenda.undo_delete(deleted)
        else:
            self.registry.undo_delete(deleted)
