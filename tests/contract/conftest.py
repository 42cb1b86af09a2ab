"""The persistence port's contract: every backend is opened here and judged by the same tests.

A second backend adds itself to BACKENDS (a factory that makes an empty store holding the
Midtjylland preset and one that reopens it as another process would).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secretary.cli.bootstrap import create_database
from secretary.domain.presets import load_preset
from store.tinydb_store import TinyStore


def _tinydb(folder: Path):
    path = folder / "db.json"
    create_database(path, load_preset("midtjylland"))
    return (lambda: TinyStore.open(path))


BACKENDS = {"tinydb": _tinydb}


@pytest.fixture(params=sorted(BACKENDS))
def opener(request, tmp_path):
    """A callable that opens the same store afresh (as another process would)."""
    return BACKENDS[request.param](tmp_path)


@pytest.fixture
def store(opener):
    return opener()
