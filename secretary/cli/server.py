"""`secretary serve`: a small read-only WSGI application that serves the calendar feeds.

    GET|HEAD /calendars/<body-id>.ics      one body's meetings (?all-day=1 adds milestones and deadlines)
    GET|HEAD /calendars/all.ics            every meeting
    GET|HEAD /calendars/p/<token>.ics      one person's meetings; the token is their secret

Everything else is 404 with the same short body, whatever the reason (no such
body, no such token, a revoked token), so the server never tells anyone which
bodies, people or tokens exist. Other methods get 405 with an Allow header.
HTTP parsing is waitress's and routing werkzeug's: no hand-made HTTP.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from email.utils import format_datetime
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from exports.ics import EventMemo
from secretary.domain.errors import NotFound, SecretaryError
from secretary.services.clock import Clock, utc_now
from secretary.services.facade import Secretary
from secretary.services.feeds import ALL_FEED, FEED_PREFIX, Feed

log = logging.getLogger("secretary.cli.server")

ALLOWED = ("GET", "HEAD")
MAX_AGE = 3600
CONTENT_TYPE = "text/calendar; charset=utf-8"
# A feed token is token_urlsafe(32): 43 characters; anything far off is refused before the lookup.
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _plain(status: int, text: str, **headers: str) -> Response:
    response = Response(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    response.headers["X-Content-Type-Options"] = "nosniff"
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


class FeedApp:
    """The WSGI application. One database, re-read when another process has changed it."""

    def __init__(self, secretary: Secretary, clock: Clock = utc_now):
        self.secretary = secretary
        self.clock = clock
        self._lock = threading.Lock()  # one feed built at a time: the store's caches are not thread-safe
        self._cache: dict[tuple, tuple[Feed, str]] = {}
        self._memo = EventMemo()  # event bytes shared by every feed until the data changes
        self.urls = Map(
            [
                Rule(f"{FEED_PREFIX}/p/<token>.ics", endpoint="person", methods=ALLOWED),
                Rule(f"{FEED_PREFIX}/<name>.ics", endpoint="named", methods=ALLOWED),
            ],
            merge_slashes=False,  # no redirects: a path either is a feed or is not found
        )
        # OPTIONS is refused like any other method: werkzeug adds no automatic OPTIONS (that,
        # and `provide_automatic_options`, are Flask's; setting it on a werkzeug Rule did nothing).

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.respond(request)
        except Exception:  # never a traceback to the client, never the path (it may hold a token) in the log
            log.exception("error while serving a feed")
            response = _plain(500, "server error")
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        adapter = self.urls.bind_to_environ(request.environ)
        try:
            endpoint, values = adapter.match()
        except MethodNotAllowed:
            return _plain(405, "method not allowed", Allow=", ".join(ALLOWED))
        except HTTPException:
            return self.not_found()
        if request.method not in ALLOWED:
            return _plain(405, "method not allowed", Allow=", ".join(ALLOWED))
        all_day = request.args.get("all-day", "") in ("1", "true", "yes")
        with self._lock:
            try:
                if self.secretary.store.refresh():
                    # The memo keeps events per partition generation and body: a changed file
                    # is rebuilt on its own, the rest of twenty years stays.
                    self._cache.clear()
                target = self._target(endpoint, values, all_day)
                if target is None:
                    return self.not_found()
                feed, etag = self._build(*target)
            except NotFound:
                return self.not_found()
            except SecretaryError:
                # Most likely a commit by another process caught half-way: try again shortly.
                log.warning("the database could not be read; answered 503")
                return _plain(503, "try again later", Retry_After="5")
        return self._feed_response(request, feed, etag, personal=endpoint == "person")

    def not_found(self) -> Response:
        return _plain(404, "not found")

    def _target(self, endpoint: str, values: Mapping[str, Any], all_day: bool) -> tuple | None:
        if endpoint == "person":
            token = values["token"]
            if not 20 <= len(token) <= 128 or not set(token) <= _TOKEN_CHARS:
                return None
            person = self.secretary.feeds.person_for_token(token)
            return ("person", person.id, False) if person else None
        name = values["name"]
        if name == ALL_FEED:
            return ("all", None, False)
        if self.secretary.store.bodies.get(name) is None:
            return None
        return ("body", name, all_day)

    def _build(self, kind: str, key: str | None, all_day: bool) -> tuple[Feed, str]:
        now = self.clock()
        # The bytes depend on the data and on the day (passed cancelled meetings leave).
        cache_key = (kind, key, all_day, now.date())
        cached = self._cache.get(cache_key)
        if cached is None:
            feed = self.secretary.feeds.feed(kind, key, now=now, all_day=all_day, memo=self._memo)
            cached = (feed, hashlib.sha256(feed.data).hexdigest()[:40])
            self._cache = {k: v for k, v in self._cache.items() if k[3] == now.date()}
            self._cache[cache_key] = cached
        return cached

    def _feed_response(self, request: Request, feed: Feed, etag: str, personal: bool) -> Response:
        response = Response(feed.data, status=200, content_type=CONTENT_TYPE)
        response.set_etag(etag, weak=False)
        if feed.last_modified is not None:
            response.headers["Last-Modified"] = format_datetime(feed.last_modified, usegmt=True)
        # A personal feed is for its owner only: shared caches must not keep it.
        response.headers["Cache-Control"] = f"{'private' if personal else 'public'}, max-age={MAX_AGE}"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Disposition"] = 'inline; filename="calendar.ics"'
        return response.make_conditional(request)


def make_app(secretary: Secretary, clock: Clock = utc_now) -> FeedApp:
    return FeedApp(secretary, clock)


def create_server(app: Callable, host: str = "127.0.0.1", port: int = 8080, threads: int = 4):
    """A waitress server bound to host:port (port 0: any free port; see `.effective_port`)."""
    from waitress.server import create_server as waitress_server  # deferred: only `serve` needs it

    return waitress_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="secretary",
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
        channel_timeout=60,
        max_request_header_size=16 * 1024,
        max_request_body_size=1024,
    )
