"""Feeds that link to the published site (issue 17), read back by icalendar, vobject and khal.

The new properties: URL (and the link in DESCRIPTION) to the meeting's page, the online
link (RFC 7986 CONFERENCE, DESCRIPTION, X-MICROSOFT-SKYPETEAMSMEETINGURL), TENTATIVE for
planned meetings, TRANSPARENT for cancelled ones; a meeting in the hour repeated when
summer time ends (written in UTC, RFC 5545 §3.3.5) and one in 1995, before the VTIMEZONE's
rules (written in UTC), land on their stored instants in every reader.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import vobject

from exports import ics
from tests import ics_feed_data as data
from tests.functional.test_ics_khal import _config, _khal, _run

BASE = "https://moeder.example.dk"
TEAMS = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"
# 25 October 2026, 02:30 after the clocks went back: the second 02:30 (CET, 01:30 UTC).
REPEATED = dt.datetime(2026, 10, 25, 2, 30, tzinfo=data.CPH, fold=1)
OLD = dt.datetime(1995, 6, 14, 9, 0, tzinfo=data.CPH)  # CEST then: 07:00 UTC


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _feed() -> bytes:
    meetings = data.meetings()
    meetings["dk-summer"] = meetings["dk-summer"].replace(status="invited", online_url=TEAMS)
    meetings["dk-repeated"] = data.meeting("dk-repeated", "dk", REPEATED, hours=1).replace(status="invited")
    meetings["dk-1995"] = data.meeting("dk-1995", "dk", OLD).replace(status="held")
    bodies = {"dk": data.bodies()["dk"]}
    return ics.body_feed(bodies["dk"], [m for m in meetings.values() if m.body == "dk"], now=data.NOW,
                         agenda_url=lambda m: f"{BASE}/meetings/{m.id}/")


def test_icalendar_reads_the_links_statuses_and_instants():
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(_feed()).walk("VEVENT")}
    summer = events["uid-dk-summer@example.org"]
    assert str(summer["URL"]) == f"{BASE}/meetings/dk-summer/"
    assert f"{BASE}/meetings/dk-summer/" in str(summer["DESCRIPTION"])
    assert TEAMS in str(summer["DESCRIPTION"])
    assert str(summer["CONFERENCE"]) == TEAMS
    assert summer["CONFERENCE"].params["FEATURE"] == "VIDEO"
    assert str(summer["X-MICROSOFT-SKYPETEAMSMEETINGURL"]) == TEAMS
    assert str(summer["STATUS"]) == "CONFIRMED" and str(summer["TRANSP"]) == "OPAQUE"
    assert str(events["uid-dk-winter@example.org"]["STATUS"]) == "TENTATIVE"
    cancelled = events["uid-dk-cancelled@example.org"]
    assert (str(cancelled["STATUS"]), str(cancelled["TRANSP"])) == ("CANCELLED", "TRANSPARENT")
    assert "CONFERENCE" not in events["uid-dk-winter@example.org"]
    # (PEP 495: a time in the repeated hour never compares equal across zones; compare instants in UTC)
    assert _utc(events["uid-dk-repeated@example.org"].decoded("DTSTART")) == _utc(REPEATED)
    assert "TZID" not in events["uid-dk-repeated@example.org"]["DTSTART"].params  # written in UTC
    assert _utc(events["uid-dk-1995@example.org"].decoded("DTSTART")) == _utc(OLD) == dt.datetime(1995, 6, 14, 7, 0, tzinfo=dt.UTC)
    # The summer meeting keeps its local time with TZID: only the ambiguous and the old ones are UTC.
    assert summer["DTSTART"].params["TZID"] == "Europe/Copenhagen"


def test_vobject_reads_the_same():
    calendar = vobject.readOne(_feed().decode("utf-8"))
    events = {e.uid.value: e for e in calendar.vevent_list}
    summer = events["uid-dk-summer@example.org"]
    assert summer.url.value == f"{BASE}/meetings/dk-summer/"
    assert summer.conference.value == TEAMS
    assert summer.contents["x-microsoft-skypeteamsmeetingurl"][0].value == TEAMS
    assert events["uid-dk-winter@example.org"].status.value == "TENTATIVE"
    assert events["uid-dk-cancelled@example.org"].transp.value == "TRANSPARENT"
    assert _utc(events["uid-dk-repeated@example.org"].dtstart.value) == _utc(REPEATED)
    assert _utc(events["uid-dk-1995@example.org"].dtstart.value) == _utc(OLD)
    assert _utc(events["uid-dk-summer@example.org"].dtstart.value) == _utc(data.meetings()["dk-summer"].start)


@pytest.mark.external
def test_khal_places_the_repeated_hour_and_1995_on_their_instants_and_shows_the_links(tmp_path: Path):
    khal = _khal()
    feed = tmp_path / "dk.ics"
    feed.write_bytes(_feed())
    config = _config(tmp_path, "UTC")
    _run(khal, "-c", str(config), "import", "--batch", "-a", "feeds", str(feed))
    listing = _run(khal, "-c", str(config), "list", "--format", "{uid}|{start}|{url}|{status}|{description}",
                   "1995-01-01", "2027-12-31")
    seen = {}
    for line in listing.splitlines():
        if line.count("|") >= 4:
            uid, start, url, status, description = line.split("|", 4)
            seen[uid] = (start, url, status, description)
    assert seen["uid-dk-repeated@example.org"][0] == "2026-10-25 01:30"
    assert seen["uid-dk-1995@example.org"][0] == "1995-06-14 07:00"
    assert seen["uid-dk-summer@example.org"][0] == "2026-06-10 07:00"
    assert seen["uid-dk-summer@example.org"][1] == f"{BASE}/meetings/dk-summer/"
    assert "TENTATIVE" in seen["uid-dk-winter@example.org"][2]
    assert TEAMS in listing  # the DESCRIPTION's online line (khal prints the description's lines after it)
