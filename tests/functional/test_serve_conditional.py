"""`serve`: a conditional GET for an unchanged feed is a cheap 304 (no feed built, nothing
compressed, no look at the partitions: one look at the change generation), for plain and
gzip clients alike, each with its own ETag; and an edit by another process ends it at once."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlsplit

import httpx
import pytest

from secretary.cli import server as server_module
from secretary.cli.bootstrap import create_database, open_secretary
from secretary.cli.server import make_app
from tests import ics_feed_data as data
from tests.server_helpers import serving


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "db.json"
    create_database(path, data.dataset())
    return path


@pytest.fixture
def served(db, monkeypatch):
    """The server, with counts of what the full path does: feeds built, compressions, refreshes."""
    secretary = open_secretary(db)
    counts = {"built": 0, "compressed": 0, "refreshed": 0}
    feed, refresh, compress = secretary.feeds.feed, secretary.store.refresh, gzip.compress

    def counted(name, call):
        def run(*args, **kwargs):
            counts[name] += 1
            return call(*args, **kwargs)
        return run

    monkeypatch.setattr(secretary.feeds, "feed", counted("built", feed))
    monkeypatch.setattr(secretary.store, "refresh", counted("refreshed", refresh))
    monkeypatch.setattr(server_module.gzip, "compress", counted("compressed", compress))
    with serving(make_app(secretary, clock=lambda: data.NOW)) as url:
        yield url, counts


def _plain_get(url: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """http.client: no Accept-Encoding unless given, so the feed comes uncompressed."""
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _retitle(db, meeting_id: str, title: str) -> None:
    other = open_secretary(db)  # another process's edit, as the TUI's would be
    other.agenda.update_meeting(meeting_id, lambda m: m.replace(title=title))


def test_a_plain_client_gets_a_cheap_304_until_the_feed_changes(served, db):
    url, counts = served
    status, headers, body = _plain_get(url, "/calendars/dk.ics")
    assert status == 200 and "content-encoding" not in headers and b"BEGIN:VCALENDAR" in body
    etag = headers["etag"]
    assert not etag.endswith('-gz"')
    before = dict(counts)
    for _ in range(3):
        status, again, body = _plain_get(url, "/calendars/dk.ics", {"If-None-Match": etag})
        assert status == 304 and body == b""
        assert again["etag"] == etag and again["cache-control"] == headers["cache-control"]
        assert again["vary"] == "Accept-Encoding" and again["last-modified"] == headers["last-modified"]
    assert counts == before  # answered without building, compressing or refreshing
    # another process changes a meeting of this body: the old ETag gets the new feed
    _retitle(db, "dk-summer", "Sommermøde om takster")
    status, changed, body = _plain_get(url, "/calendars/dk.ics", {"If-None-Match": etag})
    assert status == 200 and "Sommermøde om takster".encode() in body and changed["etag"] != etag
    status, _headers, _body = _plain_get(url, "/calendars/dk.ics", {"If-None-Match": changed["etag"]})
    assert status == 304


def test_a_gzip_client_gets_its_own_etag_and_a_304_without_compressing(served, db):
    url, counts = served
    with httpx.Client(base_url=url, timeout=10, headers={"Accept-Encoding": "gzip"}) as client:
        first = client.get("/calendars/all.ics")
        assert first.status_code == 200 and first.headers["content-encoding"] == "gzip"
        etag = first.headers["etag"]
        assert etag.endswith('-gz"')
        compressed = counts["compressed"]
        again = client.get("/calendars/all.ics")  # a second 200: the compressed bytes are kept
        assert again.status_code == 200 and again.content == first.content and counts["compressed"] == compressed
        before = dict(counts)
        for _ in range(3):
            not_modified = client.get("/calendars/all.ics", headers={"If-None-Match": etag})
            assert not_modified.status_code == 304 and not_modified.content == b""
            assert not_modified.headers["etag"] == etag and "content-encoding" not in not_modified.headers
        assert counts == before
        # the gzip ETag names the compressed bytes: a plain client holding it gets the plain feed
        status, headers, body = _plain_get(url, "/calendars/all.ics", {"If-None-Match": etag})
        assert status == 200 and "content-encoding" not in headers and b"BEGIN:VCALENDAR" in body
        _retitle(db, "se-winter", "Vintermöte")
        changed = client.get("/calendars/all.ics", headers={"If-None-Match": etag})
        assert changed.status_code == 200 and "Vintermöte" in changed.text and changed.headers["etag"] != etag


def test_the_connection_stays_open_after_a_304(served):
    url, _counts = served
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.request("GET", "/calendars/dk.ics")
        first = connection.getresponse()
        first.read()
        etag, sock = first.getheader("ETag"), connection.sock
        for _ in range(3):
            connection.request("GET", "/calendars/dk.ics", headers={"If-None-Match": etag})
            response = connection.getresponse()
            assert response.status == 304 and response.read() == b""
            assert response.getheader("Connection") is None and not response.will_close
        assert connection.sock is sock  # one connection for all four requests
    finally:
        connection.close()


def test_if_match_and_a_foreign_etag_take_the_full_path(served):
    url, counts = served
    _status, headers, _body = _plain_get(url, "/calendars/se.ics")
    etag = headers["etag"]
    assert _plain_get(url, "/calendars/se.ics", {"If-None-Match": '"other"'})[0] == 200
    assert _plain_get(url, "/calendars/se.ics", {"If-None-Match": f'"other", {etag}'})[0] == 304
    refreshed = counts["refreshed"]
    assert _plain_get(url, "/calendars/se.ics", {"If-None-Match": etag, "If-Match": '"other"'})[0] == 412
    assert counts["refreshed"] == refreshed + 1  # the full path looked
    # a 304 learnt for one target is not another's
    assert _plain_get(url, "/calendars/dk.ics", {"If-None-Match": etag})[0] == 200
