"""Every guard of the meeting's life on PostgreSQL: the tests of test_cli_life.py (every step and
every refusal through `secretary.cli.main`, the clock frozen), collected again here against a
PostgreSQL database holding the same preset. "Nothing written" is judged by the database's own
state — the change counter (a refused step's transaction is rolled back, its number with it)
and a digest of every stored document — where the TinyDB tests compare the files' bytes."""

from __future__ import annotations

import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.presets import load_preset
from tests.functional import test_cli_life
from tests.functional.test_cli_life import *  # noqa: F403 - the same tests and fixtures, collected on PostgreSQL


def _state(url) -> dict[str, object]:
    import psycopg

    with psycopg.connect(str(url), autocommit=True) as conn:
        return {
            "change": conn.execute("SELECT value FROM counters WHERE name = 'change'").fetchone(),
            "registry": conn.execute("SELECT md5(string_agg(collection || id || version || doc::text, '|' "
                                     "ORDER BY collection, id)) FROM registry").fetchone(),
            "meetings": conn.execute("SELECT md5(string_agg(id || version || row::text || doc::text, '|' ORDER BY id)) "
                                     "FROM meetings").fetchone(),
            "revoked": conn.execute("SELECT count(*) FROM revoked_tokens").fetchone(),
        }


def _reopen(sec):
    """The same database opened afresh (conftest's reopen opens `store.location`, a file)."""
    return open_secretary(sec.store.url, clock=lambda: test_cli_life.NOW)


@pytest.fixture(autouse=True)
def _on_postgresql(monkeypatch):
    monkeypatch.setattr(test_cli_life, "db_files", _state)
    monkeypatch.setattr(test_cli_life, "reopen", _reopen)


@pytest.fixture
def demo_db(pg_url):
    create_database(pg_url, load_preset("midtjylland"))
    return pg_url


@pytest.fixture
def ludvika_db(pg_url):
    create_database(pg_url, load_preset("ludvika"))
    return pg_url
