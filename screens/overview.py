"""The start screen: what needs doing now, across every body."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from screens import strings as S
from screens.base import SectionScreen, Table, fmt_date, fmt_time, short
from screens.keybar import KeyBar
from secretary.domain.cases import change_text
from secretary.domain.deadlines import closing_step
from secretary.i18n import N_, format_long_date
from secretary.i18n import gettext as tr


class OverviewScreen(SectionScreen):
    """Next meetings, deadlines this week and overdue, overdue actions, minutes to approve, terms ending."""

    SECTION = "overview"
    AUTO_FOCUS = ""  # on_mount focuses the first table, without scrolling
    BINDINGS = [
        Binding("r", "reload", N_("Refresh"), id="overview.refresh", tooltip=N_("Read everything again")),
    ]

    # A start screen answers "what needs me now": the first rows of each list, most urgent
    # first, and how many more there are (twenty years can hold hundreds of open actions).
    ROWS = 6

    @staticmethod
    def tables() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """(id, title, columns) of each list, in the language of the moment."""
        return (
            ("ov-next", S.OV_NEXT, (S.COL_WHEN, S.COL_BODY, S.COL_TITLE, S.COL_STATUS)),
            ("ov-deadlines", S.OV_DEADLINES, (S.COL_DUE, "", S.COL_WHAT, S.COL_BODY, S.COL_MEETING, S.COL_STEP)),
            ("ov-actions", S.OV_ACTIONS, (S.COL_DUE, S.COL_BODY, S.COL_WHAT, S.COL_OWNER)),
            ("ov-minutes", S.OV_MINUTES, (S.COL_MEETING, S.COL_BODY, S.COL_MINUTES)),
            ("ov-terms", S.OV_TERMS, (S.COL_TO, S.COL_BODY, S.COL_HOLDER, S.COL_ROLE)),
            ("ov-hearings", S.OV_HEARINGS, (S.COL_DUE, S.COL_OFFER, S.COL_OPERATOR, S.COL_CHANGE)),
            ("ov-cases", S.OV_CASES, (S.COL_STATUS, S.COL_OFFER, S.COL_OPERATOR, S.COL_CHANGE)),
        )

    def compose(self) -> ComposeResult:
        yield self.nav()
        # The page scrolls with the keys of the focused table; the container itself never
        # takes focus (focus moving through it restyled every table on the first frame).
        with VerticalScroll(id="overview", can_focus=False):
            yield Static(S.OV_TODAY.format(date=format_long_date(self.today)), id="ov-today", classes="hint")
            for ident, title, columns in self.tables():
                yield Label(title, id=f"{ident}-title", classes="section-title")
                table = Table(id=ident, classes="overview-table")
                table.add_columns(*columns)
                yield table
        yield KeyBar()

    def on_mount(self) -> None:
        # No scrolling to the focused table: the screen opens at its top ("Today is …"),
        # and a scroll animation would make the first frame depend on timing.
        self.query_one("#ov-next", DataTable).focus(scroll_visible=False)
        # The first frame is drawn with its answers, on the UI thread: they come from the
        # meeting index and the registry (tens of milliseconds for twenty years), while
        # "Loading…" first and the answers after cost a second layout of every table.
        # Later reloads run in a worker.
        try:
            rows = self.collect()
        except Exception as error:  # noqa: BLE001 - shown as a dialog, as a worker's would be
            self.report(error)
            return
        self._fill(rows)

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview", description="overview")
    def load(self) -> None:
        rows = self.collect()
        self.app.call_from_thread(self._fill, rows)

    def collect(self) -> dict[str, tuple[list[tuple[str, tuple]], int]]:
        """Each table's first rows as (key, cells), most urgent first, and how many there are."""
        with self.sec.store.reading():  # one commit's state for all five lists
            return self._collect()

    def _collect(self) -> dict[str, tuple[list[tuple[str, tuple]], int]]:
        today = self.today
        sec = self.sec
        labels = {b.id: b.label for b in sec.records.bodies()}
        first = self.ROWS
        upcoming = sec.overview.upcoming_meetings(today, limit=8)
        due = sec.overview.deadlines_due(today)
        overdue, overdue_count = sec.overview.overdue_actions_first(today, self.ROWS)
        minutes = sec.overview.minutes_awaiting_approval(today)
        ending, ending_count = sec.overview.memberships_ending_first(today, first)
        hearings, waiting = sec.cases.hearings_closing(today), sec.cases.waiting(today)
        orgs = {o.id: o.short_name or o.name for o in sec.records.organisations()}
        return {
            "ov-next": (
                [
                    (
                        m.id,
                        (
                            f"{fmt_date(m.start)} {fmt_time(m.start)}", labels.get(m.body, m.body),
                            short(m.title or m.location, self.room(54)), S.MEETING_STATUS[m.status],
                        ),
                    )
                    for m in upcoming[:first]
                ],
                len(upcoming),
            ),
            "ov-deadlines": (
                [
                    (
                        f"{d.meeting.id}|{d.kind}",
                        (
                            fmt_date(d.due), S.OVERDUE if d.overdue(today) else S.DUE, S.DEADLINE_LABELS[d.kind], d.body.label,
                            fmt_date(d.meeting.start), self._step_key(d),
                        ),
                    )
                    for d in due[:first]
                ],
                len(due),
            ),
            "ov-actions": (
                [
                    (
                        f"{a.meeting.id}|{a.item.id}|{a.action.id}",
                        (
                            fmt_date(a.action.due), labels.get(a.meeting.body, a.meeting.body), short(a.action.what, self.room(60, 20)),
                            short(a.action.owner, 16),
                        ),
                    )
                    for a in overdue
                ],
                overdue_count,
            ),
            "ov-minutes": (
                [(m.id, (fmt_date(m.start), labels.get(m.body, m.body), S.MINUTES_STATUS[m.minutes_status])) for m in minutes[:first]],
                len(minutes),
            ),
            "ov-terms": (
                [
                    (s.id, (fmt_date(s.end), labels.get(s.body, s.body), sec.records.holder_name(s) or S.NONE, S.ROLES[s.role]))
                    for s in ending[:first]
                ],
                ending_count,
            ),
            "ov-hearings": (
                [(c.id, (fmt_date(c.hearing_deadline), short(c.offer, 30), orgs.get(c.operator, c.operator), change_text(c)))
                 for c in hearings[:first]],
                len(hearings),
            ),
            "ov-cases": (
                [(c.id, (S.CS_WAITING[why], short(c.offer, 30), orgs.get(c.operator, c.operator), change_text(c)))
                 for c, why in waiting[:first]],
                len(waiting),
            ),
        }

    def _fill(self, rows: dict[str, tuple[list[tuple[str, tuple]], int]]) -> None:
        titles = {ident: title for ident, title, _ in self.tables()}
        for ident, (data, total) in rows.items():
            title = titles[ident]
            if total > len(data):  # in the title, not as a row: a row would widen the first column
                title += S.OV_MORE.format(shown=len(data), count=total, where=self._section_key(S.OV_MORE_WHERE[ident]))
            self.query_one(f"#{ident}-title", Label).update(title)
            table = self.query_one(f"#{ident}", DataTable)
            keep = self.selected_key(table)
            table.clear()
            if not data:
                table.add_row(*([S.NOTHING_HERE] + [""] * (len(table.columns) - 1)), key=Table.PLACEHOLDER)
                continue
            for key, cells in data:
                table.add_row(*cells, key=key)
            self.keep_cursor(table, keep)

    @staticmethod
    def _step_key(line) -> str:
        """The key on the meeting screen (enter opens it) that does the step closing the deadline."""
        key, name = S.STEP_KEYS.get(closing_step(line), ("", ""))
        return f"{key} {name.split(' ')[0]}".strip()  # "S send": fits the column at 80 columns

    def _section_key(self, binding_id: str) -> str:
        """A section's key and name ("a: Actions"), with the key the user's keymap gives it."""
        binding = self.secretary_app.app_bindings()[binding_id]
        return f"{self.app.get_key_display(binding)}: {tr(binding.description)}"

    async def action_open(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None:
            return
        key = self.selected_key(table)
        if not key or key == Table.PLACEHOLDER:
            return
        if table.id in ("ov-hearings", "ov-cases"):
            from screens.cases import CaseScreen

            self.app.push_screen(CaseScreen(key))
            return
        if table.id == "ov-terms":
            await self.app.run_action("go('people')")  # a coroutine: not awaited, it never ran
            return
        from screens.meeting import MeetingScreen  # deferred: the meeting screen imports the dialogs

        self.app.push_screen(MeetingScreen(key.split("|", 1)[0]))

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        await self.action_open()
