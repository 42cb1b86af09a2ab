"""The meeting's life tried as a new user would: the console script in tmux, the system clock moved
with faketime across the weeks of one meeting, the Midtjylland demo's next DASSOS meeting taken from
planned to published by the keys the screens name, the overview's deadlines closing step by step.

Skipped when tmux or faketime is missing (CI installs both through .ci/system-deps).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from tests.functional.test_tui_tmux import Tmux

pytestmark = [
    pytest.mark.external,
    pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("faketime") is None, reason="tmux or faketime missing"),
]

SECRETARY = str(Path(sys.executable).with_name("secretary"))
MEETING = "dassos-2027-01-14"


@pytest.fixture
def tmux(tmp_path):
    session = Tmux("secretary-life", tmp_path / "tmux.sock")
    yield session
    subprocess.run([*session.base, "kill-server"], capture_output=True, timeout=30)


def start(tmux: Tmux, tmp_path: Path, when: str) -> None:
    """The TUI in an 80×24 terminal on `when` (UTC), as the secretary named in config.toml."""
    subprocess.run([*tmux.base, "kill-server"], capture_output=True, timeout=30)
    env = f"SECRETARY_CONFIG={tmp_path / 'config.toml'} FAKETIME_DONT_FAKE_MONOTONIC=1"
    command = f"env {env} faketime -f '@{when}' {SECRETARY} --db {tmp_path / 'db.json'}; sleep 600"
    for _attempt in range(5):
        made = subprocess.run([*tmux.base, "new-session", "-d", "-s", tmux.session, "-x", "80", "-y", "24", "sh", "-c", command],
                              capture_output=True, text=True, timeout=30)
        if made.returncode == 0:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"tmux did not start: {made.stderr}")
    tmux.wait_for("Today is")


def deadline_lines(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if "DASSOS" in line and "2027-01-14" in line and ("due" in line or "OVERDUE" in line)]


def quit_tui(tmux: Tmux, timeout: float = 20) -> None:
    """q, and wait until the TUI has given the terminal back."""
    tmux.keys("q")
    deadline = time.monotonic() + timeout
    while "? Help" in tmux.screen() and time.monotonic() < deadline:
        time.sleep(0.2)


def wait_closed(tmux: Tmux, timeout: float = 20) -> str:
    """The overview once it has redrawn (a worker reloads it when it comes back) without the meeting's deadlines."""
    deadline = time.monotonic() + timeout
    shown = tmux.wait_for("Deadlines this week")
    while deadline_lines(shown) and time.monotonic() < deadline:
        time.sleep(0.2)
        shown = tmux.screen()
    return shown


def open_from_meetings(tmux: Tmux, past: bool = False) -> str:
    """DASSOS 14 January from the meetings list: the first coming meeting before it is held,
    the latest past one after (the list opens on the coming meetings; `f` reaches its filter)."""
    tmux.keys("m")
    # The list's own filter bar ("Title / place" is on the overview too: keys sent on seeing it
    # could reach the overview under load and open its first coming meeting).
    tmux.wait_for("Body (all)")
    if past:
        tmux.keys("f")
        time.sleep(0.3)
        tmux.keys("Enter")  # open the coming / past / all picker
        time.sleep(0.3)
        tmux.keys("Down", "Enter")  # past: latest first
        tmux.wait_for("Past")
        time.sleep(0.5)
        tmux.keys("Escape")  # back to the list
        time.sleep(0.3)
        tmux.keys("Home")
        time.sleep(0.3)
    tmux.keys("Enter")
    return tmux.wait_for("Next:")


def test_the_next_dassos_meeting_from_planned_to_published(tmp_path, tmux):
    (tmp_path / "config.toml").write_text('name = "Anne Sørensen"\n', encoding="utf-8")
    subprocess.run([SECRETARY, "init", "--db", str(tmp_path / "db.json")], check=True, capture_output=True, timeout=120,
                   env=dict(os.environ))
    # 10 January: the agenda should have gone out on the 7th.
    start(tmux, tmp_path, "2027-01-10 09:00:00")
    shown = tmux.wait_for("D dispatch")
    assert any("send agenda" in line and "OVERDUE" in line and "D dispatch" in line for line in deadline_lines(shown)), shown
    tmux.keys("Enter")  # the first of the next meetings: DASSOS 14 January
    shown = tmux.wait_for("Next: D dispatch")
    assert "planned" in shown.splitlines()[1]
    tmux.keys("D")
    tmux.wait_for("y yes")
    tmux.keys("y")
    shown = tmux.wait_for("Next: H held")
    assert "invited" in shown.splitlines()[1]
    tmux.keys("Escape")
    shown = wait_closed(tmux)
    assert deadline_lines(shown) == [], shown  # the dispatch closed both agenda deadlines
    quit_tui(tmux)

    # 14 January, after the meeting: held (ended 12:10), minutes drafted and sent.
    start(tmux, tmp_path, "2027-01-14 11:30:00")
    open_from_meetings(tmux)
    tmux.keys("H")
    tmux.wait_for("Held: actual start and end")
    time.sleep(0.5)  # the form has its focus (the start field)
    tmux.keys("Tab", "End", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "12:10")
    tmux.wait_for("12:10")
    tmux.keys("C-s")
    tmux.wait_for("Next: W draft minutes")
    tmux.keys("W")
    tmux.wait_for("y yes")
    tmux.keys("y")
    tmux.wait_for("Next: S send minutes")
    tmux.keys("S")
    tmux.wait_for("Comment deadline")
    time.sleep(0.5)
    tmux.keys("C-s")
    shown = tmux.wait_for("minutes sent")
    assert "J approve" in shown
    quit_tui(tmux)

    # 23 January: the comment deadline (22nd) has passed; the overview says J approves.
    start(tmux, tmp_path, "2027-01-23 09:00:00")
    shown = tmux.wait_for("Deadlines this week")
    lines = deadline_lines(shown)
    assert len(lines) == 1 and "approve minutes" in lines[0] and "OVERDUE" in lines[0] and "J approve" in lines[0], shown
    open_from_meetings(tmux, past=True)
    tmux.keys("J")
    tmux.wait_for("Approve the minutes")
    time.sleep(0.5)
    tmux.keys("Tab", "Enter")  # the list of people opens
    tmux.wait_for("Henning Hansen")
    tmux.keys("Down", "Enter")  # the first person of the list approves
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # chosen, and the list closed (it named everyone), before saving
        shown = tmux.screen()
        if "Gerd Møller Nielsen" in shown and "Henning Hansen" not in shown:
            break
        time.sleep(0.2)
    tmux.keys("C-s")
    shown = tmux.wait_for("P publish minutes")
    assert "[locked]" in shown
    tmux.keys("P")
    tmux.wait_for("y yes")
    tmux.keys("y")
    shown = tmux.wait_for("published")
    tmux.keys("L")
    shown = tmux.wait_for("The life of DASSOS 2027-01-14")
    for step in ("dispatched", "held", "minutes drafted", "minutes sent", "approved", "minutes published"):
        assert step in shown and "Anne Sørensen" in shown
    for _ in range(5):  # escape closes the dialog (again if a busy machine lost the first one)
        tmux.keys("Escape")
        if "The life of" not in tmux.screen():
            break
    tmux.keys("o", "o")
    shown = wait_closed(tmux)
    assert deadline_lines(shown) == [], shown
    quit_tui(tmux)

    show = subprocess.run([SECRETARY, "meeting", "show", MEETING, "--json", "--db", str(tmp_path / "db.json")],
                          capture_output=True, timeout=120, check=True)
    life = orjson.loads(show.stdout)
    assert life["stage"] == "published"
    assert [e["action"] for e in life["meeting"]["history"]] == ["dispatch", "held", "draft", "send", "approve", "publish_minutes"]
    assert {e["actor"] for e in life["meeting"]["history"]} == {"Anne Sørensen"}
    assert life["meeting"]["actual_end"].startswith("2027-01-14T12:10")
