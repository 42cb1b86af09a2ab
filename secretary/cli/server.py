"""`secretary serve`: a small read-only WSGI application that serves the published site and the
calendar feeds.

    GET|HEAD /calendars/<body-id>.ics      one body's meetings (?all-day=1 adds milestones and deadlines)
    GET|HEAD /calendars/all.ics            every meeting
    GET|HEAD /calendars/p/<token>.ics      one person's meetings; the token is their secret
    GET|HEAD /…                            the published site: exactly the files `export site` writes
                                           (a folder's address, ending in /, is its index.html)

Everything else is 404 with the same short body, whatever the reason (no such
body, no such token, a revoked token), so the server never tells anyone which
bodies, people or tokens exist: only these exact paths are feeds (`//calendars/all.ics`
is not). Other methods get 405 with an Allow header; an HTTP version other than 1.0
or 1.1 gets 505, an HTTP/1.1 request without Host 400.
HTTP parsing is waitress's and routing werkzeug's: no hand-made HTTP.

Feeds and pages are gzip-compressed for a client that accepts it (the ETag names the
encoding); a conditional request (If-None-Match) for what was built before is answered
304 from the cache, without building the feed or the page again.

Hostile clients: one client (address) holds at most MAX_PER_CLIENT connections, an
idle connection is closed after IDLE_SECONDS, and each warning is logged once per
LOG_EVERY seconds with the count of those suppressed (a queue that stays deep under
load is one line, not one per request).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from email.utils import format_datetime
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from exports.ics import EventMemo
from secretary import i18n
from secretary.domain.errors import NotFound, SecretaryError
from secretary.i18n import _
from secretary.services.clock import Clock, utc_now
from secretary.services.facade import Secretary
from secretary.services.feeds import ALL_FEED, FEED_PREFIX, Feed
from secretary.services.site import MANIFEST

log = logging.getLogger("secretary.cli.server")

ALLOWED = ("GET", "HEAD")
MAX_AGE = 3600
CONTENT_TYPE = "text/calendar; charset=utf-8"
# A feed token is token_urlsafe(32): 43 characters; anything far off is refused before the lookup.
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
# The only paths that are feeds, exactly (werkzeug would also match "//calendars/all.ics").
_FEED_PATH = re.compile(rf"{re.escape(FEED_PREFIX)}/(?:p/)?[A-Za-z0-9_-]{{1,128}}\.ics")
# A site path: segments of letters (å, ø, ä included), digits, '.', '_' and '-', none beginning with a dot.
_SITE_PATH = re.compile(r"/(?:[\w-][\w.-]{0,120}/){0,6}(?:[\w-][\w.-]{0,120})?")
SITE_MAX_AGE = 300
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ics": CONTENT_TYPE,
    ".json": "application/json",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".wasm": "application/wasm",
    ".png": "image/png",
}
# Already compressed (Pagefind's fragments and index are gzip, a .docx is a zip, a PNG deflated).
INCOMPRESSIBLE = (".docx", ".png", ".pf_fragment", ".pf_index", ".pf_meta", ".wasm")
HTTP_VERSIONS = ("HTTP/1.0", "HTTP/1.1")
MAX_PER_CLIENT = 8  # open connections from one address; more are closed at once
IDLE_SECONDS = 15  # an idle connection (no complete request) is closed after this
MAX_CONNECTIONS = 100
LOG_EVERY = 60.0  # seconds between two log lines of one condition
VALIDATED_FOR = 30.0  # seconds a feed's ETag answers 304s without the full path (the store's full refresh period)
VALIDATORS = 4096  # request targets whose ETag is kept for that (bounded: tokens are many)
GZIP_KEPT = 64  # compressed feeds kept (by ETag), so a 200 does not compress again
# Headers a 304 repeats from the 200 it stands for (RFC 9110 15.4.5).
KEPT_ON_304 = ("ETag", "Cache-Control", "Vary", "Last-Modified", "Expires", "Content-Location")


class OncePerCondition(logging.Filter):
    """Let a message (by its format string) through once per `interval` seconds; the next one
    that passes says how many were suppressed in between."""

    def __init__(self, interval: float = LOG_EVERY, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._last: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = f"{record.name}:{record.msg}"
        now = self.clock()
        with self._lock:
            last, suppressed = self._last.get(key, (None, 0))
            if last is not None and now - last < self.interval:
                self._last[key] = (last, suppressed + 1)
                return False
            self._last[key] = (now, 0)
        if suppressed:
            record.msg = f"{record.msg} ({suppressed} more like this in the last {self.interval:.0f} s not logged)"
        return True


_ONCE = OncePerCondition()


def quiet_repeats(*names: str) -> None:
    """Install the once-per-condition filter on these loggers (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        if _ONCE not in logger.filters:
            logger.addFilter(_ONCE)


quiet_repeats("secretary.cli.server", "waitress", "waitress.queue")


def _plain(status: int, text: str, **headers: str) -> Response:
    """A short text answer, in the language `secretary serve` was started in (--lang,
    $SECRETARY_LANG, config.toml, $LANG), named in Content-Language. Not the request's
    Accept-Language: the same request gets the same bytes whoever asks (one cached body per
    status, and a 404 says nothing about why), and the interface's language is one per process."""
    response = Response(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Language"] = i18n.language()
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
        self._site: dict | None = None  # the site's files (path → SiteFile), made on request
        self._site_day = None
        self._site_bytes: dict[str, tuple[bytes, str]] = {}
        self._search: dict[str, bytes] | None = None
        self._site_version: tuple | None = None
        # (request target, Accept-Encoding) → (ETag, the store's change generation, the day, when
        # checked, the 304's headers): a conditional request for an unchanged feed is answered
        # from this with one look at the change generation, before any request object is made.
        self._validators: dict[tuple[str, str], tuple[str, object, object, float, list[tuple[str, str]]]] = {}
        self._gzipped: dict[str, bytes] = {}
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
        try:
            headers = self._unchanged(environ)
        except Exception:  # noqa: BLE001 - the full path answers (and logs) instead
            headers = None
        if headers is not None:
            start_response("304 Not Modified", headers)
            return []
        request = Request(environ)
        try:
            response = self.refuse(environ) or self.respond(request)
        except Exception:  # never a traceback to the client, never the path (it may hold a token) in the log
            log.exception("error while serving a feed")
            response = _plain(500, _("server error"))
        return response(environ, start_response)

    def _unchanged(self, environ) -> list[tuple[str, str]] | None:
        """The 304's headers when this is a conditional GET or HEAD of a feed whose ETag it
        names and nothing has changed since that ETag was sent for this exact request target
        (one look at the store's change generation, the day, at most VALIDATED_FOR seconds);
        None: the full path decides (If-Match and If-Unmodified-Since always go there)."""
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if not wanted or environ.get("REQUEST_METHOD") not in ALLOWED or environ.get("SERVER_PROTOCOL") not in HTTP_VERSIONS:
            return None
        if environ.get("HTTP_IF_MATCH") or environ.get("HTTP_IF_UNMODIFIED_SINCE") or environ.get("SCRIPT_NAME"):
            return None
        if environ["SERVER_PROTOCOL"] == "HTTP/1.1" and not environ.get("HTTP_HOST", "").strip():
            return None
        target = environ.get("REQUEST_URI")
        found = self._validators.get((target, environ.get("HTTP_ACCEPT_ENCODING", ""))) if target else None
        if found is None:
            return None
        etag, generation, day, checked, headers = found
        if time.monotonic() - checked > VALIDATED_FOR or self.secretary.store.change_generation() != generation \
                or self.clock().date() != day:
            return None
        return headers if _names(wanted, etag) else None

    def _validated(self, environ, response: Response, generation: object, day: object) -> None:
        """Keep what answers the next conditional request for this target (see `_unchanged`)."""
        etag = response.headers.get("ETag")
        target = environ.get("REQUEST_URI")
        if not etag or not target or response.status_code not in (200, 304):
            return
        if len(self._validators) >= VALIDATORS:
            self._validators.clear()
        headers = [(name, value) for name, value in response.headers.items() if name in KEPT_ON_304]
        self._validators[(target, environ.get("HTTP_ACCEPT_ENCODING", ""))] = (etag, generation, day, time.monotonic(), headers)

    def refuse(self, environ) -> Response | None:
        """The answer to a request that is not well-formed HTTP/1.x for an exact feed path."""
        if environ.get("SERVER_PROTOCOL") not in HTTP_VERSIONS:
            return _plain(505, _("HTTP version not supported"))
        if environ["SERVER_PROTOCOL"] == "HTTP/1.1" and not environ.get("HTTP_HOST", "").strip():
            return _plain(400, _("bad request: HTTP/1.1 needs a Host header"))
        # The request target as sent: waitress gives PATH_INFO with leading slashes merged.
        target = environ.get("REQUEST_URI", environ.get("PATH_INFO", ""))
        if target.startswith(("http://", "https://")):  # absolute form: the path after the host
            target = "/" + target.split("/", 3)[3] if target.count("/") >= 3 else ""
        path = target.split("?", 1)[0]
        if environ.get("SCRIPT_NAME"):
            return self.not_found()
        if _FEED_PATH.fullmatch(path) and path == environ.get("PATH_INFO"):
            return None
        if path.startswith(FEED_PREFIX + "/") or path == FEED_PREFIX:
            return self.not_found()
        site_path = _site_path(path, environ.get("PATH_INFO", ""))
        if site_path is None:
            return self.not_found()
        environ["secretary.site_path"] = site_path
        return None

    def respond(self, request: Request) -> Response:
        site_path = request.environ.get("secretary.site_path")
        if site_path is not None:
            return self.respond_site(request, site_path)
        adapter = self.urls.bind_to_environ(request.environ)
        try:
            endpoint, values = adapter.match()
        except MethodNotAllowed:
            return _plain(405, _("method not allowed"), Allow=", ".join(ALLOWED))
        except HTTPException:
            return self.not_found()
        if request.method not in ALLOWED:
            return _plain(405, _("method not allowed"), Allow=", ".join(ALLOWED))
        all_day = request.args.get("all-day", "") in ("1", "true", "yes")
        with self._lock, self._reading():
            try:
                if self.secretary.store.refresh():
                    # The memo keeps events per partition generation and body: a changed file
                    # is rebuilt on its own, the rest of twenty years stays.
                    self._cache.clear()
                generation = self.secretary.store.change_generation()  # what this feed is built from
                target = self._target(endpoint, values, all_day)
                if target is None:
                    return self.not_found()
                feed, etag = self._build(*target)
                day = self.clock().date()
            except NotFound:
                return self.not_found()
            except SecretaryError:
                # Most likely a commit by another process caught half-way: try again shortly.
                log.warning("the database could not be read; answered 503")
                return _plain(503, _("try again later"), Retry_After="5")
        response = self._feed_response(request, feed, etag, personal=endpoint == "person", filename=_feed_filename(*target))
        self._validated(request.environ, response, generation, day)
        return response

    # -- the site ------------------------------------------------------------------------------

    def respond_site(self, request: Request, path: str) -> Response:
        if request.method not in ALLOWED:
            return _plain(405, _("method not allowed"), Allow=", ".join(ALLOWED))
        key = path[1:]
        if key == "" or key.endswith("/"):
            key += "index.html"
        if key == MANIFEST or key.startswith("calendars/"):
            return self.not_found()
        with self._lock, self._reading():
            try:
                now = self.clock()
                refreshed = self.secretary.store.refresh()
                version = self._data_version()
                if refreshed or self._site_day != now.date() or version != self._site_version:
                    self._site, self._site_bytes, self._search = None, {}, None
                    self._site_version = version
                    if refreshed:
                        self._cache.clear()
                cached = self._site_bytes.get(key)
                if cached is None:
                    data = self._site_file(key, now)
                    if data is None:
                        return self.not_found()
                    cached = (data, hashlib.sha256(data).hexdigest()[:40])
                    self._site_bytes[key] = cached
            except SecretaryError:
                log.warning("the site could not be built; answered 503")
                return _plain(503, _("try again later"), Retry_After="5")
        data, etag = cached
        suffix = "." + key.rsplit(".", 1)[-1] if "." in key.rsplit("/", 1)[-1] else ""
        response = Response(data, status=200, content_type=TYPES.get(suffix, "application/octet-stream"))
        response.headers["Cache-Control"] = f"public, max-age={SITE_MAX_AGE}"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if suffix == ".docx":
            name = key.rsplit("/", 1)[-1]
            response.headers["Content-Disposition"] = _disposition("attachment", name)
        return _send(request, response, etag, compress=not key.endswith(INCOMPRESSIBLE))

    def _data_version(self) -> tuple:
        """Changes whenever any stored data changes (this process's writes included)."""
        store = self.secretary.store
        meetings = store.meetings
        return (store.registry_generation(), store.index_generation(),
                tuple((key, meetings.generation(*key)) for key in sorted(meetings.partition_keys())))

    def _site_file(self, key: str, now) -> bytes | None:
        if self._site is None:
            self._site = self.secretary.site.pages(now)
            self._site_day = now.date()
        if key.startswith("pagefind/"):
            if self._search is None:
                self._search = self.secretary.site.search_files(self._site)
            return self._search.get(key)
        found = self._site.get(key)
        return found.make() if found is not None else None

    def not_found(self) -> Response:
        return _plain(404, _("not found"))

    def _reading(self):
        """One commit's state for the whole feed (never half of an import that commits meanwhile)."""
        reading = getattr(self.secretary.store, "reading", None)
        return reading() if reading is not None else contextlib.nullcontext()

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

    def _feed_response(self, request: Request, feed: Feed, etag: str, personal: bool, filename: str = "calendar.ics") -> Response:
        response = Response(feed.data, status=200, content_type=CONTENT_TYPE)
        if feed.last_modified is not None:
            response.headers["Last-Modified"] = format_datetime(feed.last_modified, usegmt=True)
        # A personal feed is for its owner only: shared caches must not keep it.
        response.headers["Cache-Control"] = f"{'private' if personal else 'public'}, max-age={MAX_AGE}"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Disposition"] = _disposition("inline", filename)
        return _send(request, response, etag, compress=True, gzipped=self._gzipped)


def _site_path(raw: str, path_info: str) -> str | None:
    """The site path a request target names, or None: percent-decoded as UTF-8 it must equal the
    server's PATH_INFO (so no merged slashes or other rewriting) and be a plain path."""
    from urllib.parse import unquote

    try:
        decoded = unquote(raw, encoding="utf-8", errors="strict")
        info = path_info.encode("latin-1").decode("utf-8")
    except (UnicodeError, ValueError):
        return None
    if decoded != info or not _SITE_PATH.fullmatch(decoded) or "/." in decoded or ".." in decoded:
        return None
    return decoded


def _feed_filename(kind: str, key: str | None, _all_day: bool) -> str:
    """The file name a feed downloads under: the body's id, 'all', or the person's id."""
    return f"{key or ALL_FEED}.ics"


def _disposition(kind: str, filename: str) -> str:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    if ascii_name == filename:
        return f'{kind}; filename="{filename}"'
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _names(header: str, etag: str) -> bool:
    """Whether an If-None-Match value names this (quoted, strong) ETag, or is `*`."""
    if header.strip() == "*":
        return True
    return any(one.strip().removeprefix("W/") == etag for one in header.split(","))


def _send(request: Request, response: Response, etag: str, compress: bool, gzipped: dict[str, bytes] | None = None) -> Response:
    """The response, gzip-compressed for a client that accepts it (its own ETag: the encoding is
    part of the representation), and answered 304/412 when the request's condition says so.

    A matching If-None-Match (without If-Match) is answered 304 before anything is compressed;
    `gzipped` keeps compressed bytes by ETag, so the same feed is compressed once."""
    if compress:
        response.vary.add("Accept-Encoding")
    gzip_it = compress and request.accept_encodings["gzip"] > 0 and response.status_code == 200
    if gzip_it:
        etag += "-gz"
    response.set_etag(etag, weak=False)
    wanted = request.headers.get("If-None-Match")
    if wanted and response.status_code == 200 and not request.headers.get("If-Match") \
            and not request.headers.get("If-Unmodified-Since") and _names(wanted, response.headers["ETag"]):
        kept = [(name, value) for name, value in response.headers.items() if name in KEPT_ON_304]
        return Response(status=304, headers=kept)
    if gzip_it:
        data = gzipped.get(etag) if gzipped is not None else None
        if data is None:
            data = gzip.compress(response.get_data(), compresslevel=6, mtime=0)
            if gzipped is not None:
                if len(gzipped) >= GZIP_KEPT:
                    gzipped.clear()
                gzipped[etag] = data
        response.set_data(data)
        response.headers["Content-Encoding"] = "gzip"
    return response.make_conditional(request)


def make_app(secretary: Secretary, clock: Clock = utc_now) -> FeedApp:
    return FeedApp(secretary, clock)


def create_server(app: Callable, host: str = "127.0.0.1", port: int = 8080, threads: int = 4):
    """A waitress server bound to host:port (port 0: any free port; see `.effective_port`),
    bounded per client (MAX_PER_CLIENT connections) and in idle time (IDLE_SECONDS)."""
    # deferred: only `serve` needs waitress
    from waitress.adjustments import Adjustments
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser, ParsingError
    from waitress.server import TcpWSGIServer
    from waitress.task import ThreadedTaskDispatcher, WSGITask

    class KeepAliveTask(WSGITask):
        """waitress (3.0) closes an HTTP/1.1 connection after every 304 and 204, because such a
        response carries no Content-Length (and may carry none): but it has no body by
        definition (RFC 9112 6.3), so the connection stays open for the client's next request."""

        _building = False

        def build_response_header(self):
            self._building = True
            try:
                return super().build_response_header()
            finally:
                self._building = False

        def set_close_on_finish(self) -> None:
            if self._building and not self.has_body and self.version == "1.1" \
                    and self.request.headers.get("CONNECTION", "").lower() != "close":
                return  # the only reason left is the missing length, which a bodiless answer never needs
            super().set_close_on_finish()

    class StrictParser(HTTPRequestParser):
        """waitress answers an unknown HTTP version as 1.0 and a 1.1 request without Host:
        refuse both (400) before the application sees them."""

        def parse_header(self, header_plus):
            super().parse_header(header_plus)
            if self.version not in ("1.0", "1.1"):
                raise ParsingError("unsupported HTTP version")
            if self.version == "1.1" and not self.headers.get("HOST", "").strip():
                raise ParsingError("HTTP/1.1 needs a Host header")

    class StrictChannel(HTTPChannel):
        parser_class = StrictParser
        task_class = KeepAliveTask

    class BoundedServer(TcpWSGIServer):
        channel_class = StrictChannel

        def handle_accept(self):
            try:
                accepted = self.accept()
                if accepted is None:
                    return
                conn, addr = accepted
                self.set_socket_options(conn)
            except OSError:
                return
            client = addr[0] if isinstance(addr, tuple) else addr
            held = sum(
                1 for channel in list(self._map.values())
                if channel is not self and isinstance(getattr(channel, "addr", None), tuple) and channel.addr[0] == client
            )
            if held >= MAX_PER_CLIENT:
                log.warning("a client holds too many connections; further ones are closed at once")
                try:
                    conn.close()
                except OSError:
                    pass
                return
            self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    adj = Adjustments(
        host=host,
        port=port,
        threads=threads,
        ident="secretary",
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
        channel_timeout=IDLE_SECONDS,
        cleanup_interval=1,
        connection_limit=MAX_CONNECTIONS,
        max_request_header_size=16 * 1024,
        max_request_body_size=1024,
    )
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    sockinfo = adj.listen[0]
    return BoundedServer(app, {}, True, None, dispatcher=dispatcher, adj=adj, sockinfo=sockinfo)
