"""`python -m benchmarks [--scale S] [--json] [--repeat N]`: what a secretary waits for, beside the references.

Every figure is the median of N repetitions (see benchmarks/README.md for each
key, how it is measured and the targets). Features another part of the program
provides are found with importlib and reported as null while they are missing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import io
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from benchmarks import bench_serve
from benchmarks.generate import Generated, cache_root, generate, working_copy

TARGETS = {  # key: (limit, how it is compared) — the targets of issue 7, at scale 1
    "edit_ms": (25.0, "≤ 25 ms"),
    "first_screen_s": (None, "≤ 2 × minimal Textual"),
    "search_ms": (10.0, "≤ 10 ms"),
    "search_first_ms": (300.0, "≤ 300 ms"),
    "search_update_ms": (20.0, "≤ 20 ms"),
    "serve_rps_304": (None, "≥ 0.5 × serve_rps_static"),
    "serve_rps_304_gzip": (None, "≥ 0.5 × serve_rps_static"),
    "feeds_all_s": (1.0, "≤ 1 s"),
    "minutes_docx_s": (0.3, "≤ 0.3 s"),
    "scorecard_s": (0.5, "≤ 0.5 s"),
    "peak_mb": (300.0, "≤ 300 MB"),
}

FIRST_SCREEN_PRODUCT = """
import asyncio, sys, time
from pathlib import Path
from secretary.cli.bootstrap import open_secretary
from screens.app import make_app

async def main():
    target = sys.argv[1] if "://" in sys.argv[1] else Path(sys.argv[1])  # a file or a postgresql:// URL
    app = make_app(open_secretary(target))
    async with app.run_test(size=(120, 40)) as pilot:
        # The first screen is reached when it shows its answers, not "Loading…":
        # wait for the overview's worker and the repaint that follows it.
        await app.workers.wait_for_complete()
        await pilot.pause()
        sys.stdout.write("ready %f\\n" % time.process_time()); sys.stdout.flush()

asyncio.run(main())
"""

FIRST_SCREEN_MINIMAL = """
import asyncio, sys, time
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world")

async def main():
    app = Hello()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sys.stdout.write("ready %f\\n" % time.process_time()); sys.stdout.flush()

asyncio.run(main())
"""


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def available(module: str, attribute: str | None = None, owner: object | None = None) -> bool:
    """A feature another helper provides: its module exists (and the attribute, when named)."""
    try:
        if importlib.util.find_spec(module) is None:
            return False
    except ModuleNotFoundError:
        return False
    if attribute is None:
        return True
    target = owner if owner is not None else importlib.import_module(module)
    return hasattr(target, attribute)


def attempt(notes: list[str], what: str, run: Callable[[], object]):
    """Run a measure of a feature still being written; on failure note why and report null."""
    try:
        return run()
    except Exception as exc:  # noqa: BLE001 - a benchmark of unfinished work must not stop the others
        notes.append(f"{what} failed: {type(exc).__name__}: {str(exc)[-300:]}")
        return None


# -- the measurements ------------------------------------------------------------------------


def site_times(db_path: Path, folder: Path, meeting_id: str) -> dict:
    """`export site` into an empty folder (site_full_s), then again after one meeting's place
    changed (site_incremental_s: only that meeting's pages and the feeds are rendered again)."""
    from secretary.cli.bootstrap import open_secretary

    secretary = open_secretary(db_path)
    start = time.perf_counter()
    full = secretary.site.export(folder)
    full_s = time.perf_counter() - start
    # A meeting whose minutes are not approved: an approved one changes only by amendment (the life).
    rows = secretary.store.meetings.rows()
    open_ones = [key for key, row in sorted(rows.items()) if row.minutes_status != "approved" and row.status == "planned"]
    if rows[meeting_id].minutes_status != "approved" or not open_ones:
        # Every meeting is approved (the smallest scales): an amendment is the one-meeting change.
        item = secretary.records.meeting(meeting_id).items[-1]
        secretary.agenda.amend_minutes(meeting_id, item.id, by="Formanden", what="Rettelse", decision="Rettet beslutning.")
    else:
        secretary.agenda.edit_meeting(open_ones[0], location=rows[open_ones[0]].location + " (flyttet)")
    start = time.perf_counter()
    changed = secretary.site.export(folder)
    return {"site_full_s": full_s, "site_incremental_s": time.perf_counter() - start, "site_files": len(full.written),
            "site_incremental_rendered": changed.rendered, "site_incremental_written": len(changed.written)}


def decision_edit(secretary, meeting_id: str, item_id: str, counter: list[int]) -> Callable[[], object]:
    def change(meeting):
        counter[0] += 1
        items = [
            item.replace(decision=f"Godkendt med bemærkning nr. {counter[0]}.", outcome="approved") if item.id == item_id else item
            for item in meeting.items
        ]
        return meeting.replace(items=[item.model_dump() for item in items])

    def edit():
        if secretary.records.meeting(meeting_id).minutes.status == "approved":
            # Approved minutes change only by a recorded amendment (the meeting's life): the same write path.
            counter[0] += 1
            return secretary.agenda.amend_minutes(meeting_id, item_id, by="Formanden", what=f"Rettelse nr. {counter[0]}",
                                                  decision=f"Godkendt med bemærkning nr. {counter[0]}.", outcome="approved")
        return secretary.agenda.update_meeting(meeting_id, change)

    return edit


def action_edit(secretary, meeting_id: str, item_id: str, counter: list[int]) -> Callable[[], object]:
    """An open action added: the meeting index changes too (it keeps open actions for the overview)."""

    def change(meeting):
        counter[0] += 1
        action = {"id": f"bench-a{counter[0]}", "what": f"Sekretariatet følger op, nr. {counter[0]}.", "owner": "Sekretariatet"}
        items = [
            item.replace(actions=[*(a.model_dump() for a in item.actions), action]) if item.id == item_id else item
            for item in meeting.items
        ]
        return meeting.replace(items=[item.model_dump() for item in items])

    def edit():
        meeting = secretary.records.meeting(meeting_id)
        if meeting.minutes.status == "approved":  # by a recorded amendment, as the life allows
            counter[0] += 1
            item = meeting.item(item_id)
            action = {"id": f"bench-a{counter[0]}", "what": f"Sekretariatet følger op, nr. {counter[0]}.", "owner": "Sekretariatet"}
            return secretary.agenda.amend_minutes(meeting_id, item_id, by="Formanden", what="Opfølgning tilføjet",
                                                  actions=[*(a.model_dump() for a in item.actions), action])
        return secretary.agenda.update_meeting(meeting_id, change)

    return edit


def measure_edit_tinydb(generated: Generated, work: Path, meeting_id: str, item_id: str, repeat: int) -> list[float]:
    """The same edit through plain TinyDB and its default JSONStorage (one file, json module, no fsync)."""
    from tinydb import Query, TinyDB

    path = work / "tinydb.json"
    shutil.copyfile(generated.tinydb, path)
    db = TinyDB(path)
    table = db.table("meetings")
    doc = table.get(Query().id == meeting_id)
    counter = [0]

    def change(document):
        counter[0] += 1
        for item in document["items"]:
            if item["id"] == item_id:
                item["decision"] = f"Godkendt med bemærkning nr. {counter[0]}."
                item["outcome"] = "approved"

    times = timed(lambda: table.update(change, doc_ids=[doc.doc_id]), repeat)
    db.close()
    path.unlink()
    return times


def measure_edit_sqlite(generated: Generated, work: Path, item_id: str, repeat: int) -> list[float]:
    """The same edit in SQLite (stdlib): one UPDATE and a commit, synchronous=FULL."""
    path = work / "sqlite.db"
    shutil.copyfile(generated.sqlite, path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=FULL")
    counter = [0]

    def edit():
        counter[0] += 1
        connection.execute(
            "UPDATE items SET decision = ?, outcome = 'approved' WHERE id = ?",
            (f"Godkendt med bemærkning nr. {counter[0]}.", item_id),
        )
        connection.commit()

    edit()  # warm the page cache, as the product's first edit is warmed
    times = timed(edit, repeat)
    connection.close()
    return times


def first_screens(scripts: list[tuple[str, list[str]]], repeat: int) -> list[tuple[list[float], list[float]]]:
    """For each script: (wall times, CPU times) from starting a fresh Python process to its first
    screen mounted (it prints 'ready' and its own CPU time, `time.process_time()`). The scripts
    take turns, run after run, so that a ratio between them compares runs of the same minutes
    on a machine whose load changes (all of one, then all of the other, did not)."""
    env = dict(os.environ, TEXTUAL="", NO_COLOR="1")
    # As an installed program starts: with its compiled bytecode (pip compiles on install, as
    # it did for Textual's). Where the environment says not to write bytecode (PYTHONDONTWRITEBYTECODE),
    # every child would compile the product's own modules from source while the minimal app's
    # Textual is compiled: the bytecode goes to a folder of the benchmark cache instead, made by
    # one run that is not timed (the same for both scripts).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache_root() / "pycache")
    for script, args in scripts:
        subprocess.run([sys.executable, "-c", script, *args], capture_output=True, env=env, timeout=300)
    found: list[tuple[list[float], list[float]]] = [([], []) for _ in scripts]
    for _ in range(repeat):
        for (script, args), (walls, cpus) in zip(scripts, found, strict=True):
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
            )
            line = process.stdout.readline()
            elapsed = time.perf_counter() - start
            _out, err = process.communicate(timeout=120)
            words = line.split()
            if len(words) != 2 or words[0] != b"ready":
                raise RuntimeError(f"first screen did not come up: {err.decode(errors='replace')[-2000:]}")
            walls.append(elapsed)
            cpus.append(float(words[1]))
    return found


def empty_database(folder: Path) -> Path:
    """A database with nothing in it (`init --preset empty`): its first screen is what the product
    costs before any data, the floor under `first_screen_s` at every scale."""
    from secretary.cli.bootstrap import create_database
    from secretary.domain.presets import load_preset

    path = folder / "secretary.json"
    if not path.exists():
        create_database(path, load_preset("empty"))
    return path


def first_screen(script: str, args: list[str], repeat: int) -> list[float]:
    """Wall times of one script's first screen (see `first_screens`)."""
    return first_screens([(script, args)], repeat)[0][0]


SEARCHES = [
    "kapacitetsjusteringen",
    "rammeaftalen takst",
    "sekretariatet foreslår ventel",
    "handicaptilbud og",
    "bilag 3",
    "k",
    "ludvika",
    "budgetopfølgning",
    "{person}",
    "{case}",
]


PEAK_PRODUCT = """
import datetime as dt, sys
from pathlib import Path
from secretary.cli.bootstrap import open_secretary

secretary = open_secretary(Path(sys.argv[1]))
# Every meeting read (validated) once, as a secretary browsing twenty years would, through the
# store's walk: what stays is the bounded cache of validated partitions. No product path holds
# all 3,000 at once (only the one-shot `export json` and `list meetings` commands list them all).
for _meeting in secretary.store.meetings.each():
    pass
secretary.search.query("takster")  # the search index (on disk), as the TUI keeps it open
for _path, _data in secretary.feeds.all_feeds(dt.datetime(2026, 11, 23, tzinfo=dt.UTC)):  # every feed built once
    pass                      # (each meeting's event is kept for the next feed, not the meeting)
# VmHWM, not ru_maxrss: Linux carries the parent's ru_maxrss into a child across fork and exec.
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(int(hwm.split()[1]) / 1024)
"""


FEEDS_COLD = """
import datetime as dt, sys, time
from pathlib import Path
from secretary.cli.bootstrap import open_secretary

secretary = open_secretary(sys.argv[1] if "://" in sys.argv[1] else Path(sys.argv[1]))
start = time.perf_counter()
for _path, _data in secretary.feeds.all_feeds(dt.datetime(2026, 11, 23, tzinfo=dt.UTC)):
    pass
print(time.perf_counter() - start)
"""


STEMMED = "rammeaftaler"

SEARCH_FIRST = """
import sys, time
from pathlib import Path
started = time.perf_counter()
from secretary.cli.bootstrap import open_secretary

secretary = open_secretary(Path(sys.argv[1]))
opened = time.perf_counter()
hits = secretary.search.query("takster rammeaftal")
print((time.perf_counter() - opened) * 1000, secretary.search.status().state, len(hits))
"""


def search_first_ms(db_path: Path) -> float:
    """The first query of a fresh process with the index on disk: Tantivy loaded, the index
    opened and checked against the store's change generation, the query answered."""
    out = subprocess.run([sys.executable, "-c", SEARCH_FIRST, str(db_path)], capture_output=True, text=True, check=True)
    ms, state, _hits = out.stdout.split()
    if state != "ready":
        raise RuntimeError(f"the index was not ready in the fresh process ({state})")
    return float(ms)


def search_update(searcher, editor, meeting_id: str, item_id: str, counter: list[int],
                  repeat: int) -> tuple[list[float], list[float], list[float]]:
    """One edit (by another Secretary, as another process would), then the time until a query
    sees it: the change log read, the partition re-read, its changed meeting re-indexed into
    the overlay in memory (searchable from then on); and, apart, the time the write of that
    overlay to the index on disk takes (Tantivy's commit with its fsyncs, the state file),
    which the update worker does a moment later and nobody waits for."""
    edit = decision_edit(editor, meeting_id, item_id, counter)
    times, cpu, flushes = [], [], []
    for _ in range(repeat):
        edit()
        start, start_cpu = time.perf_counter(), time.process_time()
        searcher.search.catch_up()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)  # every thread of the process: Tantivy's too
        if searcher.search.status().state != "ready":
            raise RuntimeError(f"the index did not follow the edit: {searcher.search.status()}")
        found = searcher.search.query(f'"bemærkning nr {counter[0]}"', kinds=["decision"])
        if [hit.id for hit in found] != [item_id]:  # not timed: the edit is what a query finds now
            raise RuntimeError(f"a query right after the edit did not find it: {found}")
        start = time.perf_counter()
        if not searcher.search.flush():
            raise RuntimeError("the overlay could not be written to disk")
        flushes.append(time.perf_counter() - start)
    return times, cpu, flushes


def feeds_cold_s(db_path: Path, keep: bool = True) -> float:
    """Every feed in a fresh process (a publishing job): with the feed events kept on disk by an
    earlier process (`keep`), or without them (PATH.d/feeds/ removed first: every partition read
    and validated, every event written, and kept for the next)."""
    if not keep:
        shutil.rmtree(db_path.with_name(db_path.name + ".d") / "feeds", ignore_errors=True)
    out = subprocess.run([sys.executable, "-c", FEEDS_COLD, str(db_path)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def product_peak_mb(db_path: Path) -> float:
    """Peak memory of a process that loads everything the product keeps in memory.

    Measured apart from the harness, whose own peak includes the reference
    databases (plain TinyDB loads the whole archive as Python objects).
    """
    out = subprocess.run([sys.executable, "-c", PEAK_PRODUCT, str(db_path)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def search_queries(secretary, generated: Generated) -> list[str]:
    people = secretary.records.people()
    person = people[len(people) // 2].name
    meeting_id, item_id = generated.sample_item()
    case = secretary.records.meeting(meeting_id).item(item_id).case_number or "2019"
    first, last = person.split(" ", 1)
    return [q.format(person=f"{first} {last[:4]}", case=case) for q in SEARCHES]




def all_feeds(secretary) -> dict[str, float]:
    """Every calendar feed: one per body, one per person with a seat, and the one for everything.

    `all_bodies_s` is what `serve` publishes without tokens (body feeds and all.ics);
    `feeds_all_s` is every feed including the personal ones, through `Secretary.all_feeds`,
    which writes each meeting's event once and shares it between feeds.
    """
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = {}
    start = time.perf_counter()
    for body in secretary.records.bodies():
        secretary.feeds.feed("body", body.id, now)
    secretary.feeds.feed("all", None, now)
    out["public"] = time.perf_counter() - start
    start = time.perf_counter()
    count = size = 0
    for _path, data in secretary.feeds.all_feeds(now):
        count += 1
        size += len(data)
    out["every"] = time.perf_counter() - start
    out["count"] = count
    out["bytes"] = size
    return out


def twenty_item_meeting(secretary, meeting_id: str):
    """The sample meeting with 20 agenda items (copies of its own with new ids), not stored."""
    meeting = secretary.records.meeting(meeting_id)
    items = [item.model_dump() for item in meeting.items]
    k = 0
    while len(items) < 20:
        extra = dict(items[2 + k % max(1, len(items) - 3)])
        extra["id"] = f"{meeting_id}-extra-{k}"
        extra["actions"] = [dict(a, id=f"{a['id']}-x{k}") for a in extra["actions"]]
        items.insert(len(items) - 1, extra)
        k += 1
    for number, item in enumerate(items, 1):
        item["number"] = str(number)
    return meeting.replace(items=items[:20])


def minutes_product(secretary, meeting) -> Callable[[], bytes]:
    from exports.documents import build_context, minutes_docx

    def run() -> bytes:
        _stored, body, sources = secretary.records.document_sources(meeting.id)
        sources.meetings[meeting.id] = meeting
        return minutes_docx(meeting, body, build_context(meeting, sources), public=False)

    return run


def minutes_plain(meeting, body_name: str) -> Callable[[], bytes]:
    """python-docx writing the same paragraphs plainly: headings and text, no styles, no fields."""
    import docx

    def run() -> bytes:
        document = docx.Document()
        document.add_heading(f"Referat: {body_name}", 0)
        document.add_paragraph(meeting.start.strftime("%d.%m.%Y %H:%M") + f", {meeting.location}")
        for item in meeting.items:
            document.add_heading(f"{item.number}. {item.title}", 1)
            for label, text in (("Sagsnr.", item.case_number), ("Sagsfremstilling", item.background),
                                ("Indstilling", item.recommendation), ("Beslutning", item.decision)):
                if text:
                    document.add_paragraph(f"{label}: {text}")
            for action in item.actions:
                document.add_paragraph(f"{action.what} ({action.owner}, {action.due})", style="List Bullet")
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    return run


# -- the run ------------------------------------------------------------------------------


# --only: which keys each part of the run measures (a part runs when any of its keys is asked for)
PARTS = {
    "edit": ("edit_ms", "edit_ms_max", "edit_ms_index"),
    "tinydb": ("edit_ms_tinydb_default",),
    "sqlite": ("edit_ms_sqlite",),
    "first_screen": ("first_screen_s", "first_screen_s_textual_minimal", "first_screen_ratio", "first_screen_cpu_s",
                     "first_screen_cpu_s_textual_minimal", "first_screen_cpu_ratio", "first_screen_empty_s",
                     "first_screen_empty_ratio"),
    "search_first": ("search_first_ms",),
    "search_queries": ("search_ms", "search_ms_max", "search_stem_hits"),
    "search_update": ("search_update_ms", "search_update_cpu_ms", "search_flush_ms"),
    "feeds": ("feeds_all_s", "feeds_public_s"),
    "feeds_cold": ("feeds_all_cold_s", "feeds_all_cold_nocache_s"),
    "site": ("site_full_s", "site_incremental_s"),
    "serve": ("serve_rps_200", "serve_rps_304", "serve_rps_304_gzip", "serve_rps_static"),
    "minutes": ("minutes_docx_s", "minutes_docx_s_plain"),
    "plan": ("plan_all_s",),
    "scorecard": ("scorecard_s", "scorecard_cold_s"),
    "loaded": ("edit_ms_loaded", "peak_mb", "peak_mb_harness"),
}


def run(scale: float, repeat: int, progress: Callable[[str], None], only: set[str] | None = None) -> dict:
    from secretary.cli.bootstrap import open_secretary
    from secretary.services.feeds import FeedService
    from secretary.services.planning import PlanningService
    from secretary.services.records import Records

    result: dict = {"scale": scale, "repeat": repeat}
    notes: list[str] = []

    def want(part: str) -> bool:
        return only is None or bool(only & set(PARTS[part]))

    if only is not None:
        result["only"] = sorted(only)
    started = time.perf_counter()
    generated = generate(scale, progress=progress)
    result["generate_s"] = round(time.perf_counter() - started, 3)
    result["data"] = {k: v for k, v in generated.counts.items() if k not in ("sample_meeting", "sample_item", "scale", "version")}
    meeting_id, item_id = generated.sample_item()
    with tempfile.TemporaryDirectory(prefix="secretary-bench-", dir=generated.directory.parent) as tmp:
        work = Path(tmp)
        db_path = working_copy(generated, work / "db")

        secretary = open_secretary(db_path)
        counter = [0]
        edit = decision_edit(secretary, meeting_id, item_id, counter)
        edit()  # the first write of a day also takes the daily backup; not what an edit costs
        if want("edit"):
            progress("durable edit (product)")
            edits = timed(edit, max(repeat, 5))
            result["edit_ms"] = median(edits) * 1000
            result["edit_ms_max"] = max(edits) * 1000
            progress("durable edit that also rewrites the meeting index (an action added)")
            result["edit_ms_index"] = median(timed(action_edit(secretary, meeting_id, item_id, counter), max(repeat, 5))) * 1000

        tiny_repeat = min(repeat, 5 if scale <= 1 else 2)
        if want("tinydb"):
            progress(f"durable edit (TinyDB default, {tiny_repeat}×)")
            result["edit_ms_tinydb_default"] = median(measure_edit_tinydb(generated, work, meeting_id, item_id, tiny_repeat)) * 1000
            result["edit_tinydb_repeat"] = tiny_repeat
        if want("sqlite"):
            progress("durable edit (SQLite)")
            result["edit_ms_sqlite"] = median(measure_edit_sqlite(generated, work, item_id, max(repeat, 5))) * 1000

        screen_repeat = max(1, min(repeat, 9))
        if not want("first_screen"):
            pass
        elif available("screens.app"):  # not imported here: Textual would count in this process's memory
            progress("first screen (product and minimal Textual app taking turns, subprocesses)")
            empty = empty_database(work / "empty")
            screens = attempt(notes, "first screen", lambda: first_screens(
                [(FIRST_SCREEN_PRODUCT, [str(db_path)]), (FIRST_SCREEN_MINIMAL, []), (FIRST_SCREEN_PRODUCT, [str(empty)])],
                screen_repeat,
            ))
            if screens is not None:
                (walls, cpus), (minimal_walls, minimal_cpus), (empty_walls, _empty_cpus) = screens
                result["first_screen_empty_s"] = median(empty_walls)
                result["first_screen_empty_ratio"] = result["first_screen_empty_s"] / median(minimal_walls)
                result["first_screen_s"], result["first_screen_cpu_s"] = median(walls), median(cpus)
                result["first_screen_s_textual_minimal"] = median(minimal_walls)
                result["first_screen_cpu_s_textual_minimal"] = median(minimal_cpus)
                result["first_screen_cpu_ratio"] = result["first_screen_cpu_s"] / result["first_screen_cpu_s_textual_minimal"]
            else:
                result["first_screen_s"] = None
        elif want("first_screen"):
            result["first_screen_s"] = None
            notes.append("screens.app is missing")
        if want("first_screen") and "first_screen_s_textual_minimal" not in result:
            progress("first screen (minimal Textual app, subprocess)")
            result["first_screen_s_textual_minimal"] = median(first_screen(FIRST_SCREEN_MINIMAL, [], screen_repeat))

        if want("search_first") or want("search_queries") or want("search_update"):
            progress("search: building the index (background thread, waited for)")
            searcher = open_secretary(db_path)
            start = time.perf_counter()
            searcher.search.open()
            searcher.search.wait_ready()
            result["search_build_s"] = time.perf_counter() - start
            result["search_documents"] = searcher.search.documents()
        if want("search_first"):
            progress("search: first query in a fresh process (subprocess, index on disk)")
            result["search_first_ms"] = attempt(notes, "first search", lambda: median([search_first_ms(db_path) for _ in range(3)]))
        if want("search_queries"):
            queries = search_queries(searcher, generated)
            progress(f"search: {len(queries)} queries × {repeat}")
            for q in queries:
                searcher.search.query(q)  # the first of each warms Tantivy's caches of its terms
            per_query = {q: median(timed(lambda q=q, searcher=searcher: searcher.search.query(q), repeat)) * 1000 for q in queries}
            result["search_ms"] = median(list(per_query.values()))
            result["search_ms_max"] = max(per_query.values())
            result["search_queries"] = {q: round(ms, 2) for q, ms in per_query.items()}
            result["search_hits"] = {q: len(searcher.search.query(q)) for q in queries}
            # "rammeaftaler" (plural) is not in the data; "rammeaftalen" (definite) is, in every year
            stemmed = {(h.kind, h.id) for h in searcher.search.query(STEMMED + " ", limit=10_000)}
            literal = {(h.kind, h.id) for h in searcher.search.query(f'"{STEMMED}"', limit=10_000)}
            result["search_stem_hits"] = len(stemmed - literal)
        if want("search_update"):
            progress("search: index update after one edit (until a query sees it), and its write to disk")
            updates, cpu, flushes = search_update(searcher, open_secretary(db_path), meeting_id, item_id, counter,
                                                  max(repeat, 5))
            result["search_update_ms"] = median(updates) * 1000
            result["search_update_ms_max"] = max(updates) * 1000
            result["search_update_cpu_ms"] = median(cpu) * 1000
            result["search_flush_ms"] = median(flushes) * 1000
        if want("search_first") or want("search_queries") or want("search_update"):
            searcher.search.close()
            del searcher

        if not (want("feeds") or want("feeds_cold")):
            pass
        elif available("exports.ics") and hasattr(FeedService, "feed"):
            if want("feeds"):
                progress("calendar feeds")
                rounds = attempt(notes, "feeds", lambda secretary=secretary: [all_feeds(secretary) for _ in range(max(1, min(repeat, 3)))])
                result["feeds_public_s"] = median([r["public"] for r in rounds]) if rounds else None
                result["feeds_all_s"] = median([r["every"] for r in rounds]) if rounds else None
                result["feeds_count"] = rounds[-1]["count"] if rounds else None
                result["feeds_bytes"] = rounds[-1]["bytes"] if rounds else None
            if want("feeds_cold"):
                progress("every feed in a fresh process without the events kept on disk (subprocess)")
                result["feeds_all_cold_nocache_s"] = attempt(notes, "feeds (fresh process, no cache)",
                                                             lambda: feeds_cold_s(db_path, keep=False))
                progress("every feed in a fresh process with the events kept on disk (subprocess, median of 3)")
                result["feeds_all_cold_s"] = attempt(notes, "feeds (fresh process)",
                                                     lambda: median([feeds_cold_s(db_path) for _ in range(3)]))
        else:
            result["feeds_all_s"] = None
            notes.append("exports.ics / FeedService.feed is missing")

        if not want("site"):
            pass
        elif hasattr(secretary, "site"):
            progress("published site: the full export, then one meeting changed")
            timings = attempt(notes, "site", lambda: site_times(db_path, work / "site", meeting_id))
            if isinstance(timings, dict):
                result.update(timings)
        else:
            result["site_full_s"] = result["site_incremental_s"] = None
            notes.append("secretary.site is missing")
        if want("serve"):
            progress("feed server: requests per second, one body feed, 50 clients (subprocess, loopback)")
            body_id = secretary.records.meeting(meeting_id).body
            served = attempt(notes, "serve", lambda: bench_serve.measure(db_path, body_id, 1500 if scale < 1 else 3000))
            for key in ("serve_rps_200", "serve_rps_304", "serve_rps_304_gzip", "serve_rps_static", "serve_requests",
                        "serve_clients"):
                result[key] = served.get(key) if served else None
        if want("minutes"):
            progress("minutes of a 20-item meeting")
            meeting = twenty_item_meeting(secretary, meeting_id)
            body = secretary.records.body(meeting.body)
            if available("exports.documents", "minutes_docx") and hasattr(Records, "document_sources"):
                render = minutes_product(secretary, meeting)
                result["minutes_docx_bytes"] = attempt(notes, "minutes", lambda: len(render()))
                result["minutes_docx_s"] = attempt(notes, "minutes", lambda: median(timed(render, repeat)))
            else:
                result["minutes_docx_s"] = None
                notes.append("exports.documents.minutes_docx is missing")
            plain = minutes_plain(meeting, body.name)
            plain()
            result["minutes_docx_s_plain"] = median(timed(plain, repeat))

        if not want("plan"):
            pass
        elif available("secretary.domain.planning", "plan_year") and hasattr(PlanningService, "plan"):
            progress("year plan for all bodies")
            year = 2027
            result["plan_year"] = year
            result["plan_all_s"] = attempt(
                notes, "year plan", lambda sec=secretary: median(timed(lambda: sec.planning.plan(year), max(1, min(repeat, 3))))
            )
        else:
            result["plan_all_s"] = None
            notes.append("secretary.domain.planning is missing")

        if not want("scorecard"):
            pass
        elif available("secretary.services.scorecard"):
            progress("the whole scorecard: every body × every year (fresh process, then again)")
            fresh = open_secretary(db_path)
            start = time.perf_counter()
            cards = fresh.scorecard.scorecards()  # first call: every partition read raw once
            result["scorecard_cold_s"] = time.perf_counter() - start
            result["scorecard_cells"] = sum(len(row.cells) for card in cards for row in card.rows)
            result["scorecard_s"] = attempt(
                notes, "scorecard", lambda sec=fresh: median(timed(lambda: sec.scorecard.scorecards(), max(1, min(repeat, 5))))
            )
            del fresh, cards
        else:
            result["scorecard_s"] = None
            notes.append("secretary.services.scorecard is missing")

        if want("loaded"):
            progress("everything loaded: edit again, peak memory")
            for _meeting in secretary.store.meetings.each():  # every meeting read once, as a long session would
                pass
            secretary.search.query("x")  # and the search index, as the TUI keeps it
            loaded = timed(edit, max(repeat, 5))
            result["edit_ms_loaded"] = median(loaded) * 1000
            result["peak_mb_harness"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            del secretary
            progress("peak memory of the product alone (subprocess)")
            result["peak_mb"] = product_peak_mb(db_path)

    if result.get("first_screen_s") and result.get("first_screen_s_textual_minimal"):
        result["first_screen_ratio"] = result["first_screen_s"] / result["first_screen_s_textual_minimal"]
    result["notes"] = notes
    result["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.date.today().isoformat(),
    }
    result["total_s"] = round(time.perf_counter() - started, 1)
    return result


def verdicts(result: dict) -> dict[str, bool | None]:
    out: dict[str, bool | None] = {}
    for key, (limit, _text) in TARGETS.items():
        value = result.get(key)
        if value is None:
            out[key] = None
        elif key == "first_screen_s":
            ratio = result.get("first_screen_ratio")
            out[key] = None if ratio is None else ratio <= 2.0
        elif key in ("serve_rps_304", "serve_rps_304_gzip"):
            static = result.get("serve_rps_static")
            out[key] = None if not static else value >= 0.5 * static
        else:
            out[key] = value <= limit
    return out


def table(result: dict) -> str:
    def fmt(value, unit):
        if value is None:
            return "n/a"
        return f"{value:.1f} {unit}" if unit == "ms" or unit == "MB" else f"{value:.3f} {unit}"

    def ratio(a, b):
        return f"{a / b:.2f}×" if a is not None and b else ""

    r = result
    ok = verdicts(r)
    mark = {True: "met", False: "MISSED", None: ""}
    rows = [
        ("durable edit", fmt(r.get("edit_ms"), "ms"), "TinyDB default", fmt(r.get("edit_ms_tinydb_default"), "ms"),
         ratio(r.get("edit_ms"), r.get("edit_ms_tinydb_default")), "≤ 25 ms", mark[ok["edit_ms"]]),
        ("", "", "SQLite FULL", fmt(r.get("edit_ms_sqlite"), "ms"), ratio(r.get("edit_ms"), r.get("edit_ms_sqlite")), "", ""),
        ("durable edit, all loaded", fmt(r.get("edit_ms_loaded"), "ms"), "", "", "", "", ""),
        ("durable edit that rewrites the index", fmt(r.get("edit_ms_index"), "ms"), "", "", "", "", ""),
        ("first screen", fmt(r.get("first_screen_s"), "s"), "minimal Textual", fmt(r.get("first_screen_s_textual_minimal"), "s"),
         ratio(r.get("first_screen_s"), r.get("first_screen_s_textual_minimal")), "≤ 2×", mark[ok["first_screen_s"]]),
        ("search (median query)", fmt(r.get("search_ms"), "ms"), "", "", "", "≤ 10 ms", mark[ok["search_ms"]]),
        ("search (slowest query)", fmt(r.get("search_ms_max"), "ms"), "", "", "", "", ""),
        ("search, first query, fresh process", fmt(r.get("search_first_ms"), "ms"), "", "", "", "≤ 300 ms",
         mark[ok["search_first_ms"]]),
        ("search index update after an edit", fmt(r.get("search_update_ms"), "ms"), "", "", "", "≤ 20 ms",
         mark[ok["search_update_ms"]]),
        ("its write to disk (background)", fmt(r.get("search_flush_ms"), "ms"), "", "", "", "", ""),
        ("search index build (background)", fmt(r.get("search_build_s"), "s"), "", "", "", "", ""),
        (f"hits of '{STEMMED}' only by its stem", str(r.get("search_stem_hits")), "", "", "", "> 0", ""),
        ("serve one body feed, 304s/s", fmt(r.get("serve_rps_304"), "ms").replace(" ms", ""), "static bytes/s",
         fmt(r.get("serve_rps_static"), "ms").replace(" ms", ""), ratio(r.get("serve_rps_304"), r.get("serve_rps_static")),
         "≥ 0.5×", mark[ok["serve_rps_304"]]),
        ("serve one body feed, gzip 304s/s", fmt(r.get("serve_rps_304_gzip"), "ms").replace(" ms", ""), "", "",
         ratio(r.get("serve_rps_304_gzip"), r.get("serve_rps_static")), "≥ 0.5×", mark[ok["serve_rps_304_gzip"]]),
        ("serve one body feed, 200s/s", fmt(r.get("serve_rps_200"), "ms").replace(" ms", ""), "", "", "", "", ""),
        ("all calendar feeds", fmt(r.get("feeds_all_s"), "s"), "", "", "", "≤ 1 s", mark[ok["feeds_all_s"]]),
        ("all feeds, fresh process", fmt(r.get("feeds_all_cold_s"), "s"), "no events on disk",
         fmt(r.get("feeds_all_cold_nocache_s"), "s"), "", "", ""),
        ("minutes .docx, 20 items", fmt(r.get("minutes_docx_s"), "s"), "python-docx plain", fmt(r.get("minutes_docx_s_plain"), "s"),
         ratio(r.get("minutes_docx_s"), r.get("minutes_docx_s_plain")), "≤ 0.3 s", mark[ok["minutes_docx_s"]]),
        ("year plan, all bodies", fmt(r.get("plan_all_s"), "s"), "", "", "", "", ""),
        ("scorecard, all bodies × years", fmt(r.get("scorecard_s"), "s"), "first call", fmt(r.get("scorecard_cold_s"), "s"),
         "", "≤ 0.5 s", mark[ok.get("scorecard_s")]),
        ("peak memory (VmHWM)", fmt(r.get("peak_mb"), "MB"), "", "", "", "≤ 300 MB", mark[ok["peak_mb"]]),
    ]
    head = ("measure", "median", "reference", "reference median", "ratio", "target (scale 1)", "")
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    lines = [f"scale {r['scale']:g}: {r['data']['bodies']} bodies, {r['data']['people']} people, "
             f"{r['data']['meetings']} meetings, {r['data']['items']} items; medians of {r['repeat']} "
             f"(TinyDB: {r.get('edit_tinydb_repeat')})"]
    lines.append("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        lines.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)) + " |")
    if r.get("notes"):
        lines.append("notes: " + "; ".join(r.get("notes")))
    return "\n".join(lines)


# --only with --postgresql: the parts of the PostgreSQL run (the load always runs)
PG_PARTS = {
    "pg_edit": ("pg_edit_ms", "pg_edit_ms_max", "pg_edit_ms_index", "pg_refresh_ms"),
    "pg_first_screen": ("pg_first_screen_s",),
    "pg_search": ("pg_search_build_s", "pg_search_ms", "pg_search_ms_max"),
    "pg_feeds": ("pg_feeds_public_s", "pg_feeds_all_s", "pg_feeds_all_cold_s"),
}


def run_postgresql(scale: float, repeat: int, url: str, progress: Callable[[str], None], only: set[str] | None = None) -> dict:
    """The PostgreSQL backend beside TinyDB: the same data (moved with `import_dataset`, as
    `export json` + `import` would), the same edit, first screen, searches and feeds."""
    from secretary.cli.bootstrap import create_database, open_secretary

    def wanted(part: str) -> bool:
        return only is None or bool(only & set(PG_PARTS[part]))

    generated = generate(scale, progress=progress)
    meeting_id, item_id = generated.sample_item()
    result: dict = {}
    progress("postgresql: loading the data (one import)")
    dataset = open_secretary(generated.product).records.dataset()
    start = time.perf_counter()
    create_database(url, dataset, force=True)
    result["pg_load_s"] = time.perf_counter() - start
    del dataset

    secretary = open_secretary(url)
    if wanted("pg_edit"):
        progress("postgresql: durable edit")
        counter = [0]
        edit = decision_edit(secretary, meeting_id, item_id, counter)
        edit()  # the first write of a day also takes the daily backup
        edits = timed(edit, max(repeat, 5))
        result["pg_edit_ms"] = median(edits) * 1000
        result["pg_edit_ms_max"] = max(edits) * 1000
        result["pg_edit_ms_index"] = median(timed(action_edit(secretary, meeting_id, item_id, counter), max(repeat, 5))) * 1000
        result["pg_refresh_ms"] = median(timed(secretary.store.refresh, max(repeat, 5))) * 1000

    if wanted("pg_first_screen"):
        progress("postgresql: first screen (subprocess)")
        result["pg_first_screen_s"] = median(first_screen(FIRST_SCREEN_PRODUCT, [url], max(1, min(repeat, 5))))

    if wanted("pg_search"):
        progress("postgresql: search")
        searcher = open_secretary(url)
        start = time.perf_counter()
        searcher.search.query("")
        searcher.search.query("x")
        result["pg_search_build_s"] = time.perf_counter() - start
        queries = search_queries(searcher, generated)
        per_query = {q: median(timed(lambda q=q, searcher=searcher: searcher.search.query(q), repeat)) * 1000 for q in queries}
        result["pg_search_ms"] = median(list(per_query.values()))
        result["pg_search_ms_max"] = max(per_query.values())
        del searcher
    if wanted("pg_feeds"):
        progress("postgresql: calendar feeds")
        rounds = [all_feeds(secretary) for _ in range(max(1, min(repeat, 3)))]
        result["pg_feeds_public_s"] = median([r["public"] for r in rounds])
        result["pg_feeds_all_s"] = median([r["every"] for r in rounds])
        result["pg_feeds_all_cold_s"] = feeds_cold_s(url)  # type: ignore[arg-type]
    return result


@contextlib.contextmanager
def postgresql_url(option: str):
    """The database to measure on: the URL given, or (`auto`) a throwaway cluster on a local socket."""
    if option != "auto":
        yield option
        return
    from tests.postgres_cluster import Cluster

    cluster = Cluster(durable=True)  # fsync on, as a real server
    try:
        yield cluster.create_database("bench")
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 20 years of a large secretariat (default 1)")
    parser.add_argument("--repeat", type=int, default=7, help="repetitions per measure; medians are reported (default 7)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--postgresql", metavar="URL", help="also measure the PostgreSQL backend on URL (its data is replaced), "
                        "or `auto`: a throwaway local cluster")
    parser.add_argument("--postgresql-only", action="store_true", help="with --postgresql: skip the TinyDB measures")
    parser.add_argument("--only", metavar="KEY,KEY", help="measure only the parts of the run that give these keys "
                        "(e.g. feeds_all_cold_s,search_first_ms,search_update_ms)")
    args = parser.parse_args(argv)
    if args.scale <= 0 or args.repeat < 1:
        parser.error("--scale must be positive and --repeat at least 1")

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"[benchmarks] {message}", file=sys.stderr, flush=True)

    only = None
    if args.only:
        only = {key.strip() for key in args.only.split(",") if key.strip()}
        known = {key for keys in [*PARTS.values(), *PG_PARTS.values()] for key in keys}
        if not only <= known:
            parser.error(f"--only: unknown keys {', '.join(sorted(only - known))} (known: {', '.join(sorted(known))})")
    if args.postgresql and args.postgresql_only:
        result = {"scale": args.scale, "repeat": args.repeat}
    else:
        tinydb_only = None if only is None else only - {key for keys in PG_PARTS.values() for key in keys}
        if tinydb_only == set():  # only PostgreSQL keys asked for
            result = {"scale": args.scale, "repeat": args.repeat}
        else:
            result = run(args.scale, args.repeat, progress, tinydb_only)
    if args.postgresql:
        with postgresql_url(args.postgresql) as url:
            result.update(run_postgresql(args.scale, args.repeat, url, progress, only))
    if args.postgresql_only:
        sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
        return 0
    result["targets_met"] = verdicts(result)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    else:
        print(table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
