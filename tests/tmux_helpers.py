"""The TUI as a person sees it: the console script in a tmux pane, keys sent, the pane read.

Shared by the tmux tests (tests/functional/test_tui_tmux*.py, test_cases_tmux.py). Nothing
waits a fixed time for the screen: every wait polls `tmux capture-pane` until what is expected
appears (or goes), up to a generous timeout (the machine is shared), and a wait that runs out
fails with the last captured pane in its message.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

TIMEOUT = 30.0  # seconds: generous, because 2 cores are shared by several test runs
POLL = 0.2


class Tmux:
    """One tmux server on its own socket, and the session the test drives in it."""

    def __init__(self, session: str, socket: Path):
        self.session = session
        self.base = ["tmux", "-S", str(socket)]

    def run(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], check=True, capture_output=True, text=True, timeout=30).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            # Not a wait for the screen: a key sent right after escape would reach the terminal as
            # one alt+key sequence, so escape is followed by a gap longer than the escape delay.
            time.sleep(0.6 if key == "Escape" else 0.15)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def styled_screen(self) -> str:
        """The pane with its colours (SGR sequences): which field is highlighted, as a person sees it."""
        return self.run("capture-pane", "-p", "-e", "-t", self.session)

    def wait_until(self, shows: Callable[[str], bool], what: str, timeout: float = TIMEOUT, styled: bool = False) -> str:
        """The pane as soon as `shows(pane)` holds (`styled`: the pane with its colours); an
        AssertionError naming `what` and showing the last pane captured when it has not within
        `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.styled_screen() if styled else self.screen()
            if shows(shown):
                return shown
            if time.monotonic() >= deadline:
                raise AssertionError(f"{what} (waited {timeout:.0f} s); the screen shows:\n{plain(shown)}")
            time.sleep(POLL)

    def wait_for(self, text: str, timeout: float = TIMEOUT) -> str:
        """The pane once `text` is on it."""
        return self.wait_until(lambda shown: text in shown, f"{text!r} did not appear", timeout)

    def wait_all(self, *texts: str, timeout: float = TIMEOUT) -> str:
        """The pane once every one of `texts` is on it."""
        return self.wait_until(lambda shown: all(t in shown for t in texts), f"{texts!r} did not all appear", timeout)

    def wait_gone(self, text: str, timeout: float = TIMEOUT) -> str:
        """The pane once `text` is no longer on it."""
        return self.wait_until(lambda shown: text not in shown, f"{text!r} did not go away", timeout)

    def new_session(self, *args: str) -> None:
        """`tmux new-session ARGS`, again until it starts (right after a kill-server it may not)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            made = subprocess.run([*self.base, "new-session", *args], capture_output=True, text=True, timeout=30)
            if made.returncode == 0:
                return
            if time.monotonic() >= deadline:
                raise AssertionError(f"tmux did not start: {made.stderr}")
            time.sleep(POLL)

    def server_gone(self) -> bool:
        """No tmux server answers on the socket any more (one that is shutting down still does)."""
        asked = subprocess.run([*self.base, "list-sessions"], capture_output=True, text=True, timeout=30)
        return asked.returncode != 0 and ("no server running" in asked.stderr or "error connecting" in asked.stderr)

    def kill_server(self) -> None:
        """Stop the server and wait until it is gone: a session made while it shuts down would
        be created, and then die with it."""
        subprocess.run([*self.base, "kill-server"], capture_output=True, timeout=30)
        deadline = time.monotonic() + TIMEOUT
        while not self.server_gone():
            if time.monotonic() >= deadline:
                raise AssertionError(f"the tmux server of {self.session!r} still answers {TIMEOUT:.0f} s after kill-server")
            time.sleep(POLL)


SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def plain(styled: str) -> str:
    """A styled capture as the plain one reads."""
    return SGR.sub("", styled)


def backgrounds(styled_line: str) -> list[str]:
    """The background of each character of a styled line ("" for the terminal's default);
    reverse video counts as its own background."""
    found: list[str] = []
    background, reverse = "", False
    position = 0
    for match in SGR.finditer(styled_line + "\x1b[m"):
        found += [f"{background}{'/reverse' if reverse else ''}"] * len(styled_line[position:match.start()])
        position = match.end()
        params = [p for p in match.group(1).replace(":", ";").split(";")]
        i = 0
        while i < len(params):
            code = params[i]
            if code in ("", "0"):
                background, reverse = "", False
            elif code == "7":
                reverse = True
            elif code == "27":
                reverse = False
            elif code == "49":
                background = ""
            elif code in ("38", "48"):
                width = 3 if i + 1 < len(params) and params[i + 1] == "5" else 5
                if code == "48":
                    background = ";".join(params[i:i + width])
                i += width - 1
            elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
                background = code
            i += 1
    return found


def tmux_session(session: str, tmp_path: Path) -> Iterator[Tmux]:
    """The body of a `tmux` fixture: a server on a socket in `tmp_path`, killed afterwards."""
    tmux = Tmux(session, tmp_path / "tmux.sock")
    yield tmux
    subprocess.run([*tmux.base, "kill-server"], capture_output=True, timeout=30)
