"""Closed items never leak: fuzzed meetings whose closed items carry unique markers.

No public output — every part of the public .docx agenda, minutes and extracts, every
.ics feed (body, person, all) — may contain a marker: not a closed item's content, not
its own title (its public title, when it has one, is what they show), not the name of a
guest present only for it, not the note of a correction made to it after approval. The
full (internal) documents must contain them, so the test would notice markers that never
reach any output at all.
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
from exports.documents.extract import extract_docx
from exports.documents.minutes import minutes_docx
from exports.ics import all_feed, body_feed, person_feed
from secretary.domain.model import Person
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
            if draw(st.booleans()):
                fields["public_title"] = draw(st.sampled_from(["Personalesag", "Ärende enligt SoL", "Købssag"]))
        else:
            fields["title"] = f"Åbent punkt {index}"
            fields["background"] = "Offentlig baggrund"
        items.append({"id": f"leak-{index}", "number": str(index + 1), "public": not closed,
                      "kind": "decision", **fields})
    closed_ids = [item["id"] for item in items if not item["public"]]
    guest = f"GUESTMARK{next(counter):04d}Q"
    title_markers.append(guest)
    attendance = [*(a.model_dump() for a in BASE.attendance),
                  {"person": "leak-guest", "status": "guest", "only_items": closed_ids}]
    note = f"LEAKMARK{next(counter):04d}Q"
    markers.append(note)
    amendments = [{"on": "2026-10-20", "by": "Formanden", "what": f"item {closed_ids[0]}: x", "item": closed_ids[0],
                   "fields": ["decision"], "note": note}]
    minutes = {"status": "approved", "approved_on": "2026-10-15", "amendments": amendments}
    status = draw(st.sampled_from(["planned", "held"]))
    # Its own calendar identity: with the demo meeting's uid a feed would show only one of the two.
    meeting = BASE.replace(id="leak-meeting", uid="leak-meeting@secretary", items=items, status=status, attendance=attendance,
                           minutes=minutes if status == "held" else BASE.minutes.model_dump())
    return meeting, markers if status == "held" else markers[:-1], title_markers, guest


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=meetings_with_closed_items())
def test_no_public_output_contains_a_closed_items_marker(case):
    meeting, markers, title_markers, guest = case
    data = load_preset("midtjylland")
    data.people["leak-guest"] = Person(id="leak-guest", name=f"Gæst {guest}", title="advokat")
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
        if person.id == "leak-guest":  # the guest's own feed carries their name as its title
            continue
        public[f"feed of {person.id}"] = person_feed(person, data.memberships.values(), data.bodies,
                                                      data.meetings.values(), now=NOW).decode()
    for item in [i for i in meeting.items if not i.public][:2]:
        public[f"public extract of {item.id}"] = docx_text(extract_docx(meeting, body, context, item.id, public=True))
    for name, text in public.items():
        leaked = [m for m in markers if m in text]
        assert not leaked, f"{name} shows closed content {leaked}"
        titles = [m for m in title_markers if m in text]  # no closed item's own title, no guest only for it
        assert not titles, f"{name} shows {titles}"
    full = docx_text(minutes_docx(meeting, body, context, public=False))
    assert [m for m in markers + title_markers if m not in full] == []  # the markers are real content
    for item in meeting.items:  # the feeds do show the meeting: its items appear by their public headings
        heading = f"{item.number}. {item.public_title or 'Lukket punkt'}" if not item.public else item.title
        assert heading in public["all feed"].replace("\r\n ", "") and heading in public["public minutes"]
