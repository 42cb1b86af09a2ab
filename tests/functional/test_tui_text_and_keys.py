"""What people type is shown as typed; the key line; the start screen says what it leaves out."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Label, Select, Static, Tree

from screens.dialogs import ErrorScreen, FormScreen
from screens.keybar import KeyBar
from screens.meeting import MeetingScreen
from screens.overview import OverviewScreen
from secretary.domain.errors import SecretaryError
from tests.functional.tui_helpers import build_app, press, settle, stored

SIZE = (120, 40)
PLANNED = "dassos-2027-01-14"
HELD = "dassos-2026-10-08"
TRICKY = "Budget [udkast] [/] [bold]2027"  # Rich/Textual markup would hide or choke on this


def cell_texts(table: DataTable) -> list[str]:
    return [str(cell) for row in table.rows for cell in table.get_row(row)]


async def test_brackets_typed_into_titles_and_names_are_shown_as_typed(demo_db):
    sec = stored(demo_db)
    sec.agenda.edit_meeting(PLANNED, title=TRICKY)
    sec.agenda.add_item(PLANNED, f"Punkt {TRICKY}")
    sec.registry.edit_body("dassos", abbreviation="DASSOS [/]")
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert TRICKY in cell_texts(app.screen.query_one("#ov-next", DataTable))
        await press(pilot, "m")
        year = app.screen.query_one("#mt-year", Input)
        year.value = "2027"
        await settle(pilot)
        assert any(TRICKY in text for text in cell_texts(app.screen.query_one("#meetings-table", DataTable)))
        await press(pilot, "b")
        labels = []
        nodes = [app.screen.query_one(Tree).root]
        while nodes:
            node = nodes.pop()
            labels.append(str(node.label))
            nodes.extend(node.children)
        assert "DASSOS [/]" in labels
        await press(pilot, "m", "n")  # the new-meeting form: the bodies in a Select, opened
        form = app.screen
        assert isinstance(form, FormScreen)
        select = form.query_one("#f-body", Select)
        select.focus()
        await press(pilot, "enter")
        assert any("DASSOS [/]" in str(prompt) for prompt, _value in select._options)
        await press(pilot, "escape", "escape")
        app.push_screen(MeetingScreen(PLANNED))
        await settle(pilot)
        assert any(f"Punkt {TRICKY}" in text for text in cell_texts(app.screen.query_one("#mg-items", DataTable)))
        assert not isinstance(app.screen, ErrorScreen)
    assert stored(demo_db).records.meeting(PLANNED).title == TRICKY


async def test_errors_quoting_typed_brackets_are_shown_whole(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "m", "n")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.show_error(SecretaryError(f"meeting 'x': field 'title': value {TRICKY!r}: too long"))
        await settle(pilot)
        assert TRICKY in str(form.query_one("#form-error", Static).render())
        await press(pilot, "escape")
        app.show_error(SecretaryError(f"no body with id {TRICKY!r}"))
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert TRICKY in str(app.screen.query_one("#error-message", Static).render())
        app.notify(f"Saved {TRICKY}")  # would raise MarkupError if read as markup
        await settle(pilot)


async def test_the_start_screen_names_how_many_rows_it_leaves_out(demo_db, monkeypatch):
    monkeypatch.setattr(OverviewScreen, "ROWS", 2)
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        upcoming = len(stored(demo_db).overview.upcoming_meetings(app.today, limit=8))
        assert upcoming > 2
        table = app.screen.query_one("#ov-next", DataTable)
        assert table.row_count == 2
        title = str(app.screen.query_one("#ov-next-title", Label).render())
        assert f"the first 2 of {upcoming}" in title and "m: Meetings" in title
        assert "the first" not in str(app.screen.query_one("#ov-minutes-title", Label).render())


async def test_the_key_line_follows_the_focus_and_a_click_presses_the_key(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        assert "Refresh" in bar.line().plain and "Commands" in bar.line().plain and "Open" in bar.line().plain
        await press(pilot, "a")
        bar = app.screen.query_one(KeyBar)
        table = app.screen.query_one("#ac-table", DataTable)
        first = str(table.coordinate_to_cell_key((0, 0)).row_key.value)
        line = bar.line()
        start, _end, _key = next(span for span in bar._spans if "Done" in line.plain[span[0] : span[1]])
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await settle(pilot)
        meeting_id, item_id, action_id = first.split("|")
        assert stored(demo_db).records.meeting(meeting_id).item(item_id).actions[0].done is True or any(
            a.id == action_id and a.done for a in stored(demo_db).records.meeting(meeting_id).item(item_id).actions
        )


async def test_the_headings_name_the_section_key_the_keymap_gives(demo_db, monkeypatch):
    from screens.app import make_app
    from tests.functional.tui_helpers import TODAY

    monkeypatch.setattr(OverviewScreen, "ROWS", 1)
    app = make_app(stored(demo_db), today=TODAY, keymap={"nav.meetings": "f5"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = str(app.screen.query_one("#ov-next-title", Label).render())
        assert "f5: Meetings" in title and "m: Meetings" not in title


async def test_open_is_offered_only_where_there_is_something_to_open(tmp_path):
    from tests.conftest import run_cli

    empty = tmp_path / "empty.json"
    assert run_cli("init", "--preset", "empty", "--db", str(empty)).returncode == 0
    app = build_app(empty)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = app.screen.query_one(KeyBar).line().plain
        assert "Refresh" in line and "Open" not in line
