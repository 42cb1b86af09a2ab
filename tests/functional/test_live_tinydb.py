"""The TUI's watcher (screens/live.py) on a TinyDB store: it waits in the store's own
`wait_for_change` (the poll interval: TinyDB is told of no commits) and reloads when
`refresh()` finds another process's commit."""

from __future__ import annotations

import threading

from screens.live import watch_store
from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.model import Organisation
from secretary.domain.presets import load_preset
from store.tinydb_store import TinyStore


class _App:
    """What the watcher uses of a Textual app: whether it runs, its data version, its thread hand-over."""

    def __init__(self) -> None:
        self.is_running = True
        self.data_version = 0
        self.screen = None
        self.changed = threading.Event()

    def call_from_thread(self, callback) -> None:
        callback()
        self.changed.set()


def test_the_watcher_sees_another_processs_commit_on_tinydb(tmp_path, monkeypatch):
    path = tmp_path / "db.json"
    create_database(path, load_preset("midtjylland"))
    monkeypatch.setenv("SECRETARY_POLL", "0.05")
    secretary = open_secretary(path)
    secretary.store.organisations.all()
    waits: list[float] = []
    own_wait = secretary.store.wait_for_change

    def counted(timeout: float) -> bool:
        waits.append(timeout)
        return own_wait(timeout)

    monkeypatch.setattr(secretary.store, "wait_for_change", counted)
    app = _App()
    watch_store(app, secretary)  # type: ignore[arg-type]
    try:
        assert not app.changed.wait(0.3), "nothing changed: no reload"
        other = TinyStore.open(path)
        with other.transaction():
            other.organisations.save(Organisation(id="seen", name="Set", kind="other", country="DK"))
        assert app.changed.wait(60), "the other process's commit reaches the screen"
        assert app.data_version == 1
        assert waits and set(waits) == {0.05}, "every pause is the store's wait for the poll interval"
        assert secretary.store.organisations.get("seen") is not None
    finally:
        app.is_running = False
