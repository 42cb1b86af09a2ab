"""The PostgreSQL schema is the program's: created by `secretary init` on an empty database,
migrated step by step when a newer program opens an older database (each step recorded in
`schema_migrations`), never guessed at when the database is newer, and migrated once when
several programs open an empty database at the same time."""

from __future__ import annotations

import os
import subprocess
import sys

from store.postgres import check as pg_check
from store.postgres import schema
from store.postgres import store as pg_store
from tests.conftest import ROOT, run_cli

ENV_PATH = {"PYTHONPATH": str(ROOT)}


def _tables(pg_cluster, url) -> set[str]:
    rows = pg_cluster.execute(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {name for (name,) in rows}


def test_init_on_an_empty_database_creates_every_step_of_the_schema(pg_cluster, pg_url):
    assert _tables(pg_cluster, pg_url) == set()
    result = run_cli("init", "--preset", "midtjylland", "--db", pg_url)
    assert result.returncode == 0, result.stderr.decode()
    steps = pg_cluster.execute(pg_url, "SELECT version, name FROM schema_migrations ORDER BY version")
    assert steps == [(number, name) for number, name, _sql in schema.MIGRATIONS]
    assert {"registry", "meetings", "partitions", "counters", "revoked_tokens", "backups", "settings"} <= _tables(pg_cluster, pg_url)
    assert run_cli("check", "--db", pg_url).returncode == 0


def test_a_newer_program_migrates_an_older_database_and_keeps_its_data(pg_cluster, pg_url, monkeypatch):
    assert run_cli("init", "--preset", "midtjylland", "--db", pg_url).returncode == 0
    before = run_cli("export", "json", "--db", pg_url).stdout
    step = (schema.LATEST + 1, "a test step: a table of notes", "CREATE TABLE notes (id text PRIMARY KEY, note text NOT NULL)")
    monkeypatch.setattr(pg_store, "MIGRATIONS", [*schema.MIGRATIONS, step])
    monkeypatch.setattr(pg_store, "LATEST", step[0])
    monkeypatch.setattr(pg_check, "LATEST", step[0])
    store = pg_store.PgStore.open(pg_url)
    assert "notes" in _tables(pg_cluster, pg_url)
    assert [v for (v,) in pg_cluster.execute(pg_url, "SELECT version FROM schema_migrations ORDER BY version")] == [
        *range(1, schema.LATEST + 1), step[0]]
    assert store.check() == []
    store.close()
    pg_store.PgStore.open(pg_url).close()  # opened again: nothing more to do
    assert len(pg_cluster.execute(pg_url, "SELECT version FROM schema_migrations")) == step[0]
    monkeypatch.undo()
    # The older program now meets a database migrated past what it knows.
    result = run_cli("bodies", "--db", pg_url)
    assert result.returncode == 1
    message = result.stderr.decode()
    assert f"schema {step[0]}" in message and "upgrade secretary" in message and "Traceback" not in message
    pg_cluster.execute(pg_url, "DELETE FROM schema_migrations WHERE version = %s", (step[0],))
    assert run_cli("export", "json", "--db", pg_url).stdout == before, "the migration changed no data"


def test_programs_opening_an_empty_database_at_once_migrate_it_once(pg_cluster, pg_url):
    opener = "import sys; from store.postgres.store import PgStore; PgStore.open(sys.argv[1], must_exist=False).close()"
    procs = [subprocess.Popen([sys.executable, "-c", opener, pg_url], stderr=subprocess.PIPE, env={**os.environ, **ENV_PATH})
             for _ in range(6)]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    assert sorted(pg_cluster.execute(pg_url, "SELECT version FROM schema_migrations")) == [
        (number,) for number, _name, _sql in schema.MIGRATIONS]
