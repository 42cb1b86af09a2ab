"""The TUI as a person starts it: the console script in tmux, driven by the keys shown on screen.

Skipped when tmux is missing (CI installs it through .ci/system-deps).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

# Tmux lives in tests/tmux_helpers.py; the name stays importable from here for older imports.
from tests.tmux_helpers import Tmux as Tmux
from tests.tmux_helpers import tmux_session

pytestmark = [pytest.mark.external, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

SECRETARY = str(Path(sys.executable).with_name("secretary"))
# Whatever the developer's locale: this walk is the English one (tests/functional/test_tui_tmux_i18n.py: Danish, Swedish).
ENGLISH = "env -u SECRETARY_LANG -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8"


@pytest.fixture
def tmux(tmp_path):
    yield from tmux_session("secretary-test", tmp_path)


def test_a_new_user_walks_through_every_screen_and_quits(tmp_path, tmux):
    db = tmp_path / "demo.json"
    status = tmp_path / "status"
    # The README's command, in a 100×30 terminal. Textual draws on stderr, so nothing is redirected:
    # after the exit the pane shows whatever was printed, and the exit status goes to a file.
    sock = tmp_path / "tmux.sock"
    command = f"{ENGLISH} {SECRETARY} --db {db}; echo $? > {status}; tmux -S {sock} wait-for -S done; sleep 60"
    tmux.run("new-session", "-d", "-s", tmux.session, "-x", "100", "-y", "30", "sh", "-c", command)
    tmux.wait_for("Next meetings")  # the demo opens on the overview
    shown = tmux.wait_for("? Help")
    assert "Deadlines this week and overdue" in shown
    top = shown.splitlines()[0]
    for named in ("o Overview", "b Bodies", "p People", "m Meetings", "y Year", "a Actions", "/ Search", "? Help"):
        assert named in top  # every section's key is named on the top line
    tmux.keys("b")
    tmux.wait_for("Terms of reference")
    tmux.keys("p")
    tmux.wait_for("Memberships")
    tmux.keys("2")
    tmux.wait_for("found")
    tmux.keys("m")
    shown = tmux.wait_for("Minutes")
    tmux.keys("Enter")
    shown = tmux.wait_for("Godkendelse af dagsorden")
    tmux.keys("M")
    tmux.wait_for("Decision")
    tmux.keys("t")
    tmux.wait_for("Attendance")
    tmux.keys("Escape", "Escape")
    tmux.keys("y")  # the year view: cadence, then the months; → the next year
    shown = tmux.wait_for("Cadence 2")
    assert "January" in shown
    year = int(shown.split("Cadence ", 1)[1][:4])
    tmux.keys("Right")
    tmux.wait_for(f"Cadence {year + 1}")
    tmux.keys("a")
    tmux.wait_for("OVERDUE")
    tmux.keys("/")
    tmux.keys(*"kapacitet")
    tmux.wait_for("found")
    tmux.keys("Escape", "?")
    tmux.wait_for("Keys on this screen")
    tmux.keys("Escape", "o")
    tmux.wait_for("Next meetings")
    tmux.keys("q")
    tmux.run("wait-for", "done")
    assert status.read_text().strip() == "0"
    after = tmux.screen()
    assert "Traceback" not in after and "Error" not in after
