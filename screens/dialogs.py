"""Modal dialogs: forms that validate on the field, confirmations, errors and help.

Every dialog is a typed `ModalScreen[T]` that returns its result through
`dismiss` and closes with `None` on escape. A form calls its `submit`
function (which saves through the service) and closes only when that
succeeded, so nothing is ever half-saved and errors appear next to the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, overload

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static, TextArea

from screens import strings as S
from secretary.domain.errors import InvalidField, SecretaryError, StaleEdit
from secretary.i18n import N_, parse_user_date

T = TypeVar("T")


@dataclass
class FieldSpec:
    """One field of a form: what it is called, how it is edited, and its starting value."""

    name: str
    kind: str = "text"  # text | area | select | check
    value: Any = ""
    options: Sequence[tuple[str | Text, Any]] = ()  # (label, value); labels may be styled
    allow_blank: bool = True
    label: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)  # error field names shown on this field
    placeholder: str = ""

    @property
    def title(self) -> str:
        return self.label or S.F.get(self.name, self.name)


@overload
def parse_date(value: str, name: str, required: Literal[True]) -> dt.date: ...
@overload
def parse_date(value: str, name: str, required: bool = False) -> dt.date | None: ...
def parse_date(value: str, name: str, required: bool = False) -> dt.date | None:
    """A YYYY-MM-DD date from a form field; InvalidField on that field otherwise."""
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidField(S.FORM_WHERE, name, value, S.FIELD_REQUIRED)
        return None
    try:
        return parse_user_date(text)  # 2026-03-04; 4.3.2026 too (day first, as Danes and Swedes write)
    except ValueError:
        raise InvalidField(S.FORM_WHERE, name, value, S.BAD_DATE) from None


def parse_time(value: str, name: str) -> str:
    text = (value or "").strip()
    try:
        return dt.time.fromisoformat(text).strftime("%H:%M")
    except ValueError:
        raise InvalidField(S.FORM_WHERE, name, value, S.BAD_TIME) from None


def parse_int(value: str, name: str) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidField(S.FORM_WHERE, name, value, S.BAD_NUMBER) from None


def lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class FormScreen(ModalScreen[T], Generic[T]):
    """A form in a dialog. ctrl+s or enter in a one-line field saves; escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
        # Not a priority binding: keys typed before ctrl+s reach the field first, so a fast
        # typist (or a burst over SSH) never saves half a word.
        Binding("ctrl+s", "save", N_("Save"), id="form.save"),
        Binding("ctrl+r", "reload", N_("Reload"), id="form.reload", show=False),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FieldSpec],
        submit: Callable[[dict[str, Any]], T],
        reload: Callable[[], FormScreen[T]] | None = None,
        record: Any = None,
    ):
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.submit = submit
        # A fresh form of the same record (read again from the store): offered after a stale
        # edit was refused, so the user chooses between what they typed and what is stored.
        self.reload = reload
        self.stale = False
        self.record = record  # the stored copy the form was filled from (after a reload: the fresh one)

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="dialog"):
            yield Label(self.form_title, classes="dialog-title", markup=False)
            # The scrolling box must not take the focus from the first field.
            with VerticalScroll(id="form-fields", can_focus=False):
                for spec in self.fields:
                    if spec.kind != "check":  # a checkbox carries its own label
                        yield Label(spec.title, classes="field-label")
                    yield self._widget(spec)
                    yield Static("", id=f"e-{spec.name}", classes="field-error", markup=False)
            yield Static("", id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(S.SAVE, id="form-save", variant="primary", compact=True)
                yield Button(S.CANCEL, id="form-cancel", compact=True)
            yield Static(S.FORM_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        for widget in self.query(f"#f-{self.fields[0].name}") if self.fields else ():
            widget.focus(scroll_visible=False)  # the first field, ready to type
        # The form opens at its top: the first field and its label in view, not scrolled past.
        self.query_one("#form-fields", VerticalScroll).scroll_home(animate=False)
        self.call_after_refresh(self._remember_start)

    _start: dict[str, Any] | None = None

    def _remember_start(self) -> None:
        self.query_one("#form-fields", VerticalScroll).scroll_home(animate=False)
        self._start = self.values()

    @property
    def changed(self) -> bool:
        """Something was typed or chosen since the form opened."""
        return self._start is not None and self.values() != self._start

    def _widget(self, spec: FieldSpec):
        ident = f"f-{spec.name}"
        if spec.kind == "area":
            return TextArea(str(spec.value or ""), id=ident, classes="field-area", compact=True)
        if spec.kind == "check":
            return Checkbox(spec.title, bool(spec.value), id=ident, compact=True)
        if spec.kind == "select":
            values = {value for _, value in spec.options}
            start = spec.value if spec.value in values else Select.NULL
            return Select(list(spec.options), value=start, allow_blank=spec.allow_blank, id=ident, prompt=S.BLANK, compact=True)
        return Input(str(spec.value if spec.value is not None else ""), id=ident, placeholder=spec.placeholder, compact=True)

    def values(self) -> dict[str, Any]:
        """The fields as plain values: strings, booleans, a Select's value or None."""
        found: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.query_one(f"#f-{spec.name}")
            if isinstance(widget, TextArea):
                found[spec.name] = widget.text
            elif isinstance(widget, Checkbox):
                found[spec.name] = widget.value
            elif isinstance(widget, Select):
                found[spec.name] = None if widget.value is Select.NULL else widget.value
            else:
                found[spec.name] = widget.value  # type: ignore[attr-defined]
        return found

    def _error_slot(self, name: str) -> str | None:
        """Which form field shows an error about the model field `name`."""
        names = {spec.name for spec in self.fields}
        candidates = [name, name.replace(".", "_"), name.split(".")[-1], name.split(".")[0]]
        for candidate in candidates:
            if candidate in names:
                return candidate
            for spec in self.fields:
                if candidate in spec.aliases:
                    return spec.name
        return None

    def show_error(self, error: SecretaryError) -> None:
        if isinstance(error, InvalidField):
            slot = self._error_slot(error.field)
            if slot is not None:
                self._say(f"#e-{slot}", error.message)
                self.query_one(f"#f-{slot}").focus()
                return
        if isinstance(error, StaleEdit) and self.reload is not None:
            self.stale = True
            self._say("#form-error", f"{error}\n{S.FORM_STALE_RELOAD}")
            return
        self._say("#form-error", str(error))

    def action_reload(self) -> None:
        """After a refused stale edit: fill the form from the stored record, based on it from now on."""
        if self.reload is None or not self.stale:
            return
        try:
            fresh = self.reload()
        except SecretaryError as error:  # deleted meanwhile: say so, keep the typing
            self._say("#form-error", str(error))
            return
        self.submit, self.reload, self.record, self.stale = fresh.submit, fresh.reload, fresh.record, False
        for spec in fresh.fields:
            for widget in self.query(f"#f-{spec.name}"):
                if isinstance(widget, TextArea):
                    widget.load_text(str(spec.value or ""))
                elif isinstance(widget, Checkbox):
                    widget.value = bool(spec.value)
                elif isinstance(widget, Select):
                    if spec.value in {value for _, value in spec.options}:
                        widget.value = spec.value
                    elif spec.allow_blank:
                        widget.value = Select.NULL
                elif isinstance(widget, Input):
                    widget.value = str(spec.value if spec.value is not None else "")
        self.fields = [*fresh.fields]
        self._start = None
        self.call_after_refresh(self._remember_start)
        self._say("#form-error", S.FORM_RELOADED)

    def _say(self, selector: str, message: str) -> None:
        slot = self.query_one(selector, Static)
        slot.update(message)
        slot.add_class("-shown")
        slot.scroll_visible()

    def action_save(self) -> None:
        for widget in self.query(".field-error"):
            widget.update("")  # type: ignore[attr-defined]
            widget.remove_class("-shown")
        try:
            result = self.submit(self.values())
        except SecretaryError as error:
            self.show_error(error)
            return
        if hasattr(self.app, "data_version"):
            self.app.data_version += 1  # screens below redraw when they come back
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(S.FORM_DISCARD), answer)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no; escape is no."""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n", "answer(False)", N_("No"), id="confirm.no"),
        Binding("escape", "answer(False)", N_("No"), id="confirm.escape", show=False),
    ]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog small-dialog"):
            yield Static(self.question, classes="dialog-text", markup=False)  # may quote a title
            with Horizontal(classes="dialog-buttons"):
                yield Button(S.YES, id="yes", variant="error", compact=True)
                yield Button(S.NO, id="no", compact=True)
            yield Static(S.CONFIRM_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class ErrorScreen(ModalScreen[None]):
    """A user-facing error: its title and message, never a traceback."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="error.close"),
        Binding("enter", "close", N_("Close"), id="error.enter", show=False),
    ]

    def __init__(self, title: str, message: str):
        super().__init__()
        self.error_title = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog small-dialog error-dialog"):
            yield Label(self.error_title, classes="dialog-title", markup=False)
            # Messages quote what was typed ("value 'Budget [udkast]'"): text, never markup.
            yield Static(self.message, id="error-message", classes="dialog-text", markup=False)
            yield Static(S.ERROR_HINT, classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened from, and the keys that work everywhere."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="help.close"),
        Binding("question_mark", "close", N_("Close"), id="help.toggle", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]):
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Label(S.HELP_TITLE, classes="dialog-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(S.HELP_FOOTER, classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*S.HELP_COLUMNS)
        for n, row in enumerate(self.rows):
            table.add_row(*row, key=str(n))

    def action_close(self) -> None:
        self.dismiss(None)
