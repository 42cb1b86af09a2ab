"""An edit is searchable at once: the changed part goes into an index in memory (the overlay)
searched beside the index on disk, whose old documents of that part are masked; the worker
writes it to disk a moment later. Right in this process and in another one, whole across a
crash between the edit and the write, and correct while another process holds Tantivy's lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

from secretary.cli.bootstrap import open_secretary
from secretary.services import search as search_module
from tests.unit.test_search import kinds_ids
from tests.unit.test_search_index import archive as archive  # noqa: PLC0414 - the shared fixture

ROOT = Path(__file__).resolve().parents[2]


def _retitle(secretary, meeting_id: str, title: str) -> None:
    secretary.agenda.update_meeting(meeting_id, lambda m: m.replace(items=[i.replace(title=title).model_dump() for i in m.items]))


def _state_number(secretary) -> int:
    return orjson.loads((secretary.store.db.root / "search" / "index" / search_module.STATE).read_bytes())["number"]


def _run(script: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_an_edit_is_found_at_once_and_the_old_text_is_gone(archive, monkeypatch):
    monkeypatch.setattr(search_module, "FLUSH_DELAY", 3600.0)  # the write to disk waits: only the overlay can answer
    monkeypatch.setattr(search_module, "FLUSH_LATEST", 3600.0)
    assert ("item", "s1") in kinds_ids(archive.search.query("samverkan", kinds=["item"]))
    on_disk = _state_number(archive)
    _retitle(archive, "soc-2020-03-03", "Hjälpmedel")
    assert kinds_ids(archive.search.query("hjälpmedel", kinds=["item"])) == [("item", "s1")]
    assert archive.search.query("samverkan", kinds=["item"]) == []  # the disk's old title is masked
    assert ("item", "t1") in kinds_ids(archive.search.query("takst"))  # the other parts still answer from disk
    assert _state_number(archive) == on_disk  # nothing was written to disk: the overlay answered
    assert archive.search._masked == frozenset({"meeting:soc-2020-03-03"})  # one meeting, not its partition
    documents = archive.search.documents()
    # written to disk, the same answers; the overlay is empty
    assert archive.search.flush()
    assert _state_number(archive) == archive.store.change_generation().number
    assert archive.search._overlay is None and archive.search._masked == frozenset()
    assert kinds_ids(archive.search.query("hjälpmedel", kinds=["item"])) == [("item", "s1")]
    assert archive.search.query("samverkan", kinds=["item"]) == []
    assert archive.search.documents() == documents


def test_the_worker_writes_the_overlay_to_disk_after_a_quiet_moment(archive, monkeypatch):
    monkeypatch.setattr(search_module, "FLUSH_DELAY", 0.05)
    archive.search.query("takst")
    _retitle(archive, "soc-2020-03-03", "Hjälpmedel")
    worker = archive.search._updates.thread
    assert worker is not None
    worker.join(30)  # it writes, then ends when idle
    assert archive.search._pending == {} and archive.search._overlay is None
    assert _state_number(archive) == archive.store.change_generation().number
    fresh = open_secretary(archive.store.db.path)  # a new process finds it on disk, nothing to catch up
    assert fresh.search.open().state == "ready" and fresh.search._generation == archive.store.change_generation()
    assert kinds_ids(fresh.search.query("hjälpmedel", kinds=["item"], wait=0)) == [("item", "s1")]


EDIT = """
import sys
from pathlib import Path
from secretary.cli.bootstrap import open_secretary
sec = open_secretary(Path(sys.argv[1]))
sec.agenda.update_meeting(sys.argv[2], lambda m: m.replace(items=[i.replace(title=sys.argv[3]).model_dump() for i in m.items]))
print(sec.store.change_generation().number)
"""


def test_an_edit_by_another_process_is_found_by_the_next_query(archive):
    assert ("item", "t3") in kinds_ids(archive.search.query("taksterne", kinds=["item"]))
    out = _run(EDIT, str(archive.store.db.path), "takst-2021-05-06", "Bostøtte")
    assert out.returncode == 0, out.stderr
    assert kinds_ids(archive.search.query("bostøtte", kinds=["item"])) == [("item", "t3")]
    assert ("item", "t3") not in kinds_ids(archive.search.query("taksterne", kinds=["item"]))
    # and the other way round: this process edits, a second process searches at once
    _retitle(archive, "soc-2020-03-03", "Hjälpmedel")
    out = _run(SEARCH, str(archive.store.db.path), "hjälpmedel", "samverkan")
    assert out.returncode == 0, out.stderr
    assert orjson.loads(out.stdout) == {"new": [["item", "s1"]], "old": []}


SEARCH = """
import sys, json
from pathlib import Path
from secretary.cli.bootstrap import open_secretary
sec = open_secretary(Path(sys.argv[1]))
found = lambda text: [[h.kind, h.id] for h in sec.search.query(text, kinds=["item"])]
print(json.dumps({"new": found(sys.argv[2]), "old": found(sys.argv[3])}))
"""

CRASH = """
import os, signal, sys
from pathlib import Path
from secretary.cli.bootstrap import open_secretary
from secretary.services import search
search.FLUSH_DELAY = search.FLUSH_LATEST = 3600.0  # killed before the overlay is written
sec = open_secretary(Path(sys.argv[1]))
assert sec.search.query("samverkan", kinds=["item"])
sec.agenda.update_meeting(sys.argv[2], lambda m: m.replace(items=[i.replace(title=sys.argv[3]).model_dump() for i in m.items]))
assert [h.id for h in sec.search.query(sys.argv[3], kinds=["item"])] == ["s1"]
assert sec.search._pending
print(sec.store.change_generation().number, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_crash_between_the_edit_and_the_write_to_disk_loses_nothing(archive):
    archive.search.query("takst")
    archive.search.close()
    out = _run(CRASH, str(archive.store.db.path), "soc-2020-03-03", "Hjälpmedel")
    assert out.returncode == -9, out.stderr  # killed, as the power going would
    committed = int(out.stdout.split()[0])
    assert _state_number(archive) < committed  # the index on disk never saw the edit
    again = open_secretary(archive.store.db.path)
    assert again.search.open().state == "ready"
    assert kinds_ids(again.search.query("hjälpmedel", kinds=["item"])) == [("item", "s1")]
    assert again.search.query("samverkan", kinds=["item"]) == []
    again.search.close()  # writes what it caught up: the disk and the store agree
    assert _state_number(again) == again.store.change_generation().number == committed


def test_while_another_process_holds_the_writer_the_overlay_serves(archive, monkeypatch):
    import tantivy

    monkeypatch.setattr(search_module, "FLUSH_DELAY", 3600.0)
    monkeypatch.setattr(search_module, "FLUSH_LATEST", 3600.0)
    archive.search.query("takst")
    other = tantivy.Index.open(str(archive.store.db.root / "search" / "index"))
    held = other.writer(heap_size=15_000_000, num_threads=1)  # as a second process writing the index
    _retitle(archive, "soc-2020-03-03", "Hjälpmedel")
    assert kinds_ids(archive.search.query("hjälpmedel", kinds=["item"])) == [("item", "s1")]
    assert archive.search.flush() is False  # the lock is busy: kept in memory, tried again
    assert kinds_ids(archive.search.query("hjälpmedel", kinds=["item"])) == [("item", "s1")]
    assert archive.search.status().state == "ready"
    held.rollback()
    del held
    assert archive.search.flush() is True
    assert _state_number(archive) == archive.store.change_generation().number
    assert archive.search.query("samverkan", kinds=["item"]) == []


def test_the_state_on_disk_never_goes_back(archive, monkeypatch):
    """Two processes each keep the same edits; the one that writes last finds the index ahead
    of it and writes nothing (the generation on disk stays the later one)."""
    monkeypatch.setattr(search_module, "FLUSH_DELAY", 3600.0)
    monkeypatch.setattr(search_module, "FLUSH_LATEST", 3600.0)
    archive.search.query("takst")
    second = open_secretary(archive.store.db.path)
    second.search.query("takst")
    _retitle(archive, "soc-2020-03-03", "Hjälpmedel")
    archive.search.query("x")
    _retitle(second, "takst-2021-05-06", "Bostøtte")
    second.search.query("x")  # caught up with both edits
    assert second.search.flush()
    ahead = _state_number(second)
    assert archive.search.flush()  # behind the disk: nothing to write
    assert _state_number(archive) == ahead
    assert kinds_ids(archive.search.query("bostøtte", kinds=["item"])) == [("item", "t3")]
    assert kinds_ids(archive.search.query("hjälpmedel", kinds=["item"])) == [("item", "s1")]
