"""What every screen shares: the navigation line, the footer, error handling, helpers.

Screens see domain objects and the `Secretary` service only; they never reach
the store. Reads that may be slow run in thread workers; a failed worker is
turned into an error dialog here, in one handler, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from screens import strings as S
from secretary.domain.errors import SecretaryError
from secretary.i18n import N_, format_date
from secretary.i18n import gettext as tr

if TYPE_CHECKING:
    from screens.context import AppContext
    from secretary.services.facade import Secretary

R = TypeVar("R")


NAV_LINE = ("nav.overview", "nav.bodies", "nav.people", "nav.meetings", "nav.year", "nav.actions", "nav.scorecard", "nav.search",
            "app.help")
# Named on the line only where it fits (80 columns hold the others; the key works everywhere).
NAV_OPTIONAL = ("nav.scorecard",)


class NavBar(Static):
    """One line naming each section with its key; the current section is highlighted.

    Built from the app's own `nav.*` bindings, so a remapped key shows here too.
    """

    def __init__(self, current: str | None):
        super().__init__(id="nav")
        self.current = current

    def on_mount(self) -> None:
        self.update(self.line_text())

    def on_resize(self) -> None:
        self.update(self.line_text())

    def line_text(self) -> Text:
        line = self._line(compact=False)
        width = self.size.width or self.app.size.width
        if width and line.cell_len > width:  # 80 columns: the keys without their padding, so all fit
            line = self._line(compact=True)
        if width and line.cell_len > width:
            line = self._line(compact=True, optional=False)
        return line

    def _line(self, compact: bool, optional: bool = True) -> Text:
        line = Text()
        app: AppContext = self.app  # type: ignore[assignment]
        bindings = app.app_bindings()  # with the user's keymap applied
        for binding_id in NAV_LINE:
            binding = bindings.get(binding_id)
            if binding is None or (not optional and binding_id in NAV_OPTIONAL and binding_id.split(".", 1)[1] != self.current):
                continue
            key = app.get_key_display(binding)
            mode = binding_id.split(".", 1)[1]  # "app.help" matches no section (the binding's own id)
            current = mode == self.current
            line.append(" ")
            if compact:
                line.append(f"{key}" if not current else f" {key}", style="bold reverse" if current else "bold")
                line.append(f" {tr(binding.description)}" + (" " if current else ""), style="reverse" if current else "")
                continue
            line.append(f" {key} ", style="bold reverse" if current else "bold")
            line.append(f"{tr(binding.description)} ", style="reverse" if current else "")
        return line


def fmt_date(value: dt.date | dt.datetime | None) -> str:
    """A date in the interface's language (2026-03-04; Danish 04.03.2026)."""
    return format_date(value, none=S.NONE)


def fmt_time(value: dt.datetime) -> str:
    return value.strftime("%H:%M")


def plain(value: Any) -> Any:
    """A string shown as it is, never read as markup; anything else unchanged."""
    return Text(value, end="") if isinstance(value, str) else value


def short(text: str | None, width: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


class SectionScreen(Screen):
    """Base of the app's screens: nav line on top, footer below, one error handler."""

    SECTION: str | None = None

    @property
    def secretary_app(self) -> AppContext:
        return self.app  # type: ignore[return-value]

    @property
    def sec(self) -> Secretary:
        return self.secretary_app.secretary

    @property
    def today(self) -> dt.date:
        return self.secretary_app.today

    def nav(self) -> NavBar:
        return NavBar(self.SECTION)

    def call(self, operation: Callable[[], R]) -> R | None:
        """Run a service operation on the UI thread; a SecretaryError becomes a dialog."""
        try:
            result = operation()
            self.secretary_app.data_version += 1
            return result
        except SecretaryError as error:
            self.secretary_app.show_error(error)
        except Exception as error:  # noqa: BLE001 - the user sees one line, the log the rest
            self.secretary_app.show_unexpected(error)
        return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report(event.worker.error)

    def report(self, error: BaseException) -> None:
        """A failed read: the user's error as a dialog, a bug as one line (details in the log)."""
        if isinstance(error, SecretaryError):
            self.secretary_app.show_error(error)
        else:
            self.secretary_app.show_unexpected(error)

    seen_version = -1

    def on_mount(self) -> None:
        # Textual calls on_mount of every class in the MRO: this runs besides the screen's own.
        self.seen_version = self.secretary_app.data_version

    def on_screen_resume(self) -> None:
        """Reload when data changed on another screen (or in another process) since this one drew it.

        Not after a mere dialog: reloading after an error dialog would fail again and loop.
        """
        changed_elsewhere = self.sec.store.refresh()
        if changed_elsewhere or self.secretary_app.data_version != self.seen_version:
            self.seen_version = self.secretary_app.data_version
            self.reload()

    def reload(self) -> None:
        """Read what the screen shows again; screens override it."""

    def selected_key(self, table: DataTable) -> str | None:
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # noqa: BLE001 - an empty or just-cleared table has no cursor row
            return None
        return key.value if key is not None else None

    def keep_cursor(self, table: DataTable, key: str | None) -> None:
        """Put the cursor back on the row with `key` after a reload."""
        if key is None:
            return
        try:
            table.move_cursor(row=table.get_row_index(key))
        except Exception:  # noqa: BLE001 - the row is gone (deleted): keep the cursor where it is
            pass

    def room(self, used: int, least: int = 12) -> int:
        """Width left for the one flexible column, so that rows fit without a horizontal scrollbar."""
        return max(least, self.app.size.width - used)


class Table(DataTable):
    """A row table whose enter key is named in the footer ("enter Open") where it opens something."""

    BINDINGS = [Binding("enter", "select_cursor", N_("Open"), id="table.open", tooltip=N_("Open the row"))]

    def __init__(self, open_label: str | None = "Open", **kwargs: Any):
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self.open_label = open_label

    PLACEHOLDER = "-"  # the key of a row that only says "Nothing here."
    _openable = 0  # rows other than the placeholder: "enter Open" is offered while there are any

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        # Cells hold what people typed: a title such as "Budget [udkast]" is text, not
        # markup (DataTable would hide "[udkast]", and "[/]" would crash the screen).
        key = super().add_row(*(plain(cell) for cell in cells), **kwargs)
        if key.value != self.PLACEHOLDER:
            self._openable += 1
            if self._openable == 1:
                self.refresh_bindings()
        return key

    def remove_row(self, row_key: Any) -> None:
        super().remove_row(row_key)
        if getattr(row_key, "value", row_key) != self.PLACEHOLDER:
            self._openable = max(0, self._openable - 1)
            if not self._openable:
                self.refresh_bindings()

    def clear(self, columns: bool = False) -> Table:
        had = self._openable
        self._openable = 0
        super().clear(columns)
        if had:
            self.refresh_bindings()
        return self

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor" and self.open_label is None:
            return False  # the screen names its own key for enter (e.g. "e Edit")
        if action == "select_cursor" and not self._openable:
            return False  # nothing to open: the key line does not offer it
        return True

    def action_select_cursor(self) -> None:
        super().action_select_cursor()
