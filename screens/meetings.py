"""All meetings: filter by body, year and status; create, move, cancel, delete."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from screens import strings as S
from screens.base import SectionScreen, Table, fmt_date, fmt_time, short
from screens.dialogs import ConfirmScreen
from screens.forms import body_options, cancel_form, move_meeting_form, new_meeting_form
from screens.keybar import KeyBar
from secretary.i18n import N_

PAGE = 300  # rows drawn at once; a narrower filter shows the rest


class MeetingsScreen(SectionScreen):
    """The meetings list. Cancelled meetings stay visible, marked CANCELLED."""

    SECTION = "meetings"
    # The list has the focus from the first frame: enter right after "m" opens a meeting (in tmux
    # it sometimes reached the body filter, which Textual's default auto-focus had chosen).
    AUTO_FOCUS = "#meetings-table"
    BINDINGS = [
        Binding("n", "new", N_("New"), id="meetings.new", tooltip=N_("Schedule a meeting")),
        Binding("v", "move", N_("Move"), id="meetings.move", tooltip=N_("Give the meeting a new date or time")),
        Binding("x", "cancel_meeting", N_("Cancel mtg"), id="meetings.cancel", tooltip=N_("Cancel (it stays, marked cancelled)")),
        Binding("d", "delete", N_("Delete"), id="meetings.delete", tooltip=N_("Delete the meeting (u undoes)")),
        Binding("f", "filter", N_("Filter"), id="meetings.filter", tooltip=N_("Go to the filter fields")),
        Binding(
            "escape", "to_list", N_("To the list"), id="meetings.to_list", show=False, tooltip=N_("Out of the filter, back to the list")
        ),
    ]

    def compose(self) -> ComposeResult:
        yield self.nav()
        with Horizontal(id="meetings-filter", classes="filter-bar"):
            when = [(S.MT_WHEN[k], k) for k in ("coming", "past", "all")]
            yield Select(when, value="coming", allow_blank=False, id="mt-when", compact=True)
            yield Select([], prompt=S.MT_FILTER_BODY, id="mt-body", compact=True)
            yield Input("", placeholder=S.MT_FILTER_YEAR, id="mt-year", type="integer", max_length=4, compact=True)
            yield Select([(S.MEETING_STATUS[k], k) for k in S.MEETING_STATUS], prompt=S.MT_FILTER_STATUS, id="mt-status", compact=True)
        yield Table(id="meetings-table")
        yield Static("", id="meetings-more", classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#meetings-table", DataTable)
        table.add_column(S.COL_DATE, key="date")
        table.add_column(S.COL_TIME, key="time")
        table.add_column(S.COL_BODY, key="body")
        table.add_column(S.COL_STATUS, key="status")
        table.add_column(S.COL_MINUTES, key="minutes")
        table.add_column(S.COL_TITLE, key="title")
        self.query_one("#mt-body", Select).set_options(body_options(self.secretary_app, include_retired=True))
        table.focus()
        self.reload()

    def filters(self) -> tuple[str | None, int | None, str | None]:
        """Body, year and status as chosen (the "coming / past / all" choice: `when`)."""
        body = self.query_one("#mt-body", Select).value
        status = self.query_one("#mt-status", Select).value
        year_text = self.query_one("#mt-year", Input).value.strip()
        year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
        return (
            None if body is Select.NULL else str(body),
            year,
            None if status is Select.NULL else str(status),
        )

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.reload()

    @on(Input.Changed, "#mt-year")
    def _year_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        when = self.query_one("#mt-when", Select)
        if len(text) == 4 and text.isdigit() and when.value != "all":
            when.value = "all"  # a year typed is the whole year, past and coming (reloads on its change)
            return
        self.reload()

    def when(self) -> str:
        """ "coming" (the list opens on them, whatever the year), "past" (latest first) or "all"."""
        value = self.query_one("#mt-when", Select).value
        return str(value) if value is not Select.NULL else "coming"

    def reload(self) -> None:
        self.load(*self.filters(), self.when())

    @work(thread=True, exclusive=True, exit_on_error=False, group="meetings", description="meetings list")
    def load(self, body: str | None, year: int | None, status: str | None, when: str = "coming") -> None:
        labels = {b.id: b.label for b in self.sec.records.bodies()}
        rows = self.sec.overview.meeting_rows(body=body, year=year, status=status)
        today = self.today
        if when == "coming":
            rows = [r for r in rows if r.start.date() >= today]
        elif when == "past":
            rows = [r for r in reversed(rows) if r.start.date() < today]
        shown = rows[:PAGE]
        details = {m.id: m for m in (self.sec.records.meeting(r.id) for r in shown)}
        cells = []
        width = self.room(62)
        for row in shown:
            meeting = details[row.id]
            cells.append(
                (
                    row.id,
                    (
                        fmt_date(meeting.start),
                        fmt_time(meeting.start),
                        labels.get(row.body, row.body),
                        S.MEETING_STATUS[meeting.status],
                        S.MINUTES_STATUS[meeting.minutes.status],
                        short(meeting.title or meeting.location, width),
                    ),
                )
            )
        self.app.call_from_thread(self._fill, cells, len(rows))

    def _fill(self, cells: list, total: int) -> None:
        table = self.query_one("#meetings-table", DataTable)
        keep = self.selected_key(table)
        table.clear()
        for key, row in cells:
            table.add_row(*row, key=key)
        self.keep_cursor(table, keep)
        more = S.MORE_ROWS.format(shown=len(cells), total=total) if total > len(cells) else S.SR_COUNT.format(count=total)
        more += " · " + S.MT_HINT
        self.query_one("#meetings-more", Static).update(more)

    def current(self) -> str | None:
        return self.selected_key(self.query_one("#meetings-table", DataTable))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "move", "cancel_meeting", "delete") and self.is_mounted:
            try:
                return True if self.current() else None
            except Exception:  # noqa: BLE001 - before the table exists
                return None
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    # -- actions ---------------------------------------------------------------------

    def action_to_list(self) -> None:
        self.query_one("#meetings-table", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#mt-when", Select).focus()

    def action_new(self) -> None:
        body, _, _ = self.filters()

        def done(meeting) -> None:
            if meeting is not None:
                self.notify(S.SAVED)
                self.reload()
                from screens.meeting import MeetingScreen

                self.app.push_screen(MeetingScreen(meeting.id))

        self.app.push_screen(new_meeting_form(self.secretary_app, body), done)

    def action_open(self) -> None:
        key = self.current()
        if key:
            from screens.meeting import MeetingScreen  # deferred: heavy screen, opened on demand

            self.app.push_screen(MeetingScreen(key))

    def action_move(self) -> None:
        key = self.current()
        meeting = self.call(lambda: self.sec.records.meeting(key)) if key else None
        if meeting is not None:

            def done(result) -> None:
                warnings = self.sec.agenda.schedule_warnings(meeting.id) if result is not None else []
                if warnings:
                    self.notify(S.MT_WARNING.format(warnings="; ".join(warnings)), severity="warning", timeout=12)
                self.reload()

            self.app.push_screen(move_meeting_form(self.secretary_app, meeting), done)

    def action_cancel_meeting(self) -> None:
        key = self.current()
        if not key:
            return

        def done(result) -> None:
            if result is not None:
                self.notify(S.MT_CANCELLED.format(what=key))
            self.reload()

        self.app.push_screen(cancel_form(self.secretary_app, key), done)

    def action_delete(self) -> None:
        key = self.current()
        if not key:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            deleted = self.call(lambda: self.sec.agenda.delete_meeting(key))
            if deleted is not None:
                self.secretary_app.offer_undo(key, lambda: self.sec.undo_delete(deleted))
                self.notify(S.DELETED_UNDO.format(what=key), timeout=8)
                self.reload()

        self.app.push_screen(ConfirmScreen(S.CONFIRM_DELETE.format(what=key)), answer)
