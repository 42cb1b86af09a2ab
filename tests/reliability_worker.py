"""Writer processes for the reliability harnesses (crash, two writers, lock timeout).

    python tests/reliability_worker.py zygote DB      fork one writer per "run MODE TRIAL SEED" line on stdin
    python tests/reliability_worker.py append DB MEETING TAG N
    python tests/reliability_worker.py hold DB SECONDS

Every writer goes through the service layer (`Secretary`), exactly as the CLI
does. A writer prints "try X" before a write and "ack X" once it is committed;
the harness kills it with SIGKILL at a random moment and then checks that every
acknowledged write is present and at most the one tried write beyond them.

The zygote imports the program once and forks a child per trial, so a trial
costs a fork instead of an interpreter start: that is what lets the harness run
hundreds of kills within the CI budget. Children are ordinary processes; a
SIGKILL ends them exactly as it would end `secretary`.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sys
import time
from pathlib import Path

import orjson

from secretary.cli.bootstrap import open_secretary
from secretary.services.facade import Secretary
from store.database import Database

OUT = sys.stdout.fileno()
_write = os.write  # kept before any fault injection patches os.write


def say(line: str) -> None:
    _write(OUT, (line + "\n").encode())


# -- what the crash children do ---------------------------------------------------------

EDIT_MEETINGS = ["dassos-2026-10-08", "fu-2026-12-02", "dassos-2027-01-14", "fu-2027-03-03"]


def shift_year(meeting, years: int):
    return meeting.replace(start=meeting.start.replace(year=meeting.start.year + years),
                           end=meeting.end.replace(year=meeting.end.year + years))


def edit_loop(secretary: Secretary, trial: int, rng: random.Random) -> None:
    """update_meeting in a loop: append an action, or move the meeting to the other year."""
    # Keep the shared database small: drop the actions earlier trials added.
    for meeting_id in EDIT_MEETINGS:
        def tidy(m):
            items = [m.items[0].replace(actions=[a for a in m.items[0].actions if not a.id.startswith("t")])]
            return m.replace(items=items + list(m.items[1:]))

        secretary.agenda.update_meeting(meeting_id, tidy)
    say("ready")
    for k in range(10_000):
        meeting_id = rng.choice(EDIT_MEETINGS)
        if rng.random() < 0.25:
            current = secretary.records.meeting(meeting_id)
            years = 1 if current.start.year % 2 == 0 else -1  # 2026 <-> 2027: three files in one commit
            target = current.start.year + years
            say(f"try move {meeting_id} {target}")
            secretary.agenda.update_meeting(meeting_id, lambda m, years=years: shift_year(m, years))
            say(f"ack move {meeting_id} {target}")
        else:
            action = f"t{trial}-{k}"
            say(f"try action {meeting_id} {action}")

            def append(m, action=action, k=k):
                first = m.items[0]
                extra = {"id": action, "what": f"follow-up {k} of trial {trial}", "owner": "harness"}
                return m.replace(items=[first.replace(actions=[*first.actions, extra]), *m.items[1:]])

            secretary.agenda.update_meeting(meeting_id, append)
            say(f"ack action {meeting_id} {action}")


def import_document(trial: int, k: int) -> bytes:
    """A changing document: an organisation's counter, and a meeting that moves year every time."""
    slot = k % 4
    year = 2026 + (k // 4) % 2
    start = dt.datetime(year, 3, 2 + slot, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    return orjson.dumps({
        "format": "secretary/1",
        "organisations": [{"id": "crash-org", "name": "Crash Org", "short_name": f"{trial}-{k}",
                           "kind": "other", "country": "DK"}],
        "meetings": [{"id": f"crash-slot-{slot}", "body": "takstgruppen", "title": f"{trial}-{k}",
                      "start": start.isoformat(), "end": (start + dt.timedelta(hours=2)).isoformat()}],
    })


def import_loop(secretary: Secretary, trial: int, rng: random.Random) -> None:
    say("ready")
    for k in range(10_000):
        say(f"try import {trial}-{k}")
        secretary.data.import_bytes(import_document(trial, k))
        say(f"ack import {trial}-{k}")


def kill_at_call(target: int, calls) -> dict[str, int]:
    """Patch the `os` functions named in `calls` so that the process SIGKILLs itself at the
    target-th call of any of them; the returned counter says how many calls were made."""
    counter = {"n": 0}

    def wrap(name):
        real = getattr(os, name)

        def patched(*args, **kwargs):
            counter["n"] += 1
            if counter["n"] == target:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        setattr(os, name, patched)

    for name in calls:
        wrap(name)
    return counter


def crashpoint_child(db_path: str, target: int) -> None:
    """One multi-file commit (registry + two partitions + index), killed at its target-th syscall."""
    secretary = open_secretary(Path(db_path))
    secretary.records.meetings()  # load before counting: only the commit's own calls are counted
    counter = kill_at_call(target, ("write", "fsync", "replace", "unlink", "rename", "utime"))
    secretary.data.import_bytes(crashpoint_document())
    say(f"done {counter['n']}")


def crashpoint_document() -> bytes:
    """Moves a meeting from 2026 to 2027 and renames an organisation: four files change."""
    return orjson.dumps({
        "format": "secretary/1",
        "organisations": [{"id": "hedensted", "name": "Hedensted Kommune (renamed)", "short_name": "Hedensted",
                           "kind": "municipality", "country": "DK"}],
        "meetings": [{"id": "crash-point", "body": "dassos", "title": "moved",
                      "start": "2027-06-02T09:00:00+02:00", "end": "2027-06-02T11:00:00+02:00"}],
    })


def zygote(db_path: str) -> None:
    """Fork a writer per request; report its pid and, once reaped, how it ended."""
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "quit":
            break
        mode, trial, seed = parts[1], int(parts[2]), int(parts[3])
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                if mode == "crashpoint":
                    crashpoint_child(db_path, seed)
                else:
                    secretary = open_secretary(Path(db_path))
                    rng = random.Random(seed)
                    (edit_loop if mode == "edit" else import_loop)(secretary, trial, rng)
            except BaseException as exc:  # noqa: BLE001 - report, never hide
                say(f"error {type(exc).__name__}: {exc}".replace("\n", " "))
                code = 3
            finally:
                os._exit(code)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"exit {status}")


# -- two writers and the lock -----------------------------------------------------------

def append(db_path: str, meeting_id: str, tag: str, count: int) -> None:
    """Append `count` actions of our own to the first item, each in its own transaction."""
    secretary = open_secretary(Path(db_path))
    for k in range(count):
        action = f"{tag}-{k}"

        def change(m, action=action, k=k):
            first = m.items[0]
            extra = {"id": action, "what": f"{tag} {k}", "owner": tag}
            return m.replace(items=[first.replace(actions=[*first.actions, extra]), *m.items[1:]])

        secretary.agenda.update_meeting(meeting_id, change)
    say(f"done {tag}")


def hold(db_path: str, seconds: float) -> None:
    db = Database.open(Path(db_path))
    db.lock.acquire()
    say(f"held {os.getpid()}")
    time.sleep(seconds)
    db.lock.release()


if __name__ == "__main__":
    command, db = sys.argv[1], sys.argv[2]
    if command == "zygote":
        zygote(db)
    elif command == "append":
        append(db, sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif command == "hold":
        hold(db, float(sys.argv[3]))
    else:
        raise SystemExit(f"unknown command {command}")
