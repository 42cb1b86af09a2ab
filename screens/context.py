"""What a screen may ask of the application: a small Protocol, so that screens never import the
App class for its type (no import cycle between screens/app.py and the screens it opens)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.binding import Binding

    from secretary.domain.errors import SecretaryError
    from secretary.services.facade import Secretary


class AppContext(Protocol):
    """The running application as screens, forms and widgets see it."""

    secretary: Secretary
    data_version: int

    @property
    def today(self) -> dt.date: ...

    def app_bindings(self) -> dict[str, Binding]: ...

    async def action_go(self, mode: str) -> None: ...

    def call_later(self, callback: Callable[..., object], *args: object, **kwargs: object) -> bool: ...

    def get_key_display(self, binding: Binding) -> str: ...

    def offer_undo(self, label: str, undo: Callable[[], object]) -> None: ...

    def show_error(self, error: SecretaryError) -> None: ...

    def show_unexpected(self, error: BaseException) -> None: ...
