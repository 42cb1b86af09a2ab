"""`secretary serve` for the site and the feeds: gzip, conditional requests without building, file names."""

from __future__ import annotations

import gzip

import httpx

from secretary.cli.bootstrap import open_secretary
from secretary.cli.server import make_app
from tests.conftest import NOW
from tests.server_helpers import serving


def test_gzip_conditional_without_building_and_own_file_names(demo_db):
    sec = open_secretary(demo_db)
    built = {"feeds": 0, "site": 0}
    feed, pages = sec.feeds.feed, sec.site.pages

    def counting_feed(*args, **kwargs):
        built["feeds"] += 1
        return feed(*args, **kwargs)

    def counting_pages(*args, **kwargs):
        built["site"] += 1
        return pages(*args, **kwargs)

    sec.feeds.feed = counting_feed  # type: ignore[method-assign]
    sec.site.pages = counting_pages  # type: ignore[method-assign]
    with serving(make_app(sec, clock=lambda: NOW)) as url, httpx.Client(base_url=url, timeout=30) as client:
        plain = client.get("/calendars/dassos.ics", headers={"Accept-Encoding": "identity"})
        assert plain.headers["content-disposition"] == 'inline; filename="dassos.ics"'
        assert "content-encoding" not in plain.headers and plain.headers["vary"] == "Accept-Encoding"
        assert client.get("/calendars/all.ics").headers["content-disposition"] == 'inline; filename="all.ics"'
        raw = client.build_request("GET", "/calendars/dassos.ics", headers={"Accept-Encoding": "gzip"})
        zipped = client.send(raw, stream=True)
        body = b"".join(zipped.iter_raw())
        assert zipped.headers["content-encoding"] == "gzip" and gzip.decompress(body) == plain.content
        assert zipped.headers["etag"] != plain.headers["etag"]  # each encoding its own representation
        before = built["feeds"]
        again = client.get("/calendars/dassos.ics", headers={"If-None-Match": zipped.headers["etag"], "Accept-Encoding": "gzip"})
        assert again.status_code == 304 and built["feeds"] == before  # answered without building the feed
        page = client.get("/bodies/dassos/")
        assert page.status_code == 200 and page.headers["content-encoding"] == "gzip" and '<html lang="da">' in page.text
        etag = page.headers["etag"]
        assert client.get("/bodies/dassos/", headers={"If-None-Match": etag}).status_code == 304
        assert built["site"] == 1
        sec.agenda.update_meeting("fu-2027-03-03", lambda m: m.replace(location="Et andet sted"))
        changed = client.get("/meetings/fu-2027-03-03/")
        assert changed.status_code == 200 and built["site"] == 2  # new data: the site is gathered again
