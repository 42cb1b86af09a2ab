"""VTIMEZONE definitions in the RRULE form that Outlook, vobject and khal read.

icalendar's `add_missing_timezones()` writes a list of RDATEs per transition:
vobject misreads it (summer meetings one hour off) and Outlook cannot turn it
into a rule. Outlook's importer uses only TZID, DTSTART, RRULE, TZOFFSETFROM
and TZOFFSETTO, so each zone here is one STANDARD and one DAYLIGHT block with a
yearly rule. Denmark and Sweden have followed the EU rule (last Sunday of March
02:00 → CEST, last Sunday of October 03:00 → CET) since 1996; the rules start
then; a meeting before the first rule (31 March 1996) is written in UTC by exports/ics.py, so
every reader places it right without this VTIMEZONE (`covered_from`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur


@dataclass(frozen=True)
class Rule:
    """One yearly transition: from `offset_from` to `offset_to` at a local time."""

    name: str
    first: dt.datetime  # local wall-clock time of the first transition under this rule
    month: int
    byday: str
    offset_from: dt.timedelta
    offset_to: dt.timedelta


CET = dt.timedelta(hours=1)
CEST = dt.timedelta(hours=2)
_EU_DAYLIGHT = Rule("CEST", dt.datetime(1996, 3, 31, 2, 0), 3, "-1SU", CET, CEST)
_EU_STANDARD = Rule("CET", dt.datetime(1996, 10, 27, 3, 0), 10, "-1SU", CEST, CET)

ZONES: dict[str, tuple[Rule, Rule]] = {
    "Europe/Copenhagen": (_EU_STANDARD, _EU_DAYLIGHT),
    "Europe/Stockholm": (_EU_STANDARD, _EU_DAYLIGHT),
}


def vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE component of one supported zone (KeyError for any other)."""
    standard, daylight = ZONES[tzid]
    zone = Timezone()
    zone.add("tzid", tzid)
    for rule, component_class in ((standard, TimezoneStandard), (daylight, TimezoneDaylight)):
        block = component_class()
        block.add("dtstart", rule.first)  # naive: local time, as RFC 5545 requires here
        block.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": rule.month, "BYDAY": rule.byday}))
        block.add("tzoffsetfrom", rule.offset_from)
        block.add("tzoffsetto", rule.offset_to)
        block.add("tzname", rule.name)
        zone.add_component(block)
    return zone


def covered_from(tzid: str) -> dt.datetime:
    """The first local time the zone's rules describe (naive); a time before it is written in UTC."""
    return min(rule.first for rule in ZONES[tzid])
