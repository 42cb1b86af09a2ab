"""One box that finds bodies, people, meetings, items and decisions as you type."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from screens import strings as S
from screens.base import SectionScreen, Table, short
from screens.keybar import KeyBar
from secretary.i18n import N_
from secretary.services.search import Hit


class SearchScreen(SectionScreen):
    """Results follow the typing; enter opens the meeting, body or person found."""

    SECTION = "search"
    BINDINGS = [
        Binding("escape", "toggle_focus", N_("Box/results"), id="search.toggle", tooltip=N_("Between the search box and the results")),
    ]

    def compose(self) -> ComposeResult:
        yield self.nav()
        yield Input(placeholder=S.SR_PLACEHOLDER, id="sr-input")
        yield Static(S.SR_HINT, id="sr-count", classes="hint")
        yield Table(id="sr-table")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#sr-table", DataTable)
        table.add_columns(S.COL_KIND, S.COL_BODY_SHORT, S.COL_DATE, S.COL_FOUND, S.COL_TEXT)
        self.query_one("#sr-input", Input).focus()
        self.hits: dict[str, Hit] = {}
        self._text = ""
        self._building = False
        self._open_index()
        self._ticker = self.set_interval(0.3, self._show_progress, pause=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search-open", description="search index")
    def _open_index(self) -> None:
        """Open the index; a missing or old one is rebuilt in the background (progress below),
        and what was typed meanwhile is answered when it is ready."""
        if self.sec.search.open().state == "ready":
            return
        self.sec.search.wait_ready()
        self.app.call_from_thread(self._built)

    def _built(self) -> None:
        self._building = False
        self.find(self._text)

    def _show_progress(self) -> None:
        status = self.sec.search.status()
        line = self.query_one("#sr-count", Static)
        if status.state == "building":
            self._building = True
            line.update(S.SR_BUILDING.format(done=status.done, total=status.total, percent=status.percent))
        elif status.state == "stale" and not self._text:
            line.update(S.SR_STALE.format(message=status.message))

    def on_screen_resume(self) -> None:
        """Nothing to reload; focus stays where it was (after help, the results keep it)."""

    def focus_box(self) -> None:
        self.query_one("#sr-input", Input).focus()

    @on(Input.Changed, "#sr-input")
    def _typed(self, event: Input.Changed) -> None:
        self._text = event.value
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
        hits = self.sec.search.query(text, wait=0)  # while the index is built: progress, then the answer
        if self.sec.search.status().state == "building":
            return
        self.app.call_from_thread(self._fill, hits, text)

    def _fill(self, hits: list, text: str) -> None:
        table = self.query_one("#sr-table", DataTable)
        table.clear()
        self.hits = {}
        width = self.room(72, 14)
        for n, hit in enumerate(hits):
            key = f"{n}"
            self.hits[key] = hit
            table.add_row(S.SR_KINDS.get(hit.kind, hit.kind), short(hit.body_label, 10),
                          hit.date.isoformat() if hit.date else "", short(hit.title, 24), marked(hit.snippet, hit.marks, width),
                          key=key)
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

            mode = "minutes" if hit.kind in ("action", "decision") else "agenda"
            item_id = hit.id if hit.kind in ("item", "decision") else hit.item_id  # an item (or its decision) is the item
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


def marked(snippet: str, marks: tuple[tuple[int, int], ...], width: int) -> Text:
    """The snippet on one line with its matches in bold reverse, cut to `width`."""
    if marks and marks[0][0] > width // 3:  # a narrow column: start near the first match
        cut = snippet.rfind(" ", 0, marks[0][0] - 8) + 1 or max(0, marks[0][0] - 8)
        snippet = "…" + snippet[cut:]
        marks = tuple((start - cut + 1, end - cut + 1) for start, end in marks if start >= cut)
    text = Text(snippet, no_wrap=True)
    for start, end in marks:
        text.stylize("bold reverse", start, end)
    text.truncate(width, overflow="ellipsis")
    return text
