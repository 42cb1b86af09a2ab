"""The calendar invitation sent with an agenda (iTIP, RFC 5546): METHOD:REQUEST, one VEVENT.

The event carries the meeting's stored calendar identity (UID, SEQUENCE, DTSTAMP from
`last_modified`), the same as in the feeds, so a member's calendar matches the
invitation and the subscription to one meeting, and a later invitation (a moved
meeting) updates it. Pure: the same meeting and recipients give the same bytes.
Only the public face of the meeting is in it (open items' titles; closed items by label).
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from exports.contentlines import CalendarLines, EventLines
from exports.ics import _meeting_uid, _utc, _vtimezone_bytes, description, summary
from exports.text import clean
from secretary.domain.model import Body, Meeting

PRODID = "-//secretary//invitation//EN"


def _mailto(address: str) -> str:
    return "mailto:" + address.strip()


def _cn(name: str) -> str:
    # A parameter value with : ; , must be quoted (RFC 5545 §3.2); a double quote cannot appear in it.
    return '"' + clean(name).replace('"', "'") + '"'


def invitation_ics(
    meeting: Meeting,
    body: Body,
    *,
    organizer: tuple[str, str],
    attendees: Sequence[tuple[str, str]],
) -> bytes:
    """The invitation to `meeting` from `organizer` (name, address) to `attendees` (name, address)."""
    zone = ZoneInfo(body.timezone)
    header = CalendarLines()
    header.token("VERSION", "2.0")
    header.text("PRODID", PRODID)
    header.token("CALSCALE", "GREGORIAN")
    header.token("METHOD", "REQUEST")
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
    text = description(meeting, body)
    if text:
        event.text("DESCRIPTION", text)
    name, address = organizer
    event.uri(f"ORGANIZER;CN={_cn(name or address)}", _mailto(address))
    for who, where in sorted(set(attendees), key=lambda a: (a[1].lower(), a[0])):
        event.uri(f"ATTENDEE;CN={_cn(who or where)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE", _mailto(where))
    event.token("STATUS", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    event.token("TRANSP", "OPAQUE")
    return b"".join([b"BEGIN:VCALENDAR\r\n", header.to_bytes(), _vtimezone_bytes(body.timezone), event.to_bytes(), b"END:VCALENDAR\r\n"])
