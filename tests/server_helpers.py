"""A real waitress server on a free loopback port, in a thread, for tests with a real HTTP client."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from waitress import wasyncore

from secretary.cli.server import create_server


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 and yield the base URL; shut down from inside the server's loop."""
    srv = create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        srv.task_dispatcher.shutdown()
        # Closing the sockets from this thread races the loop's select() (EBADF); the
        # trigger runs the close inside the loop, which then ends with an empty map.
        try:
            srv.trigger.pull_trigger(lambda: wasyncore.close_all(srv._map))
        except OSError:  # EBADF: the loop met a socket closed under its select() and closed everything already
            wasyncore.close_all(srv._map)
        thread.join(timeout=10)
