"""The line of keys at the bottom of every screen: what the focused widget and the screen offer.

Textual's Footer builds one widget per key and builds them all again whenever the
focus moves; on the start screen that was 0.13 s of 0.8 (benchmarks/README.md).
This is the same information as one line of text: redrawn, not rebuilt. A click
on a key presses it, as on the Footer.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    """` enter Open  r Refresh  u Undo  q Quit      ^p palette`, disabled keys dimmed."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 100%;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, show_command_palette: bool = True):
        super().__init__("", id="keys")
        self.show_command_palette = show_command_palette
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each key on the line

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.redraw()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self.redraw()

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.redraw()

    def redraw(self) -> None:
        self.update(self.line())

    def line(self) -> Text:
        app = self.app
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        shown: set[str] = set()
        active = self.screen.active_bindings
        for key, (_node, binding, enabled, _tooltip) in active.items():
            if not binding.show or binding.action in shown or key == app.COMMAND_PALETTE_BINDING:
                continue
            shown.add(binding.action)  # one key per action, as the Footer shows
            self._add(line, app.get_key_display(binding), binding.description, binding.key, enabled)
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and palette is not None and app.ENABLE_COMMAND_PALETTE:
            _node, binding, enabled, _tooltip = palette
            label = f" {app.get_key_display(binding)} {binding.description} "
            room = (self.size.width or app.size.width) - line.cell_len
            if room > len(label):  # at the right edge, as the Footer puts it
                line.append(" " * (room - len(label)))
                self._add(line, app.get_key_display(binding), binding.description, binding.key, enabled)
        return line

    def _add(self, line: Text, key: str, description: str, press: str, enabled: bool) -> None:
        start = line.cell_len
        line.append(" ")
        line.append(key, style="bold" if enabled else "dim")
        line.append(f" {description} ", style="" if enabled else "dim")
        self._spans.append((start, line.cell_len, press))

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
