"""Two writer processes on one database: no lost update, no corrupt file, a clear "in use" message."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from secretary.cli.bootstrap import open_secretary
from store.check import check_database
from tests.conftest import ROOT, run_cli

TRIALS = int(os.environ.get("SECRETARY_TRIALS", "200"))
WORKER = str(ROOT / "tests" / "reliability_worker.py")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

pytestmark = pytest.mark.slow


def writer(db, meeting, tag, count):
    return subprocess.Popen([sys.executable, WORKER, "append", str(db), meeting, tag, str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)


def test_two_writers_appending_to_one_meeting_lose_nothing(demo_db):
    rounds, per_writer = max(3, TRIALS // 40), 25
    meeting = "fu-2026-12-02"
    for round_ in range(rounds):
        a = writer(demo_db, meeting, f"a{round_}", per_writer)
        b = writer(demo_db, meeting, f"b{round_}", per_writer)
        for proc in (a, b):
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
        secretary = open_secretary(demo_db)
        have = {x.id for x in secretary.records.meeting(meeting).items[0].actions}
        for tag in (f"a{round_}", f"b{round_}"):
            assert {f"{tag}-{k}" for k in range(per_writer)} <= have, f"lost update in round {round_}"
        assert check_database(secretary.store.db) == []
    assert run_cli("check", "--db", str(demo_db)).returncode == 0


def test_a_writer_that_cannot_get_the_lock_names_the_holder(demo_db, tmp_path):
    holder = subprocess.Popen([sys.executable, WORKER, "hold", str(demo_db), "20"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    try:
        line = holder.stdout.readline().decode()
        assert line.startswith("held"), holder.stderr.read().decode()
        before = {p: p.read_bytes() for p in demo_db.parent.rglob("*.json") if p.is_file()}
        source = tmp_path / "one.json"
        source.write_bytes(b'{"format": "secretary/1", "organisations": [{"id": "late", "name": "Late",'
                           b' "kind": "other", "country": "DK"}]}')
        result = run_cli("import", str(source), "--db", str(demo_db), env={"SECRETARY_LOCK_TIMEOUT": "0.5"})
        assert result.returncode == 1
        err = result.stderr.decode()
        assert f"database is in use by another secretary process, pid {holder.pid}" in err
        assert "Traceback" not in err
        assert {p: p.read_bytes() for p in before} == before
        # Reading needs no lock.
        listing = run_cli("bodies", "--json", "--db", str(demo_db))
        assert listing.returncode == 0 and b"dassos" in listing.stdout
    finally:
        holder.kill()
        holder.wait()
