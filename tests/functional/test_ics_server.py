"""`secretary serve`: a real waitress server on a loopback port, a real HTTP client."""

from __future__ import annotations

import datetime as dt
import socket

import httpx
import icalendar
import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.cli.server import make_app
from tests import ics_feed_data as data
from tests.conftest import run_cli
from tests.server_helpers import serving


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "db.json"
    create_database(path, data.dataset())
    return path


@pytest.fixture
def server(db):
    """The app on a free loopback port, in a thread; yields the base URL."""
    with serving(make_app(open_secretary(db), clock=lambda: data.NOW)) as url:
        yield url


@pytest.fixture
def client(server):
    with httpx.Client(base_url=server, timeout=10) as c:
        yield c


def test_body_feed_with_strong_etag_and_last_modified(client):
    response = client.get("/calendars/dk.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    etag = response.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response.headers["last-modified"] == "Mon, 05 Jan 2026 08:30:00 GMT"
    cal = icalendar.Calendar.from_ical(response.content)
    assert {str(e["UID"]) for e in cal.walk("VEVENT")} >= {"uid-dk-winter@example.org", "uid-dk-summer@example.org"}
    assert client.get("/calendars/dk.ics").headers["etag"] == etag  # same data, same tag


def test_if_none_match_gives_304_and_head_has_no_body(client):
    etag = client.get("/calendars/all.ics").headers["etag"]
    again = client.get("/calendars/all.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    stale = client.get("/calendars/all.ics", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    head = client.head("/calendars/all.ics")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag


def test_unknown_paths_bodies_and_tokens_get_the_same_404(client):
    bodies = set()
    for path in ("/calendars/", "/calendars", "/calendars/nope.ics", "/calendars/p/", "/calendars/p/x.ics",
                 "/calendars/p/" + "A" * 43 + ".ics", "/calendars/dk.ics/", "/calendars/../db.json",
                 "/calendars/dk.json", "/db.json", "/db.json.d/index.json", "/.secretary-site.json", "/bodies/dk",
                 "/bodies//dk/", "/bodies/%2e%2e/", "/calendars/p/x/"):
        response = client.get(path)
        assert response.status_code == 404, path
        bodies.add(response.content)
    assert bodies == {b"not found\n"}


def test_personal_feed_by_token_and_404_once_revoked(client, db):
    token = open_secretary(db).feeds.issue_feed_token("anna")
    response = client.get(f"/calendars/p/{token}.ics")
    assert response.status_code == 200
    assert "private" in response.headers["cache-control"]
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert "uid-se-summer@example.org" in uids and "uid-dk-winter@example.org" not in uids
    assert b"Anna Andersen" in response.content
    open_secretary(db).feeds.revoke_feed_token("anna")
    gone = client.get(f"/calendars/p/{token}.ics")
    assert gone.status_code == 404 and gone.content == b"not found\n"


def test_new_data_shows_without_a_restart(client, db):
    first = client.get("/calendars/dk.ics")
    sec = open_secretary(db)
    sec.agenda.update_meeting("dk-summer", lambda m: m.replace(location="Aarhus Rådhus"))
    second = client.get("/calendars/dk.ics", headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200
    assert second.headers["etag"] != first.headers["etag"]
    assert b"Aarhus R" in second.content


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_get_405_with_allow(client, method):
    response = client.request(method, "/calendars/dk.ics", content=b"x")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_malformed_requests_do_not_kill_the_server(server):
    host, port = server.removeprefix("http://").split(":")
    for garbage in (b"\x00\xff GARBAGE\r\n\r\n", b"GET /calendars/dk.ics HTTP/9.9\r\n\r\n", b"GET\r\n\r\n",
                    b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"G" * 70000):
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            try:  # the server may answer 400/431 and hang up before everything is sent
                raw.sendall(garbage)
                raw.shutdown(socket.SHUT_WR)
                while raw.recv(4096):
                    pass
            except OSError:
                pass
    with httpx.Client(base_url=server, timeout=10) as client:
        assert client.get("/calendars/all.ics").status_code == 200


def test_serve_binds_loopback_by_default():
    from secretary.cli.entry import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8080)


def test_cli_export_ics_and_feed_token(db, tmp_path):
    out = tmp_path / "dk.ics"
    result = run_cli("export", "ics", "--body", "dk", "-o", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr.decode()
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "DASSOS"
    result = run_cli("export", "ics", "--person", "anna", "--db", str(db))
    assert result.returncode == 0 and b"BEGIN:VCALENDAR" in result.stdout
    result = run_cli("export", "ics", "--body", "nope", "--db", str(db))
    assert result.returncode == 1 and b"no body with id 'nope'" in result.stderr
    result = run_cli("feed-token", "anna", "--db", str(db))
    assert result.returncode == 0
    path = result.stdout.decode().strip()
    assert path.startswith("/calendars/p/") and path.endswith(".ics")
    token = path.removeprefix("/calendars/p/").removesuffix(".ics")
    assert open_secretary(db).feeds.person_for_token(token).id == "anna"
    assert run_cli("feed-token", "anna", "--show", "--db", str(db)).stdout.decode().strip() == path
    assert run_cli("feed-token", "anna", "--revoke", "--db", str(db)).returncode == 0
    assert open_secretary(db).feeds.person_for_token(token) is None
    assert run_cli("check", "--db", str(db)).returncode == 0


def test_cancelled_meeting_leaves_the_served_feed_after_its_date(db):
    """The server passes its clock to the exporter: the same URL drops a passed cancellation."""
    when = {"now": data.NOW}
    app = make_app(open_secretary(db), clock=lambda: when["now"])
    from werkzeug.test import Client

    client = Client(app)
    assert b"uid-dk-cancelled@example.org" in client.get("/calendars/dk.ics").data
    when["now"] = dt.datetime(2026, 3, 6, tzinfo=dt.UTC)
    response = client.get("/calendars/dk.ics")
    assert b"uid-dk-cancelled@example.org" not in response.data
    assert response.headers["Last-Modified"] == "Wed, 04 Mar 2026 23:00:00 GMT"  # midnight it left, in Copenhagen


def test_the_short_answers_are_in_the_language_the_server_was_started_in(db):
    """`secretary serve --lang da`: the 404 (and 405) bodies are Danish, the same for every
    unknown path, and named in Content-Language; the feeds themselves are unchanged."""
    from secretary import i18n

    i18n.set_language("da")
    try:
        with serving(make_app(open_secretary(db), clock=lambda: data.NOW)) as url, httpx.Client(base_url=url, timeout=10) as c:
            missing = {c.get(path).content for path in ("/calendars/nope.ics", "/calendars/p/x.ics", "/db.json")}
            assert missing == {b"ikke fundet\n"}
            gone = c.get("/nope")
            assert gone.status_code == 404 and gone.headers["content-language"] == "da"
            posted = c.post("/calendars/all.ics")
            assert posted.status_code == 405 and posted.text == "metoden er ikke tilladt\n"
            assert c.get("/calendars/all.ics").status_code == 200
    finally:
        i18n.set_language("en")
