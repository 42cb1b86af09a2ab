"""The Textual application: built by one factory shared by the CLI and the tests."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from secretary.services import Secretary


class SecretaryApp(App[None]):
    """The secretary's workspace."""

    TITLE = "secretary"
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(self, secretary: Secretary):
        super().__init__()
        self.secretary = secretary

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="bodies", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#bodies", DataTable)
        table.add_columns("Body", "Name", "Cadence")
        for body in self.secretary.bodies(include_retired=False):
            table.add_row(body.label, body.name, body.cadence.kind, key=body.id)
        self.sub_title = str(self.secretary.db.path)


def make_app(secretary: Secretary) -> SecretaryApp:
    return SecretaryApp(secretary)
