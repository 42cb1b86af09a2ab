"""Calendar feeds as a service: personal feed tokens, and which data each feed gets.

The feeds themselves are built by the pure exporter exports/ics.py; this mixin
of `Secretary` gathers the domain objects for it and keeps the per-person
secrets that make a personal feed's URL (/calendars/p/<token>.ics).
"""

from __future__ import annotations

import datetime as dt
import hmac
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from zoneinfo import ZoneInfo
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secretary.errors import NotFound
from secretary.model import FeedToken, Person

if TYPE_CHECKING:
    from exports import ics

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


@dataclass(frozen=True)
class Feed:
    """A built feed: its bytes and when its content last changed (UTC; None when empty)."""

    data: bytes
    last_modified: dt.datetime | None


class FeedService:
    """Mixin of `Secretary`: feed tokens and feed bytes (uses self.repos, self.db, self.clock)."""

    # -- tokens ----------------------------------------------------------------------

    def issue_feed_token(self, person_id: str) -> str:
        """A new random token for a person's feed (≥ 256 bits); the old one stops working."""
        with self.db.transaction():
            self._feed_person(person_id)
            token = secrets.token_urlsafe(32)
            self.repos.feed_tokens.save(FeedToken(id=person_id, token=token, created=self.clock()))
        return token

    def feed_token(self, person_id: str) -> str | None:
        """The person's current token, or None (for showing the subscription URL)."""
        self._feed_person(person_id)
        stored = self.repos.feed_tokens.get(person_id)
        return stored.token if stored else None

    def revoke_feed_token(self, person_id: str) -> bool:
        """Stop the person's feed URL working; False when there was no token."""
        with self.db.transaction():
            self._feed_person(person_id)
            had = self.repos.feed_tokens.get(person_id) is not None
            self.repos.feed_tokens.delete(person_id)
        return had

    def person_for_token(self, token: str) -> Person | None:
        """The person whose feed token this is, or None; constant-time comparison, no early exit."""
        if not isinstance(token, str):
            return None
        wanted = token.encode("utf-8", "surrogatepass")
        found = None
        for stored in self.repos.feed_tokens.all().values():
            if hmac.compare_digest(stored.token.encode(), wanted):
                found = stored.id
        return self.repos.people.get(found) if found else None

    def drop_orphan_feed_tokens(self) -> int:
        """Remove tokens of people who no longer exist (after init --force)."""
        with self.db.transaction():
            people = self.repos.people.all()
            orphans = [key for key in self.repos.feed_tokens.all() if key not in people]
            for key in orphans:
                self.repos.feed_tokens.delete(key)
        return len(orphans)

    def _feed_person(self, person_id: str) -> Person:
        person = self.repos.people.get(person_id)
        if person is None:
            raise NotFound(f"no person with id {person_id!r}")
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

        Feeds built with the same `memo` share each meeting's event bytes (see ics.EventMemo).
        """
        from exports import ics  # icalendar takes a tenth of a second to import; only feeds need it

        now = now or self.clock()
        bodies = self.repos.bodies.all()
        if kind == "body":
            body = self.body(key)
            meetings = self.repos.meetings.list(body=body.id)
            data = ics.body_feed(
                body, meetings, now=now, milestones=self.repos.milestones.all().values(), all_day=all_day, memo=memo
            )
        elif kind == "person":
            person = self._feed_person(key)
            memberships = [m for m in self.repos.memberships.all().values() if m.person == person.id]
            candidates = [m for body in sorted({s.body for s in memberships}) for m in self.repos.meetings.list(body=body)]
            meetings = ics.person_meetings(person.id, memberships, bodies, candidates)
            data = ics.person_feed(person, memberships, bodies, meetings, now=now, memo=memo)
        elif kind == "all":
            meetings = self.repos.meetings.all()
            data = ics.all_feed(bodies, meetings, now=now, memo=memo)
        else:
            raise ValueError(f"unknown feed kind {kind!r}")
        return Feed(data, ics.last_change(meetings, bodies, now=now))

    def all_feeds(self, now: dt.datetime | None = None) -> Iterator[tuple[str, bytes]]:
        """Every feed as (URL path, or "person:<id>" for a personal one, bytes), built in one pass.

        Each meeting's event is written once and shared (one EventMemo), meetings are
        read once, and seats are grouped by person: what a job that publishes every
        feed, or warms the server, needs. Yielded one at a time, so twenty years of
        personal feeds never sit in memory together.
        """
        from exports import ics

        now = now or self.clock()
        memo = ics.EventMemo()
        bodies = self.repos.bodies.all()
        milestones = self.repos.milestones.all().values()
        by_body: dict[str, list] = {}
        for meeting in self.repos.meetings.all():
            by_body.setdefault(meeting.body, []).append(meeting)
        yield all_feed_path(), ics.all_feed(bodies, [m for ms in by_body.values() for m in ms], now=now, memo=memo)
        for body_id in sorted(bodies):
            yield body_feed_path(body_id), ics.body_feed(
                bodies[body_id], by_body.get(body_id, []), now=now, milestones=milestones, memo=memo
            )
        # Each body's meetings by local day, so a seat's term picks its meetings by bisection
        # instead of every person scanning every meeting of their bodies.
        days: dict[str, tuple[list[dt.date], list]] = {}
        for body_id, meetings in by_body.items():
            if body_id in bodies:
                zone = ZoneInfo(bodies[body_id].timezone)
                dated = sorted(((memo.local_day(m, zone), m.start, m.id), m) for m in meetings)
                days[body_id] = ([key[0] for key, _ in dated], [m for _, m in dated])
        seats: dict[str, list] = {}
        for seat in self.repos.memberships.all().values():
            if seat.person is not None:
                seats.setdefault(seat.person, []).append(seat)
        people = self.repos.people.all()
        for person_id in sorted(seats):
            if person_id not in people:
                continue
            own = seats[person_id]
            chosen: dict[str, object] = {}
            for seat in own:
                keys, meetings = days.get(seat.body, ([], []))
                first = bisect_left(keys, seat.start)
                last = bisect_right(keys, seat.end) if seat.end is not None else len(keys)
                chosen.update((m.id, m) for m in meetings[first:last])
            yield f"person:{person_id}", ics.person_feed(
                people[person_id], own, bodies, list(chosen.values()), now=now, memo=memo
            )

    def calendar_for_body(self, body_id: str, now: dt.datetime | None = None, all_day: bool = False) -> bytes:
        return self.feed("body", body_id, now, all_day).data

    def calendar_for_person(self, person_id: str, now: dt.datetime | None = None) -> bytes:
        return self.feed("person", person_id, now).data

    def calendar_for_all(self, now: dt.datetime | None = None) -> bytes:
        return self.feed("all", None, now).data
