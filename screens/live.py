"""Other sessions' changes on screen within seconds: a thread asks the store whether anything
changed (`store.refresh()`: a stat of the files for TinyDB, one query of the change counter for
PostgreSQL) and, when it did, has the UI thread reload the screen in view.

Between two questions it waits in `store.wait_for_change(SECRETARY_POLL seconds)`: on a store
that is told of other sessions' commits (PostgreSQL: LISTEN/NOTIFY) until the next commit comes
or the time is up, whichever is first; on TinyDB's the whole time. The poll stays as the
fallback (a lost listening connection, a connection pooler that drops notifications) and is all
there is for TinyDB.

A form or dialog on top is left alone (what the user is typing stays); the screen under it
reloads when it comes back into view (SectionScreen.on_screen_resume sees data_version moved).
"""

from __future__ import annotations

import os
import threading

from textual.app import App

from screens.base import SectionScreen

POLL_SECONDS = 2.0  # $SECRETARY_POLL; 0 turns it off


def poll_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("SECRETARY_POLL", POLL_SECONDS)))
    except ValueError:
        return POLL_SECONDS


def watch_store(app: App, secretary) -> None:
    """Start the watcher thread of `app` (a daemon: it ends with the app, or with the process)."""
    every = poll_seconds()
    if not every:
        return
    stop = threading.Event()

    def changed() -> None:
        app.data_version += 1  # type: ignore[attr-defined]
        screen = app.screen
        if isinstance(screen, SectionScreen):
            screen.seen_version = app.data_version  # type: ignore[attr-defined]
            screen.reload()

    def pause() -> bool:
        """Wait for the next round (the store's wait: `every` seconds for TinyDB, until the next
        commit or `every` for PostgreSQL); False when the watcher is to stop."""
        try:
            secretary.store.wait_for_change(every)
        except Exception:  # noqa: BLE001 - it promises not to raise; if it does, poll
            return not stop.wait(every)
        return not stop.is_set()

    def watch() -> None:
        while pause():
            if not app.is_running:
                return
            try:
                if secretary.store.refresh():
                    app.call_from_thread(changed)
            except Exception:  # noqa: BLE001 - a server gone for a moment: the next round tries again
                continue

    threading.Thread(target=watch, name="secretary-watch", daemon=True).start()
