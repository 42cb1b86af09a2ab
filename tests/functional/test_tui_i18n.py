"""The TUI in Danish, Swedish and English, and found from anywhere: the palette's global commands
typed in each language from every screen, the key line at 80×24, the dirty-form question, undo of
an edit, the Actions filters."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable, Input, Select

from screens import strings as S
from screens.dialogs import ConfirmScreen, FormScreen
from secretary import i18n
from tests.functional.tui_helpers import build_app, press, settle, stored, type_text

SIZE = (80, 24)
SECTIONS = ("o", "b", "p", "m", "y", "a", "slash")


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


async def goto(pilot, key: str) -> None:
    await press(pilot, key)
    if key == "slash":  # out of the search box, so that the next letters are keys again
        await press(pilot, "escape")


async def palette(pilot, query: str) -> None:
    """ctrl+p, the query typed as a person types it, enter on the best hit."""
    await press(pilot, "ctrl+p")
    await type_text(pilot, query)
    for _ in range(20):  # the palette searches after a short pause; wait for its hits
        await asyncio.sleep(0.05)
        await pilot.pause()
        results = pilot.app.screen.query("CommandList")
        if results and results.first().option_count:
            break
    await press(pilot, "enter")


QUERIES = {
    # language: (go to meetings, new meeting, new meeting words in the other order)
    "en": ("go meetings", "new meeting", "meeting new"),
    "da": ("gå møder", "nyt møde", "møde nyt"),
    "sv": ("gå sammanträden", "nytt sammanträde", "sammanträde nytt"),
}


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
async def test_the_palette_reaches_global_commands_from_every_screen_in_each_language(demo_db, lang):
    i18n.set_language(lang)
    go_meetings, new_meeting, reversed_words = QUERIES[lang]
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for n, key in enumerate(SECTIONS):
            await goto(pilot, key)
            start = type(app.screen).__name__
            await palette(pilot, go_meetings)
            assert type(app.screen).__name__ == "MeetingsScreen", (lang, start)
            await goto(pilot, key)
            await palette(pilot, new_meeting if n % 2 == 0 else reversed_words)
            form = app.screen
            assert isinstance(form, FormScreen) and form.form_title == S.MT_NEW, (lang, start)
            assert app.focused is form.query_one("#f-body")  # it asks for the body first
            await press(pilot, "escape")
            assert type(app.screen).__name__ == start
        # Exports and search from anywhere, in the language's own words.
        export_words = {"en": "export member", "da": "eksportér medlemsliste", "sv": "exportera ledamot"}[lang]
        await palette(pilot, export_words)
        assert isinstance(app.screen, FormScreen) and app.screen.form_title == S.EX_MEMBERS_TITLE
        await press(pilot, "escape")
        await palette(pilot, "dassos")  # no command has that word: "search: dassos" is offered
        assert type(app.screen).__name__ == "SearchScreen"
        assert app.screen.query_one(Input).value == "dassos"


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
async def test_the_key_line_always_shows_help_and_quit_at_80_columns(demo_db, lang):
    i18n.set_language(lang)
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screens = []
        for key in SECTIONS:
            await goto(pilot, key)
            screens.append(app.screen)
        await press(pilot, "m")
        from screens.meeting import MeetingScreen

        app.push_screen(MeetingScreen("dassos-2026-10-08"))
        await settle(pilot)
        screens.append(app.screen)
        for mode in ("M", "t"):  # the minutes, then attendance
            await press(pilot, mode)
            screens.append(app.screen)
        for screen in screens:
            if screen is not app.screen:
                continue
        line = app.screen.query_one("#keys").line().plain
        assert f"? {S.HELP}" in line and f"q {S.QUIT}" in line and len(line) <= 80, line
        # And on every section's own screen, as it is drawn at 80 columns.
        for key in SECTIONS:
            await goto(pilot, key)
            line = app.screen.query_one("#keys").line().plain
            assert f"? {S.HELP}" in line and f"q {S.QUIT}" in line and len(line) <= 80, (key, line)


async def test_escape_on_a_changed_form_asks_before_discarding(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m", "n")
        form = app.screen
        await press(pilot, "escape")  # nothing typed: closes at once
        assert not isinstance(app.screen, FormScreen)
        await press(pilot, "n")
        form = app.screen
        form.query_one("#f-title", Input).focus()
        await type_text(pilot, "Budget")
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")  # no: back to the form, with what was typed
        assert app.screen is form and form.query_one("#f-title", Input).value == "Budget"
        await press(pilot, "escape", "y")
        assert type(app.screen).__name__ == "MeetingsScreen"


async def test_a_form_opens_with_its_first_field_and_label_in_view(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b", "e")  # the body form: the longest
        form = app.screen
        box = form.query_one("#form-fields")
        assert box.scroll_y == 0
        first_label = form.query(".field-label").first()
        assert first_label.region.y >= box.region.y and app.focused is form.query_one("#f-name")


async def test_an_edit_is_undone_with_u_through_the_same_service(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        body_id = app.screen.current
        before = stored(demo_db).records.body(body_id)
        await press(pilot, "e")
        name = app.screen.query_one("#f-name", Input)
        name.value = before.name + " (ændret)"
        await press(pilot, "ctrl+s")
        assert stored(demo_db).records.body(body_id).name == before.name + " (ændret)"
        await press(pilot, "u")
        assert stored(demo_db).records.body(body_id) == before
        # An item's edit on the meeting screen, the same way.
        from screens.meeting import MeetingScreen

        await press(pilot, "m")
        app.push_screen(MeetingScreen("dassos-2027-03-04") if stored(demo_db).store.meetings.get("dassos-2027-03-04") else MeetingScreen(
            next(r.id for r in stored(demo_db).overview.meeting_rows(body="dassos") if r.minutes_status != "approved")
        ))
        await settle(pilot)
        meeting_id = app.screen.meeting_id
        was = stored(demo_db).records.meeting(meeting_id)
        await press(pilot, "down", "e")
        app.screen.query_one("#f-title", Input).value = "Nyt navn på punktet"
        await press(pilot, "ctrl+s")
        assert any(i.title == "Nyt navn på punktet" for i in stored(demo_db).records.meeting(meeting_id).items)
        await press(pilot, "u")
        assert [i.title for i in stored(demo_db).records.meeting(meeting_id).items] == [i.title for i in was.items]


async def test_actions_filter_by_state_body_and_owner(demo_db):
    app = build_app(demo_db)
    sec = stored(demo_db)
    today = app.today
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        screen = app.screen
        table = screen.query_one("#ac-table", DataTable)
        every = sec.overview.open_actions(today)
        assert table.row_count == len(every) > 0
        screen.query_one("#ac-state", Select).value = "overdue"
        await settle(pilot)
        overdue = [a for a in every if a.overdue(today)]
        assert table.row_count == len(overdue) and 0 < len(overdue) < len(every)
        body = every[0].meeting.body
        screen.query_one("#ac-state", Select).value = "open"
        screen.query_one("#ac-body", Select).value = body
        await settle(pilot)
        assert table.row_count == len([a for a in every if a.meeting.body == body])
        owner = every[0].action.owner
        screen.query_one("#ac-owner", Input).value = owner[:4].lower()
        await settle(pilot)
        expected = [a for a in every if a.meeting.body == body and owner[:4].lower() in a.action.owner.lower()]
        assert table.row_count == len(expected) > 0
        # Mark one done: it leaves the open list and is on the done list.
        table.focus()
        await press(pilot, "x")
        assert table.row_count == len(expected) - 1
        screen.query_one("#ac-state", Select).value = "done"
        await settle(pilot)
        assert table.row_count >= 1
        done = sec.overview.actions(today, body=body, owner=owner[:4], state="done")
        assert table.row_count == len(done)
