"""Open actions across every body: overdue first; mark done (u undoes)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from screens import strings as S
from screens.base import SectionScreen, Table, fmt_date, short
from screens.forms import body_options
from screens.keybar import KeyBar
from secretary.i18n import N_


class ActionsScreen(SectionScreen):
    """Every open follow-up; overdue ones first and marked."""

    SECTION = "actions"
    BINDINGS = [
        Binding("x", "done", N_("Done"), id="actions.done", tooltip=N_("Mark the action done (on the done list: open it again)")),
        Binding("f", "filter", N_("Filter"), id="actions.filter", tooltip=N_("Body, owner, overdue or done")),
        Binding("r", "reload", N_("Refresh"), id="actions.refresh"),
        Binding(
            "escape", "to_list", N_("To the list"), id="actions.to_list", show=False, tooltip=N_("Out of the filter, back to the list")
        ),
    ]

    def compose(self) -> ComposeResult:
        yield self.nav()
        with Horizontal(id="actions-filter", classes="filter-bar"):
            states = [(S.AC_STATES[k], k) for k in ("open", "overdue", "done")]
            yield Select(states, value="open", allow_blank=False, id="ac-state", compact=True)
            yield Select([], prompt=S.MT_FILTER_BODY, id="ac-body", compact=True)
            yield Input("", placeholder=S.AC_FILTER_OWNER, id="ac-owner", compact=True)
        yield Static("", id="ac-count", classes="hint")
        yield Table(id="ac-table")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#ac-table", DataTable)
        table.add_columns(S.COL_DUE, "", S.COL_BODY, S.COL_MEETING, S.COL_WHAT, S.COL_OWNER)
        self.query_one("#ac-body", Select).set_options(body_options(self.secretary_app, include_retired=True))
        table.focus()
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def filters(self) -> tuple[str, str | None, str]:
        """(state: open | overdue | done, body id or None, owner text)."""
        state = self.query_one("#ac-state", Select).value
        body = self.query_one("#ac-body", Select).value
        return (
            "open" if state is Select.NULL else str(state),
            None if body is Select.NULL else str(body),
            self.query_one("#ac-owner", Input).value.strip(),
        )

    @on(Select.Changed)
    @on(Input.Changed, "#ac-owner")
    def _filter_changed(self) -> None:
        self.reload()

    def action_filter(self) -> None:
        self.query_one("#ac-state", Select).focus()

    def action_to_list(self) -> None:
        self.query_one("#ac-table", DataTable).focus()

    def reload(self) -> None:
        self.load(*self.filters())

    @work(thread=True, exclusive=True, exit_on_error=False, group="actions", description="open actions")
    def load(self, state: str = "open", body: str | None = None, owner: str = "") -> None:
        today = self.today
        labels = {b.id: b.label for b in self.sec.records.bodies()}
        found = self.sec.overview.actions(today, body=body, owner=owner, state=state)
        rows = [
            (
                f"{a.meeting.id}|{a.item.id}|{a.action.id}",
                (
                    fmt_date(a.action.due),
                    S.OVERDUE if a.overdue(today) else (S.DONE_MARK if a.action.done else ""),
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
        self.query_one("#ac-count", Static).update(S.SR_COUNT.format(count=len(rows)) + " · " + S.AC_HINT if rows else S.AC_EMPTY)

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
        done = self.filters()[0] != "done"  # on the done list, x opens the action again
        action = self.call(lambda: self.sec.agenda.complete_action(meeting_id, item_id, action_id, done))
        if action is not None:
            self.secretary_app.offer_undo(action.what, lambda: self.sec.agenda.complete_action(meeting_id, item_id, action_id, not done))
            message = S.AC_DONE if done else S.AC_REOPENED
            self.notify(message.format(what=short(action.what, 40)), timeout=6)
            self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        current = self._current()
        if current:
            from screens.meeting import MeetingScreen

            self.app.push_screen(MeetingScreen(current[0], mode="minutes"))
