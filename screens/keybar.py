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

from screens import strings as S
from secretary.i18n import gettext as tr


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

    # The keys that work everywhere: always on the line, at its right end, whatever else must give way.
    ALWAYS = ("app.help", "app.quit")

    def line(self) -> Text:
        app = self.app
        width = self.size.width or app.size.width or 80
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        shown: set[str] = set()
        active = self.screen.active_bindings
        items: list[tuple[str, str, str, bool]] = []  # (key shown, label, key pressed, enabled)
        always: dict[str, tuple[str, str, str, bool]] = {}
        for key, (_node, binding, enabled, _tooltip) in active.items():
            if key == app.COMMAND_PALETTE_BINDING or binding.action in shown:
                continue
            if binding.id in self.ALWAYS:
                always.setdefault(binding.id, (app.get_key_display(binding), tr(binding.description), binding.key, enabled))
                shown.add(binding.action)
                continue
            if not binding.show:
                continue
            shown.add(binding.action)  # one key per action, as the Footer shows
            items.append((app.get_key_display(binding), tr(binding.description), binding.key, enabled))
        tail = [always[i] for i in self.ALWAYS if i in always]
        room = width - sum(self._width(item) for item in tail)
        more = False
        for item in items:
            if line.cell_len + self._width(item) > room - 2:  # what does not fit is one ? away
                more = True
                break
            self._add(line, *item)
        if more:
            line.append(" …", style="dim")
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and palette is not None and app.ENABLE_COMMAND_PALETTE:
            _node, binding, enabled, _tooltip = palette
            item = (app.get_key_display(binding), S.PALETTE, binding.key, enabled)
            if line.cell_len + self._width(item) <= room:
                tail.insert(0, item)
                room -= self._width(item)
        gap = width - line.cell_len - sum(self._width(item) for item in tail)
        if gap > 0:
            line.append(" " * gap)
        for item in tail:
            self._add(line, *item)
        return line

    @staticmethod
    def _width(item: tuple[str, str, str, bool]) -> int:
        key, description, _press, _enabled = item
        return Text(f" {key} {description} ").cell_len

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
