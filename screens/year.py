"""The year view: every body's meetings and the milestones, month by month, and the year plan.

Twelve month panels (two side by side at 80 columns, three at 120) list each
meeting (day, body, status) and each milestone that occurs that year (once,
yearly, even or odd years). Above them, each body's cadence against its target
("DASSOS: 1 of 4–5"). P runs the planner for the shown year in a worker and
shows every proposal with its reason; y in that dialog stores them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rich.console import Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static
from textual.worker import get_current_worker

from screens import strings as S
from screens.base import SectionScreen
from screens.keybar import KeyBar
from secretary.domain.cadence import CadenceStatus, cadence_status
from secretary.domain.model import Body, Meeting, Milestone
from secretary.i18n import N_

STATUS_STYLE = {"held": "green", "planned": "", "invited": "cyan", "cancelled": "red strike"}
CADENCE_STYLE = {"met": "green", "below": "yellow", "above": "magenta", "as_needed": "dim"}
PANEL_WIDTH = 36  # a month panel is at least this wide: "14 Kontaktudvalget  planned" fits


class YearScreen(SectionScreen):
    """Meetings and milestones of one year, month by month, with each body's cadence."""

    SECTION = "year"
    BINDINGS = [
        # Priority: the scrolling box would take ←/→ for sideways scrolling, which it never needs.
        Binding("left,left_square_bracket", "year(-1)", N_("Year before"), id="year.prev", key_display="← [", priority=True),
        Binding("right,right_square_bracket", "year(1)", N_("Year after"), id="year.next", key_display="→ ]", priority=True),
        Binding("P", "plan", N_("Plan year"), id="year.plan", tooltip=N_("Propose the year's meetings from each body's cadence")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.year = dt.date.today().year  # on_mount sets the app's today (frozen in tests)
        self.shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield self.nav()
        yield Static("", id="yr-header")
        yield Static(S.YR_HINT, id="yr-hint", classes="hint")
        with VerticalScroll(id="yr-box"):
            yield Static("", id="yr-cadence")
            yield Static("", id="yr-months")
        yield KeyBar()

    def on_mount(self) -> None:
        self.year = self.today.year
        self.query_one("#yr-box", VerticalScroll).focus()
        self.reload()

    def on_resize(self) -> None:
        if self.shown is not None:
            self._draw(*self.shown)  # two or three panels side by side, as the width allows

    # -- reading and drawing ---------------------------------------------------------------

    def reload(self) -> None:
        self.query_one("#yr-header", Static).update(Text(S.YR_TITLE.format(year=self.year, meetings="…", milestones="…"), style="bold"))
        self.load(self.year)

    @work(thread=True, exclusive=True, exit_on_error=False, group="year", description="year view")
    def load(self, year: int) -> None:
        bodies = self.sec.records.bodies()
        meetings = self.sec.records.meetings(year=year)
        milestones = self.sec.records.milestones()
        self.app.call_from_thread(self._draw, year, bodies, meetings, milestones)

    def _draw(self, year: int, bodies: list[Body], meetings: list[Meeting], milestones: list[Milestone]) -> None:
        if year != self.year:
            return  # the user moved on to another year while this one was read
        self.shown = (year, bodies, meetings, milestones)
        labels = {b.id: b.label for b in bodies}
        entries: dict[int, list[tuple[int, int, Text]]] = defaultdict(list)
        for meeting in meetings:
            day = meeting.start.date()
            if day.year != year:
                continue
            line = Text(f"{day.day:02d} ", style="bold")
            line.append(f"{labels.get(meeting.body, meeting.body)} ")
            line.append(S.MEETING_STATUS[meeting.status], style=STATUS_STYLE.get(meeting.status, ""))
            entries[day.month].append((day.day, 0, line))
        dated = [(m, m.occurs_in(year)) for m in milestones]
        occurring = [(m, day) for m, day in dated if day is not None]
        for milestone, day in occurring:
            line = Text(f"{day.day:02d} ", style="bold")
            line.append(f"{S.YR_MILESTONE} ", style="magenta")
            if milestone.body:
                line.append(f"{labels.get(milestone.body, milestone.body)}: ", style="dim")
            line.append(milestone.title)
            entries[day.month].append((day.day, 1, line))
        count = sum(1 for m in meetings if m.start.year == year)
        header = S.YR_TITLE.format(year=year, meetings=count, milestones=len(occurring))
        self.query_one("#yr-header", Static).update(Text(header, style="bold"))
        self.query_one("#yr-cadence", Static).update(self._cadence(year, bodies, meetings))
        self.query_one("#yr-months", Static).update(self._months(year, entries))

    def _cadence(self, year: int, bodies: list[Body], meetings: list[Meeting]) -> Text:
        statuses: list[CadenceStatus] = []
        for body in sorted(bodies, key=lambda b: b.label.casefold()):
            status = cadence_status(body, meetings, year)
            if status.target is None and not (status.counted or status.cancelled):
                continue  # meets as needed and did not: nothing to say
            if body.retired and not (status.counted or status.cancelled):
                continue
            statuses.append(status)
        text = Text()
        text.append(S.YR_CADENCE.format(year=year) + ": ", style="bold")
        if not statuses:
            text.append(S.YR_NO_CADENCE, style="dim")
        for n, status in enumerate(statuses):
            if n:
                text.append(" · ", style="dim")
            text.append(str(status), style=CADENCE_STYLE[status.state])
        return text

    def _months(self, year: int, entries: dict[int, list[tuple[int, int, Text]]]) -> RichTable:
        width = self.query_one("#yr-box", VerticalScroll).size.width or self.app.size.width
        columns = max(1, min(4, width // PANEL_WIDTH))
        grid = RichTable.grid(expand=True, padding=(0, 0))
        for _ in range(columns):
            grid.add_column(ratio=1)
        this_month = self.today.month if self.today.year == year else None
        months: list[list[Text]] = []
        for month in range(1, 13):
            lines = [line for _, _, line in sorted(entries.get(month, []), key=lambda e: (e[0], e[1], e[2].plain))]
            for line in lines:
                line.no_wrap = True  # one line per meeting or milestone: a long title ends in "…"
                line.overflow = "ellipsis"
            months.append(lines or [Text(S.YR_EMPTY_MONTH, style="dim")])
        for first in range(0, 12, columns):
            row = range(first, min(12, first + columns))
            height = max(len(months[m]) for m in row)  # the panels of a row end on one line
            panels = []
            for m in row:
                lines = months[m] + [Text("")] * (height - len(months[m]))
                title = Text(S.YR_MONTHS[m], style="bold reverse" if m + 1 == this_month else "bold")
                panels.append(Panel(Group(*lines), title=title, title_align="left", border_style="blue", padding=(0, 1)))
            grid.add_row(*panels, *([""] * (columns - len(panels))))
        return grid

    # -- actions ----------------------------------------------------------------------------

    def action_year(self, delta: int) -> None:
        self.year = max(1900, min(2200, self.year + delta))
        self.query_one("#yr-box", VerticalScroll).scroll_home(animate=False)
        self.reload()

    def action_plan(self) -> None:
        self.plan(self.year)

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan", description="plan the year")
    def plan(self, year: int) -> None:
        plan = self.sec.planning.plan(year)
        labels = {b.id: b.label for b in self.sec.records.bodies()}
        if not get_current_worker().is_cancelled:  # P pressed again meanwhile: only the last one asks
            self.app.call_from_thread(self._offer, plan, labels)

    def _offer(self, plan, labels: dict[str, str]) -> None:
        def answer(store: bool | None) -> None:
            if store:
                self.apply(plan.year)

        self.app.push_screen(PlanScreen(plan, labels), answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan", description="store the year's plan")
    def apply(self, year: int) -> None:
        stored = self.sec.planning.apply_plan(year)
        self.app.call_from_thread(self._applied, year, len(stored))

    def _applied(self, year: int, count: int) -> None:
        self.secretary_app.data_version += 1  # other sections redraw when they come back
        self.seen_version = self.secretary_app.data_version
        self.notify(S.YR_APPLIED.format(count=count, year=year))
        self.reload()


class PlanScreen(ModalScreen[bool]):
    """The planner's proposals for a year, each with its reason; y stores them, escape does not."""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="plan.store", tooltip=N_("Store the proposals as planned meetings")),
        Binding("n", "answer(False)", N_("No"), id="plan.no"),
        Binding("escape", "answer(False)", N_("Close"), id="plan.close", show=False),
    ]

    def __init__(self, plan, labels: dict[str, str]):
        super().__init__()
        self.plan = plan
        self.labels = labels

    @property
    def storable(self) -> bool:
        return bool(self.plan.new) and not self.plan.problems

    def compose(self) -> ComposeResult:
        plan = self.plan
        title = S.YR_PLAN_TITLE.format(year=plan.year, new=len(plan.new), existing=len(plan.proposals) - len(plan.new))
        with Vertical(classes="dialog plan-dialog"):
            yield Label(title, classes="dialog-title")
            with VerticalScroll(id="plan-list"):
                yield Static(self._listing(), id="plan-text")
            if self.storable:
                yield Static(S.YR_PLAN_QUESTION.format(count=len(plan.new)), id="plan-question", classes="dialog-text")
                with Horizontal(classes="dialog-buttons"):
                    yield Button(S.YES, id="yes", variant="primary", compact=True)
                    yield Button(S.NO, id="no", compact=True)
            yield Static(S.YR_PLAN_HINT if self.storable else S.YR_PLAN_HINT_CLOSE, classes="dialog-hint")

    def _listing(self) -> Group:
        """Problems first, then every meeting of the year with its reason (indented under it)."""
        plan = self.plan
        parts: list = []
        if plan.problems:
            parts.append(Text(S.YR_PLAN_PROBLEMS, style="bold red"))
            parts += [Padding(Text(f"[{p.constraint}] {p.message}", style="red"), (0, 0, 0, 1)) for p in plan.problems]
        elif not plan.new:
            parts.append(Text(S.YR_PLAN_NOTHING.format(year=plan.year), style="italic"))
        for proposal in plan.proposals:
            new = proposal.status == "proposed"
            line = Text()
            line.append(f"{proposal.day.strftime('%a %Y-%m-%d')} {proposal.start.strftime('%H:%M')}  ", style="bold" if new else "")
            line.append(f"{self.labels.get(proposal.body, proposal.body)}  ", style="bold" if new else "")
            line.append(S.PLAN_STATUS[proposal.status], style="green" if new else "dim")
            parts.append(line)
            parts.append(Padding(Text(proposal.reason, style="" if new else "dim"), (0, 0, 0, 3)))
        as_needed = [note.label for note in plan.notes if note.as_needed]
        if as_needed:
            parts.append(Text(S.YR_PLAN_AS_NEEDED.format(bodies=", ".join(as_needed)), style="dim"))
        parts += [Text(note.shown, style="dim") for note in plan.notes if not note.as_needed]
        return Group(*parts)

    def on_mount(self) -> None:
        self.query_one("#plan-list", VerticalScroll).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters and parameters[0] is True and not self.storable:
            return False
        return True

    def action_answer(self, answer: bool) -> None:
        self.dismiss(bool(answer) and self.storable)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes" and self.storable)
