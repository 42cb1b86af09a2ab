"""Open actions across every body: overdue first; mark done (u undoes)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from screens import strings as S
from screens.base import SectionScreen, Table, fmt_date, short
from screens.keybar import KeyBar


class ActionsScreen(SectionScreen):
    """Every open follow-up; overdue ones first and marked."""

    SECTION = "actions"
    BINDINGS = [
        Binding("x", "done", "Done", id="actions.done", tooltip="Mark the action done"),
        Binding("r", "reload", "Refresh", id="actions.refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield self.nav()
        yield Static("", id="ac-count", classes="hint")
        yield Table(id="ac-table")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#ac-table", DataTable)
        table.add_columns(S.COL_DUE, "", S.COL_BODY, S.COL_MEETING, S.COL_WHAT, S.COL_OWNER)
        table.focus()
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="actions", description="open actions")
    def load(self) -> None:
        today = self.today
        labels = {b.id: b.label for b in self.sec.records.bodies()}
        found = self.sec.overview.open_actions(today)
        rows = [
            (
                f"{a.meeting.id}|{a.item.id}|{a.action.id}",
                (
                    fmt_date(a.action.due),
                    S.OVERDUE if a.overdue(today) else "",
                    labels.get(a.meeting.body, a.meeting.body),
                    f"{fmt_date(a.meeting.start)} #{a.item.number}",
                    short(a.action.what, self.room(70, 14)),
                    short(a.action.owner, 12),
                ),
            )
            for a in found
        ]
        self.app.call_from_thread(self._fill, rows)

    def _fill(self, rows: list) -> None:
        table = self.query_one("#ac-table", DataTable)
        keep = self.selected_key(table)
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        self.keep_cursor(table, keep)
        self.query_one("#ac-count", Static).update(S.SR_COUNT.format(count=len(rows)) if rows else S.AC_EMPTY)

    def _current(self) -> tuple[str, str, str] | None:
        key = self.selected_key(self.query_one("#ac-table", DataTable))
        if not key:
            return None
        meeting_id, item_id, action_id = key.split("|")
        return meeting_id, item_id, action_id

    def action_done(self) -> None:
        current = self._current()
        if current is None:
            return
        meeting_id, item_id, action_id = current
        action = self.call(lambda: self.sec.agenda.complete_action(meeting_id, item_id, action_id, True))
        if action is not None:
            self.secretary_app.offer_undo(action.what, lambda: self.sec.agenda.complete_action(meeting_id, item_id, action_id, False))
            self.notify(S.AC_DONE.format(what=short(action.what, 40)), timeout=6)
            self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        current = self._current()
        if current:
            from screens.meeting import MeetingScreen

            self.app.push_screen(MeetingScreen(current[0], mode="minutes"))
