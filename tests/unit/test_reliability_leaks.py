"""Closed items never leak: fuzzed meetings whose closed items carry unique markers.

No public output — the public .docx agenda and minutes, every .ics feed (body,
person, all) — may contain a marker. The full (internal) documents must contain
them, so the test would notice markers that never reach any output at all.
The server's pages are covered by the server's own tests (tests/functional/test_ics_server.py).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.documents.agenda import agenda_docx
from exports.documents.context import build_context
from exports.documents.minutes import minutes_docx
from exports.ics import all_feed, body_feed, person_feed
from secretary.domain.presets import load_preset

DATA = load_preset("midtjylland")
BASE = DATA.meetings["dassos-2026-10-08"]
NOW = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
CONTENT_FIELDS = ("background", "recommendation", "decision", "closed_reason", "case_number", "presenter")


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


@st.composite
def meetings_with_closed_items(draw):
    counter = iter(range(10_000))
    items, markers, title_markers = [], [], []
    for index in range(draw(st.integers(1, 5))):
        closed = index == 0 or draw(st.booleans())
        fields = {}
        if closed:
            for name in draw(st.lists(st.sampled_from(CONTENT_FIELDS), min_size=1, unique=True)):
                marker = f"LEAKMARK{next(counter):04d}Q"
                fields[name] = f"{draw(st.sampled_from(['', 'Sagen: ', 'Æøå ']))}{marker}"
                markers.append(marker)
            if draw(st.booleans()):
                marker = f"LEAKMARK{next(counter):04d}Q"
                fields["attachments"] = [{"title": marker, "href": f"https://example.org/{marker}"}]
                markers.append(marker)
            title_marker = f"TITLEMARK{next(counter):04d}Q"
            title_markers.append(title_marker)
            fields["title"] = f"Lukket sag {title_marker}"
        else:
            fields["title"] = f"Åbent punkt {index}"
            fields["background"] = "Offentlig baggrund"
        items.append({"id": f"leak-{index}", "number": str(index + 1), "public": not closed,
                      "kind": "decision", **fields})
    meeting = BASE.replace(id="leak-meeting", items=items, status=draw(st.sampled_from(["planned", "held"])))
    return meeting, markers, title_markers


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=meetings_with_closed_items())
def test_no_public_output_contains_a_closed_items_marker(case):
    meeting, markers, title_markers = case
    data = load_preset("midtjylland")
    data.meetings[meeting.id] = meeting
    body = data.bodies[meeting.body]
    context = build_context(meeting, data)
    public = {
        "public agenda": docx_text(agenda_docx(meeting, body, context, public=True)),
        "public minutes": docx_text(minutes_docx(meeting, body, context, public=True)),
        "body feed": body_feed(body, data.meetings.values(), now=NOW, milestones=data.milestones.values(),
                               all_day=True).decode(),
        "all feed": all_feed(data.bodies, data.meetings.values(), now=NOW).decode(),
    }
    for person in data.people.values():
        public[f"feed of {person.id}"] = person_feed(person, data.memberships.values(), data.bodies,
                                                      data.meetings.values(), now=NOW).decode()
    for name, text in public.items():
        leaked = [m for m in markers if m in text]
        assert not leaked, f"{name} shows closed content {leaked}"
        if "feed" in name:  # a calendar shows no closed item's title either
            assert not [m for m in title_markers if m in text], name
    full = docx_text(minutes_docx(meeting, body, context, public=False))
    assert [m for m in markers if m not in full] == []  # the markers are real content
