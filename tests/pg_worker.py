"""A second (third, twentieth) process on one PostgreSQL database, for the concurrency tests.

    edit URL MEETING TITLE READY GO   read the meeting, say so in READY, wait for GO to exist,
                                      then save a new title based on what was read; print
                                      "saved" or "refused: <message>"
    tui-edit URL MEETING ITEM PRESENTER   a Pilot app: open the meeting, the item's form, type
                                          PRESENTER, save; print "saved" or the form's error
    set-title URL MEETING TITLE           save a new title (one commit); print "saved"
    roll-back URL MEETING TITLE           save a new title inside a transaction that then fails
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from secretary.cli.bootstrap import open_secretary
from secretary.domain.errors import StaleEdit


def edit(url: str, meeting_id: str, title: str, ready: str, go: str) -> None:
    sec = open_secretary(url)
    copy = sec.records.meeting(meeting_id)
    Path(ready).write_text("ready")
    deadline = time.monotonic() + 60
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go")
        time.sleep(0.005)
    try:
        sec.agenda.edit_meeting(meeting_id, based_on=copy, title=title)
        print("saved", flush=True)
    except StaleEdit as exc:
        print(f"refused: {exc}", flush=True)


async def tui_edit(url: str, meeting_id: str, item_id: str, presenter: str) -> None:
    from textual.widgets import Input, Static

    from screens.app import make_app
    from screens.dialogs import FormScreen
    from tests.functional.test_tui_flows import SIZE, open_meeting
    from tests.functional.tui_helpers import NOW, TODAY, press

    app = make_app(open_secretary(url, clock=lambda: NOW), today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        table = screen.query_one("#mg-items")
        table.move_cursor(row=table.get_row_index(item_id))
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-presenter", Input).value = presenter
        await press(pilot, "ctrl+s")
        if app.screen is form:
            print("form: " + str(form.query_one("#form-error", Static).render()), flush=True)
        else:
            print("saved", flush=True)


def set_title(url: str, meeting_id: str, title: str) -> None:
    open_secretary(url).agenda.edit_meeting(meeting_id, title=title)
    print("saved", flush=True)


def roll_back(url: str, meeting_id: str, title: str) -> None:
    sec = open_secretary(url)
    try:
        with sec.store.transaction():
            sec.agenda.edit_meeting(meeting_id, title=title)
            raise RuntimeError("changed my mind")
    except RuntimeError:
        print("rolled back", flush=True)


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "edit":
        edit(*rest)
    elif mode == "tui-edit":
        asyncio.run(tui_edit(*rest))
    elif mode == "set-title":
        set_title(*rest)
    elif mode == "roll-back":
        roll_back(*rest)
    else:
        raise SystemExit(f"unknown mode {mode}")
