"""iCalendar feeds (RFC 5545) per body, per person and for everything: domain objects in, bytes out.

A feed is subscribed to for years, so every event keeps its identity: the UID
is the meeting's stored `uid`, SEQUENCE its stored `sequence`, DTSTAMP and
LAST-MODIFIED its `last_modified` (UTC). Nothing here reads a clock: `now`
is passed in and only decides which cancelled meetings are still shown (until
their date has passed) and which years of recurring milestones are listed.
The same data and the same day give the same bytes.

Only the public face of a meeting leaves: the titles of its open items; a
closed item is shown by its public heading (secretary/domain/publicity.py: its
number and public title, or "Lukket punkt") with nothing else of it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import orjson

from exports.contentlines import CalendarLines, EventLines
from exports.text import clean
from exports.vtimezone import covered_from, vtimezone
from secretary.domain.deadlines import deadlines, meeting_day
from secretary.domain.model import Body, Meeting, Membership, Milestone, Person
from secretary.domain.publicity import public_heading

PRODID = "-//secretary//calendar feed//EN"
# DTSTAMP of events that have no stored change time (milestones): a constant keeps the bytes stable.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
DOMAIN = "secretary"

AgendaUrl = Callable[[Meeting], str | None]


class EventMemo:
    """Feed events kept between feeds, group by group (a store partition), while a group's version holds.

    The caller names each group and its version (for a partition: its storage generation and
    the body it belongs to); a changed group gets new events. Only `MeetingEvent`s are kept,
    never the meetings, so a server or a long session holds each meeting's event bytes and a
    few fields (~2 KB a meeting), not the validated archive.
    """

    def __init__(self):
        self._groups: dict[Hashable, tuple[Hashable, list[MeetingEvent]]] = {}

    def get(self, group: Hashable, version: Hashable) -> list[MeetingEvent] | None:
        found = self._groups.get(group)
        if found is not None and found[0] == version:
            return found[1]
        return None

    def put(self, group: Hashable, version: Hashable, events: list[MeetingEvent]) -> None:
        self._groups[group] = (version, events)

    def retain(self, groups: set) -> None:
        """Forget the groups not named (a partition that no longer holds meetings)."""
        for group in [g for g in self._groups if g not in groups]:
            del self._groups[group]

    def __len__(self) -> int:
        return sum(len(events) for _version, events in self._groups.values())


LABELS: dict[str, dict[str, str]] = {
    "da": {
        "meeting": "møde",
        "cancelled": "AFLYST: ",
        "agenda": "Dagsorden:",
        "agenda_link": "Dagsorden: ",
        "online": "Online-møde: ",
        "online_label": "Online-møde",
        "body_desc": "Møder i {name}",
        "person_name": "Møder for {name}",
        "person_desc": "Møderne i de fora, {name} sidder i",
        "all_name": "Alle møder",
        "all_desc": "Møderne i alle fora",
    },
    "sv": {
        "meeting": "sammanträde",
        "cancelled": "INSTÄLLT: ",
        "agenda": "Föredragningslista:",
        "agenda_link": "Kallelse: ",
        "online": "Distansmöte: ",
        "online_label": "Distansmöte",
        "body_desc": "Sammanträden i {name}",
        "person_name": "Sammanträden för {name}",
        "person_desc": "Sammanträdena i de organ där {name} sitter",
        "all_name": "Alla sammanträden",
        "all_desc": "Sammanträdena i alla organ",
    },
    "en": {
        "meeting": "meeting",
        "cancelled": "CANCELLED: ",
        "agenda": "Agenda:",
        "agenda_link": "Agenda: ",
        "online": "Online meeting: ",
        "online_label": "Online meeting",
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


@dataclass(frozen=True, slots=True)
class MeetingEvent:
    """What a feed needs of one meeting once its VEVENT is written: no items, no texts.

    `day` is the meeting's date in its body's zone (seat terms are local days); `cancelled`,
    `end` and `zone` decide until when it is shown; `last_modified` is its stored change time.
    """

    id: str
    body: str
    start: dt.datetime
    end: dt.datetime
    day: dt.date
    zone: ZoneInfo
    cancelled: bool
    last_modified: dt.datetime | None
    entry: _Entry


def meeting_event(meeting: Meeting, body: Body, agenda_url: AgendaUrl | None = None) -> MeetingEvent:
    """The meeting's VEVENT, written once, with what the feeds ask of it afterwards."""
    zone = ZoneInfo(body.timezone)
    key = (_utc(meeting.start), _meeting_uid(meeting))
    return MeetingEvent(
        id=meeting.id,
        body=meeting.body,
        start=meeting.start,
        end=meeting.end,
        day=meeting.start.astimezone(zone).date(),
        zone=zone,
        cancelled=meeting.status == "cancelled",
        last_modified=meeting.last_modified,
        entry=_Entry(key, _meeting_event(meeting, body, zone, agenda_url)),
    )


def meeting_events(
    meetings: Iterable[Meeting], bodies: Mapping[str, Body], agenda_url: AgendaUrl | None = None
) -> list[MeetingEvent]:
    """The events of the meetings whose body is known, in the given order."""
    return [meeting_event(m, bodies[m.body], agenda_url) for m in meetings if m.body in bodies]


def events_bytes(events: Iterable[MeetingEvent]) -> bytes:
    """Events written earlier, as bytes to keep (JSON; `events_from_bytes` reads them back equal)."""
    return orjson.dumps([
        [e.id, e.body, e.start.isoformat(), e.end.isoformat(), e.day.isoformat(), e.zone.key, e.cancelled,
         e.last_modified.isoformat() if e.last_modified is not None else None, e.entry.key[0].isoformat(), e.entry.key[1],
         e.entry.event.decode("latin-1")]  # any bytes, one character each
        for e in events
    ])


def events_from_bytes(data: bytes) -> list[MeetingEvent]:
    """The events `events_bytes` kept; ValueError (or a subclass) when the bytes are not such."""
    rows = orjson.loads(data)
    if not isinstance(rows, list):
        raise ValueError("not a list of events")
    zones: dict[str, ZoneInfo] = {}
    out = []
    for row in rows:
        ident, body, start, end, day, zone, cancelled, last_modified, key_start, uid, event = row
        if not all(isinstance(v, str) for v in (ident, body, start, end, day, zone, key_start, uid, event)) \
                or not isinstance(cancelled, bool) or not (last_modified is None or isinstance(last_modified, str)):
            raise ValueError("an event of the wrong shape")
        out.append(MeetingEvent(
            id=ident, body=body, start=dt.datetime.fromisoformat(start), end=dt.datetime.fromisoformat(end),
            day=dt.date.fromisoformat(day), zone=zones.get(zone) or zones.setdefault(zone, ZoneInfo(zone)), cancelled=cancelled,
            last_modified=dt.datetime.fromisoformat(last_modified) if last_modified is not None else None,
            entry=_Entry((dt.datetime.fromisoformat(key_start), uid), event.encode("latin-1")),
        ))
    return out


# -- the three feeds -------------------------------------------------------------
#
# Each feed comes in two forms that share every byte: from meetings (the events are written
# here), and from `MeetingEvent`s written earlier (a caller that streams meetings and keeps
# only their events, see secretary/feeds.py).


def body_feed(
    body: Body,
    meetings: Iterable[Meeting],
    *,
    now: dt.datetime,
    milestones: Iterable[Milestone] = (),
    all_day: bool = False,
    agenda_url: AgendaUrl | None = None,
) -> bytes:
    """The feed of one body; with `all_day`, its milestones and deadlines as all-day events."""
    own = [m for m in meetings if m.body == body.id]
    extra: list[_Entry] = []
    if all_day:
        extra = _deadline_entries(body, own) + _milestone_entries(body, [m for m in milestones if m.body == body.id], now)
    return _body_calendar(body, meeting_events(own, {body.id: body}, agenda_url), now, extra)


def body_feed_events(body: Body, events: Iterable[MeetingEvent], *, now: dt.datetime) -> bytes:
    """`body_feed` (without all-day events) from events written earlier."""
    return _body_calendar(body, [e for e in events if e.body == body.id], now, [])


def _body_calendar(body: Body, events: list[MeetingEvent], now: dt.datetime, extra: list[_Entry]) -> bytes:
    labels = LABELS[body.language]
    return _calendar(
        name=clean(body.label),
        description=clean(labels["body_desc"].format(name=body.name)),
        timezone=body.timezone,
        zones={body.timezone},
        entries=_shown_entries(events, now) + extra,
    )


def person_meetings(
    person_id: str,
    memberships: Iterable[Membership],
    bodies: Mapping[str, Body],
    meetings: Iterable[Meeting],
) -> list[Meeting]:
    """The meetings of every body the person sits in, held during that membership's term.

    Seats held by an organisation (person None) are not anyone's personal seats.
    """
    zones: dict[str, ZoneInfo] = {}

    def day(meeting: Meeting) -> dt.date:
        timezone = bodies[meeting.body].timezone
        zone = zones.get(timezone) or zones.setdefault(timezone, ZoneInfo(timezone))
        return meeting.start.astimezone(zone).date()

    return _held_during_seats(person_id, memberships, bodies, meetings, day)


def person_events(
    person_id: str,
    memberships: Iterable[Membership],
    bodies: Mapping[str, Body],
    events: Iterable[MeetingEvent],
) -> list[MeetingEvent]:
    """`person_meetings` over events written earlier."""
    return _held_during_seats(person_id, memberships, bodies, events, lambda event: event.day)


def _held_during_seats(person_id, memberships, bodies, meetings, day_of) -> list:
    terms: dict[str, list[Membership]] = {}
    for seat in memberships:
        if seat.person == person_id and seat.person is not None:
            terms.setdefault(seat.body, []).append(seat)
    chosen = []
    for meeting in meetings:
        seats = terms.get(meeting.body)
        if not seats or meeting.body not in bodies:
            continue
        day = day_of(meeting)
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
) -> bytes:
    """A member's own feed: the meetings of the bodies they sit in, while they sit there."""
    chosen = person_meetings(person.id, memberships, bodies, meetings)
    return person_feed_events(person, bodies, meeting_events(chosen, bodies, agenda_url), now=now)


def person_feed_events(
    person: Person, bodies: Mapping[str, Body], chosen: Iterable[MeetingEvent], *, now: dt.datetime
) -> bytes:
    """`person_feed` from the events of the meetings already chosen (`person_events`)."""
    chosen = list(chosen)
    language, timezone = _dominant([bodies[e.body] for e in chosen] or list(bodies.values()))
    labels = LABELS[language]
    return _calendar(
        name=clean(labels["person_name"].format(name=person.name)),
        description=clean(labels["person_desc"].format(name=person.name)),
        timezone=timezone,
        zones={bodies[e.body].timezone for e in chosen},
        entries=_shown_entries(chosen, now),
    )


def all_feed(
    bodies: Mapping[str, Body],
    meetings: Iterable[Meeting],
    *,
    now: dt.datetime,
    agenda_url: AgendaUrl | None = None,
) -> bytes:
    """Every meeting of every body."""
    return all_feed_events(bodies, meeting_events(meetings, bodies, agenda_url), now=now)


def all_feed_events(bodies: Mapping[str, Body], events: Iterable[MeetingEvent], *, now: dt.datetime) -> bytes:
    """`all_feed` from events written earlier."""
    chosen = [e for e in events if e.body in bodies]
    language, timezone = _dominant(list(bodies.values()))
    labels = LABELS[language]
    return _calendar(
        name=clean(labels["all_name"]),
        description=clean(labels["all_desc"]),
        timezone=timezone,
        zones={bodies[e.body].timezone for e in chosen},
        entries=_shown_entries(chosen, now),
    )


def last_change(meetings: Iterable[Meeting], bodies: Mapping[str, Body], *, now: dt.datetime) -> dt.datetime | None:
    """When a feed of these meetings last changed (UTC): the newest stored change, or the
    midnight a passed cancelled meeting left the feed. For HTTP Last-Modified."""
    times = (
        _changed_at(m.status == "cancelled", m.end, ZoneInfo(bodies[m.body].timezone), m.last_modified, now)
        for m in meetings
        if m.body in bodies
    )
    return max((when for when in times if when is not None), default=None)


def events_last_change(events: Iterable[MeetingEvent], *, now: dt.datetime) -> dt.datetime | None:
    """`last_change` of the meetings these events were written from."""
    times = (_changed_at(e.cancelled, e.end, e.zone, e.last_modified, now) for e in events)
    return max((when for when in times if when is not None), default=None)


def _changed_at(
    cancelled: bool, end: dt.datetime, zone: ZoneInfo, last_modified: dt.datetime | None, now: dt.datetime
) -> dt.datetime | None:
    if _shown(cancelled, end, zone, now):
        when = last_modified
    else:
        day_after = end.astimezone(zone).date() + dt.timedelta(days=1)
        when = dt.datetime.combine(day_after, dt.time(), zone)
    return when.astimezone(dt.UTC) if when is not None else None


# -- pieces ------------------------------------------------------------------------


def dominant(bodies: list[Body]) -> tuple[str, str]:
    """The most common language and time zone among bodies (ties: alphabetical)."""
    return _dominant(bodies)


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


def _shown(cancelled: bool, end: dt.datetime, zone: ZoneInfo, now: dt.datetime) -> bool:
    """A cancelled meeting stays in the feed until its date has passed."""
    if not cancelled:
        return True
    return end.astimezone(zone).date() >= now.astimezone(zone).date()


def summary(meeting: Meeting, body: Body) -> str:
    labels = LABELS[body.language]
    title = f"{body.label}: {meeting.title or labels['meeting']}"
    if meeting.status == "cancelled":
        title = labels["cancelled"] + title
    return clean(title)


def description(meeting: Meeting, body: Body, agenda_url: AgendaUrl | None = None) -> str:
    """The public agenda: open items' titles; closed items by their public heading only."""
    labels = LABELS[body.language]
    lines = [public_heading(item, body.language) for item in meeting.items]
    parts = []
    if lines:
        parts.append("\n".join([labels["agenda"], *lines]))
    links = []
    online = online_url(meeting)
    if online:
        links.append(labels["online"] + online)
    url = agenda_url(meeting) if agenda_url else None
    if url:
        links.append(labels["agenda_link"] + url)
    if links:
        parts.append("\n".join(links))
    return clean("\n\n".join(parts))


def online_url(meeting: Meeting) -> str | None:
    """The meeting's online link when it is an http(s) address (nothing else is written as a URI)."""
    url = clean(meeting.online_url).strip()
    if url.startswith(("https://", "http://")) and not any(c.isspace() or c in '"<>\\^`{|}' for c in url):
        return url
    return None


def needs_utc(moment: dt.datetime, zone: ZoneInfo, tzid: str) -> bool:
    """A time written with TZID would not mean this instant to every reader: it lies in the hour
    repeated when summer time ends (RFC 5545 §3.3.5: such a time is written in UTC), or before
    the VTIMEZONE's first rule (readers differ there: written in UTC, it is placed right by all)."""
    local = moment.astimezone(zone)
    if local.replace(tzinfo=None) < covered_from(tzid):
        return True
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _shown_entries(events: Iterable[MeetingEvent], now: dt.datetime) -> list[_Entry]:
    return [e.entry for e in events if _shown(e.cancelled, e.end, e.zone, now)]


def _meeting_event(meeting: Meeting, body: Body, zone: ZoneInfo, agenda_url: AgendaUrl | None) -> bytes:
    event = EventLines()
    event.text("UID", _meeting_uid(meeting))
    event.utc("DTSTAMP", _utc(meeting.last_modified))
    if meeting.last_modified is not None:
        event.utc("LAST-MODIFIED", meeting.last_modified)
    event.integer("SEQUENCE", meeting.sequence)
    if needs_utc(meeting.start, zone, body.timezone) or needs_utc(meeting.end, zone, body.timezone):
        event.utc("DTSTART", meeting.start)
        event.utc("DTEND", meeting.end)
    else:
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
    online = online_url(meeting)
    if online:
        # RFC 7986 §5.11; Outlook and Teams keep a Teams link in X-MICROSOFT-SKYPETEAMSMEETINGURL.
        label = LABELS[body.language]["online_label"]
        event.uri(f"CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL={label}", online)
        event.uri("X-MICROSOFT-SKYPETEAMSMEETINGURL", online)
    event.token("STATUS", STATUS[meeting.status])
    # A cancelled meeting no longer makes anyone busy (Outlook blocks the day otherwise).
    event.token("TRANSP", "TRANSPARENT" if meeting.status == "cancelled" else "OPAQUE")
    return event.to_bytes()


# Planned meetings are not yet invited: TENTATIVE until the agenda goes out (RFC 5545 §3.8.1.11).
STATUS = {"planned": "TENTATIVE", "invited": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}


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
