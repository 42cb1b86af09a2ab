"""Snapshots of the main screens at 80×24 and 120×40, on the demo with the date frozen.

Update after an intended change of the look: pytest tests/functional/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tests.functional.tui_helpers import build_app, settle

SIZES = [(80, 24), (120, 40)]


async def freeze(pilot) -> None:
    """No blinking cursor in a snapshot: the frame must not depend on when it is taken."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # the widgets' own watchers then show the cursor steadily
    await settle(pilot)


def keys(*pressed: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        await freeze(pilot)

    return run_before


def meeting(meeting_id: str, *then: str):
    """Open a meeting as the meetings list does, then press keys."""

    async def run_before(pilot) -> None:
        from screens.meeting import MeetingScreen

        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        pilot.app.push_screen(MeetingScreen(meeting_id))
        await settle(pilot)
        for key in then:
            await pilot.press(key)
            await settle(pilot)
        await freeze(pilot)

    return run_before


def body_page(body_id: str):
    """The bodies section with one body's page shown (its cadence, feed addresses, members)."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        pilot.app.screen.select_body(body_id)
        await settle(pilot)
        await freeze(pilot)

    return run_before


SCREENS = {
    "overview": keys(),
    "bodies": keys("b", "down", "down", "down", "down"),
    "people": keys("p"),
    "memberships": keys("p", "2"),
    "meetings": keys("m"),
    "actions": keys("a"),
    "search": keys("slash", "k", "a", "p", "a", "c"),
    "meeting_agenda": meeting("dassos-2026-10-08"),
    "meeting_minutes": meeting("dassos-2026-10-08", "M", "down", "down"),
    "attendance": meeting("dassos-2026-10-08", "t"),
    "item_form": meeting("dassos-2026-10-08", "down", "down", "e"),
    "help": meeting("dassos-2026-10-08", "question_mark"),
    "export_dialog": meeting("dassos-2026-10-08", "E"),
    "body_feed": body_page("dassos"),
    "person_feed": keys("p", "c"),
    "year": keys("y"),
    "year_plan": keys("y", "right", "P"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(name, size, demo_db, snap_compare):
    assert snap_compare(build_app(demo_db), terminal_size=size, run_before=SCREENS[name])


# The main screens in Danish and Swedish at 80×24 (English: the cases above).
MAIN = (
    "overview",
    "bodies",
    "people",
    "meetings",
    "actions",
    "meeting_agenda",
    "meeting_minutes",
    "attendance",
    "item_form",
    "help",
    "year",
)


@pytest.mark.parametrize("lang", ["da", "sv"])
@pytest.mark.parametrize("name", MAIN)
def test_screen_in_language(name, lang, demo_db, snap_compare):
    from secretary import i18n

    i18n.set_language(lang)
    try:
        assert snap_compare(build_app(demo_db), terminal_size=(80, 24), run_before=SCREENS[name])
    finally:
        i18n.set_language("en")
