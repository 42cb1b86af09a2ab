"""`Secretary.all_feeds` builds every feed in one pass: the same bytes as one feed at a time."""

from __future__ import annotations

import datetime as dt

from secretary.cli.bootstrap import open_secretary

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_all_feeds_equal_the_feeds_built_one_by_one(demo_db):
    sec = open_secretary(demo_db, clock=lambda: NOW)
    # A personal seat whose term covers only some of the body's meetings.
    person = sec.records.people()[0]
    sec.data.import_bytes(
        b'{"format": "secretary/1", "memberships": [{"id": "t-seat", "body": "dassos", "person": "'
        + person.id.encode()
        + b'", "role": "member", "voting": true, "start": "2026-12-01", "end": null}]}'
    )
    feeds = dict(sec.feeds.all_feeds(NOW))
    assert feeds["/calendars/all.ics"] == sec.feeds.feed("all", None, NOW).data
    for body in sec.records.bodies():
        assert feeds[f"/calendars/{body.id}.ics"] == sec.feeds.feed("body", body.id, NOW).data
    personal = [key for key in feeds if key.startswith("person:")]
    assert f"person:{person.id}" in personal
    for key in personal:
        assert feeds[key] == sec.feeds.feed("person", key.split(":", 1)[1], NOW).data
    own = feeds[f"person:{person.id}"].decode()
    assert "2027" in own and "20261008" not in own, "only meetings within the seat's term"
