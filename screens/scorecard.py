"""The scorecard (styrkort): areas, goals, indicators, a column per year, rikssnitt and måltal,
each result marked met / missed, a sparkline per row; enter opens a chart, e edits a year.

Reads and writes through `sec.scorecard` (the service `secretary scorecard` uses too).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from screens import strings as S
from screens.base import SectionScreen, Table, short
from screens.dialogs import FieldSpec, FormScreen
from screens.keybar import KeyBar
from secretary.domain.errors import InvalidField
from secretary.domain.scorecard import Row, Scorecard, parse_number
from secretary.i18n import N_, gettext

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    """A row's trend in block characters; a year without a figure is a blank."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    if high == low:
        return "".join(" " if v is None else BLOCKS[3] for v in values)
    return "".join(" " if v is None else BLOCKS[min(7, int((v - low) / (high - low) * 7 + 0.5))] for v in values)


MARKS = {"met": ("✓", "green"), "missed": ("✗", "red")}


class ChartScreen(ModalScreen[None]):
    """One indicator over the years (textual-plotext), with its target and the years' notes."""

    BINDINGS = [Binding("escape", "close", N_("Close"), id="scorecard.chart_close")]

    def __init__(self, card: Scorecard, row: Row):
        super().__init__()
        self.card = card
        self.row = row

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        with Vertical(classes="dialog", id="sc-chart-box"):
            yield Label(self.row.indicator.title, classes="dialog-title", markup=False)
            yield PlotextPlot(id="sc-plot")
            yield Static(self._explain(), id="sc-chart-text", markup=False)
            yield Static(S.SC_CHART_HINT, classes="dialog-hint")

    def _explain(self) -> str:
        lines = [f"{cell.year}: {cell.text or S.NONE}{cell.marker}" + (f"  ({cell.note})" if cell.note else "")
                 for cell in self.row.cells]
        if self.row.target:
            lines.append(f"{S.SC_TARGET}: {self.row.target}")
        for figure in self.row.computations[-1:]:
            lines.append(figure.how)
            lines.extend(figure.details[:8])
        return "\n".join(lines)

    def on_mount(self) -> None:
        from textual_plotext import PlotextPlot

        plot = self.query_one("#sc-plot", PlotextPlot).plt
        points = [(cell.year, float(cell.result)) for cell in self.row.cells if cell.result is not None]
        if points:
            plot.plot([p[0] for p in points], [p[1] for p in points], marker="braille")
            plot.scatter([p[0] for p in points], [p[1] for p in points])
        last = self.row.indicator.value(self.card.years[-1]) if self.card.years else None
        if last is not None and last.target is not None:
            plot.hline(float(last.target))
        plot.xticks(list(self.card.years), [str(y) for y in self.card.years])

    def action_close(self) -> None:
        self.dismiss(None)


def value_form(screen: ScorecardScreen, card: Scorecard, row: Row) -> FormScreen[Any]:
    """Edit one year of one indicator: result ("–" not measured, "i.u." no data), target, national, note."""
    indicator = row.indicator
    year = card.years[-1]
    current = indicator.value(year)
    computed = indicator.source == "computed" or row.computations

    def number(text: str, name: str, missing_ok: bool) -> Any:
        cleaned = (text or "").strip()
        if not cleaned:
            return None
        if missing_ok and cleaned.lower() in ("i.u.", "iu", "i.o.", "n/a"):
            return "i.u."
        if missing_ok and cleaned in ("–", "-"):
            return "-"
        try:
            return parse_number(cleaned, name)
        except ValueError:
            raise InvalidField(gettext("indicator {id!r}").format(id=indicator.id), name, text, S.SC_BAD_NUMBER) from None

    def submit(values: dict[str, Any]):
        try:
            chosen = int((values["year"] or "").strip())
        except ValueError:
            raise InvalidField(gettext("indicator {id!r}").format(id=indicator.id), "year", values["year"], S.BAD_NUMBER) from None
        # Only what the user changed is saved: typing another year and a result sets that year's result alone.
        initial = {spec.name: spec.value for spec in fields}
        edited = {name: value for name, value in values.items() if name != "year" and value != initial.get(name)}
        changes: dict[str, Any] = {}
        if "target" in edited:
            changes["target"] = number(values["target"], "target", False)
        if "note" in edited:
            changes["note"] = values["note"].strip()
        if not computed and "result" in edited:
            result = number(values["result"], "result", True)
            if result == "i.u.":
                changes["no_data"] = True
            elif result == "-":
                changes["not_measured"] = True
            else:
                changes["result"] = result
        if not computed and "national" in edited:
            national = number(values["national"], "national", True)
            if national == "i.u.":
                changes["national_no_data"] = True
            elif national == "-":
                raise InvalidField(gettext("indicator {id!r}").format(id=indicator.id), "national", values["national"], S.SC_BAD_NUMBER)
            else:
                changes["national"] = national
        if chosen == year:  # the year the form showed: refused if someone changed it meanwhile
            changes["based_on"] = current
        return screen.sec.scorecard.set_value(indicator.id, chosen, **changes)

    def shown(value: Any) -> str:
        if value is None:
            return ""
        return str(value).replace(".", ",")

    result_text = ""
    national_text = ""
    if current is not None:
        result_text = shown(current.result) or {"not_measured": "–", "no_data": "i.u."}.get(current.result_missing or "", "")
        national_text = shown(current.national) or ("i.u." if current.national_missing else "")
    fields = [FieldSpec("year", value=str(year), label=S.SC_F_YEAR)]
    if not computed:
        fields.append(FieldSpec("result", value=result_text, label=S.SC_F_RESULT, placeholder=S.SC_RESULT_HINT))
    fields.append(FieldSpec("target", value=shown(current.target) if current else "", label=S.SC_F_TARGET))
    if not computed:
        fields.append(FieldSpec("national", value=national_text, label=S.SC_F_NATIONAL))
    fields.append(FieldSpec("note", value=current.note if current else "", label=S.SC_F_NOTE))
    return FormScreen(S.SC_EDIT_TITLE.format(title=short(indicator.title, 50)), fields, submit)


class ScorecardScreen(SectionScreen):
    """Every scorecard; n / N moves between them (organisations first, then bodies)."""

    SECTION = "scorecard"
    BINDINGS = [
        Binding("n", "move(1)", N_("Next card"), id="scorecard.next", tooltip=N_("The next scorecard")),
        Binding("N", "move(-1)", N_("Previous card"), id="scorecard.previous", tooltip=N_("The previous scorecard")),
        Binding("e", "edit", N_("Edit year"), id="scorecard.edit", tooltip=N_("Edit a year's result, target, rikssnitt, note")),
        Binding("r", "reload", N_("Refresh"), id="scorecard.refresh"),
    ]

    cards: list[Scorecard]
    index = 0

    def compose(self) -> ComposeResult:
        yield self.nav()
        yield Static("", id="sc-title", classes="hint")
        yield Table(id="sc-table", open_label=S.SC_CHART)
        yield Static("", id="sc-notes", classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.cards = []
        self.query_one("#sc-table", DataTable).focus()
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="scorecard", description="scorecards")
    def load(self) -> None:
        cards = self.sec.scorecard.scorecards()
        self.app.call_from_thread(self._fill, cards)

    @property
    def card(self) -> Scorecard | None:
        return self.cards[self.index] if self.cards else None

    def _fill(self, cards: list[Scorecard]) -> None:
        previous = self.card
        self.cards = cards
        if previous is not None:
            which = (previous.owner_kind, previous.owner, previous.name)
            same = [n for n, c in enumerate(cards) if (c.owner_kind, c.owner, c.name) == which]
            self.index = same[0] if same else min(self.index, max(0, len(cards) - 1))
        self._draw()

    def _draw(self) -> None:
        table = self.query_one("#sc-table", DataTable)
        keep = self.selected_key(table)
        table.clear(columns=True)
        card = self.card
        title = self.query_one("#sc-title", Static)
        notes = self.query_one("#sc-notes", Static)
        if card is None:
            title.update(S.SC_EMPTY)
            notes.update("")
            return
        title.update(Text(f"{card.title}   ({self.index + 1}/{len(self.cards)})", style="bold"))
        last = card.years[-1]
        years = card.years[-8:]  # the table keeps to the screen; the chart and the CLI show every year
        table.add_columns(S.SC_COL_AREA, S.SC_COL_GOAL, S.SC_COL_INDICATOR, *map(str, years),
                          f"{S.SC_COL_NATIONAL} {last}", f"{S.SC_COL_TARGET} {last}", S.SC_COL_TREND)
        # Area, goal, the years (a figure with its mark), national, target, trend, and two cells of padding each.
        width = self.room(16 + 20 + 11 * len(years) + 15 + 13 + len(years) + 4 + 2, 20)
        previous_area = previous_goal = None
        for row in card.rows:
            area = row.indicator.area if row.indicator.area != previous_area else ""
            goal = row.indicator.goal if (row.indicator.goal != previous_goal or area) else ""
            previous_area, previous_goal = row.indicator.area, row.indicator.goal
            cells: list[Any] = []
            for cell in row.cells[-len(years):]:
                shown = Text(f"{cell.text}{cell.marker}")
                if cell.judgement:
                    mark, style = MARKS[cell.judgement]
                    shown.append(f" {mark}", style=style)
                cells.append(shown)
            table.add_row(short(area, 14), short(goal, 18), short(row.indicator.title, width), *cells,
                          row.national, row.target, sparkline(row.series), key=row.indicator.id)
        self.keep_cursor(table, keep)
        notes.update("\n".join(f"{m + ' ' if m else ''}{t}" for m, t in card.footnotes))

    def action_move(self, step: int) -> None:
        if self.cards:
            self.index = (self.index + step) % len(self.cards)
            self._draw()

    def _row(self) -> Row | None:
        card = self.card
        key = self.selected_key(self.query_one("#sc-table", DataTable))
        if card is None or key is None:
            return None
        return next((r for r in card.rows if r.indicator.id == key), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row, card = self._row(), self.card
        if row is not None and card is not None:
            self.app.push_screen(ChartScreen(card, row))

    def action_edit(self) -> None:
        row, card = self._row(), self.card
        if row is None or card is None:
            self.notify(S.SELECT_FIRST)
            return

        def done(result: object) -> None:
            if result is not None:
                self.notify(S.SAVED)
                self.reload()

        self.app.push_screen(value_form(self, card, row), done)
