"""The composition root: the one place that opens a store and builds the services over it.

`--db` (or $SECRETARY_DB) names the store: a path is a TinyDB database (the embedded default),
a `postgresql://USER@HOST/DBNAME` URL a PostgreSQL database (store.postgres).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from secretary.cli.config import load_config
from secretary.domain.errors import SecretaryError
from secretary.i18n import _
from secretary.services.clock import Clock, utc_now
from secretary.services.facade import Secretary
from secretary.services.ports import Store
from store.files import ensure_dir
from store.postgres.url import is_server_url
from store.tinydb_store import PrivateFiles, TinyStore

if TYPE_CHECKING:
    from secretary.domain.interchange import Dataset

Target = Path | str

# The program's models use no pydantic plugin, and looking for plugins reads the entry points
# of every installed package when the first validator is built (20 ms of the TUI's first
# screen). The process is configured here, where it is composed; a value the user set is
# left alone (PYDANTIC_DISABLE_PLUGINS=0 brings plugins back).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def open_store(target: Target, must_exist: bool = True) -> Store:
    """The store `target` names: a PostgreSQL URL or a TinyDB path."""
    if is_server_url(target):
        from store.postgres.store import PgStore  # psycopg is loaded only for a server database

        return PgStore.open(str(target), must_exist=must_exist)
    return TinyStore.open(target, must_exist=must_exist)


def database_exists(target: Target) -> bool:
    if is_server_url(target):
        try:
            return open_store(target, must_exist=False).exists()
        except SecretaryError:
            return True  # let the open that follows say what is wrong
    return Path(target).exists()


def actor_name() -> str:
    """Who does the steps of a meeting's life: `name` in config.toml, else the login name."""
    return load_config().name


def open_secretary(path: Target, clock: Clock = utc_now, actor: str | None = None) -> Secretary:
    """The services over the database at `path` (NotFound when there is none)."""
    return Secretary(open_store(path), PrivateFiles(), clock, actor=actor if actor is not None else actor_name())


def create_database(path: Target, dataset: Dataset, clock: Clock = utc_now, force: bool = False) -> Secretary:
    """A new database at `path` holding `dataset`; refuses to overwrite unless forced."""
    store = open_store(path, must_exist=False)
    if store.exists() and not force:
        raise SecretaryError(
            _("a database already exists at {path}; add --force to replace it (a backup is kept)").format(path=describe(store))
        )
    if not is_server_url(path):
        ensure_dir(Path(path).parent)  # private (0700) whatever the umask
    secretary = Secretary(store, PrivateFiles(), clock, actor=actor_name())
    if store.exists():
        secretary.data.replace_all(dataset, backup_name=f"{clock().date().isoformat()}-before-init")
    else:
        with store.transaction():
            store.initialise()  # type: ignore[attr-defined]  # both backends have it; the port does not
            secretary.data.import_dataset(dataset)
    return secretary


def describe(store: Store) -> str:
    """How to name the database in a message: the file, or the URL without secrets."""
    return str(getattr(store, "label", None) or store.location)


@contextmanager
def read_session(target: Target) -> Iterator[None]:
    """Every store opened inside reads one commit's state until the end (one-shot reading commands)."""
    if is_server_url(target):
        from store.postgres.store import read_session as server_session

        with server_session():
            yield
        return
    from store.database import read_session as file_session

    with file_session():
        yield
