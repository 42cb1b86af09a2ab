"""Fixtures shared by every test: an isolated user environment and ready-made databases."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from secretary.cli.bootstrap import open_secretary

ROOT = Path(__file__).resolve().parent.parent
SECRETARY = str(Path(sys.executable).with_name("secretary"))


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep the developer's own data, config and log directories out of every test."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("SECRETARY_DB", raising=False)
    monkeypatch.delenv("SECRETARY_KEYS", raising=False)
    monkeypatch.setenv("SECRETARY_LOCK_TIMEOUT", "5")
    # The developer's own language stays out too: English unless a test asks for another
    # (config.toml lives in the isolated XDG_CONFIG_HOME above).
    monkeypatch.delenv("SECRETARY_CONFIG", raising=False)
    monkeypatch.setenv("SECRETARY_LANG", "en")
    yield


def run_cli(*args: str, input: bytes | None = None, env: dict | None = None, timeout: float = 120):
    """Run the installed `secretary` console script as a user would."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [SECRETARY, *args], input=input, capture_output=True, timeout=timeout, env=full_env
    )


@pytest.fixture(scope="session")
def _preset_dbs(tmp_path_factory):
    made = {}
    for preset in ("midtjylland", "ludvika"):
        folder = tmp_path_factory.mktemp(f"preset-{preset}")
        from secretary.cli.bootstrap import create_database
        from secretary.domain.presets import load_preset

        create_database(folder / "db.json", load_preset(preset))
        made[preset] = folder
    return made


def _copy_db(source_folder: Path, target_folder: Path) -> Path:
    for item in source_folder.iterdir():
        if item.name.endswith(".backups"):
            continue
        if item.is_dir():
            shutil.copytree(item, target_folder / item.name)
        else:
            shutil.copy2(item, target_folder / item.name)
    return target_folder / "db.json"


@pytest.fixture
def demo_db(_preset_dbs, tmp_path) -> Path:
    """A fresh copy of the Midtjylland demo database (with its 5 demo meetings)."""
    return _copy_db(_preset_dbs["midtjylland"], tmp_path)


@pytest.fixture
def ludvika_db(_preset_dbs, tmp_path) -> Path:
    return _copy_db(_preset_dbs["ludvika"], tmp_path)


NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # "today" for tests on the demo database


@pytest.fixture
def sec(demo_db):
    """The service on a fresh demo database, with the clock frozen at NOW."""

    return open_secretary(demo_db, clock=lambda: NOW)


def reopen(sec):
    """The same database opened afresh: what was really stored."""

    return open_secretary(sec.store.location, clock=lambda: NOW)


def db_files(db: Path) -> dict[str, bytes]:
    """Every file of a database (registry, index, partitions) by relative path: for byte-identity checks."""
    files = {}
    for path in sorted(db.parent.rglob("*")):
        relative = path.relative_to(db.parent)
        if not path.is_file() or relative.parts[0].endswith(".backups") or path.name.endswith((".lock", ".owner")):
            continue
        files[str(relative)] = path.read_bytes()
    return files


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL server on a Unix socket in a temporary folder (tests/postgres_cluster.py)."""
    from tests.postgres_cluster import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster, tmp_path, monkeypatch):
    """An empty PostgreSQL database of its own for one test (templates and exports under tmp_path)."""
    monkeypatch.setenv("SECRETARY_FILES", str(tmp_path / "pg-files"))
    return pg_cluster.create_database()
