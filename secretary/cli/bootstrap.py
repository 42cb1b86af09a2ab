"""The composition root: the one place that opens a store and builds the services over it."""

from __future__ import annotations

from pathlib import Path

from secretary.domain.errors import SecretaryError
from secretary.domain.interchange import Dataset
from secretary.i18n import _
from secretary.services.clock import Clock, utc_now
from secretary.services.facade import Secretary
from store.files import ensure_dir
from store.tinydb_store import PrivateFiles, TinyStore


def open_secretary(path: Path | str, clock: Clock = utc_now) -> Secretary:
    """The services over the database at `path` (NotFound when there is none)."""
    return Secretary(TinyStore.open(path), PrivateFiles(), clock)


def create_database(path: Path, dataset: Dataset, clock: Clock = utc_now, force: bool = False) -> Secretary:
    """A new database at `path` holding `dataset`; refuses to overwrite unless forced."""
    store = TinyStore.open(path, must_exist=False)
    if store.exists() and not force:
        raise SecretaryError(
            _("a database already exists at {path}; add --force to replace it (a backup is kept)").format(path=store.location)
        )
    ensure_dir(path.parent)  # private (0700) whatever the umask
    secretary = Secretary(store, PrivateFiles(), clock)
    if store.exists():
        secretary.data.replace_all(dataset, backup_name=f"{clock().date().isoformat()}-before-init")
    else:
        with store.transaction():
            store.initialise()
            secretary.data.import_dataset(dataset)
    return secretary
