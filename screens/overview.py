"""The start screen: what needs doing now, across every body."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Label, Static

from screens import strings as S
from screens.base import SectionScreen, Table, fmt_date, fmt_time, short


class OverviewScreen(SectionScreen):
    """Next meetings, deadlines this week and overdue, overdue actions, minutes to approve, terms ending."""

    SECTION = "overview"
    BINDINGS = [
        Binding("r", "reload", "Refresh", id="overview.refresh", tooltip="Read everything again"),
    ]

    TABLES = (
        ("ov-next", S.OV_NEXT, (S.COL_WHEN, S.COL_BODY, S.COL_TITLE, S.COL_STATUS)),
        ("ov-deadlines", S.OV_DEADLINES, (S.COL_DUE, "", S.COL_WHAT, S.COL_BODY, S.COL_MEETING)),
        ("ov-actions", S.OV_ACTIONS, (S.COL_DUE, S.COL_BODY, S.COL_WHAT, S.COL_OWNER)),
        ("ov-minutes", S.OV_MINUTES, (S.COL_MEETING, S.COL_BODY, S.COL_MINUTES)),
        ("ov-terms", S.OV_TERMS, (S.COL_TO, S.COL_BODY, S.COL_HOLDER, S.COL_ROLE)),
    )

    def compose(self) -> ComposeResult:
        yield self.nav()
        with VerticalScroll(id="overview"):
            yield Static(S.OV_TODAY.format(date=self.today.isoformat()), id="ov-today", classes="hint")
            for ident, title, columns in self.TABLES:
                yield Label(title, classes="section-title")
                table = Table(id=ident, classes="overview-table")
                table.add_columns(*columns)
                yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for ident, _, columns in self.TABLES:
            table = self.query_one(f"#{ident}", DataTable)
            table.add_row(*([S.LOADING] + [""] * (len(columns) - 1)), key="-")
        # No scrolling to the focused table: the screen opens at its top ("Today is …"),
        # and a scroll animation would make the first frame depend on timing.
        self.query_one("#ov-next", DataTable).focus(scroll_visible=False)
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview", description="overview")
    def load(self) -> None:
        today = self.today
        sec = self.sec
        with self.secretary_app.data_lock:
            labels = {b.id: b.label for b in sec.bodies()}
            people = {p.id: p.name for p in sec.people()}
            orgs = {o.id: o.short_name or o.name for o in sec.organisations()}
            rows = {
                "ov-next": [
                    (m.id, (f"{fmt_date(m.start)} {fmt_time(m.start)}", labels.get(m.body, m.body), short(m.title or m.location, self.room(54)), S.MEETING_STATUS[m.status]))
                    for m in sec.upcoming_meetings(today, limit=8)
                ],
                "ov-deadlines": [
                    (
                        f"{d.meeting.id}|{d.kind}",
                        (fmt_date(d.due), S.OVERDUE if d.overdue(today) else S.DUE, S.DEADLINE_LABELS[d.kind], d.body.label, fmt_date(d.meeting.start)),
                    )
                    for d in sec.deadlines_due(today)
                ],
                "ov-terms": [
                    (
                        s.id,
                        (fmt_date(s.end), labels.get(s.body, s.body), people.get(s.person or "", "") or orgs.get(s.organisation or "", S.NONE), S.ROLES[s.role]),
                    )
                    for s in sec.memberships_ending(today)
                ],
            }
        # The quick answers first; open actions and minutes scan every year's meetings.
        self.app.call_from_thread(self._fill, rows)
        with self.secretary_app.data_lock:
            rows = {
                "ov-actions": [
                    (f"{a.meeting.id}|{a.item.id}|{a.action.id}", (fmt_date(a.action.due), labels.get(a.meeting.body, a.meeting.body), short(a.action.what, self.room(60, 20)), short(a.action.owner, 16)))
                    for a in sec.overdue_actions(today)
                ],
                "ov-minutes": [
                    (m.id, (fmt_date(m.start), labels.get(m.body, m.body), S.MINUTES_STATUS[m.minutes.status]))
                    for m in sec.minutes_awaiting_approval(today)
                ],
            }
        self.app.call_from_thread(self._fill, rows)

    def _fill(self, rows: dict[str, list[tuple[str, tuple]]]) -> None:
        for ident, data in rows.items():
            table = self.query_one(f"#{ident}", DataTable)
            keep = self.selected_key(table)
            table.clear()
            if not data:
                table.add_row(*([S.NOTHING_HERE] + [""] * (len(table.columns) - 1)), key="-")
                continue
            for key, cells in data:
                table.add_row(*cells, key=key)
            self.keep_cursor(table, keep)

    def action_open(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None:
            return
        key = self.selected_key(table)
        if not key or key == "-":
            return
        if table.id == "ov-terms":
            self.app.run_action("go('people')")
            return
        from screens.meeting import MeetingScreen  # deferred: the meeting screen imports the dialogs

        self.app.push_screen(MeetingScreen(key.split("|", 1)[0]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
