"""Requests per second of `secretary serve` for one body's feed, beside the same server answering fixed bytes.

A server process runs the product's WSGI application (secretary.cli.server) in the
product's waitress server (`create_server`, same limits and threads) with one extra
path, /static, that answers fixed bytes of the same size: the same HTTP stack with no
feed behind it. The client (this process) keeps CLIENTS keep-alive connections busy,
each from its own loopback address group (the server allows MAX_PER_CLIENT
connections per address), and sends a bounded number of requests: 200s (full feed),
304s (If-None-Match with the feed's ETag), 304s of a gzip client (Accept-Encoding: gzip,
If-None-Match with the compressed feed's ETag) and static 200s, in the same run.
Loopback only (127.0.0.x).
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
from pathlib import Path

CLIENTS = 50

SERVER = """
import sys
from pathlib import Path
from secretary.cli.bootstrap import open_secretary
from secretary.cli.server import create_server, make_app

secretary = open_secretary(Path(sys.argv[1]))
feeds = make_app(secretary)
size = len(secretary.feeds.feed("body", sys.argv[2]).data)
fixed = b"x" * size

def app(environ, start_response):
    if environ.get("PATH_INFO") == "/static":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(fixed)))])
        return [fixed]
    return feeds(environ, start_response)

server = create_server(app, host="127.0.0.1", port=0)
print(server.effective_port, flush=True)
server.run()
"""


def _client(port: int, number: int, path: str, headers: dict, count: int, errors: list, statuses: list, base: int) -> None:
    # at most 4 connections an address (the server allows 8; a reconnect may overlap its old one), new addresses each round: the
    # server may not have closed the last round's connections yet
    source = f"127.0.{base}.{2 + number // 4}"
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
        for _ in range(count):
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
    except Exception as exc:  # noqa: BLE001 - reported, not raised: the other clients go on
        errors.append(f"{type(exc).__name__}: {exc}")


def _load(port: int, path: str, headers: dict, total: int, base: int) -> tuple[float, list[int], list[str]]:
    per_client = max(1, total // CLIENTS)
    errors: list[str] = []
    statuses: list[int] = []
    threads = [threading.Thread(target=_client, args=(port, n, path, headers, per_client, errors, statuses, base))
               for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.perf_counter() - started
    return len(statuses) / elapsed, statuses, errors


def measure(db_path: Path, body_id: str, total: int = 3000) -> dict:
    """serve_rps_200, serve_rps_304 and serve_rps_static (requests per second, CLIENTS at once)."""
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(db_path), body_id], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        path = f"/calendars/{body_id}.ics"
        first = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        first.request("GET", path)
        response = first.getresponse()
        response.read()
        etag = response.getheader("ETag") or ""
        first.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = first.getresponse()
        response.read()
        etag_gzip = response.getheader("ETag") or ""
        first.close()
        out: dict = {}
        rounds = (("serve_rps_static", "/static", {}), ("serve_rps_200", path, {}),
                  ("serve_rps_304", path, {"If-None-Match": etag}),
                  ("serve_rps_304_gzip", path, {"If-None-Match": etag_gzip, "Accept-Encoding": "gzip"}))
        for number, (key, target, headers) in enumerate(rounds):
            _load(port, target, headers, CLIENTS * 2, 10 + 2 * number)  # warm: connections, threads, caches
            rps, statuses, errors = _load(port, target, headers, total, 11 + 2 * number)
            wanted = 304 if key.startswith("serve_rps_304") else 200
            if errors or any(status != wanted for status in statuses):
                raise RuntimeError(f"{key}: {len(errors)} errors ({errors[:1]}), statuses {sorted(set(statuses))}")
            out[key] = rps
        out["serve_requests"] = total
        out["serve_clients"] = CLIENTS
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)
