"""iCalendar feeds (RFC 5545) per body, per person and for everything: domain objects in, bytes out.

A feed is subscribed to for years, so every event keeps its identity: the UID
is the meeting's stored `uid`, SEQUENCE its stored `sequence`, DTSTAMP and
LAST-MODIFIED its `last_modified` (UTC). Nothing here reads a clock: `now`
is passed in and only decides which cancelled meetings are still shown (until
their date has passed) and which years of recurring milestones are listed.
The same data and the same day give the same bytes.

Only the public face of a meeting leaves: the titles of its open items; a
closed item is shown as "Lukket punkt" with nothing else of it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from exports.contentlines import CalendarLines, EventLines
from exports.text import clean
from exports.vtimezone import vtimezone
from secretary.deadlines import deadlines, meeting_day
from secretary.model import Body, Meeting, Membership, Milestone, Person

PRODID = "-//secretary//calendar feed//EN"
# DTSTAMP of events that have no stored change time (milestones): a constant keeps the bytes stable.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
DOMAIN = "secretary"

AgendaUrl = Callable[[Meeting], str | None]


class EventMemo:
    """Each meeting's VEVENT bytes, written once and shared by every feed built with this memo.

    Keyed by the identity of the (frozen) meeting and body objects, which the memo keeps
    alive; a changed meeting is a new object and gets new bytes. Use one memo per
    snapshot of the data (one export run, or one state of the database in the server).
    """

    def __init__(self):
        self._events: dict[tuple[int, int], tuple[Meeting, Body, _Entry]] = {}
        self._days: dict[int, tuple[Meeting, dt.date]] = {}

    def local_day(self, meeting: Meeting, zone: ZoneInfo) -> dt.date:
        """The meeting's date in its body's zone (a body's zone is fixed within a snapshot)."""
        found = self._days.get(id(meeting))
        if found is not None and found[0] is meeting:
            return found[1]
        day = meeting.start.astimezone(zone).date()
        self._days[id(meeting)] = (meeting, day)
        return day

    def get(self, meeting: Meeting, body: Body, agenda_url: AgendaUrl | None, write: Callable[[], _Entry]) -> _Entry:
        if agenda_url is not None:  # a callable's answer may change: not memoised
            return write()
        key = (id(meeting), id(body))
        found = self._events.get(key)
        if found is not None and found[0] is meeting and found[1] is body:
            return found[2]
        data = write()
        self._events[key] = (meeting, body, data)
        return data

    def __len__(self) -> int:
        return len(self._events)

LABELS: dict[str, dict[str, str]] = {
    "da": {
        "meeting": "møde",
        "cancelled": "AFLYST: ",
        "closed": "Lukket punkt",
        "agenda": "Dagsorden:",
        "agenda_link": "Dagsorden: ",
        "body_desc": "Møder i {name}",
        "person_name": "Møder for {name}",
        "person_desc": "Møderne i de fora, {name} sidder i",
        "all_name": "Alle møder",
        "all_desc": "Møderne i alle fora",
    },
    "sv": {
        "meeting": "sammanträde",
        "cancelled": "INSTÄLLT: ",
        "closed": "Sekretessbelagt ärende",
        "agenda": "Föredragningslista:",
        "agenda_link": "Kallelse: ",
        "body_desc": "Sammanträden i {name}",
        "person_name": "Sammanträden för {name}",
        "person_desc": "Sammanträdena i de organ där {name} sitter",
        "all_name": "Alla sammanträden",
        "all_desc": "Sammanträdena i alla organ",
    },
    "en": {
        "meeting": "meeting",
        "cancelled": "CANCELLED: ",
        "closed": "Closed item",
        "agenda": "Agenda:",
        "agenda_link": "Agenda: ",
        "body_desc": "Meetings of {name}",
        "person_name": "Meetings for {name}",
        "person_desc": "The meetings of the bodies {name} sits in",
        "all_name": "All meetings",
        "all_desc": "The meetings of every body",
    },
}


@dataclass(frozen=True)
class _Entry:
    """One VEVENT's bytes with the key it is sorted by."""

    key: tuple
    event: bytes


# -- the three feeds -------------------------------------------------------------


def body_feed(
    body: Body,
    meetings: Iterable[Meeting],
    *,
    now: dt.datetime,
    milestones: Iterable[Milestone] = (),
    all_day: bool = False,
    agenda_url: AgendaUrl | None = None,
    memo: EventMemo | None = None,
) -> bytes:
    """The feed of one body; with `all_day`, its milestones and deadlines as all-day events."""
    labels = LABELS[body.language]
    own = [m for m in meetings if m.body == body.id]
    entries = _meeting_entries(own, {body.id: body}, now, agenda_url, memo)
    if all_day:
        entries += _deadline_entries(body, own)
        entries += _milestone_entries(body, [m for m in milestones if m.body == body.id], now)
    return _calendar(
        name=clean(body.label),
        description=clean(labels["body_desc"].format(name=body.name)),
        timezone=body.timezone,
        zones={body.timezone},
        entries=entries,
    )


def person_meetings(
    person_id: str,
    memberships: Iterable[Membership],
    bodies: Mapping[str, Body],
    meetings: Iterable[Meeting],
    memo: EventMemo | None = None,
) -> list[Meeting]:
    """The meetings of every body the person sits in, held during that membership's term.

    Seats held by an organisation (person None) are not anyone's personal seats.
    """
    memo = memo or EventMemo()
    terms: dict[str, list[Membership]] = {}
    for seat in memberships:
        if seat.person == person_id and seat.person is not None:
            terms.setdefault(seat.body, []).append(seat)
    chosen = []
    for meeting in meetings:
        seats = terms.get(meeting.body)
        body = bodies.get(meeting.body)
        if not seats or body is None:
            continue
        day = memo.local_day(meeting, ZoneInfo(body.timezone))
        if any(seat.start <= day and (seat.end is None or day <= seat.end) for seat in seats):
            chosen.append(meeting)
    return chosen


def person_feed(
    person: Person,
    memberships: Iterable[Membership],
    bodies: Mapping[str, Body],
    meetings: Iterable[Meeting],
    *,
    now: dt.datetime,
    agenda_url: AgendaUrl | None = None,
    memo: EventMemo | None = None,
) -> bytes:
    """A member's own feed: the meetings of the bodies they sit in, while they sit there."""
    chosen = person_meetings(person.id, memberships, bodies, meetings, memo)
    language, timezone = _dominant([bodies[m.body] for m in chosen] or list(bodies.values()))
    labels = LABELS[language]
    return _calendar(
        name=clean(labels["person_name"].format(name=person.name)),
        description=clean(labels["person_desc"].format(name=person.name)),
        timezone=timezone,
        zones={bodies[m.body].timezone for m in chosen},
        entries=_meeting_entries(chosen, bodies, now, agenda_url, memo),
    )


def all_feed(
    bodies: Mapping[str, Body],
    meetings: Iterable[Meeting],
    *,
    now: dt.datetime,
    agenda_url: AgendaUrl | None = None,
    memo: EventMemo | None = None,
) -> bytes:
    """Every meeting of every body."""
    chosen = [m for m in meetings if m.body in bodies]
    language, timezone = _dominant(list(bodies.values()))
    labels = LABELS[language]
    return _calendar(
        name=clean(labels["all_name"]),
        description=clean(labels["all_desc"]),
        timezone=timezone,
        zones={bodies[m.body].timezone for m in chosen},
        entries=_meeting_entries(chosen, bodies, now, agenda_url, memo),
    )


def last_change(meetings: Iterable[Meeting], bodies: Mapping[str, Body], *, now: dt.datetime) -> dt.datetime | None:
    """When a feed of these meetings last changed (UTC): the newest stored change, or the
    midnight a passed cancelled meeting left the feed. For HTTP Last-Modified."""
    newest: dt.datetime | None = None
    for meeting in meetings:
        body = bodies.get(meeting.body)
        if body is None:
            continue
        zone = ZoneInfo(body.timezone)
        if _still_shown(meeting, zone, now):
            when = meeting.last_modified
        else:
            day_after = meeting.end.astimezone(zone).date() + dt.timedelta(days=1)
            when = dt.datetime.combine(day_after, dt.time(), zone)
        if when is not None:
            when = when.astimezone(dt.UTC)
            newest = when if newest is None or when > newest else newest
    return newest


# -- pieces ------------------------------------------------------------------------


def _dominant(bodies: list[Body]) -> tuple[str, str]:
    """The most common language and time zone among bodies (ties: alphabetical)."""
    if not bodies:
        return "en", "Europe/Copenhagen"

    def most(values: list[str]) -> str:
        counts = Counter(values)
        return min(counts, key=lambda value: (-counts[value], value))

    return most([b.language for b in bodies]), most([b.timezone for b in bodies])


def _calendar(*, name: str, description: str, timezone: str, zones: set[str], entries: list[_Entry]) -> bytes:
    header = CalendarLines()
    header.token("VERSION", "2.0")
    header.text("PRODID", PRODID)
    header.token("CALSCALE", "GREGORIAN")
    header.text("NAME", name)  # RFC 7986
    header.text("X-WR-CALNAME", name)  # Outlook, Apple, Google
    header.text("DESCRIPTION", description)
    header.text("X-WR-CALDESC", description)
    header.text("X-WR-TIMEZONE", timezone)
    header.token("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")  # RFC 7986
    header.token("X-PUBLISHED-TTL", "PT1H")
    parts = [b"BEGIN:VCALENDAR\r\n", header.to_bytes()]
    parts.extend(_vtimezone_bytes(tzid) for tzid in sorted(zones | {timezone}))
    parts.extend(entry.event for entry in sorted(entries, key=lambda e: e.key))
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


@functools.cache
def _vtimezone_bytes(tzid: str) -> bytes:
    return vtimezone(tzid).to_ical()


def _utc(value: dt.datetime | None) -> dt.datetime:
    return (value or EPOCH).astimezone(dt.UTC)


def _meeting_uid(meeting: Meeting) -> str:
    # Stored meetings always have a uid (services.stamp_meeting); the id is the stable fallback.
    return meeting.uid or f"{meeting.id}@{DOMAIN}"


def _still_shown(meeting: Meeting, zone: ZoneInfo, now: dt.datetime) -> bool:
    """A cancelled meeting stays in the feed until its date has passed."""
    if meeting.status != "cancelled":
        return True
    return meeting.end.astimezone(zone).date() >= now.astimezone(zone).date()


def summary(meeting: Meeting, body: Body) -> str:
    labels = LABELS[body.language]
    title = f"{body.label}: {meeting.title or labels['meeting']}"
    if meeting.status == "cancelled":
        title = labels["cancelled"] + title
    return clean(title)


def description(meeting: Meeting, body: Body, agenda_url: AgendaUrl | None = None) -> str:
    """The public agenda: open items' titles; closed items by a fixed label only."""
    labels = LABELS[body.language]
    lines = []
    for item in meeting.items:
        text = item.title if item.public else labels["closed"]
        lines.append(f"{item.number}. {text}" if item.number else text)
    parts = []
    if lines:
        parts.append("\n".join([labels["agenda"], *lines]))
    url = agenda_url(meeting) if agenda_url else None
    if url:
        parts.append(labels["agenda_link"] + url)
    return clean("\n\n".join(parts))


def _meeting_entries(
    meetings: Iterable[Meeting],
    bodies: Mapping[str, Body],
    now: dt.datetime,
    agenda_url: AgendaUrl | None,
    memo: EventMemo | None = None,
) -> list[_Entry]:
    entries = []
    zones: dict[str, ZoneInfo] = {}
    for meeting in meetings:
        body = bodies[meeting.body]
        zone = zones.get(body.timezone) or zones.setdefault(body.timezone, ZoneInfo(body.timezone))
        if not _still_shown(meeting, zone, now):
            continue

        def write(meeting=meeting, body=body, zone=zone) -> _Entry:
            key = (_utc(meeting.start), _meeting_uid(meeting))
            return _Entry(key, _meeting_event(meeting, body, zone, agenda_url))

        entries.append(memo.get(meeting, body, agenda_url, write) if memo is not None else write())
    return entries


def _meeting_event(meeting: Meeting, body: Body, zone: ZoneInfo, agenda_url: AgendaUrl | None) -> bytes:
    event = EventLines()
    event.text("UID", _meeting_uid(meeting))
    event.utc("DTSTAMP", _utc(meeting.last_modified))
    if meeting.last_modified is not None:
        event.utc("LAST-MODIFIED", meeting.last_modified)
    event.integer("SEQUENCE", meeting.sequence)
    event.local("DTSTART", meeting.start.astimezone(zone), body.timezone)
    event.local("DTEND", meeting.end.astimezone(zone), body.timezone)
    event.text("SUMMARY", summary(meeting, body))
    if meeting.location:
        event.text("LOCATION", clean(meeting.location))
    text = description(meeting, body, agenda_url)
    if text:
        event.text("DESCRIPTION", text)
    url = agenda_url(meeting) if agenda_url else None
    if url:
        event.uri("URL", clean(url))
    event.token("STATUS", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    event.token("TRANSP", "OPAQUE")
    return event.to_bytes()


def _all_day(uid: str, day: dt.date, title: str, stamp: dt.datetime | None, sequence: int) -> _Entry:
    event = EventLines()
    event.text("UID", uid)
    event.utc("DTSTAMP", _utc(stamp))
    if stamp is not None:
        event.utc("LAST-MODIFIED", stamp)
    event.integer("SEQUENCE", sequence)
    event.date("DTSTART", day)
    event.date("DTEND", day + dt.timedelta(days=1))  # exclusive end (RFC 5545)
    event.text("SUMMARY", clean(title))
    event.token("TRANSP", "TRANSPARENT")  # a deadline does not make anyone busy
    return _Entry((dt.datetime.combine(day, dt.time(), dt.UTC), uid), event.to_bytes())


def _deadline_entries(body: Body, meetings: list[Meeting]) -> list[_Entry]:
    """Items due, agenda dispatch and minutes due of each meeting (none for a cancelled one).

    The dates come from secretary.deadlines, so the feed, the TUI and the scorecard agree.
    """
    entries = []
    for meeting in meetings:
        uid = _meeting_uid(meeting)
        name = meeting.title or LABELS[body.language]["meeting"]
        for deadline in deadlines(meeting, body):
            title = f"{body.label}: {deadline.label()} ({name} {meeting_day(meeting, body).isoformat()})"
            kind = deadline.kind.replace("_", "-")
            entries.append(_all_day(f"{kind}.{uid}", deadline.due, title, meeting.last_modified, meeting.sequence))
    return entries


def _milestone_entries(body: Body, milestones: list[Milestone], now: dt.datetime) -> list[_Entry]:
    """Milestones once on their date; recurring ones in last year, this year and the next two."""
    entries = []
    year = now.astimezone(ZoneInfo(body.timezone)).year
    for milestone in milestones:
        title = f"{body.label}: {milestone.title}"
        if milestone.recurs == "once":
            if milestone.date is not None:
                entries.append(_all_day(f"milestone.{milestone.id}@{DOMAIN}", milestone.date, title, None, 0))
            continue
        for occurrence_year in range(year - 1, year + 3):
            day = milestone.occurs_in(occurrence_year)
            if day is not None:
                uid = f"milestone.{milestone.id}.{occurrence_year}@{DOMAIN}"
                entries.append(_all_day(uid, day, title, None, 0))
    return entries
