"""One box that finds bodies, people, meetings, items and decisions as you type."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from screens import strings as S
from screens.base import SectionScreen, Table, short
from screens.keybar import KeyBar


class SearchScreen(SectionScreen):
    """Results follow the typing; enter opens the meeting, body or person found."""

    SECTION = "search"
    BINDINGS = [
        Binding("escape", "toggle_focus", "Box/results", id="search.toggle", tooltip="Between the search box and the results"),
    ]

    def compose(self) -> ComposeResult:
        yield self.nav()
        yield Input(placeholder=S.SR_PLACEHOLDER, id="sr-input")
        yield Static(S.SR_HINT, id="sr-count", classes="hint")
        yield Table(id="sr-table")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#sr-table", DataTable)
        table.add_columns(S.COL_KIND, S.COL_FOUND, S.COL_TEXT)
        self.query_one("#sr-input", Input).focus()

    def on_screen_resume(self) -> None:
        """Nothing to reload; focus stays where it was (after help, the results keep it)."""

    def focus_box(self) -> None:
        self.query_one("#sr-input", Input).focus()

    @on(Input.Changed, "#sr-input")
    def _typed(self, event: Input.Changed) -> None:
        self.find(event.value)

    @on(Input.Submitted, "#sr-input")
    def _to_results(self) -> None:
        table = self.query_one("#sr-table", DataTable)
        if table.row_count:
            table.focus()

    def on_key(self, event) -> None:
        if event.key == "down" and self.focused is self.query_one("#sr-input", Input):
            self._to_results()
            event.stop()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search", description="search")
    def find(self, text: str) -> None:
        if not text.strip():
            self.app.call_from_thread(self._fill, [], "")
            return
        hits = self.sec.search.query(text)
        self.app.call_from_thread(self._fill, hits, text)

    def _fill(self, hits: list, text: str) -> None:
        table = self.query_one("#sr-table", DataTable)
        table.clear()
        self.hits = {}
        for n, hit in enumerate(hits):
            key = f"{n}"
            self.hits[key] = hit
            table.add_row(S.SR_KINDS.get(hit.kind, hit.kind), short(hit.title, 30), short(hit.snippet, self.room(50, 16)), key=key)
        self.query_one("#sr-count", Static).update(f"{S.SR_COUNT.format(count=len(hits))} · {S.SR_HINT}" if text else S.SR_HINT)

    def action_toggle_focus(self) -> None:
        box = self.query_one("#sr-input", Input)
        if self.focused is box:
            self.query_one("#sr-table", DataTable).focus()  # out of the box: the section keys work again
        else:
            box.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        hit = self.hits.get(event.row_key.value or "")
        if hit is None:
            return
        if hit.meeting_id:
            from screens.meeting import MeetingScreen

            mode = "minutes" if hit.kind == "action" else "agenda"
            item_id = hit.id if hit.kind == "item" else hit.item_id  # an item hit is the item itself
            self.app.push_screen(MeetingScreen(hit.meeting_id, mode=mode, select=item_id))
        elif hit.kind == "body":
            self.secretary_app.call_later(self._open_body, hit.id)
        elif hit.kind == "person":
            self.secretary_app.call_later(self._open_person, hit.id)

    async def _open_body(self, body_id: str) -> None:
        await self.secretary_app.action_go("bodies")
        select = getattr(self.app.screen, "select_body", None)
        if select:
            select(body_id)

    async def _open_person(self, person_id: str) -> None:
        await self.secretary_app.action_go("people")
        select = getattr(self.app.screen, "select_person", None)
        if select:
            select(person_id)
