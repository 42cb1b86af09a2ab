"""Shared by the TUI tests: a frozen clock, an app on a copy of the demo, and waiting for workers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from screens.app import SecretaryApp, make_app
from secretary.cli.bootstrap import open_secretary
from secretary.services.facade import Secretary

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def build_app(db: Path) -> SecretaryApp:
    return make_app(open_secretary(db, clock=lambda: NOW), today=TODAY)


def stored(db: Path) -> Secretary:
    """A fresh service on the same files: what was really saved."""
    return open_secretary(db, clock=lambda: NOW)


async def settle(pilot) -> None:
    """Let screens mount, workers finish and their results be drawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
    await settle(pilot)
