"""Pilot test of the scorecard section: the styrkort as shown, a chart on enter, editing a year."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from screens.dialogs import FormScreen
from screens.scorecard import ChartScreen, ScorecardScreen, sparkline
from tests.functional.tui_helpers import build_app, press, settle, stored


def test_sparkline_scales_and_leaves_gaps():
    assert sparkline([1.0, None, 8.0]) == "▁ █"
    assert sparkline([None, None]) == "" and sparkline([5.0, 5.0]) == "▄▄"


async def test_scorecard_shows_the_styrkort_charts_a_row_and_edits_through_the_service(ludvika_db):
    app = build_app(ludvika_db)
    async with app.run_test(size=(160, 40)) as pilot:
        await press(pilot, "i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScorecardScreen)
        table = screen.query_one("#sc-table", DataTable)
        assert "Styrkort 2017 Social välfärd" in str(screen.query_one("#sc-title", Static).render())
        assert [str(k.value) for k in table.rows][:2] == ["sv-skolsituation", "sv-barn-delaktiga"]
        row = table.get_row("sv-sjukfranvaro")
        assert [str(cell) for cell in row[3:8]] == ["7,05 %", "8,85 %", "9,1 %", "8,61 %*", "8,7 %* ✗"]
        assert "Medarbetarenkät genomfördes inte år 2015-2017." in str(screen.query_one("#sc-notes", Static).render())
        table.move_cursor(row=table.get_row_index("sv-gott-bemotande"))
        await press(pilot, "enter")
        assert isinstance(app.screen, ChartScreen)
        await press(pilot, "escape")
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-result", Input).value = "lots"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen)  # refused on its field, nothing saved
        assert "not a number" in str(form.query_one("#e-result", Static).render())
        form.query_one("#f-result", Input).value = "85"
        form.query_one("#f-note", Input).value = "Rättad siffra"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
    saved = stored(ludvika_db).scorecard.indicator("sv-gott-bemotande").value(2017)
    assert (saved.result, saved.target, saved.national, saved.note) == (85, 95, 84, "Rättad siffra")
