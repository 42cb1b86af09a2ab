"""Crash harness: writers killed with SIGKILL at random moments and at every syscall of a commit.

Trials: SECRETARY_TRIALS (default 200). One command runs the long harnesses:

    SECRETARY_TRIALS=200 .venv/bin/pytest tests/functional/test_reliability_*.py -q
"""

from __future__ import annotations

import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from secretary.cli.bootstrap import open_secretary
from secretary.services.facade import Secretary
from store.check import check_database
from store.database import Database
from store.files import TMP_MARK
from tests.conftest import ROOT, run_cli

TRIALS = int(os.environ.get("SECRETARY_TRIALS", "200"))
WORKER = str(ROOT / "tests" / "reliability_worker.py")
# A file that does not decode, or is not there. (Mid-replay a row moved between two years' index
# files may be "missing from the index" for a moment: a mix of old and new, not a torn file.)
DERIVED = "it is rebuilt from the partitions"
TORN = ("not valid JSON", "top level is not an object", "schema version", ": missing")
RECOVERABLE = ("an interrupted commit waits", "temporary file left by an interrupted save")

pytestmark = pytest.mark.slow


class Zygote:
    """The worker process that forks one writer per trial."""

    def __init__(self, db: Path):
        self.proc = subprocess.Popen(
            [sys.executable, WORKER, "zygote", str(db)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            self.lines.put(raw.decode().rstrip("\n"))
        self.lines.put("eof")

    def next(self, timeout=60.0) -> str:
        line = self.lines.get(timeout=timeout)
        assert line != "eof", self.proc.stderr.read().decode()
        return line

    def run(self, mode: str, trial: int, seed: int, kill_after: float | None) -> list[str]:
        """Start a writer; kill it `kill_after` seconds after its first acknowledged write (so the
        kill lands while writes are under way however slow the disk is); return its lines."""
        self.proc.stdin.write(f"run {mode} {trial} {seed}\n".encode())
        self.proc.stdin.flush()
        pid, writing, out = None, kill_after is None, []
        while pid is None or not writing:
            line = self.next()
            out.append(line)
            if line.startswith("pid "):
                pid = int(line.split()[1])
            elif line.startswith("ack "):
                writing = True
            elif line.startswith(("exit", "error")):
                raise AssertionError(f"writer ended before it was killed: {out}")
        if kill_after is not None:
            threading.Event().wait(kill_after)
            os.kill(pid, signal.SIGKILL)
        while True:
            line = self.next()
            out.append(line)
            if line.startswith("exit"):
                return out

    def close(self):
        self.proc.stdin.write(b"quit\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def temporaries(db: Path) -> list[Path]:
    return [p for p in db.parent.rglob(f"*{TMP_MARK}*") if ".backups" not in str(p)]


def after_crash(db: Path) -> Secretary:
    """The database right after a kill: no torn file; after the next open, sound and tidy."""
    raw = Database(db)
    before_open = check_database(raw)
    if raw.journal.pending():
        # Killed after the commit point, during the replay: files may be a mix of old and
        # new until the next open finishes it, but none may be torn.
        # A year's index file is derived data: absent for a moment mid-replay (a restore removing
        # or adding years) it is a mix of two commits, and the open below makes it again.
        torn = [p for p in before_open if any(mark in p for mark in TORN) and DERIVED not in p]
    else:
        torn = [p for p in before_open if not any(mark in p for mark in RECOVERABLE)]
    assert torn == [], torn
    secretary = open_secretary(db)  # finishes an interrupted commit, removes temporaries
    assert check_database(secretary.store.db) == []
    assert temporaries(db) == []
    return secretary


def verify_edits(secretary: Secretary, lines: list[str], trial: int) -> int:
    acked, tried, moves = {}, {}, {}
    for line in lines:
        parts = line.split()
        if len(parts) == 4 and parts[1] == "action":
            (acked if parts[0] == "ack" else tried).setdefault(parts[2], set()).add(parts[3])
        elif len(parts) == 4 and parts[1] == "move":
            moves[parts[2]] = (parts[0], int(parts[3]))
    for meeting_id in set(acked) | set(tried):
        have = {a.id for a in secretary.records.meeting(meeting_id).items[0].actions if a.id.startswith(f"t{trial}-")}
        assert acked.get(meeting_id, set()) <= have, f"acknowledged actions lost in {meeting_id}"
        assert have <= tried.get(meeting_id, set()), f"actions that were never written in {meeting_id}"
    for meeting_id, (state, year) in moves.items():
        if state == "ack":
            assert secretary.records.meeting(meeting_id).start.year == year, f"acknowledged move of {meeting_id} lost"
    return sum(len(v) for v in acked.values()) + sum(1 for s, _ in moves.values() if s == "ack")


def verify_imports(secretary: Secretary, lines: list[str], trial: int) -> int:
    acked = [int(line.split()[2].split("-")[1]) for line in lines if line.startswith("ack import")]
    tried = [int(line.split()[2].split("-")[1]) for line in lines if line.startswith("try import")]
    if not tried:
        return 0
    last_try = tried[-1]
    if acked:
        org = secretary.store.organisations.get("crash-org")
        assert org.short_name in {f"{trial}-{acked[-1]}", f"{trial}-{last_try}"}
        for slot in range(4):
            mine = [k for k in acked if k % 4 == slot]
            if mine:
                title = secretary.records.meeting(f"crash-slot-{slot}").title
                allowed = {f"{trial}-{mine[-1]}"} | ({f"{trial}-{last_try}"} if last_try % 4 == slot else set())
                assert title in allowed, f"acknowledged import {trial}-{mine[-1]} lost: {title}"
    return len(acked)


def test_writers_killed_at_random_moments_lose_no_acknowledged_write(demo_db, record_property):
    rng = random.Random(int(os.environ.get("SECRETARY_SEED", "20261123")))
    zygote = Zygote(demo_db)
    acknowledged = 0
    try:
        for trial in range(TRIALS):
            mode = "edit" if trial % 2 == 0 else "import"
            lines = zygote.run(mode, trial, rng.randrange(1 << 30), kill_after=rng.uniform(0.005, 0.150))
            assert not [line for line in lines if line.startswith("error")], lines
            secretary = after_crash(demo_db)
            verify = verify_edits if mode == "edit" else verify_imports
            acknowledged += verify(secretary, lines, trial)
            if trial % 50 == 49:  # the real command, now and then
                result = run_cli("check", "--db", str(demo_db))
                assert result.returncode == 0, result.stdout + result.stderr
    finally:
        zygote.close()
    record_property("acknowledged_writes", acknowledged)
    assert acknowledged > TRIALS  # the kills landed while writes were happening


def test_real_cli_imports_killed_at_random_moments(demo_db, tmp_path):
    """The installed `secretary import`, killed anywhere from start-up to the end of its commit."""
    from tests.reliability_worker import import_document

    rng = random.Random(7)
    secretary_bin = str(Path(sys.executable).with_name("secretary"))
    for trial in range(max(10, TRIALS // 10)):
        source = tmp_path / f"import-{trial}.json"
        source.write_bytes(import_document(1000 + trial, trial))
        proc = subprocess.Popen([secretary_bin, "import", str(source), "--db", str(demo_db)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=rng.uniform(0.05, 0.6))
        except subprocess.TimeoutExpired:
            proc.kill()
        proc.wait()
        completed = proc.returncode == 0
        secretary = after_crash(demo_db)
        if completed:
            assert secretary.store.organisations.get("crash-org").short_name == f"{1000 + trial}-{trial}"
    assert run_cli("check", "--db", str(demo_db)).returncode == 0


def test_kill_at_every_syscall_of_a_multi_file_commit(demo_db, tmp_path):
    """Registry + two partitions + index in one journal commit, killed at each write/fsync/rename in turn."""
    secretary = open_secretary(demo_db)
    secretary.data.import_bytes(
        b'{"format": "secretary/1", "meetings": [{"id": "crash-point", "body": "dassos",'
        b' "start": "2026-06-02T09:00:00+02:00", "end": "2026-06-02T11:00:00+02:00"}]}'
    )
    old_name = secretary.store.organisations.get("hedensted").name
    template = tmp_path / "template"
    shutil.copytree(demo_db.parent, template, ignore=shutil.ignore_patterns("template"))
    zygote_db = tmp_path / "case" / demo_db.name
    zygote = Zygote(zygote_db)
    seen = {"old": 0, "new": 0}
    try:
        target = 1
        while True:
            shutil.rmtree(zygote_db.parent, ignore_errors=True)
            shutil.copytree(template, zygote_db.parent)
            lines = zygote.run("crashpoint", 0, target, kill_after=None)
            finished = any(line.startswith("done") for line in lines)
            state = after_crash(zygote_db)
            name = state.store.organisations.get("hedensted").name
            year = state.records.meeting("crash-point").start.year
            assert (name, year) in {(old_name, 2026), ("Hedensted Kommune (renamed)", 2027)}, (target, name, year)
            seen["old" if year == 2026 else "new"] += 1
            if finished:
                break
            target += 1
            assert target < 500
    finally:
        zygote.close()
    print(f"crash points: {target}; recovered to old {seen['old']}, to new {seen['new']}")
    assert target > 10, "the commit should span many syscalls"
    assert seen["old"] and seen["new"]  # both sides of the commit point were hit
