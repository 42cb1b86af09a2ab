"""The export dialog of the meeting screen: agenda or minutes, full or public, as .docx.

The dialog only chooses; the meeting screen renders and writes in a thread
worker through secretary.documents, the same path as `secretary export`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from screens import strings as S
from secretary.i18n import N_

Choice = tuple[str, bool]  # ("agenda" | "minutes", public)


class ExportScreen(ModalScreen[Choice | None]):
    """Export: agenda / minutes × full / public. Digits 1–4 or enter choose; escape cancels."""

    BINDINGS = [
        Binding("1", "choose(0)", N_("Agenda"), id="export_dialog.agenda", show=False),
        Binding("2", "choose(1)", N_("Public agenda"), id="export_dialog.public_agenda", show=False),
        Binding("3", "choose(2)", N_("Minutes"), id="export_dialog.minutes", show=False),
        Binding("4", "choose(3)", N_("Public minutes"), id="export_dialog.public_minutes", show=False),
        Binding("escape", "cancel", N_("Cancel"), id="export_dialog.cancel"),
    ]

    def __init__(self, what: str, folder: str):
        super().__init__()
        self.what = what
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog small-dialog"):
            yield Label(S.EX_TITLE.format(what=self.what), classes="dialog-title")
            options = [Option(f"{n} {label}", id=str(n - 1)) for n, (_, _, label) in enumerate(S.EX_CHOICES, 1)]
            yield OptionList(*options, id="export-choices", compact=True)
            yield Static(S.EX_FOLDER.format(folder=self.folder), id="export-folder", classes="dialog-text")
            yield Static(S.EX_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#export-choices", OptionList).focus()

    def action_choose(self, index: int) -> None:
        kind, public, _ = S.EX_CHOICES[index]
        self.dismiss((kind, public))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
