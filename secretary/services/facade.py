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
"""

from __future__ import annotations

from secretary.domain.editing import Deleted
from secretary.services.agenda import AgendaService
from secretary.services.cases import CaseService
from secretary.services.clock import Clock, utc_now
from secretary.services.data import DataService
from secretary.services.documents import DocumentService
from secretary.services.feeds import FeedService
from secretary.services.mail import MailService
from secretary.services.meeting_writer import MeetingWriter
from secretary.services.overview import OverviewQueries
from secretary.services.planning import PlanningService
from secretary.services.ports import Files, Store
from secretary.services.records import Records
from secretary.services.registry import RegistryService
from secretary.services.scorecard import ScorecardService
from secretary.services.search import SearchService
from secretary.services.site import SiteService


class Secretary:
    """The services over one store; built by the composition root (secretary.cli.bootstrap)."""

    def __init__(self, store: Store, files: Files, clock: Clock = utc_now, actor: str = "secretary"):
        self.store = store
        self.clock = clock
        self.actor = actor  # the secretary's name (config.toml): recorded with every step of a meeting's life
        self.records = Records(store)
        writer = MeetingWriter(store, clock, self.records, actor)
        self.agenda = AgendaService(store, clock, self.records, writer, actor)
        self.registry = RegistryService(store, clock, self.records)
        self.overview = OverviewQueries(store, self.records)
        self.feeds = FeedService(store, clock, self.records)
        self.planning = PlanningService(store, self.records, writer)
        self.data = DataService(store, self.records, writer, self.feeds)
        self.documents = DocumentService(self.records, store.location, files)
        self.search = SearchService(store, files)
        self.site = SiteService(store, clock, self.records, self.documents, self.feeds)
        self.mail = MailService(store, clock, self.records, self.documents, self.agenda)
        self.cases = CaseService(store, clock, self.records, self.agenda, self.mail)
        self.scorecard = ScorecardService(store, clock, self.records)

    def undo_delete(self, deleted: Deleted) -> None:
        """Put back what a delete removed, whichever service deleted it."""
        if deleted.kind in ("meeting", "item"):
            self.agenda.undo_delete(deleted)
        else:
            self.registry.undo_delete(deleted)
