"""Calendar feeds as a service: personal feed tokens, and which data each feed gets.

The feeds themselves are built by the pure exporter exports/ics.py; this service
gathers the domain objects for it and keeps the per-person
secrets that make a personal feed's URL (/calendars/p/<token>.ics).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from secretary.domain.errors import NotFound
from secretary.domain.model import FeedToken, Meeting, Person
from secretary.i18n import _
from secretary.services import feed_cache
from secretary.services.clock import Clock
from secretary.services.ports import Store
from secretary.services.records import Records

if TYPE_CHECKING:
    from exports import ics
    from secretary.services.feed_cache import StoredEvents

ALL_FEED = "all"
FEED_PREFIX = "/calendars"


def body_feed_path(body_id: str) -> str:
    return f"{FEED_PREFIX}/{body_id}.ics"


def all_feed_path() -> str:
    return f"{FEED_PREFIX}/{ALL_FEED}.ics"


def person_feed_path(token: str) -> str:
    return f"{FEED_PREFIX}/p/{token}.ics"


def subscription_urls(host: str, path: str) -> tuple[str, str]:
    """The webcal:// and https:// forms of a feed's URL, for copying into a calendar program."""
    host = host.removeprefix("https://").removeprefix("http://").removeprefix("webcal://").rstrip("/")
    return f"webcal://{host}{path}", f"https://{host}{path}"


def _agenda_url(base: str | None):
    """A meeting's page on the published site (`None` without a public address)."""
    if base is None:
        return None
    return lambda meeting: f"{base}/meetings/{meeting.id}/"


@dataclass(frozen=True)
class Feed:
    """A built feed: its bytes and when its content last changed (UTC; None when empty)."""

    data: bytes
    last_modified: dt.datetime | None


class FeedService:
    """Feed tokens and feed bytes; keeps each meeting's written event between feeds."""

    def __init__(self, store: Store, clock: Clock, records: Records):
        self.store = store
        self.clock = clock
        self.records = records
        self._memo: ics.EventMemo | None = None  # created on first use: icalendar loads then
        self._stored: StoredEvents | None | bool = False  # the events kept on disk (False: not looked for yet)

    # -- tokens ----------------------------------------------------------------------

    def issue_feed_token(self, person_id: str) -> str:
        """A new random token for a person's feed (≥ 256 bits); the old one stops working for good."""
        with self.store.transaction():
            self._feed_person(person_id)
            old = self.store.feed_tokens.get(person_id)
            if old is not None:
                self.store.revoked_tokens.revoke([old.token], self.clock().isoformat())
            token = secrets.token_urlsafe(32)
            self.store.feed_tokens.save(FeedToken(id=person_id, token=token, created=self.clock()))
        return token

    def feed_token(self, person_id: str) -> str | None:
        """The person's current token, or None (for showing the subscription URL); a token
        that was revoked (and came back with a restored backup) is none."""
        self._feed_person(person_id)
        stored = self.store.feed_tokens.get(person_id)
        if stored is None or self.store.revoked_tokens.contains(stored.token):
            return None
        return stored.token

    def revoke_feed_token(self, person_id: str) -> bool:
        """Stop the person's feed URL working, for good (a restored backup does not bring it
        back); False when there was no token."""
        with self.store.transaction():
            self._feed_person(person_id)
            stored = self.store.feed_tokens.get(person_id)
            if stored is not None:
                self.store.revoked_tokens.revoke([stored.token], self.clock().isoformat())
            self.store.feed_tokens.delete(person_id)
        return stored is not None

    def person_for_token(self, token: str) -> Person | None:
        """The person whose feed token this is, or None; constant-time comparison, no early exit.
        A revoked token is refused even when a restored backup holds it again."""
        if not isinstance(token, str):
            return None
        wanted = token.encode("utf-8", "surrogatepass")
        found = None
        for stored in self.store.feed_tokens.all().values():
            if hmac.compare_digest(stored.token.encode(), wanted):
                found = stored.id
        if found is None or self.store.revoked_tokens.contains(token):
            return None
        return self.store.people.get(found)

    def drop_orphan_feed_tokens(self) -> int:
        """Remove (and revoke for good) tokens of people who no longer exist (after init --force)."""
        with self.store.transaction():
            people = self.store.people.all()
            tokens = self.store.feed_tokens.all()
            orphans = [key for key in tokens if key not in people]
            self.store.revoked_tokens.revoke([tokens[key].token for key in orphans], self.clock().isoformat())
            for key in orphans:
                self.store.feed_tokens.delete(key)
        return len(orphans)

    def revoke_all_feed_tokens(self) -> int:
        """Revoke every feed token for good (before `init --force` replaces the database); how many."""
        with self.store.transaction():
            tokens = self.store.feed_tokens.all()
            self.store.revoked_tokens.revoke([stored.token for stored in tokens.values()], self.clock().isoformat())
            for key in list(tokens):
                self.store.feed_tokens.delete(key)
        return len(tokens)

    def _feed_person(self, person_id: str) -> Person:
        person = self.store.people.get(person_id)
        if person is None:
            raise NotFound(_("no person with id {person_id!r}").format(person_id=person_id))
        return person

    # -- feeds ---------------------------------------------------------------------------

    def feed(
        self,
        kind: str,
        key: str | None = None,
        now: dt.datetime | None = None,
        all_day: bool = False,
        memo: ics.EventMemo | None = None,
    ) -> Feed:
        """A feed's bytes and when it last changed. kind: "body" (key = body id), "person" (key = person id) or "all".

        Each meeting's event is written once and kept (without the meeting) in `memo`, by
        default the one this object keeps, until its partition or its body changes.
        """
        from exports import ics  # icalendar takes a tenth of a second to import; only feeds need it

        now = now or self.clock()
        memo = self._event_memo() if memo is None else memo
        bodies = self.store.bodies.all()
        if kind in ("body", "person") and key is None:
            raise NotFound(_("no {kind} with id {key!r}").format(kind=kind, key=key))  # what looking up None would say
        if kind == "body":
            assert key is not None
            body = self.records.body(key)
            if all_day:  # deadlines need whole meetings: one body's, through the bounded cache
                meetings = self.store.meetings.list(body=body.id)
                data = ics.body_feed(body, meetings, now=now, milestones=self.store.milestones.all().values(), all_day=True,
                                     agenda_url=self.agenda_url())
                return Feed(data, ics.last_change(meetings, bodies, now=now))
            events = [e for group in self._meeting_events(memo, bodies, body.id) for e in group]
            data = ics.body_feed_events(body, events, now=now)
        elif kind == "person":
            assert key is not None
            person = self._feed_person(key)
            memberships = [m for m in self.store.memberships.all().values() if m.person == person.id]
            candidates = [
                e
                for body_id in sorted({s.body for s in memberships})
                for group in self._meeting_events(memo, bodies, body_id)
                for e in group
            ]
            events = ics.person_events(person.id, memberships, bodies, candidates)
            data = ics.person_feed_events(person, bodies, events, now=now)
        elif kind == "all":
            events = [e for group in self._meeting_events(memo, bodies) for e in group]
            data = ics.all_feed_events(bodies, events, now=now)
        else:
            raise ValueError(f"unknown feed kind {kind!r}")
        self._save_stored()
        return Feed(data, ics.events_last_change(events, now=now))

    def all_feeds(self, now: dt.datetime | None = None) -> Iterator[tuple[str, bytes]]:
        """Every feed as (URL path, or "person:<id>" for a personal one, bytes), built in one pass.

        Each meeting's event is written once and kept without the meeting (see
        `_meeting_events`), and seats are grouped by person: what a job that publishes
        every feed, or warms the server, needs. Yielded one at a time, so twenty years of
        personal feeds never sit in memory together.
        """
        from exports import ics

        now = now or self.clock()
        memo = self._event_memo()
        bodies = self.store.bodies.all()
        by_body: dict[str, list[ics.MeetingEvent]] = {}
        for group in self._meeting_events(memo, bodies):
            for event in group:
                by_body.setdefault(event.body, []).append(event)
        self._save_stored()
        yield all_feed_path(), ics.all_feed_events(bodies, [e for es in by_body.values() for e in es], now=now)
        for body_id in sorted(bodies):
            yield body_feed_path(body_id), ics.body_feed_events(bodies[body_id], by_body.get(body_id, []), now=now)
        # Each body's meetings by local day, so a seat's term picks its meetings by bisection
        # instead of every person scanning every meeting of their bodies.
        days: dict[str, tuple[list[dt.date], list[ics.MeetingEvent]]] = {}
        for body_id, events in by_body.items():
            dated = sorted(events, key=lambda e: (e.day, e.start, e.id))
            days[body_id] = ([e.day for e in dated], dated)
        seats: dict[str, list] = {}
        for seat in self.store.memberships.all().values():
            if seat.person is not None:
                seats.setdefault(seat.person, []).append(seat)
        people = self.store.people.all()
        for person_id in sorted(seats):
            if person_id not in people:
                continue
            chosen: dict[str, ics.MeetingEvent] = {}
            for seat in seats[person_id]:
                keys, events = days.get(seat.body, ([], []))
                first = bisect_left(keys, seat.start)
                last = bisect_right(keys, seat.end) if seat.end is not None else len(keys)
                chosen.update((e.id, e) for e in events[first:last])
            yield f"person:{person_id}", ics.person_feed_events(people[person_id], bodies, list(chosen.values()), now=now)

    def public_feeds(self, now: dt.datetime | None = None) -> Iterator[tuple[str, bytes]]:
        """The feeds anyone may have (all.ics and each body's): what the published site holds."""
        for path, data in self.all_feeds(now):
            if path.startswith("person:"):
                return
            yield path, data

    def agenda_url(self) -> ics.AgendaUrl | None:
        """Each event's link to its meeting's page on the published site, when its address is set
        ($SECRETARY_PUBLIC_URL or site.toml beside the database)."""
        from secretary.services.public import public_url

        return _agenda_url(public_url(self.store.location))

    def _event_memo(self) -> ics.EventMemo:
        """The feed events this object keeps between feeds (created on first use)."""
        from exports import ics

        if self._memo is None:
            self._memo = ics.EventMemo()
        return self._memo

    def _meeting_events(self, memo: ics.EventMemo, bodies: dict, body: str | None = None) -> Iterator[list[ics.MeetingEvent]]:
        """The meeting events of each partition (of one body, or of all), in start order.

        A partition's events are taken from `memo` while the partition (its storage
        generation) and its body are unchanged; otherwise its meetings are read through
        the repository's bounded cache and only their events are kept, so a feed of twenty
        years never holds twenty years of validated meetings.
        """
        from exports import ics

        repo = self.store.meetings
        from secretary.services.public import public_url

        base = public_url(self.store.location)  # part of each group's version: a new address, new events
        agenda_url = _agenda_url(base)
        keys = sorted(repo.partition_keys())
        stored = self._stored_events()
        if body is None:
            memo.retain(set(keys))  # partitions that no longer hold meetings
            if stored is not None:
                stored.retain(set(keys))
        for where in keys:
            owner = bodies.get(where[0])
            if owner is None or (body is not None and where[0] != body):
                continue
            generation = repo.generation(*where)
            events = memo.get(where, (generation, owner, base)) if generation is not None else None
            version = feed_cache.version_of(owner, base) if stored is not None else ""
            if events is None and generation is None and stored is not None:
                events = stored.get(where, version)  # written by an earlier process, the partition unchanged since
            if events is None:
                if stored is not None and not self.store.in_transaction():
                    # the partition's stored form and the generation it belongs to, read together
                    with self.store.reading():
                        at = self.store.change_generation()
                        _generation, rows = repo.documents(*where)
                        try:
                            meetings = [Meeting.model_validate(raw, strict=False) for raw in rows.values()]
                        except ValidationError:  # the repository says what is wrong, as it says it everywhere
                            meetings = repo.list(body=where[0], year=where[1])
                    events = ics.meeting_events(meetings, {owner.id: owner}, agenda_url)
                    stored.put(where, version, at, events)
                else:
                    events = ics.meeting_events(repo.list(body=where[0], year=where[1]), {owner.id: owner}, agenda_url)
                memo.put(where, (repo.generation(*where), owner, base), events)
            yield events

    def _stored_events(self) -> StoredEvents | None:
        """The events kept on disk between processes (None where the store has no folder for them)."""
        if self._stored is False:
            folder = self.store.derived_folder("feeds")
            self._stored = feed_cache.StoredEvents(self.store, folder) if folder is not None else None
        return self._stored if isinstance(self._stored, feed_cache.StoredEvents) else None

    def _save_stored(self) -> None:
        stored = self._stored_events() if self._stored is not False else None
        if stored is not None:
            stored.save()

    def calendar_for_body(self, body_id: str, now: dt.datetime | None = None, all_day: bool = False) -> bytes:
        return self.feed("body", body_id, now, all_day).data

    def calendar_for_person(self, person_id: str, now: dt.datetime | None = None) -> bytes:
        return self.feed("person", person_id, now).data

    def calendar_for_all(self, now: dt.datetime | None = None) -> bytes:
        return self.feed("all", None, now).data
