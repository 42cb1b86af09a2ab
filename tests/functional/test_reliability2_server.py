"""Reliability round two (issue 21), class 12: the feed server under hostile clients."""

from __future__ import annotations

import logging
import socket
import time

import httpx
import pytest

from secretary.cli import server as server_module
from secretary.cli.bootstrap import create_database, open_secretary
from secretary.cli.server import MAX_PER_CLIENT, OncePerCondition, make_app
from tests import ics_feed_data as data
from tests.server_helpers import serving


@pytest.fixture
def url(tmp_path):
    path = tmp_path / "db.json"
    create_database(path, data.dataset())
    with serving(make_app(open_secretary(path), clock=lambda: data.NOW)) as base:
        yield base


def raw(url: str, request: bytes, source: str = "127.0.0.1") -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0)) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "request_bytes, status",
    [
        (b"GET //calendars/all.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b" 404 "),
        (b"GET /calendars//all.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b" 404 "),
        (b"GET /calendars/all.ics/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b" 404 "),
        (b"GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b" 404 "),
        (b"GET /search//index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b" 404 "),
        (b"GET /calendars/all.ics HTTP/1.1\r\n\r\n", b" 400 "),
        (b"GET /calendars/all.ics HTTP/1.7\r\nHost: x\r\n\r\n", b" 400 "),
        (b"GET /calendars/all.ics HTTP/2.0\r\nHost: x\r\n\r\n", b" 400 "),
        (b"GET /calendars/all.ics\r\n\r\n", b"400"),
        (b"GET /calendars/all.ics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b" 200 "),
    ],
    ids=["double slash first", "double slash inside", "trailing slash", "site root doubled", "site double slash",
         "1.1 without Host", "HTTP/1.7", "HTTP/2.0", "no version",
         "well-formed"],
)
def test_only_well_formed_requests_for_exact_paths_are_answered(url, request_bytes, status):
    answer = raw(url, request_bytes)
    assert status in answer.split(b"\r\n", 1)[0] or (status == b"400" and answer == b""), answer[:200]
    if status != b" 200 ":
        assert b"BEGIN:VCALENDAR" not in answer


def test_idle_connections_of_one_client_do_not_block_the_others(url):
    host, port = url.removeprefix("http://").split(":")
    idle = []
    try:
        for _ in range(110):
            try:
                idle.append(socket.create_connection((host, int(port)), timeout=5, source_address=("127.0.0.2", 0)))
            except OSError:
                break
        started = time.monotonic()
        with httpx.Client(base_url=url, timeout=10) as client:
            response = client.get("/calendars/all.ics")
        assert response.status_code == 200
        assert time.monotonic() - started < 3
        # The client that opened them keeps at most MAX_PER_CLIENT; the others were closed.
        time.sleep(0.3)
        open_ones = 0
        for sock in idle:
            sock.setblocking(False)
            try:
                open_ones += sock.recv(1) != b""
            except BlockingIOError:
                open_ones += 1
            except OSError:
                pass
        assert open_ones <= MAX_PER_CLIENT
    finally:
        for sock in idle:
            sock.close()


def test_a_repeated_warning_is_logged_once_per_interval(caplog):
    now = [0.0]
    once = OncePerCondition(interval=60, clock=lambda: now[0])
    logger = logging.getLogger("test.reliability2.queue")
    logger.addFilter(once)
    try:
        with caplog.at_level(logging.WARNING, logger="test.reliability2.queue"):
            for depth in range(31_000):
                logger.warning("Task queue depth is %d", depth)
            now[0] = 61.0
            logger.warning("Task queue depth is %d", 1)
    finally:
        logger.removeFilter(once)
    lines = [r.getMessage() for r in caplog.records if r.name == "test.reliability2.queue"]
    assert len(lines) == 2
    assert "30999 more like this" in lines[1]
    for name in ("waitress", "waitress.queue", "secretary.cli.server"):
        assert server_module._ONCE in logging.getLogger(name).filters
