"""The tests' throwaway PostgreSQL cluster (tests/postgres_cluster.py) sweeps what killed runs
left in the temporary folder, and never what a running session uses."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests import postgres_cluster
from tests.conftest import ROOT
from tests.postgres_cluster import OWNER_FILE, PREFIX, find_binary, sweep_stale


@pytest.fixture
def folder():
    """A short temporary folder of its own (a socket path has ~100 bytes) that the sweep looks in."""
    made = Path(tempfile.mkdtemp(prefix="sw-", dir="/tmp"))
    os.chmod(made, 0o755)
    yield made
    shutil.rmtree(made, ignore_errors=True)


def _gone_pid() -> int:
    """The number of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _cluster_dir(folder: Path, name: str, owner: str | None = None, postmaster: str | None = None) -> Path:
    root = folder / f"{PREFIX}{name}"
    (root / "data").mkdir(parents=True)
    if owner is not None:
        (root / OWNER_FILE).write_text(owner)
    if postmaster is not None:
        (root / "data" / "postmaster.pid").write_text(f"{postmaster}\n{root / 'data'}\n")
    return root


def test_a_folder_is_swept_only_when_its_owner_or_its_server_is_gone(folder):
    gone = _gone_pid()
    me = postgres_cluster._owner_line(os.getpid())
    dead_owner = _cluster_dir(folder, "deadowner", owner=f"{gone} 1", postmaster=str(gone))
    reused_owner = _cluster_dir(folder, "reused", owner=f"{os.getpid()} 1")  # my pid, another start time
    live_owner = _cluster_dir(folder, "live", owner=me, postmaster=str(gone))  # its server died, its session lives
    old_dead_server = _cluster_dir(folder, "olddead", postmaster=str(gone))
    old_other_process = _cluster_dir(folder, "oldother", postmaster=str(os.getpid()))  # the number is reused by a non-server
    old_live_server = _cluster_dir(folder, "oldlive", postmaster=str(os.getppid()))
    old_starting = _cluster_dir(folder, "oldstarting")  # no pid file yet: initdb runs
    old_abandoned = _cluster_dir(folder, "oldabandoned")
    an_hour_ago = time.time() - 3600
    os.utime(old_abandoned, (an_hour_ago, an_hour_ago))
    not_ours = folder / "other-folder"
    not_ours.mkdir()

    original = postgres_cluster._looks_like_a_server
    postgres_cluster._looks_like_a_server = lambda pid: pid == os.getppid() or original(pid)
    try:
        removed = sweep_stale(folder)
    finally:
        postgres_cluster._looks_like_a_server = original
    assert sorted(removed) == sorted([dead_owner, reused_owner, old_dead_server, old_other_process, old_abandoned])
    for kept in (live_owner, old_live_server, old_starting, not_ours):
        assert kept.exists(), kept


@pytest.mark.skipif(not find_binary("initdb"), reason="PostgreSQL is not installed (.ci/system-deps)")
def test_the_server_of_a_killed_run_is_stopped_and_its_folder_removed(folder):
    script = ("import sys, time; from tests.postgres_cluster import Cluster; c = Cluster(); "
              "print(c.root, flush=True); time.sleep(600)")
    env = {**os.environ, "TMPDIR": str(folder), "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        root = Path(run.stdout.readline().decode().strip())
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    assert root.parent == folder and (root / "data" / "postmaster.pid").exists()
    server = int((root / "data" / "postmaster.pid").read_text().split()[0])
    assert postgres_cluster._alive(server), "a killed run leaves its server running"
    try:
        assert sweep_stale(folder) == [root]
        assert not root.exists() and not postgres_cluster._alive(server)
    finally:
        if postgres_cluster._alive(server):
            os.kill(server, signal.SIGQUIT)
