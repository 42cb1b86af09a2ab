"""The composition root: the one place that opens a store and builds the services over it."""

from __future__ import annotations

from pathlib import Path

from secretary.cli.config import load_config
from secretary.domain.errors import SecretaryError
from secretary.domain.interchange import Dataset
from secretary.services.clock import Clock, utc_now
from secretary.services.facade import Secretary
from store.tinydb_store import PrivateFiles, TinyStore


def actor_name() -> str:
    """Who does the steps of a meeting's life: `name` in config.toml, else the login name."""
    return load_config().name


def open_secretary(path: Path | str, clock: Clock = utc_now, actor: str | None = None) -> Secretary:
    """The services over the database at `path` (NotFound when there is none)."""
    return Secretary(TinyStore.open(path), PrivateFiles(), clock, actor=actor if actor is not None else actor_name())


def create_database(path: Path, dataset: Dataset, clock: Clock = utc_now, force: bool = False) -> Secretary:
    """A new database at `path` holding `dataset`; refuses to overwrite unless forced."""
    store = TinyStore.open(path, must_exist=False)
    if store.exists() and not force:
        raise SecretaryError(f"a database already exists at {store.location}; add --force to replace it (a backup is kept)")
    path.parent.mkdir(parents=True, exist_ok=True)
    secretary = Secretary(store, PrivateFiles(), clock, actor=actor_name())
    if store.exists():
        secretary.data.replace_all(dataset, backup_name=f"{clock().date().isoformat()}-before-init")
    else:
        with store.transaction():
            store.initialise()
            secretary.data.import_dataset(dataset)
    return secretary
