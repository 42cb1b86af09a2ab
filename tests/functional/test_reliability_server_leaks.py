"""Nothing a closed item holds reaches anything the server answers; the server lists nobody."""

from __future__ import annotations

import datetime as dt

import httpx

from secretary.cli.bootstrap import open_secretary
from secretary.cli.server import make_app
from secretary.services.facade import Secretary
from tests.server_helpers import serving

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def _closed_texts(sec: Secretary) -> list[str]:
    texts = []
    for meeting in sec.records.meetings():
        for item in meeting.items:
            if not item.public:
                texts += [item.title, item.background, item.recommendation, item.decision or "",
                          item.closed_reason or "", item.case_number or ""]
                texts += [a.title for a in item.attachments] + [a.what for a in item.actions]
    # Lines of 12+ characters: long enough to be the item's own words, not a shared label.
    return sorted({line.strip() for text in texts for line in text.splitlines() if len(line.strip()) >= 12})


def test_no_served_feed_holds_closed_content_and_nothing_lists_people(demo_db):
    sec = open_secretary(demo_db, clock=lambda: NOW)
    people = sec.records.people()
    sec.data.import_bytes(
        b'{"format": "secretary/1", "memberships": [{"id": "leak-seat", "body": "dassos", "person": "'
        + people[0].id.encode() + b'", "role": "member", "voting": true, "start": "2026-01-01", "end": null}]}'
    )
    token = sec.feeds.issue_feed_token(people[0].id)
    closed = _closed_texts(sec)
    assert closed, "the demo has closed items"
    with serving(make_app(open_secretary(demo_db), clock=lambda: NOW)) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            paths = [f"/calendars/{b.id}.ics" for b in sec.records.bodies()] + ["/calendars/all.ics", f"/calendars/p/{token}.ics"]
            served = []
            for path in paths:
                response = client.get(path)
                assert response.status_code == 200, path
                served.append((path, response.text))
            assert any("BEGIN:VEVENT" in text for _, text in served)
            for path, text in served:
                unfolded = text.replace("\r\n ", "").replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
                for secret in closed:
                    assert secret not in unfolded, (path, secret)
            for listing in ("/calendars/", "/calendars/p/", "/people", "/calendars/p"):
                response = client.get(listing)
                assert response.status_code == 404
                assert token not in response.text and people[0].name not in response.text
            front = client.get("/")  # the published site's front page: no people, no token
            assert front.status_code == 200 and token not in front.text and people[0].name not in front.text
