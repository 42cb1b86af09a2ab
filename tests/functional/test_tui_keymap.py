"""A user's keymap in the TUI: remapped keys work, the old ones do not, and every key line names the new key."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from screens.app import binding_ids, make_app
from screens.dialogs import HelpScreen
from screens.keybar import KeyBar
from screens.meeting import MeetingScreen
from screens.meetings import MeetingsScreen
from screens.overview import OverviewScreen
from screens.search import SearchScreen
from secretary.cli.bootstrap import open_secretary
from secretary.cli.keymap import load_keymap
from tests.functional.tui_helpers import NOW, TODAY, press, settle

SIZE = (120, 40)
REMAP = {"nav.meetings": "f5", "app.quit": "f10"}


def build(db, keymap):
    return make_app(open_secretary(db, clock=lambda: NOW), today=TODAY, keymap=keymap)


def nav_text(app) -> str:
    return app.screen.query_one("#nav").render().plain


def help_rows(app) -> list[tuple[str, str]]:
    assert isinstance(app.screen, HelpScreen)
    return [(str(key), str(does)) for key, does, _where in app.screen.rows]


async def test_a_remapped_section_key_opens_the_section_and_the_old_key_does_not(demo_db):
    app = build(demo_db, REMAP)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        assert isinstance(app.screen, OverviewScreen)
        await press(pilot, "f5")
        assert isinstance(app.screen, MeetingsScreen)
        assert " f5 Meetings" in nav_text(app)
        assert " m Meetings" not in nav_text(app)


async def test_the_nav_line_help_and_key_bar_name_the_new_keys(demo_db):
    app = build(demo_db, REMAP)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = nav_text(app)
        assert "f5 Meetings" in line and " o Overview" in line and " / Search" in line
        bar = app.screen.query_one(KeyBar).line().plain
        assert "f10 Quit" in bar and " q Quit" not in bar
        await press(pilot, "question_mark")
        rows = help_rows(app)
        assert ("f5", "Meetings") in rows and ("f10", "Quit") in rows
        assert ("m", "Meetings") not in rows and ("q", "Quit") not in rows
        await press(pilot, "escape")
        await press(pilot, "q")
        assert app.is_running  # q no longer quits
        await press(pilot, "f10")
        assert not app.is_running


async def test_the_nav_line_names_the_new_key_while_the_search_box_has_the_letters(demo_db):
    app = build(demo_db, {"nav.search": "f7,slash", "nav.overview": "f2"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f7")
        assert isinstance(app.screen, SearchScreen)
        assert isinstance(app.focused, Input)
        line = nav_text(app)
        assert " f7 Search" in line and " f2 Overview" in line
        await press(pilot, "escape", "question_mark")
        assert ("f7 /", "Search") in help_rows(app)  # both keys of a remapped binding


async def test_remapping_one_of_two_bindings_on_one_key_keeps_the_other(demo_db):
    # The meeting screen's `M` is two bindings (to the minutes, back to the agenda): remapping
    # one must not leave the other without a key.
    app = build(demo_db, {"agenda.minutes": "f6"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        app.screen.query_one("#mt-year", Input).value = "2026"
        await settle(pilot)
        table = app.screen.query_one("#meetings-table", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("fu-2026-12-02"))
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await press(pilot, "M")
        assert screen.mode == "agenda"  # M no longer goes to the minutes
        await press(pilot, "f6")
        assert screen.mode == "minutes"
        await press(pilot, "M")
        assert screen.mode == "agenda"


async def test_a_keymap_file_through_the_known_ids(demo_db, tmp_path):
    path = tmp_path / "keys.toml"
    path.write_text('"nav.meetings" = "f5"\n[app]\nquit = "f10"\n', encoding="utf-8")
    keymap = load_keymap(path, [row[0] for row in binding_ids()])
    assert keymap == REMAP
    app = build(demo_db, keymap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f5")
        assert isinstance(app.screen, MeetingsScreen)


def test_every_binding_of_the_screens_is_known():
    ids = [row[0] for row in binding_ids()]
    assert len(ids) == len(set(ids))
    for expected in ("nav.meetings", "app.quit", "table.open", "agenda.move_up", "attendance.add", "form.save",
                     "help.close", "year.plan", "plan.store", "feed.issue", "export_dialog.agenda", "search.toggle"):
        assert expected in ids
    defaults = {row[0]: row[1] for row in binding_ids()}
    assert defaults["nav.search"] == "slash" and defaults["agenda.move_up"] == "shift+up"


async def test_the_readme_example_moves_agenda_items_without_shift(demo_db):
    import re
    from pathlib import Path

    from tests.functional.tui_helpers import stored

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"### Keys.*?```toml\n(.*?)```", readme, re.S).group(1)
    path = Path(demo_db).parent / "keys.toml"
    path.write_text(example, encoding="utf-8")
    keymap = load_keymap(path, [row[0] for row in binding_ids()])
    assert keymap["agenda.move_up"] == "ctrl+up,K"
    planned = "dassos-2027-01-14"
    before = [i.id for i in stored(demo_db).records.meeting(planned).items]
    app = build(demo_db, keymap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MeetingScreen(planned))
        await settle(pilot)
        table = app.screen.query_one("#mg-items", DataTable)
        table.focus()
        table.move_cursor(row=2)
        await press(pilot, "shift+up")  # no longer bound
        assert [i.id for i in stored(demo_db).records.meeting(planned).items] == before
        await press(pilot, "K")
        await press(pilot, "question_mark")
        assert ("^↑ K", "Move up") in help_rows(app)
    after = [i.id for i in stored(demo_db).records.meeting(planned).items]
    assert after[1] == before[2] and after[2] == before[1]
