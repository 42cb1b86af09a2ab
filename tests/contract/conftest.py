"""The persistence port's contract: every backend is opened here and judged by the same tests.

A backend adds itself to BACKENDS: a factory that makes an empty store holding the Midtjylland
preset and returns a callable that reopens it as another process would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secretary.cli.bootstrap import create_database
from secretary.domain.presets import load_preset
from store.tinydb_store import TinyStore


def _tinydb(request, folder: Path):
    path = folder / "db.json"
    create_database(path, load_preset("midtjylland"))
    return (lambda: TinyStore.open(path))


def _postgresql(request, folder: Path):
    from store.postgres.store import PgStore

    url = request.getfixturevalue("pg_url")  # a database of its own on the session's throwaway server
    create_database(url, load_preset("midtjylland"))
    return (lambda: PgStore.open(url))


BACKENDS = {"tinydb": _tinydb, "postgresql": _postgresql}


@pytest.fixture(params=sorted(BACKENDS))
def opener(request, tmp_path):
    """A callable that opens the same store afresh (as another process would)."""
    return BACKENDS[request.param](request, tmp_path)


@pytest.fixture
def store(opener):
    return opener()
