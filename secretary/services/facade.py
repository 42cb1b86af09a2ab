"""The application service: intention-named operations over the store.

Screens, the CLI and the harnesses all change data through here, so every
path applies the same rules (calendar identity, references, all-or-nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from secretary.services.agenda import AgendaService
from secretary.domain.errors import InvalidData, NotFound, SecretaryError
from secretary.services.feeds import FeedService
from secretary.domain.interchange import Dataset, check_references, dump_document, parse_bytes, parse_document
from secretary.domain.model import Body, Meeting, Membership, Milestone, Organisation, Person
from secretary.services.overview import OverviewQueries
from secretary.services.registry import RegistryService
from store.database import Database

if TYPE_CHECKING:  # the planner pulls in the holidays package; only `plan` pays for it
    from secretary.domain.planning import Plan

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_uid() -> str:
    import uuid  # imported when a meeting is first stamped: it costs the start screen 10 ms

    return f"{uuid.uuid4()}@secretary"


def stamp_meeting(new: Meeting, old: Meeting | None, now: dt.datetime) -> Meeting | None:
    """Give a meeting its calendar identity; None when nothing about it changed.

    The UID is chosen once and kept; SEQUENCE rises when the schedule changes
    (start, end, place, status), not for an edited description; LAST-MODIFIED is
    the time of the last real change, so unchanged data exports to the same bytes.
    """
    if old is None:
        if new.uid and new.last_modified:
            return new
        return new.replace(uid=new.uid or new_uid(), last_modified=new.last_modified or now)
    identity = {"uid", "sequence", "last_modified"}
    if new.model_dump(exclude=identity) == old.model_dump(exclude=identity) and old.uid:
        return None
    sequence = old.sequence + (1 if new.schedule_key() != old.schedule_key() else 0)
    return new.replace(
        uid=old.uid or new.uid or new_uid(),
        sequence=max(sequence, new.sequence),
        last_modified=now,
    )


class Secretary(AgendaService, RegistryService, OverviewQueries, FeedService):
    """One open database and the operations a secretary performs on it.

    The meeting, registry and overview operations live in secretary/agenda.py,
    secretary/registry.py and secretary/overview.py (mixins).
    """

    def __init__(self, db: Database, clock: Clock = utc_now):
        self.db = db
        self.repos = db.repos
        self.clock = clock
        self._search_index = None  # built on the first search (secretary.search)

    @classmethod
    def open(cls, path: Path, clock: Clock = utc_now) -> Secretary:
        return cls(Database.open(path), clock)

    # -- reading -----------------------------------------------------------------

    def organisations(self) -> list[Organisation]:
        return sorted(self.repos.organisations.all().values(), key=lambda o: o.id)

    def bodies(self, include_retired: bool = True) -> list[Body]:
        bodies = sorted(self.repos.bodies.all().values(), key=lambda b: b.id)
        return [b for b in bodies if include_retired or b.retired is None]

    def body(self, body_id: str) -> Body:
        body = self.repos.bodies.get(body_id)
        if body is None:
            raise NotFound(f"no body with id {body_id!r}")
        return body

    def people(self) -> list[Person]:
        return sorted(self.repos.people.all().values(), key=lambda p: p.id)

    def memberships(self, body: str | None = None, year: int | None = None) -> list[Membership]:
        """Seats, optionally of one body and held at some time during one year."""
        if body is not None:
            self.body(body)
        seats = []
        for seat in self.repos.memberships.all().values():
            if body is not None and seat.body != body:
                continue
            if year is not None:
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
                if seat.start > last or (seat.end is not None and seat.end < first):
                    continue
            seats.append(seat)
        return sorted(seats, key=lambda s: (s.body, s.start, s.id))

    def meetings(self, body: str | None = None, year: int | None = None) -> list[Meeting]:
        if body is not None:
            self.body(body)
        return self.repos.meetings.list(body=body, year=year)

    def meeting(self, meeting_id: str) -> Meeting:
        meeting = self.repos.meetings.get(meeting_id)
        if meeting is None:
            raise NotFound(f"no meeting with id {meeting_id!r}")
        return meeting

    def document_sources(self, meeting_id: str) -> tuple[Meeting, Body, Dataset]:
        """A meeting, its body, and what its agenda and minutes print besides:
        the registry (people, organisations, bodies, seats) and the body's
        meetings of the same calendar year (Swedish § numbers run through the year).
        """
        meeting = self.meeting(meeting_id)
        sources = self.registry()
        sources.meetings = {m.id: m for m in self.meetings(body=meeting.body, year=meeting.year)}
        return meeting, self.body(meeting.body), sources

    def milestones(self) -> list[Milestone]:
        return sorted(self.repos.milestones.all().values(), key=lambda m: m.id)

    def search(self, text: str, limit: int = 50):
        """Full-text search over bodies, people, meetings, items and actions of every year.

        The index is built on the first call and afterwards follows the store: each call
        re-reads only the partitions whose storage generation changed.
        """
        from secretary.services.search import SearchIndex  # the index costs memory; only searchers pay

        if self._search_index is None:
            self._search_index = SearchIndex.build(self)
        else:
            self._search_index.refresh(self)
        return self._search_index.query(text, limit)

    def dataset(self) -> Dataset:
        return Dataset(
            organisations=dict(self.repos.organisations.all()),
            bodies=dict(self.repos.bodies.all()),
            people=dict(self.repos.people.all()),
            memberships=dict(self.repos.memberships.all()),
            meetings={m.id: m for m in self.repos.meetings.all()},
            milestones=dict(self.repos.milestones.all()),
        )

    def registry(self) -> Dataset:
        """Everything but the meetings: what references are checked against."""
        return Dataset(
            organisations=self.repos.organisations.all(),
            bodies=self.repos.bodies.all(),
            people=self.repos.people.all(),
            memberships=self.repos.memberships.all(),
            milestones=self.repos.milestones.all(),
        )

    def export_json(self) -> bytes:
        return dump_document(self.dataset())

    def check(self) -> list[str]:
        from store.check import check_database

        return check_database(self.db)

    # -- writing -------------------------------------------------------------------

    def import_bytes(self, data: bytes, source: str = "input") -> dict[str, int]:
        return self.import_dataset(parse_document(parse_bytes(data, source)))

    def import_dataset(self, incoming: Dataset) -> dict[str, int]:
        """Upsert every object by id, all or nothing; returns how many objects changed per collection."""
        with self.db.transaction():
            problems = check_references(incoming, self.registry())
            if problems:
                raise InvalidData(problems)
            changed: dict[str, int] = {}
            for name, objects in incoming.collections():
                if name == "meetings":
                    continue
                repo = getattr(self.repos, name)
                stored = repo.all()
                fresh = [obj for key, obj in sorted(objects.items()) if stored.get(key) != obj]
                repo.save_many(fresh)
                changed[name] = len(fresh)
            changed["meetings"] = self._save_meetings(incoming.meetings.values())
        return changed

    def _save_meetings(self, meetings: Iterable[Meeting]) -> int:
        now = self.clock()
        to_write = []
        for meeting in meetings:
            stamped = stamp_meeting(meeting, self.repos.meetings.get(meeting.id), now)
            if stamped is not None:
                to_write.append(stamped)
        self.repos.meetings.save_many(to_write)
        return len(to_write)

    def save_meeting(self, meeting: Meeting) -> Meeting:
        """Store a new or changed meeting (references checked, identity kept)."""
        with self.db.transaction():
            problems = check_references(Dataset(meetings={meeting.id: meeting}), self.registry())
            if problems:
                raise InvalidData(problems)
            self._save_meetings([meeting])
            return self.meeting(meeting.id)

    def update_meeting(self, meeting_id: str, change: Callable[[Meeting], Meeting]) -> Meeting:
        """Apply `change` to the freshest stored meeting, under the lock: no lost update."""
        with self.db.transaction():
            return self.save_meeting(change(self.meeting(meeting_id)))

    def replace_all(self, dataset: Dataset, backup_name: str | None = None) -> None:
        """Make the database hold exactly `dataset` (init --force); the old state is kept as a backup."""
        with self.db.transaction():
            if backup_name and self.db.exists():
                from store.backups import snapshot

                snapshot(self.db, backup_name)
            for name, _objects in dataset.collections():
                if name == "meetings":
                    for meeting_id in list(self.repos.meetings.placements()):
                        self.repos.meetings.delete(meeting_id)
                    continue
                repo = getattr(self.repos, name)
                for key in list(repo.all()):
                    repo.delete(key)
            self.import_dataset(dataset)
            self.drop_orphan_feed_tokens()  # a replaced person's feed URL must stop working

    def restore(self, name: str | None = None) -> str:
        from store.backups import restore

        return restore(self.db, name)

    # -- year planning (rules in secretary/planning.py) ---------------------------------

    def plan(self, year: int, body: str | None = None, *, before_days: int = 7) -> Plan:
        """The year's plan: every body's stored meetings of `year` and the proposals that complete it.

        All bodies are planned together (the before-relations and shared seats tie
        them); `body` narrows the result to one body and the problems touching it.
        The neighbouring years' meetings constrain gaps and relations across New Year.
        """
        from secretary.domain.planning import plan_year

        if body is not None:
            self.body(body)
        meetings = [m for y in (year - 1, year, year + 1) for m in self.repos.meetings.list(year=y)]
        plan = plan_year(
            year, self.bodies(), meetings, self.repos.memberships.all().values(), before_days=before_days
        )
        return plan.for_body(body) if body is not None else plan

    def apply_plan(self, year: int, body: str | None = None, *, before_days: int = 7) -> list[Meeting]:
        """Store the plan's proposals as planned meetings (with the standing items); returns the new ones.

        Idempotent: stored proposals are existing meetings the next time, so a
        second run stores nothing. All or nothing: when the plan has a problem,
        nothing is stored and PlanningProblem says which constraint failed.
        """
        from secretary.services.agenda import standing_agenda
        from secretary.domain.editing import unique_id
        from secretary.domain.planning import PlanningProblem

        with self.db.transaction():
            plan = self.plan(year, body, before_days=before_days)
            if plan.problems:
                raise PlanningProblem(year, plan.problems)
            taken = set(self.repos.meetings.placements())
            bodies = self.repos.bodies.all()
            fresh = []
            for proposal in plan.new:
                owner = bodies[proposal.body]
                ident = unique_id(proposal.meeting, taken)
                taken.add(ident)
                fresh.append(
                    Meeting.model_validate(
                        {
                            "id": ident,
                            "body": owner.id,
                            "start": proposal.start,
                            "end": proposal.end,
                            "location": owner.location,
                            "status": "planned",
                            "items": standing_agenda(ident, owner.language),
                        }
                    )
                )
            if not fresh:
                return []
            problems = check_references(Dataset(meetings={m.id: m for m in fresh}), self.registry())
            if problems:
                raise InvalidData(problems)
            self._save_meetings(fresh)
            return [self.meeting(m.id) for m in fresh]


def create_database(path: Path, dataset: Dataset, clock: Clock = utc_now, force: bool = False) -> Secretary:
    """A new database at `path` holding `dataset`; refuses to overwrite unless forced."""
    db = Database.open(path, must_exist=False)
    if db.exists() and not force:
        raise SecretaryError(f"a database already exists at {db.path}; add --force to replace it (a backup is kept)")
    path.parent.mkdir(parents=True, exist_ok=True)
    secretary = Secretary(db, clock)
    if db.exists():
        secretary.replace_all(dataset, backup_name=f"{clock().date().isoformat()}-before-init")
    else:
        with db.transaction():
            db.initialise()
            secretary.import_dataset(dataset)
    return secretary
