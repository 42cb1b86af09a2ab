"""The meeting's life tried as a new user would: the console script in tmux, the system clock moved
with faketime across the weeks of one meeting, the Midtjylland demo's next DASSOS meeting taken from
planned to published by the keys the screens name, the overview's deadlines closing step by step.

Skipped when tmux or faketime is missing (CI installs both through .ci/system-deps).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from tests.tmux_helpers import TIMEOUT, Tmux, backgrounds, plain, tmux_session

pytestmark = [
    pytest.mark.external,
    pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("faketime") is None, reason="tmux or faketime missing"),
]

SECRETARY = str(Path(sys.executable).with_name("secretary"))
MEETING = "dassos-2027-01-14"
# The approval form's first two fields (labels as drawn).
HOW, APPROVERS = "How", "Approved by (members)"


@pytest.fixture
def tmux(tmp_path):
    yield from tmux_session("secretary-life", tmp_path)


def start(tmux: Tmux, tmp_path: Path, when: str) -> None:
    """The TUI in an 80×24 terminal on `when` (UTC), as the secretary named in config.toml."""
    tmux.kill_server()
    env = f"SECRETARY_CONFIG={tmp_path / 'config.toml'} FAKETIME_DONT_FAKE_MONOTONIC=1"
    command = f"env {env} faketime -f '@{when}' {SECRETARY} --db {tmp_path / 'db.json'}; sleep 600"
    tmux.new_session("-d", "-s", tmux.session, "-x", "80", "-y", "24", "sh", "-c", command)
    tmux.wait_for("Today is")


def deadline_lines(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if "DASSOS" in line and "2027-01-14" in line and ("due" in line or "OVERDUE" in line)]


def first_row(screen: str) -> str:
    """The meetings list's first row (the line under its column headings), or ""."""
    lines = screen.splitlines()
    heading = next((n for n, line in enumerate(lines) if "Date" in line and "Title / place" in line), None)
    return lines[heading + 1] if heading is not None and heading + 1 < len(lines) else ""


def field_line(screen: str, label: str) -> str:
    """The line under a form field's label: the field as drawn ("" when the label is not shown)."""
    lines = screen.splitlines()
    alone = re.compile(rf"█ {re.escape(label)} +█")  # the label alone on its line of the dialog
    found = next((n for n, line in enumerate(plain(screen).splitlines()) if alone.search(line)), None)
    return lines[found + 1] if found is not None and found + 1 < len(lines) else ""


def look(styled: str, label: str) -> frozenset[str]:
    """The colours a form field is drawn in (the field under `label`; empty when not shown)."""
    return frozenset(backgrounds(field_line(styled, label)))


def wait_first_focused(tmux: Tmux, first: str, second: str) -> frozenset[str]:
    """The form once its first field (under the label `first`) has the focus, drawn unlike the
    second field of its kind (`second`): at a form's opening no other field can have it. A key
    typed before would reach no field. Returns the look of a field without the focus."""
    def focused(styled: str) -> bool:
        return bool(look(styled, first)) and bool(look(styled, second)) and look(styled, first) != look(styled, second)
    return look(tmux.wait_until(focused, f"the first field {first!r} did not get the focus", styled=True), second)


def wait_focused(tmux: Tmux, label: str, left: str, unfocused: frozenset[str]) -> None:
    """The form once the focus has moved from the field `left` to the field `label`: `left` is
    drawn as a field without the focus (`unfocused`) and `label` is not."""
    def moved(styled: str) -> bool:
        return look(styled, left) == unfocused and bool(look(styled, label)) and look(styled, label) != unfocused
    tmux.wait_until(moved, f"the focus did not move from {left!r} to {label!r}", styled=True)


def quit_tui(tmux: Tmux) -> None:
    """q, and wait until the TUI has given the terminal back."""
    tmux.keys("q")
    tmux.wait_gone("? Help")


def wait_closed(tmux: Tmux) -> str:
    """The overview once it has redrawn (a worker reloads it when it comes back) without the meeting's deadlines."""
    return tmux.wait_until(lambda shown: "Deadlines this week" in shown and not deadline_lines(shown),
                           "the overview still shows the meeting's deadlines")


def close_dialog(tmux: Tmux, title: str) -> None:
    """Escape until the dialog `title` is gone (again if a busy machine lost the first one)."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        tmux.keys("Escape")
        try:
            tmux.wait_gone(title, timeout=5)
            return
        except AssertionError:
            if time.monotonic() >= deadline:
                raise


def open_from_meetings(tmux: Tmux, past: bool = False) -> str:
    """DASSOS 14 January from the meetings list: the first coming meeting before it is held,
    the latest past one after (the list opens on the coming meetings; `f` reaches its filter)."""
    tmux.keys("m")
    # The list's own filter bar ("Title / place" is on the overview too: keys sent on seeing it
    # could reach the overview under load and open its first coming meeting).
    tmux.wait_for("Body (all)")
    if past:
        tmux.wait_for("⏎ Open")  # the list has the focus (the key bar names its keys)
        tmux.keys("f")
        tmux.wait_gone("⏎ Open")  # the filter has it now
        tmux.keys("Enter")  # open the coming / past / all picker
        tmux.wait_for("All dates")
        tmux.keys("Down", "Enter")  # past: latest first
        tmux.wait_until(lambda shown: "Past" in shown and "All dates" not in shown and "2027-01-14  09:00  DASSOS" in first_row(shown),
                        "the past meetings, DASSOS 14 January first, were not listed")
        tmux.keys("Escape")  # back to the list
        tmux.wait_for("⏎ Open")
        tmux.keys("Home")  # the first row (keys reach the focused list in the order sent)
    else:
        tmux.wait_until(lambda shown: "2027-01-14  09:00  DASSOS" in first_row(shown),
                        "the coming meetings, DASSOS 14 January first, were not listed")
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
    unfocused = wait_first_focused(tmux, "Start (HH:MM)", "End (HH:MM)")  # the form has its focus (the start field)
    tmux.keys("Tab")
    wait_focused(tmux, "End (HH:MM)", "Start (HH:MM)", unfocused)
    tmux.keys("End", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "12:10")
    tmux.wait_until(lambda shown: "12:10" in field_line(shown, "End (HH:MM)") and "09:00" in field_line(shown, "Start (HH:MM)"),
                    "the end did not become 12:10 (the start staying 09:00)")
    tmux.keys("C-s")
    tmux.wait_for("Next: W draft minutes")
    tmux.keys("W")
    tmux.wait_for("y yes")
    tmux.keys("y")
    tmux.wait_for("Next: S send minutes")
    tmux.keys("S")
    tmux.wait_all("Comment deadline", "ctrl+s save")  # the whole form is drawn (its hint is its last line)
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
    unfocused = wait_first_focused(tmux, HOW, APPROVERS)
    tmux.keys("Tab")
    wait_focused(tmux, APPROVERS, HOW, unfocused)
    tmux.keys("Enter")  # the list of people opens
    tmux.wait_for("Henning Hansen")
    tmux.keys("Down", "Enter")  # the first person of the list approves
    tmux.wait_until(lambda shown: "Gerd Møller Nielsen" in shown and "Henning Hansen" not in shown,  # chosen, and the list
                    "the first person was not chosen (or the list of people did not close)")  # closed, before saving
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
    close_dialog(tmux, "The life of")
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
