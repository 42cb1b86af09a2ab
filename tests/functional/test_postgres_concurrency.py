"""Several processes on one PostgreSQL database: no lost update, the loser told; many writers at
once all kept; a stale version never written over; other sessions' changes seen (polled, and
announced by LISTEN/NOTIFY)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.errors import StaleEdit
from secretary.domain.presets import load_preset
from tests.conftest import ROOT, SECRETARY, run_cli

WORKER = str(ROOT / "tests" / "pg_worker.py")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
MEETING = "fu-2026-12-02"


@pytest.fixture
def url(pg_url):
    create_database(pg_url, load_preset("midtjylland"))
    return pg_url


def test_two_processes_editing_one_meeting_one_wins_the_other_is_told(url, tmp_path):
    rounds = 3
    for round_ in range(rounds):
        go = tmp_path / f"go-{round_}"
        procs = []
        for name in ("a", "b"):
            ready = tmp_path / f"ready-{round_}-{name}"
            procs.append((name, ready, subprocess.Popen(
                [sys.executable, WORKER, "edit", url, MEETING, f"Titel {name}{round_}", str(ready), str(go)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)))
        for _name, ready, proc in procs:
            while not ready.exists():
                assert proc.poll() is None, proc.stderr.read().decode()
        go.write_text("go")
        outcome = {}
        for name, _ready, proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
            outcome[name] = out.decode().strip()
        winners = [name for name, said in outcome.items() if said == "saved"]
        assert len(winners) == 1, outcome
        loser = "b" if winners == ["a"] else "a"
        told = outcome[loser]
        assert told.startswith("refused:") and MEETING in told and "title" in told, told
        stored = open_secretary(url).records.meeting(MEETING)
        assert stored.title == f"Titel {winners[0]}{round_}", "the winner's change is kept, not written over"
    assert run_cli("check", "--db", url).returncode == 0


def test_twenty_writers_importing_different_meetings_all_kept(url, tmp_path):
    base = json.loads(run_cli("export", "json", "--db", url).stdout)
    template = next(m for m in base["meetings"] if m["id"] == MEETING)
    files = []
    for number in range(20):
        meeting = dict(template, id=f"parallel-{number:02d}", uid=f"parallel-{number:02d}@test",
                       start=f"2031-{1 + number % 12:02d}-{1 + number:02d}T10:00:00+01:00",
                       end=f"2031-{1 + number % 12:02d}-{1 + number:02d}T12:00:00+01:00", title=f"Parallel {number}")
        path = tmp_path / f"m{number}.json"
        path.write_text(json.dumps({"format": "secretary/1", "meetings": [meeting]}))
        files.append(path)
    procs = [subprocess.Popen([SECRETARY, "import", str(path), "--db", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env={**os.environ, "SECRETARY_LOCK_TIMEOUT": "60"}) for path in files]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    ids = {m["id"] for m in json.loads(run_cli("meetings", "--db", url, "--json").stdout)["meetings"]}
    assert {f"parallel-{number:02d}" for number in range(20)} <= ids
    assert run_cli("check", "--db", url).returncode == 0


def test_a_save_over_a_version_changed_behind_the_programs_back_is_refused(url, pg_cluster):
    """A client that skips the writers' lock and the generations (psql, an older program) changed
    the row: the store's copy is stale, and its save names who changed it instead of writing over."""
    sec = open_secretary(url)
    meeting = sec.records.meeting(MEETING)
    seat = next(iter(sec.records.memberships()))
    pg_cluster.execute(url, "UPDATE meetings SET version = version + 1000, changed_by = 'psql-bruger' WHERE id = %s", (MEETING,))
    pg_cluster.execute(url, "UPDATE registry SET version = version + 1000 WHERE collection = 'memberships' AND id = %s", (seat.id,))
    assert sec.store.refresh() is False, "nothing the program counts changed"
    with pytest.raises(StaleEdit, match="psql-bruger"):
        with sec.store.transaction():
            sec.store.meetings.save(meeting.replace(title="Over skrevet?"))
    with pytest.raises(StaleEdit, match=seat.id):
        with sec.store.transaction():
            sec.store.memberships.save(seat.replace(voting=not seat.voting))
    assert open_secretary(url).records.meeting(MEETING).title == meeting.title


def test_another_session_sees_a_change_through_refresh(url):
    one, two = open_secretary(url), open_secretary(url)
    assert one.records.meeting(MEETING).title == two.records.meeting(MEETING).title
    two.agenda.edit_meeting(MEETING, title="Set fra den anden")
    assert one.records.meeting(MEETING).title != "Set fra den anden", "a session keeps what it read until it refreshes"
    assert one.store.refresh() is True
    assert one.records.meeting(MEETING).title == "Set fra den anden"
    assert one.store.refresh() is False


async def test_two_tui_sessions_on_one_item_the_second_save_is_refused_and_typing_survives(url, monkeypatch):
    """Two Pilot apps, one in another process: A's form is open with text typed when B saves
    the same item; A keeps its typing while the watcher refreshes, and its save is refused."""
    from textual.widgets import DataTable, Input, Static

    from screens.app import make_app
    from screens.dialogs import ConfirmScreen, FormScreen
    from screens.meeting import MeetingScreen
    from tests.functional.test_tui_flows import PLANNED, SIZE, open_meeting
    from tests.functional.tui_helpers import NOW, TODAY, press, settle

    monkeypatch.setenv("SECRETARY_POLL", "0.2")
    app = make_app(open_secretary(url, clock=lambda: NOW), today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, PLANNED)
        target = next(i for i in screen.meeting.items if i.public and i.kind in ("decision", "information", "discussion"))
        table = screen.query_one("#mg-items", DataTable)
        table.move_cursor(row=table.get_row_index(target.id))
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-presenter", Input).value = "Fra A"
        other = subprocess.run([sys.executable, WORKER, "tui-edit", url, PLANNED, target.id, "Fra B"],
                               capture_output=True, env={**ENV, "SECRETARY_POLL": "0"}, timeout=180)
        assert other.returncode == 0, other.stderr.decode()
        assert other.stdout.decode().strip() == "saved"
        await pilot.pause(1.0)  # several rounds of the watcher: it sees B's change
        await settle(pilot)
        assert app.screen is form and form.query_one("#f-presenter", Input).value == "Fra A", "what A typed is still there"
        await press(pilot, "ctrl+s")
        assert app.screen is form, "the form stays open with the conflict shown"
        error = str(form.query_one("#form-error", Static).render())
        assert "changed elsewhere" in error and PLANNED in error
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen), "what A typed is not thrown away without asking"
        await press(pilot, "y")
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting.item(target.id).presenter == "Fra B", "the screen under the form shows B's change"
    assert open_secretary(url).records.meeting(PLANNED).item(target.id).presenter == "Fra B"


async def test_an_open_list_shows_another_sessions_change_within_seconds(url, monkeypatch):
    from textual.widgets import DataTable

    from screens.app import make_app
    from tests.functional.tui_helpers import NOW, TODAY, press, settle

    monkeypatch.setenv("SECRETARY_POLL", "0.2")
    app = make_app(open_secretary(url, clock=lambda: NOW), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        table = app.screen.query_one("#meetings-table", DataTable)
        assert "Flyttet af en kollega" not in str([table.get_row_at(i) for i in range(table.row_count)])
        open_secretary(url).agenda.edit_meeting(MEETING, title="Flyttet af en kollega")
        for _ in range(50):  # up to 5 s, no key pressed
            await pilot.pause(0.1)
            await settle(pilot)
            if "Flyttet af en kollega" in str([table.get_row_at(i) for i in range(table.row_count)]):
                break
        else:
            raise AssertionError("the list did not show the other session's change")


def _worker(*args: str) -> str:
    done = subprocess.run([sys.executable, WORKER, *args], capture_output=True, env=ENV, timeout=180)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().strip()


def _listening(pg_cluster, url) -> int:
    """How many secretary connections LISTEN on this database (pg_stat_activity's application name)."""
    return pg_cluster.execute(
        url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'secretary-listen' AND datname = current_database()"
    )[0][0]


def test_a_commit_in_another_process_is_announced_by_notify_and_a_rollback_is_not(url, pg_cluster):
    import psycopg

    sec = open_secretary(url)
    read = sec.records.meeting(MEETING).title
    assert sec.store.wait_for_change(0.2) is False, "nothing happened: the wait runs out (and LISTEN is set up)"
    assert _listening(pg_cluster, url) == 1
    with psycopg.connect(url, autocommit=True) as eavesdropper:  # what any client on the channel is told
        eavesdropper.execute("LISTEN secretary_changes")

        assert _worker("roll-back", url, MEETING, "Fortrudt") == "rolled back"
        assert sec.store.wait_for_change(1.0) is False, "a rolled-back transaction announces nothing"
        assert list(eavesdropper.notifies(timeout=0)) == []

        assert _worker("set-title", url, MEETING, "Meddelt ved NOTIFY") == "saved"
        assert sec.store.wait_for_change(120) is True, "the other process's commit wakes the wait"
        notes = list(eavesdropper.notifies(timeout=5, stop_after=1))
    change = pg_cluster.execute(url, "SELECT value FROM counters WHERE name = 'change'")[0][0]
    assert [note.payload for note in notes] == [str(change)], "the payload is the change number and nothing else"
    assert sec.records.meeting(MEETING).title == read, "woken, the store still holds what it read"
    assert sec.store.refresh() is True
    assert sec.records.meeting(MEETING).title == "Meddelt ved NOTIFY"

    sec.agenda.edit_meeting(MEETING, title="Egen ændring")
    assert sec.store.wait_for_change(1.0) is False, "the store's own commit does not wake its own wait"


def test_a_lost_listening_connection_falls_back_to_polling_and_comes_back(url, pg_cluster, monkeypatch):
    from store.postgres import store as pg_store

    monkeypatch.setattr(pg_store, "LISTEN_RETRY_SECONDS", 0.0)
    sec = open_secretary(url)
    assert sec.store.wait_for_change(0.2) is False
    pg_cluster.execute(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE application_name = 'secretary-listen' AND datname = current_database()")
    assert sec.store.wait_for_change(0.5) is False, "the lost connection is no error: the wait just ends"
    assert _worker("set-title", url, MEETING, "Set ved polling") == "saved"
    assert sec.store.refresh() is True and sec.records.meeting(MEETING).title == "Set ved polling", "polling still finds it"
    assert sec.store.wait_for_change(0.2) is False  # listening again
    assert _listening(pg_cluster, url) == 1
    assert _worker("set-title", url, MEETING, "Meddelt igen") == "saved"
    assert sec.store.wait_for_change(120) is True


async def test_an_open_list_shows_another_process_change_by_notify_with_polling_all_but_off(url, pg_cluster, monkeypatch):
    """The poll every ten minutes: the change arrives because the other process's commit is announced."""
    from textual.widgets import DataTable

    from screens.app import make_app
    from tests.functional.tui_helpers import NOW, TODAY, press, settle

    monkeypatch.setenv("SECRETARY_POLL", "600")
    app = make_app(open_secretary(url, clock=lambda: NOW), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        table = app.screen.query_one("#meetings-table", DataTable)
        for _ in range(100):
            if _listening(pg_cluster, url):
                break
            await pilot.pause(0.1)
        assert _listening(pg_cluster, url) == 1, "the TUI's watcher listens"
        assert "Meddelt af en kollega" not in str([table.get_row_at(i) for i in range(table.row_count)])
        assert _worker("set-title", url, MEETING, "Meddelt af en kollega") == "saved"
        for _ in range(100):  # up to 10 s (the next poll would be in 600 s), no key pressed
            await pilot.pause(0.1)
            await settle(pilot)
            if "Meddelt af en kollega" in str([table.get_row_at(i) for i in range(table.row_count)]):
                break
        else:
            raise AssertionError("the list did not show the other process's change")
